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
# with the reason in the milter's log; anything else is lost. Prints a Markdown section.
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
        ml_stop "$W/pf"
        pf_stop "$W/pf"
        [ -n "${BENCH_KEEP:-}" ] || rm -rf "$W"
}
trap cleanup EXIT INT TERM

# The corpus: pages (their payload a tiny program), JScript, scripts; N messages from it.
mkdir -p "$W/pages/mal" "$W/pages/ben" "$W/wsh/mal" "$W/wsh/ben" "$W/wsh/hta" "$W/msg" "$W/bin"
printf 'int main(void) { return 0; }\n' >"$W/tiny.c"
cc -Os -s -o "$W/tiny" "$W/tiny.c"
echo "bench: $(date +%T) corpus" >&2
python3 "$src/tests/integration/detonate-pages.py" "$W/pages/mal" "$W/pages/ben" "$W/tiny" >/dev/null
python3 "$src/tests/integration/detonate-wsh.py" "$W/wsh/mal" "$W/wsh/ben" "$W/wsh/hta" >/dev/null
python3 "$LOAD" corpus "$W/msg" "$N" "$W/pages" "$W/wsh"
# The milter runs and detonates as nobody: the programs from a copy nobody can reach.
cp "$AIRLOCK" "$AIRLOCK_TOOLS" "$W/bin/"
AIRLOCK_TOOLS=$W/bin/airlock-tools
chmod -R a+rX "$W"

mkdir -p "$W/pf/reports"
chown nobody "$W/pf/reports"
printf 'max-concurrency = %s\n' "$C" >"$W/policy.conf"
chmod a+r "$W/policy.conf"
P=$(free_port)
M=$(free_port)
pf_setup "$W/pf" "$P" "inet:127.0.0.1:$M"
pf_start "$W/pf"
wait_for_port "$P" 20
echo "bench: $(date +%T) milter" >&2
ml_start "$W/pf" "$M" --config "$W/policy.conf" --detonate --report-dir "$W/pf/reports"
MPID=$(cat "$W/pf/milter.pid")
timeout=$(sed -n 's/.*detonated (\([0-9]*\)s each.*/\1/p' "$W/pf/milter.log" | tail -n 1)

echo "bench: $(date +%T) sending" >&2
python3 "$LOAD" send 127.0.0.1 "$P" "$K" "$MPID" "$W/result.json" "$W"/msg/*.eml
pf_wait_idle "$W/pf" 120
load=$(cut -d' ' -f1-3 /proc/loadavg)
python3 "$LOAD" account "$W/result.json" "$W/msg/manifest" "$W/pf" "$W/pf/milter.log" >"$W/account"
ml_stop "$W/pf"
pf_stop "$W/pf"

v() { awk -v k="$1" '$1 == k { print $2; exit }' "$W/account"; }
kinds=$(awk '{ print $3 "-" $2 }' "$W/msg/manifest" | sort | uniq -c |
        awk '{ printf "%s%s %s", (NR > 1 ? ", " : ""), $1, $2 }')
bounded=$(awk -v a="$(v first_peak_rss_mb)" -v b="$(v last_peak_rss_mb)" \
        'BEGIN { if (a > 0) printf "%.2f", b / a; else print "n/a" }')

echo "Real Postfix 3.7 on 127.0.0.1 with \`airlock milter --detonate\` in front (max-concurrency"
echo "$C, queue-timeout 30 s, scan-timeout 120 s, detonate-timeout ${timeout:-10} s: the shipped"
echo "limits but max-concurrency); $N messages, one attachment each ($kinds), sent by $K SMTP"
echo "clients at once, each message in its own session. The milter's process tree sampled every"
echo "50 ms ($(v samples) samples); a detonation sandbox is a child of the milter that is the"
echo "airlock launcher (a page's browser, box-js, a script's run). Load average at the end: $load"
echo "on $(nproc) CPUs."
echo
echo "| | |"
echo "|---|---|"
echo "| messages sent / accounted for | $(v sent) / $(($(v sent) - $(v lost))) |"
echo "| delivered (clean / flagged) | $(v delivered) ($(v delivered_clean) / $(v delivered_flagged)) |"
echo "| quarantined (Postfix hold queue) | $(v quarantined) |"
echo "| rejected 5xx | $(v rejected) |"
echo "| tempfailed 4xx, reason logged | $(v tempfailed) |"
echo "| lost | $(v lost) |"
echo "| malicious samples delivered clean | $(v missed) of $(v bad) |"
echo "| benign samples rejected | $(v false_positive) of $(v good) |"
echo "| detonation sandboxes at once, peak (limit) | $(v peak_sandboxes) ($C) |"
echo "| sandboxes left after the last reply | $(v end_sandboxes) |"
echo "| processes below the milter, peak | $(v peak_procs) |"
echo "| summed RSS, peak / PSS peak | $(v peak_rss_mb) MB / $(v peak_pss_mb) MB |"
echo "| summed RSS peak, first $(v window) messages / last $(v window) | $(v first_peak_rss_mb) MB / $(v last_peak_rss_mb) MB (ratio $bounded) |"
echo "| summed PSS peak, first $(v window) / last $(v window) | $(v first_peak_pss_mb) MB / $(v last_peak_pss_mb) MB |"
echo "| the milter's own RSS, first $(v window) / last $(v window) | $(v milter_rss_first_mb) MB / $(v milter_rss_last_mb) MB |"
echo "| wall time | $(v wall_s) s |"
echo "| per-message latency (connect to the reply to DATA) p50 / p95 / max | $(v p50_s) s / $(v p95_s) s / $(v max_s) s |"
echo
if grep -q '^- ' "$W/account"; then
        echo "Messages to look at:"
        echo
        grep '^- ' "$W/account"
        echo
fi
