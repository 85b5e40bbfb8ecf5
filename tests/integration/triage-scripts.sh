#!/bin/sh
# Static triage of scripts (issue 16, part A): attack scripts per class in several styles
# (plain, lower case, obfuscated with concatenation, -f, -join, backticks, Chr(), fromCharCode,
# base64, shell quoting), written by the airlock authors in triage-scripts.py because no npm
# package ships a reverse-shell or offensive-script collection as data. Each class must be
# detected at >= 80% with the right ATT&CK id; the look-alike benign files (documentation that
# quotes the same one-liners, macro-enabled Office files without macros) must all be clean.
. "$AIRLOCK_SRC/tests/lib.sh"

set_dir=$TEST_TMPDIR/set
if ! python3 "$AIRLOCK_SRC/tests/integration/triage-scripts.py" "$set_dir" >"$TEST_TMPDIR/gen.out" 2>&1; then
        fail "set-built" "$(tail -5 "$TEST_TMPDIR/gen.out")"
        exit 0
fi
pass "set-built: $(cat "$TEST_TMPDIR/gen.out")"

"$AIRLOCK" analyze --json "$set_dir/malicious" "$set_dir/benign" >"$TEST_TMPDIR/report.json" 2>"$TEST_TMPDIR/err"
rc=$?
[ "$rc" = 1 ] && pass "exit-status-1" || fail "exit-status-1" "exit $rc: $(head -c 300 "$TEST_TMPDIR/err")"

python3 - "$TEST_TMPDIR/report.json" "$set_dir/manifest.tsv" "$AIRLOCK_SRC/tests/helpers" <<'PY'
import sys
sys.path.insert(0, sys.argv[3])
from corpus_score import load, ok, score_classes, false_alarms, walk

def sources(node):
    return set(f["source"] for n in walk(node) for f in n["findings"])

expected, mal, ben = load(sys.argv[1], sys.argv[2])
per = score_classes(expected, mal, 80, width=18)
ok(len(per) == 7 and len(mal) >= 77, "set-complete", "%d classes, %d files" % (len(per), len(mal)))

fps = false_alarms(ben, verdict=False)
ok(len(ben) >= 6 and not fps, "benign-clean", "; ".join(fps))
# no finding at all on documentation, not even a suspicious one
noisy = [n["name"] for n in ben.values() if any(m["findings"] for m in walk(n))]
ok(not noisy, "benign-no-findings", ", ".join(noisy))

# obfuscated forms are caught through the normalised text, and say so
byname = {n["name"]: n for n in mal.values()}
for name in ("iex-format.txt", "iex-verbose.ps1", "iex-join.ps1", "js-charcode.js", "shell-quotes.sh", "b64-pipe.sh"):
    ok("yara-normalised" in sources(byname[name]), "normalised-" + name, str(sources(byname[name])))
PY

# The same iex line as a documentation's code block: clean as a Markdown document, caught as
# the body of a .txt script and of a .ps1.
line="iex ((New-Object System.Net.WebClient).DownloadString('https://boxstarter.org/bootstrapper.ps1'))"
printf 'Set-ExecutionPolicy Bypass -Scope Process -Force\n%s\nget-boxstarter -Force\n' "$line" >"$TEST_TMPDIR/setup.txt"
cp "$TEST_TMPDIR/setup.txt" "$TEST_TMPDIR/setup.ps1"
expect_grep "script-body-txt-malicious" "^malicious" "$AIRLOCK" analyze "$TEST_TMPDIR/setup.txt"
expect_grep "script-body-ps1-malicious" "^malicious" "$AIRLOCK" analyze "$TEST_TMPDIR/setup.ps1"
expect_grep "markdown-doc-clean" "^clean" "$AIRLOCK" analyze "$set_dir/benign/BUILDING.md"
