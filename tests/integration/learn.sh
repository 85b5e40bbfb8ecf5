#!/bin/sh
# airlock learn: learns a real workload (python3 with json and sqlite3 on files of a bound
# folder; sh with coreutils), then the same workload passes under the learned profile, a
# system call it never made and a file it never read are refused there, two learned runs merge
# into a profile that passes both, and learning twice gives the same directives.
. "$AIRLOCK_SRC/tests/lib.sh"
. "$AIRLOCK_SRC/tests/run-lib.sh"

T=$TEST_TMPDIR
D=$T/work
mkdir -p "$D/in" "$D/out"
printf '{"a": [1, 2, 3, 4]}\n' >"$D/in/in.json"
printf '{"never": "read"}\n' >"$D/in/other.json"
printf 'pear\napple\npear\nfig\n' >"$D/in/words.txt"
echo "not for the sandbox" >"$D/secret.txt"
cat >"$D/w.py" <<'PYEOF'
import ctypes, errno, json, sqlite3, sys
d, mode = sys.argv[1], sys.argv[2]
libc = ctypes.CDLL(None, use_errno=True)
try:
    open(d + "/in/missing.json")  # a probe: left out of the profile
except OSError:
    pass
data = json.load(open(d + "/in/in.json"))
db = sqlite3.connect(d + "/out/db.sqlite")
db.execute("create table if not exists t (v)")
db.executemany("insert into t values (?)", [(v,) for v in data["a"]])
db.commit()
print("rows", db.execute("select count(*) from t").fetchone()[0] > 0)
if mode == "probe":
    # calls the learning run never made: an internet socket, mkdir
    for name, call in (("socket", lambda: libc.socket(2, 1, 0)),
                       ("mkdir", lambda: libc.mkdir(b"/tmp/x", 0o755))):
        r = call()
        print(name, "ok" if r >= 0 else errno.errorcode[ctypes.get_errno()])
