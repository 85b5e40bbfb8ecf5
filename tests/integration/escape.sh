#!/bin/sh
# The escape battery: each attempt tries one way out of (or around) the default sandbox of
# 'airlock run' and passes only when the layer that should stop it holds. Runs as root (the
# program is then uid 65534 outside) and as an unprivileged user.
. "$AIRLOCK_SRC/tests/lib.sh"
. "$AIRLOCK_SRC/tests/run-lib.sh"

[ -x "$PROBE" ] || { fail "escape: probe" "no probe at $PROBE"; exit 1; }

# --- mounts (T1611: no file-system reconfiguration inside) ---
attempt "mount: tmpfs over /tmp" seccomp mount
attempt "mount: umount /proc" seccomp umount
attempt "mount: remount /usr read-write" seccomp remount-usr-rw
attempt "mount: fsopen" seccomp fsopen
attempt "mount: open_tree" seccomp open_tree
attempt "mount: move_mount" seccomp move_mount
attempt "mount: mount_setattr clears read-only" seccomp mount_setattr
attempt "mount: pivot_root" seccomp pivot_root
attempt "mount: chroot" seccomp chroot

# --- namespaces ---
attempt "ns: unshare user namespace" seccomp unshare-user
attempt "ns: unshare mount namespace" seccomp unshare-mount
attempt "ns: unshare network namespace" seccomp unshare-net
attempt "ns: clone with CLONE_NEWUSER" seccomp clone-newuser
attempt "ns: clone3 with namespace flags" seccomp:ENOSYS clone3-ns
attempt "ns: setns" seccomp setns

# --- other processes: pid 1 (airlock's init) and the parent ---
attempt "ptrace: attach pid 1" seccomp ptrace-init
attempt "ptrace: attach the parent" seccomp ptrace-parent
attempt "ptrace: PTRACE_TRACEME" seccomp ptrace-traceme
attempt "ptrace: process_vm_readv of pid 1" seccomp process_vm_readv
attempt "proc: pidfd_getfd of pid 1" seccomp pidfd_getfd
attempt "proc: write /proc/1/exe" pidns:EACCES write /proc/1/exe
attempt "proc: read /proc/1/environ" pidns:EACCES read /proc/1/environ
attempt "proc: read /proc/1/fd/0" pidns:EACCES read /proc/1/fd/0
attempt "proc: SIGKILL pid 1" pidns:EPERM kill-init

# --- kernel attack surface (seccomp) ---
attempt "kernel: bpf" seccomp bpf
attempt "kernel: perf_event_open" seccomp perf_event_open
attempt "kernel: userfaultfd" seccomp userfaultfd
attempt "kernel: io_uring_setup" seccomp io_uring
attempt "kernel: keyctl" seccomp keyctl
attempt "kernel: add_key" seccomp add_key
attempt "kernel: request_key" seccomp request_key
attempt "kernel: kexec_load" seccomp kexec_load
attempt "kernel: init_module" seccomp init_module
attempt "kernel: finit_module" seccomp finit_module
attempt "kernel: delete_module" seccomp delete_module
attempt "kernel: acct" seccomp acct
attempt "kernel: swapon" seccomp swapon
attempt "kernel: reboot" seccomp reboot
attempt "kernel: syslog" seccomp syslog
attempt "kernel: clock_settime" seccomp clock_settime
attempt "kernel: settimeofday" seccomp settimeofday
attempt "kernel: personality PER_LINUX32" seccomp personality
attempt "kernel: x32 syscall ABI" sigsys x32
# Some machines (PVM guests) have no 32-bit entry point at all: int $0x80 ends in SIGSEGV
# even outside any sandbox, and there is nothing for the filter to refuse.
if i386=$("$PROBE" i386-entry); then
        attempt "kernel: i386 syscall ABI (int 0x80)" sigsys i386
else
        skip "kernel: i386 syscall ABI (int 0x80)" "no 32-bit entry point on this machine: $i386"
fi
attempt "kernel: open_by_handle_at" seccomp open_by_handle_at
attempt "kernel: TIOCLINUX" seccomp tioclinux
attempt "kernel: sethostname" seccomp sethostname

