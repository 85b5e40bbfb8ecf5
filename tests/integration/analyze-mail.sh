#!/bin/sh
# airlock analyze on mail messages (.eml, mbox, a message inside an archive) walks their MIME
# parts with the same walk as airlock mail scan: every part that mail scan judges is judged the
# same by analyze, the attachments of a message in a zip are found, and nesting messages in
# compressed attachments stays within the depth limit of the file.
. "$AIRLOCK_SRC/tests/lib.sh"

C=$TEST_TMPDIR/corpus
mkdir -p "$C"
python3 "$AIRLOCK_SRC/tests/integration/mail-corpus.py" "$C" --only clean,bad ||
        { fail "corpus" "mail-corpus.py failed"; exit 1; }

# The part trees of both commands, as "name verdict rules" lines (the top node, the file or
# the message, is left out: its name and type differ by design).
cat >"$TEST_TMPDIR/parts.py" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
def walk(n, pre):
    for c in n.get("children", []):
        key = pre + "/" + c["name"]
        print("%s %s %s" % (key, c["verdict"], ",".join(sorted(f["rule"] for f in c["findings"]))))
        walk(c, key)
for f in r["files"]:
    walk(f, "")
PY

n_same=0
n_flagged=0
n_all=0
while IFS="$(printf '\t')" read -r f want; do
        n_all=$((n_all + 1))
        "$AIRLOCK" mail scan --json "$C/$f" >"$TEST_TMPDIR/mail.json" 2>/dev/null
        "$AIRLOCK" analyze --json "$C/$f" >"$TEST_TMPDIR/analyze.json" 2>"$TEST_TMPDIR/err"
        rc=$?
        python3 "$TEST_TMPDIR/parts.py" "$TEST_TMPDIR/mail.json" >"$TEST_TMPDIR/mail.parts"
        python3 "$TEST_TMPDIR/parts.py" "$TEST_TMPDIR/analyze.json" >"$TEST_TMPDIR/analyze.parts"
        if [ -s "$TEST_TMPDIR/mail.parts" ] && cmp -s "$TEST_TMPDIR/mail.parts" "$TEST_TMPDIR/analyze.parts"; then
                n_same=$((n_same + 1))
        else
                fail "same parts $f" "mail scan: $(head -c 300 "$TEST_TMPDIR/mail.parts") / analyze: $(head -c 300 "$TEST_TMPDIR/analyze.parts") $(head -c 200 "$TEST_TMPDIR/err")"
        fi
        if [ "$want" = notclean ]; then
                [ $rc = 1 ] && n_flagged=$((n_flagged + 1)) || fail "analyze flags $f" "exit $rc"
        elif [ $rc != 0 ]; then
                fail "analyze passes $f" "exit $rc: $(head -c 300 "$TEST_TMPDIR/analyze.parts")"
        fi
done <"$C/expect.tsv"
[ $n_same = $n_all ] && [ $n_all -ge 14 ] && pass "same part verdicts as mail scan for $n_all messages"
[ $n_flagged -ge 6 ] && pass "analyze flags the $n_flagged attack messages"

# The attachment itself carries the finding (not only the raw message text).
"$AIRLOCK" analyze --json "$C/bad/eicar-attachment.eml" >"$TEST_TMPDIR/eicar.json" 2>/dev/null
expect_grep "eicar attachment is a part of the message" 'eicar_test_file' \
        python3 "$TEST_TMPDIR/parts.py" "$TEST_TMPDIR/eicar.json"

# A message inside a zip is walked too: a mail saved from a client and sent on as an archive.
(cd "$C/bad" && zip -q "$TEST_TMPDIR/saved.zip" smuggling-attachment.eml)
"$AIRLOCK" analyze --json "$TEST_TMPDIR/saved.zip" >"$TEST_TMPDIR/zip.json" 2>/dev/null
expect_grep "message in a zip: its attachment is judged" '/smuggling-attachment.eml/mixed/invoice.html malicious .*html_smuggling' \
        python3 "$TEST_TMPDIR/parts.py" "$TEST_TMPDIR/zip.json"

# An mbox: each message is a child, the bad one's attachment is found.
{
        echo "From a@example.org Mon Jan  1 00:00:00 2024"
        cat "$C/clean/plain.eml"
        echo
        echo "From b@example.org Mon Jan  1 00:00:01 2024"
        cat "$C/bad/eicar-attachment.eml"
} >"$TEST_TMPDIR/box.mbox"
"$AIRLOCK" analyze --json "$TEST_TMPDIR/box.mbox" >"$TEST_TMPDIR/mbox.json" 2>/dev/null
rc=$?
python3 - "$TEST_TMPDIR/mbox.json" <<'PY'
import json, sys
f = json.load(open(sys.argv[1]))["files"][0]
msgs = f["children"]
def rules(n):
    out = set(x["rule"] for x in n["findings"])
    for c in n["children"]:
        out |= rules(c)
    return out
ok = (f["mime"] == "application/mbox" and len(msgs) == 2 and msgs[0]["verdict"] == "clean"
      and "eicar_test_file" in rules(msgs[1]) and msgs[1]["verdict"] == "malicious")
print(("PASS: %s" if ok else "FAIL: %s: " + json.dumps([(m["name"], m["verdict"]) for m in msgs]))
      % "mbox-messages-walked")
PY
[ $rc = 1 ] && pass "mbox exit status 1" || fail "mbox exit status 1" "exit $rc"

# Messages nested in gzip'd attachments, 12 deep: the depth limit of the file (8) holds across
# the message walks (each walk must not start counting again), so the result is unscannable.
python3 - "$TEST_TMPDIR/nested.eml" <<'PY'
import base64, gzip, sys
msg = b"From: a@example.org\r\nTo: b@example.org\r\nSubject: innermost\r\n\r\nhello\r\n"
for i in range(12):
    att = base64.encodebytes(gzip.compress(msg)).decode().replace("\n", "\r\n")
    msg = ("From: a@example.org\r\nTo: b@example.org\r\nSubject: level %d\r\nMIME-Version: 1.0\r\n"
           "Content-Type: multipart/mixed; boundary=b%d\r\n\r\n--b%d\r\nContent-Type: text/plain\r\n\r\n"
           "see attached\r\n--b%d\r\nContent-Type: application/gzip; name=m%d.eml.gz\r\n"
           "Content-Transfer-Encoding: base64\r\n\r\n%s--b%d--\r\n" % (i, i, i, i, i, att, i)).encode()
open(sys.argv[1], "wb").write(msg)
PY
"$AIRLOCK" analyze --json "$TEST_TMPDIR/nested.eml" >"$TEST_TMPDIR/nested.json" 2>/dev/null
expect_grep "nested messages hit the depth limit" '"limit": *"depth"' cat "$TEST_TMPDIR/nested.json"
expect_grep "nested messages: unscannable" '"verdict": "unscannable"' \
        python3 -c 'import json,sys; print(json.dumps({"verdict": json.load(open(sys.argv[1]))["files"][0]["verdict"]}))' "$TEST_TMPDIR/nested.json"

# A benign file that only looks a little like a header is not taken for a message.
printf 'Package: demo\nVersion: 1.0\n\nJust text.\n' >"$TEST_TMPDIR/control"
expect_grep "a Debian control file is text, not mail" '"mime": *"text/plain"' \
        "$AIRLOCK" analyze --json "$TEST_TMPDIR/control"
