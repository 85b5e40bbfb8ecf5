#!/bin/sh
# analyze --clamd with clamd unreachable (issue 17, point 2): a scanner outage is an error
# (exit 2, a message naming the socket and the cause), never a verdict on the files, and
# --quarantine moves nothing, as clamdscan. No clamd is needed: the sockets here have no
# listener (one missing, one left by a process that closed it).
. "$AIRLOCK_SRC/tests/lib.sh"

t=$TEST_TMPDIR
echo "an ordinary note" >"$t/clean.txt"
mkdir "$t/tree"
echo "another note" >"$t/tree/a.txt"

# a missing socket
"$AIRLOCK" analyze --clamd "unix:$t/no-such.sock" --quarantine "$t/q" "$t/clean.txt" "$t/tree" \
        >"$t/out" 2>"$t/err"
expect_eq "clamd-missing-exit-2" 2 $?
expect_grep "clamd-missing-names-socket-and-cause" "airlock analyze: .*unix:$t/no-such.sock.*No such file or directory" cat "$t/err"
[ -f "$t/clean.txt" ] && [ -f "$t/tree/a.txt" ] && pass "clamd-missing-nothing-moved" ||
        fail "clamd-missing-nothing-moved" "a clean file left its place: $(ls -R "$t")"
if grep -q '^unscannable' "$t/out"; then
        fail "clamd-missing-no-verdict" "$(cat "$t/out")"
else
        pass "clamd-missing-no-verdict"
fi

# a socket file nobody listens on: connection refused
python3 -c 'import socket, sys; s = socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); s.close()' "$t/stale.sock"
"$AIRLOCK" analyze --clamd "unix:$t/stale.sock" --quarantine "$t/q2" "$t/clean.txt" >"$t/out" 2>"$t/err"
expect_eq "clamd-refused-exit-2" 2 $?
expect_grep "clamd-refused-names-cause" "unix:$t/stale.sock.*Connection refused" cat "$t/err"
[ -f "$t/clean.txt" ] && pass "clamd-refused-nothing-moved" || fail "clamd-refused-nothing-moved" "clean.txt is gone"

# TCP: a loopback port nobody listens on
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$AIRLOCK" analyze --clamd "tcp:127.0.0.1:$port" --quarantine "$t/q3" "$t/clean.txt" >"$t/out" 2>"$t/err"
expect_eq "clamd-tcp-refused-exit-2" 2 $?
[ -f "$t/clean.txt" ] && pass "clamd-tcp-refused-nothing-moved" || fail "clamd-tcp-refused-nothing-moved" "clean.txt is gone"
# clamd answers PING, then fails on every file (an outage during the scan): the files are
# unscannable, none is moved, the status is 2 and the message says why
cat >"$t/halfclamd.py" <<'PY'
import os, socket, sys
s = socket.socket(socket.AF_UNIX)
s.bind(sys.argv[1])
s.listen(8)
open(sys.argv[2], "w").write(str(os.getpid()))
while True:
    c, _ = s.accept()
    cmd = c.recv(16)
    if cmd.startswith(b"zPING"):
        c.sendall(b"PONG\0")
    c.close()
PY
python3 "$t/halfclamd.py" "$t/half.sock" "$t/half.pid" &
half=$!
wait_for 10 test -S "$t/half.sock"
"$AIRLOCK" analyze --clamd "unix:$t/half.sock" --quarantine "$t/q4" "$t/clean.txt" "$t/tree" \
        >"$t/out" 2>"$t/err"
expect_eq "clamd-outage-mid-scan-exit-2" 2 $?
[ -f "$t/clean.txt" ] && [ -f "$t/tree/a.txt" ] && pass "clamd-outage-mid-scan-nothing-moved" ||
        fail "clamd-outage-mid-scan-nothing-moved" "$(ls -R "$t")"
expect_grep "clamd-outage-mid-scan-message" "^airlock analyze: clamd at unix:$t/half.sock failed" cat "$t/err"
kill $half
wait $half 2>/dev/null
exit 0
