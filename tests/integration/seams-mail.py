#!/usr/bin/env python3
"""Writes mails whose EICAR attachment sits inside a multipart or message part that carries a
Content-Transfer-Encoding RFC 2045/2046 forbid on them, and an expect.tsv: NAME, then what the
scan must say (malicious, or notclean where unscannable is an honest answer)."""
import base64, os, quopri, sys

# The EICAR test file, written in two halves so that this script is not itself a match.
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$" + b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


def encode(cte, body):
    if cte == "base64":
        return base64.encodebytes(body)
    if cte == "quoted-printable":
        return quopri.encodestring(body)
    return body


def attachment(b="inner"):
    b = b.encode()
    return (b"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"" + b + b"\"\r\n\r\n"
            b"--" + b + b"\r\nContent-Type: text/plain\r\n\r\nhello\r\n"
            b"--" + b + b"\r\nContent-Type: application/octet-stream\r\n"
            b"Content-Disposition: attachment; filename=\"eicar.com\"\r\n"
            b"Content-Transfer-Encoding: base64\r\n\r\n" + base64.encodebytes(EICAR) +
            b"\r\n--" + b + b"--\r\n")


def inner():
    return b"From: a@example.org\r\nTo: b@example.org\r\nSubject: inner\r\n" + attachment()


def wrap(ctype, cte, body, b="outer"):
    b = b.encode()
    return (b"From: x@example.org\r\nTo: user@test.local\r\nSubject: outer\r\nMIME-Version: 1.0\r\n"
            b"Content-Type: multipart/mixed; boundary=\"" + b + b"\"\r\n\r\n"
            b"--" + b + b"\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n"
            b"--" + b + b"\r\nContent-Type: " + ctype.encode() + b"\r\n"
            b"Content-Transfer-Encoding: " + cte.encode() + b"\r\n\r\n" + encode(cte, body) +
            b"\r\n--" + b + b"--\r\n")


def top(cte, part):
    head, _, body = part.partition(b"\r\n\r\n")
    return (b"From: x@example.org\r\nTo: user@test.local\r\nSubject: top\r\n" + head +
            b"\r\nContent-Transfer-Encoding: " + cte.encode() + b"\r\n\r\n" + encode(cte, body))


def sub_multipart(cte):
    # A multipart/mixed part (not the top) whose body is encoded.
    part = attachment("deep")
    head, _, body = part.partition(b"\r\n\r\n")
    head = head.replace(b"MIME-Version: 1.0\r\n", b"")
    b = b"outer"
    return (b"From: x@example.org\r\nTo: user@test.local\r\nSubject: sub\r\nMIME-Version: 1.0\r\n"
            b"Content-Type: multipart/mixed; boundary=\"" + b + b"\"\r\n\r\n"
            b"--" + b + b"\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n"
            b"--" + b + b"\r\n" + head + b"\r\nContent-Transfer-Encoding: " + cte.encode() +
            b"\r\n\r\n" + encode(cte, body) + b"\r\n--" + b + b"--\r\n")


MAILS = [
    ("rfc822-base64.eml", wrap("message/rfc822", "base64", inner()), "malicious"),
    ("rfc822-qp.eml", wrap("message/rfc822", "quoted-printable", inner()), "malicious"),
    ("global-base64.eml", wrap("message/global", "base64", inner()), "malicious"),
    ("nested-rfc822-base64.eml",
     wrap("message/rfc822", "base64",
          b"From: a@example.org\r\nSubject: mid\r\n" +
          wrap("message/rfc822", "base64", inner(), "mid")), "malicious"),
    ("multipart-base64-top.eml", top("base64", attachment()), "notclean"),
    ("multipart-base64-sub.eml", sub_multipart("base64"), "notclean"),
    ("multipart-qp-sub.eml", sub_multipart("quoted-printable"), "notclean"),
    # the control: the same message, legally encoded
    ("rfc822-7bit.eml", wrap("message/rfc822", "7bit", inner()), "malicious"),
]

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
with open(os.path.join(out, "expect.tsv"), "w") as e:
    for name, data, want in MAILS:
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)
        e.write("%s\t%s\n" % (name, want))
