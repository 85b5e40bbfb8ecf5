airlock-profile 1
env "A=1
