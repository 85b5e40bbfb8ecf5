#!/bin/sh
# Detonation through the milter (issue 12's budget): a real Postfix on 127.0.0.1 with
# `airlock milter --detonate` in front, BENCH_MILTER_MESSAGES messages (default 50) whose
# attachments detonation runs (smuggling and benign pages from detonate-pages.py, JScript
# droppers and benign JScript from detonate-wsh.py, shell and Python scripts that read a key or
# plant persistence, and benign ones) sent by BENCH_MILTER_CLIENTS SMTP clients at once
# (default 8), more than the milter's max-concurrency (BENCH_MILTER_CONCURRENCY, default 4, the
# shipped default; the other limits are the shipped ones too). The milter's process tree is
# sampled every 50 ms (tests/helpers/milter-detonate-load.py): detonation sandboxes at once,
# summed RSS (PSS every 10th sample) of the milter and all its descendants. Every message is
# accounted for: delivered (with its verdict), quarantined, rejected 5xx or tempfailed 4xx
# with the reason in the milter's log; anything else is lost. BENCH_MILTER_BASELINE=PATH (the
# airlock-tools of another build, its airlock beside it) adds a column: the same messages
# through that build's milter, run after this one. Prints a Markdown section.
# Needs root (Postfix), chromium and box-js (scripts/deps.sh installs them).
set -u
src=${AIRLOCK_SRC:-$(cd "$(dirname "$0")/.." && pwd)}
AIRLOCK=${AIRLOCK:-$src/build/airlock}
AIRLOCK_TOOLS=${AIRLOCK_TOOLS:-$(dirname "$AIRLOCK")/airlock-tools}
AIRLOCK_DATA_DIR=${AIRLOCK_DATA_DIR:-$src}
export AIRLOCK AIRLOCK_TOOLS AIRLOCK_DATA_DIR
. "$src/tests/integration/milter-postfix.lib"

N=${BENCH_MILTER_MESSAGES:-50}
K=${BENCH_MILTER_CLIENTS:-8}
C=${BENCH_MILTER_CONCURRENCY:-4}
LOAD=$src/tests/helpers/milter-detonate-load.py

echo "## Detonation through the milter (bench-milter-detonate.sh)"
echo
if [ "$(id -u)" != 0 ] || ! command -v postfix >/dev/null || ! command -v chromium >/dev/null; then
        echo "Skipped: needs root, postfix and chromium (scripts/deps.sh installs them)."
        exit 0
fi

