airlock-profile 1
env "Q=a \"q\" \$ \\ v\nn\x01"
ro-bind /usr/share "/with space/x"
seccomp-deny ioctl[a1==0x5412,a0<3]=ENOSYS
seccomp-notify openat[a2&0x3==1]
unbind "/with space/x"
reset seccomp-deny
cpus 0.25
timeout 1500us
