#!/bin/sh
# airlock analyze on the documents that analyze-office.py writes: encrypted Office files (agile;
# RC4 and RC4 CryptoAPI in Excel; RC4 CryptoAPI in Word; each checked with msoffcrypto-tool),
# Excel 4.0 macro sheets in BIFF8 and SYLK, field codes stored as UTF-16 in binary Word, OLE
# Package objects, external templates, Internet Shortcuts, RTF objects (nibble-obfuscated
# equation objects, OLE2Link, an ordinary Word object) and PDF actions hidden by escaped names
# or object streams. Each malicious-looking file must get its rule, id and verdict; the benign
# ones must be clean.
. "$AIRLOCK_SRC/tests/lib.sh"

py=/usr/bin/python3
have_msoffcrypto() { "$py" -c 'import msoffcrypto, cryptography' 2>/dev/null; }
have_msoffcrypto || { is_root && sh "$AIRLOCK_SRC/scripts/deps.sh" >/dev/null 2>&1; }
if ! have_msoffcrypto; then
        fail "office-generator" "python3-msoffcrypto-tool is missing (scripts/deps.sh)"
        exit 0
fi
gen=$TEST_TMPDIR/office
mkdir -p "$gen"
# a real package to encrypt: LibreOffice's own .docx
printf 'Quarterly figures attached.\n' >"$gen/letter.txt"
docx=""
if command -v soffice >/dev/null 2>&1; then
        for fmt in docx doc; do
                (cd "$gen" && HOME=$gen timeout 180 soffice --headless \
                        -env:UserInstallation="file://$gen/lo" --convert-to $fmt letter.txt \
                        >"$gen/soffice.out" 2>&1)
        done
        [ -s "$gen/letter.docx" ] && docx=$gen/letter.docx
        [ -s "$gen/letter.doc" ] && [ -n "$docx" ] && docx="$docx $gen/letter.doc"
fi
[ -n "$docx" ] || fail "soffice-docx" "soffice wrote no docx: $(tail -3 "$gen/soffice.out" 2>/dev/null)"
if ! "$py" "$AIRLOCK_SRC/tests/integration/analyze-office.py" "$gen/set" $docx >"$gen/gen.out" 2>&1; then
        fail "office-generator" "$(tail -5 "$gen/gen.out")"
        exit 0
fi
pass "office-files-written"
# LibreOffice's own Word 97 file is a benign compound file
[ -s "$gen/letter.doc" ] && cp "$gen/letter.doc" "$gen/set/benign/" || fail "soffice-doc" "soffice wrote no .doc"

"$AIRLOCK" analyze --json "$gen/set/malicious" "$gen/set/benign" >"$gen/report.json" 2>"$gen/err"
rc=$?
[ "$rc" = 1 ] && pass "exit-status-1" || fail "exit-status-1" "exit $rc: $(head -c 300 "$gen/err")"

"$py" - "$gen/report.json" "$docx" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
mal, ben = r["files"]
by = {f["name"]: f for f in mal["children"]}
ok = lambda c, n, why="": print(("PASS: %s" % n) if c else ("FAIL: %s: %s" % (n, why)))
def findings(f):
    out = list(f["findings"])
    for c in f["children"]:
        out += findings(c)
    return out
