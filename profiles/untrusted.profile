airlock-profile 1
# untrusted: for detonating a file or program that is presumed malicious (airlock analyze
# --detonate). Everything it does is observable (trace), nothing outside is reachable: no
# network, no host files beyond the read-only system view, small limits, a hard timeout.
# Add --net sinkhole to answer its DNS and capture its connections instead of refusing them.

include default
net none
hostname workstation
memory 1G
pids 256
tmpfs-size 256M
timeout 300
trace

# Beyond the default deny-list: no netlink, packet or vsock sockets. A sample needs none of
# them to show what it does, and each widens the kernel surface an exploit can reach.
seccomp-deny socket[a0==AF_NETLINK]
seccomp-deny socket[a0==AF_PACKET]
seccomp-deny socket[a0==AF_VSOCK]
