airlock-profile 1
# gunicorn: a Python WSGI application under Debian's gunicorn (python3-gunicorn), sync
# workers, on the host's network:
#
#   airlock run -p gunicorn --ro-bind APP APP --tcp-bind PORT -- \
#           /usr/bin/python3 -m gunicorn --chdir APP -w 2 -b 127.0.0.1:PORT \
#           --worker-tmp-dir /tmp MODULE:application
#
# The application's folder is bound read-only on the command line; /tmp is the sandbox's
# scratch tmpfs (the workers' heartbeat files). --tcp-bind PORT lets only that port be bound
# (Landlock, ABI 4 and later).
#
# Produced by: airlock learn on gunicorn 20.1 (Debian 12, Python 3.11) with a JSON WSGI
# application (tests/integration/learn-gunicorn.sh) under ab -n 300 -c 4, then reviewed by
# hand. "learned: NAME N times" is the learning run's count; "by hand:" is a call that run
# did not reach and that gunicorn's usual work does. An application that reaches further
# (a database, outgoing HTTP, its own files) needs its own additions: learn it
# (airlock learn --merge) rather than widen this.

include default  # the mounts, limits and environment of every run
net host  # learned: a TCP port bound on the host's network, for clients outside
memory 2G  # by hand: the master and a few Python workers
pids 128  # by hand: workers and the threads of gthread workers

reset seccomp  # learned: an allow-list of what gunicorn called, nothing of the default's
seccomp-mode allowlist
seccomp-errno EPERM

seccomp-allow accept4  # learned: accept4 306 times
seccomp-allow access  # learned: access 1 time
seccomp-allow arch_prctl  # learned: arch_prctl 1 time
seccomp-allow bind  # learned: bind 1 time
seccomp-allow brk  # learned: brk 42 times
seccomp-allow chdir  # learned: chdir 2 times
seccomp-allow clock_nanosleep  # learned: clock_nanosleep 28 times
seccomp-allow close  # learned: close 762 times
seccomp-allow connect  # learned: connect 8 times
seccomp-allow epoll_create1  # learned: epoll_create1 1 time
seccomp-allow execve  # learned: execve 1 time
seccomp-allow exit_group  # learned: exit_group 3 times
seccomp-allow fchmod  # learned: fchmod 311 times
seccomp-allow fcntl  # learned: fcntl 640 times
seccomp-allow futex  # learned: futex 17 times
seccomp-allow getcwd  # learned: getcwd 6 times
seccomp-allow getdents64  # learned: getdents64 226 times
seccomp-allow getegid  # learned: getegid 4 times
seccomp-allow geteuid  # learned: geteuid 4 times
seccomp-allow getgid  # learned: getgid 3 times
seccomp-allow getpeername  # learned: getpeername 2 times
seccomp-allow getpid  # learned: getpid 15 times
seccomp-allow getppid  # learned: getppid 5 times
seccomp-allow getrandom  # learned: getrandom 10 times
seccomp-allow getsockname  # learned: getsockname 606 times
seccomp-allow gettid  # learned: gettid 4 times
seccomp-allow getuid  # learned: getuid 1 time
seccomp-allow ioctl  # learned: ioctl 612 times
seccomp-allow kill  # learned: kill 2 times
seccomp-allow listen  # learned: listen 1 time
seccomp-allow lseek  # learned: lseek 471 times
seccomp-allow mkdir  # learned: mkdir 2 times
seccomp-allow mmap  # learned: mmap 118 times
seccomp-allow mprotect  # learned: mprotect 21 times
seccomp-allow munmap  # learned: munmap 36 times
seccomp-allow newfstatat  # learned: newfstatat 1795 times
seccomp-allow openat  # learned: openat 482 times
seccomp-allow pipe2  # learned: pipe2 3 times
seccomp-allow prctl  # learned: prctl 12 times
seccomp-allow pread64  # learned: pread64 2 times
seccomp-allow prlimit64  # learned: prlimit64 1 time
seccomp-allow pselect6  # learned: pselect6 10 times
seccomp-allow read  # learned: read 535 times
seccomp-allow readlink  # learned: readlink 3 times
seccomp-allow readlinkat  # learned: readlinkat 4 times
seccomp-allow recvfrom  # learned: recvfrom 301 times
seccomp-allow rseq  # learned: rseq 1 time
seccomp-allow rt_sigaction  # learned: rt_sigaction 139 times
seccomp-allow rt_sigprocmask  # learned: rt_sigprocmask 4 times
seccomp-allow rt_sigreturn  # learned: rt_sigreturn 5 times
seccomp-allow sendto  # learned: sendto 602 times
seccomp-allow set_robust_list  # learned: set_robust_list 3 times
seccomp-allow set_tid_address  # learned: set_tid_address 1 time
seccomp-allow setgroups  # learned: setgroups 4 times
seccomp-allow setsockopt  # learned: setsockopt 2 times
seccomp-allow setuid  # learned: setuid 2 times
seccomp-allow sysinfo  # learned: sysinfo 1 time
seccomp-allow umask  # learned: umask 4 times
seccomp-allow uname  # learned: uname 2 times
seccomp-allow unlink  # learned: unlink 2 times
seccomp-allow wait4  # learned: wait4 4 times
seccomp-allow write  # learned: write always: the launcher hands the tracer over with it, so a learning run allows it untraced
seccomp-allow clone[a0&0x7e020080==0]  # learned: clone without namespace flags (the workers), 2 times (clone3 is ENOSYS under airlock: libc falls back to clone)
seccomp-allow socket[a0==AF_INET]  # learned: socket AF_INET 1 time (the listening socket)
seccomp-allow socket[a0==AF_UNIX]  # learned: socket AF_UNIX 8 times
seccomp-allow socket[a0==AF_INET6]  # by hand: -b [::1]:PORT
seccomp-allow sendfile  # by hand: wsgi.file_wrapper sends a file with os.sendfile
seccomp-allow shutdown  # by hand: a client that goes away mid-request
seccomp-allow getsockopt  # by hand: the socket's options read back on start-up (systemd socket activation)
seccomp-allow fstat  # by hand: stat of open files on older libcs
seccomp-allow madvise  # by hand: Python's allocator returns memory
seccomp-allow mremap  # by hand: realloc of large buffers
seccomp-allow poll  # by hand: select's replacement in newer gunicorn and in applications
seccomp-allow epoll_wait  # by hand: the gthread and async workers' event loop
seccomp-allow epoll_ctl  # by hand: the gthread and async workers' event loop
