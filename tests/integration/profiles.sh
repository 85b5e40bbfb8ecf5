#!/bin/sh
# The shipped profile library, each with the real program it is made for, and the profile
# commands (list with origins and overrides, show round trip, lint, syscalls).
. "$AIRLOCK_SRC/tests/lib.sh"

PY=/usr/bin/python3
export HOME=$TEST_TMPDIR/home XDG_DATA_HOME=$TEST_TMPDIR/data
mkdir -p "$HOME/Downloads" "$XDG_DATA_HOME"
# Started as root, the program runs as uid 65534: let it write the folders a profile grants.
is_root && chmod 777 "$HOME/Downloads"
run() { "$AIRLOCK" run "$@"; }

# ---- airlock profile list / show / lint / syscalls ----
expect_grep "list: default is shipped" '^default +shipped +/' "$AIRLOCK" profile list
n=$("$AIRLOCK" profile list | grep -c ' shipped ')
[ "$n" -ge 11 ] && pass "list: $n shipped profiles" || fail "list: shipped profiles" "only $n"
mkdir -p "$HOME/.config/airlock/profiles"
# A user's profile of the same name comes first and may extend the shipped one.
printf 'airlock-profile 1\ninclude default\nhostname mine\n' \
        >"$HOME/.config/airlock/profiles/default.profile"
expect_grep "list: a user's profile comes first" "^default +user +$HOME/.config" \
        "$AIRLOCK" profile list
expect_grep "list: the shipped one is shadowed" '^default +shipped .*shadowed' "$AIRLOCK" profile list
expect_output "user's default extends the shipped one" mine run -- /bin/hostname
expect_grep "...and keeps its settings" '^pids 1024$' "$AIRLOCK" profile show default
rm "$HOME/.config/airlock/profiles/default.profile"
expect_output "without it the shipped default applies" airlock run -- /bin/hostname

for p in default strict untrusted shell python archive pdf office curl chromium firefox; do
        if ! "$AIRLOCK" profile show "$p" >"$TEST_TMPDIR/$p.shown" 2>"$TEST_TMPDIR/err"; then
                fail "show $p" "$(cat "$TEST_TMPDIR/err")"
                continue
        fi
        "$AIRLOCK" profile show "$TEST_TMPDIR/$p.shown" >"$TEST_TMPDIR/$p.again" 2>"$TEST_TMPDIR/err"
        grep -v '^#' "$TEST_TMPDIR/$p.shown" >"$TEST_TMPDIR/a"
        grep -v '^#' "$TEST_TMPDIR/$p.again" >"$TEST_TMPDIR/b"
        if cmp -s "$TEST_TMPDIR/a" "$TEST_TMPDIR/b" && [ -s "$TEST_TMPDIR/a" ]; then
                pass "show $p round-trips"
        else
                fail "show $p round-trips" "$(diff "$TEST_TMPDIR/a" "$TEST_TMPDIR/b" | head -c 600)"
        fi
done
[ ! -e "$XDG_DATA_HOME/airlock/apps/chromium" ] && pass "show makes no folders (persist)" ||
        fail "show makes no folders" "$XDG_DATA_HOME/airlock/apps/chromium exists"
# The shown policy is the one enforced: running from it gives the same sandbox.
expect_output "shown strict enforces the same" /tmp \
        run -p "$TEST_TMPDIR/strict.shown" -- /bin/sh -c 'echo $HOME'
# Flags win over the profile, and undo directives work as flags.
expect_output "flags win over the profile" flagged run -p untrusted --hostname flagged -- /bin/hostname
expect_output "--reset undoes a profile setting" lo run -p curl --reset net -- /bin/sh -c \
        "tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' '"
expect_grep "show applies run options after the name" '^net none$' \
        "$AIRLOCK" profile show curl --reset net