# --- credentials ---
attempt "creds: setuid(0)" userns:EINVAL,seccomp setuid0
attempt "creds: capset raises capabilities" userns:EPERM capset
inside "creds: capability sets empty" "CapInh:0000000000000000 CapPrm:0000000000000000 CapEff:0000000000000000 CapBnd:0000000000000000 CapAmb:0000000000000000" \
        'grep ^Cap /proc/self/status | tr -d "\t" | tr "\n" " " | sed "s/ $//"'
inside "creds: no_new_privs" "NoNewPrivs:1" 'grep ^NoNewPrivs /proc/self/status | tr -d "\t "'
inside "creds: seccomp filter mode" "Seccomp:2" 'grep "^Seccomp:" /proc/self/status | tr -d "\t "'
if is_root; then
        inside "creds: root runs the program as host uid 65534" "65534 65534 1" \
                'cat /proc/self/uid_map | tr -s " " | sed "s/^ //"'
else
        inside "creds: a user runs as itself" "$(id -u) $(id -u) 1" \
                'cat /proc/self/uid_map | tr -s " " | sed "s/^ //"'
fi
inside "creds: core dumps off" "0" 'ulimit -c'

# --- devices, /sys, /proc/sys ---
attempt "dev: mknod a block device" userns:EPERM mknod
absent "dev: the host's /dev/mem is not there" /dev/mem
absent "dev: the host's /dev/kmsg is not there" /dev/kmsg
attempt "dev: /proc/kcore" pidns:ENOENT read /proc/kcore
inside "dev: only the minimal device set" "core? fd full null ptmx pts random shm stderr stdin stdout tty urandom zero" \
        'ls /dev | tr "\n" " " | sed "s/ $//; s/^/core? /; s/core? core /core? /"'
absent "sys: the host's /sys is absent" /sys/kernel/uevent_helper
attempt "sys: write /proc/sys/kernel/hostname" mount:EROFS write /proc/sys/kernel/hostname
attempt "sys: write /proc/sysrq-trigger" pidns:ENOENT write /proc/sysrq-trigger

# --- host files ---
# Identities, not errnos: each host file must not be the same file inside. Markers are
# planted first where a program would look for the host's data.
rnd=$(od -An -N8 -tx1 /dev/urandom | tr -d " \n")
planted=""
plant() {
        mkdir -p "$(dirname "$1")" 2>/dev/null
        if echo "airlock-escape marker $rnd" >"$1" 2>/dev/null; then
                planted="$planted $1"
        fi
}
plant "/tmp/airlock-escape-$rnd"
plant "/var/tmp/airlock-escape-$rnd"
is_root && plant "/home/airlock-escape-$rnd"
# (as root HOME is /root, which the uid 65534 of a stand-in cannot even look into)
! is_root && [ -n "$HOME" ] && [ -d "$HOME" ] && [ "$HOME" != / ] && plant "$HOME/.airlock-escape-$rnd"
plant "$TEST_TMPDIR/marker"
trap 'for f in $planted; do rm -f "$f"; done' EXIT
# a copy of a secret under a random name: its content must not be found inside either
if [ -r /etc/shadow ]; then cp /etc/shadow "$TEST_TMPDIR/secret-$rnd"; else
        echo "secret $rnd" >"$TEST_TMPDIR/secret-$rnd"; fi
planted="$planted $TEST_TMPDIR/secret-$rnd"
for f in $planted /etc/shadow /etc/gshadow /etc/sudoers /etc/ssh/sshd_config /etc/ssh \
        /etc/machine-id /root /var /var/log /run /home /srv /opt /boot /mnt "$TEST_TMPDIR"; do
        absent "files: the host's $f is not there" "$f"
done
attempt "files: /proc/1/root does not lead to the host" pidns:EACCES,pidns:ENOENT read "/proc/1/root$TEST_TMPDIR/marker"
attempt "files: write /usr" mount:EROFS write /usr/airlock-escape
attempt "files: write /etc/passwd" mount:EROFS write /etc/passwd
attempt "files: write the root" mount:EROFS write /airlock-escape
inside "files: /etc/passwd names only the sandbox user and root" "root sandbox" \
        'cut -d: -f1 /etc/passwd | tr "\n" " " | sed "s/ $//"'

