"""The milter protocol's framing, for the test helpers that speak to the milter as an MTA
does (milter-protocol.sh, milter-mail.py): a frame is a 4-byte big-endian length, then a
command byte and its data."""
import struct


def send(s, cmd, data=b""):
    """Sends one frame: command byte cmd (bytes of length 1) with data."""
    s.sendall(struct.pack(">I", len(data) + 1) + cmd + data)


def recv(s):
    """Reads one frame: (command letter, data), or (None, None) when the peer closed before
    the frame ended."""
    hdr = b""
    while len(hdr) < 4:
        k = s.recv(4 - len(hdr))
        if not k:
            return None, None
        hdr += k
    n = struct.unpack(">I", hdr)[0]
    body = b""
    while len(body) < n:
        k = s.recv(n - len(body))
        if not k:
            return None, None
        body += k
    return body[:1].decode(), body[1:]