expect_grep "lint applies them too" '^profile chromium: baseline' "$AIRLOCK" profile lint chromium --net none
expect_status "show: junk after the name is 125" 125 "$AIRLOCK" profile show curl junk
expect_grep "lint: default is restricted" '^profile default: restricted' "$AIRLOCK" profile lint default
expect_grep "lint: chromium shares the host network" '^  high +net host' "$AIRLOCK" profile lint chromium
expect_grep "lint: chromium's nested namespaces" '^  medium +allow-userns' "$AIRLOCK" profile lint chromium
printf 'airlock-profile 1\nbind / /host\ndev-bind /dev/null /dev/x\nseccomp-allow ptrace\n' \
        >"$TEST_TMPDIR/wide.profile"
expect_grep "lint: writable host root is critical" '^  critical +bind / /host' \
        "$AIRLOCK" profile lint "$TEST_TMPDIR/wide.profile"
expect_grep "lint: ptrace is high" '^  high +seccomp-allow ptrace' "$AIRLOCK" profile lint "$TEST_TMPDIR/wide.profile"
expect_grep "lint: rating privileged" 'privileged' "$AIRLOCK" profile lint "$TEST_TMPDIR/wide.profile"
expect_grep "syscalls: groups with help" '^@mount +mounting' "$AIRLOCK" profile syscalls
expect_grep "syscalls -v: members" ' pivot_root' "$AIRLOCK" profile syscalls -v
expect_status "profile: unknown verb is a usage error, 2" 2 "$AIRLOCK" profile frob

# ---- default ----
expect_output "default: runs a program" ok run -p default -- /bin/sh -c 'echo ok'
expect_output "default: loopback only" lo run -- /bin/sh -c "tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' '"

# ---- strict: allow-list, no network, nothing writable but /tmp ----
expect_output "strict: python computes" 4950 run -p strict -- $PY -c 'print(sum(range(100)))'
expect_output "strict: only /tmp is writable" "/tmp" run -p strict -- /bin/sh -c \
        'for d in /tmp /home /etc /usr /var /dev/shm/.. / ; do touch $d/x 2>/dev/null && echo $d; done; exit 0'
expect_output "strict: no internet sockets (allow-list)" 1 run -p strict -- $PY -c '
import socket
try:
    socket.socket(socket.AF_INET); print(0)
except OSError as e: print(e.errno)'
expect_output "strict: local sockets still work" ok run -p strict -- $PY -c '
import socket; a, b = socket.socketpair(); a.send(b"ok"); print(b.recv(2).decode())'

# ---- untrusted ----
expect_output "untrusted: runs a sample" sample-ran run -p untrusted -- /bin/sh -c 'echo sample-ran'
expect_output "untrusted: no netlink sockets" 1 run -p untrusted -- $PY -c '
import socket
try:
    socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0); print(0)
except OSError as e: print(e.errno)'
expect_grep "untrusted: hard timeout and trace" '^timeout 300000000us' "$AIRLOCK" profile show untrusted

# ---- shell ----
mkdir -p "$HOME/.ssh" && echo secret >"$HOME/.ssh/id_test"
expect_output "shell: a pipeline" HELLO run -p shell -- /bin/sh -c 'echo hello | tr a-z A-Z'
expect_output "shell: the host home is not there" absent run -p shell -- /bin/sh -c \
        "cat '$HOME/.ssh/id_test' 2>/dev/null || echo absent"

# ---- python ----
printf 'import os, socket\nprint("script", os.getcwd())\n' >"$TEST_TMPDIR/script.py"
expect_output "python: runs a script passed read-only" "script /work" \
        run -p python --ro-bind "$TEST_TMPDIR/script.py" /work/script.py -- $PY /work/script.py
$PY -c 'import socket,sys
s=socket.socket(); s.bind(("127.0.0.1",0)); s.listen(1); print(s.getsockname()[1]); sys.stdout.flush()
import time; time.sleep(30)' >"$TEST_TMPDIR/port" &
listener=$!
# (python may take seconds to start on a loaded machine: wait for the port, not a fixed time)
wait_for 20 test -s "$TEST_TMPDIR/port" || fail "python: host listener" "did not start"
port=$(cat "$TEST_TMPDIR/port")
expect_output "python: host loopback unreachable" refused run -p python -- $PY -c "
import socket
try:
    socket.create_connection(('127.0.0.1', $port), timeout=2); print('connected')
