#!/bin/sh
# The milter takes every command that Postfix sends macros for (issue 17, point 12). With no
# HELO or DATA handler, libmilter asks the MTA to skip those commands (SMFIP_NOHELO,
# SMFIP_NODATA), yet Postfix still sends the DATA stage's macros ("i") as a packet of their
# own that gets no reply; its next packet then waits in Postfix's Nagle queue for the milter's
# delayed ACK, some 40 ms per message on loopback TCP. Checked here on the wire, with a
# client speaking the milter protocol: the negotiation keeps HELO and DATA, and a DATA
# command with its macros gets a reply at once. (The latency itself is measured in bench/,
# never asserted here.)
. "$AIRLOCK_SRC/tests/lib.sh"

t=$TEST_TMPDIR
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$AIRLOCK" milter --socket "inet:$port@127.0.0.1" --user nobody 2>"$t/milter.log" &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null' EXIT
wait_for 30 python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 1)" ||
        { fail "milter-start" "$(cat "$t/milter.log")"; exit 0; }

python3 - "$port" >"$t/out" 2>&1 <<'PY'
import socket, struct, sys

s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), 10)
s.settimeout(10)

def send(cmd, data=b""):
    s.sendall(struct.pack(">I", len(data) + 1) + cmd + data)

def recv():
    hdr = b""
    while len(hdr) < 4:
        hdr += s.recv(4 - len(hdr))
    n = struct.unpack(">I", hdr)[0]
    body = b""
    while len(body) < n:
        body += s.recv(n - len(body))
    return body[:1], body[1:]

send(b"O", struct.pack(">III", 6, 0x1ff, 0x1fffff))
cmd, data = recv()
version, actions, proto = struct.unpack(">III", data[:12])
print("protocol 0x%x" % proto)
print("nohelo", bool(proto & 0x2))
print("nodata", bool(proto & 0x200))
print("nodelay", s.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
send(b"C", b"client.example\0" + b"4" + struct.pack(">H", 25) + b"127.0.0.1\0")
print("connect", recv()[0].decode())
if not proto & 0x2:
    send(b"H", b"client.example\0")
    print("helo", recv()[0].decode())
send(b"M", b"<a@example.org>\0")
print("mail", recv()[0].decode())
send(b"R", b"<b@example.org>\0")
print("rcpt", recv()[0].decode())
if not proto & 0x200:
    send(b"D", b"Ti\0ABC123\0")
    send(b"T")
    print("data", recv()[0].decode())
send(b"A")
s.close()
PY
cat "$t/out" >&2
expect_grep "negotiation-keeps-helo" "^nohelo False" cat "$t/out"
expect_grep "negotiation-keeps-data" "^nodata False" cat "$t/out"
expect_grep "data-command-answered" "^data c" cat "$t/out"
expect_grep "helo-command-answered" "^helo c" cat "$t/out"
exit 0
