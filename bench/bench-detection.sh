#!/bin/sh
# Detection on the public real-world corpus (tests/data/realworld, issue 16), airlock side by
# side with the yara command over a public rule set and clamscan, on the same files in one
# run: per family the share detected (and, for airlock, with an expected ATT&CK id: yara's and
# ClamAV's public rules carry none), the benign false-positive rate (when benign.tsv is
# there), and the time per file of one batch run of each. Prints a Markdown section.
#
#   YARA_RULES=DIR   a folder of public YARA rules (*.yar, *.yara, searched recursively), for
#                    example Neo23x0/signature-base's yara/ folder or Yara-Rules/rules: the
#                    files that Debian's yara compiles are used, the others are counted and
#                    left out. Not in the tree: clone one of them and point YARA_RULES at it.
#   CLAMAV_DB=DIR    clamscan's database folder (default /var/lib/clamav, as freshclam fills
#                    it); without main/daily there, clamscan runs on an EICAR-only database and
#                    the table says so.
# Needs yara, yarac, clamscan, python3.
set -u
: "${AIRLOCK:?}" "${AIRLOCK_SRC:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
set_dir=$tmp/set
mkdir -p "$set_dir"
python3 "$AIRLOCK_SRC/tests/integration/analyze-public-corpus.py" extract \
        "$AIRLOCK_SRC/tests/data/realworld" "$set_dir" >"$tmp/extract.out" 2>&1 || {
        echo "bench-detection: could not unpack the corpus: $(tail -3 "$tmp/extract.out")" >&2
        exit 1
}
dirs=$set_dir/malicious
[ -d "$set_dir/benign" ] && dirs="$dirs $set_dir/benign"
nfiles=$(wc -l <"$set_dir/labels.tsv")

# timed PREFIX CMD...: runs CMD once, its output in $tmp/PREFIX.out; wall and CPU seconds
# (user + system of the command and its children) in $tmp/PREFIX.time
timed() {
        _p=$1
        shift
        /usr/bin/time -f '%e %U %S' -o "$tmp/$_p.time" "$@" >"$tmp/$_p.out" 2>"$tmp/$_p.err"
}

# airlock: one batch, its own rules
# shellcheck disable=SC2086 # the folders
timed airlock "$AIRLOCK" analyze --json $dirs

# yara: the public rule set, each file tried alone with Debian's yarac, the ones that compile
# in one compiled set; the compile is timed apart (a scanner compiles once)
yara_note="no YARA_RULES given: yara not run (clone Neo23x0/signature-base or Yara-Rules/rules and set YARA_RULES to its rule folder)"
ydefs="-d filename=x -d filepath=x -d extension=x -d filetype=x -d owner=x"
if [ -n "${YARA_RULES:-}" ] && [ -d "$YARA_RULES" ] && command -v yarac >/dev/null; then
        ok=0
        bad=0
        : >"$tmp/index.yar"
        find "$YARA_RULES" -type f \( -name '*.yar' -o -name '*.yara' \) | sort >"$tmp/yfiles"
        while IFS= read -r f; do
                # shellcheck disable=SC2086 # the definitions
                if yarac $ydefs "$f" "$tmp/one.yarc" >/dev/null 2>&1; then
                        printf 'include "%s"\n' "$f" >>"$tmp/index.yar"
                        ok=$((ok + 1))
                else
                        bad=$((bad + 1))
                fi
        done <"$tmp/yfiles"
        # shellcheck disable=SC2086
        if timed yarac yarac $ydefs "$tmp/index.yar" "$tmp/all.yarc"; then
                # yara takes one target with compiled rules ("can't accept multiple rules
                # files"): the folder that holds both sides (its labels.tsv is no sample)
                # shellcheck disable=SC2086
                timed yara yara -C -r -w $ydefs "$tmp/all.yarc" "$set_dir"
                [ -s "$tmp/yara.err" ] && yara_err=$(head -c 200 "$tmp/yara.err")
                nrules=$(grep -c '^[[:space:]]*\(private \|global \)*rule ' $(sed 's/^include "\(.*\)"$/\1/' "$tmp/index.yar") 2>/dev/null | awk -F: '{s += $NF} END {print s + 0}')
                yara_note="yara $(yara --version) with $nrules rules from $ok files of $YARA_RULES that Debian's yarac compiles ($bad left out); compile $(cut -d' ' -f1 "$tmp/yarac.time") s, not counted in the time per file"
                [ -n "${yara_err:-}" ] && yara_note="$yara_note; yara said: $yara_err"
        else
                yara_note="the rules of $YARA_RULES did not compile together: $(head -c 200 "$tmp/yarac.err")"
        fi
fi

# clamscan: its database, or an EICAR-only one
db=${CLAMAV_DB:-/var/lib/clamav}
if ls "$db"/main.c[lv]d "$db"/daily.c[lv]d >/dev/null 2>&1; then
        clam_note="clamscan $(clamscan --version 2>/dev/null | cut -d/ -f1) with the database in $db"
