#!/bin/sh
# airlock-test: root-only
# Root because a real Postfix instance has to be started (see milter-postfix.sh); the milter
# drops to nobody. 127.0.0.1 only, no relaying.
#
# Issue 11, class 5, through Postfix and the milter: EICAR inside a message/rfc822 or multipart
# part with a forbidden Content-Transfer-Encoding is rejected or held, never delivered clean.
. "$AIRLOCK_SRC/tests/lib.sh"
. "$AIRLOCK_SRC/tests/integration/milter-postfix.lib"

pf_require || { fail "postfix" "cannot install postfix and swaks (apt-get)"; exit 1; }
T=$TEST_TMPDIR/pf
C=$TEST_TMPDIR/seams-mail
mkdir -p "$T"
python3 "$AIRLOCK_SRC/tests/integration/seams-mail.py" "$C" || exit 1
pf_up "$T"

i=0
while IFS="$(printf '\t')" read -r f want; do
        i=$((i + 1))
        code=$(send_file "$P" "$C/$f" "s$i@example.org")
        pf_wait_idle "$T" 30
        line=$(grep "from=<s$i@example.org> " "$T/milter.log")
        verdict=$(printf '%s\n' "$line" | sed -n 's/.* verdict=\([a-z]*\) .*/\1/p')
        action=$(printf '%s\n' "$line" | sed -n 's/.* action=\([a-z]*\) .*/\1/p')
        if [ -z "$verdict" ]; then
                fail "seams-mail milter $f" "no log line with a verdict (reply $code)"
        elif [ "$want" = malicious ] && [ "$verdict" != malicious ]; then
                fail "seams-mail milter $f" "verdict $verdict, action $action, reply $code"
        elif [ "$verdict" = clean ] || [ "$action" = tag ] || [ "$action" = accept ]; then
                fail "seams-mail milter $f" "delivered: verdict $verdict, action $action"
        else
                pass "seams-mail milter $f: $verdict, $action, reply $code"
        fi
done <"$C/expect.tsv"

# Policy strip: the EICAR found inside the decoded message must go with the encoded part that
# carries it in the delivered mail (replacing the decoded copy would deliver it unchanged).
last_delivered() { ls -t "$T"/mail/user/new/* 2>/dev/null | head -n 1; }
printf 'malicious = strip\nunscannable = strip\n' >"$T/policy.conf"
ml_stop "$T"
ml_start "$T" "$M" --config "$T/policy.conf" ||
        fail "milter restart with --config" "$(tail -n 3 "$T/milter.log")"
code=$(send_file "$P" "$C/rfc822-base64.eml" strip@example.org)
pf_wait_idle "$T" 30
f=$(last_delivered)
inner=$(python3 -c '
import base64, sys
d = open(sys.argv[1], "rb").read()
print(d.split(b"base64\r\n\r\n")[1].split(b"\n")[0].decode())' "$C/rfc822-base64.eml")
if [ "$code" = 250 ] && [ -n "$f" ] && grep -q '^Return-Path: <strip@example.org>' "$f" &&
        grep -q 'airlock removed part 1.2' "$f" && grep -q 'see attached' "$f" &&
        ! grep -qF "$inner" "$f"; then
        pass "seams-mail milter strip: the encoded message part replaced by a notice"
else
        fail "seams-mail milter strip" "reply $code, delivered '$f': $(grep -c . "$f" 2>/dev/null) lines"
fi
expect_status "seams-mail milter strip: the delivered message scans clean" 0 "$AIRLOCK" mail scan "$f"
