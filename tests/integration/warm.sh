#!/bin/sh
# airlock warm (docs/warm.md): a run of the server's policy takes a pre-built sandbox and
# behaves as cold (status, signals, timeout from the hand-over, the report's accounting); each
# safety check of the design, with an attack that succeeds without it: another uid, a planted
# folder or socket, anything carried over between two warm runs, the server killed mid-run,
# the program reaching the server's socket.
# airlock-test: cold-only (it starts servers of its own, in folders of its own)
. "$AIRLOCK_SRC/tests/lib.sh"

# start_server NAME [OPTIONS]: a server whose folder is $TEST_TMPDIR/NAME/airlock; its pid in
# $server_pid. Returns once it listens.
start_server() {
        _rt=$TEST_TMPDIR/$1
        shift
        mkdir -p "$_rt" && chmod 700 "$_rt"
        start_server_at "$_rt" "$@"
}

# start_server_at FOLDER [OPTIONS]: the same in any folder (its log: FOLDER.log)
start_server_at() {
        _rt=$1
        shift
        AIRLOCK_RUNTIME_DIR=$_rt "$AIRLOCK" warm "$@" 2>"$_rt.log" &
        server_pid=$!
        wait_for 10 sh -c 'test -S "$(ls "$0"/airlock/warm-*.sock 2>/dev/null | head -1)"' "$_rt"
}

# sock_of FOLDER: the socket of the server there (warm-HASH.sock, HASH of its policy)
sock_of() {
        ls "$1"/airlock/warm-*.sock 2>/dev/null | head -1
}

stop_server() {
        kill -TERM "$server_pid" 2>/dev/null
        wait "$server_pid" 2>/dev/null
}

# wrun NAME ARGS...: airlock run with NAME's server, saying on stderr whether it went warm
wrun() {
        _rt=$TEST_TMPDIR/$1
        shift
        AIRLOCK_RUNTIME_DIR=$_rt AIRLOCK_DEBUG_WARM=1 "$AIRLOCK" run "$@"
}

RT=$TEST_TMPDIR/a
start_server a || fail "warm: server starts" "no socket: $(cat "$RT.log")"

expect_eq "warm: folder is 0700, socket 0600" "drwx------ srw-------" \
        "$(stat -c %A "$RT/airlock" "$(sock_of "$RT")" | tr '\n' ' ' | sed 's/ $//')"
expect_grep "warm: a run of the default policy is handed a pre-built sandbox" \
        "warm: handed a pre-built sandbox" wrun a -- true
ident='echo $$ $(id -u) $(pwd)'
expect_output "warm: output, identity and folder as cold" \
        "$(AIRLOCK_WARM=0 "$AIRLOCK" run -- sh -c "$ident" 2>/dev/null)" wrun a -- sh -c "$ident"
expect_output "warm: stdin reaches the program" "hello" sh -c "echo hello | AIRLOCK_RUNTIME_DIR='$RT' '$AIRLOCK' run -- cat"
expect_status "warm: exit status" 7 wrun a -- sh -c 'exit 7'
expect_status "warm: not found is 127" 127 wrun a -- /nonexistent
expect_grep "warm: not found is said on the caller's stderr" "cannot run /nonexistent" \
        wrun a -- /nonexistent
expect_output "warm: the caller's umask" "0027" sh -c "umask 027; AIRLOCK_RUNTIME_DIR='$RT' '$AIRLOCK' run -- sh -c umask"
expect_output "warm: --env goes warm (the environment is handed over)" "bar" \
        wrun a --env FOO=bar -- sh -c 'echo $FOO'
expect_grep "warm: another policy runs cold (its socket is another)" \
        "no warm server: .*/warm-[0-9a-f]*.sock does not exist" wrun a --memory 1G -- true
expect_grep "warm: --cold runs cold" "^$" sh -c "AIRLOCK_RUNTIME_DIR='$RT' AIRLOCK_DEBUG_WARM=1 '$AIRLOCK' run --cold -- true 2>&1 | grep warm"
expect_grep "warm: AIRLOCK_WARM=0 runs cold" "cold: AIRLOCK_WARM=0" \
        sh -c "AIRLOCK_WARM=0 AIRLOCK_RUNTIME_DIR='$RT' AIRLOCK_DEBUG_WARM=1 '$AIRLOCK' run -- true"

# What shapes a cold run besides the policy is the caller's, read from the kernel: where it
# differs from the server's, the run is cold (else the caller would shed it).
expect_grep "warm: a caller under other rlimits runs cold" "cold: .*rlimits are not the server's" \
        sh -c "ulimit -S -n 500; AIRLOCK_RUNTIME_DIR='$RT' AIRLOCK_DEBUG_WARM=1 '$AIRLOCK' run -- true"
