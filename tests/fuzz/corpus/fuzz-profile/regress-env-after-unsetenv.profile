airlock-profile 1
env A=1
unsetenv A
env A=2
