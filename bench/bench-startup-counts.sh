#!/bin/sh
# Start-up of 'airlock run -- /bin/true' in counts that the load on the machine moves little:
# CPU time of the whole process tree (perf task-clock), context switches, page faults and CPU
# migrations (perf stat, one start per sample, the commands interleaved A, B, C, A, B, C...,
# medians of BENCH_RUNS starts each), and system calls per start by process (strace -f, the
# least of three starts). Beside airlock: the namespace floor (unshare into the same
# namespaces with a fresh /proc) and bubblewrap as users usually invoke it; with
# AIRLOCK_BEFORE set, another airlock binary too (the build before a change), so that a
# change is measured against its base in one run. Wall time is left to bench-startup.sh: on
# a shared machine it mostly measures the neighbours.
#
#   AIRLOCK=build/airlock [AIRLOCK_BEFORE=/path/to/old/airlock] [BENCH_RUNS=31] \
#           sh bench/bench-startup-counts.sh
#
# Needs perf (as root, or perf_event_paranoid < 2 to count kernel time) and strace; bwrap
# and unshare when present. AIRLOCK_BEFORE must sit in a build tree of its own or beside
# this one's profiles (it finds them beside itself).
set -u
. "$(dirname "$0")/startup-peers.lib"
: "${AIRLOCK:?set AIRLOCK to the airlock binary}"
RUNS=${BENCH_RUNS:-31}

# make bench runs every section: without the tools, say so in the section and go on.
for t in perf strace; do
        if ! command -v "$t" >/dev/null; then
                echo "## Start-up counts: airlock run -- /bin/true"
                echo
                echo "Skipped: needs $t (Debian: linux-perf, strace)."
                exit 0
        fi
done
work=$(mktemp -d /tmp/airlock-counts.XXXXXX)
trap 'rm -rf "$work"' EXIT INT TERM

# name|command, one a line; the order is the order of each round
{
        [ -n "${AIRLOCK_BEFORE:-}" ] && echo "airlock, before|$AIRLOCK_BEFORE run -- /bin/true"
        echo "airlock|$AIRLOCK run -- /bin/true"
        command -v unshare >/dev/null && echo "floor|$FLOOR /bin/true"
        command -v bwrap >/dev/null && echo "bwrap, usual|$BWRAP_USUAL /bin/true"
} >"$work/commands"

load_start=$(cut -d' ' -f1 /proc/loadavg)
i=0
while [ "$i" -lt "$RUNS" ]; do
        n=0
        while IFS='|' read -r name cmd; do
                n=$((n + 1))
                # shellcheck disable=SC2086
                perf stat -x, -e task-clock,context-switches,page-faults,cpu-migrations -- $cmd \
                        2>&1 >/dev/null </dev/null | awk -F, '
                        $3 == "task-clock" { t = $1 }
                        $3 == "context-switches" { c = $1 }
                        $3 == "page-faults" { p = $1 }
                        $3 == "cpu-migrations" { m = $1 }
                        END { print t, c, p, m }' >>"$work/$n.perf"
                cut -d' ' -f1 /proc/loadavg >>"$work/load"
        done <"$work/commands"
        i=$((i + 1))
done
load_end=$(cut -d' ' -f1 /proc/loadavg)

median() { # median FILE COLUMN
        awk -v c="$2" '{ print $c }' "$1" | sort -n |
                awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
# syscalls CMD -> "total per-process..." (pids in the order they first appear), least of three
syscalls() {
        best=""
        for _ in 1 2 3; do
                # shellcheck disable=SC2086
                strace -f -o "$work/strace.txt" -- $1 >/dev/null 2>&1 </dev/null
                line=$(awk '!/resumed>|\+\+\+ |--- / {
                                if (!($1 in c)) order[++np] = $1
                                c[$1]++; total++
                        }
                        END {
                                printf "%d", total
                                for (i = 1; i <= np; i++) printf " %d", c[order[i]]
                                print ""
                        }' "$work/strace.txt")
                if [ -z "$best" ] || [ "${line%% *}" -lt "${best%% *}" ]; then best=$line; fi
        done
        echo "$best"
}

echo "## Start-up counts: airlock run -- /bin/true"
echo
echo "Medians of $RUNS starts each, interleaved; $(nproc) CPUs, load average (1 min) $load_start at"
echo "the start, $load_end at the end, median $(median "$work/load" 1) while it ran; run as uid $(id -u)."
echo "System calls: strace -f, the least of three starts, then split by process in the order"
echo "they start (airlock: supervisor, sandbox pid 1, program)."
echo
echo "| command | task-clock (ms) | context switches | page faults | CPU migrations | system calls | by process |"
echo "|---|---|---|---|---|---|---|"
n=0
while IFS='|' read -r name cmd; do
        n=$((n + 1))
        # shellcheck disable=SC2046
        set -- $(syscalls "$cmd")
        total=$1
        shift
        echo "| $name | $(median "$work/$n.perf" 1) | $(median "$work/$n.perf" 2) | $(median "$work/$n.perf" 3) | $(median "$work/$n.perf" 4) | $total | $* |"
done <"$work/commands"
