airlock-profile 1
pids -1