else
        db=$tmp/db
        mkdir -p "$db"
        eicar_hex=$(printf '%s%s' 'X5O!P%@AP[4\PZX54(P^)7CC)' '7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*' | od -An -tx1 | tr -d ' \n')
        echo "Bench.Eicar:0:*:$eicar_hex" >"$db/bench.ndb"
        clam_note="clamscan $(clamscan --version 2>/dev/null | cut -d/ -f1) with NO signature database (freshclam's main/daily are not in ${CLAMAV_DB:-/var/lib/clamav}; set CLAMAV_DB): an EICAR-only one, so its column shows ClamAV's built-in detections only"
fi
# shellcheck disable=SC2086
timed clamscan clamscan --no-summary -i -r -d "$db" $dirs

python3 - "$tmp" "$set_dir" "$nfiles" "$yara_note" "$clam_note" <<'PY'
import json, os, sys
sys.dont_write_bytecode = True
tmp, set_dir, nfiles, yara_note, clam_note = sys.argv[1:6]
sys.path.insert(0, os.path.join(os.environ["AIRLOCK_SRC"], "tests", "helpers"))
from corpus_score import ids, walk

labels = [l.rstrip("\n").split("\t") for l in open(os.path.join(set_dir, "labels.tsv"))]

def times(p):
    try:
        w, u, s = open(os.path.join(tmp, p + ".time")).read().split()[-3:]
        return float(w), float(u) + float(s)
    except (OSError, ValueError):
        return None

flag = {"airlock": {}, "yara": {}, "clamscan": {}}
right = {}
try:
    for top in json.load(open(os.path.join(tmp, "airlock.out")))["files"]:
        for n in walk(top):
            if "!" not in n["path"]:
                flag["airlock"][n["path"]] = n["verdict"] != "clean"
                right[n["path"]] = ids(n)
except (OSError, ValueError):
    pass
if os.path.exists(os.path.join(tmp, "yara.out")):
    for line in open(os.path.join(tmp, "yara.out"), errors="replace"):
        parts = line.rstrip("\n").split(" ", 1)
        if len(parts) == 2:
            flag["yara"][parts[1]] = True
else:
    flag["yara"] = None
for line in open(os.path.join(tmp, "clamscan.out"), errors="replace"):
    if line.endswith(" FOUND\n"):
        flag["clamscan"][line.rsplit(": ", 1)[0]] = True

fams, ben = {}, []
for path, side, fam, want, key in labels:
    if side == "benign":
        ben.append(path)
        continue
    s = fams.setdefault(fam, {"n": 0, "airlock": 0, "right": 0, "yara": 0, "clamscan": 0})
    s["n"] += 1
    for t in ("airlock", "yara", "clamscan"):
        if flag[t] is not None and flag[t].get(path):
            s[t] += 1
    if flag["airlock"].get(path) and right.get(path, set()) & set(want.split(",")):
        s["right"] += 1

pct = lambda a, b: "%.0f%%" % (100.0 * a / b) if b else "-"
print("## Detection on the public real-world corpus (issue 16)\n")
print("The malicious files of `tests/data/realworld` (public maldoc and malware test sets, "
      "offensive-script collections, generators run with harmless payloads; "
      "malicious/SOURCES.md), %s files in all, each tool in one batch run over the same "
      "unpacked files. Right id: an expected ATT&CK id among airlock's findings (the public "
      "YARA and ClamAV rules carry no ids).\n" % nfiles)
print("- " + yara_note)
print("- " + clam_note + "\n")
print("| family | files | airlock detected | airlock right id | yara detected | clamscan detected |")
print("|---|---|---|---|---|---|")
tot = {"n": 0, "airlock": 0, "right": 0, "yara": 0, "clamscan": 0}
for fam in sorted(fams):
    s = fams[fam]
    for k in tot:
        tot[k] += s[k]
    print("| %s | %d | %s | %s | %s | %s |" % (fam, s["n"], pct(s["airlock"], s["n"]), pct(s["right"], s["n"]),
          pct(s["yara"], s["n"]) if flag["yara"] is not None else "-", pct(s["clamscan"], s["n"])))
print("| **all** | %d | %s | %s | %s | %s |" % (tot["n"], pct(tot["airlock"], tot["n"]), pct(tot["right"], tot["n"]),
      pct(tot["yara"], tot["n"]) if flag["yara"] is not None else "-", pct(tot["clamscan"], tot["n"])))
print()
if ben:
    fp = lambda t: pct(sum(1 for p in ben if flag[t] and flag[t].get(p)), len(ben))
    print("Benign files: %d; false positives: airlock %s, yara %s, clamscan %s.\n" %
          (len(ben), fp("airlock"), fp("yara") if flag["yara"] is not None else "-", fp("clamscan")))
else:
    print("Benign files: none here (tests/data/realworld/benign.tsv absent): false positives not measured.\n")
print("| tool | wall time (s) | CPU (s) | ms per file (wall) | ms per file (CPU) |")
print("|---|---|---|---|---|")
n = int(nfiles)
for t in ("airlock", "yara", "clamscan"):
    tm = times(t)
    if tm:
        print("| %s | %.2f | %.2f | %.1f | %.1f |" % (t, tm[0], tm[1], 1000 * tm[0] / n, 1000 * tm[1] / n))
    else:
        print("| %s | - | - | - | - |" % t)
PY
