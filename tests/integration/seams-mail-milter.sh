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
