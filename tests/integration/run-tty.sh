#!/bin/sh
# A program under a terminal: an interactive shell in the sandbox through a real pty gets its
# own terminal (job control works, /dev/tty opens) and its exit status comes back.
. "$AIRLOCK_SRC/tests/lib.sh"
. "$AIRLOCK_SRC/tests/run-lib.sh"

"$PY" - "$AIRLOCK" >"$TEST_TMPDIR/tty.out" 2>&1 <<'PY'
import os, pty, sys, select, time
airlock = sys.argv[1]
pid, fd = pty.fork()
if pid == 0:
    os.execv(airlock, [airlock, "run", "--", "/bin/sh", "-i"])
def read_until(token, timeout=10):
    out = b""
    end = time.time() + timeout
    while time.time() < end and token not in out:
        r, _, _ = select.select([fd], [], [], 0.2)
        if fd in r:
            try:
                data = os.read(fd, 4096)
            except OSError:
                break
            if not data:
                break
            out += data
    return out
out = read_until(b"$ ")
os.write(fd, b"echo result=$((6*7)); tty; test -t 0 && echo stdin-is-$((1+1))tty; echo x > /dev/tty && echo devtty-$((2+2))ok\n")
out += read_until(b"devtty-4ok")
os.write(fd, b"exit 7\n")
out += read_until(b"nothing", 3)
_, status = os.waitpid(pid, 0)
sys.stdout.write(out.decode(errors="replace").replace("\r", ""))
print("\nSTATUS=%d" % os.waitstatus_to_exitcode(status))
PY
out=$(cat "$TEST_TMPDIR/tty.out")
case "$out" in *"result=42"*) pass "interactive shell runs commands" ;;
*) fail "interactive shell runs commands" "$out" ;; esac
case "$out" in *"/dev/pts/"*) pass "the shell has its own terminal" ;;
*) fail "the shell has its own terminal" "$out" ;; esac
# (the numbers are computed: the terminal's echo of the typed line does not match)
case "$out" in *stdin-is-2tty*devtty-4ok*) pass "stdin is a terminal and /dev/tty opens" ;;
*) fail "stdin is a terminal and /dev/tty opens" "$out" ;; esac
case "$out" in *"STATUS=7"*) pass "exit status through the pty" ;;
*) fail "exit status through the pty" "$out" ;; esac
