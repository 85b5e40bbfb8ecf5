#!/bin/sh
# airlock learn with TCP: a python3 server learned binding and connecting on loopback gets
# tcp-bind/tcp-connect lines; under the learned profile the same run passes and a port it
# never used is refused by Landlock (net none and net host); the ports survive profile show
# and lint; a merge keeps the ports of both runs.
. "$AIRLOCK_SRC/tests/lib.sh"
. "$AIRLOCK_SRC/tests/run-lib.sh"

T=$TEST_TMPDIR
D=$T/work
mkdir -p "$D"
cat >"$D/srv.py" <<'PYEOF'
import errno, socket, sys
port, extra = int(sys.argv[1]), sys.argv[2:]
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", port))
s.listen(1)
c = socket.create_connection(("127.0.0.1", port))
a, _ = s.accept()
c.sendall(b"hi")
print("got", a.recv(2).decode())
for p in extra:  # ports the learning run never used
    for what, f in (("bind", lambda t: t.bind(("127.0.0.1", int(p)))),
                    ("connect", lambda t: t.connect(("127.0.0.1", int(p))))):
        try:
            f(socket.socket())
            print(what, p, "ok")
        except OSError as e:
            print(what, p, errno.errorcode[e.errno])
PYEOF
chmod -R a+rwX "$D"
# a port free on the host now (net host shares the host's ports with everyone)
free_port() { "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
P=$(free_port)
Q=$(free_port)
abi=$("$PY" -c 'import ctypes; print(ctypes.CDLL(None, use_errno=True).syscall(444, None, 0, 1))')

"$AIRLOCK" learn --ro-bind "$D" "$D" -o "$T/a.profile" -- "$PY" "$D/srv.py" "$P" \
        >"$T/learn.out" 2>"$T/learn.err"
expect_eq "learn-ports: the server runs while learning" "got hi" "$(cat "$T/learn.out")"
expect_grep "learn-ports: the port bound is written, with what produced it" \
        "^tcp-bind $P  # bind to port $P, 1 time" cat "$T/a.profile"
expect_grep "learn-ports: the port connected to is written" \
        "^tcp-connect $P  # connect to port $P, 1 time" cat "$T/a.profile"
expect_grep "learn-ports: loopback only: net none" "^net none" cat "$T/a.profile"
expect_status "learn-ports: lint accepts the learned profile" 0 \
        "$AIRLOCK" profile lint "$T/a.profile"
expect_grep "learn-ports: profile show writes the ports back" "^tcp-bind $P$" \
        "$AIRLOCK" profile show "$T/a.profile"
"$AIRLOCK" profile show "$T/a.profile" >"$T/shown.profile" 2>/dev/null
expect_eq "learn-ports: profile show round trip" \
        "$("$AIRLOCK" profile show "$T/a.profile" 2>&1 | grep -v '^#')" \
        "$("$AIRLOCK" profile show "$T/shown.profile" 2>&1 | grep -v '^#')"
expect_grep "learn-ports: a port outside 0-65535 is refused" "port number" \
        "$AIRLOCK" run --tcp-bind 65536 -- true

# the systemd drop-in: the port bound as SocketBindAllow= before SocketBindDeny=tcp, the family
# from socket()'s condition, the connect port (no systemd form) in the comment
"$AIRLOCK" profile export "$T/a.profile" --format systemd >"$T/a.conf" 2>"$T/sd.err" ||
        fail "learn-ports: export --format systemd" "$(cat "$T/sd.err")"
expect_eq "learn-ports: systemd: the bound port allowed, other TCP binds denied" \
        "SocketBindAllow=tcp:$P
SocketBindDeny=tcp" "$(grep '^SocketBind' "$T/a.conf")"
expect_grep "learn-ports: systemd: the family used, from socket()'s condition" \
        "^RestrictAddressFamilies=AF_INET$" cat "$T/a.conf"
expect_grep "learn-ports: systemd: the connect port is named in the comment" \
        "^# - tcp-connect $P: systemd has no port rule for connect" cat "$T/a.conf"
if command -v systemd-analyze >/dev/null; then
        U=$T/sd/airlock-learn-ports.service
        mkdir -p "$U.d"
        cp "$T/a.conf" "$U.d/airlock.conf"
        printf '[Unit]\nDescription=ports, learned\n[Service]\nExecStart=%s %s %s\n' \
                "$PY" "$D/srv.py" "$P" >"$U"
        sdout=$(systemd-analyze verify "$U" 2>&1)
        sdrc=$?
        expect_eq "learn-ports: systemd: the drop-in passes systemd-analyze verify" "status 0:" \
                "status $sdrc:$(printf '%s\n' "$sdout" | grep -v 'machine-id')"
        # the check can fail: a port systemd cannot read is a warning naming the drop-in
        echo "SocketBindAllow=tcp:0" >>"$U.d/airlock.conf"
        expect_grep "learn-ports: systemd: (control) verify reports a bad bind rule" \
                "Unable to parse SocketBindAllow" systemd-analyze verify "$U"
fi

if [ "$abi" -lt 4 ] 2>/dev/null; then
        skip "learn-ports: enforced" "Landlock ABI $abi has no network rules (4 and later)"
        exit 0
fi
expect_output "learn-ports: the server passes under the learned profile (net none)" \
        "got hi
bind $Q EACCES
connect $Q EACCES" "$AIRLOCK" run -p "$T/a.profile" -- "$PY" "$D/srv.py" "$P" "$Q"
# the same ports on the host's network: Landlock alone keeps the other ports
expect_output "learn-ports: net host: the learned ports pass, others are refused" \
        "got hi
bind $Q EACCES
connect $Q EACCES" "$AIRLOCK" run -p "$T/a.profile" --net host -- "$PY" "$D/srv.py" "$P" "$Q"
# without port rules net host leaves every port: the refusal above is the rules' doing
expect_output "learn-ports: net host without port rules: binding another port works" \
        "got hi
bind $Q ok
connect $Q ECONNREFUSED" "$AIRLOCK" run --net host --ro-bind "$D" "$D" -- "$PY" "$D/srv.py" "$P" "$Q"

# a second run on another port merges: both ports pass
"$AIRLOCK" learn --ro-bind "$D" "$D" --merge "$T/a.profile" -o "$T/ab.profile" -- \
        "$PY" "$D/srv.py" "$Q" >/dev/null 2>"$T/merge.err"
expect_grep "learn-ports: a merge keeps the first run's port" "^tcp-bind $P " cat "$T/ab.profile"
expect_output "learn-ports: the merged profile passes both ports" "got hi
got hi" sh -c "'$AIRLOCK' run -p '$T/ab.profile' -- '$PY' '$D/srv.py' $P &&
        '$AIRLOCK' run -p '$T/ab.profile' -- '$PY' '$D/srv.py' $Q"
