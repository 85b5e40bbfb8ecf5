#!/bin/sh
# Scores an airlock build on a hold-out corpus, C or D (bench/holdout/README.md).
#
#   sh run.sh BUILD_DIR TAG [HOLDOUT_DIR]
#
# Runs BUILD_DIR/airlock analyze --json once over HOLDOUT_DIR/mal and HOLDOUT_DIR/benign
# (default HOLDOUT_DIR: the folder of this script when it holds labels.tsv, else
# /work/holdoutC; give /work/holdoutD for D), keeps the report as
# HOLDOUT_DIR/results-TAG.json and prints per family detected % and right-id %, overall,
# overall without the exploit-kit pages, and the benign files flagged (count, % and each
# with its rules). Scoring as the suite's (tests/integration/analyze-public-corpus.py):
# detected = verdict not clean; right id = one of the family's accepted ATT&CK ids among
# the ids of the file's findings (its members included).
set -eu

usage() { echo "usage: sh run.sh BUILD_DIR TAG [HOLDOUT_DIR]" >&2; exit 2; }
if [ $# -lt 2 ] || [ $# -gt 3 ]; then usage; fi
build=$1
tag=$2
here=$(cd "$(dirname "$0")" && pwd)
if [ $# -eq 3 ]; then
        holdout=$3
elif [ -f "$here/labels.tsv" ]; then
        holdout=$here
else
        holdout=/work/holdoutC
fi
holdout=$(cd "$holdout" && pwd)
case $tag in *[!A-Za-z0-9._-]*|'') echo "run.sh: TAG may hold letters, digits, . _ - only" >&2; exit 2 ;; esac
[ -x "$build/airlock" ] || { echo "run.sh: no $build/airlock (build it first)" >&2; exit 2; }
[ -f "$holdout/labels.tsv" ] || { echo "run.sh: no $holdout/labels.tsv (build.py makes it)" >&2; exit 2; }

report=$holdout/results-$tag.json
err=$holdout/results-$tag.stderr
start=$(date +%s)
# exit status 1 means "something not clean", which is expected here; 2 is an error
rc=0
"$build/airlock" analyze --json "$holdout/mal" "$holdout/benign" >"$report.tmp" 2>"$err" || rc=$?
if [ "$rc" -gt 1 ]; then
        echo "run.sh: airlock analyze failed (exit $rc), see $err" >&2
        exit 1
fi
mv "$report.tmp" "$report"
[ -s "$err" ] || rm -f "$err"
echo "airlock analyze: $(($(date +%s) - start)) s; report $report"

python3 - "$report" "$holdout" <<'EOF'
import json
import os
import sys

report, holdout = sys.argv[1], sys.argv[2]


def walk(node):
    yield node
    for c in node.get("children", []):
        yield from walk(c)


def ids(node):
    return set(a for n in walk(node) for f in n["findings"] for a in f.get("attack", []))


def rules(node):
    return ", ".join(sorted(set(f["rule"] for n in walk(node) for f in n["findings"])))


nodes = {}
for top in json.load(open(report))["files"]:
    for n in walk(top):
        if "!" not in n["path"]:
            nodes[os.path.normpath(n["path"])] = n
rows = []
with open(os.path.join(holdout, "labels.tsv")) as f:
    header = f.readline().rstrip("\n").split("\t")
    rows = [dict(zip(header, line.rstrip("\n").split("\t"))) for line in f]

per, lost, fps, nben = {}, [], [], 0
for r in rows:
    n = nodes.get(os.path.normpath(os.path.join(holdout, r["path"])))
    if n is None:
        lost.append(r["path"])
        continue
    if r["label"] == "benign":
        nben += 1
        if n["verdict"] != "clean":
            fps.append("%s: %s (%s)" % (r["path"], n["verdict"], rules(n)))
        continue
    s = per.setdefault(r["family"], [0, 0, 0])
    det = n["verdict"] != "clean"
    s[0] += 1
    s[1] += det
    s[2] += det and bool(ids(n) & set(r["ids"].split(",")))


def line(name, t, d, g):
    print("%-20s %5d %5d %6.1f%% %5d %6.1f%%" % (name, t, d, 100.0 * d / t if t else 0, g,
                                                  100.0 * g / t if t else 0))


print("%-20s %5s %5s %7s %5s %7s" % ("family", "files", "det", "det%", "right", "right%"))
for fam in sorted(per):
    line(fam, *per[fam])
tot = [sum(s[i] for s in per.values()) for i in range(3)]
line("overall", *tot)
noek = [sum(s[i] for f, s in per.items() if f != "js-exploit-kit") for i in range(3)]
line("overall without EK", *noek)
print("benign flagged: %d/%d (%.1f%%)" % (len(fps), nben, 100.0 * len(fps) / nben if nben else 0))
for fp in sorted(fps):
    print("  " + fp)
if lost:
    print("NOT IN THE REPORT: %d files, e.g. %s" % (len(lost), " ".join(lost[:5])))
    sys.exit(1)
EOF
