#!/bin/sh
# airlock-test: root-only
# Root because a real Postfix instance has to be started (see milter-postfix.sh); the milter
# drops to nobody, and detonates as nobody (an unprivileged airlock run).
#
# The milter's concurrency limit holds under detonation, and no message is lost: 8 messages
# whose attachments detonation runs (smuggling and benign pages, JScript droppers when box-js
# is installed, scripts that read a key or plant persistence, benign scripts) sent by 6 SMTP
# clients at once to Postfix with `airlock milter --detonate` (max-concurrency 2) in front.
# The milter's process tree is sampled every 50 ms: the detonation sandboxes seen at once
# (children that are the airlock launcher) must be at least one and at most 2, no more than
# the slots' idle browsers may be left once every client has its reply, and nothing below the
# milter once it is stopped. Every message must be accounted for: delivered (found
# in the Maildir), quarantined, rejected 5xx or tempfailed 4xx with the milter's log line for
# its sender; no malicious sample delivered clean. The bench (bench-milter-detonate.sh) does
# the same with 50 messages. Takes a minute or so on a loaded machine.
. "$AIRLOCK_SRC/tests/lib.sh"
. "$AIRLOCK_SRC/tests/integration/milter-postfix.lib"
. "$AIRLOCK_SRC/tests/helpers/pages-lib.sh"

pf_require || { fail "postfix" "cannot install postfix and swaks (apt-get)"; exit 1; }
need_chromium || exit 0
LOAD=$AIRLOCK_SRC/tests/helpers/milter-detonate-load.py
T=$TEST_TMPDIR/pf
S=$TEST_TMPDIR/samples
mkdir -p "$T" "$S/wsh/mal" "$S/wsh/ben" "$S/wsh/hta" "$S/msg"
page_corpus "$S/pages"
BOXJS=${AIRLOCK_BOXJS_DIR:-/usr/local/lib/airlock/box-js}
if [ -f "$BOXJS/airlock-preload.js" ]; then
        python3 "$AIRLOCK_SRC/tests/integration/detonate-wsh.py" "$S/wsh/mal" "$S/wsh/ben" \
                "$S/wsh/hta" >/dev/null || fail "corpus" "detonate-wsh.py failed"
fi
python3 "$LOAD" corpus "$S/msg" 8 "$S/pages" "$S/wsh" || fail "corpus" "milter-detonate-load.py failed"
# The milter detonates as nobody, with the launcher beside it: run both from a copy nobody can
# reach (as milter-detonate.sh does).
mkdir -p "$TEST_TMPDIR/bin"
cp "$AIRLOCK" "$AIRLOCK_TOOLS" "$TEST_TMPDIR/bin/"
AIRLOCK_TOOLS=$TEST_TMPDIR/bin/airlock-tools
printf 'max-concurrency = 2\n' >"$TEST_TMPDIR/policy.conf"
chmod -R a+rX "$TEST_TMPDIR"

pf_up "$T" --config "$TEST_TMPDIR/policy.conf" --detonate
expect_grep "the milter announces its limit" "max 2 scans at once" cat "$T/milter.log"
python3 "$LOAD" send 127.0.0.1 "$P" 6 "$(cat "$T/milter.pid")" "$TEST_TMPDIR/result.json" \
        "$S"/msg/*.eml || fail "send" "milter-detonate-load.py send failed"
pf_wait_idle "$T" 60
python3 "$LOAD" account "$TEST_TMPDIR/result.json" "$S/msg/manifest" "$T" "$T/milter.log" \
        >"$TEST_TMPDIR/account" || fail "account" "milter-detonate-load.py account failed"
v() { awk -v k="$1" '$1 == k { print $2; exit }' "$TEST_TMPDIR/account"; }
details=$(grep '^- ' "$TEST_TMPDIR/account" | tr '\n' ';')

peak=$(v peak_sandboxes)
[ "$(v samples)" -gt 20 ] && [ "${peak:-0}" -ge 1 ] && [ "$peak" -le 2 ] &&
        pass "detonation sandboxes at once: $peak, the limit 2 ($(v samples) samples)" ||
        fail "detonation sandboxes at once" "peak ${peak:-?} over $(v samples) samples, the limit 2"
[ "$(v end_sandboxes)" -le 2 ] &&
        pass "after the last reply: $(v end_sandboxes) sandboxes (idle browsers of the slots), at most 2" ||
        fail "after the last reply" "$(v end_sandboxes) sandboxes, more than the 2 slots"
# Stopping the milter ends everything below it, the kept browsers too.
below=$(python3 "$LOAD" below "$(cat "$T/milter.pid")")
ml_stop "$T"
i=0
while :; do
        left=""
        for p in $below; do kill -0 "$p" 2>/dev/null && left="$left $p:$(cat /proc/"$p"/comm 2>/dev/null)"; done
        [ -z "$left" ] || [ $i -ge 50 ] && break
        sleep 0.2
        i=$((i + 1))
done
[ -n "$below" ] && [ -z "$left" ] &&
        pass "the milter stopped: none of the $(echo $below | wc -w) processes below it is left ($((i / 5)) s)" ||
        fail "the milter stopped: processes below it left" "${left:-none were seen below it}"
expect_eq "all 8 messages sent" 8 "$(v sent)"
[ "$(v lost)" = 0 ] && [ "$(v unlogged)" = 0 ] &&
        pass "every message accounted for: $(v delivered) delivered, $(v quarantined) quarantined, $(v rejected) rejected, $(v tempfailed) tempfailed" ||
        fail "every message accounted for" "$(v lost) lost, $(v unlogged) without one log line: $details"
[ "$(v missed)" = 0 ] && [ "$(v rejected)" -ge 1 ] &&
        pass "no malicious sample delivered clean ($(v rejected) rejected)" ||
        fail "no malicious sample delivered clean" "$(v missed) missed, $(v rejected) rejected: $details"
exit 0
