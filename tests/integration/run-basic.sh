#!/bin/sh
# Real programs in the default sandbox: pipelines, stdin, python3 with a bound script, the
# identity and the writable places, and the run options (--chdir, --env, --pass-fd, --tmpfs,
# --dir, --symlink, --net host).
. "$AIRLOCK_SRC/tests/lib.sh"
. "$AIRLOCK_SRC/tests/run-lib.sh"

expect_output "sh pipeline" "3" "$AIRLOCK" run -- /bin/sh -c 'echo a b c | tr " " "\n" | wc -l'
expect_output "stdin reaches the program" "hello sandbox" \
        sh -c "printf 'hello sandbox\n' | '$AIRLOCK' run -- cat"
expect_output "large stdin and stdout pass through" "1000000" \
        sh -c "head -c 1000000 /dev/zero | '$AIRLOCK' run -- cat | wc -c"

cat >"$TEST_TMPDIR/hello.py" <<'PY'
import os, sys
print("py", sys.argv[1], os.getuid() == os.geteuid(), len(os.listdir("/")) > 3)
PY
expect_output "python3 runs a script given by --ro-bind" "py arg True True" \
        "$AIRLOCK" run --ro-bind "$TEST_TMPDIR/hello.py" /work/hello.py -- python3 /work/hello.py arg

inside "hostname is airlock" "airlock" 'hostname'
inside "user name is sandbox" "sandbox" 'id -un'
inside "HOME is a private writable folder" "/home/sandbox ok" \
        'echo x > "$HOME/f" && echo "$HOME ok"'
inside "starts in HOME" "/home/sandbox" 'pwd'
inside "/tmp is writable and empty" "0 ok" 'ls -A /tmp | wc -l | tr -d " " | tr "\n" " "; touch /tmp/x && echo ok'
inside "/dev/shm is writable" "ok" 'touch /dev/shm/x && echo ok'
# EROFS, the mount flag: file permissions alone (EACCES) would also stop root of the userns
attempt "/usr is read-only (mount flag)" mount:EROFS write /usr/airlock-basic
inside "merged-usr links" "usr/bin" 'readlink /bin'
# The view's host files (/etc, /dev) are opened without their type read: one that is a folder
# on this host is found by its mount and bound as a folder all the same. Root only: it takes a
# mount namespace of the test's own with a tmpfs over /etc, where /etc/timezone is a folder.
if is_root; then
        expect_output "a host folder where the view expects a file is bound as a folder" "zone" \
                unshare -m sh -c 'mount -t tmpfs tmpfs /etc && mkdir /etc/timezone &&
                        echo zone >/etc/timezone/name && exec "$0" run -- cat /etc/timezone/name' \
                "$AIRLOCK"
fi
inside "TLS certificates present" "yes" 'test -d /etc/ssl/certs && echo yes'
inside "name services work" "sandbox" 'getent passwd "$(id -u)" | cut -d: -f1'

expect_output "--chdir" "/tmp" "$AIRLOCK" run --chdir /tmp -- pwd
expect_output "--env NAME=VALUE" "bar" "$AIRLOCK" run --env FOO=bar -- /bin/sh -c 'echo $FOO'
expect_output "--env NAME passes the host's value" "from-host" \
        env AIRLOCK_T=from-host "$AIRLOCK" run --env AIRLOCK_T -- /bin/sh -c 'echo $AIRLOCK_T'
expect_output "--unsetenv" "unset" "$AIRLOCK" run --unsetenv LANG -- /bin/sh -c 'echo ${LANG:-unset}'
# What the caller ignores (nohup, a shell's trap '') is not ignored in the program; nothing is
# blocked: the program starts with every signal at its default.
expect_output "signals the caller ignores are default in the program" \
        "0000000000000000 0000000000000000" \
        sh -c 'trap "" PIPE HUP INT USR1; exec "$0" run -- awk "/^SigBlk/ { b = \$2 } /^SigIgn/ { i = \$2 } END { print b, i }" /proc/self/status' "$AIRLOCK"
# Also the two signals glibc keeps for itself (32 and 33), which its sigaction() refuses to
# touch; a caller can leave them ignored with the system call (some CI runners do).
expect_output "signals 32 and 33 the caller ignores are default in the program" \
        "0000000000000000 0000000000000000" \
        python3 -c '
import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)
class KSA(ctypes.Structure):
    _fields_ = [("handler", ctypes.c_void_p), ("flags", ctypes.c_ulong),
                ("restorer", ctypes.c_void_p), ("mask", ctypes.c_uint64)]
ign = KSA(1, 0, None, 0)  # SIG_IGN
for sig in (32, 33):
    nr = {"x86_64": 13, "aarch64": 134}[os.uname().machine]  # rt_sigaction
    if libc.syscall(nr, sig, ctypes.byref(ign), None, 8) != 0:
        sys.exit("rt_sigaction %d: errno %d" % (sig, ctypes.get_errno()))
os.execv(sys.argv[1], sys.argv[1:])' "$AIRLOCK" run -- awk "/^SigBlk/ { b = \$2 } /^SigIgn/ { i = \$2 } END { print b, i }" /proc/self/status

echo "passed fd" >"$TEST_TMPDIR/fdfile"
expect_output "--pass-fd keeps that fd" "passed fd" \
        sh -c "exec 8<'$TEST_TMPDIR/fdfile'; '$AIRLOCK' run --pass-fd 8 -- /bin/sh -c 'cat <&8'"
