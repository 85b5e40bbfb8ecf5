#!/bin/sh
# Each limit of analyze, set small on the command line, makes the file unscannable and names
# the limit; the table, the JSON report and the exit status agree.
. "$AIRLOCK_SRC/tests/lib.sh"

w=$TEST_TMPDIR
python3 - "$w" <<'PY'
import io, sys, zipfile
w = sys.argv[1]
def z(members, c=zipfile.ZIP_DEFLATED):
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", c) as f:
        for n, d in members:
            f.writestr(n, d)
    return b.getvalue()
open(w + "/many.zip", "wb").write(z([("f%02d.txt" % i, "file %d\n" % i) for i in range(20)]))
open(w + "/big.zip", "wb").write(z([("a.txt", "".join("line %d of a text\n" % i for i in range(5000)))]))
open(w + "/nested.zip", "wb").write(z([("b.zip", z([("c.zip", z([("d.txt", "deep\n")]))]))]))
open(w + "/ratio.zip", "wb").write(z([("zeros", b"\0" * (4 << 20))]))
PY
limit_of() {
        "$AIRLOCK" analyze --json "$@" 2>/dev/null | python3 -c '
import json,sys
def lim(f):
    return f.get("limit") or next((l for c in f["children"] for l in [lim(c)] if l), None)
f = json.load(sys.stdin)["files"][0]
print(f["verdict"], lim(f))'
}
expect_output "max-members" "unscannable members" limit_of --max-members 5 "$w/many.zip"
expect_output "max-members-default-ok" "clean None" limit_of "$w/many.zip"
expect_output "max-expansion" "unscannable expansion" limit_of --max-expansion 10K "$w/big.zip"
expect_output "max-depth" "unscannable depth" limit_of --max-depth 2 "$w/nested.zip"
expect_output "max-depth-default-ok" "clean None" limit_of "$w/nested.zip"
expect_output "max-ratio" "unscannable ratio" limit_of "$w/ratio.zip"
expect_output "max-ratio-raised-ok" "clean None" limit_of --max-ratio 100000 "$w/ratio.zip"
expect_output "max-file-size" "unscannable file-size" limit_of --max-file-size 100 "$w/big.zip"
expect_grep "table-names-the-limit" 'unscannable.*big.zip' "$AIRLOCK" analyze --max-expansion 10K "$w/big.zip"
expect_grep "table-says-why" 'limit.expansion .*more than 10240 bytes' "$AIRLOCK" analyze --max-expansion 10K "$w/big.zip"
expect_status "limit-exit-1" 1 "$AIRLOCK" analyze --max-members 5 "$w/many.zip"
expect_status "bad-limit-value-exit-2" 2 "$AIRLOCK" analyze --max-depth lots "$w/many.zip"
expect_grep "help-lists-limits" '--max-expansion' "$AIRLOCK" analyze --help
