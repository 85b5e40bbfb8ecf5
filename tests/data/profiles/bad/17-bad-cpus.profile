airlock-profile 1
cpus many
