#!/bin/sh
# Where the start-up of 'airlock run -- /bin/true' waits: BENCH_RUNS starts with
# AIRLOCK_DEBUG_STARTUP=1 (the supervisor, pid 1 and the program print each step with the CPU
# time they used so far), and for each step the median of its wall time, of its CPU time and
# of the difference, the wait: for a CPU, a lock, an RCU grace period or another process.
# A step's time runs from the same process's step before (a process's first step: from the
# line printed just before it). On a shared machine the waits are what the load moves; the
# CPU column barely moves, so a change's own cost shows there.
#
#   AIRLOCK=build/airlock [AIRLOCK_BEFORE=/path/to/old/airlock] [BENCH_RUNS=41] \
#           sh bench/startup-steps.sh
#
# With AIRLOCK_BEFORE, the two binaries start in turn (before, after, before...) and the
# table has both. A helper for finding where time goes, not a section of make bench.
#
# BENCH_FIFO=1 starts each run under SCHED_FIFO (chrt -f 10, root): the launcher's processes
# then never wait behind the neighbours' tasks for a CPU, so on a loaded machine the table is
# close to a quiet one's (the kernel's own threads, such as the RCU grace-period worker, still
# wait their turn). The first step's CPU then includes chrt's exec.
set -u
: "${AIRLOCK:?set AIRLOCK to the airlock binary}"
RUNS=${BENCH_RUNS:-41}
fifo=
if [ "${BENCH_FIFO:-0}" = 1 ]; then
        command -v chrt >/dev/null || { echo "startup-steps: BENCH_FIFO=1 needs chrt" >&2; exit 1; }
        fifo="chrt -f 10"
fi
work=$(mktemp -d /tmp/airlock-steps.XXXXXX)
trap 'rm -rf "$work"' EXIT INT TERM

i=0
while [ "$i" -lt "$RUNS" ]; do
        for side in before after; do
                if [ "$side" = before ]; then
                        bin=${AIRLOCK_BEFORE:-}
                        [ -n "$bin" ] || continue
                else
                        bin=$AIRLOCK
                fi
                # shellcheck disable=SC2086
                AIRLOCK_DEBUG_STARTUP=1 $fifo "$bin" run -- /bin/true 2>>"$work/$side" >/dev/null ||
                        { echo "startup-steps: $bin run -- /bin/true failed" >&2; exit 1; }
                echo "airlock-startup: end" >>"$work/$side"
        done
        i=$((i + 1))
done

"${PY:-python3}" - "$work" "$RUNS" "$(uptime)" <<'PY'
import os, re, statistics, sys

work, runs, load = sys.argv[1], sys.argv[2], sys.argv[3]
line_re = re.compile(r"^airlock-startup: \+(\d+)us pid (\d+) cpu (\d+)us (.*)$")


def steps(path):
    """{(process, step): [(wall, cpu), ...]} and the order steps first appeared in"""
    out, order = {}, []
    last_wall, last_cpu, prev_wall = {}, {}, 0
    for line in open(path):
        if line.startswith("airlock-startup: end"):
            last_wall, last_cpu, prev_wall = {}, {}, 0
            continue
        m = line_re.match(line.strip())
        if not m:
            continue
        wall, pid, cpu, step = int(m[1]), m[2], int(m[3]), m[4]
        proc = pid if pid in ("1", "2") else "sup"
        since = last_wall.get(proc, prev_wall)
        key = (proc, step)
        if key not in out:
            out[key] = []
            order.append(key)
        out[key].append((wall - since, cpu - last_cpu.get(proc, 0)))
        last_wall[proc], last_cpu[proc], prev_wall = wall, cpu, wall
    return out, order


sides = [s for s in ("before", "after") if os.path.exists(os.path.join(work, s))]
data = {s: steps(os.path.join(work, s)) for s in sides}
order = data[sides[-1]][1] + [k for k in data[sides[0]][1] if k not in data[sides[-1]][1]]
med = lambda v: statistics.median(v) if v else float("nan")
head = "| process | step |"
for s in sides:
    head += f" wall{' ' + s if len(sides) > 1 else ''} | CPU | wait |"
print(f"Medians of {runs} starts (us); {load.strip()}")
print()
print(head)
print("|---|---|" + "---|---|---|" * len(sides))
for key in order:
    row = f"| {key[0]} | {key[1]} |"
    for s in sides:
        v = data[s][0].get(key, [])
        if not v:
            row += " | | |"
            continue
        w, c = med([x[0] for x in v]), med([x[1] for x in v])
        row += f" {w:.0f} | {c:.0f} | {max(w - c, 0):.0f} |"
    print(row)
PY
