#!/bin/sh
# Seams, quarantine side: a restored file gets back neither setuid/setgid nor privileges in
# extended attributes unless asked; the restore never writes through a link planted in the
# target's folder; names from hostile files cannot drive the terminal.
. "$AIRLOCK_SRC/tests/lib.sh"

W=$TEST_TMPDIR/q
Q=$W/store
mkdir -p "$W/Downloads"
chmod 755 "$W"
export HOME=$W XDG_DATA_HOME=$W/.local/share
eicar() { printf '%s%s' 'X5O!P%@AP[4\PZX54(P^)7CC)' '7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*'; }
last_id() { "$AIRLOCK" quarantine --store "$Q" list --json | python3 -c 'import json, sys
print(max(e["id"] for e in json.load(sys.stdin)))'; }

# 1. setuid and setgid are dropped on restore, kept with --keep-privileges.
eicar >"$W/Downloads/tool.com"
chmod 6755 "$W/Downloads/tool.com"
"$AIRLOCK" analyze --quarantine "$Q" "$W/Downloads/tool.com" >/dev/null 2>&1
"$AIRLOCK" quarantine --store "$Q" restore "$(last_id)" >/dev/null 2>&1
expect_output "restore drops setuid and setgid" 755 stat -c %a "$W/Downloads/tool.com"
"$AIRLOCK" analyze --quarantine "$Q" "$W/Downloads/tool.com" >/dev/null 2>&1
chmod 6755 "$Q" 2>/dev/null # (the store's own mode is not the file's)
eicar >"$W/Downloads/tool2.com"
chmod 6755 "$W/Downloads/tool2.com"
"$AIRLOCK" analyze --quarantine "$Q" "$W/Downloads/tool2.com" >/dev/null 2>&1
"$AIRLOCK" quarantine --store "$Q" restore --keep-privileges "$(last_id)" >/dev/null 2>&1
expect_output "restore --keep-privileges keeps them" 6755 stat -c %a "$W/Downloads/tool2.com"

# 2. As root: a file capability (security.capability) is dropped, a user.* attribute kept.
if is_root; then
        eicar >"$W/Downloads/cap.com"
        chmod 755 "$W/Downloads/cap.com"
        python3 -c 'import os, struct, sys
# VFS_CAP_REVISION_2, cap_net_raw (13) permitted + effective
os.setxattr(sys.argv[1], "security.capability", struct.pack("<IIIII", 0x02000001, 1 << 13, 0, 0, 0))
os.setxattr(sys.argv[1], "user.origin", b"mail")' "$W/Downloads/cap.com"
        "$AIRLOCK" analyze --quarantine "$Q" "$W/Downloads/cap.com" >/dev/null 2>&1
        "$AIRLOCK" quarantine --store "$Q" restore "$(last_id)" >/dev/null 2>&1
        got=$(python3 -c 'import os, sys
print(sorted(os.listxattr(sys.argv[1])))' "$W/Downloads/cap.com" 2>&1)
        case "$got" in
        *security.capability*) fail "restore drops file capabilities" "$got" ;;
        *user.origin*) pass "restore drops file capabilities, keeps user.* ($got)" ;;
        *) fail "restore drops file capabilities, keeps user.*" "$got" ;;
        esac
fi

# 3. The folder of the original path swapped for a link by a sandbox: the restore does not
# write through it.
mkdir -p "$W/Downloads/sub" "$W/victim"
eicar >"$W/Downloads/sub/x.com"
"$AIRLOCK" analyze --quarantine "$Q" "$W/Downloads/sub/x.com" >/dev/null 2>&1
id=$(last_id)
rmdir "$W/Downloads/sub"
is_root && chmod 777 "$W/Downloads"
"$AIRLOCK" run --bind "$W/Downloads" /dl -- /bin/sh -c "ln -s '$W/victim' /dl/sub" >/dev/null 2>&1
[ -L "$W/Downloads/sub" ] && pass "restore: the link was planted by a sandbox" ||
        fail "restore: the link was planted" "$(ls -la "$W/Downloads")"
"$AIRLOCK" quarantine --store "$Q" restore "$id" >"$W/o" 2>"$W/e"
rc=$?
[ "$rc" = 2 ] && [ ! -e "$W/victim/x.com" ] && grep -q "symbolic link" "$W/e" &&
        pass "restore through a planted link: refused (status 2), nothing written through it" ||
        fail "restore through a planted link" "status $rc; $(cat "$W/e"); $(ls "$W/victim")"

# 4. A link at the target itself is replaced with --force, never written through.
echo 'victim' >"$W/victim/target"
ln -s "$W/victim/target" "$W/Downloads/x2.com"
eicar >"$W/x2.com"
"$AIRLOCK" analyze --quarantine "$Q" "$W/x2.com" >/dev/null 2>&1
"$AIRLOCK" quarantine --store "$Q" restore --force --to "$W/Downloads/x2.com" "$(last_id)" >/dev/null 2>&1
[ "$(cat "$W/victim/target")" = victim ] && [ -f "$W/Downloads/x2.com" ] && [ ! -L "$W/Downloads/x2.com" ] &&
        pass "restore --force replaces a link at the target, not the file it points to" ||
        fail "restore --force and a link at the target" "$(cat "$W/victim/target"); $(ls -la "$W/Downloads")"

# 5. C1 controls in names (0x9b is CSI) never reach the terminal raw.
name=$(printf 'inv\233\06131mred.com')
eicar >"$W/Downloads/$name"
"$AIRLOCK" analyze "$W/Downloads/$name" >"$W/o" 2>&1
if grep -q "$(printf '\233')" "$W/o"; then fail "analyze escapes C1 controls" "raw 0x9b printed"
elif grep -q 'inv\\x9b' "$W/o"; then pass "analyze escapes C1 controls"
else fail "analyze escapes C1 controls" "$(head -c 300 "$W/o")"; fi
"$AIRLOCK" analyze --quarantine "$Q" "$W/Downloads/$name" >/dev/null 2>&1
"$AIRLOCK" quarantine --store "$Q" list >"$W/o" 2>&1
if grep -q "$(printf '\233')" "$W/o"; then fail "quarantine list escapes C1 controls" "raw 0x9b printed"
elif grep -q 'inv\\x9b' "$W/o"; then pass "quarantine list escapes C1 controls"
else fail "quarantine list escapes C1 controls" "$(head -c 300 "$W/o")"; fi
printf 'gr\303\274\303\237e.txt' >"$W/n" # valid UTF-8 stays readable
echo hello >"$W/Downloads/$(cat "$W/n")"
expect_grep "analyze keeps printable UTF-8" "$(cat "$W/n")" "$AIRLOCK" analyze "$W/Downloads/$(cat "$W/n")"
