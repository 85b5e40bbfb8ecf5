airlock-profile 1
seccomp-errno 0
