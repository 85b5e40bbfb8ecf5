airlock-profile 1
# default: what "airlock run" enforces when no profile is named.
#
# The launcher always builds the same base: user, mount, pid, ipc, uts, net and cgroup
# namespaces; a new root with read-only /usr, a minimal /etc, fresh /proc, minimal /dev and
# private /tmp and HOME; no capabilities; no_new_privs; Landlock. This profile adds the
# network choice, resource limits and the seccomp deny-list: everything Docker's default
# profile refuses, plus the kernel attack surface a sandboxed program never needs (T1611).

net none
memory 4G
pids 1024

# seccomp: deny-list mode. The engine puts its base deny-list first (the group
# @airlock-denied: everything Docker's default profile refuses plus the rest of the kernel's
# attack surface; personality other than the Docker personas; AF_ALG and AF_VSOCK sockets)
# and its checks last, which no profile lifts: clone and unshare with namespace flags,
# clone3 (ENOSYS, so that libc falls back to clone), TIOCSTI and TIOCLINUX ioctls.
# "airlock profile syscalls -v" lists the members; rules below add to the base.
seccomp-mode denylist
seccomp-errno EPERM