except OSError: print('refused')"
kill "$listener" 2>/dev/null; wait "$listener" 2>/dev/null

# ---- archive: extracts into the current folder only ----
mkdir -p "$TEST_TMPDIR/arc/src/sub" "$TEST_TMPDIR/arc/out"
echo one >"$TEST_TMPDIR/arc/src/a.txt"
echo two >"$TEST_TMPDIR/arc/src/sub/b.txt"
(cd "$TEST_TMPDIR/arc/src" && zip -qr ../x.zip . && tar cf ../x.tar . && 7z a -bd ../x.7z . >/dev/null)
is_root && chmod 777 "$TEST_TMPDIR/arc/out"
for kind in zip tar 7z; do
        case $kind in
        zip) cmd="unzip -oq /in/x.zip -d /out/$kind" ;;
        tar) cmd="mkdir -p /out/$kind && tar xf /in/x.tar -C /out/$kind" ;;
        7z) cmd="7z x -bd -y -o/out/$kind /in/x.7z >/dev/null" ;;
        esac
        (cd "$TEST_TMPDIR/arc/out" && run -p archive --ro-bind "$TEST_TMPDIR/arc/x.$kind" /in/x.$kind \
                -- /bin/sh -c "$cmd" >"$TEST_TMPDIR/arc.log" 2>&1)
        if [ "$(cat "$TEST_TMPDIR/arc/out/$kind/sub/b.txt" 2>/dev/null)" = two ]; then
                pass "archive: $kind extracts into the current folder"
        else
                fail "archive: $kind extracts into the current folder" "$(head -c 300 "$TEST_TMPDIR/arc.log")"
        fi
done
expect_output "archive: nothing else is writable" "/out" sh -c "cd '$TEST_TMPDIR/arc/out' &&
        '$AIRLOCK' run -p archive --ro-bind '$TEST_TMPDIR/arc/x.zip' /in/x.zip -- /bin/sh -c \
        'for d in /out /in /etc /usr /; do touch \$d/w 2>/dev/null && echo \$d; done; exit 0'"

# ---- pdf: a converter reads the document, writes nothing to the host ----
mkdir -p "$TEST_TMPDIR/pdf"
$PY - "$TEST_TMPDIR/pdf/doc.pdf" <<'PYEOF'
import sys
objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 100] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        None,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
text = b"BT /F1 18 Tf 20 50 Td (airlock pdf works) Tj ET"
objs[3] = b"<< /Length %d >>\nstream\n" % len(text) + text + b"\nendstream"
out = bytearray(b"%PDF-1.4\n")
offsets = []
for i, o in enumerate(objs):
    offsets.append(len(out))
    out += b"%d 0 obj\n" % (i + 1) + o + b"\nendobj\n"
xref = len(out)
out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
for off in offsets:
    out += b"%010d 00000 n \n" % off
out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
open(sys.argv[1], "wb").write(out)
PYEOF
expect_output "pdf: pdftotext reads the document" "airlock pdf works" sh -c \
        "cd '$TEST_TMPDIR/pdf' && '$AIRLOCK' run -p pdf -- pdftotext /work/doc.pdf - | head -n 1"
expect_output "pdf: the document folder is read-only" denied sh -c \
        "cd '$TEST_TMPDIR/pdf' && '$AIRLOCK' run -p pdf -- /bin/sh -c 'touch /work/x 2>/dev/null && echo written || echo denied'"

