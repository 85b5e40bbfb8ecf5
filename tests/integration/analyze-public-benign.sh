#!/bin/sh
# Static triage on real benign files from public format test suites and script collections
# (issue 16): tests/data/realworld/benign/*.zip (password "infected", as the malicious side),
# one line per file in tests/data/realworld/benign.tsv (family, -, zip, member, source, licence;
# benign/SOURCES.md says where each comes from). Office binary and OOXML (macro-enabled ones
# without a VBA project too), ODF, RTF, PDF, HTML, SVG, OneNote, PowerShell, JavaScript,
# VBScript, shell and Python. One `airlock analyze --json` run over them all: every file must
# be clean (not suspicious, not malicious, not unscannable); the offenders are listed with their
# rules, and a line per family says how many were clean. The root and user phases read the
# whole set (about 600 files, 10 s of CPU); ASan every fourth file.
. "$AIRLOCK_SRC/tests/lib.sh"

data=$AIRLOCK_SRC/tests/data/realworld
set_dir=$TEST_TMPDIR/benign
step=1
[ "${AIRLOCK_TEST_PHASE:-root}" = asan ] && step=4
if ! python3 - "$data/benign.tsv" "$data/benign" "$set_dir" "$step" >"$TEST_TMPDIR/unzip.out" 2>&1 <<'PY'; then
import os, sys, zipfile
manifest, zdir, out, step = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
rows = [l.rstrip("\n").split("\t") for l in open(manifest) if l.strip() and not l.startswith("#")]
zips, n = {}, 0
with open(os.path.join(out + ".tsv"), "w") as idx:
    for i, (fam, _, zname, member, source, licence) in enumerate(rows):
        if i % step:
            continue
        z = zips.get(zname) or zips.setdefault(zname, zipfile.ZipFile(os.path.join(zdir, zname)))
        # flat names: the member's path with '/' made '__', so that no name climbs out
        name = "%04d-%s" % (i, member.replace("/", "__"))
        os.makedirs(out, exist_ok=True)
        with open(os.path.join(out, name), "wb") as f:
            f.write(z.read(member, pwd=b"infected"))
        idx.write("%s\t%s\n" % (name, fam))
        n += 1
print("%d files of %d from %d zips" % (n, len(rows), len(zips)))
PY
        fail "corpus-unzipped" "$(tail -5 "$TEST_TMPDIR/unzip.out")"
        exit 0
fi
pass "corpus-unzipped: $(cat "$TEST_TMPDIR/unzip.out")"

"$AIRLOCK" analyze --json -j 2 "$set_dir" >"$TEST_TMPDIR/report.json" 2>"$TEST_TMPDIR/err"
rc=$?
[ "$rc" = 0 ] && pass "exit-status-0" || fail "exit-status-0" "exit $rc (0 means all clean): $(head -c 300 "$TEST_TMPDIR/err")"

python3 - "$TEST_TMPDIR/report.json" "$set_dir.tsv" "$AIRLOCK_SRC/tests/helpers" <<'PY'
import collections, json, sys
sys.dont_write_bytecode = True
sys.path.insert(0, sys.argv[3])
from corpus_score import ok, rules, walk

raw = open(sys.argv[1], "rb").read()
try:
    r = json.loads(raw.decode("utf-8"))
except ValueError as e:
    print("FAIL: report-is-utf8-json: %s" % e)
    sys.exit(0)
print("PASS: report-is-utf8-json")
fam = dict(l.rstrip("\n").split("\t") for l in open(sys.argv[2]))
nodes = {}
for top in r["files"]:
    for n in walk(top):
        if n["type"] != "directory" and "!" not in n["path"] and n["name"] in fam:
            nodes[n["name"]] = n
ok(len(nodes) == len(fam), "every-file-reported", "%d of %d" % (len(nodes), len(fam)))
tot, bad, offenders = collections.Counter(), collections.Counter(), []
for name, n in sorted(nodes.items()):
    tot[fam[name]] += 1
    if n["verdict"] != "clean":
        bad[fam[name]] += 1
        offenders.append("%s: %s (%s)" % (name, n["verdict"], rules(n) or "no finding"))
for f in sorted(tot):
    print("%-20s clean %d/%d" % (f, tot[f] - bad[f], tot[f]))
print("benign: %d/%d clean" % (len(nodes) - len(offenders), len(nodes)))
ok(not offenders, "no-false-alarms", "; ".join(offenders))
PY
