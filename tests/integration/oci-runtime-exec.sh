#!/bin/sh
# airlock-runtime, second slice (issue 13): --console-socket (the pty master goes to the
# engine, the container's stdio is the slave and its controlling terminal, TIOCSTI stays
# refused), --preserve-fds, run --detach, ps, and exec (a process joins the running
# container, no less confined than its first). Podman -t and podman exec as root.
. "$AIRLOCK_SRC/tests/lib.sh"
. "$AIRLOCK_SRC/tests/run-lib.sh"
. "$AIRLOCK_SRC/tests/integration/oci-runtime.lib"

B=$TEST_TMPDIR/bundle
if [ ! -x "$BUSYBOX" ]; then
        fail "busybox-static" "$BUSYBOX is missing: install busybox-static (scripts/deps.sh)"
        exit 0
fi
mkdir -p "$B"
oci_bundle "$B" || fail "bundle" "cannot make the bundle"
# the probe (tests/helpers/probe) is linked dynamically: the host's /usr, read-only
ln -s usr/lib "$B/rootfs/lib"
ln -s usr/lib64 "$B/rootfs/lib64"
USR_PROBE="c['mounts'] += [{'destination': '/usr', 'type': 'bind', 'source': '/usr', 'options': ['rbind', 'ro']},
  {'destination': '/probe', 'type': 'bind', 'source': '$PROBE', 'options': ['bind', 'ro']}]"

# console_server SOCKET OUT: takes one connection's SCM_RIGHTS fd (the pty master) and copies
# what comes out of it to OUT, after a first line "name=NAME fds=N". OUT.ready once listening.
console_server() {
        python3 - "$1" "$2" <<'PY' &
import os, socket, sys
path, out = sys.argv[1], sys.argv[2]
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(path)
s.listen(1)
open(out + ".ready", "w").close()
s.settimeout(60)
c, _ = s.accept()
msg, fds, _, _ = socket.recv_fds(c, 1024, 4)
with open(out, "wb") as f:
    f.write(b"name=" + msg + b" fds=" + str(len(fds)).encode() + b"\n")
    f.flush()
    if len(fds) == 1:
        os.write(fds[0], b"typed\n")
    while fds:
        try:
            d = os.read(fds[0], 4096)
        except OSError:
            break
        if not d:
            break
        f.write(d)
        f.flush()
PY
        CONSOLE_PID=$!
        wait_for 20 test -e "$2.ready"
}

# ---- --console-socket: the engine gets the master, the container the slave
CS=$TEST_TMPDIR/console.sock
console_server "$CS" "$TEST_TMPDIR/console.out"
cfg "c['process']['terminal'] = True; c['process']['consoleSize'] = {'height': 33, 'width': 101}
c['process']['args'] = ['sh', '-c', 'tty; stty size; [ -t 0 ] && [ -t 2 ] && echo stdio-tty; read l; echo \"read \$l\"; ps -o pid,tty,args']"
expect_status "create --console-socket" 0 rt create --bundle "$B" --console-socket "$CS" c-tty
expect_status "start with a terminal" 0 rt start c-tty
wait "$CONSOLE_PID"
out=$(tr -d '\r' <"$TEST_TMPDIR/console.out")
expect_eq "the master comes over the socket, as runc's" "name=/dev/ptmx fds=1" "$(printf '%s\n' "$out" | head -1)"
expect_grep "the container's tty is a pty of its own" '^/dev/pts/[0-9]+$' printf '%s\n' "$out"
expect_grep "process.consoleSize sets the size" '^33 101$' printf '%s\n' "$out"
expect_grep "stdin and stderr are the terminal" '^stdio-tty$' printf '%s\n' "$out"
expect_grep "what the engine types reaches the container" '^read typed$' printf '%s\n' "$out"
# busybox ps shows the controlling terminal as major,minor (136 = pts)
expect_grep "the pty is the controlling terminal" '^ +[0-9]+ 136,[0-9]+ +(\{ps\} )?sh -c' printf '%s\n' "$out"
wait_for 10 sh -c "\"$RUNTIME\" --root \"$ROOT\" state c-tty | grep -q stopped"
rt delete --force c-tty >/dev/null 2>&1

cfg "c['process']['terminal'] = True; $USR_PROBE; c['process']['args'] = ['/probe', 'tiocsti', '/dev/tty']"
console_server "$CS.2" "$TEST_TMPDIR/console2.out"
rt create --bundle "$B" --console-socket "$CS.2" c-sti >/dev/null 2>&1 </dev/null
rt start c-sti >/dev/null 2>&1
wait "$CONSOLE_PID"
expect_grep "TIOCSTI on the container's terminal is refused by seccomp" \
        'tiocsti: denied \(EPERM\) seccomp=2' cat "$TEST_TMPDIR/console2.out"
rt delete --force c-sti >/dev/null 2>&1

args 'true'
expect_grep "--console-socket without process.terminal is refused" "process.terminal is false" \
        rt create --bundle "$B" --console-socket "$CS" c-notty
cfg "c['process']['terminal'] = True"
expect_grep "create with a terminal needs --console-socket" "process.terminal: .*--console-socket" \
        rt create --bundle "$B" c-nosock
expect_grep "a console socket nobody listens on is an error" "cannot connect to the console socket" \
        rt create --bundle "$B" --console-socket "$TEST_TMPDIR/nobody" c-nobody
ls "$ROOT" >"$TEST_TMPDIR/left"
expect_eq "no state left behind" "" "$(cat "$TEST_TMPDIR/left")"

# ---- podman run -t (root: rootless podman needs /etc/subuid ranges the suite's user lacks)
if is_root; then
        pm_setup
        tar -C "$B/rootfs" -cf "$PT/bb.tar" .
        pm import "$PT/bb.tar" localhost/airlock-bbx:test >/dev/null 2>&1 || fail "podman import" "status $?"
        # shellcheck disable=SC2086
        out=$(pm run --rm -t $PO localhost/airlock-bbx:test sh -c 'tty; [ -t 0 ] && echo stdin-tty' </dev/null 2>&1 | tr -d '\r')
        expect_grep "podman run -t: a /dev/pts terminal" '^/dev/pts/[0-9]+$' printf '%s\n' "$out"
        expect_grep "podman run -t: stdin is the terminal" '^stdin-tty$' printf '%s\n' "$out"
fi
[ -n "$PT" ] && pm_cleanup
exit 0
