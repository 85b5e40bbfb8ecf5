airlock-profile 1
# postfix-smtpd: Postfix's smtpd (Debian 12, Postfix 3.7) under its master, started through a
# wrapper in master.cf (a private daemon_directory whose smtpd entry runs airlock):
#
#   airlock run -p postfix-smtpd --uid $(id -u postfix) --pass-fd 3 --pass-fd 4 --pass-fd 5 \
#           --pass-fd 6 --ro-bind QUEUE QUEUE --ro-bind CONFIG CONFIG --ro-bind /etc/passwd \
#           /etc/passwd --ro-bind /etc/group /etc/group --env MAIL_CONFIG=CONFIG -- \
#           /usr/lib/postfix/sbin/smtpd "$@"
#
# with "unpriv n" and "chroot n" for the service in master.cf: the sandbox runs smtpd as the
# mail_owner already (--uid), and smtpd would otherwise try to change user itself. The master
# hands smtpd its listening socket and its status and flow pipes as fds 3 to 6 (one listener),
# and its milters on loopback TCP (Debian's smtpd is chrooted, so airlock-milter.service
# listens on inet:8895@127.0.0.1) need the host's network; it reaches cleanup, anvil and the
# other daemons through the sockets below the queue folder (read-only is enough to connect),
# and reads main.cf and the user database. With every milter and policy service on a unix
# socket and no DNS lookups, "net none" works as well (the listening socket is the master's).
#
# Produced by: airlock learn on that smtpd (tests/integration/learn-smtpd.sh) under one SMTP
# session of tests/helpers/smtp-workload.py: three messages delivered, a recipient with bad
# syntax (501), a message the airlock milter rejects (550); then reviewed by hand. Each rule
# says where it comes from ("learned: NAME N times" is the learning run's count). Not
# learned: STARTTLS, SASL, DNS lookups of clients (the private instance has none), postscreen.
# tests/integration/learn-smtpd.sh runs the same workload under this profile.

include default  # the mounts, limits and environment of every run
net host  # learned: the milter on loopback TCP (tcp-connect PORT narrows it, Landlock ABI 4)
pids 16  # by hand: smtpd is one process

reset seccomp  # learned: an allow-list of what smtpd called, nothing of the default's
seccomp-mode allowlist
seccomp-errno EPERM

seccomp-allow accept  # learned: accept 1 time
seccomp-allow access  # learned: access 2 times
seccomp-allow alarm  # learned: alarm 2 times
seccomp-allow arch_prctl  # learned: arch_prctl 1 time
seccomp-allow bind  # learned: bind 2 times
seccomp-allow brk  # learned: brk 6 times
seccomp-allow chdir  # learned: chdir 1 time
seccomp-allow close  # learned: close 56 times
seccomp-allow connect  # learned: connect 15 times
seccomp-allow epoll_create  # learned: epoll_create 1 time
seccomp-allow epoll_ctl  # learned: epoll_ctl 4 times
seccomp-allow epoll_wait  # learned: epoll_wait 1 time
seccomp-allow execve  # learned: execve 1 time
seccomp-allow exit_group  # learned: exit_group 1 time (an smtpd leaves after max_use clients or max_idle)
seccomp-allow fcntl  # learned: fcntl 44 times
seccomp-allow futex  # learned: futex 2 times
seccomp-allow getegid  # learned: getegid 10 times
seccomp-allow geteuid  # learned: geteuid 11 times
seccomp-allow getgid  # learned: getgid 11 times
seccomp-allow getpeername  # learned: getpeername 1 time
seccomp-allow getpid  # learned: getpid 8 times
seccomp-allow getrandom  # learned: getrandom 1 time
seccomp-allow getsockname  # learned: getsockname 4 times
seccomp-allow getsockopt  # learned: getsockopt 2 times
seccomp-allow getuid  # learned: getuid 26 times
seccomp-allow ioctl  # learned: ioctl 7 times (learn records no request numbers)
seccomp-allow lseek  # learned: lseek 8 times
seccomp-allow mmap  # learned: mmap 112 times
seccomp-allow mprotect  # learned: mprotect 27 times
seccomp-allow munmap  # learned: munmap 1 time
seccomp-allow newfstatat  # learned: newfstatat 76 times
seccomp-allow openat  # learned: openat 57 times
seccomp-allow pipe2  # learned: pipe2 1 time
seccomp-allow poll  # learned: poll 104 times
seccomp-allow pread64  # learned: pread64 2 times
seccomp-allow prlimit64  # learned: prlimit64 3 times
seccomp-allow read  # learned: read 93 times
seccomp-allow recvmsg  # learned: recvmsg 7 times
seccomp-allow rseq  # learned: rseq 1 time
seccomp-allow rt_sigaction  # learned: rt_sigaction 3 times
seccomp-allow rt_sigprocmask  # learned: rt_sigprocmask 1 time
seccomp-allow sendmsg  # learned: sendmsg 4 times
seccomp-allow sendto  # learned: sendto 10 times
seccomp-allow set_robust_list  # learned: set_robust_list 1 time
seccomp-allow set_tid_address  # learned: set_tid_address 1 time
seccomp-allow setsockopt  # learned: setsockopt 2 times
seccomp-allow statfs  # learned: statfs 5 times
seccomp-allow uname  # learned: uname 1 time
seccomp-allow write  # learned untraced (a learning run allows it always): the SMTP replies, the log
seccomp-allow socket[a0==AF_UNIX]  # learned: socket AF_UNIX 13 times
seccomp-allow socket[a0==AF_INET]  # learned: socket AF_INET 3 times
seccomp-allow socket[a0==AF_NETLINK]  # learned: socket AF_NETLINK 2 times
