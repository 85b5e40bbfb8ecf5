#!/bin/sh
# analyze --clamd: each file is streamed to Debian's clamd (INSTREAM) started here on a unix
# socket in the test's folder and on a loopback port, with a one-line signature database that
# this test writes (Debian ships no signatures). clamd is stopped by its pid.
. "$AIRLOCK_SRC/tests/lib.sh"

clamd=$(command -v clamd || echo /usr/sbin/clamd)
if [ ! -x "$clamd" ]; then
        fail "clamd" "clamd is missing: install clamav-daemon (scripts/deps.sh)"
        exit 0
fi
t=$TEST_TMPDIR
mkdir -p "$t/db"
marker="airlock-clamd-test-marker-$$"
hex=$(printf '%s' "$marker" | od -An -tx1 | tr -d ' \n')
echo "Airlock.Test.Marker:0:*:$hex" >"$t/db/airlock.ndb"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat >"$t/clamd.conf" <<CONF
LocalSocket $t/clamd.sock
TCPSocket $port
TCPAddr 127.0.0.1
DatabaseDirectory $t/db
Foreground yes
LogFile $t/clamd.log
Bytecode no
MaxThreads 2
CONF
if [ "$(id -u)" = 0 ]; then
        echo "User root" >>"$t/clamd.conf"
fi
"$clamd" -c "$t/clamd.conf" >"$t/clamd.out" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null' EXIT
i=0
while [ ! -S "$t/clamd.sock" ] && [ $i -lt 300 ] && kill -0 $pid 2>/dev/null; do
        sleep 0.2
        i=$((i + 1))
done
if [ ! -S "$t/clamd.sock" ]; then
        fail "clamd-started" "no socket after 60 s: $(tail -5 "$t/clamd.log" "$t/clamd.out" 2>/dev/null)"
        exit 0
fi
pass "clamd-started"

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
kill $pid
wait $pid 2>/dev/null
trap - EXIT
