#!/bin/sh
# A busy loop with --cpus 0.5: the kernel is given a quota of half a CPU (read from the
# sandbox's cgroup while it runs), the loop never uses more than about half a CPU over the run,
# and when it came near the quota the kernel throttled it. The machine is shared: others' load
# can only hold the loop below its quota (a share of 246/1000 with no throttling was seen beside
# two busy loops), so no check needs the loop to get a given share; the quota read from the
# kernel is what fails when the limit is not set. Without a cgroup the report must say the CPU
# limit is not enforced.
. "$AIRLOCK_SRC/tests/lib.sh"
. "$AIRLOCK_SRC/tests/resources-lib.sh"

token=airlock-cpu-$$
report=$TEST_TMPDIR/cpu.json
backend=$(expected_backend)

"$AIRLOCK" run --cpus 0.5 --timeout 5 --report "$report" -- \
        sh -c "while :; do :; done # $token" &
apid=$!
# cpu.cfs_quota_us and cpu.cfs_period_us (v1) or cpu.max (v2) of each of the run's cgroups, as
# "QUOTA PERIOD" lines: the limit may be set at any level of its cgroups
cpu_quotas() {
        for _d in $(cgroups_of "$apid"); do
                if [ -f "$_d/cpu.cfs_quota_us" ]; then
                        echo "$(cat "$_d/cpu.cfs_quota_us") $(cat "$_d/cpu.cfs_period_us")"
                elif [ -f "$_d/cpu.max" ]; then
                        cat "$_d/cpu.max"
                fi
        done 2>/dev/null
}
has_half() { case "
$1
" in *"
50000 100000
"*) return 0 ;; esac; return 1; }
# read while the run lasts (its cgroups go with it), until the quota is there
quotas=""
while [ "$backend" != rlimit ] && kill -0 "$apid" 2>/dev/null; do
        now=$(cpu_quotas)
        [ -z "$now" ] || quotas=$now
        has_half "$quotas" && break
        sleep 0.1
done
wait "$apid"
rc=$?
expect_eq "cpu: busy loop ended by the timeout" 124 "$rc"
if [ "$backend" = rlimit ]; then
        expect_output "cpu: --cpus not enforced without a cgroup" none \
                report_get "$report" limits.cpus.enforced_by
else
        expect_output "cpu: --cpus enforced by $backend" "$backend" \
                report_get "$report" limits.cpus.enforced_by
        if has_half "$quotas"; then
                pass "cpu: the kernel's quota is half a CPU (50000 us a 100000 us period)"
        else
                fail "cpu: the kernel's quota is half a CPU" \
                        "quota and period of the run's cgroups: $(echo $quotas)"
        fi
        cpu=$(report_get "$report" cpu_usec)
        wall=$(report_get "$report" wall_usec)
        # per mille of one CPU: at most about half (a period's quota may run over a little);
        # and it ran (others' load may hold it far below the quota, never at nothing)
        ratio=$((cpu * 1000 / wall))
        thr=$(report_get "$report" cpu_throttled_usec)
        if [ "$cpu" -gt 0 ] && [ "$ratio" -le 620 ]; then
                pass "cpu: used $ratio/1000 of a CPU with --cpus 0.5 (throttled ${thr} us)"
        else
                fail "cpu: at most about half a CPU" "used $ratio/1000 (cpu ${cpu} us over ${wall} us)"
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