# a symlink in a bound folder must not redirect a later mount point
mkdir -p "$TEST_TMPDIR/d" "$TEST_TMPDIR/target"
ln -s ../target "$TEST_TMPDIR/d/link"
echo x >"$TEST_TMPDIR/file"
"$AIRLOCK" run --bind "$TEST_TMPDIR/d" /data --ro-bind "$TEST_TMPDIR/file" /data/link/file \
        -- /bin/true 2>"$TEST_TMPDIR/err"
rc=$?
if [ "$rc" = 125 ] && [ ! -e "$TEST_TMPDIR/target/file" ] && grep -q "mount point" "$TEST_TMPDIR/err"; then
        pass "files: destination through a symlink refused"
else
        fail "files: destination through a symlink refused" "status $rc: $(cat "$TEST_TMPDIR/err")"
fi

# --- fds ---
exec 7<"$TEST_TMPDIR/marker"
attempt "fds: an fd left open by the caller does not leak" fd:ENOENT read /proc/self/fd/7
exec 7<&-
# A host directory handed in on purpose (--pass-fd) is a handle outside the new root, as
# runc's leaked cgroup fd was (CVE-2024-21626): Landlock must refuse every open beneath it.
exec 7<"$TEST_TMPDIR"
out=$("$AIRLOCK" run --pass-fd 7 -- "$PY" -c '
import os
got = []
for path in ("marker", "..", "../.."):
    try:
        os.close(os.open(path, os.O_RDONLY, dir_fd=7))
        got.append("opened " + path)
    except PermissionError:
        pass
print(" ".join(got) or "denied")' 2>"$TEST_TMPDIR/passfd.err")
exec 7<&-
[ "$out" = denied ] && pass "fds: nothing beneath a passed host directory opens (Landlock)" ||
        fail "fds: nothing beneath a passed host directory opens (Landlock)" "$out $(cat "$TEST_TMPDIR/passfd.err")"
grep -q "is a directory outside the sandbox" "$TEST_TMPDIR/passfd.err" &&
        pass "fds: passing a host directory is warned about" ||
        fail "fds: passing a host directory is warned about" "$(cat "$TEST_TMPDIR/passfd.err")"

# --- network: the host's loopback and abstract sockets ---
port_file=$TEST_TMPDIR/port
abstract=airlock-escape-$$
"$PY" - "$port_file" "$abstract" <<'PY' &
import socket, sys, time
t = socket.socket(); t.bind(("127.0.0.1", 0)); t.listen(8)
u = socket.socket(socket.AF_UNIX); u.bind("\0" + sys.argv[2]); u.listen(8)
open(sys.argv[1], "w").write(str(t.getsockname()[1]))
time.sleep(30)
PY
listener=$!
wait_for 20 test -s "$port_file"
port=$(cat "$port_file" 2>/dev/null)
# control: from outside both connect (the probe says ALLOWED, status 1)
if ! "$PROBE" tcp "$port" >/dev/null && ! "$PROBE" abstract "$abstract" >/dev/null; then
        attempt "net: TCP to a listener on the host's loopback (Landlock in the own netns)" netns:EACCES,seccomp tcp "$port"
        attempt "net: the host's abstract unix socket (netns)" netns:ECONNREFUSED abstract "$abstract"
else
        fail "net: host listeners" "the control connection from outside failed"
fi
kill "$listener" 2>/dev/null
wait "$listener" 2>/dev/null
inside "net: only the loopback interface" "lo" \
        'tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d " " | tr "\n" " " | sed "s/ $//"'

# --- SysV IPC of the host ---
key=$((0x41490000 + $$ % 65536))
shmid=$("$PROBE" shm-create "$key")
if [ -n "$shmid" ] && ! "$PROBE" shm "$key" >/dev/null; then
        attempt "ipc: the host's SysV shared memory (ipcns)" ipcns:ENOENT shm "$key"
else
        fail "ipc: the host's SysV shared memory" "could not create the control segment"
fi
[ -n "$shmid" ] && ipcrm -m "$shmid" 2>/dev/null

# --- host processes ---
sleep 30 &
victim=$!
out=$("$AIRLOCK" run -- /bin/sh -c "kill -9 $victim 2>/dev/null; ls /proc | grep -c '^[0-9]'" 2>/dev/null)
if kill -0 "$victim" 2>/dev/null && [ "$out" -le 4 ] 2>/dev/null; then
        pass "proc: host processes invisible and unkillable ($out pids visible)"
else
        fail "proc: host processes invisible and unkillable" "victim alive? $(kill -0 $victim 2>&1) visible: $out"
fi
kill "$victim" 2>/dev/null
wait "$victim" 2>/dev/null

# --- environment ---
# (stdout only: a profile with --trace prints its summary on airlock's stderr)
out=$(AIRLOCK_SECRET_TOKEN=s3cr3t SSH_AUTH_SOCK=/tmp/agent "$AIRLOCK" run -- /usr/bin/env 2>/dev/null)
names=$(printf '%s\n' "$out" | cut -d= -f1 | sort | tr '\n' ' ')
case "$out" in
*s3cr3t* | *SSH_AUTH_SOCK*) fail "env: nothing of the caller's environment leaks" "$names" ;;
*)
        extra=$(printf '%s\n' "$out" | cut -d= -f1 | grep -vxE 'PATH|HOME|USER|LOGNAME|TERM|LANG|PWD|SHLVL|_')
        has=$(printf '%s\n' "$out" | cut -d= -f1 | grep -xE 'PATH|HOME|USER' | sort | tr '\n' ' ')
        if [ "$has" != "HOME PATH USER " ]; then fail "env: only the clean environment" "PATH HOME USER missing: '$out'"
        elif [ -z "$extra" ]; then pass "env: only PATH HOME USER LOGNAME TERM LANG inside"
        else fail "env: only the clean environment" "extra: $extra"; fi
        ;;
