#!/bin/sh
# Issue 11, class 5: a message/rfc822 or multipart part with a Content-Transfer-Encoding other
# than 7bit, 8bit or binary (RFC 2046 forbids it; clients differ) is decoded and walked, or is
# unscannable, never clean. Each mail hides EICAR in such a part; `airlock mail scan` must say
# malicious (decoded) or at least not clean. The milter side: seams-mail-milter.sh.
. "$AIRLOCK_SRC/tests/lib.sh"

C=$TEST_TMPDIR/seams-mail
python3 "$AIRLOCK_SRC/tests/integration/seams-mail.py" "$C" ||
        { fail "seams-mail corpus" "seams-mail.py failed"; exit 1; }

while IFS="$(printf '\t')" read -r f want; do
        timeout 60 "$AIRLOCK" mail scan --json "$C/$f" >"$TEST_TMPDIR/out.json" 2>"$TEST_TMPDIR/err"
        rc=$?
        verdict=$(python3 -c '
import json, sys
print(json.load(open(sys.argv[1]))["files"][0]["verdict"])' "$TEST_TMPDIR/out.json" 2>/dev/null)
        if [ $rc != 1 ] || [ -z "$verdict" ]; then
                fail "seams-mail $f" "status $rc, verdict '$verdict': $(head -c 300 "$TEST_TMPDIR/err")"
        elif [ "$want" = malicious ] && [ "$verdict" != malicious ]; then
                fail "seams-mail $f" "EICAR in an encoded container judged $verdict, not malicious"
        elif [ "$verdict" = clean ]; then
                fail "seams-mail $f" "EICAR in an encoded container judged clean"
        else
                pass "seams-mail $f: $verdict"
        fi
done <"$C/expect.tsv"
