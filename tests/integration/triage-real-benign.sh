#!/bin/sh
# Static triage on real benign files that nobody here wrote: scripts, modules and documents
# from Debian packages that scripts/deps.sh installs (Python's standard library, meson,
# lintian, debhelper, dpkg-dev, socat's examples, zsh's functions, Postfix, AppArmor, Perl's
# modules...), a fixed list in triage-real-benign.list (one path a line, "# package" lines
# say where they come from; made with dpkg -L, every few text files of each package). Every
# one must be clean: 0 false alarms. A path that is missing fails, so that the list follows
# the packages instead of shrinking unnoticed.
. "$AIRLOCK_SRC/tests/lib.sh"

list=$AIRLOCK_SRC/tests/integration/triage-real-benign.list
: >"$TEST_TMPDIR/paths"
missing=""
while IFS= read -r p; do
        case "$p" in "#"* | "") continue ;; esac
        if [ -f "$p" ]; then
                printf '%s\n' "$p" >>"$TEST_TMPDIR/paths"
        else
                missing="$missing $p"
        fi
done <"$list"
n=$(wc -l <"$TEST_TMPDIR/paths")
[ -z "$missing" ] && pass "all-listed-files-present ($n)" ||
        fail "all-listed-files-present" "missing (run scripts/deps.sh, or update the list):$(printf %s "$missing" | head -c 600)"
[ "$n" -ge 1000 ] && pass "at-least-1000-files" || fail "at-least-1000-files" "only $n"

# one run over all of them, so one JSON report (-x: xargs fails rather than split the run)
tr '\n' '\0' <"$TEST_TMPDIR/paths" | xargs -0 -s 1000000 -x sh -c '"$0" analyze --json -j 2 "$@" >"'"$TEST_TMPDIR"'/report.json"' "$AIRLOCK" 2>"$TEST_TMPDIR/err"
python3 - "$TEST_TMPDIR/report.json" "$n" <<'PY'
import json, sys
try:
    r = json.load(open(sys.argv[1]))
except ValueError as e:
    print("FAIL: report-read: %s" % e)
    sys.exit(0)
files = r["files"]
bad = ["%s: %s (%s)" % (f["path"], f["verdict"],
                         ", ".join(x["rule"] for x in f["findings"]) or "in a member")
       for f in files if f["verdict"] != "clean"]
print("benign real files: %d, false alarms: %d" % (len(files), len(bad)))
ok = lambda c, n, why="": print(("PASS: %s" % n) if c else ("FAIL: %s: %s" % (n, why)))
ok(len(files) == int(sys.argv[2]), "every-file-reported", "%d of %s" % (len(files), sys.argv[2]))
ok(not bad, "no-false-alarms", "; ".join(bad[:20]))
PY
