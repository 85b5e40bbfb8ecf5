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
