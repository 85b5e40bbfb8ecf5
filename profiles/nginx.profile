airlock-profile 1
# nginx: Debian's nginx (nginx-light, nginx-core) as an unprivileged daemon in the foreground,
# serving files on the host's network:
#
#   airlock run -p nginx --ro-bind SITE SITE --bind SITE/run SITE/run --tcp-bind PORT -- \
#           nginx -c SITE/nginx.conf -g 'daemon off;'
#
# with the page, configuration, pid, logs and temporary folders below SITE (the sandbox's uid
# cannot write /var/log/nginx or /run, nor bind a port below 1024). --tcp-bind PORT lets only
# that port be bound (Landlock, ABI 4 and later). A static site never connects: for
# proxy_pass or fastcgi_pass add --seccomp-allow connect and --tcp-connect PORT.
#
# Produced by: airlock learn on nginx 1.22 (Debian 12) with a one-page site
# (tests/helpers/nginx-lib.sh) under ab -n 300 -c 8, then reviewed by hand. Each rule says
# where it comes from: "learned: NAME N times" is the learning run's count; "by hand:" is a
# call that run did not reach and that Debian's configuration or nginx's usual work does.
# tests/integration/learn-nginx-shipped.sh runs Debian's nginx under it with ab.

include default  # the mounts, limits and environment of every run
net host  # learned: a TCP port bound on the host's network, for clients outside
memory 1G  # by hand: one master and its workers
pids 64  # by hand: workers and their thread pools

reset seccomp  # learned: an allow-list of what nginx called, nothing of the default's
seccomp-mode allowlist
seccomp-errno EPERM

seccomp-allow accept4  # learned: accept4 300 times
seccomp-allow access  # learned: access 1 time
seccomp-allow arch_prctl  # learned: arch_prctl 1 time
seccomp-allow bind  # learned: bind 1 time
seccomp-allow brk  # learned: brk 6 times
seccomp-allow close  # learned: close 620 times
seccomp-allow dup2  # learned: dup2 1 time
seccomp-allow epoll_create  # learned: epoll_create 2 times
seccomp-allow epoll_ctl  # learned: epoll_ctl 304 times
seccomp-allow epoll_wait  # learned: epoll_wait 304 times
seccomp-allow eventfd2  # learned: eventfd2 1 time
seccomp-allow execve  # learned: execve 1 time
seccomp-allow exit_group  # learned: exit_group 2 times
seccomp-allow fcntl  # learned: fcntl 4 times
seccomp-allow futex  # learned: futex 16 times
seccomp-allow geteuid  # learned: geteuid 2 times
seccomp-allow getpid  # learned: getpid 2 times
seccomp-allow getppid  # learned: getppid 1 time
seccomp-allow getrandom  # learned: getrandom 1 time
seccomp-allow ioctl  # learned: ioctl 4 times
seccomp-allow listen  # learned: listen 2 times
seccomp-allow lseek  # learned: lseek 1 time
seccomp-allow mkdir  # learned: mkdir 5 times
seccomp-allow mmap  # learned: mmap 32 times
seccomp-allow mprotect  # learned: mprotect 8 times
seccomp-allow munmap  # learned: munmap 1 time
seccomp-allow newfstatat  # learned: newfstatat 612 times
seccomp-allow openat  # learned: openat 315 times
seccomp-allow prctl  # learned: prctl 1 time
seccomp-allow pread64  # learned: pread64 303 times
seccomp-allow prlimit64  # learned: prlimit64 3 times
seccomp-allow pwrite64  # learned: pwrite64 1 time
seccomp-allow read  # learned: read 15 times
seccomp-allow recvfrom  # learned: recvfrom 300 times
seccomp-allow recvmsg  # learned: recvmsg 2 times
seccomp-allow rseq  # learned: rseq 1 time
seccomp-allow rt_sigaction  # learned: rt_sigaction 12 times
seccomp-allow rt_sigprocmask  # learned: rt_sigprocmask 2 times
seccomp-allow rt_sigreturn  # learned: rt_sigreturn 2 times
seccomp-allow rt_sigsuspend  # learned: rt_sigsuspend 2 times
seccomp-allow sendmsg  # learned: sendmsg 1 time
seccomp-allow set_robust_list  # learned: set_robust_list 2 times
seccomp-allow set_tid_address  # learned: set_tid_address 1 time
seccomp-allow setitimer  # learned: setitimer 1 time
seccomp-allow setsockopt  # learned: setsockopt 1 time
seccomp-allow socketpair  # learned: socketpair 2 times
seccomp-allow sysinfo  # learned: sysinfo 1 time
seccomp-allow uname  # learned: uname 2 times
seccomp-allow unlink  # learned: unlink 1 time
seccomp-allow wait4  # learned: wait4 2 times
seccomp-allow write  # learned: write always: the launcher hands the tracer over with it, so a learning run allows it untraced
seccomp-allow writev  # learned: writev 300 times
seccomp-allow clone[a0&0x7e020080==0]  # learned: clone without namespace flags (the workers), 1 time (clone3 is ENOSYS under airlock: libc falls back to clone)
seccomp-allow socket[a0==AF_INET]  # learned: socket AF_INET 1 time (listen on an IPv4 address)
seccomp-allow socket[a0==AF_INET6]  # by hand: listen [::]:80 in Debian's default site
seccomp-allow socket[a0==AF_UNIX]  # by hand: error_log syslog: and unix: upstreams
seccomp-allow sendfile  # by hand: sendfile on in Debian's nginx.conf sends pages from the file
seccomp-allow epoll_create1  # by hand: the event loop's setup in builds that use it
seccomp-allow epoll_pwait  # by hand: the event loop's wait in builds that use it
seccomp-allow accept  # by hand: accept4's fallback
seccomp-allow shutdown  # by hand: lingering_close of keep-alive and aborted connections
seccomp-allow getsockname  # by hand: listen on a wildcard address or port
seccomp-allow getsockopt  # by hand: SO_ERROR after a connect to an upstream
seccomp-allow kill  # by hand: the master signals its workers on reload (HUP) and quit
seccomp-allow rename  # by hand: pid file on a binary upgrade (USR2)
seccomp-allow readv  # by hand: request bodies read into several buffers
seccomp-allow madvise  # by hand: glibc's malloc returns memory under load
seccomp-allow mremap  # by hand: glibc's realloc of large buffers
seccomp-allow getdents64  # by hand: autoindex lists a folder
seccomp-allow fstat  # by hand: stat of open files on older libcs
