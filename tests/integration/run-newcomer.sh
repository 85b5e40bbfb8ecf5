#!/bin/sh
# run on a fresh account (issue 17, point 9): -p curl binds ~/Downloads, which a new account
# may not have: it is made (in HOME, as a browser makes it) and the program runs; an overlay
# of one's own files whose group is not mapped in the sandbox is said so before the program
# starts, instead of leaving the program with "Value too large for defined data type".
. "$AIRLOCK_SRC/tests/lib.sh"

t=$TEST_TMPDIR
mkdir -p "$t/home"
chmod 755 "$t" "$t/home"
HOME=$t/home XDG_CONFIG_HOME=$t/home/.config "$AIRLOCK" run -p curl -- pwd >"$t/out" 2>"$t/err"
expect_eq "curl-without-downloads-runs" "0 /home/sandbox/Downloads" "$? $(cat "$t/out")"
[ -d "$t/home/Downloads" ] && pass "curl-downloads-made" || fail "curl-downloads-made" "$(cat "$t/err")"
expect_grep "curl-downloads-said" "^airlock run: made the downloads folder $t/home/Downloads" cat "$t/err"

# as the user who runs the test; root runs airlock as uid 65534 (as root the sandbox runs as
# 65534 anyway, and root's files would not be writable there), from a copy that uid can
# execute (the build tree may sit in a private folder, as a CI clone does)
mkdir -p "$t/bin"
cp "$AIRLOCK" "$t/bin/airlock"
chmod 755 "$t/bin" "$t/bin/airlock"
AIRLOCK=$t/bin/airlock
as_user() {
        if is_root; then
                setpriv --reuid 65534 --regid 65534 --clear-groups env HOME="$t/home" "$@"
        else
                "$@"
        fi
}
# an overlay of one's own files of one's own group: no warning
mkdir -p "$t/own"
echo x >"$t/own/f"
! is_root || chown -R 65534:65534 "$t/own"
as_user "$AIRLOCK" run --overlay "$t/own" /mnt -- sh -c 'echo y >>/mnt/f' >"$t/out" 2>"$t/err"
expect_eq "overlay-own-group-writes" 0 $?
if grep -q 'not mapped' "$t/err"; then fail "overlay-own-group-no-warning" "$(cat "$t/err")"; else pass "overlay-own-group-no-warning"; fi

# a file of one's own with a group the sandbox does not map (root sets it up and runs airlock
# as uid 65534, whose sandbox maps 65534 only)
if is_root; then
        mkdir -p "$t/ov"
        echo x >"$t/ov/f"
        chown -R 65534:4242 "$t/ov"
        chmod 775 "$t/ov"
        chmod 664 "$t/ov/f"
        as_user "$AIRLOCK" run --overlay "$t/ov" /mnt -- sh -c 'echo y >>/mnt/f' >"$t/out" 2>"$t/err"
        expect_grep "overlay-unmapped-group-said" "^airlock run: --overlay $t/ov: 2 of your files belong to a group \(such as gid 4242\) that is not mapped.*EOVERFLOW" cat "$t/err"
fi
exit 0
