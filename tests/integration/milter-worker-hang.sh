#!/bin/sh
# airlock-test: root-only
# airlock-test: alone
# Root because a real Postfix instance has to be started (see milter-postfix.sh); the milter
# drops to nobody. 127.0.0.1 only, no relaying.
#
# Issue 18: 100 messages that each hang the confined worker (the test builds' fault switch,
# AIRLOCK_TEST_WORKER_FAULT=hang:MARKER, on the part that carries the marker), sent beside
# 1,000 clean ones. With scan-timeout 4 the milter answers each hanging message with its
# on-error action (tempfail, with a reason) or holds it as unscannable, and the worker is
# killed at the deadline, so no scan slot is lost: every clean message is delivered, no
# hanging one is delivered. 10 messages that crash the worker while it reads the whole message
# are held as unscannable (worker.crashed).
. "$AIRLOCK_SRC/tests/lib.sh"
. "$AIRLOCK_SRC/tests/integration/milter-postfix.lib"

pf_require || { fail "postfix" "cannot install postfix and swaks (apt-get)"; exit 1; }
T=$TEST_TMPDIR/pf
mkdir -p "$T"
# 4 s: a clean message's scan takes milliseconds, but this test runs beside the rest of the
# suite (and its ASan phase); at 2 s a loaded CI machine tempfailed a clean one (1 in 1,000).
printf 'scan-timeout = 4\nmax-concurrency = 16\n' >"$T/policy.conf"
chmod 644 "$T/policy.conf"
cat >"$T/hang.eml" <<'MSG'
From: hang@example.org
To: user@test.local
Subject: a part that hangs the parser
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary=b

--b
Content-Type: text/plain

hello
--b
Content-Type: application/octet-stream
Content-Disposition: attachment; filename="x.cab"

AIRLOCK-TEST-HANG-PART
--b--
MSG
chmod 644 "$T/hang.eml"
# The whole message goes to one worker: a crash there (the marker in a header, before GMime
# has read a part) is contained for that message, which is held as unscannable.
sed 's/^Subject: .*/Subject: a message that crashes the parser\nX-Note: AIRLOCK-TEST-CRASH-MESSAGE/; s/AIRLOCK-TEST-HANG-PART/nothing to see/' \
        "$T/hang.eml" >"$T/crash.eml"
chmod 644 "$T/crash.eml"
export AIRLOCK_TEST_WORKER_FAULT=hang:AIRLOCK-TEST-HANG-PART,crash:AIRLOCK-TEST-CRASH-MESSAGE
pf_up "$T" --config "$T/policy.conf"

GOOD=1000
BAD=100
start=$(date +%s)
smtp-source -s 8 -m $GOOD -l 2048 -f good@example.org -t user@test.local \
        "127.0.0.1:$P" >"$T/good.out" 2>&1 &
good_pid=$!
lane() {
        n=0
        while [ $n -lt $((BAD / 10)) ]; do
                smtp-source -m 1 -f hang@example.org -t user@test.local -F "$T/hang.eml" \
                        "127.0.0.1:$P" 2>&1
                n=$((n + 1))
        done
}
lanes=""
for l in 1 2 3 4 5 6 7 8 9 10; do
        lane >"$T/bad.$l.out" &
        lanes="$lanes $!"
done
crash_lane() {
        n=0
        while [ $n -lt 10 ]; do
                smtp-source -m 1 -f crash@example.org -t user@test.local -F "$T/crash.eml" \
                        "127.0.0.1:$P" 2>&1
                n=$((n + 1))
        done
}
crash_lane >"$T/crash.out" &
crash_pid=$!
wait $good_pid
good_rc=$?
wait $crash_pid
# shellcheck disable=SC2086
wait $lanes
pf_wait_idle "$T" 120
elapsed=$(($(date +%s) - start))

