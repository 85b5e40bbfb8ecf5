#!/bin/sh
# airlock-test: root-only
# Root because a real Postfix instance has to be started (see milter-postfix.sh); the milter
# drops to nobody, and detonates as nobody (an unprivileged airlock run).
#
# airlock milter --detonate in front of Postfix: an attachment that looks harmless to the
# static engine (a script that builds the path of an SSH key from character codes and reads
# it) is delivered without detonation, and rejected with it (the decoy key read is the
# evidence); a benign script is still delivered, marked clean; the policy file's
# "detonate = yes" does the same as the flag; a bad detonate-timeout is refused at start.
. "$AIRLOCK_SRC/tests/lib.sh"
. "$AIRLOCK_SRC/tests/integration/milter-postfix.lib"
. "$AIRLOCK_SRC/tests/helpers/pages-lib.sh"

pf_require || { fail "postfix" "cannot install postfix and swaks (apt-get)"; exit 1; }
T=$TEST_TMPDIR/pf
S=$TEST_TMPDIR/samples
mkdir -p "$T" "$S"
# a script that builds the path of an SSH key from character codes and reads it
cp "$AIRLOCK_SRC/tests/data/detonate/keyread.py" "$S/notes.py"
printf '#!/bin/sh\necho hello\n' >"$S/hello.sh"
# message ATTACHMENT NAME SUBTYPE OUT: a message with one attachment.
message() {
        python3 - "$@" <<'PYS'
import sys
from email.message import EmailMessage
m = EmailMessage()
m["From"], m["To"], m["Subject"] = "a@example.org", "user@test.local", "notes"
m.set_content("see attached")
m.add_attachment(open(sys.argv[1], "rb").read(), maintype="text", subtype=sys.argv[3],
                 filename=sys.argv[2])
open(sys.argv[4], "wb").write(bytes(m))
PYS
}
message "$S/notes.py" notes.py x-python "$T/keyread.eml"
message "$S/hello.sh" hello.sh x-shellscript "$T/hello.eml"
chmod -R a+rX "$TEST_TMPDIR"

last_delivered() { ls -t "$T"/mail/user/new/* 2>/dev/null | head -n 1; }
# The milter detonates as nobody, with the launcher beside it: a clone in a private folder
# (as CI's) is out of nobody's reach, so run both programs from a copy nobody can execute.
mkdir -p "$TEST_TMPDIR/bin"
cp "$AIRLOCK" "$AIRLOCK_TOOLS" "$TEST_TMPDIR/bin/"
chmod -R a+rX "$TEST_TMPDIR/bin"
AIRLOCK_TOOLS=$TEST_TMPDIR/bin/airlock-tools

# Static only: the key reader carries nothing a rule can see, and is delivered.
pf_up "$T" --report-dir "$T/reports"
before=$(pf_delivered "$T")
code=$(send_file "$P" "$T/keyread.eml" static@example.org)
pf_wait_idle "$T" 30
f=$(last_delivered)
[ "$code" = 250 ] && [ "$(pf_delivered "$T")" -gt "$before" ] && grep -q '^X-Airlock-Verdict: clean$' "$f" &&
        pass "static only: the key-reading script looks clean and is delivered" ||
        fail "static only: delivered" "reply $code: $(tail -n 2 "$T/milter.log")"

# --detonate: the same message is rejected, and the log and report say why.
ml_stop "$T"
ml_start "$T" "$M" --report-dir "$T/reports" --detonate --detonate-timeout 20 ||
        fail "milter start with --detonate" "$(tail -n 3 "$T/milter.log")"
expect_grep "--detonate: announced at start" "detonated \(20s each" cat "$T/milter.log"
before=$(pf_delivered "$T")
out=$(swaks --server "127.0.0.1:$P" --to user@test.local --from detonate@example.org \
        --data "$T/keyread.eml" --timeout 120 2>&1)
pf_wait_idle "$T" 30
if printf '%s\n' "$out" | grep -Eq '^<\*\* +550 5\.7\.1 ' && [ "$(pf_delivered "$T")" = "$before" ]; then
        pass "--detonate: the key-reading script is rejected (550 5.7.1)"
else
        fail "--detonate: rejected" "$(printf %s "$out" | grep '^<' | tail -n 3); $(tail -n 3 "$T/milter.log")"
fi
expect_grep "--detonate: the log line names the verdict and the action" \
        'from=<detonate@example.org> .*verdict=malicious .*action=reject' cat "$T/milter.log"
expect_grep "--detonate: the report holds the detonation's evidence" \
        'detonation\.credential-canary' sh -c "cat '$T'/reports/*.json"
code=$(send_file "$P" "$T/hello.eml" benign@example.org)
pf_wait_idle "$T" 30
f=$(last_delivered)
[ "$code" = 250 ] && grep -q '^Return-Path: <benign@example.org>' "$f" &&
        grep -q '^X-Airlock-Verdict: clean$' "$f" &&
        pass "--detonate: a benign script is run and delivered, clean" ||
        fail "--detonate: benign script" "reply $code: $(tail -n 2 "$T/milter.log")"

# A web page attached: the milter loads it in the browser too, and the payload its script
# builds (a style static rules miss, from detonate-pages.py) gets the message rejected.
if need_chromium; then
        page_corpus "$S/pages"
        message "$S/pages/mal/rotated-array.html" statement.html html "$T/page.eml"
        chmod -R a+rX "$S" "$T/page.eml"
        before=$(pf_delivered "$T")
        out=$(swaks --server "127.0.0.1:$P" --to user@test.local --from page@example.org \
                --data "$T/page.eml" --timeout 150 2>&1)
        pf_wait_idle "$T" 30
        if printf '%s\n' "$out" | grep -Eq '^<\*\* +550 5\.7\.1 ' &&
                [ "$(pf_delivered "$T")" = "$before" ]; then
                pass "--detonate: a smuggling page attached is loaded and rejected (550 5.7.1)"
        else
                fail "--detonate: smuggling page" "$(printf %s "$out" | grep '^<' | tail -n 3); $(tail -n 3 "$T/milter.log")"
        fi
        expect_grep "--detonate: the report has the page's smuggling finding" \
                'browser\.html_smuggling' sh -c "cat '$T'/reports/*.json"
fi

# The policy file says the same.
printf 'detonate = yes\ndetonate-timeout = 20s\n' >"$T/policy.conf"
chmod a+r "$T/policy.conf"
ml_stop "$T"
ml_start "$T" "$M" --config "$T/policy.conf" ||
        fail "milter start with detonate = yes" "$(tail -n 3 "$T/milter.log")"
code=$(send_file "$P" "$T/keyread.eml" policy@example.org)
pf_wait_idle "$T" 30
[ "$code" = 550 ] && grep -q 'from=<policy@example.org> .*verdict=malicious .*action=reject' "$T/milter.log" &&
        pass "policy file: detonate = yes rejects the key-reading script" ||
        fail "policy file: detonate = yes" "reply $code: $(tail -n 3 "$T/milter.log")"

# Bad values are refused before the milter listens.
expect_status "--detonate-timeout 0 is refused" 2 timeout 20 "$AIRLOCK_TOOLS" milter \
        --socket "inet:$(free_port)@127.0.0.1" --detonate-timeout 0
printf 'detonate-timeout = 2h\n' >"$T/bad.conf"
expect_grep "policy file: detonate-timeout above an hour is refused" "bad.conf:1: detonate-timeout: invalid value .2h.: expected seconds from 1 to 3600" \
        timeout 20 "$AIRLOCK_TOOLS" milter --socket "inet:$(free_port)@127.0.0.1" --config "$T/bad.conf"
exit 0
