#!/usr/bin/env python3
# Builds the mail test corpus (no real malware): clean messages, messages carrying attack
# patterns (HTML smuggling, EICAR), and malformed messages. Writes DIR/{clean,bad,malformed}/
# *.eml and DIR/expect.tsv ("NAME<TAB>clean|notclean|any" per file).
#
#   mail-corpus.py DIR [--only clean,bad,malformed]
import base64
import os
import sys

ZIP_HEAD = b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(range(64))
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


def smuggling_page(style=0):
    payload = base64.b64encode(ZIP_HEAD * 40).decode()
    if style == 0:
        return f"""<!DOCTYPE html><html><body><p>Loading your invoice...</p>
<script>
var data = "{payload}";
var bin = atob(data);
var bytes = new Uint8Array(bin.length);
for (var i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
var blob = new Blob([bytes], {{type: "application/octet-stream"}});
var url = window.URL.createObjectURL(blob);
var a = document.createElement("a");
a.href = url; a.download = "invoice.zip";
document.body.appendChild(a); a.click();
</script></body></html>
"""
    return f"""<html><body><script>
const p = '{payload}';
const b = new Blob([Uint8Array.from(atob(p), c => c.charCodeAt(0))]);
if (navigator.msSaveOrOpenBlob) navigator.msSaveOrOpenBlob(b, 'report.zip');
else {{ const l = document.createElement('a'); l.href = URL.createObjectURL(b);
  l.setAttribute('download', 'report.zip'); l.click(); }}
</script></body></html>
"""


def b64(data):
    s = base64.b64encode(data).decode()
    return "\n".join(s[i:i + 76] for i in range(0, len(s), 76))


def headers(subject, ctype, extra=""):
    return (f"From: Sender <sender@example.org>\nTo: user@test.local\nSubject: {subject}\n"
            f"Message-ID: <{abs(hash(subject))}@example.org>\nDate: Fri, 27 Nov 2026 05:00:00 +0000\n"
            f"MIME-Version: 1.0\nContent-Type: {ctype}\n{extra}")


def multipart(subject, parts, boundary="b1", sub="mixed", extra=""):
    body = "".join(f"--{boundary}\n{p}\n" for p in parts) + f"--{boundary}--\n"
    return headers(subject, f'multipart/{sub}; boundary="{boundary}"', extra) + "\n" + body


TEXT = "Content-Type: text/plain; charset=us-ascii\n\nHello, the minutes are attached.\n"


def attachment(name, data, ctype="application/octet-stream"):
    return (f'Content-Type: {ctype}; name="{name}"\nContent-Disposition: attachment; '
            f'filename="{name}"\nContent-Transfer-Encoding: base64\n\n{b64(data)}')


