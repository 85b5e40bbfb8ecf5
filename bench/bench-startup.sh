#!/bin/sh
# Start-up of 'airlock run -- /bin/true' (default isolation: seven namespaces, new root,
# seccomp, Landlock) side by side, in one run, with: bubblewrap as users usually invoke it
# (whole /etc), bubblewrap given airlock's own view (the /etc subset bound file by file), the
# namespace floor (unshare into the same namespaces with a fresh /proc, no new root) and a bare
# exec; wall time, CPU time and system calls per start. Then a getppid() loop and an
# open/read/close loop inside each (the filter's cost per syscall), and the launchers' peak
# RSS. Prints a Markdown section with the ratios the targets of issue 14 are stated in. Needs
# hyperfine, bwrap, unshare and cc; strace for the system call counts.
# Also "airlock run, warm": the same command taking a sandbox that an "airlock warm" server of
# the same policy built ahead (docs/warm.md), started here in a folder of the bench's own; its
# CPU per start is the caller's plus the server's (which builds the next sandbox meanwhile).
# BENCH_FIFO=1 (root) starts every command, and the warm server, under SCHED_FIFO (chrt -f 10),
# so that on a loaded machine they do not queue behind the neighbours (docs/BENCHMARKS.md).
set -u
. "$(dirname "$0")/startup-peers.lib"
: "${AIRLOCK:?set AIRLOCK to the airlock binary}"
RUNS=${BENCH_RUNS:-100}
LOOP_N=${BENCH_LOOP_N:-3000000}
OPEN_N=${BENCH_OPEN_N:-300000}

for t in hyperfine bwrap unshare cc; do
        command -v "$t" >/dev/null || { echo "bench-startup: $t is missing (make deps)" >&2; exit 1; }
done
work=$(mktemp -d /tmp/airlock-bench.XXXXXX)
chmod 755 "$work"
trap 'rm -rf "$work"' EXIT INT TERM
cc -O2 -o "$work/loop" "$(dirname "$0")/syscall-loop.c" || exit 1
cc -O2 -o "$work/floor" "$(dirname "$0")/floor.c" || exit 1
chmod 755 "$work/loop" "$work/floor"

# The same view for bwrap as airlock's default: read-only /usr with the merged-usr links, the
# /etc subset airlock binds, /proc, a minimal /dev, tmpfs /tmp and HOME, the same identity.
bw=$(bwrap_base --hostname airlock)
for e in ld.so.cache ld.so.conf ld.so.conf.d nsswitch.conf host.conf gai.conf alternatives ssl \
        ca-certificates localtime timezone protocols services mime.types terminfo bash.bashrc \
        profile inputrc os-release debian_version fonts passwd group hosts; do
        [ -e "/etc/$e" ] && bw="$bw --ro-bind /etc/$e /etc/$e"
done
bw="$bw --proc /proc --dev /dev --tmpfs /tmp --tmpfs /home/sandbox --chdir /home/sandbox"
bw="$bw --ro-bind $work/loop /loop --ro-bind $work/floor /floor"
al="$AIRLOCK run --ro-bind $work/loop /loop --"
FIFO=
if [ "${BENCH_FIFO:-0}" = 1 ]; then
        command -v chrt >/dev/null || { echo "bench-startup: BENCH_FIFO=1 needs chrt" >&2; exit 1; }
        FIFO="chrt -f 10"
fi
# The warm server: the same policy as $al's (its --ro-bind), its folder the bench's own.
AIRLOCK_RUNTIME_DIR=$work/rt
export AIRLOCK_RUNTIME_DIR
mkdir -p "$work/rt" && chmod 700 "$work/rt"
# shellcheck disable=SC2086
$FIFO "$AIRLOCK" warm --pool "${BENCH_WARM_POOL:-1}" --ro-bind "$work/loop" /loop 2>"$work/warm.log" &
warm_pid=$!
trap 'kill "$warm_pid" 2>/dev/null; wait "$warm_pid" 2>/dev/null; rm -rf "$work"' EXIT INT TERM
for _i in $(seq 50); do [ -n "$(ls "$work"/rt/airlock/warm-*.sock 2>/dev/null)" ] && break; sleep 0.1; done
# the cold rows must stay cold
alc="$AIRLOCK run --cold --ro-bind $work/loop /loop --"
# CPU time (ms) the warm server and everything it reaped have used so far
server_cpu_ms() {
        awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15 + $16 + $17) * 1000 / hz }' \
                "/proc/$warm_pid/stat"
}
# bubblewrap as its users usually invoke it, and the namespace floor (startup-peers.lib)
bwu=$BWRAP_USUAL
floor=$FLOOR