# 64 fds passed (the most): the fds init keeps through its set-up (cgroup join fds as root on
# v1) take no place of the caller's, and a 65th is refused, naming the limit
passmany() { # passmany COUNT: passes fds 10..10+COUNT-1, lists the program's fds 69 and up
        python3 -c '
import os, subprocess, sys
fd = os.open(sys.argv[2], os.O_RDONLY)
fds = list(range(10, 10 + int(sys.argv[3])))
for f in fds:
    os.dup2(fd, f)
args = [sys.argv[1], "run"] + [a for f in fds for a in ("--pass-fd", str(f))]
sys.exit(subprocess.call(args + ["--", "sh", "-c", "ls /proc/self/fd | sort -n | awk \"\\$1 >= 69\" | tr \"\\n\" \" \""], pass_fds=fds))' \
                "$AIRLOCK" "$TEST_TMPDIR/fdfile" "$1"
}
expect_output "--pass-fd keeps 64 fds, the last ones too" "69 70 71 72 73 " passmany 64
expect_status "--pass-fd: a 65th is refused" 125 passmany 65
expect_grep "--pass-fd: the refusal names the limit" "at most 64 file descriptors" passmany 65

mkdir -p "$TEST_TMPDIR/shared"
chmod 777 "$TEST_TMPDIR/shared" # as root, the program is uid 65534 outside
"$AIRLOCK" run --bind "$TEST_TMPDIR/shared" /out -- /bin/sh -c 'echo written > /out/result'
if [ "$(cat "$TEST_TMPDIR/shared/result" 2>/dev/null)" = written ]; then
        pass "--bind: a file written inside is on the host"
else
        fail "--bind: a file written inside is on the host" "not found"
fi
expect_output "--ro-bind is read-only" "ro" \
        "$AIRLOCK" run --ro-bind "$TEST_TMPDIR/shared" /in -- /bin/sh -c 'touch /in/x 2>/dev/null && echo rw || echo ro'
expect_output "--ro-bind-try skips a missing source" "ok" \
        "$AIRLOCK" run --ro-bind-try /nonexistent-airlock /x -- echo ok
expect_output "--tmpfs is writable" "ok" "$AIRLOCK" run --tmpfs /scratch -- /bin/sh -c 'touch /scratch/x && echo ok'
expect_output "--dir and --symlink" "/data" \
        "$AIRLOCK" run --dir /data --symlink /data /link -- readlink /link

host_net=$(readlink /proc/self/ns/net)
expect_output "--net host shares the host's network namespace" "$host_net" \
        "$AIRLOCK" run --net host -- readlink /proc/self/ns/net
out=$("$AIRLOCK" run -- readlink /proc/self/ns/net)
if [ -n "$out" ] && [ "$out" != "$host_net" ]; then pass "default: own network namespace"
else fail "default: own network namespace" "got '$out'"; fi

# --uid: as root the program runs as that host uid; a user keeps its own uid outside.
if is_root; then want="4321 4321 1"; else want="4321 $(id -u) 1"; fi
expect_output "--uid maps the chosen uid" "$want" \
        "$AIRLOCK" run --uid 4321 -- /bin/sh -c 'tr -s " " </proc/self/uid_map | sed "s/^ //"'
expect_output "--uid is the program's identity inside" "4321" "$AIRLOCK" run --uid 4321 -- id -u

# The sandbox's own loopback is up before the program starts (the supervisor brings it up,
# through a socket pid 1 sends it, while pid 1 builds the root): a listener inside on
# 127.0.0.1 is reached from inside. The port is the sandbox's own: its network is its own.
expect_output "the sandbox's loopback is up" "up" \
        "$AIRLOCK" run --tcp-bind 8080 --tcp-connect 8080 -- python3 -c '
import socket
s = socket.socket()
s.bind(("127.0.0.1", 8080))
s.listen(1)
socket.create_connection(("127.0.0.1", 8080), timeout=5).close()
print("up")'

# AIRLOCK_DEBUG_STARTUP: the step timer names each step of the supervisor, pid 1 and the
# program, with the time and the CPU time each process has used so far,
# in order, and the program's own output is unchanged.
AIRLOCK_DEBUG_STARTUP=1 "$AIRLOCK" run -- /bin/echo traced >"$TEST_TMPDIR/st.out" 2>"$TEST_TMPDIR/st.err"
steps=$(sed -n 's/^airlock-startup: +[0-9]*us pid [0-9]* cpu [0-9]*us //p' "$TEST_TMPDIR/st.err" | tr '\n' '|')
case "$(cat "$TEST_TMPDIR/st.out")|$steps" in
traced\|prepared*\|cloned\|*child:\ go\ received\|*child:\ new\ root\ built\|*child:\ new\ root\ entered\|*program:\ session\|*program:\ fds,\ Landlock\|*program:\ exec\|*finished:*) pass "AIRLOCK_DEBUG_STARTUP times each step" ;;
*) fail "AIRLOCK_DEBUG_STARTUP times each step" "got: $(cat "$TEST_TMPDIR/st.out")|$steps" ;;
esac
expect_output "no step times without AIRLOCK_DEBUG_STARTUP" "0" \
        sh -c "'$AIRLOCK' run -- /bin/true 2>&1 | grep -c airlock-startup; true"

# The launcher's processes run with a short scheduler slice (src/sandbox/sched-slice.h); the
# program gets the caller's scheduling back before its execve: its nice and its slice.
expect_output "the program runs at the caller's nice" "$(nice -n 4 nice)" nice -n 4 "$AIRLOCK" run -- nice
if [ -r /proc/self/sched ]; then
        slice='grep "^se.slice " /proc/self/sched | tr -s " "'
        expect_output "the program has the caller's scheduler slice" \
                "$(nice -n 4 sh -c "$slice")" nice -n 4 "$AIRLOCK" run -- sh -c "$slice"
else
        skip "the program has the caller's scheduler slice" "no /proc/self/sched (CONFIG_SCHED_DEBUG)"
fi