W=$(mktemp -d /tmp/airlock-bench-milterdet.XXXXXX)
chmod 755 "$W"
cleanup() {
        for d in "$W"/*/pf; do
                [ -d "$d/etc" ] || continue
                ml_stop "$d"
                pf_stop "$d"
        done
        [ -n "${BENCH_KEEP:-}" ] || rm -rf "$W"
}
trap cleanup EXIT INT TERM

# The corpus: pages (their payload a tiny program), JScript, scripts; N messages from it.
mkdir -p "$W/pages/mal" "$W/pages/ben" "$W/wsh/mal" "$W/wsh/ben" "$W/wsh/hta" "$W/msg"
printf 'int main(void) { return 0; }\n' >"$W/tiny.c"
cc -Os -s -o "$W/tiny" "$W/tiny.c"
echo "bench: $(date +%T) corpus" >&2
python3 "$src/tests/integration/detonate-pages.py" "$W/pages/mal" "$W/pages/ben" "$W/tiny" >/dev/null
python3 "$src/tests/integration/detonate-wsh.py" "$W/wsh/mal" "$W/wsh/ben" "$W/wsh/hta" >/dev/null
python3 "$LOAD" corpus "$W/msg" "$N" "$W/pages" "$W/wsh"
# run NAME AIRLOCK_TOOLS: Postfix and the milter of that build (its launcher beside it), the
# messages sent, everything accounted for in $W/NAME/account; then, 35 s after the last reply,
# the sandboxes left (the slots' idle browsers are ended after 30 s), and the milter stopped.
run() {
        d=$W/$1
        mkdir -p "$d/bin" "$d/pf/reports"
        # The milter runs and detonates as nobody: the programs from a copy nobody can reach.
        cp "$(dirname "$2")/airlock" "$2" "$d/bin/"
        chmod -R a+rX "$d"
        chown nobody "$d/pf/reports"
        P=$(free_port)
        M=$(free_port)
        pf_setup "$d/pf" "$P" "inet:127.0.0.1:$M"
        pf_start "$d/pf"
        wait_for_port "$P" 20
        echo "bench: $(date +%T) $1: milter" >&2
        _own=$AIRLOCK_TOOLS
        AIRLOCK_TOOLS=$d/bin/airlock-tools
        ml_start "$d/pf" "$M" --config "$W/policy.conf" --detonate --report-dir "$d/pf/reports"
        AIRLOCK_TOOLS=$_own
        MPID=$(cat "$d/pf/milter.pid")
        echo "bench: $(date +%T) $1: sending" >&2
        python3 "$LOAD" send 127.0.0.1 "$P" "$K" "$MPID" "$d/result.json" "$W"/msg/*.eml
        pf_wait_idle "$d/pf" 120
        cut -d' ' -f1-3 /proc/loadavg >"$d/load"
        python3 "$LOAD" account "$d/result.json" "$W/msg/manifest" "$d/pf" "$d/pf/milter.log" \
                >"$d/account"
        sleep 35
        n=0
        for c in $(pgrep -P "$MPID"); do
                [ "$(cat /proc/"$c"/comm 2>/dev/null)" = airlock ] && n=$((n + 1))
        done
        echo "idle_sandboxes $n" >>"$d/account"
        ml_stop "$d/pf"
        pf_stop "$d/pf"
}
chmod -R a+rX "$W"
printf 'max-concurrency = %s\n' "$C" >"$W/policy.conf"
chmod a+r "$W/policy.conf"
run airlock "$AIRLOCK_TOOLS"
names=airlock
if [ -n "${BENCH_MILTER_BASELINE:-}" ]; then
        run baseline "$BENCH_MILTER_BASELINE"
        names="airlock baseline"
fi
timeout=$(sed -n 's/.*detonated (\([0-9]*\)s each.*/\1/p' "$W/airlock/pf/milter.log" | tail -n 1)

# row LABEL FORMAT KEY...: one table row, a column per build, FORMAT filled with the KEYs' values.
v() { awk -v k="$1" '$1 == k { print $2; exit }' "$W/$2/account"; }
row() {
        _label=$1 _fmt=$2
        shift 2
        printf '| %s |' "$_label"
        for n in $names; do
                _args=""
                for k in "$@"; do _args="$_args $(v "$k" "$n")"; done
                # shellcheck disable=SC2086 # one argument per value
                printf " $_fmt |" $_args
        done
        echo
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
kinds=$(awk '{ print $3 "-" $2 }' "$W/msg/manifest" | sort | uniq -c |
        awk '{ printf "%s%s %s", (NR > 1 ? ", " : ""), $1, $2 }')
for n in $names; do
        echo "accounted_for $(($(v sent "$n") - $(v lost "$n")))" >>"$W/$n/account"
        echo "rss_ratio $(ratio "$(v last_peak_rss_mb "$n")" "$(v first_peak_rss_mb "$n")")" >>"$W/$n/account"
done

echo "Real Postfix 3.7 on 127.0.0.1 with \`airlock milter --detonate\` in front (max-concurrency"
echo "$C, queue-timeout 30 s, scan-timeout 120 s, detonate-timeout ${timeout:-10} s: the shipped"
echo "limits but max-concurrency); $N messages, one attachment each ($kinds), sent by $K SMTP"
echo "clients at once, each message in its own session. The milter's process tree is sampled"
echo "every 50 ms (every $(v sample_ms airlock) ms on average under this load); a detonation sandbox is a"
echo "child of the milter that is the airlock launcher (a page's browser, box-js, a script's run)."
echo "Load average at the end: $(cat "$W/airlock/load") on $(nproc) CPUs."
if [ -n "${BENCH_MILTER_BASELINE:-}" ]; then
        echo "Baseline: the milter of $BENCH_MILTER_BASELINE, run after it on the same messages"
        echo "(load average at its end: $(cat "$W/baseline/load"))."
fi
echo
if [ -n "${BENCH_MILTER_BASELINE:-}" ]; then
        echo "| | airlock milter | baseline build |"
        echo "|---|---|---|"
else
        echo "| | airlock milter |"
        echo "|---|---|"
fi
row "messages sent / accounted for" "%s / %s" sent accounted_for
row "delivered (clean / flagged)" "%s (%s / %s)" delivered delivered_clean delivered_flagged
row "quarantined (Postfix hold queue)" "%s" quarantined
row "rejected 5xx" "%s" rejected
row "tempfailed 4xx, reason logged" "%s" tempfailed
row "lost" "%s" lost
row "malicious samples delivered clean (of)" "%s (%s)" missed bad
row "benign samples rejected (of)" "%s (%s)" false_positive good
row "detonation sandboxes at once, peak (limit $C)" "%s" peak_sandboxes
row "sandboxes started / of them browsers / pages" "%s / %s / %s" sandboxes_seen browsers_seen pages
row "sandboxes at the last reply / 35 s later" "%s / %s" end_sandboxes idle_sandboxes
row "processes below the milter, peak" "%s" peak_procs
row "summed RSS peak / PSS peak" "%s MB / %s MB" peak_rss_mb peak_pss_mb
row "summed RSS peak, first $(v window airlock) messages / last $(v window airlock)" "%s MB / %s MB (%s)" first_peak_rss_mb last_peak_rss_mb rss_ratio
row "summed PSS peak, first $(v window airlock) / last $(v window airlock)" "%s MB / %s MB" first_peak_pss_mb last_peak_pss_mb
row "the milter's own RSS, first $(v window airlock) / last $(v window airlock)" "%s MB / %s MB" milter_rss_first_mb milter_rss_last_mb
row "wall time" "%s s" wall_s
row "per-message latency (connect to the reply to DATA) p50 / p95 / max" "%s s / %s s / %s s" p50_s p95_s max_s
echo
for n in $names; do
        if grep -q '^- ' "$W/$n/account"; then
                echo "Messages to look at ($n):"
                echo
                grep '^- ' "$W/$n/account"
                echo
        fi
done
