#!/bin/sh
# Exit statuses of airlock run (the program's own, 128+N, 124, 126, 127), signals sent to
# airlock reaching the program, and --timeout ending the whole tree.
. "$AIRLOCK_SRC/tests/lib.sh"
. "$AIRLOCK_SRC/tests/run-lib.sh"

# count_token TOKEN: processes whose command line holds TOKEN (without a grep of our own that
# would hold it too).
count_token() {
        _n=0
        for _f in /proc/[0-9]*/cmdline; do
                case "$( (tr '\0' ' ' <"$_f") 2>/dev/null)" in *"$1"*) _n=$((_n + 1)) ;; esac
        done
        echo "$_n"
}
no_token() { [ "$(count_token "$1")" = 0 ]; }

expect_status "exit 0" 0 "$AIRLOCK" run -- /bin/true
expect_status "exit 3 passes through" 3 "$AIRLOCK" run -- /bin/sh -c 'exit 3'
expect_status "exit 255 passes through" 255 "$AIRLOCK" run -- /bin/sh -c 'exit 255'
expect_status "killed by SIGTERM is 143" 143 "$AIRLOCK" run -- /bin/sh -c 'kill -TERM $$'
expect_status "killed by SIGKILL is 137" 137 "$AIRLOCK" run -- /bin/sh -c 'kill -KILL $$'
expect_status "command not found is 127" 127 "$AIRLOCK" run -- no-such-command-airlock
printf 'plain text\n' >"$TEST_TMPDIR/notexec"
chmod 644 "$TEST_TMPDIR/notexec"
expect_status "not executable is 126" 126 "$AIRLOCK" run --ro-bind "$TEST_TMPDIR/notexec" /notexec -- /notexec
expect_grep "not found names the command" "cannot run no-such-command-airlock" \
        "$AIRLOCK" run -- no-such-command-airlock

# A signal sent to airlock reaches the program, which may handle it.
"$AIRLOCK" run -- /bin/sh -c 'trap "exit 42" TERM; echo ready; while :; do sleep 0.1; done' \
        >"$TEST_TMPDIR/sig.out" 2>&1 &
apid=$!
for _ in $(seq 50); do grep -q ready "$TEST_TMPDIR/sig.out" 2>/dev/null && break; sleep 0.1; done
kill -TERM "$apid"
wait "$apid"
expect_status "SIGTERM to airlock reaches the program's handler" 42 sh -c "exit $?"

# --timeout kills everything, including a daemonised grandchild in its own session.
token=airlock-run-exit-$$
t0=$(date +%s)
"$AIRLOCK" run --timeout 1 -- /bin/sh -c "setsid /bin/sh -c 'sleep 300; : $token' & sleep 300; : $token" &
apid=$!
wait "$apid"
rc=$?
t1=$(date +%s)
expect_status "--timeout gives 124" 124 sh -c "exit $rc"
if [ $((t1 - t0)) -le 3 ]; then pass "--timeout returns on time"
else fail "--timeout returns on time" "took $((t1 - t0)) s"; fi
# (the kernel may take a moment to tear the namespace down; a process that survives it does
# not go away by waiting)
wait_for 5 no_token "$token"
left=$(count_token "$token")
if [ "$left" = 0 ]; then pass "--timeout leaves no process behind"
else fail "--timeout leaves no process behind" "$left processes with $token"; fi

# airlock killed: the sandbox dies with it.
token=airlock-run-parent-$$
"$AIRLOCK" run -- /bin/sh -c "echo ready; sleep 300; : $token" >"$TEST_TMPDIR/parent.out" 2>&1 &
apid=$!
# Killed once the program runs (a fixed delay could kill airlock before the sandbox exists,
# and then the check would check nothing).
if wait_for 20 grep -q ready "$TEST_TMPDIR/parent.out"; then
        kill -KILL "$apid"
        wait "$apid" 2>/dev/null
        wait_for 5 no_token "$token"
        left=$(count_token "$token")
        if [ "$left" = 0 ]; then pass "the sandbox dies with airlock"
        else fail "the sandbox dies with airlock" "$left processes with $token"; fi
else
        kill -KILL "$apid"
        wait "$apid" 2>/dev/null
        fail "the sandbox dies with airlock" "the program did not start within 20 s"
fi

# A limit that ends the program, or refuses it something, is named on stderr: the status
# alone does not say which limit it was.
expect_says() { # NAME STATUS REGEX ARGS...
        _n=$1 _st=$2 _re=$3
        shift 3
        "$AIRLOCK" run "$@" >/dev/null 2>"$TEST_TMPDIR/says.err"
        _rc=$?
        if [ "$_rc" = "$_st" ] && grep -Eq -- "$_re" "$TEST_TMPDIR/says.err"; then
                pass "$_n"
        else
                fail "$_n" "status $_rc (expected $_st), stderr: $(head -c 300 "$TEST_TMPDIR/says.err")"
        fi
}
expect_says "a timeout is named on stderr" 124 "stopped: its --timeout of 0.5 s ran out" \
        --timeout 0.5 -- /bin/sleep 30
expect_says "a seccomp kill is named on stderr" 159 "killed by SIGSYS: .*seccomp filter" \
        --seccomp-kill mount -- /usr/bin/python3 -c \
        'import ctypes; ctypes.CDLL(None).syscall(165, 0, 0, 0, 0, 0)'
if is_root; then # the pids cgroup counts refused forks; rlimits (a user's run) do not
        expect_says "refused forks are counted on stderr" 2 "task limit \(3, --pids\) refused [0-9]+ fork" \
                --pids 3 -- /bin/sh -c 'sleep 1 & sleep 1 & sleep 1 & sleep 1 & wait'
fi
"$AIRLOCK" run -- /bin/sh -c 'exit 3' 2>"$TEST_TMPDIR/plain.err"
if [ ! -s "$TEST_TMPDIR/plain.err" ]; then pass "a program's own exit says nothing more"
else fail "a program's own exit says nothing more" "$(head -c 200 "$TEST_TMPDIR/plain.err")"; fi