# ---- curl: host network, writes only into ${DOWNLOADS} ----
mkdir -p "$TEST_TMPDIR/www"
echo "payload-$$" >"$TEST_TMPDIR/www/file.txt"
(cd "$TEST_TMPDIR/www" && exec $PY -c '
import http.server, socketserver, sys
class H(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *a): pass
s = socketserver.TCPServer(("127.0.0.1", 0), H)
print(s.server_address[1]); sys.stdout.flush(); s.serve_forever()' >"$TEST_TMPDIR/www.port") &
server=$!
wait_for 20 test -s "$TEST_TMPDIR/www.port" || fail "curl: host web server" "did not start"
wport=$(cat "$TEST_TMPDIR/www.port")
run -p curl -- curl -fsSLO "http://127.0.0.1:$wport/file.txt" >"$TEST_TMPDIR/curl.log" 2>&1
if [ "$(cat "$HOME/Downloads/file.txt" 2>/dev/null)" = "payload-$$" ]; then
        pass "curl: downloads into \${DOWNLOADS} on the host"
else
        fail "curl: downloads into \${DOWNLOADS} on the host" "$(head -c 300 "$TEST_TMPDIR/curl.log")"
fi
expect_output "curl: the download is visible inside" "payload-$$" run -p curl -- cat file.txt
expect_output "--unbind undoes a profile's bind (same file gone)" absent run -p curl --unbind /home/sandbox/Downloads \
        --chdir / -- /bin/sh -c 'ls /home/sandbox/Downloads/file.txt 2>/dev/null || echo absent'
expect_output "curl: nothing else of the host is writable" "$(printf '/home/sandbox/Downloads')" \
        run -p curl -- /bin/sh -c 'for d in /home/sandbox/Downloads /etc /usr /; do touch $d/w 2>/dev/null && echo $d; done; exit 0'
expect_output "curl: host home invisible" absent run -p curl -- /bin/sh -c \
        "cat '$HOME/.ssh/id_test' 2>/dev/null || echo absent"
kill "$server" 2>/dev/null; wait "$server" 2>/dev/null
rm -f "$HOME/Downloads/w"

# ---- every directive is documented in airlock-profile(5) and is an airlock run flag ----
man5=$AIRLOCK_SRC/docs/man/airlock-profile.5
missing=""
for d in $("$AIRLOCK" run --help | sed -n 's/^ *\(-., \)\{0,1\}--\([a-z0-9-]*\).*/\2/p'); do
        # per-run choices, not properties of a profile: --complain tries a profile without
        # enforcing it, so it cannot be one of its directives; --trace-exec-only says how one
        # traced run is watched; --cold says how one run is started (never a warm sandbox)
        # (airlock-profile(5) names the three as command line only)
        case $d in profile | help | pass-fd | report | complain | trace-exec-only | cold) continue ;; esac
        grep -q -- "$d" "$man5" || missing="$missing $d"
        printf 'airlock-profile 1\n%s\n' "$d" >"$TEST_TMPDIR/one.profile"
        "$AIRLOCK" profile show "$TEST_TMPDIR/one.profile" 2>&1 | grep -q "unknown directive" &&
                missing="$missing $d(not-a-directive)"
done
[ -z "$missing" ] && pass "every run flag is a documented directive" ||
        fail "every run flag is a documented directive" "missing:$missing"

# ---- seccomp-import: a Docker/OCI JSON profile beside the profile that names it ----
mkdir -p "$TEST_TMPDIR/imp"
cp "$AIRLOCK_SRC/tests/data/seccomp/docker-default.json" "$TEST_TMPDIR/imp/"
printf 'airlock-profile 1\ninclude default\nseccomp-import docker-default.json\n' \
        >"$TEST_TMPDIR/imp/docker.profile"
expect_grep "seccomp-import: found beside the profile, shown absolute" \
        "^seccomp-json $TEST_TMPDIR/imp/docker-default.json\$" \
        sh -c "cd / && '$AIRLOCK' profile show '$TEST_TMPDIR/imp/docker.profile'"
expect_output "seccomp-import: programs run under Docker's default" ok \
        run -p "$TEST_TMPDIR/imp/docker.profile" -- /bin/sh -c 'echo ok'
expect_output "seccomp-import: Docker's default refuses unshare" refused \
        run -p "$TEST_TMPDIR/imp/docker.profile" -- /bin/sh -c 'unshare -U true 2>/dev/null && echo allowed || echo refused'
