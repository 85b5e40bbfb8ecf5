#!/bin/sh
# airlock watch and subfolders: files below a watched folder are judged down to --max-depth
# levels, at start and live (a folder made, a folder moved in, a folder renamed, a folder
# removed); the quarantine store inside a watched folder is never judged; symbolic links to
# folders are not followed; gates judge only their own files.
. "$AIRLOCK_SRC/tests/lib.sh"

W=$TEST_TMPDIR/watch-sub
DL=$W/Downloads
eicar() { printf '%s%s' 'X5O!P%@AP[4\PZX54(P^)7CC)' '7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*'; }
logged() { grep -q -- "$1" "$W/log"; }

# ---- --once: depth, the store inside the folder, symbolic links ----
mkdir -p "$DL/a/b/c" "$DL/deep/1/2/3" "$W/outside"
eicar >"$DL/a/b/c/invoice.com"
echo "notes" >"$DL/a/notes.txt"
eicar >"$DL/deep/1/2/3/level4.com"
eicar >"$W/outside/linked.com"
ln -s "$W/outside" "$DL/link"
"$AIRLOCK" watch --once --max-depth 3 --quarantine "$DL/.quarantine" "$DL" >"$W/log" 2>"$W/err"
rc=$?
[ "$rc" = 1 ] && pass "once: exit status 1 when a file below was not clean" ||
        fail "once: exit status" "got $rc: $(cat "$W/err")"
logged "^quarantined $DL/a/b/c/invoice.com: malicious" && [ ! -e "$DL/a/b/c/invoice.com" ] &&
        pass "once: a file three levels down is judged and quarantined" ||
        fail "once: three levels down" "$(cat "$W/log")"
logged "^clean $DL/a/notes.txt: clean" && [ -f "$DL/a/notes.txt" ] &&
        pass "once: a clean file in a subfolder stays" || fail "once: clean in subfolder" "$(cat "$W/log")"
[ -f "$DL/deep/1/2/3/level4.com" ] && ! logged level4 &&
        pass "once: a file below --max-depth 3 (four levels down) is not judged" ||
        fail "once: --max-depth" "$(cat "$W/log")"
[ -f "$W/outside/linked.com" ] && ! logged linked &&
        pass "once: a symbolic link to a folder outside is not followed" ||
        fail "once: symlinked folder followed" "$(cat "$W/log")"
! grep -q "\.quarantine" "$W/log" &&
        pass "once: the quarantine store inside the watched folder is not judged" ||
        fail "once: the store was judged" "$(grep "\.quarantine" "$W/log" | head -3)"
expect_output "once: a second run finds nothing new (the store's objects stay unjudged)" "" \
        "$AIRLOCK" watch --once --max-depth 3 --quarantine "$DL/.quarantine" "$DL"
eicar >"$DL/deep/top.com"
expect_output "once: --max-depth 0 judges only the folder itself" "" \
        "$AIRLOCK" watch --once --max-depth 0 --quarantine "$DL/.quarantine" "$DL"
expect_status "usage: --max-depth above 32 is an error" 2 \
        "$AIRLOCK" watch --once --max-depth 33 --quarantine "$DL/.quarantine" "$DL"

# ---- live ----
rm -rf "$DL" && mkdir -p "$DL/existing" "$W/staging/pkg/inner"
Q=$W/quarantine
"$AIRLOCK" watch --quarantine "$Q" --pid-file "$W/pid" "$DL" >"$W/log" 2>"$W/err" &
job=$!
if ! wait_for 20 test -s "$W/pid"; then
        fail "live: ready" "no pid file: $(cat "$W/err")"
        kill "$job" 2>/dev/null
        exit 0
fi
pid=$(cat "$W/pid")

eicar >"$DL/existing/dropped.com"
wait_for 20 logged "^quarantined $DL/existing/dropped.com: malicious" &&
        pass "live: a file dropped into a subfolder present at start is judged" ||
        fail "live: subfolder present at start" "$(cat "$W/log")"

# A folder made after the start, then a file in it (and one in a folder below it made at once:
# mkdir -p races the watch being added, the listing catches it).
mkdir -p "$DL/new/sub"
eicar >"$DL/new/sub/fresh.com"
wait_for 20 logged "^quarantined $DL/new/sub/fresh.com: malicious" &&
        pass "live: a file in a folder made after the start is judged" ||
        fail "live: new folder" "$(cat "$W/log")"
sleep 0.5
eicar >"$DL/new/later.com"
wait_for 20 logged "^quarantined $DL/new/later.com: malicious" &&
        pass "live: the new folder stays watched" || fail "live: new folder watched" "$(cat "$W/log")"

# A folder moved in from elsewhere with files already in it (an archive extracted beside).
eicar >"$W/staging/pkg/inner/payload.com"
echo "readme" >"$W/staging/pkg/README"
mv "$W/staging/pkg" "$DL/pkg"
wait_for 20 logged "^quarantined $DL/pkg/inner/payload.com: malicious" &&
        pass "live: the files of a folder moved in are judged" ||
        fail "live: folder moved in" "$(cat "$W/log")"
wait_for 20 logged "^clean $DL/pkg/README: clean" &&
        pass "live: a clean file of a folder moved in is judged clean" ||
        fail "live: clean file of moved folder" "$(cat "$W/log")"

# Renamed within the tree: files dropped afterwards carry the new path.
mv "$DL/pkg" "$DL/renamed"
sleep 0.5
eicar >"$DL/renamed/inner/after.com"
wait_for 20 logged "^quarantined $DL/renamed/inner/after.com: malicious" &&
        pass "live: a renamed folder is watched under its new name" ||
        fail "live: renamed folder" "$(cat "$W/log")"
! logged "$DL/pkg/inner/after.com" && pass "live: no event under the folder's old name" ||
        fail "live: old name" "$(cat "$W/log")"

# Moved out of the tree: no longer watched. Removed: no error.
mv "$DL/renamed" "$W/gone"
sleep 0.5
eicar >"$W/gone/inner/outside.com"
rm -rf "$DL/new"
sleep 1
[ -f "$W/gone/inner/outside.com" ] && ! logged outside.com &&
        pass "live: a folder moved out of the tree is no longer watched" ||
        fail "live: moved-out folder still watched" "$(cat "$W/log")"
kill -0 "$pid" 2>/dev/null && pass "live: removing a watched subfolder does not stop the watcher" ||
        fail "live: watcher died" "$(cat "$W/err")"
kill -TERM "$pid"
wait "$job"
rc=$?
[ "$rc" = 0 ] && pass "live: SIGTERM stops it cleanly" || fail "live: SIGTERM" "status $rc: $(cat "$W/err")"

# ---- a gate judges only its own files ----
G=$W/gate R=$W/release
mkdir -p "$G/sub" "$R"
echo "fine" >"$G/sub/report.txt"
echo "fine" >"$G/top.txt"
"$AIRLOCK" watch --once --quarantine "$Q" --gate "$G" --release-to "$R" >"$W/glog" 2>&1
[ -f "$R/top.txt" ] && [ ! -e "$R/report.txt" ] && [ -f "$G/sub/report.txt" ] &&
        pass "gate: only the gate's own files are released, not its subfolders'" ||
        fail "gate: subfolders" "$(cat "$W/glog"; ls -R "$G" "$R")"
exit 0
