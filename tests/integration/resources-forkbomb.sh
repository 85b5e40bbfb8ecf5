#!/bin/sh
# A fork bomb stops at the pids limit (the default one: no flag), the host keeps answering,
# airlock reports it, and nothing of it (process or cgroup) is left afterwards.
. "$AIRLOCK_SRC/tests/lib.sh"
. "$AIRLOCK_SRC/tests/resources-lib.sh"

token=airlock-forkbomb-$$
report=$TEST_TMPDIR/bomb.json
backend=$(expected_backend)

# Every process forks two more and waits: the tree grows until fork fails, then keeps
# refilling what dies. Only the limit and the timeout end it.
"$AIRLOCK" run --timeout 4 --report "$report" -- \
        sh -c "f() { f & f & wait; }; f # $token" >/dev/null 2>&1 &
apid=$!

# The host keeps answering: time a trivial command outside, several times, during the bomb.
sleep 1
worst=0
most=0
for i in 1 2 3 4 5; do
        t0=$(now_ms)
        /bin/true
        ls / >/dev/null
        t=$(($(now_ms) - t0))
        [ "$t" -gt "$worst" ] && worst=$t
        # count the bomb's tasks from outside, independently of what airlock reports
        n=$(ps -eo args= | grep -c -- "$token")
        [ "$n" -gt "$most" ] && most=$n
        sleep 0.2
done
wait "$apid"
rc=$?

if [ "$worst" -lt 1000 ]; then pass "forkbomb: host answers during the bomb (worst ${worst} ms)"
else fail "forkbomb: host answers during the bomb" "a trivial command took ${worst} ms"; fi
if [ "$most" -gt 10 ]; then pass "forkbomb: the bomb did run ($most tasks seen)"
else fail "forkbomb: the bomb did run" "only $most tasks seen"; fi
# 1024 tasks, the sandbox's init among them (it has no token in its command line)
if [ "$most" -le 1024 ]; then pass "forkbomb: never more than 1024 tasks ($most)"
else fail "forkbomb: held at the pids limit" "$most tasks seen"; fi
expect_eq "forkbomb: ended by the timeout" 124 "$rc"
expect_output "forkbomb: reported end" timeout report_get "$report" end
expect_output "forkbomb: pids limit is 1024 by default" 1024 report_get "$report" limits.pids.max
expect_output "forkbomb: pids limit enforced by $backend" "$backend" \
        report_get "$report" limits.pids.enforced_by
if [ "$backend" != rlimit ]; then
        expect_output "forkbomb: pids limit hit reported" true report_get "$report" pids_limit_hit
        peak=$(report_get "$report" pids_peak)
        if [ "$peak" -gt 512 ] && [ "$peak" -le 1024 ]; then pass "forkbomb: pids peak $peak within the limit"
        else fail "forkbomb: pids peak within the limit" "pids_peak=$peak"; fi
fi
expect_no_procs "forkbomb: no process left" "$token"
expect_no_cgroups "forkbomb: no cgroup left" "$apid"
expect_schema "forkbomb: report valid against the schema" "$report"
