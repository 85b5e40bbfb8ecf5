#!/bin/sh
# A Windows script dropper's verdict with airlock analyze --detonate (box-js inside airlock run
# --net sinkhole, data/wsh-preload.js loaded first), side by side with box-js run bare on the
# same script outside any sandbox, as scripts/deps.sh installs it (its preload only stubs
# sync-request and process.send, both needed for it to run at all), and box-js bare with
# airlock's preload (what the preload saves, without the sandbox). Scripts: the JScript files
# of tests/integration/detonate-wsh.py (droppers and benign), one at a time, the three runs of
# a script one after the other. Prints a Markdown section with p50 and p95, wall and CPU time,
# and their ratios. Needs node, box-js (scripts/deps.sh), python3. BENCH_WSH limits the number
# of scripts (default: all).
set -u
: "${AIRLOCK:?}" "${AIRLOCK_SRC:?}"
BOXJS=${AIRLOCK_BOXJS_DIR:-/usr/local/lib/airlock/box-js}
if [ ! -f "$BOXJS/node_modules/box-js/analyze.js" ] || [ ! -f "$BOXJS/airlock-preload.js" ]; then
        printf '## A Windows script dropper'"'"'s verdict\n\nNot measured: box-js is not installed in %s (scripts/deps.sh).\n' "$BOXJS"
        exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/mal" "$tmp/ben"
python3 "$AIRLOCK_SRC/tests/integration/detonate-wsh.py" "$tmp/mal" "$tmp/ben" >/dev/null
chmod -R a+rX "$tmp"
ls "$tmp"/mal/*.js "$tmp"/ben/*.js | head -n "${BENCH_WSH:-1000}" >"$tmp/list"

# wall, user and system seconds of a command, on one line
timed() {
        /usr/bin/time -o "$tmp/t" -f '%e %U %S' "$@" >/dev/null 2>&1
        tr '\n' ' ' <"$tmp/t" | sed 's/Command exited with non-zero status [0-9]* //'
}
bare() {
        rm -rf "$tmp/out"
        mkdir "$tmp/out"
        timed env PATH="$BOXJS/path" node -r "$1" "$BOXJS/node_modules/box-js/analyze.js" "$2" \
                "$tmp/out/" --timeout=20 --no-kill --no-shell-error
}
while read -r s; do
        a=$(timed "$AIRLOCK" analyze --detonate --detonate-timeout 20 --json "$s")
        b=$(bare "$BOXJS/airlock-preload.js" "$s")
        c=$(bare "$AIRLOCK_SRC/data/wsh-preload.js" "$s")
        echo "$a $b $c" >>"$tmp/times"
done <"$tmp/list"

python3 - "$tmp/times" <<'PY'
import os, sys
rows = [list(map(float, l.split())) for l in open(sys.argv[1])]
def col(i):
    return sorted(r[i] for r in rows), sorted(r[i + 1] + r[i + 2] for r in rows)
def pct(v, p):
    return v[min(len(v) - 1, int(p * len(v)))]
(aw, ac), (bw, bc), (cw, cc) = col(0), col(3), col(6)
print("## A Windows script dropper's verdict (box-js in the sandbox)\n")
print("%d JScript files (droppers and benign), one at a time, %d CPUs, load average %.1f at the end.\n"
      % (len(rows), os.cpu_count(), os.getloadavg()[0]))
print("| | airlock analyze --detonate | box-js bare | ratio | box-js bare, airlock's preload | ratio |")
print("|---|---|---|---|---|---|")
for name, p in (("p50", 0.5), ("p95", 0.95)):
    for what, a, b, c in (("wall", aw, bw, cw), ("CPU", ac, bc, cc)):
        print("| %s %s | %.2f s | %.2f s | %.2f | %.2f s | %.2f |"
              % (name, what, pct(a, p), pct(b, p), pct(a, p) / pct(b, p), pct(c, p), pct(a, p) / pct(c, p)))
PY
