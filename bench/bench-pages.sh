#!/bin/sh
# A web page's verdict with airlock analyze --detonate (headless Chromium in airlock run --net
# sinkhole, driven over the DevTools pipe, timers on virtual time, one click), side by side with
# the same Chromium loading the same page outside any sandbox (--headless --dump-dom with a
# virtual time budget: load and run the timers, no instrumentation, no judging). Pages: the
# smuggling and benign pages of tests/integration/detonate-pages.py, one page per run, one run
# at a time. Prints a Markdown section with p50 and p95 and their ratios.
# Needs chromium, python3, cc. BENCH_PAGES limits the number of pages (default: all).
set -u
: "${AIRLOCK:?}" "${AIRLOCK_SRC:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/pages/mal" "$tmp/pages/ben"
printf 'int main(void) { return 0; }\n' >"$tmp/tiny.c"
cc -Os -s -o "$tmp/tiny" "$tmp/tiny.c"
python3 "$AIRLOCK_SRC/tests/integration/detonate-pages.py" "$tmp/pages/mal" "$tmp/pages/ben" \
        "$tmp/tiny" >/dev/null
chmod -R a+rX "$tmp"
ls "$tmp"/pages/mal/* "$tmp"/pages/ben/* | head -n "${BENCH_PAGES:-1000}" >"$tmp/list"

now() { date +%s.%N; }
while read -r page; do
        t0=$(now)
        "$AIRLOCK" analyze --detonate --detonate-timeout 40 --json "$page" >/dev/null 2>&1
        t1=$(now)
        timeout 60 chromium --headless --disable-gpu --no-first-run --disable-background-networking \
                --disable-component-update --disable-sync --user-data-dir="$tmp/profile" \
                --virtual-time-budget=150000 --dump-dom "file://$page" >/dev/null 2>&1
        t2=$(now)
        echo "$t0 $t1 $t2" >>"$tmp/times"
done <"$tmp/list"

python3 - "$tmp/times" <<'PY'
import sys
rows = [list(map(float, l.split())) for l in open(sys.argv[1])]
a = sorted(r[1] - r[0] for r in rows)
b = sorted(r[2] - r[1] for r in rows)
def pct(v, p):
    return v[min(len(v) - 1, int(p * len(v)))]
print("## A web page's verdict (detonation in headless Chromium)\n")
print("%d pages, one at a time, on %s.\n" % (len(rows), open("/proc/cpuinfo").read().count("processor\t")
                                                 and "%d CPUs" % open("/proc/cpuinfo").read().count("processor\t")))
print("| | airlock analyze --detonate | chromium --headless bare | ratio |")
print("|---|---|---|---|")
for name, p in (("p50", 0.5), ("p95", 0.95)):
    print("| %s | %.2f s | %.2f s | %.2f |" % (name, pct(a, p), pct(b, p), pct(a, p) / pct(b, p)))
PY
