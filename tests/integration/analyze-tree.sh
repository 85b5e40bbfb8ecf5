#!/bin/sh
# analyze of a folder tree: the files of all its folders are scanned by the threads together as
# the walk finds them (engine.c, scan_tree()). A tree of many small nested folders under a low fd
# limit (64: the walk holds the fds of the files queued and being scanned, not those of the
# folders they came from): every file appears once, under its own folder, in name order, with
# the verdict of its content, and the report is the same with one thread and with several.
. "$AIRLOCK_SRC/tests/lib.sh"

t=$TEST_TMPDIR/tree
mkdir -p "$t"
python3 - "$t" <<'PY'
import os, sys
root = sys.argv[1]
eicar = "X5O!P%@AP[4\\PZX54(P^)7CC)" + "7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
# 300 folders, three levels deep, of one to three files; EICAR in a few of them
for a in range(10):
    for b in range(6):
        for c in range(5):
            d = os.path.join(root, "a%02d" % a, "b%d" % b, "c%d" % c)
            os.makedirs(d, exist_ok=True)
            for f in range(1 + (a + b + c) % 3):
                body = eicar if (a, b, c, f) in ((0, 0, 0, 0), (4, 5, 2, 1), (9, 5, 4, 0)) else "note %d\n" % f
                open(os.path.join(d, "f%d.txt" % f), "w").write(body)
        open(os.path.join(root, "a%02d" % a, "top.txt"), "w").write("top\n")
PY

for j in 1 2 4; do
        (ulimit -n 64 && timeout 300 "$AIRLOCK" analyze -j "$j" --json "$t" >"$TEST_TMPDIR/r$j.json" 2>"$TEST_TMPDIR/e$j")
        expect_eq "tree-j$j-exit-1" 1 $?
done

python3 - "$t" "$TEST_TMPDIR" <<'PY'
import json, os, sys
root, tmp = sys.argv[1], sys.argv[2]

def flat(node, out):
    out.append((node["path"], node.get("type"), node["verdict"],
                tuple(sorted(f["rule"] for f in node.get("findings", [])))))
    names = [c["path"] for c in node.get("children", [])]
    if node.get("type") == "directory" and names != sorted(names):
        out.append(("UNSORTED", node["path"]))
    for c in node.get("children", []):
        flat(c, out)
    return out

want = []
for d, dirs, files in os.walk(root):
    want += [os.path.join(d, f) for f in files]
reports = {j: flat(json.load(open(os.path.join(tmp, "r%d.json" % j)))["files"][0], [])
           for j in (1, 2, 4)}
r = reports[2]
files = [n for n in r if n[1] != "directory"]
flagged = sorted(n[0][len(root):] for n in files if n[2] == "malicious")
ok_files = sorted(n[0] for n in files) == sorted(want) and not [n for n in r if n[0] == "UNSORTED"]
print(("PASS: tree-every-file-once-in-order (%d files)" % len(files)) if ok_files else
      "FAIL: tree-every-file-once-in-order: %d files of %d, unsorted %s" %
      (len(files), len(want), [n for n in r if n[0] == "UNSORTED"][:3]))
expect = ["/a00/b0/c0/f0.txt", "/a04/b5/c2/f1.txt", "/a09/b5/c4/f0.txt"]
print("PASS: tree-verdicts-in-their-nodes" if flagged == expect else
      "FAIL: tree-verdicts-in-their-nodes: flagged %s" % flagged)
# the fd limit holds: no file left unread for want of one, whatever the threads
unread = [n[0] for j in (1, 2, 4) for n in reports[j] if n[2] == "unscannable"]
print("PASS: tree-nothing-unscannable" if not unread else
      "FAIL: tree-nothing-unscannable: %d nodes, %s" % (len(unread), unread[:3]))
same = reports[1] == reports[2] == reports[4]
print("PASS: tree-same-report-any-threads" if same else
      "FAIL: tree-same-report-any-threads: %d, %d, %d nodes" % tuple(len(reports[j]) for j in (1, 2, 4)))
PY
exit 0