expect_grep "warm: a caller with no_new_privs runs cold" "cold: .*seccomp filters or no_new_privs" \
        env AIRLOCK_RUNTIME_DIR="$RT" AIRLOCK_DEBUG_WARM=1 setpriv --no-new-privs "$AIRLOCK" run -- true
expect_grep "warm: a caller at another nice runs cold" "cold: .*scheduling" \
        env AIRLOCK_RUNTIME_DIR="$RT" AIRLOCK_DEBUG_WARM=1 nice -n 4 "$AIRLOCK" run -- true
# A program in a sandbox that can reach the socket (bound in on purpose) and brings airlock
# along is in other namespaces: refused (as root, its folder is another uid's inside already).
out=$(AIRLOCK_WARM=0 "$AIRLOCK" run --ro-bind "$AIRLOCK" /airlock --ro-bind "$RT" /rt \
        --ro-bind "$AIRLOCK_DATA_DIR" "$AIRLOCK_DATA_DIR" --env AIRLOCK_DATA_DIR="$AIRLOCK_DATA_DIR" \
        --env AIRLOCK_RUNTIME_DIR=/rt --env AIRLOCK_DEBUG_WARM=1 -- /airlock run -- true 2>&1)
case $out in
*"handed a pre-built sandbox"*) fail "warm: a sandboxed program is not handed a sandbox" "$out" ;;
*"refused: the caller is in other namespaces"*)
        pass "warm: a sandboxed program is not handed a sandbox (other namespaces)" ;;
*"refusing /rt/airlock: it belongs to uid"* | *"cannot open /rt/airlock: Permission denied"*)
        # as root the program is uid 65534 inside, and the folder root's
        if is_root; then pass "warm: a sandboxed program is not handed a sandbox (its uid)"
        else fail "warm: a sandboxed program is not handed a sandbox" "$out"; fi ;;
*) fail "warm: a sandboxed program is not handed a sandbox" "unexpected: $out" ;;
esac
if is_root && [ -d /sys/fs/cgroup/pids ] && mkdir "/sys/fs/cgroup/pids/airlock-warm-test-$$" 2>/dev/null; then
        expect_grep "warm: a caller in another cgroup runs cold" "cold: .*another cgroup" \
                sh -c "echo \$\$ >/sys/fs/cgroup/pids/airlock-warm-test-$$/cgroup.procs &&
                        AIRLOCK_RUNTIME_DIR='$RT' AIRLOCK_DEBUG_WARM=1 exec '$AIRLOCK' run -- true"
        rmdir "/sys/fs/cgroup/pids/airlock-warm-test-$$"
elif is_root && [ -f /sys/fs/cgroup/cgroup.procs ] && mkdir "/sys/fs/cgroup/airlock-warm-test-$$" 2>/dev/null; then
        expect_grep "warm: a caller in another cgroup runs cold" "cold: .*another cgroup" \
                sh -c "echo \$\$ >/sys/fs/cgroup/airlock-warm-test-$$/cgroup.procs &&
                        AIRLOCK_RUNTIME_DIR='$RT' AIRLOCK_DEBUG_WARM=1 exec '$AIRLOCK' run -- true"
        rmdir "/sys/fs/cgroup/airlock-warm-test-$$"
fi

# signals the caller gets reach the program, as cold
AIRLOCK_RUNTIME_DIR=$RT "$AIRLOCK" run -- sh -c 'trap "exit 42" TERM; sleep 20 & wait' &
cpid=$!
sleep 1
kill -TERM "$cpid"
wait "$cpid"
expect_eq "warm: SIGTERM is forwarded to the program" 42 $?

# the report: accounting from the hand-over, not from when the sandbox was built
sleep 1.5
wrun a --report "$TEST_TMPDIR/r.json" -- true 2>/dev/null
expect_output "warm: the report's wall time runs from the hand-over" "fast" python3 -c "
import json, sys
r = json.load(open(sys.argv[1]))
w = r['resources']['wall_usec']
print('fast' if w < 1000000 else 'slow %d' % w)" "$TEST_TMPDIR/r.json"

# Nothing carries over between two warm runs: files, processes, pids.
wrun a -- sh -c 'echo x >/tmp/run1; echo x >"$HOME/run1"; sleep 300 & echo started' >/dev/null 2>&1
expect_output "warm: run 2 sees no file of run 1's /tmp or HOME" "clean" \
        wrun a -- sh -c 'test -e /tmp/run1 || test -e "$HOME/run1" || echo clean'