mean_ms() { # mean_ms JSON [cpu] -> mean wall time (or user+system CPU time) in ms
        "${PY:-python3}" -c '
import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
print("%.2f" % ((r["user"] + r["system"] if sys.argv[2] == "cpu" else r["mean"]) * 1000))' "$1" "${2:-wall}"
}
bench() { # bench NAME RUNS CMD [cpu]
        # shellcheck disable=SC2086
        hyperfine -N --style none -w 3 -r "$2" ${PREPARE:+--prepare "$PREPARE"} \
                --export-json "$work/$1.json" "$3" >/dev/null 2>&1 ||
                { echo "bench-startup: '$3' failed" >&2; echo "nan"; return; }
        mean_ms "$work/$1.json" "${4:-wall}"
}
# CPU time of a whole process tree: perf's inherited task-clock counts every task, reaped or
# not (rusage misses what a launcher's pid 1 reaps and never reports). Needs root, or
# perf_event_paranoid < 2 to count kernel time; otherwise wall time stands in.
if [ "$(id -u)" = 0 ] || [ "$(cat /proc/sys/kernel/perf_event_paranoid 2>/dev/null)" -lt 2 ] 2>/dev/null &&
        command -v perf >/dev/null; then
        cpu_unit="CPU, perf task-clock"
        # Also the context switches and page faults per start, whole tree (counts, which the
        # load moves far less than time): each wait between the launcher's processes is a
        # switch, and a page fault is dear in a virtual machine. Kept in $work/NAME.counts.
        cpu_ms() { # cpu_ms RUNS CMD [NAME]
                # shellcheck disable=SC2086
                perf stat -x, -e task-clock,context-switches,page-faults -r "$1" -- $2 2>&1 >/dev/null |
                        awk -F, -v out="$work/${3:-x}.counts" '
                                $3 == "task-clock" { printf "%.2f", $1 }
                                $3 == "context-switches" { cs = $1 }
                                $3 == "page-faults" { pf = $1 }
                                END { print cs, pf >> out }'
        }
else
        cpu_unit="wall"
        cpu_ms() { bench cpu$$ "$1" "$2"; }
fi
# counts NAME -> "context_switches page_faults", the mean of the rounds (or "- -")
counts() {
        awk '{ c += $1; p += $2; n++ } END { if (n) printf "%.1f %.1f", c / n, p / n; else print "- -" }' \
                "$work/$1.counts" 2>/dev/null || echo "- -"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }

# Interleave the start-up measurements so that load on the machine hits them alike.
a=0 b=0 u=0 f=0 c=0 ac=0 bc=0 uc=0 fc=0 cc=0 w=0 wc=0 ws=0
add3() { awk -v x="$1" -v y="$2" 'BEGIN{printf "%.2f", x+y/3}'; }
for round in 1 2 3; do
        a=$(add3 "$a" "$(bench al$round $((RUNS / 3)) "$FIFO $alc /bin/true")")
        ac=$(add3 "$ac" "$(cpu_ms $((RUNS / 3)) "$FIFO $alc /bin/true" al)")
        s0=$(server_cpu_ms)
        w=$(add3 "$w" "$(bench warm$round $((RUNS / 3)) "$FIFO $al /bin/true")")
        s1=$(server_cpu_ms)
        wc=$(add3 "$wc" "$(cpu_ms $((RUNS / 3)) "$FIFO $al /bin/true" warm)")
        # the server's CPU per start over hyperfine's runs (3 warm-ups and RUNS / 3)
        ws=$(add3 "$ws" "$(awk -v a="$s0" -v b="$s1" -v n=$((RUNS / 3 + 3)) 'BEGIN { printf "%.2f", (b - a) / n }')")
        # the same, the starts 20 ms apart: the next sandbox is built before the next start,
        # as when runs are not back to back (cold beside it, spaced alike)
        sa=$(add3 "${sa:-0}" "$(PREPARE="sleep 0.02" bench als$round $((RUNS / 3)) "$FIFO $alc /bin/true")")
        sw=$(add3 "${sw:-0}" "$(PREPARE="sleep 0.02" bench warms$round $((RUNS / 3)) "$FIFO $al /bin/true")")
        su=$(add3 "${su:-0}" "$(PREPARE="sleep 0.02" bench bwus$round $((RUNS / 3)) "$FIFO $bwu /bin/true")")
        sf=$(add3 "${sf:-0}" "$(PREPARE="sleep 0.02" bench floors$round $((RUNS / 3)) "$FIFO $floor /bin/true")")
        u=$(add3 "$u" "$(bench bwu$round $((RUNS / 3)) "$FIFO $bwu /bin/true")")
        uc=$(add3 "$uc" "$(cpu_ms $((RUNS / 3)) "$FIFO $bwu /bin/true" bwu)")
        b=$(add3 "$b" "$(bench bw$round $((RUNS / 3)) "$FIFO $bw /bin/true")")
        bc=$(add3 "$bc" "$(cpu_ms $((RUNS / 3)) "$FIFO $bw /bin/true" bw)")
        f=$(add3 "$f" "$(bench floor$round $((RUNS / 3)) "$FIFO $floor /bin/true")")
        fc=$(add3 "$fc" "$(cpu_ms $((RUNS / 3)) "$FIFO $floor /bin/true" floor)")
        c=$(add3 "$c" "$(bench bare$round $((RUNS / 3)) "$FIFO /bin/true")")
        cc=$(add3 "$cc" "$(cpu_ms $((RUNS / 3)) "$FIFO /bin/true" bare)")
done
# System calls per start, every process of the tree (a count: the load does not move it).
nsys() { # nsys CMD -> total system calls
        if ! command -v strace >/dev/null; then
                echo "-"
                return
        fi
        # shellcheck disable=SC2086
        strace -f -c -o "$work/strace.txt" -- $1 >/dev/null 2>&1
        awk '$NF == "total" { print $4 }' "$work/strace.txt"
}
ws_sys=$(nsys "$FIFO $al /bin/true")
as=$(nsys "$alc /bin/true") us=$(nsys "$bwu /bin/true") bs=$(nsys "$bw /bin/true")
fs=$(nsys "$floor /bin/true") cs=$(nsys "/bin/true")

# The loops are measured in CPU time of the whole tree: on a shared machine wall time mostly
# measures the neighbours.
# The floor is the loop in bwrap's view (the same mounts as airlock's) under the least the
# kernel can be asked for: a one-instruction allow-all seccomp filter (getppid) and also a
# Landlock domain allowing everything beneath / (open); what airlock costs above it is
# airlock's own. Interleaved in rounds like start-up.
lg_al=0 lg_bw=0 lg_bare=0 lg_fl=0 lo_al=0 lo_bw=0 lo_bare=0 lo_fl=0
add5() { awk -v x="$1" -v y="$2" 'BEGIN{printf "%.2f", x+y/5}'; }
for round in 1 2 3 4 5; do
        lg_al=$(add5 "$lg_al" "$(cpu_ms 1 "$alc /loop getppid $LOOP_N")")
        lg_bw=$(add5 "$lg_bw" "$(cpu_ms 1 "$bw /loop getppid $LOOP_N")")
        lg_bare=$(add5 "$lg_bare" "$(cpu_ms 1 "$work/loop getppid $LOOP_N")")
        lg_fl=$(add5 "$lg_fl" "$(cpu_ms 1 "$bw /floor seccomp /loop getppid $LOOP_N")")
        lo_al=$(add5 "$lo_al" "$(cpu_ms 1 "$alc /loop open $OPEN_N")")
        lo_bw=$(add5 "$lo_bw" "$(cpu_ms 1 "$bw /loop open $OPEN_N")")
        lo_bare=$(add5 "$lo_bare" "$(cpu_ms 1 "$work/loop open $OPEN_N")")
        lo_fl=$(add5 "$lo_fl" "$(cpu_ms 1 "$bw /floor both /loop open $OPEN_N")")
