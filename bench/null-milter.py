#!/usr/bin/env python3
# null-milter.py PORT: a milter that does nothing, for bench-mail.sh's floor row: what Postfix
# itself costs for having a milter. It negotiates what the airlock milter negotiates (milter
# protocol 6; no HELO, DATA or unknown-command stages; no reply to any stage before the end of
# the message), ACKs every read at once as airlock does, and at the end of each message adds one
# header and accepts, as airlock's default policy does for a clean message. One thread per
# connection; listens on 127.0.0.1 only.
import os
import socket
import struct
import sys
import threading

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "helpers"))
from milter_wire import recv, send  # noqa: E402

ACTIONS = 0x33  # add headers, change body, change headers, quarantine: as airlock asks
PROTOCOL = 0x000FF382  # NOHELO NODATA NOUNKNOWN NR_HDR and NR_* for every stage: as airlock


def serve(c):
    c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        while True:
            cmd, _ = recv(c)
            if cmd is None:
                return
            c.setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 1)
            if cmd == "O":
                send(c, b"O", struct.pack(">III", 6, ACTIONS, PROTOCOL))
            elif cmd == "E":
                send(c, b"h", b"X-Null-Milter\0clean\0")
                send(c, b"a")
            elif cmd == "Q":
                return
            # every other stage: no reply (negotiated away)
    except ConnectionError:
        pass
    finally:
        c.close()


def main():
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", int(sys.argv[1])))
    s.listen(64)
    while True:
        c, _ = s.accept()
        threading.Thread(target=serve, args=(c,), daemon=True).start()


main()
