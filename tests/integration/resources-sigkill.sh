#!/bin/sh
# SIGKILL of airlock itself: the program dies with it, and the cgroups it leaves are removed
# by the next run (docs/resources.md).
. "$AIRLOCK_SRC/tests/lib.sh"
. "$AIRLOCK_SRC/tests/resources-lib.sh"

token=airlock-sigkill-$$
backend=$(expected_backend)

"$AIRLOCK" run -- sh -c "echo ready; sleep 100 & sleep 100 # $token" >"$TEST_TMPDIR/out" 2>&1 &
apid=$!
# Running once the program says so (airlock's own command line holds the token too, from the
# moment it starts, before any sandbox or cgroup exists).
if wait_for 20 grep -q ready "$TEST_TMPDIR/out"; then pass "sigkill: sandbox running"
else fail "sigkill: sandbox running" "the program did not start within 20 s"; fi
if [ "$backend" != rlimit ]; then
        if [ -n "$(cgroups_of "$apid")" ]; then pass "sigkill: cgroup of airlock $apid exists"
        else fail "sigkill: cgroup exists while running" "none named airlock-$apid-*"; fi
fi
kill -9 "$apid"
wait "$apid" 2>/dev/null
no_procs_with() { [ -z "$(procs_with "$1")" ]; }
wait_for 10 no_procs_with "$token"
expect_no_procs "sigkill: the program died with airlock" "$token"
# The next run removes what the killed one left.
expect_status "sigkill: next run" 0 "$AIRLOCK" run -- true
expect_no_cgroups "sigkill: stale cgroup removed by the next run" "$apid"
