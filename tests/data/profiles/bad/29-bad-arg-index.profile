airlock-profile 1
seccomp-deny ioctl[a7==5]
