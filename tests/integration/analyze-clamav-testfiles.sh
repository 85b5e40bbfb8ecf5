#!/bin/sh
# All files of Debian's clamav-testfiles: analysed without crash or hang; with a one-line
# hash rule for the embedded test program (clam.exe) each is not clean: found by the hash
# wherever airlock can reach the program, otherwise judged packed or explicitly unscannable.
. "$AIRLOCK_SRC/tests/lib.sh"

dir=/usr/share/clamav-testfiles
if [ ! -r "$dir/clam.exe" ]; then
        fail "clamav-testfiles" "$dir is missing: install clamav-testfiles (scripts/deps.sh)"
        exit 0
fi
rules=$TEST_TMPDIR/rules
mkdir -p "$rules"
echo "$(sha256sum "$dir/clam.exe" | cut -d' ' -f1):$(stat -c %s "$dir/clam.exe"):ClamAV-Test-File" >"$rules/clam.hsb"

timeout 300 "$AIRLOCK" analyze --json --rules "$rules" "$dir" >"$TEST_TMPDIR/report.json" 2>"$TEST_TMPDIR/err"
rc=$?
case $rc in
1) pass "testfiles-analysed-exit-1" ;;
124) fail "testfiles-analysed-exit-1" "hung (killed after 300 s)" ;;
*) fail "testfiles-analysed-exit-1" "exit $rc: $(head -c 300 "$TEST_TMPDIR/err")" ;;
esac

python3 - "$TEST_TMPDIR/report.json" "$dir" <<'PY'
import json, os, sys
r = json.load(open(sys.argv[1]))
files = [c for c in r["files"][0]["children"]]
names = sorted(os.listdir(sys.argv[2]))
ok = lambda c, n, why="": print(("PASS: %s" % n) if c else ("FAIL: %s: %s" % (n, why)))
ok(len(files) == len(names), "every-testfile-has-a-verdict", "%d verdicts for %d files" % (len(files), len(names)))
def rules(f):
    out = set(x["rule"] for x in f["findings"])
    for c in f["children"]:
        out |= rules(c)
    return out
clean = [f["name"] for f in files if f["verdict"] == "clean"]
by_hash = [f["name"] for f in files if "hash.ClamAV-Test-File" in rules(f)]
unscannable = [f["name"] for f in files if f["verdict"] == "unscannable"]
other = [f["name"] for f in files if f["verdict"] != "clean" and f["name"] not in by_hash and f["name"] not in unscannable]
print("clamav-testfiles: %d files; %d found by the hash of clam.exe, %d unscannable, %d suspicious or malicious by heuristics (packed programs), %d clean"
      % (len(files), len(by_hash), len(unscannable), len(other), len(clean)))
ok(not clean, "no-testfile-clean", "clean: " + ", ".join(clean))
by = {f["name"]: f for f in files}
ok(by["clam.exe"]["verdict"] == "malicious", "hash-rule-finds-clam.exe")
for n in ("clam.zip", "clam.7z", "clam.cab", "clam.tar.gz", "clam.exe.bz2", "clam.exe.html", "clam.exe.mbox.base64", "clam.exe.rtf", "clam.bz2.zip"):
    ok(n in by_hash and by[n]["verdict"] == "malicious", "hash-found-inside-" + n, by.get(n, {}).get("verdict"))
PY