expect = {
    "velvet-agile.docx": ("office.encrypted_default_password", "T1027.013", "malicious"),
    "password-agile.docx": ("office.encrypted", "T1027.013", "suspicious"),
    "velvet-rc4.xls": ("office.encrypted_default_password", "T1027.013", "malicious"),
    "password-rc4.xls": ("office.encrypted", "T1027.013", "suspicious"),
    "velvet-rc4capi.xls": ("office.encrypted_default_password", "T1027.013", "malicious"),
    "password-rc4capi.xls": ("office.encrypted", "T1027.013", "suspicious"),
    "velvet-rc4capi.doc": ("office.encrypted_default_password", "T1027.013", "malicious"),
    "password-rc4capi.doc": ("office.encrypted", "T1027.013", "suspicious"),
    "xlm-exec.xls": ("office.xlm_macro_exec", "T1059", "malicious"),
    "xlm-sheet-hidden.xls": ("office.xlm_macro_sheet", "T1059", "malicious"),
    "dde-utf16.doc": ("office.dde_field_binary", "T1559.002", "malicious"),
    "includepicture-unc.doc": ("office.field_unc_include", "T1187", "malicious"),
    "package-eicar.doc": ("eicar_test_file", None, "malicious"),
    "exec.slk": ("sylk_xlm_exec", "T1059", "malicious"),
    "invoice.url": ("internet_shortcut_remote_payload", "T1187", "malicious"),
    "scan.url": ("internet_shortcut_remote_payload", "T1204.002", "malicious"),
    "icon-unc.url": ("internet_shortcut_unc_icon", "T1187", "malicious"),
    "uri-unc.pdf": ("pdf_uri_file_share", "T1187", "malicious"),
    "gotor-remote.pdf": ("pdf_remote_goto", "T1187", "malicious"),
    "submit-on-open.pdf": ("pdf_autorun_submit_import", "T1204.002", "malicious"),
    "template-injection.docx": ("ooxml_external_template", "T1221", "malicious"),
    "template-unc.docx": ("ooxml_external_unc", "T1187", "malicious"),
    "equation-nibble.rtf": ("office_equation_editor_object", "T1203", "malicious"),
    "equation.doc": ("office_equation_editor_object", "T1203", "malicious"),
    "ole2link.rtf": ("rtf_ole2link_object", "T1203", "malicious"),
    "launch-escaped.pdf": ("pdf_launch_action", "T1204.002", "malicious"),
    "objstm-uri-unc.pdf": ("pdf_uri_file_share", "T1187", "malicious"),
    "attachment-eicar.pdf": ("eicar_test_file", None, "malicious"),
}
if not sys.argv[2]:
    for n in ("velvet-agile.docx", "password-agile.docx", "template-injection.docx", "template-unc.docx"):
        del expect[n]
for name, (rule, attack, verdict) in expect.items():
    f = by.get(name)
    if not f:
        ok(False, name, "not in the report")
        continue
    hit = [x for x in findings(f) if x["rule"] == rule]
    ok(hit and f["verdict"] == verdict and (attack is None or any(attack in x["attack"] for x in hit)),
       "%s-%s-%s" % (name, rule, verdict),
       "verdict %s, findings %s" % (f["verdict"], [(x["rule"], x["attack"]) for x in findings(f)]))
pkg = by.get("package-eicar.doc", {"children": []})
ok(any(c["name"].endswith("Ole10Native:readme.com") and c["verdict"] == "malicious"
       for c in pkg["children"]), "package-object-scanned-as-child",
   str([c["name"] for c in pkg["children"]]))
for f in ben["children"]:
    ok(f["verdict"] == "clean", "benign-%s-clean" % f["name"],
       "%s: %s" % (f["verdict"], [x["rule"] for x in findings(f)]))
txt = [f for f in ben["children"] if f["name"] == "package-text.doc"]
ok(txt and len(txt[0]["children"]) == 1 and txt[0]["children"][0]["verdict"] == "clean",
   "package-text-object-read-not-unscannable")
att = by.get("attachment-eicar.pdf", {"children": []})
ok(any(c["name"].startswith("pdf-attachment@") and c["verdict"] == "malicious" for c in att["children"]),
   "pdf-attachment-judged-as-child", str([c["name"] for c in att["children"]]))
rtf = [f for f in ben["children"] if f["name"] == "word-object.rtf"]
ok(rtf and any(g["name"].startswith("ole1-native") and "Composite Document" in g["type"]
               for c in rtf[0]["children"] for g in c["children"]),
   "rtf-word-object-read-as-child")
ok(len(ben["children"]) >= 10, "benign-files-present", str(len(ben["children"])))
PY