expect_output "warm: run 2 sees no process of run 1, and pids start fresh" "[1, 2]" \
        wrun a -- python3 -c 'import os; print(sorted(int(p) for p in os.listdir("/proc") if p.isdigit()))'
wrun a -- sh -c 'kill -0 -1 2>/dev/null && echo signalled || echo none' >"$TEST_TMPDIR/sig" 2>/dev/null
expect_eq "warm: run 2 cannot signal anything of run 1" none "$(cat "$TEST_TMPDIR/sig")"

# The program cannot reach the server's socket: not in its view, and no abstract name.
expect_output "warm: the server's socket is out of the sandbox's reach" "unreachable" \
        wrun a -- python3 -c "
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
try:
    s.connect(sys.argv[1]); print('reached')
except OSError:
    print('unreachable')" "$(sock_of "$RT")"

# The server killed mid-run: the client ends with an error, the sandbox with it.
AIRLOCK_RUNTIME_DIR=$RT "$AIRLOCK" run -- sleep 31.$$ >/dev/null 2>"$TEST_TMPDIR/killed.err" &
cpid=$!
sleep 1
kill -KILL "$server_pid"
t=0
while kill -0 "$cpid" 2>/dev/null && [ $t -lt 100 ]; do
        sleep 0.1
        t=$((t + 1))
done
if kill -0 "$cpid" 2>/dev/null; then
        fail "warm: server killed mid-run" "the client still waits after 10 s"
        kill -KILL "$cpid"
else
        wait "$cpid"
        rc=$?
        if [ "$rc" != 0 ] && grep -q "server went away" "$TEST_TMPDIR/killed.err"; then
                pass "warm: server killed mid-run: the client fails with an error ($rc)"
        else
                fail "warm: server killed mid-run" "status $rc: $(cat "$TEST_TMPDIR/killed.err")"
        fi
fi
expect_eq "warm: server killed mid-run: nothing of the sandbox is left" "" \
        "$(pgrep -f "sleep 31.$$" || true)"
wait "$server_pid" 2>/dev/null
expect_output "warm: a stale socket runs cold" "ok" wrun a -- echo ok

# The timeout runs from the hand-over: a sandbox built seconds ago still has all of it.
start_server t --timeout 2 || fail "warm: server with --timeout starts" "$(cat "$TEST_TMPDIR/t.log")"
sleep 3
expect_status "warm: --timeout runs from the hand-over" 0 wrun t --timeout 2 -- sleep 0.5
expect_status "warm: --timeout stops the program" 124 wrun t --timeout 2 -- sleep 10
# SIGTERM with one sandbox running a caller's program and one ready: both are ended and their
# cgroups removed (the supervisors of killed sandboxes cannot remove theirs).
wrun t -- sleep 32.$$ >/dev/null 2>&1 &
cpid=$!
sleep 1
slots=$(pgrep -P "$server_pid" | tr '\n' ' ')
cgroups_of() {
        for _p in $slots; do
                find /sys/fs/cgroup -maxdepth 3 -type d -name "airlock-$_p-*" 2>/dev/null
        done
}
made=$(cgroups_of | wc -l)
stop_server
wait "$cpid" 2>/dev/null
if [ "$made" -gt 0 ]; then
        expect_eq "warm: SIGTERM removes the cgroups of its sandboxes, ready and running" "" \
                "$(cgroups_of)"
elif is_root; then
        fail "warm: SIGTERM removes the cgroups of its sandboxes" \
                "no cgroup of slots '$slots' found while they ran"
else
        skip "warm: SIGTERM removes the cgroups of its sandboxes" "the user's sandboxes have no cgroup here"
fi
expect_eq "warm: SIGTERM removes the socket" "gone" \
        "$(test -n "$(sock_of "$TEST_TMPDIR/t")" && echo there || echo gone)"

# A sandbox unused for --max-age is rebuilt: its view of the host is never older than that.
start_server g --max-age 1 || fail "warm: server with --max-age starts" "$(cat "$TEST_TMPDIR/g.log")"
sleep 3
age='import os; t = int(open("/proc/1/stat").read().rsplit(")", 1)[1].split()[19]); print("fresh" if float(open("/proc/uptime").read().split()[0]) - t / os.sysconf("SC_CLK_TCK") < 1.6 else "old")'
expect_output "warm: --max-age: the sandbox handed over is younger than its max age" "fresh" \
        wrun g -- python3 -c "$age"
stop_server

