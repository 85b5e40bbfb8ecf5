#!/bin/sh
# The command-line habits of issue 17 (point 17): --version in every subcommand;
# sub-subcommands show help for --help instead of taking it as an argument; a usage error
# exits 2 in every command but run (125, which stands apart from the program's own statuses);
# every message reads "airlock SUBCOMMAND: ..." (the milter's too); colour follows NO_COLOR
# and is off when standard output is not a terminal.
. "$AIRLOCK_SRC/tests/lib.sh"

t=$TEST_TMPDIR
version=$("$AIRLOCK" --version)
for c in run analyze mail "mail scan" milter watch open quarantine "quarantine list" inspect \
        profile "profile lint" "profile show" "profile list" "profile syscalls" "profile export"; do
        # shellcheck disable=SC2086 # $c is a command and its verb
        expect_output "version/$c" "$version" "$AIRLOCK" $c --version
done

for c in "profile lint" "profile show" "profile list" "profile syscalls" "profile export" \
        "quarantine list" "quarantine show" "mail scan"; do
        # shellcheck disable=SC2086
        "$AIRLOCK" $c --help >"$t/out" 2>"$t/err"
        rc=$?
        if [ $rc = 0 ] && grep -qi '^usage' "$t/out" && [ ! -s "$t/err" ]; then
                pass "help/$c"
        else
                fail "help/$c" "status $rc; $(head -c 200 "$t/out") $(head -c 200 "$t/err")"
        fi
done

# usage errors: 2, with the command in the prefix
for c in analyze mail "mail scan" milter watch open quarantine "quarantine list" inspect \
        profile "profile lint" "profile show" "profile list" "profile syscalls" "profile export"; do
        # shellcheck disable=SC2086
        "$AIRLOCK" $c --no-such-option </dev/null >"$t/out" 2>"$t/err"
        expect_eq "usage-status/$c" 2 $?
        first=${c%% *}
        if grep -q "^airlock $first[ :]" "$t/err" && ! grep -q "^airlock: \|^$first: " "$t/err"; then
                pass "usage-prefix/$c"
        else
                fail "usage-prefix/$c" "$(head -c 300 "$t/err")"
        fi
done
expect_status "usage-status/inspect-not-a-pid" 2 "$AIRLOCK" inspect not-a-pid
expect_status "usage-status/run" 125 "$AIRLOCK" run --no-such-option -- /bin/true
expect_grep "usage-prefix/run" "^airlock run: unrecognized option" "$AIRLOCK" run --no-such-option -- /bin/true
expect_status "usage-status/no-command" 2 "$AIRLOCK" no-such-command
# the documentation says so
grep -q 'usage error' "$AIRLOCK_SRC/docs/man/airlock.1" && pass "usage-status-documented" ||
        fail "usage-status-documented" "airlock(1) does not say how usage errors exit"

# the milter's messages have the same prefix
"$AIRLOCK" milter --socket "unix:$t/m.sock" --config /nonexistent/milter.conf >"$t/out" 2>"$t/err"
if grep -q '^airlock milter: ' "$t/err" && ! grep -q '^airlock-milter: ' "$t/err"; then
        pass "milter-prefix"
else
        fail "milter-prefix" "$(head -c 300 "$t/err")"
fi

# colour: inspect colours its marks on a terminal only, and never with NO_COLOR set
"$AIRLOCK" run -- sleep 30 &
pid=$!
if wait_for 10 sh -c "\"$AIRLOCK\" inspect | grep -q ."; then :; fi
tty_inspect() { # the output of inspect on a pseudo-terminal, with env $1
        env $1 python3 -c 'import os, pty, sys
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[1], [sys.argv[1], "inspect", sys.argv[2]])
out = b""
while True:
    try:
        b = os.read(fd, 65536)
    except OSError:
        break
    if not b:
        break
    out += b
os.waitpid(pid, 0)
sys.stdout.write(out.decode(errors="replace"))' "$AIRLOCK" "$pid"
}
esc=$(printf '\033')
if tty_inspect "TERM=xterm" | grep -q "$esc\["; then pass "color-on-a-terminal"; else fail "color-on-a-terminal" "no escape sequence on a pty"; fi
if tty_inspect "NO_COLOR=1" | grep -q "$esc\["; then fail "no-color-honoured" "escape sequences with NO_COLOR=1"; else pass "no-color-honoured"; fi
if "$AIRLOCK" inspect "$pid" | grep -q "$esc\["; then fail "no-color-on-a-pipe" "escape sequences on a pipe"; else pass "no-color-on-a-pipe"; fi
kill $pid 2>/dev/null
wait $pid 2>/dev/null
exit 0
