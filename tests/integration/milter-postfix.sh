#!/bin/sh
# airlock-test: root-only
# Root because a real Postfix instance has to be started (its master runs as root and its
# daemons switch to the postfix user; local delivery writes as uid 65534); the milter itself
# drops to nobody. Everything listens on 127.0.0.1 only and relays nowhere.
#
# airlock milter in front of Postfix: a clean message is delivered with the X-Airlock headers
# (forged ones removed); an HTML-smuggling attachment is rejected (default policy), held
# (quarantine, checked with postqueue and postcat) or removed with a notice (strip);
# unscannable structure is held; SIGHUP reloads the policy and a bad file keeps the old one;
# fail-open labels a message it could not scan in time; one log line and one JSON report
# per message.
. "$AIRLOCK_SRC/tests/lib.sh"
. "$AIRLOCK_SRC/tests/integration/milter-postfix.lib"

pf_require || { fail "postfix" "cannot install postfix and swaks (apt-get)"; exit 1; }
T=$TEST_TMPDIR/pf
C=$TEST_TMPDIR/corpus
mkdir -p "$T" "$C"
python3 "$AIRLOCK_SRC/tests/integration/mail-corpus.py" "$C" || { fail corpus "failed"; exit 1; }
pf_up "$T" --report-dir "$T/reports"

