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

seccomp-mode denylist
seccomp-errno EPERM

# mounts and the new mount API: the root of most container escapes
seccomp-deny mount
seccomp-deny umount2
seccomp-deny pivot_root
seccomp-deny fsopen
seccomp-deny fsconfig
seccomp-deny fsmount
seccomp-deny fspick
seccomp-deny move_mount
seccomp-deny open_tree
seccomp-deny mount_setattr
seccomp-deny chroot

# new namespaces; clone3 answers ENOSYS so that libc falls back to clone, whose flags are checked
seccomp-deny unshare
seccomp-deny setns
seccomp-deny clone3=ENOSYS
seccomp-deny clone[a0&CLONE_NEWNS==CLONE_NEWNS]
seccomp-deny clone[a0&CLONE_NEWUSER==CLONE_NEWUSER]
seccomp-deny clone[a0&CLONE_NEWPID==CLONE_NEWPID]
seccomp-deny clone[a0&CLONE_NEWNET==CLONE_NEWNET]
seccomp-deny clone[a0&CLONE_NEWIPC==CLONE_NEWIPC]
seccomp-deny clone[a0&CLONE_NEWUTS==CLONE_NEWUTS]
seccomp-deny clone[a0&CLONE_NEWCGROUP==CLONE_NEWCGROUP]

# other processes' memory
seccomp-deny ptrace
seccomp-deny process_vm_readv
seccomp-deny process_vm_writev
seccomp-deny kcmp

# the kernel itself: modules, kexec, reboot, swap, accounting, log, clock
seccomp-deny init_module
seccomp-deny finit_module
seccomp-deny delete_module
seccomp-deny kexec_load
seccomp-deny kexec_file_load
seccomp-deny reboot
seccomp-deny swapon
seccomp-deny swapoff
seccomp-deny acct
seccomp-deny syslog
seccomp-deny settimeofday
seccomp-deny clock_settime
seccomp-deny clock_adjtime
seccomp-deny adjtimex
seccomp-deny iopl
seccomp-deny ioperm
seccomp-deny quotactl
seccomp-deny quotactl_fd
seccomp-deny vhangup
seccomp-deny lookup_dcookie
seccomp-deny nfsservctl
seccomp-deny uselib
seccomp-deny ustat
seccomp-deny sysfs
seccomp-deny _sysctl

# large kernel surface few programs need
seccomp-deny bpf
seccomp-deny perf_event_open
seccomp-deny userfaultfd
seccomp-deny io_uring_setup
seccomp-deny io_uring_enter
seccomp-deny io_uring_register
seccomp-deny keyctl
seccomp-deny add_key
seccomp-deny request_key
seccomp-deny open_by_handle_at
seccomp-deny name_to_handle_at
seccomp-deny fanotify_init
seccomp-deny move_pages
seccomp-deny migrate_pages

# terminal injection (CVE-2017-5226) and console access
seccomp-deny ioctl[a1==TIOCSTI]
seccomp-deny ioctl[a1==TIOCLINUX]

# personality: only PER_LINUX and the query
seccomp-deny personality
seccomp-allow personality[a0==PER_LINUX]
seccomp-allow personality[a0==0xffffffff]