# Planted folders and sockets are refused by the server and the client, naming the cause.
mkdir -p "$TEST_TMPDIR/l" "$TEST_TMPDIR/elsewhere" && chmod 700 "$TEST_TMPDIR/l"
ln -s "$TEST_TMPDIR/elsewhere" "$TEST_TMPDIR/l/airlock"
expect_grep "warm: the server refuses a folder planted as a symlink" \
        "refusing .*/l/airlock: it is a symbolic link" \
        timeout 10 env AIRLOCK_RUNTIME_DIR="$TEST_TMPDIR/l" "$AIRLOCK" warm
expect_grep "warm: the client refuses a folder planted as a symlink, and runs cold" \
        "refusing .*/l/airlock: it is a symbolic link" wrun l -- true
mkdir -p "$TEST_TMPDIR/m/airlock" && chmod 700 "$TEST_TMPDIR/m" && chmod 755 "$TEST_TMPDIR/m/airlock"
expect_grep "warm: a folder others can enter is refused" "refusing .*/m/airlock: its mode 0755" \
        timeout 10 env AIRLOCK_RUNTIME_DIR="$TEST_TMPDIR/m" "$AIRLOCK" warm
start_server s || fail "warm: server s starts" "$(cat "$TEST_TMPDIR/s.log")"
s_pid=$server_pid
mkdir -p "$TEST_TMPDIR/p/airlock" && chmod 700 "$TEST_TMPDIR/p" "$TEST_TMPDIR/p/airlock"
# planted under the name a caller of the default policy looks for (the server s's)
sname=$(basename "$(sock_of "$TEST_TMPDIR/s")")
ln -s "$TEST_TMPDIR/s/airlock/$sname" "$TEST_TMPDIR/p/airlock/$sname"
expect_grep "warm: the client refuses a socket planted as a symlink" \
        "refusing .*/p/airlock/warm-[0-9a-f]*.sock: it is a symbolic link" wrun p -- true
expect_grep "warm: the server refuses to replace a socket planted as a symlink" \
        "refusing .*/p/airlock/warm-[0-9a-f]*.sock: it is a symbolic link" \
        timeout 10 env AIRLOCK_RUNTIME_DIR="$TEST_TMPDIR/p" "$AIRLOCK" warm

# Another uid: the folder is refused by its owner, and a caller of another uid that reaches
# the socket anyway (the folder opened up here on purpose) gets nothing, not even a refusal.
if is_root; then
        chown 65534 "$TEST_TMPDIR/m/airlock" && chmod 700 "$TEST_TMPDIR/m/airlock"
        expect_grep "warm: a folder of another uid is refused" \
                "refusing .*/m/airlock: it belongs to uid 65534" \
                timeout 10 env AIRLOCK_RUNTIME_DIR="$TEST_TMPDIR/m" "$AIRLOCK" warm
        # a folder every uid can reach (the test's own may not be): the server's, opened up
        shared=$(mktemp -d /tmp/airlock-warm-test.XXXXXX)
        chmod 700 "$shared"
        start_server_at "$shared" || fail "warm: shared server starts" "$(cat "$shared.log")"
        chmod 755 "$shared" "$shared/airlock" && chmod 777 "$(sock_of "$shared")"
        expect_output "warm: a caller of another uid is not handed a sandbox" "closed" \
                setpriv --reuid=65534 --regid=65534 --clear-groups python3 -c "
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
s.connect(sys.argv[1])
s.settimeout(10)
try:
    s.send(b'warm' + bytes(12))
    got = s.recv(256)
except (BrokenPipeError, ConnectionResetError):
    got = b''
print('closed' if got == b'' else 'answered %r' % got[:8])" "$(sock_of "$shared")"
        expect_grep "warm: the server says it refused the other uid" "refused a caller of uid 65534" \
                cat "$shared.log"
        stop_server
        rm -rf "$shared" "$shared.log"
        # a server of another uid behind a socket of ours: the client checks its peer
        mkdir -p "$TEST_TMPDIR/o/airlock" && chmod 700 "$TEST_TMPDIR/o" "$TEST_TMPDIR/o/airlock"
        python3 -c "
import os, socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
s.bind(sys.argv[1])
os.setgid(65534); os.setuid(65534)
s.listen(4)
s.settimeout(20)
c, _ = s.accept()
time.sleep(2)" "$TEST_TMPDIR/o/airlock/$sname" &
        fake=$!
        wait_for 5 test -S "$TEST_TMPDIR/o/airlock/$sname"
        expect_grep "warm: the client refuses a server of another uid, and runs cold" \
                "refusing the warm server on .*: it runs as uid 65534" wrun o -- true
        kill "$fake" 2>/dev/null
        wait "$fake" 2>/dev/null
fi
server_pid=$s_pid
stop_server
