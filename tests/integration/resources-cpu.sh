#!/bin/sh
# A busy loop with --cpus 0.5 uses about half a CPU, measured from the cgroup's CPU time
# (the machine is shared, so the bounds are generous). Without a cgroup the report must say
# the CPU limit is not enforced.
. "$AIRLOCK_SRC/tests/lib.sh"
. "$AIRLOCK_SRC/tests/resources-lib.sh"

token=airlock-cpu-$$
report=$TEST_TMPDIR/cpu.json
backend=$(expected_backend)

"$AIRLOCK" run --cpus 0.5 --timeout 3 --report "$report" -- \
        sh -c "while :; do :; done # $token" &
apid=$!
wait "$apid"
rc=$?
expect_eq "cpu: busy loop ended by the timeout" 124 "$rc"
if [ "$backend" = rlimit ]; then
        expect_output "cpu: --cpus not enforced without a cgroup" none \
                report_get "$report" limits.cpus.enforced_by
else
        expect_output "cpu: --cpus enforced by $backend" "$backend" \
                report_get "$report" limits.cpus.enforced_by
        cpu=$(report_get "$report" cpu_usec)
        wall=$(report_get "$report" wall_usec)
        # per mille of one CPU. The quota caps the loop at half a CPU; others share the
        # machine's two cores, so it may get less, but it must have run.
        ratio=$((cpu * 1000 / wall))
        thr=$(report_get "$report" cpu_throttled_usec)
        if [ "$ratio" -ge 50 ] && [ "$ratio" -le 620 ]; then
                pass "cpu: used $ratio/1000 of a CPU with --cpus 0.5 (throttled ${thr} us)"
        else
                fail "cpu: about half a CPU" "used $ratio/1000 (cpu ${cpu} us over ${wall} us)"
        fi
        # Near the quota the kernel must have throttled it (below, contention held it back).
        if [ "$ratio" -ge 400 ]; then
                if [ "$thr" -gt 0 ] 2>/dev/null; then pass "cpu: throttling reported (${thr} us)"
                else fail "cpu: throttling reported" "cpu_throttled_usec=$thr at $ratio/1000"; fi
        fi
fi
expect_no_procs "cpu: no process left" "$token"
expect_no_cgroups "cpu: no cgroup left" "$apid"
expect_schema "cpu: report valid against the schema" "$report"