def clean():
    c = {}
    c["plain"] = headers("Lunch", "text/plain; charset=utf-8") + "\nSee you at noon.\n"
    c["alternative"] = multipart("Newsletter", [
        TEXT,
        "Content-Type: text/html; charset=utf-8\n\n<html><body><p>Hi</p>"
        "<script>document.title='x';</script></body></html>\n"], sub="alternative")
    c["pdf-attachment"] = multipart("Report", [TEXT, attachment(
        "report.pdf", b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n", "application/pdf")])
    c["text-attachment"] = multipart("Notes", [TEXT, attachment(
        "notes.txt", b"just some notes\n" * 20, "text/plain")])
    inner = headers("Inner", "text/plain") + "\nforwarded text\n"
    c["forwarded"] = multipart("Fwd: Inner", [TEXT, "Content-Type: message/rfc822\n"
                                              "Content-Disposition: attachment\n\n" + inner])
    c["encoded-names"] = multipart("=?UTF-8?Q?R=C3=A9sum=C3=A9?=", [TEXT, (
        "Content-Type: text/plain; name*=UTF-8''r%C3%A9sum%C3%A9.txt\n"
        "Content-Disposition: attachment; filename*0*=UTF-8''r%C3%A9s; filename*1*=um%C3%A9.txt\n"
        "Content-Transfer-Encoding: quoted-printable\n\nCurriculum vitae=\n, plain.\n")])
    c["related"] = multipart("Pic", [
        "Content-Type: text/html\n\n<html><img src=\"cid:a\"></html>\n",
        attachment("a.png", b"\x89PNG\r\n\x1a\n" + bytes(64), "image/png")], sub="related")
    c["signed"] = multipart("Signed", [TEXT, (
        "Content-Type: application/pgp-signature; name=\"signature.asc\"\n\n"
        "-----BEGIN PGP SIGNATURE-----\nAAAA\n-----END PGP SIGNATURE-----\n")], sub="signed")
    return c


def bad():
    c = {}
    c["smuggling-attachment"] = multipart("Invoice", [TEXT, attachment(
        "invoice.html", smuggling_page(0).encode(), "text/html")])
    c["smuggling-body"] = headers("Your document", "text/html; charset=utf-8") + "\n" + \
        smuggling_page(1)
    c["smuggling-rfc2231-name"] = multipart("Scan", [TEXT, (
        "Content-Type: text/html; name*=UTF-8''Scan%E2%80%AE.html\n"
        "Content-Disposition: attachment; filename*=UTF-8''scan%5F2026.html\n"
        "Content-Transfer-Encoding: quoted-printable\n\n" +
        smuggling_page(0).replace("=", "=3D"))])
    inner = multipart("Inner", [TEXT, attachment("doc.htm", smuggling_page(1).encode(),
                                                 "text/html")], boundary="in1")
    c["smuggling-nested"] = multipart("Fwd: doc", [TEXT, "Content-Type: message/rfc822\n\n"
                                                   + inner])
    c["eicar-attachment"] = multipart("Test", [TEXT, attachment("eicar.com", EICAR)])
    uu = "begin 644 eicar.com\n"
    data = EICAR
    for i in range(0, len(data), 45):
        chunk = data[i:i + 45]
        line = chr(32 + len(chunk))
        for j in range(0, len(chunk), 3):
            g = chunk[j:j + 3].ljust(3, b"\0")
            n = (g[0] << 16) | (g[1] << 8) | g[2]
            line += "".join(chr(32 + ((n >> s) & 63) or 96) for s in (18, 12, 6, 0))
        uu += line.replace(" ", "`") + "\n"
    uu += "`\nend\n"
    c["eicar-uuencoded"] = headers("Old school", "text/plain") + "\nHere it is:\n\n" + uu
    return c


def nest_multipart(depth):
    s = TEXT
    for i in range(depth):
        s = f'Content-Type: multipart/mixed; boundary="n{i}"\n\n--n{i}\n{s}\n--n{i}--\n'
    return headers("deep", "text/plain", "") .replace("Content-Type: text/plain\n", "") + s


def nest_message(depth):
    s = "Content-Type: text/plain\n\ninner\n"
    for i in range(depth):
        s = "Content-Type: message/rfc822\n\nSubject: level %d\n%s" % (i, s)
    return headers("deep messages", "text/plain").replace("Content-Type: text/plain\n", "") + s


def malformed():
    c = {}
    plain = "Content-Type: text/plain\n\nhello\n"
    html = "Content-Type: text/html\n\n" + smuggling_page(0)
    h = headers("x", "text/plain").replace("Content-Type: text/plain\n", "")
    c["missing-boundary"] = headers("x", "multipart/mixed") + f"\n--b1\n{plain}\n--b1--\n"
    c["duplicate-boundary"] = (headers("x", 'multipart/mixed; boundary="aa"; boundary="bb"') +
                               f"\n--aa\n{plain}\n--bb\n{html}\n--bb--\n--aa--\n")
    c["duplicate-boundary-same"] = (headers("x", 'multipart/mixed; boundary="aa"; boundary="aa"')
                                    + f"\n--aa\n{plain}\n--aa--\n")
    c["boundary-never-used"] = headers("x", 'multipart/mixed; boundary="zz"') + \
        f"\n--b1\n{html}\n--b1--\n"
    c["unterminated-multipart"] = headers("x", 'multipart/mixed; boundary="b1"') + \
        f"\n--b1\n{plain}\n--b1\n{html}\n"
    c["broken-base64"] = multipart("x", [attachment("a.bin", b"A" * 300).replace(
        "QUFB", "Q!F%", 3)])
    c["base64-after-padding"] = multipart("x", [attachment("a.bin", b"ab") + "\nQUJD\n"])
    c["truncated-base64"] = headers("x", 'multipart/mixed; boundary="b1"') + \
        "\n--b1\n" + attachment("a.zip", ZIP_HEAD * 50)[:600]
    c["conflicting-encoding"] = multipart("x", [
        "Content-Type: text/html\nContent-Transfer-Encoding: base64\n"
        "Content-Transfer-Encoding: quoted-printable\n\n" + b64(smuggling_page(0).encode())])
    c["duplicate-content-type"] = multipart("x", [
        "Content-Type: text/plain\nContent-Type: text/html\n\n" + smuggling_page(0)])
    c["unknown-encoding"] = multipart("x", [
        "Content-Type: text/html\nContent-Transfer-Encoding: x-rot13\n\n<html>uryyb</html>\n"])
    c["encoded-multipart"] = (headers("x", 'multipart/mixed; boundary="b1"',
                                      "Content-Transfer-Encoding: base64\n") +
                              "\n" + b64(f"--b1\n{html}\n--b1--\n".encode()) + "\n")
    c["nesting-1000-multipart"] = nest_multipart(1000)
    c["nesting-1000-message"] = nest_message(1000)
    c["parts-50000"] = multipart("many", ["Content-Type: text/plain\n\np\n"] * 50000)
    c["nul-in-headers"] = "From: a@example.org\nSubject: nu\0l\nTo: b@test.local\n\nbody\n"
    c["nul-in-body"] = headers("x", "text/html") + "\n<html>\0<script>\0</script>\0</html>\n"
    c["header-line-1mb"] = headers("x" * (1 << 20), "text/plain") + "\nbody\n"
    c["x-header-1mb"] = headers("x", "text/plain", "X-Long: " + "y" * (1 << 20) + "\n") + "\nb\n"
    c["body-line-1mb"] = headers("x", "text/plain") + "\n" + "z" * (1 << 20) + "\n"
    c["bad-charset"] = headers("=?x-no-such-charset?B?SGVsbG8=?=",
                               "text/plain; charset=x-no-such-charset") + "\n\xe9\xff\xfe\n"
    c["bad-charset-html"] = multipart("x", [
        "Content-Type: text/html; charset=\"utf-99\"\n\n<html>\xff\xfe</html>\n"])
    c["invalid-encoded-words"] = headers("=?UTF-8?B?!!!?= =?UTF-8?Q?=ZZ?=", "text/plain") + \
        "\nbody\n"
    c["empty"] = ""
    c["headers-only"] = h
    c["garbage"] = "".join(chr((i * 7919) % 256) for i in range(4096))
    c["message-partial"] = headers("x", 'message/partial; id="abc@x"; number=1; total=2') + \
        "\nContent-Type: text/html\n\n<html><script>var b = new Bl\n"
    c["invalid-header-name"] = ("From: a@example.org\nBad Header Name: yes\n"
                                "Content-Type: text/plain\n\nbody\n")
    c["empty-boundary"] = headers("x", 'multipart/mixed; boundary=""') + \
        f"\n--\n{plain}\n----\n"
    c["bare-cr"] = headers("x", 'multipart/mixed; boundary="b1"').replace("\n", "\r") + \
        f"\r--b1\r{plain}\r--b1--\r"
    c["uuencode-no-end"] = headers("x", "text/plain") + "\nbegin 644 a.exe\nM5.E\n"
    c["same-boundary-nested"] = headers("x", 'multipart/mixed; boundary="b1"') + (
        f'\n--b1\nContent-Type: multipart/mixed; boundary="b1"\n\n--b1\n{html}\n--b1--\n'
        f"--b1--\n")
    c["rfc2231-broken"] = multipart("x", [
        "Content-Type: application/octet-stream; name*0=\"a\"; name*2=\"c.exe\"; "
        "name*1*=%ZZ%\nContent-Disposition: attachment; filename*=''\n\nMZ\n"])
    c["8bit-header"] = headers("caf\xe9 \xff", "text/plain") + "\nbody\n"
    c["multipart-no-subtype"] = headers("x", 'multipart; boundary="b1"') + \
        f"\n--b1\n{plain}\n--b1--\n"
    c["headers-10000"] = headers("x", "text/plain", "".join(
        f"X-H{i}: v\n" for i in range(10000))) + "\nb\n"
    c["base64-one-line-1mb"] = multipart("x", [
        "Content-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\n" +
        base64.b64encode(bytes(786432)).decode()])
    return c


# Ambiguous structure must never be clean; the rest only needs a verdict.
NOT_CLEAN = {"missing-boundary", "duplicate-boundary", "duplicate-boundary-same",
             "boundary-never-used", "unterminated-multipart", "broken-base64",
             "base64-after-padding", "truncated-base64", "conflicting-encoding",
             "duplicate-content-type", "unknown-encoding", "encoded-multipart",
             "nesting-1000-multipart", "nesting-1000-message", "parts-50000",
             "message-partial", "uuencode-no-end", "empty"}


def main():
    out = sys.argv[1]
    only = None
    if len(sys.argv) > 3 and sys.argv[2] == "--only":
        only = sys.argv[3].split(",")
    sets = {"clean": clean, "bad": bad, "malformed": malformed}
    with open(os.path.join(out, "expect.tsv"), "w") as exp:
        for kind, fn in sets.items():
            if only and kind not in only:
                continue
            os.makedirs(os.path.join(out, kind), exist_ok=True)
            for name, text in fn().items():
                with open(os.path.join(out, kind, name + ".eml"), "wb") as f:
                    f.write(text.encode("latin-1", "replace") if isinstance(text, str)
                            else text)
                want = {"clean": "clean", "bad": "notclean"}.get(kind)
                if want is None:
                    want = "notclean" if name in NOT_CLEAN else "any"
                exp.write(f"{kind}/{name}.eml\t{want}\n")


main()
