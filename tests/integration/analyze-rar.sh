#!/bin/sh
# RAR through libarchive: a RAR 4 archive (stored members, written here with correct CRCs, as
# no free tool writes RAR) whose member carries the EICAR string is detected on the extracted
# member; damaged and truncated RAR archives are unscannable, never clean.
. "$AIRLOCK_SRC/tests/lib.sh"

cat >"$TEST_TMPDIR/rar.py" <<'PY'
# rar.py OUT [--benign] [--corrupt-header|--truncate]: a RAR 4.x archive with two stored
# members, the second the EICAR test file (--benign: a text file instead, so that nothing in a
# damaged archive is flagged and only the damage decides its verdict).
import struct, sys, zlib

def block(head_type, flags, body, extra=b""):
    # HEAD_CRC (low 16 bits of the CRC-32 of the rest of the header), HEAD_TYPE, HEAD_FLAGS,
    # HEAD_SIZE, then the header body; extra (file data) follows the header.
    size = 7 + len(body)
    rest = struct.pack("<BHH", head_type, flags, size) + body
    return struct.pack("<H", zlib.crc32(rest) & 0xFFFF) + rest + extra

def member(name, data):
    name = name.encode()
    body = struct.pack("<IIBIIBBHI", len(data), len(data), 3, zlib.crc32(data) & 0xFFFFFFFF,
                       0x5A21_6000, 20, 0x30, len(name), 0o100644) + name
    return block(0x74, 0x8000, body, data)  # 0x8000: data follows; method 0x30: stored

eicar = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$" + b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
readme = b"Shipping documents attached.\n" * 20
out = b"Rar!\x1a\x07\x00" + block(0x73, 0, b"\0" * 6)
second = b"Delivery on Monday.\n" * 30 if "--benign" in sys.argv else eicar
name = "docs/notes.txt" if "--benign" in sys.argv else "docs/invoice.com"
out += member("docs/readme.txt", readme) + member(name, second)
out += block(0x7B, 0x4000, b"")
if "--corrupt-header" in sys.argv:
    i = out.index(name.encode()) - 20  # inside the second file header: its CRC fails
    out = out[:i] + bytes([out[i] ^ 0xFF]) + out[i + 1:]
if "--truncate" in sys.argv:
    out = out[:out.index(second) + 20]
open(sys.argv[1], "wb").write(out)
print(zlib.crc32(eicar) & 0xFFFFFFFF)
PY
python3 "$TEST_TMPDIR/rar.py" "$TEST_TMPDIR/docs.rar" >/dev/null || { fail "rar-written" "rar.py failed"; exit 0; }
python3 "$TEST_TMPDIR/rar.py" "$TEST_TMPDIR/bad-header.rar" --benign --corrupt-header >/dev/null
python3 "$TEST_TMPDIR/rar.py" "$TEST_TMPDIR/truncated.rar" --benign --truncate >/dev/null
python3 "$TEST_TMPDIR/rar.py" "$TEST_TMPDIR/benign.rar" --benign >/dev/null
eicar_sha=$(printf '%s%s' 'X5O!P%@AP[4\PZX54(P^)7CC)7}$' 'EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*' | sha256sum | cut -d' ' -f1)

# 7z (p7zip, another RAR reader) tests the archive and its CRCs: the writer is right, whatever
# airlock makes of it.
expect_grep "7z-verifies-the-written-rar" 'Everything is Ok' 7z t "$TEST_TMPDIR/docs.rar"

"$AIRLOCK" analyze --json "$TEST_TMPDIR/docs.rar" "$TEST_TMPDIR/bad-header.rar" \
        "$TEST_TMPDIR/truncated.rar" "$TEST_TMPDIR/benign.rar" >"$TEST_TMPDIR/report.json" \
        2>"$TEST_TMPDIR/err"
rc=$?
[ $rc = 1 ] && pass "exit-status-1" || fail "exit-status-1" "exit $rc: $(head -c 300 "$TEST_TMPDIR/err")"
python3 - "$TEST_TMPDIR/report.json" "$eicar_sha" <<'PY'
import json, sys
files = json.load(open(sys.argv[1]))["files"]
ok = lambda c, n, why="": print(("PASS: %s" % n) if c else ("FAIL: %s: %s" % (n, why)))
rar, bad, trunc, benign = files
by = {c["name"]: c for c in rar["children"]}
ok(rar["mime"] in ("application/x-rar", "application/vnd.rar"), "rar-typed", rar["mime"])
ok(set(by) == {"readme.txt", "invoice.com"}, "rar-members-listed", str(sorted(by)))
inv = by.get("invoice.com", {"findings": [], "verdict": "?", "sha256": ""})
ok(any(f["rule"] == "eicar_test_file" for f in inv["findings"]) and inv["verdict"] == "malicious",
   "eicar-found-in-extracted-member", json.dumps(inv)[:300])
ok(inv["sha256"] == sys.argv[2], "member-extracted-bit-exact", inv["sha256"])
ok(by.get("readme.txt", {}).get("verdict") == "clean", "clean-member-clean")
ok(rar["verdict"] == "malicious", "archive-takes-worst-member", rar["verdict"])
# The same archive undamaged is clean: the damage alone makes the others unscannable.
ok(benign["verdict"] == "clean" and len(benign["children"]) == 2, "undamaged-benign-rar-clean",
   json.dumps(benign)[:300])
def limits(f):
    return ({f["limit"]} if f.get("limit") else set()).union(*[limits(c) for c in f["children"]])
for name, f in (("corrupt-header", bad), ("truncated", trunc)):
    ok(f["verdict"] == "unscannable" and limits(f) & {"read-error", "format"},
       "%s-rar-unscannable" % name, "%s %s: %s" % (f["verdict"], limits(f), json.dumps(f)[:400]))
PY