PYEOF
# the sandbox's user (65534 in the root phase) reads the inputs and writes out/
chmod -R a+rwX "$D"
binds="--ro-bind $D/in $D/in --ro-bind $D/w.py $D/w.py --ro-bind $D/secret.txt $D/secret.txt --bind $D/out $D/out"
PYW="$PY $D/w.py $D"
SHW="sort $D/in/words.txt | uniq -c >$D/out/counts.txt && wc -l <$D/in/words.txt"
fresh_out() { rm -f "$D"/out/*; }

# shellcheck disable=SC2086 # $binds and $PYW are word lists
learn_py() { fresh_out && "$AIRLOCK" learn $binds -o "$1" -- $PYW learn >"$T/learn.out" 2>"$T/learn.err"; }

learn_py "$T/py.profile"
rc=$?
if [ $rc = 0 ] && grep -qx "rows True" "$T/learn.out" && [ -s "$T/py.profile" ]; then
        pass "learn: the python workload runs while learning and a profile is written"
else
        fail "learn: the python workload runs while learning" "status $rc: $(tail -3 "$T/learn.err")"
fi
expect_status "learn: profile lint accepts the learned profile" 0 \
        "$AIRLOCK" profile lint "$T/py.profile"
expect_grep "learn: the file read is bound read-only, with what produced it" \
        "^ro-bind $D/in/in.json $D/in/in.json  # openat $D/in/in.json .read, 1 time" \
        cat "$T/py.profile"
expect_grep "learn: the folder written in is bound read-write" \
        "^bind $D/out $D/out  # openat $D/out/db.sqlite .write" cat "$T/py.profile"
if grep -q "secret.txt\|other.json\|missing.json\|^bind $D/in\|^ro-bind $D/in " "$T/py.profile"; then
        fail "learn: files never read, probes and whole folders stay out" \
                "$(grep "secret\|other\|missing\|bind $D/in " "$T/py.profile")"
else
        pass "learn: files never read, probes and whole folders stay out"
fi
expect_grep "learn: an allow-list" "^seccomp-mode allowlist" cat "$T/py.profile"
expect_grep "learn: no internet socket, no network" "^net none" cat "$T/py.profile"
# every directive but the fixed ones says what produced it
nocomment=$(grep -v '^#\|^$\|  # ' "$T/py.profile" |
        grep -vx 'airlock-profile 1\|reset seccomp\|seccomp-mode allowlist\|seccomp-errno EPERM')
expect_eq "learn: each learned line carries a comment" "" "$nocomment"

# enforced: the same workload passes; what it never did is refused
fresh_out
# shellcheck disable=SC2086
expect_output "learn: the workload passes under the learned profile" "rows True" \
        "$AIRLOCK" run -p "$T/py.profile" -- $PYW run
fresh_out
# shellcheck disable=SC2086
out=$("$AIRLOCK" run -p "$T/py.profile" -- $PYW probe 2>&1)
case $out in
*"socket EPERM"*"mkdir EPERM"*) pass "learn: socket and mkdir, never made while learning, are refused" ;;
*) fail "learn: socket and mkdir, never made while learning, are refused" "$out" ;;
esac
# the control: the same probe under the profile learning started from
fresh_out
# shellcheck disable=SC2086
out=$("$AIRLOCK" run $binds -- $PYW probe 2>&1)
case $out in
*"socket ok"*"mkdir ok"*) pass "learn: the same calls work under the default profile" ;;
*) fail "learn: the same calls work under the default profile" "$out" ;;
esac
expect_status "learn: a file never read is not visible" 1 \
        "$AIRLOCK" run -p "$T/py.profile" -- /bin/cat "$D/secret.txt"
expect_status "learn: nor its neighbour in the folder of a file read" 1 \
        "$AIRLOCK" run -p "$T/py.profile" -- /bin/cat "$D/in/other.json"
expect_status "learn: (control) the file is there with the learning run's binds" 0 \
        "$AIRLOCK" run --ro-bind "$D/secret.txt" "$D/secret.txt" -- /bin/cat "$D/secret.txt"

# sh with coreutils, merged with the python profile
fresh_out
# shellcheck disable=SC2086
"$AIRLOCK" learn $binds -o "$T/sh.profile" -- /bin/sh -c "$SHW" >"$T/sh.out" 2>"$T/sh.err"
expect_eq "learn: the shell workload runs while learning" 4 "$(cat "$T/sh.out")"
fresh_out
# shellcheck disable=SC2086
"$AIRLOCK" learn $binds --merge "$T/py.profile" -o "$T/both.profile" -- /bin/sh -c "$SHW" \
        >/dev/null 2>"$T/merge.err"
expect_status "learn: the merged profile passes lint" 0 "$AIRLOCK" profile lint "$T/both.profile"
fresh_out
# shellcheck disable=SC2086
expect_output "learn: the shell workload passes under the merged profile" 4 \
        "$AIRLOCK" run -p "$T/both.profile" -- /bin/sh -c "$SHW"
expect_output "learn: its output was written" "2 pear" sh -c "grep -o '2 pear' $D/out/counts.txt"
fresh_out
# shellcheck disable=SC2086
expect_output "learn: the python workload passes under the merged profile" "rows True" \
        "$AIRLOCK" run -p "$T/both.profile" -- $PYW run
fresh_out
# shellcheck disable=SC2086
out=$("$AIRLOCK" run -p "$T/sh.profile" -- $PYW run 2>&1)
case $out in
*"rows True"*) fail "learn: (control) the python workload fails under the shell's profile alone" "$out" ;;
*) pass "learn: (control) the python workload fails under the shell's profile alone" ;;
esac
expect_grep "learn: a merged line says where it came from" "from the merged profile" \
        cat "$T/both.profile"
expect_status "learn: --merge refuses a file that is not a learned profile" 125 \
        "$AIRLOCK" learn --merge "$D/in/in.json" -o "$T/bad.profile" -- /bin/true

# merging into the file itself: read before the run, written after
cp "$T/sh.profile" "$T/self.profile"
fresh_out
# shellcheck disable=SC2086
"$AIRLOCK" learn $binds --merge "$T/self.profile" -o "$T/self.profile" -- $PYW learn \
        >/dev/null 2>"$T/self.err"
fresh_out
# shellcheck disable=SC2086
expect_output "learn: a profile merged into itself passes the shell workload" 4 \
        "$AIRLOCK" run -p "$T/self.profile" -- /bin/sh -c "$SHW"
fresh_out
# shellcheck disable=SC2086
expect_output "learn: and the python one" "rows True" "$AIRLOCK" run -p "$T/self.profile" -- $PYW run

# learn, then export for systemd: the drop-in carries the learned calls and passes verify
mkdir -p "$T/units/learned.service.d"
printf '[Unit]\nDescription=learned\n[Service]\nExecStart=/bin/true\n' >"$T/units/learned.service"
"$AIRLOCK" profile export "$T/both.profile" --format systemd \
        >"$T/units/learned.service.d/airlock.conf" 2>"$T/export.err"
filter=$(sed -n 's/^SystemCallFilter=//p' "$T/units/learned.service.d/airlock.conf" | tr ' ' '\n')
if printf '%s\n' "$filter" | grep -qx fdatasync && printf '%s\n' "$filter" | grep -qx wait4 &&
        ! printf '%s\n' "$filter" | grep -qx 'mkdir\|socket\|ptrace'; then
        pass "learn: the systemd drop-in allows the learned calls and not mkdir, socket, ptrace"
else
        fail "learn: the systemd drop-in's SystemCallFilter=" "$(printf '%s ' $filter | head -c 400)"
fi
expect_grep "learn: the drop-in binds the folder written" "^BindPaths=$D/out:$D/out" \
        cat "$T/units/learned.service.d/airlock.conf"
if command -v systemd-analyze >/dev/null; then
        (cd "$T/units" && systemd-analyze verify ./learned.service) >"$T/verify.out" 2>&1
        rc=$?
        other=$(grep -v 'Failed to parse system call, ignoring' "$T/verify.out")
        if [ $rc = 0 ] && [ -z "$other" ]; then
                pass "learn: systemd-analyze verify reads the exported drop-in"
        else
                fail "learn: systemd-analyze verify" "status $rc: $(head -c 500 "$T/verify.out")"
        fi
else
        fail "learn: systemd-analyze verify" "systemd-analyze is not installed (Debian package systemd)"
fi

# network: UDP on the sandbox's own loopback (Landlock leaves UDP alone under net none)
cat >"$D/udp.py" <<'PYEOF'
import errno, socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0))
c = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
c.sendto(b"ping", s.getsockname())
print(s.recvfrom(16)[0].decode())
if sys.argv[1:] == ["probe"]:
    try:
        socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
        print("inet6 ok")
    except OSError as e:
        print("inet6", errno.errorcode[e.errno])
PYEOF
chmod a+r "$D/udp.py"
"$AIRLOCK" learn --ro-bind "$D/udp.py" "$D/udp.py" -o "$T/udp.profile" -- "$PY" "$D/udp.py" \
        >"$T/udp.out" 2>"$T/udp.err"
expect_eq "learn: the UDP workload runs while learning" ping "$(cat "$T/udp.out")"
expect_grep "learn: AF_INET sockets are allowed by family" '^seccomp-allow socket\[a0==AF_INET\]  # socket AF_INET' \
        cat "$T/udp.profile"
expect_grep "learn: loopback only: net none" '^net none  # only loopback' cat "$T/udp.profile"
expect_grep "learn: the address sent to is listed" '^#   connect inet 127\.0\.0\.1 port [0-9]+' \
        cat "$T/udp.profile"
expect_output "learn: the UDP workload passes under its profile" ping \
        "$AIRLOCK" run -p "$T/udp.profile" -- "$PY" "$D/udp.py"
expect_output "learn: an AF_INET6 socket, never made, is refused" "ping
inet6 EPERM" "$AIRLOCK" run -p "$T/udp.profile" -- "$PY" "$D/udp.py" probe
expect_output "learn: (control) it is made under the default profile" "ping
inet6 ok" "$AIRLOCK" run --ro-bind "$D/udp.py" "$D/udp.py" -- "$PY" "$D/udp.py" probe

# TCP under net none: Landlock refuses bind and connect to the ports not named; the learned
# profile names the port bound (0: an ephemeral one), so the server binds under it too
TCPPY='import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(); print("bound")'
"$AIRLOCK" learn -o "$T/tcp.profile" -- "$PY" -c "$TCPPY" >"$T/tcp.out" 2>"$T/tcp.err"
expect_eq "learn: a TCP server binds while learning" bound "$(cat "$T/tcp.out")"
expect_grep "learn: the port bound is written" '^tcp-bind 0  # bind to port 0' cat "$T/tcp.profile"
expect_output "learn: the TCP server binds under its profile" bound \
        "$AIRLOCK" run -p "$T/tcp.profile" -- "$PY" -c "$TCPPY"
if grep -q "^tcp-" "$T/udp.profile"; then
        fail "learn: no TCP port for UDP" "$(grep "^tcp-" "$T/udp.profile")"
else
        pass "learn: no TCP port for UDP"
fi

# under --net host, loopback is the host's: a connection to a host service there needs net host
# (net none would give the program a loopback of its own, with nothing listening)
"$PY" -c 'import socket, sys
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen()
with open(sys.argv[1] + ".tmp", "w") as f: f.write(str(s.getsockname()[1]))
import os; os.rename(sys.argv[1] + ".tmp", sys.argv[1])
while True:
    c, _ = s.accept(); c.sendall(b"hello\n"); c.close()' "$T/hl.port" &
hl_pid=$!
wait_for 10 test -e "$T/hl.port"
HPORT=$(cat "$T/hl.port")
HOSTPY='import socket, sys; c = socket.create_connection(("127.0.0.1", int(sys.argv[1]))); print(c.recv(16).decode().strip())'
"$AIRLOCK" learn --net host -o "$T/hostlo.profile" -- "$PY" -c "$HOSTPY" "$HPORT" \
        >"$T/hostlo.out" 2>"$T/hostlo.err"
expect_eq "learn: a host service on loopback answers while learning" hello "$(cat "$T/hostlo.out")"
expect_grep "learn: a connection to the host's loopback keeps net host" \
        "^net host  # a connection to a port of the host's loopback" cat "$T/hostlo.profile"
expect_output "learn: the host service answers under the learned profile" hello \
        "$AIRLOCK" run -p "$T/hostlo.profile" -- "$PY" -c "$HOSTPY" "$HPORT"
kill "$hl_pid" 2>/dev/null
wait "$hl_pid" 2>/dev/null

# a write under a --ro-bind was refused while learning: nothing is bound for it
"$AIRLOCK" learn --ro-bind "$D/out" "$D/out" -o "$T/ro.profile" -- /bin/sh -c "echo x >$D/out/x.txt" \
        >/dev/null 2>&1
if grep -q "^bind\|^ro-bind" "$T/ro.profile"; then
        fail "learn: a write under a --ro-bind binds nothing" "$(grep '^bind\|^ro-bind' "$T/ro.profile")"
else
        pass "learn: a write under a --ro-bind binds nothing"
fi
expect_grep "learn: and a comment counts it" '^# 1 write under a --ro-bind left out' cat "$T/ro.profile"

# determinism: learning twice gives the same directives (comments hold counts)
learn_py "$T/py2.profile"
directives() { sed 's/  #.*//; /^#/d; /^$/d' "$1" | sort; }
directives "$T/py.profile" >"$T/d1"
directives "$T/py2.profile" >"$T/d2"
if cmp -s "$T/d1" "$T/d2"; then
        pass "learn: learning twice gives the same directives ($(wc -l <"$T/d1") lines)"
else
        fail "learn: learning twice gives the same directives" "$(diff "$T/d1" "$T/d2" | head -10)"
fi
exit 0
