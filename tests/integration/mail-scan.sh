#!/bin/sh
# airlock mail scan: verdicts, exit status, JSON report with the MIME tree, mbox, Maildir and
# stdin input, RFC 2231 / RFC 2047 names, uuencoded blocks and HTML bodies.
. "$AIRLOCK_SRC/tests/lib.sh"

C=$TEST_TMPDIR/corpus
mkdir -p "$C"
python3 "$AIRLOCK_SRC/tests/integration/mail-corpus.py" "$C" --only clean,bad ||
        { fail "corpus" "mail-corpus.py failed"; exit 1; }

# Every clean message is clean with status 0; every bad one is not clean, status 1.
n_ok=0
n_all=0
while IFS="$(printf '\t')" read -r f want; do
        n_all=$((n_all + 1))
        out=$("$AIRLOCK" mail scan "$C/$f" 2>"$TEST_TMPDIR/err")
        rc=$?
        v=$(printf '%s\n' "$out" | head -n 1 | sed -n 's/^[^:]*: \([a-z]*\) (score.*/\1/p')
        if [ "$want" = clean ] && [ $rc = 0 ] && [ "$v" = clean ]; then
                n_ok=$((n_ok + 1))
        elif [ "$want" = notclean ] && [ $rc = 1 ] && [ -n "$v" ] && [ "$v" != clean ]; then
                n_ok=$((n_ok + 1))
        else
                fail "verdict $f" "want $want, got '$v' status $rc: $(printf %s "$out" | head -c 300) $(head -c 300 "$TEST_TMPDIR/err")"
        fi
done <"$C/expect.tsv"
if [ $n_ok = $n_all ] && [ $n_all -ge 14 ]; then
        pass "verdicts of $n_all clean and attack messages"
fi

# The HTML body itself is scanned (smuggling is often in the body, not an attachment).
expect_grep "smuggling in the HTML body is found" 'part 1 text/html: malicious' \
        "$AIRLOCK" mail scan "$C/bad/smuggling-body.eml"
expect_grep "smuggling in a forwarded message/rfc822 is found" 'part 1\.2\.1\.2 text/html doc\.htm' \
        "$AIRLOCK" mail scan "$C/bad/smuggling-nested.eml"
expect_grep "uuencoded block is decoded and judged" 'part 1\.1 application/octet-stream eicar\.com: malicious' \
        "$AIRLOCK" mail scan "$C/bad/eicar-uuencoded.eml"

# JSON: the MIME tree, decoded names, the action the milter would take.
"$AIRLOCK" mail scan --json "$C/clean/encoded-names.eml" "$C/bad/smuggling-attachment.eml" \
        >"$TEST_TMPDIR/r.json" 2>"$TEST_TMPDIR/r.err"
rc=$?
check=$(python3 - "$TEST_TMPDIR/r.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
files = r["files"]
assert r["schema_version"] >= 1, "schema_version"
assert len(files) == 2, "two messages"
clean, bad = files
def walk(n):
    yield n
    for c in n.get("children", []):
        yield from walk(c)
names = [n["mime_part"].get("filename") for n in walk(clean) if "mime_part" in n]
assert "résumé.txt" in names, "RFC 2231 name decoded: %r" % names
assert clean["message"]["subject"] == "Résumé", "RFC 2047 subject: %r" % clean["message"]
assert clean["verdict"] == "clean" and clean["action"] == "tag", "clean message"
assert bad["verdict"] == "malicious" and bad["action"] == "reject", "bad message"
parts = [n for n in walk(bad) if n.get("mime_part", {}).get("filename") == "invoice.html"]
assert parts and parts[0]["verdict"] == "malicious", "attachment node"
assert parts[0]["mime_part"]["path"] == "1.2" and parts[0]["mime_part"]["disposition"] == "attachment"
assert any(f["rule"] for f in parts[0]["findings"]), "findings"
print("ok")
PY
)
# The report follows the analysis report schema (messages are its files, parts its children).
schema=$AIRLOCK_SRC/docs/analysis-report.schema.json
if [ -f "$schema" ] && python3 -c 'import jsonschema' 2>/dev/null; then
        expect_status "JSON report validates against docs/analysis-report.schema.json" 0 \
                python3 -c 'import json, sys, jsonschema
jsonschema.validate(json.load(open(sys.argv[1])), json.load(open(sys.argv[2])))' \
                "$TEST_TMPDIR/r.json" "$schema"
fi
if [ $rc = 1 ] && [ "$check" = ok ]; then
        pass "JSON report with the MIME tree"
else
        fail "JSON report with the MIME tree" "status $rc: $check $(head -c 300 "$TEST_TMPDIR/r.err")"
fi

# mbox: three messages, one bad; the verdict of each, status 1.
mbox=$TEST_TMPDIR/box.mbox
for f in clean/plain clean/forwarded bad/smuggling-attachment; do
        echo "From sender@example.org Fri Nov 27 05:00:00 2026"
        sed 's/^From />From /' "$C/$f.eml"
        echo
done >"$mbox"
out=$("$AIRLOCK" mail scan "$mbox" 2>/dev/null)
rc=$?
if [ $rc = 1 ] && [ "$(printf '%s\n' "$out" | grep -c "^$mbox:[123]: ")" = 3 ] &&
        printf '%s\n' "$out" | grep -q "^$mbox:3: malicious"; then
        pass "mbox: each message judged"
else
        fail "mbox: each message judged" "status $rc: $(printf %s "$out" | head -c 400)"
fi

# Maildir: new/ and cur/.
md=$TEST_TMPDIR/Maildir
mkdir -p "$md/new" "$md/cur" "$md/tmp"
cp "$C/clean/plain.eml" "$md/cur/1.host:2,S"
cp "$C/bad/eicar-attachment.eml" "$md/new/2.host"
out=$("$AIRLOCK" mail scan "$md" 2>/dev/null)
rc=$?
if [ $rc = 1 ] && printf '%s\n' "$out" | grep -q "new/2.host: malicious" &&
        printf '%s\n' "$out" | grep -q "cur/1.host:2,S: clean"; then
        pass "Maildir: new and cur"
else
        fail "Maildir: new and cur" "status $rc: $(printf %s "$out" | head -c 400)"
fi

expect_status "clean message from stdin: status 0" 0 sh -c "\"$AIRLOCK\" mail scan - <\"$C/clean/alternative.eml\""
expect_status "missing file: status 2" 2 "$AIRLOCK" mail scan "$TEST_TMPDIR/nonexistent.eml"
expect_status "no argument: status 2" 2 "$AIRLOCK" mail scan
expect_grep "policy file changes the action" 'milter action quarantine' sh -c \
        "printf 'malicious = quarantine\n' >\"$TEST_TMPDIR/p.conf\"; \"$AIRLOCK\" mail scan --config \"$TEST_TMPDIR/p.conf\" \"$C/bad/eicar-attachment.eml\""
expect_grep "bad policy file names the line" 'p2.conf:2: ' sh -c \
        "printf '# x\nmalicious = explode\n' >\"$TEST_TMPDIR/p2.conf\"; \"$AIRLOCK\" mail scan --config \"$TEST_TMPDIR/p2.conf\" \"$C/bad/eicar-attachment.eml\""
