#!/bin/sh
# An allocation loop is stopped at the memory limit: killed by the cgroup's OOM killer as
# root, refused by RLIMIT_AS as a user without cgroups; either way reported as such.
. "$AIRLOCK_SRC/tests/lib.sh"
. "$AIRLOCK_SRC/tests/resources-lib.sh"

token=airlock-memory-$$
report=$TEST_TMPDIR/mem.json
backend=$(expected_backend)

t0=$(now_ms)
"$AIRLOCK" run --memory 64M --timeout 60 --report "$report" -- \
        python3 -c "
a = []
while True:
    a.append(bytearray(1 << 20))  # $token
" >"$TEST_TMPDIR/out" 2>"$TEST_TMPDIR/err" &
apid=$!
wait "$apid"
rc=$?
t=$(($(now_ms) - t0))

expect_output "memory: limit in the report" 67108864 report_get "$report" limits.memory.max
expect_output "memory: enforced by $backend" "$backend" report_get "$report" limits.memory.enforced_by
if [ "$backend" = rlimit ]; then
        if [ "$rc" = 1 ] && grep -q MemoryError "$TEST_TMPDIR/err"; then
                pass "memory: allocation refused (MemoryError) under RLIMIT_AS"
        else
                fail "memory: allocation refused under RLIMIT_AS" "status $rc: $(tail -c 300 "$TEST_TMPDIR/err")"
        fi
        expect_output "memory: reported end" exit report_get "$report" end
        # RLIMIT_DATA (for browsers, which reserve terabytes of address space) stops the
        # loop too, while a 1 TiB PROT_NONE reservation, fatal under RLIMIT_AS, is fine.
        "$AIRLOCK" run --memory 64M --memory-rlimit data -- python3 -c "
import mmap
r = mmap.mmap(-1, 1 << 40, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS, prot=0)  # PROT_NONE
print('reserved')
a = []
while True:
    a.append(bytearray(1 << 20))  # $token
" >"$TEST_TMPDIR/out" 2>"$TEST_TMPDIR/err"
        rc=$?
        if [ "$rc" = 1 ] && grep -q reserved "$TEST_TMPDIR/out" && grep -q MemoryError "$TEST_TMPDIR/err"; then
                pass "memory: RLIMIT_DATA allows a reservation and stops the loop"
        else
                fail "memory: RLIMIT_DATA" "status $rc, out $(cat "$TEST_TMPDIR/out"), err $(tail -c 200 "$TEST_TMPDIR/err")"
        fi
else
        expect_eq "memory: killed by SIGKILL (status 137)" 137 "$rc"
        expect_output "memory: reported end" limit report_get "$report" end
        expect_output "memory: the limit that ended it" memory report_get "$report" end_limit
        expect_output "memory: limit hit reported" true report_get "$report" memory_limit_hit
        # The kernel's OOM killer usually ends the loop; airlock, told of the OOM on v1 (the
        # eventfd of memory.oom_control), may kill the sandbox first, and then the kernel
        # counts no kill of its own (here 1 run in 8): the end above says which limit ended
        # it either way, and the count must be there, as a number
        kills=$(report_get "$report" oom_kills)
        if [ "$kills" -ge 0 ] 2>/dev/null; then pass "memory: OOM kills counted ($kills)"
        else fail "memory: OOM kills counted" "oom_kills='$kills' (no number in the report)"; fi
fi
peak=$(report_get "$report" memory_peak)
if [ "$peak" -gt $((16 << 20)) ] 2>/dev/null && [ "$peak" -le $((80 << 20)) ]; then
        pass "memory: peak $peak bytes near the limit"
else
        fail "memory: peak near the limit" "memory_peak=$peak"
fi
if [ "$t" -lt 30000 ]; then pass "memory: stopped in ${t} ms"
else fail "memory: stopped quickly" "took ${t} ms"; fi
# v1's OOM killer ends one task; airlock must end the whole sandbox as v2's oom.group does.
if [ "$backend" != rlimit ]; then
        t0=$(now_ms)
        "$AIRLOCK" run --memory 64M --timeout 60 --report "$report" -- sh -c "
                python3 -c 'a = []
while True: a.append(bytearray(1 << 20))'
                echo survived; sleep 50 # $token" >"$TEST_TMPDIR/out" 2>&1 &
        apid2=$!
        wait "$apid2"
        rc=$?
        t=$(($(now_ms) - t0))
        expect_eq "memory: a tree with an OOM-killed task ends whole (status)" 137 "$rc"
        # The OOM notice reaches airlock asynchronously: the shell may just get to echo, but
        # its "sleep 50" must not run on.
        if [ "$t" -lt 20000 ]; then
                pass "memory: the rest of the tree did not run on (${t} ms)"
        else
                fail "memory: the rest of the tree did not run on" "took ${t} ms: $(grep -v 'runtime error' "$TEST_TMPDIR/out" | head -c 200)"
        fi
        expect_output "memory: tree end reported as the memory limit" memory \
                report_get "$report" end_limit
        expect_no_cgroups "memory: no cgroup left after the tree" "$apid2"
fi
expect_no_procs "memory: no process left" "$token"
expect_no_cgroups "memory: no cgroup left" "$apid"
expect_schema "memory: report valid against the schema" "$report"
