#!/bin/sh
# The sandbox's cgroup on cgroup v1 is made after clone(), while pid 1 builds its root: the
# program must still never run outside it. pid 1 joins through the tasks files the supervisor
# sends it and only then forks the program; a program forked before that join would stay in
# airlock's own cgroup for good (writing "0" to tasks moves the writer alone), so the checks
# below see any wrong order on every run, not by a race. Without a cgroup (an unprivileged
# user), the limits left to rlimits travel to pid 1 in the same message: the program must
# start under them.
. "$AIRLOCK_SRC/tests/lib.sh"
. "$AIRLOCK_SRC/tests/resources-lib.sh"

backend=$(expected_backend)
report=$TEST_TMPDIR/join.json

# Every task that ran is counted by the cgroup: init and the program, 2 at least.
"$AIRLOCK" run --report "$report" -- true
expect_output "join: backend $backend" "$backend" report_get "$report" backend
if [ "$backend" != rlimit ]; then
        peak=$(report_get "$report" pids_peak)
        if [ "$peak" -ge 2 ] 2>/dev/null; then pass "join: init and the program counted ($peak)"
        else fail "join: init and the program counted" "pids_peak=$peak"; fi
fi

# The program's first instruction sees the root of its cgroup namespace in every hierarchy:
# the namespace was made where the program is, after the join.
out=$("$AIRLOCK" run -- cat /proc/self/cgroup 2>&1)
bad=$(echo "$out" | grep -v ':/$')
if [ -n "$out" ] && [ -z "$bad" ]; then pass "join: the program starts at its cgroup namespace's root"
else fail "join: the program starts at its cgroup namespace's root" "$out"; fi

if [ "$backend" != rlimit ]; then
        # Seen from the host while it runs: the program (and init) in the sandbox's cgroup of
        # each hierarchy airlock made one in.
        token=airlock-join-$$
        fifo=$TEST_TMPDIR/started
        mkfifo "$fifo"
        "$AIRLOCK" run -- sh -c "echo started; sleep 30; : $token" >"$fifo" 2>/dev/null &
        apid=$!
        read -r line <"$fifo"
        prog=""
        for p in $(procs_with "$token"); do
                [ "$(cat "/proc/$p/comm" 2>/dev/null)" = sh ] && prog=$p
        done
        dirs=$(cgroups_of "$apid" | wc -l)
        inside=$(grep -c "/airlock-$apid-[^/]*$" "/proc/$prog/cgroup" 2>/dev/null)
        if [ "$line" = started ] && [ -n "$prog" ] && [ "$dirs" -ge 1 ] && [ "$inside" = "$dirs" ]; then
                pass "join: the program is in the sandbox's cgroup of all $dirs hierarchies"
        else
                fail "join: the program is in the sandbox's cgroup" \
                        "program=$prog dirs=$dirs inside=$inside: $(cat "/proc/$prog/cgroup" 2>&1 | tr '\n' ' ')"
        fi
        kill "$apid" 2>/dev/null
        wait "$apid" 2>/dev/null
        expect_no_procs "join: nothing left running" "$token"
        expect_no_cgroups "join: the cgroups are removed" "$apid"
else
        # The rlimit fallback reached pid 1 over the setup socket: RLIMIT_AS is the memory
        # limit and RLIMIT_FSIZE the larger of it and the tmpfs size (in KiB for ulimit).
        expect_output "join: --memory 64M is the program's RLIMIT_AS" 65536 \
                "$AIRLOCK" run --memory 64M -- sh -c 'ulimit -v'
        mem=$(report_get "$report" limits.memory.max)
        expect_output "join: the default memory limit is the program's RLIMIT_AS" \
                $((mem / 1024)) "$AIRLOCK" run -- sh -c 'ulimit -v'
        expect_output "join: the report says rlimit enforces memory" rlimit \
                report_get "$report" limits.memory.enforced_by
fi
