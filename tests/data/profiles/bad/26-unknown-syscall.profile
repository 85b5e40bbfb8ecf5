airlock-profile 1
seccomp-deny frobnicate