last_delivered() { ls -t "$T"/mail/user/new/* 2>/dev/null | head -n 1; }
log_lines() { grep -c 'queue_id=' "$T/milter.log"; }

# 1. A clean message, with a forged verdict header, is delivered with our headers only.
sed 's/^Subject: Report/Subject: Report\nX-Airlock-Verdict: clean-forged/' \
        "$C/clean/pdf-attachment.eml" >"$T/forged.eml"
code=$(send_file "$P" "$T/forged.eml")
pf_wait_idle "$T" 20
f=$(last_delivered)
if [ "$code" = 250 ] && [ -n "$f" ] && grep -q '^X-Airlock-Verdict: clean$' "$f" &&
        grep -q '^X-Airlock-Score: 0$' "$f" && grep -q '^X-Airlock-Report: ' "$f" &&
        ! grep -q 'clean-forged' "$f"; then
        pass "clean message delivered with X-Airlock headers, forged header removed"
else
        fail "clean message delivered with X-Airlock headers" "reply $code, file '$f': $(grep -i '^x-airlock' "$f" 2>/dev/null)"
fi

# 2. Default policy: the HTML-smuggling attachment is rejected with 550 5.7.1 and a reason.
before=$(pf_delivered "$T")
out=$(swaks --server "127.0.0.1:$P" --to user@test.local --from evil@example.org \
        --data "$C/bad/smuggling-attachment.eml" 2>&1)
pf_wait_idle "$T" 20
if printf '%s\n' "$out" | grep -Eq '^<\*\* +550 5\.7\.1 .*html_smuggling' &&
        [ "$(pf_delivered "$T")" = "$before" ] &&
        grep -q 'from=<evil@example.org> .*verdict=malicious .*action=reject' "$T/milter.log"; then
        pass "smuggling attachment rejected: 550 5.7.1 with the reason"
else
        fail "smuggling attachment rejected" "$(printf %s "$out" | grep '^<' | tail -n 3)"
fi

# 3. Policy quarantine (reloaded by SIGHUP): the message lands in the hold queue.
printf 'malicious = quarantine\n' >"$T/policy.conf"
ml_stop "$T"
ml_start "$T" "$M" --report-dir "$T/reports" --config "$T/policy.conf" ||
        fail "milter restart with --config" "$(tail -n 3 "$T/milter.log")"
code=$(send_file "$P" "$C/bad/smuggling-attachment.eml" held@example.org)
pf_wait_idle "$T" 20
qid=$(postqueue -c "$T/etc" -j 2>/dev/null | python3 -c '
import json, sys
for line in sys.stdin:
    q = json.loads(line)
    if q["queue_name"] == "hold" and q["sender"] == "held@example.org":
        print(q["queue_id"])')
if [ "$code" = 250 ] && [ -n "$qid" ] &&
        postcat -c "$T/etc" -q "$qid" 2>/dev/null | grep -q 'X-Airlock-Verdict: malicious' &&
        postcat -c "$T/etc" -q "$qid" 2>/dev/null | grep -q 'invoice.html'; then
        pass "policy quarantine: held in the Postfix hold queue (postqueue, postcat)"
else
        fail "policy quarantine" "reply $code, held id '$qid', held: $(pf_held "$T")"
fi

# 4. Policy strip, by SIGHUP: the attachment is replaced by a notice, the rest kept.
printf 'malicious = strip\n' >"$T/policy.conf"
ml_reload "$T" || fail "SIGHUP reload" "no 'reloaded' line: $(tail -n 3 "$T/milter.log")"
code=$(send_file "$P" "$C/bad/smuggling-attachment.eml" strip@example.org)
pf_wait_idle "$T" 20
f=$(last_delivered)
if [ "$code" = 250 ] && grep -q '^Return-Path: <strip@example.org>' "$f" &&
        grep -q 'airlock removed part 1.2 (invoice.html)' "$f" &&
        grep -q 'the minutes are attached' "$f" && ! grep -q 'createObjectURL\|PGh0bWw\|PCFET0NU' "$f" &&
        grep -q '^X-Airlock-Verdict: malicious' "$f"; then
        pass "policy strip (after SIGHUP): attachment replaced by a notice, text kept"
else
        fail "policy strip" "reply $code: $(grep -c . "$f" 2>/dev/null) lines in '$f'"
fi
expect_status "the stripped message scans clean" 0 "$AIRLOCK" mail scan "$f"

# 5. Unscannable structure (duplicate boundary, base64 that decoders read differently) is held.
held=$(pf_held "$T")
code1=$(send_file "$P" "$C/malformed/duplicate-boundary-same.eml")
code2=$(send_file "$P" "$C/malformed/broken-base64.eml")
pf_wait_idle "$T" 20
if [ "$code1" = 250 ] && [ "$code2" = 250 ] && [ "$(pf_held "$T")" = $((held + 2)) ]; then
        pass "unscannable messages held by default"
else
        fail "unscannable messages held" "replies $code1 $code2, held $(pf_held "$T") (was $held)"
fi

# 6. A bad policy file on SIGHUP keeps the running policy (strip stays in force).
printf 'malicious = explode\n' >"$T/policy.conf"
kill -HUP "$(cat "$T/milter.pid")"
# (until the reload has been tried: under ASan on a loaded machine it can take over a second)
wait_for 30 grep -q 'reload failed' "$T/milter.log"
code=$(send_file "$P" "$C/bad/eicar-attachment.eml" strip2@example.org)
pf_wait_idle "$T" 20
if grep -q 'policy.conf:1: ' "$T/milter.log" && grep -q 'reload failed' "$T/milter.log" &&
        [ "$code" = 250 ] && grep -q 'from=<strip2@example.org> .*action=strip' "$T/milter.log"; then
        pass "bad policy on SIGHUP: error named, running policy kept"
else
        fail "bad policy on SIGHUP" "reply $code: $(tail -n 3 "$T/milter.log")"
fi

# 7. Fail-open: a scan that cannot finish in time is accepted and labelled when configured
# (on-error = tag), and said so in the log. 400,000 parts take GMime seconds to parse.
printf 'on-error = tag\nscan-timeout = 1\n' >"$T/policy.conf"
ml_reload "$T" || fail "SIGHUP reload" "$(tail -n 3 "$T/milter.log")"
python3 -c '
import sys
sys.stdout.write("From: a@example.org\nTo: user@test.local\nSubject: slow\nMIME-Version: 1.0\n"
                 "Content-Type: multipart/mixed; boundary=b\n\n")
sys.stdout.write("--b\nContent-Type: text/plain\n\nx\n" * 400000 + "--b--\n")' >"$T/slow.eml"
code=$(send_file "$P" "$T/slow.eml" slow@example.org)
pf_wait_idle "$T" 30
f=$(last_delivered)
if [ "$code" = 250 ] && grep -q '^Return-Path: <slow@example.org>' "$f" &&
        grep -q '^X-Airlock-Verdict: unscanned' "$f" &&
        grep -q 'from=<slow@example.org> .*verdict=error .*fail-open=yes' "$T/milter.log"; then
        pass "fail-open: timed-out scan accepted with X-Airlock-Verdict: unscanned, logged"
else
        fail "fail-open" "reply $code: $(grep 'slow@' "$T/milter.log" | tail -n 1)"
fi

# 8. A message over max-message-size is not read: unscannable, held, and said why.
printf 'max-message-size = 4K\n' >"$T/policy.conf"
ml_reload "$T" || fail "SIGHUP reload" "$(tail -n 3 "$T/milter.log")"
held=$(pf_held "$T")
code=$(send_file "$P" "$C/bad/smuggling-attachment.eml" big@example.org)
pf_wait_idle "$T" 20
if [ "$code" = 250 ] && [ "$(pf_held "$T")" = $((held + 1)) ] &&
        grep -q 'from=<big@example.org> .*verdict=unscannable .*action=quarantine .*limit size' "$T/milter.log"; then
        pass "message over max-message-size: unscannable, held, limit named"
else
        fail "message over max-message-size" "reply $code: $(grep 'big@' "$T/milter.log" | tail -n 1)"
fi

# One log line and one JSON report per message that reached the end of data.
sent=9
reports=$(ls "$T/reports" 2>/dev/null | grep -c '\.json$')
if [ "$(log_lines)" = $sent ] && [ "$reports" = $sent ]; then
        pass "one log line and one JSON report per message ($sent)"
else
        fail "one log line and one JSON report per message" "$(log_lines) lines, $reports reports, $sent messages"
fi
python3 - "$T/reports" <<'PY' && pass "reports are JSON with queue id, sender, action and the MIME tree" || fail "report contents" "see above"
import json, os, sys
d = sys.argv[1]
for n in os.listdir(d):
    r = json.load(open(os.path.join(d, n)))
    for k in ("queue_id", "sender", "action", "time_ms"):
        assert k in r, (n, k)
    if r["action"] == "reject":
        assert r["verdict"] == "malicious" and r["children"], n
PY