done

# Peak RSS (VmHWM) of the launcher processes while the program sleeps: the process the user
# started (airlock's supervisor, bwrap's outer process) and the sandbox's pid 1.
hwm() { awk '/^VmHWM/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0; }
peak() { # peak CMD... -> "outer_kB pid1_kB"
        "$@" /bin/sleep 2 &
        _p=$!
        sleep 1
        _c=$(cat "/proc/$_p/task/$_p/children" 2>/dev/null | awk '{print $1}')
        echo "$(hwm "$_p") $(hwm "${_c:-0}")"
        wait "$_p"
}
set -- $(peak $AIRLOCK run --cold --)
rss_al_outer=$1 rss_al_init=${2:-0}
# shellcheck disable=SC2086
set -- $(peak $bw)
rss_bw_outer=$1 rss_bw_init=${2:-0}
# shellcheck disable=SC2086
set -- $(peak $bwu)
rss_bwu_outer=$1 rss_bwu_init=${2:-0}

echo "## Start-up and syscall overhead: airlock run vs bubblewrap"
echo
kill "$warm_pid" 2>/dev/null
wait "$warm_pid" 2>/dev/null
handed=$(sed -n 's/.*stopped after handing over \([0-9]*\) sandbox.*/\1/p' "$work/warm.log")
echo "Mean of $RUNS runs (start-up, interleaved in three rounds) or 5 runs (loops), by hyperfine;"
echo "$(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg) at the end; run as uid $(id -u)."
echo "bwrap: $(bwrap --version 2>/dev/null). Loops: $LOOP_N getppid(), $OPEN_N open/read/close."
echo
echo "Start-up of /bin/true. *bwrap, usual*: \`--ro-bind /usr /usr\`, the merged-usr links,"
echo "\`--ro-bind /etc /etc --proc /proc --dev /dev --tmpfs /tmp --unshare-all --die-with-parent"
echo "--new-session --cap-drop ALL\`. *bwrap, same view*: airlock's own view (the /etc subset bound"
echo "file by file, a private HOME). *floor*: \`$floor\`, the same namespaces and nothing"
echo "else. System calls are counted by strace -f -c over the whole process tree, one start each."
echo "*warm*: \`airlock run\` taking a sandbox an \`airlock warm\` server of the same policy built"
echo "ahead (pool ${BENCH_WARM_POOL:-1}; it handed over ${handed:-?} sandboxes in this run), back to back as the"
echo "other rows and also with 20 ms between starts (hyperfine --prepare 'sleep 0.02'); its CPU is the"
echo "caller's (perf) plus the server's per start (its own and its reaped children's, /proc/PID/stat)."
[ -z "$FIFO" ] || echo "Every command, and the warm server, ran under SCHED_FIFO (\`$FIFO\`)."

echo
echo "| start-up | airlock | bwrap, usual | bwrap, same view | floor | bare | airlock / bwrap usual (target ≤ 0.8) | airlock / bwrap same view (≤ 0.7) | airlock / floor (≤ 1.2) |"
echo "|---|---|---|---|---|---|---|---|---|"
echo "| wall (ms) | $a | $u | $b | $f | $c | $(ratio "$a" "$u") | $(ratio "$a" "$b") | $(ratio "$a" "$f") |"
echo "| wall (ms), airlock run warm | $w | | | | | $(ratio "$w" "$u") | $(ratio "$w" "$b") | $(ratio "$w" "$f") |"
echo "| wall (ms), airlock run warm, starts 20 ms apart (bwrap usual $su, floor $sf) | $sw | | | | | $(ratio "$sw" "$su") | | $(ratio "$sw" "$sf") |"
echo "| wall (ms), airlock cold, starts 20 ms apart | $sa | | | | | $(ratio "$sa" "$su") | | $(ratio "$sa" "$sf") |"
echo "| $cpu_unit (ms, target ≤ bwrap) | $ac | $uc | $bc | $fc | $cc | $(ratio "$ac" "$uc") | $(ratio "$ac" "$bc") | $(ratio "$ac" "$fc") |"
wt=$(awk -v a="$wc" -v b="$ws" 'BEGIN { printf "%.2f", a + b }')
echo "| $cpu_unit (ms), warm: the caller $wc + the server $ws per start | $wt | | | | | $(ratio "$wt" "$uc") | $(ratio "$wt" "$bc") | $(ratio "$wt" "$fc") |"
echo "| system calls (strace -f -c) | $as | $us | $bs | $fs | $cs | $(ratio "$as" "$us") | $(ratio "$as" "$bs") | $(ratio "$as" "$fs") |"
echo "| system calls, warm: the caller's alone | $ws_sys | | | | | | | |"
if [ "$cpu_unit" != wall ]; then
        # shellcheck disable=SC2046
        set -- $(counts al) $(counts bwu) $(counts bw) $(counts floor) $(counts bare)
        echo "| context switches (perf stat) | $1 | $3 | $5 | $7 | $9 | $(ratio "$1" "$3") | $(ratio "$1" "$5") | $(ratio "$1" "$7") |"
        echo "| page faults (perf stat) | $2 | $4 | $6 | $8 | ${10} | $(ratio "$2" "$4") | $(ratio "$2" "$6") | $(ratio "$2" "$8") |"
fi
echo
echo "| measurement | airlock | bwrap | bare | kernel floor | airlock / bwrap | airlock / bare | airlock / floor |"
echo "|---|---|---|---|---|---|---|---|"
echo "| getppid loop, $cpu_unit (ms) | $lg_al | $lg_bw | $lg_bare | $lg_fl | $(ratio "$lg_al" "$lg_bw") | $(ratio "$lg_al" "$lg_bare") | $(ratio "$lg_al" "$lg_fl") |"
echo "| open/read/close loop, $cpu_unit (ms) | $lo_al | $lo_bw | $lo_bare | $lo_fl | $(ratio "$lo_al" "$lo_bw") | $(ratio "$lo_al" "$lo_bare") | $(ratio "$lo_al" "$lo_fl") |"
echo
echo "| launcher peak RSS (KiB) | airlock | bwrap, usual | bwrap, same view | airlock / bwrap usual (target ≤ 1) | airlock / bwrap same view |"
echo "|---|---|---|---|---|---|"
echo "| outer process | $rss_al_outer | $rss_bwu_outer | $rss_bw_outer | $(ratio "$rss_al_outer" "$rss_bwu_outer") | $(ratio "$rss_al_outer" "$rss_bw_outer") |"
echo "| sandbox pid 1 | $rss_al_init | $rss_bwu_init | $rss_bw_init | $(ratio "$rss_al_init" "$rss_bwu_init") | $(ratio "$rss_al_init" "$rss_bw_init") |"
echo
echo "The loops run in bwrap's same view and include each launcher's start-up (a few ms of some"
echo "1000). bwrap loads no seccomp filter and no Landlock domain by default, so it runs them at"
echo "bare speed. The kernel floor is bench/floor.c run in bwrap's view (the same mounts as"
echo "airlock's): the loop under a"
echo "one-instruction allow-all seccomp filter (getppid), and also under a Landlock domain that"
echo "allows everything beneath / (open). Any filter puts every syscall on the kernel's slow entry"
echo "path, and any Landlock domain walks the path up to the root on each open, crossing each"
echo "mount on the way; that is the price of having the two layers at all, not of airlock's"
echo "rules. airlock / floor is what airlock's own filter, rule set and launcher add on top."
