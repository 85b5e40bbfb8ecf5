#!/bin/sh
# A long scan on a terminal says how far it is (issue 17: 17): one line on stderr, rewritten
# in place after the first second and erased before the results; nothing when stderr is not a
# terminal. The scan is made long on purpose with the test builds' worker fault switch (a
# parser that hangs until the 2 s deadline), and the terminal is a real pty the test makes itself
# (python's pty), so that what the caller's stdin and stdout are changes nothing: script(1)
# used the caller's stdin, and with it closed lost the program's output.
. "$AIRLOCK_SRC/tests/lib.sh"

w=$TEST_TMPDIR
printf 'slow\n' >"$w/a.txt"

# on_pty LOG CMD...: CMD with stdin, stdout and stderr on a new pty (its controlling terminal,
# in a session of its own); everything it wrote there goes to LOG.
on_pty() {
        python3 - "$@" <<'PY'
import fcntl, os, pty, subprocess, sys, termios
log, cmd = sys.argv[1], sys.argv[2:]
master, slave = pty.openpty()
child = subprocess.Popen(cmd, stdin=slave, stdout=slave, stderr=slave, start_new_session=True,
                         preexec_fn=lambda: fcntl.ioctl(0, termios.TIOCSCTTY, 0))
os.close(slave)
with open(log, "wb") as out:
    while True:
        try:
            data = os.read(master, 4096)
        except OSError:  # EIO: every holder of the slave side has closed it
            break
        if not data:
            break
        out.write(data)
sys.exit(child.wait())
PY
}

AIRLOCK_TEST_WORKER_FAULT=hang on_pty "$w/typescript" "$AIRLOCK" analyze --timeout 2 "$w/a.txt"
lines=$(tr '\r' '\n' <"$w/typescript")
case $lines in
*"analyze: 0 files scanned"*) pass "progress-on-a-terminal" ;;
*) fail "progress-on-a-terminal" "$(printf %s "$lines" | head -c 400)" ;;
esac
# the line is erased before the result is printed: the result line stands alone
case $(printf '%s\n' "$lines" | grep -a 'unscannable.*a\.txt' | head -n 1) in
*"files scanned"*) fail "progress-erased-before-results" "$(printf %s "$lines" | head -c 400)" ;;
*"$(printf '\033[K')unscannable"*) pass "progress-erased-before-results" ;;
*) fail "progress-erased-before-results" "no result line: $(printf %s "$lines" | head -c 400)" ;;
esac

AIRLOCK_TEST_WORKER_FAULT=hang "$AIRLOCK" analyze --timeout 2 "$w/a.txt" >"$w/out" 2>"$w/err"
expect_eq "no-progress-off-a-terminal" "" "$(grep -c 'files scanned' "$w/err" | grep -v '^0$')"
