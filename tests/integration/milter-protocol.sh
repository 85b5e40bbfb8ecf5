#!/bin/sh
# The milter's own protocol loop (src/mail/milter-proto.c, issue 17 point 12), on the wire
# with a client speaking the milter protocol as Postfix does: the negotiation asks the MTA to
# skip HELO, DATA and unknown commands and not to wait for a reply before the end of the
# message; a whole message then gets its modifications and verdict in one go after BODYEOB.
# Hostile peers (a huge frame length, a broken command, a frame cut by the peer) are dropped
# with a log line naming the peer and the cause, and the milter keeps serving. (The latency
# itself is measured in bench/, never asserted here.)
. "$AIRLOCK_SRC/tests/lib.sh"

t=$TEST_TMPDIR
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$AIRLOCK" milter --socket "inet:$port@127.0.0.1" --user nobody 2>"$t/milter.log" &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null' EXIT
wait_for 30 python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 1)" ||
        { fail "milter-start" "$(cat "$t/milter.log")"; exit 0; }

PYTHONPATH=$AIRLOCK_SRC/tests/helpers python3 - "$port" >"$t/out" 2>&1 <<'PY'
import socket, struct, sys
from milter_wire import recv, send

port = int(sys.argv[1])

def conn():
    s = socket.create_connection(("127.0.0.1", port), 10)
    s.settimeout(10)
    return s


def session(name):
    s = conn()
    send(s, b"O", struct.pack(">III", 6, 0x1ff, 0x1fffff))
    cmd, data = recv(s)
    version, actions, proto = struct.unpack(">III", data[:12])
    print("%s version %d actions 0x%x protocol 0x%x" % (name, version, actions, proto))
    print("%s skips helo %d data %d unknown %d" % (name, bool(proto & 0x2), bool(proto & 0x200),
                                                   bool(proto & 0x100)))
    # NR_CONN NR_MAIL NR_RCPT NR_HDR NR_EOH NR_BODY
    quiet = all(proto & f for f in (0x1000, 0x4000, 0x8000, 0x80, 0x40000, 0x80000))
    print("%s quiet steps %d" % (name, quiet))
    send(s, b"D", b"Cj\0mx.example\0")
    send(s, b"C", b"client.example\0" + b"4" + struct.pack(">H", 25) + b"127.0.0.1\0")
    send(s, b"D", b"Mi\0ABC123\0")
    send(s, b"M", b"<a@example.org>\0")
    send(s, b"R", b"<b@example.org>\0")
    send(s, b"D", b"Ti\0ABC123\0")
    send(s, b"L", b"From\0a@example.org\0")
    send(s, b"L", b"Subject\0hello\0")
    send(s, b"N")
    send(s, b"B", b"just text\r\n")
    # Nothing may have come back yet: the steps above get no reply.
    s.settimeout(0.3)
    try:
        early = s.recv(1)
    except socket.timeout:
        early = b""
    print("%s early reply %r" % (name, early))
    s.settimeout(60)
    send(s, b"E")
    codes = []
    while True:
        cmd, data = recv(s)
        if cmd is None:
            break
        codes.append(cmd)
        if cmd == "h":
            print("%s header %s" % (name, data.split(b"\0")[0].decode()))
        if cmd in "acrtd" or cmd == "y":
            break
    print("%s replies %s" % (name, "".join(codes)))
    send(s, b"Q")
    s.close()

session("first")

# A frame length far above the limit.
s = conn()
s.sendall(struct.pack(">I", 0xffffffff) + b"O")
print("huge-length closed %d" % (s.recv(16) == b""))
s.close()
# A CONNECT without its address family.
s = conn()
send(s, b"O", struct.pack(">III", 6, 0x1ff, 0x1fffff))
recv(s)
send(s, b"C", b"client.example\0")
print("bad-connect closed %d" % (recv(s)[0] is None))
s.close()
# A frame the peer cuts short.
s = conn()
s.sendall(struct.pack(">I", 100) + b"L" + b"Subj")
s.shutdown(socket.SHUT_WR)
print("cut-frame closed %d" % (s.recv(16) == b""))
s.close()

session("after")
PY
cat "$t/out" >&2
expect_grep "version-6" "^first version 6 actions 0x33 " cat "$t/out"
expect_grep "skips-helo-data-unknown" "^first skips helo 1 data 1 unknown 1" cat "$t/out"
expect_grep "no-reply-before-eom" "^first quiet steps 1" cat "$t/out"
expect_grep "nothing-sent-early" "^first early reply b''" cat "$t/out"
expect_grep "verdict-header" "^first header X-Airlock-Verdict" cat "$t/out"
expect_grep "eom-accepts" "^first replies [hm]*a$" cat "$t/out"
expect_grep "huge-length-dropped" "^huge-length closed 1" cat "$t/out"
expect_grep "bad-connect-dropped" "^bad-connect closed 1" cat "$t/out"
expect_grep "cut-frame-dropped" "^cut-frame closed 1" cat "$t/out"
expect_grep "serves-after-hostile-peers" "^after replies [hm]*a$" cat "$t/out"
expect_grep "log-huge-length" "dropping 127\.0\.0\.1:[0-9]*: a frame length out of bounds" cat "$t/milter.log"
expect_grep "log-bad-connect" "dropping 127\.0\.0\.1:[0-9]*: a malformed command \(CONNECT\)" cat "$t/milter.log"
expect_grep "log-cut-frame" "dropping 127\.0\.0\.1:[0-9]*: a connection closed inside a frame" cat "$t/milter.log"
exit 0