esac

# --- TIOCSTI through a real terminal (CVE-2017-5226) ---
"$PY" - "$AIRLOCK" "$PROBE" >"$TEST_TMPDIR/tty.out" 2>&1 <<'PY'
import os, pty, sys, select, time
airlock, probe = sys.argv[1], sys.argv[2]
# After the sandbox ends, whatever TIOCSTI pushed into this (outer) terminal is readable.
check = ("import sys, select; r = select.select([0], [], [], 1)[0]; "
         "print('OUTER-READ=[%s]' % (sys.stdin.readline().strip() if r else ''))")
script = ("%s run --ro-bind %s /probe -- /probe tiocsti; %s run --ro-bind %s /probe -- /probe tiocsti /dev/tty; "
          "%s -c \"%s\"") % (airlock, probe, airlock, probe, sys.executable, check)
pid, fd = pty.fork()
if pid == 0:
    os.execv("/bin/sh", ["sh", "-c", script])
out = b""
end = time.time() + 20
while time.time() < end:
    r, _, _ = select.select([fd], [], [], 0.5)
    if fd in r:
        try:
            data = os.read(fd, 4096)
        except OSError:
            break
        if not data:
            break
        out += data
os.waitpid(pid, 0)
sys.stdout.write(out.decode(errors="replace"))
PY
if grep -q "OUTER-READ=\[\]" "$TEST_TMPDIR/tty.out"; then
        pass "tty: TIOCSTI does not reach the outer terminal"
else
        fail "tty: TIOCSTI does not reach the outer terminal" "$(tr '\r\n' '  ' <"$TEST_TMPDIR/tty.out")"
fi
if [ "$(grep -c "tiocsti: denied" "$TEST_TMPDIR/tty.out")" = 2 ]; then
        pass "tty: TIOCSTI refused on the sandbox's terminal and /dev/tty"
else
        fail "tty: TIOCSTI refused" "$(tr '\r\n' '  ' <"$TEST_TMPDIR/tty.out")"
fi

for f in $planted; do rm -f "$f"; done