delivered_good=$(grep -l '^Return-Path: <good@example.org>' "$T"/mail/user/new/* 2>/dev/null | wc -l)
delivered_bad=$(grep -l '^Return-Path: <hang@example.org>' "$T"/mail/user/new/* 2>/dev/null | wc -l)
tempfailed=$(cat "$T"/bad.*.out | grep -c 'end of data rejected: 4')
held=$(grep -c 'from=<hang@example.org> .*verdict=unscannable .*action=quarantine' "$T/milter.log")
reasons=$(grep 'from=<hang@example.org>' "$T/milter.log" | grep -c 'verdict=error\|verdict=unscannable')
delivered_crash=$(grep -l '^Return-Path: <crash@example.org>' "$T"/mail/user/new/* 2>/dev/null | wc -l)
held_crash=$(grep -c 'from=<crash@example.org> .*verdict=unscannable .*action=quarantine.*reason="worker.crashed"' "$T/milter.log")
expect_eq "no-crashing-message-delivered" 0 "$delivered_crash"
if [ "$AIRLOCK_TEST_PHASE" = asan ]; then
        # ASan symbolizes its report of the fault before the worker exits, which can take
        # longer than scan-timeout on a loaded machine: then the milter's on-error applies.
        late=$(grep -c 'from=<crash@example.org> .*verdict=error .*action=tempfail' "$T/milter.log")
        expect_eq "every-crashing-message-held-or-tempfailed" 10 "$((held_crash + late))"
else
        expect_eq "every-crashing-message-held-as-worker-crashed" 10 "$held_crash"
fi
slowest=$(grep 'from=<good@example.org>' "$T/milter.log" | sed -n 's/.* time_ms=\([0-9]*\).*/\1/p' | sort -n | tail -n 1)
echo "worker-hang: $GOOD clean + $BAD hanging in ${elapsed}s: clean delivered $delivered_good (slowest scan ${slowest:-?} ms), hanging delivered $delivered_bad, tempfailed $tempfailed, held $held"
expect_eq "every-clean-message-delivered" "$GOOD" "$delivered_good"
# What the milter said of the clean messages it did not pass, if any (the cause of a failure).
grep 'from=<good@example.org>' "$T/milter.log" | grep -v 'verdict=clean' | head -n 5
[ $good_rc = 0 ] && pass "clean-sender-saw-no-error" || fail "clean-sender-saw-no-error" "$(tail -n 2 "$T/good.out")"
expect_eq "no-hanging-message-delivered" 0 "$delivered_bad"
expect_eq "every-hanging-message-tempfailed-or-held" "$BAD" "$((tempfailed + held))"
expect_eq "every-hanging-message-logged-with-a-reason" "$BAD" "$reasons"

# With --detonate the scan runs in a thread of the milter (the worker's walk, then the
# attachments run from what it decoded), still in the worker: a message that hangs or crashes
# it is contained the same way, and a clean one is delivered after them.
ml_stop "$T"
ml_start "$T" "$M" --config "$T/policy.conf" --detonate ||
        { fail "milter-detonate-start" "$(tail -n 5 "$T/milter.log")"; exit 1; }
for n in 1 2; do
        send_file "$P" "$T/hang.eml" hangd@example.org >/dev/null
        send_file "$P" "$T/crash.eml" crashd@example.org >/dev/null
done
sed 's/AIRLOCK-TEST-HANG-PART/nothing to see/' "$T/hang.eml" >"$T/clean.eml"
code=$(send_file "$P" "$T/clean.eml" cleand@example.org)
pf_wait_idle "$T" 60
expect_eq "detonate-hanging-not-delivered" 0 \
        "$(grep -l '^Return-Path: <hangd@example.org>' "$T"/mail/user/new/* 2>/dev/null | wc -l)"
expect_eq "detonate-hanging-held-or-tempfailed" 2 \
        "$(grep -c 'from=<hangd@example.org> .*\(verdict=error .*action=tempfail\|verdict=unscannable .*action=quarantine\)' "$T/milter.log")"
expect_eq "detonate-crashing-not-delivered" 0 \
        "$(grep -l '^Return-Path: <crashd@example.org>' "$T"/mail/user/new/* 2>/dev/null | wc -l)"
expect_eq "detonate-crashing-held-or-tempfailed" 2 \
        "$(grep -c 'from=<crashd@example.org> .*\(verdict=error .*action=tempfail\|verdict=unscannable .*action=quarantine.*reason="worker.crashed"\)' "$T/milter.log")"
expect_eq "detonate-clean-delivered" 250 "$code"
