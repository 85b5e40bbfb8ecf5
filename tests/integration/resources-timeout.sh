#!/bin/sh
# --timeout 1 on sleep 100 returns 124 long before the program would have ended, with no
# process of the tree left (also not a daemonised grandchild in its own session). The bound is
# loose on purpose (30 s against the program's 100): a loaded machine may take seconds to
# tear a sandbox down, and how fast it does is bench/'s business, not this test's.
. "$AIRLOCK_SRC/tests/lib.sh"
. "$AIRLOCK_SRC/tests/resources-lib.sh"

token=airlock-timeout-$$
report=$TEST_TMPDIR/timeout.json

t0=$(now_ms)
"$AIRLOCK" run --timeout 1 --report "$report" -- \
        sh -c "setsid sh -c 'sleep 100 # $token' & sleep 100 # $token" &
apid=$!
wait "$apid"
rc=$?
t=$(($(now_ms) - t0))
expect_eq "timeout: status 124" 124 "$rc"
if [ "$t" -lt 30000 ]; then pass "timeout: returned in ${t} ms, before the program's end"
else fail "timeout: returned before the program's own end" "took ${t} ms"; fi
expect_output "timeout: reported end" timeout report_get "$report" end
wall=$(report_get "$report" wall_usec)
if [ "$wall" -ge 900000 ] 2>/dev/null && [ "$wall" -lt 30000000 ]; then pass "timeout: wall time $wall us"
else fail "timeout: wall time at least 1 s and before the program's end" "wall_usec=$wall"; fi
expect_no_procs "timeout: no process left" "$token"
expect_no_cgroups "timeout: no cgroup left" "$apid"
expect_schema "timeout: report valid against the schema" "$report"
