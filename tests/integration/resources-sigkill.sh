#!/bin/sh
# SIGKILL of airlock itself: the program dies with it, and the cgroups it leaves are removed
# by the next run (docs/resources.md).
. "$AIRLOCK_SRC/tests/lib.sh"
. "$AIRLOCK_SRC/tests/resources-lib.sh"

token=airlock-sigkill-$$
backend=$(expected_backend)

"$AIRLOCK" run -- sh -c "sleep 100 & sleep 100 # $token" >/dev/null 2>&1 &
apid=$!
for i in $(seq 50); do
        [ -n "$(procs_with "$token")" ] && break
        sleep 0.1
done
if [ -n "$(procs_with "$token")" ]; then pass "sigkill: sandbox running"
else fail "sigkill: sandbox running" "no process with $token after 5 s"; fi
if [ "$backend" != rlimit ]; then
        if [ -n "$(cgroups_of "$apid")" ]; then pass "sigkill: cgroup of airlock $apid exists"
        else fail "sigkill: cgroup exists while running" "none named airlock-$apid-*"; fi
fi
kill -9 "$apid"
wait "$apid" 2>/dev/null
for i in $(seq 20); do
        [ -z "$(procs_with "$token")" ] && break
        sleep 0.1
done
expect_no_procs "sigkill: the program died with airlock" "$token"
# The next run removes what the killed one left.
expect_status "sigkill: next run" 0 "$AIRLOCK" run -- true
expect_no_cgroups "sigkill: stale cgroup removed by the next run" "$apid"
