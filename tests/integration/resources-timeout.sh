#!/bin/sh
# --timeout 1 on sleep returns 124 within 2 seconds, with no process of the tree left (also
# not a daemonised grandchild in its own session).
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
if [ "$t" -lt 2000 ]; then pass "timeout: returned in ${t} ms"
else fail "timeout: returned within 2 s" "took ${t} ms"; fi
expect_output "timeout: reported end" timeout report_get "$report" end
wall=$(report_get "$report" wall_usec)
if [ "$wall" -ge 900000 ] 2>/dev/null && [ "$wall" -lt 2000000 ]; then pass "timeout: wall time $wall us"
else fail "timeout: wall time about 1 s" "wall_usec=$wall"; fi
expect_no_procs "timeout: no process left" "$token"
expect_no_cgroups "timeout: no cgroup left" "$apid"
expect_schema "timeout: report valid against the schema" "$report"
