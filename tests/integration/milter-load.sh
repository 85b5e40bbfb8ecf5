#!/bin/sh
# airlock-test: root-only
# airlock-test: alone
# Root because a real Postfix instance has to be started (see milter-postfix.sh); the milter
# drops to nobody. 127.0.0.1 only, no relaying.
#
# Load: 2,000 messages through Postfix and the milter with smtp-source (from the postfix
# package), 10% of them carrying an HTML-smuggling attachment, sent at the same time. Every
# message is accounted for: delivered (with the headers), held, or rejected with 550; each
# has exactly one log line; nothing is lost and nothing stays queued.
. "$AIRLOCK_SRC/tests/lib.sh"
. "$AIRLOCK_SRC/tests/integration/milter-postfix.lib"

pf_require || { fail "postfix" "cannot install postfix and swaks (apt-get)"; exit 1; }
T=$TEST_TMPDIR/pf
C=$TEST_TMPDIR/corpus
mkdir -p "$T" "$C"
python3 "$AIRLOCK_SRC/tests/integration/mail-corpus.py" "$C" --only bad || exit 1
pf_up "$T"

TOTAL=2000
# Under ASan (memory errors, not scale, are what that phase looks for) a quarter of it.
[ "${AIRLOCK_TEST_PHASE:-}" != asan ] || TOTAL=500
BAD=$((TOTAL / 40 * 4)) # a tenth, in 4 lanes
GOOD=$((TOTAL - BAD))
start=$(date +%s)

# Clean mail: one smtp-source, 8 parallel sessions. smtp-source stops at the first 5xx, so
# each malicious message goes in its own smtp-source run, in 4 lanes beside the clean flow.
smtp-source -s 8 -m $GOOD -l 4096 -f good@example.org -t user@test.local \
        "127.0.0.1:$P" >"$T/good.out" 2>&1 &
good_pid=$!
lane() {
        n=0
        while [ $n -lt $((BAD / 4)) ]; do
                smtp-source -m 1 -f bad@example.org -t user@test.local \
                        -F "$C/bad/smuggling-attachment.eml" "127.0.0.1:$P" 2>&1
                n=$((n + 1))
        done
}
lanes=""
for l in 1 2 3 4; do
        lane >"$T/bad.$l.out" &
        lanes="$lanes $!"
done
wait $good_pid
good_rc=$?
# shellcheck disable=SC2086
wait $lanes # not a bare "wait": the milter is a child too
pf_wait_idle "$T" 120
elapsed=$(($(date +%s) - start))

delivered=$(pf_delivered "$T")
held=$(pf_held "$T")
rejected=$(cat "$T"/bad.*.out | grep -c 'end of data rejected: 550 5.7.1')
queued=$(pf_queued "$T")
lines=$(grep -c 'queue_id=' "$T/milter.log")
tagged=$(grep -c 'from=<good@example.org> .*verdict=clean .*action=tag' "$T/milter.log")
rejlines=$(grep -c 'from=<bad@example.org> .*verdict=malicious .*action=reject' "$T/milter.log")
headers=$(grep -l '^X-Airlock-Verdict: clean' "$T"/mail/user/new/* 2>/dev/null | wc -l)
echo "load: $TOTAL messages in ${elapsed}s: delivered $delivered, held $held, rejected $rejected, still queued $queued; $lines log lines"

if [ $good_rc = 0 ] && [ $((delivered + held + rejected)) = $TOTAL ] && [ "$queued" = 0 ]; then
        pass "load: all $TOTAL messages accounted for (delivered $delivered, held $held, rejected $rejected), none lost"
else
        fail "load: all messages accounted for" "delivered $delivered + held $held + rejected $rejected != $TOTAL, queued $queued, smtp-source status $good_rc: $(tail -n 2 "$T/good.out")"
fi
if [ "$lines" = $TOTAL ] && [ "$tagged" = $GOOD ] && [ "$rejlines" = $BAD ]; then
        pass "load: one log line per message ($tagged tag, $rejlines reject)"
else
        fail "load: one log line per message" "$lines lines, $tagged tag, $rejlines reject"
fi
if [ "$delivered" = $GOOD ] && [ "$headers" = $GOOD ] && [ "$rejected" = $BAD ]; then
        pass "load: every clean message delivered with headers, every smuggling one rejected"
else
        fail "load: verdicts" "delivered $delivered ($headers with headers), rejected $rejected"
fi
