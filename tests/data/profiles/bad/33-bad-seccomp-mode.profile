airlock-profile 1
seccomp-mode sometimes
