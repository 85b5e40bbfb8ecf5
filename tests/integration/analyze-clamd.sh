#!/bin/sh
# analyze --clamd: each file is streamed to Debian's clamd (INSTREAM) started here on a unix
# socket in the test's folder and on a loopback port, with a one-line signature database that
# this test writes (Debian ships no signatures). clamd is stopped by its pid.
. "$AIRLOCK_SRC/tests/lib.sh"

. "$AIRLOCK_SRC/tests/helpers/clamd-lib.sh"

t=$TEST_TMPDIR
marker="airlock-clamd-test-marker-$$"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
clamd_start "$t" Airlock.Test.Marker "$marker" "$port" || exit 0
clamd_wait "$t" || exit 0

printf 'hello, this file carries %s inside\n' "$marker" >"$t/marked.txt"
echo "an ordinary note" >"$t/clean.txt"
expect_grep "clamd-unix-finds-signature" 'clamav\.Airlock\.Test\.Marker' "$AIRLOCK" analyze --clamd "unix:$t/clamd.sock" "$t/marked.txt"
expect_status "clamd-unix-malicious-exit-1" 1 "$AIRLOCK" analyze --clamd "unix:$t/clamd.sock" "$t/marked.txt"
expect_status "clamd-unix-clean-exit-0" 0 "$AIRLOCK" analyze --clamd "unix:$t/clamd.sock" "$t/clean.txt"
expect_grep "clamd-tcp-finds-signature" '"source":"clamav"' "$AIRLOCK" analyze --json --clamd "tcp:127.0.0.1:$port" "$t/marked.txt"
# a large file goes in several INSTREAM chunks; the marker at the end is still seen
python3 -c 'import sys; open(sys.argv[1], "w").write("x" * 300000 + sys.argv[2])' "$t/big.txt" "$marker"
expect_grep "clamd-multi-chunk" 'clamav\.Airlock\.Test\.Marker' "$AIRLOCK" analyze --clamd "unix:$t/clamd.sock" "$t/big.txt"
# clamd gone: never clean, an error (analyze-clamd-outage.sh has the rest)
expect_status "clamd-unreachable-exit-2" 2 "$AIRLOCK" analyze --clamd "unix:$t/no-such.sock" "$t/clean.txt"
expect_status "clamd-bad-address-exit-2" 2 "$AIRLOCK" analyze --clamd "http://x" "$t/clean.txt"
kill $clamd_pid
wait $clamd_pid 2>/dev/null
trap - EXIT
