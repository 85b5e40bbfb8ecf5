#!/bin/sh
# airlock-test: root-only
# Root because a real Postfix instance has to be started (see milter-postfix.sh); the milter
# drops to nobody. Everything listens on 127.0.0.1 only and relays nowhere.
#
# What the milter tells the sender and the log (issue 17, points 11 and 13): the 550 reply for
# a zip whose member is malicious names that finding and the member (never an empty text
# after the colon), and so does the log line; a message whose header block holds a line that
# is not a header gets the same verdict from the milter (handed the split Postfix made) and
# from mail scan on the same bytes.
. "$AIRLOCK_SRC/tests/lib.sh"
. "$AIRLOCK_SRC/tests/integration/milter-postfix.lib"

pf_require || { fail "postfix" "cannot install postfix and swaks (apt-get)"; exit 1; }
T=$TEST_TMPDIR/pf
mkdir -p "$T"
pf_up "$T"

python3 - "$TEST_TMPDIR" <<'PY'
import base64, io, sys, zipfile
d = sys.argv[1]
eicar = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
b = io.BytesIO()
with zipfile.ZipFile(b, "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("docs/readme.txt", "hello")
    z.writestr("docs/eicar.com", eicar)
data = base64.encodebytes(b.getvalue()).decode()
open(d + "/zip.eml", "w").write(
    "From: a@example.org\nTo: user@test.local\nSubject: files\nMIME-Version: 1.0\n"
    "Content-Type: multipart/mixed; boundary=b1\n\n--b1\nContent-Type: text/plain\n\nsee attached\n"
    "--b1\nContent-Type: application/zip; name=files.zip\n"
    "Content-Disposition: attachment; filename=files.zip\nContent-Transfer-Encoding: base64\n\n"
    + data + "--b1--\n")
# a line that is not a header, then what a client could take for more headers
open(d + "/junk.eml", "w").write(
    "From: a@example.org\nTo: user@test.local\nSubject: junk line\nthis line is not a header\n"
    "X-Later: 1\n\nhello\n")
PY

out=$(swaks --server "127.0.0.1:$P" --to user@test.local --from zip@example.org \
        --data "$TEST_TMPDIR/zip.eml" 2>&1)
reply=$(printf '%s\n' "$out" | grep -E '^<\*\* +550' | tail -n 1)
case "$reply" in
*"rejected by airlock: eicar_test_file"*docs/eicar.com*) pass "zip-550-names-deepest-finding" ;;
*) fail "zip-550-names-deepest-finding" "reply: $reply" ;;
esac
wait_for 10 grep -q 'from=<zip@example.org>' "$T/milter.log"
expect_grep "zip-log-has-reason" 'from=<zip@example.org> .*action=reject .*reason="eicar_test_file.*docs/eicar.com' cat "$T/milter.log"

before=$(pf_delivered "$T")
code=$(send_file "$P" "$TEST_TMPDIR/junk.eml" junk@example.org)
pf_wait_idle "$T" 20
wait_for 10 grep -q 'from=<junk@example.org>' "$T/milter.log"
milter_verdict=$(grep 'from=<junk@example.org>' "$T/milter.log" | sed -n 's/.*verdict=\([a-z]*\).*/\1/p' | tail -n 1)
scan_verdict=$("$AIRLOCK" mail scan "$TEST_TMPDIR/junk.eml" | head -n 1 | sed 's/^[^:]*: \([a-z]*\).*/\1/')
expect_eq "junk-line-one-verdict" "$milter_verdict" "$scan_verdict"
expect_eq "junk-line-delivered" "250 $((before + 1))" "$code $(pf_delivered "$T")"
exit 0
