airlock-profile 1
seccomp-deny ioctl[a1==5
