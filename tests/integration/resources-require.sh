#!/bin/sh
# --require cgroup: met as root on this machine, refused (status 125, one line saying why)
# for a user without a delegated cgroup; and the defaults reach the report without a flag.
. "$AIRLOCK_SRC/tests/lib.sh"
. "$AIRLOCK_SRC/tests/resources-lib.sh"

backend=$(expected_backend)
if [ "$backend" = rlimit ]; then
        expect_status "require: --require cgroup refused without a cgroup" 125 \
                "$AIRLOCK" run --require cgroup -- true
        expect_grep "require: the refusal says why" "require cgroup: no cgroup" \
                "$AIRLOCK" run --require cgroup -- true
else
        expect_status "require: --require cgroup met by $backend" 0 \
                "$AIRLOCK" run --require cgroup -- true
fi

report=$TEST_TMPDIR/defaults.json
"$AIRLOCK" run --report "$report" -- true
expect_output "require: default pids limit reported" 1024 report_get "$report" limits.pids.max
mem=$(report_get "$report" limits.memory.max)
if [ "$mem" -ge $((256 << 20)) ] 2>/dev/null; then pass "require: default memory limit reported ($mem)"
else fail "require: default memory limit reported" "limits.memory.max=$mem"; fi
expect_output "require: default tmpfs size reported" 536870912 report_get "$report" limits.tmpfs_size
expect_output "require: memory enforced by $backend" "$backend" \
        report_get "$report" limits.memory.enforced_by
# --memory max lifts the default: nothing enforces a memory limit then
"$AIRLOCK" run --memory max --report "$report" -- true
expect_output "require: --memory max lifts the limit" none \
        report_get "$report" limits.memory.enforced_by
expect_schema "require: report valid against the schema" "$report"

# The pids limit counts the sandbox's tasks only: 30 other processes of the same user
# outside do not eat into it (RLIMIT_NPROC is set inside the sandbox's user namespace,
# where the kernel counts per namespace), yet the sandbox cannot exceed it.
token=airlock-nproc-$$
for i in $(seq 30); do sh -c "sleep 60 # $token" & done
out=$("$AIRLOCK" run --pids 20 -- sh -c '
        ok=0; for i in $(seq 10); do sleep 2 & ok=$((ok + 1)); done; echo "ten=$ok"; wait
        python3 -c "
import os, time
n = 0
for i in range(40):
    try:
        if os.fork() == 0:
            time.sleep(2)
            os._exit(0)
        n += 1
    except OSError:
        pass
print(\"forty=%d\" % n)
"' 2>/dev/null)
kill $(procs_with "$token") 2>/dev/null
wait 2>/dev/null
case "$out" in
*ten=10*) pass "require: 10 tasks start under --pids 20 beside 30 of the user's processes" ;;
*) fail "require: the pids limit counts the sandbox only" "$out" ;;
esac
forty=$(echo "$out" | sed -n 's/^forty=//p')
# (the sandbox's init, the shell and python are three of the 20)
if [ -n "$forty" ] && [ "$forty" -lt 20 ] && [ "$forty" -ge 10 ]; then pass "require: yet no more than 20 tasks ($forty forks of 40)"
else fail "require: --pids 20 holds" "forty=$forty"; fi
