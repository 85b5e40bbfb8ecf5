airlock-profile 1
env "A=\q"
