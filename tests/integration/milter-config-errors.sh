#!/bin/sh
# The milter refuses what it cannot honour at start-up, with the reason (issue 17, point 10):
# a socket spec with a port out of range or without a known prefix (libmilter would listen
# on another port, or make a socket file ./bogus), a socket it cannot listen on (the cause
# named), a report folder it cannot write, a policy file with NUL bytes or a key given twice;
# every policy error names the file, the line and the key.
. "$AIRLOCK_SRC/tests/lib.sh"

t=$TEST_TMPDIR
cd "$t" || exit 1
milter() { timeout 20 "$AIRLOCK" milter --user nobody "$@" >"$t/out" 2>"$t/err"; }

milter --socket "inet:99999@127.0.0.1"
expect_eq "port-out-of-range-refused" 2 $?
expect_grep "port-out-of-range-reason" "^airlock milter: invalid value 'inet:99999@127.0.0.1' for --socket: expected a port from 1 to 65535" cat "$t/err"

milter --socket bogus
expect_eq "bogus-spec-refused" 2 $?
[ ! -e "$t/bogus" ] && pass "bogus-spec-makes-no-file" || fail "bogus-spec-makes-no-file" "$(ls -l "$t/bogus")"
expect_grep "bogus-spec-reason" "for --socket: expected inet:PORT@HOST, inet6:PORT@HOST or unix:/PATH" cat "$t/err"

# a port in use: "cannot listen on SPEC: <strerror>"
python3 -c 'import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen()
open(sys.argv[1], "w").write(str(s.getsockname()[1])); time.sleep(60)' "$t/port" &
holder=$!
wait_for 10 test -s "$t/port"
port=$(cat "$t/port")
milter --socket "inet:$port@127.0.0.1"
expect_eq "port-in-use-exit-1" 1 $?
expect_grep "port-in-use-reason" "^airlock milter: cannot listen on inet:$port@127.0.0.1: Address already in use" cat "$t/err"
kill $holder
wait $holder 2>/dev/null

# a report folder the milter cannot write (as root: one that user nobody cannot reach)
mkdir -p "$t/locked/reports"
chmod 555 "$t/locked/reports"
chmod 700 "$t/locked"
milter --socket "unix:$t/m1.sock" --report-dir "$t/locked/reports"
expect_eq "unwritable-report-dir-refused" 1 $?
expect_grep "unwritable-report-dir-reason" "^airlock milter: report-dir $t/locked/reports: not writable.*Permission denied" cat "$t/err"
chmod 755 "$t/locked" "$t/locked/reports"

# policy files
printf 'malicious = reject\nclean = ac\000cept\n' >"$t/nul.conf"
milter --socket "unix:$t/m2.sock" --config "$t/nul.conf"
expect_eq "nul-byte-refused" 1 $?
expect_grep "nul-byte-reason" "nul.conf:2: a NUL byte" cat "$t/err"

printf 'malicious = reject\n# later\nmalicious = accept\n' >"$t/dup.conf"
milter --socket "unix:$t/m3.sock" --config "$t/dup.conf"
expect_eq "duplicate-key-refused" 1 $?
expect_grep "duplicate-key-names-key-and-lines" "dup.conf:3: malicious: duplicate key \(first set on line 1\)" cat "$t/err"
printf 'From: a@example.org\nTo: b@example.org\nSubject: hi\n\nhello\n' >"$t/clean.eml"
# rules may repeat: it adds folders
mkdir -p "$t/r1" "$t/r2"
printf 'rules = %s\nrules = %s\n' "$t/r1" "$t/r2" >"$t/rules.conf"
expect_status "repeated-rules-accepted" 0 "$AIRLOCK" mail scan --config "$t/rules.conf" "$t/clean.eml"

printf 'scan-timeout = soon\n' >"$t/bad.conf"
milter --socket "unix:$t/m4.sock" --config "$t/bad.conf"
expect_grep "bad-value-names-key" "bad.conf:1: scan-timeout: invalid value 'soon'" cat "$t/err"
printf 'max-concurency = 4\n' >"$t/unknown.conf"
milter --socket "unix:$t/m5.sock" --config "$t/unknown.conf"
expect_grep "unknown-key-named" "unknown.conf:1: max-concurency: unknown key" cat "$t/err"
printf 'malicious reject\n' >"$t/noeq.conf"
milter --socket "unix:$t/m6.sock" --config "$t/noeq.conf"
expect_grep "no-equals-line-named" "noeq.conf:1: expected KEY = VALUE" cat "$t/err"
# mail scan reads the same file the same way
expect_status "mail-scan-duplicate-key-refused" 2 "$AIRLOCK" mail scan --config "$t/dup.conf" "$t/clean.eml"
exit 0
