#!/bin/sh
# airlock-runtime's rootfs as the container's root itself (issue 13; runtime-tools' killsig and
# start write /SIGNAL and /output): where the container's root can write the rootfs (started by
# root, a rootfs no other user can reach, seen through an idmapped mount; started by a user,
# the user's own rootfs), what the program writes at / lands in the rootfs, root.readonly
# keeps / read-only, and the mount points the rootfs lacks are made in it. Never followed: a
# link a container left at a mount point (/proc -> /, /dev -> a host folder) stops the next
# create, naming it, and nothing is mounted on the host. No device node is made at /. A rootfs
# that other users can reach, or a process of another uid than root's (started by root), keeps
# airlock's read-only tmpfs root, as before.
. "$AIRLOCK_SRC/tests/lib.sh"

. "$AIRLOCK_SRC/tests/integration/oci-runtime.lib"

# "Nothing is mounted on the host" compares mount tables, and the host's changes with every
# mount the scripts running beside this one make. As root the script runs in a mount namespace
# of its own, a copy of the host's made private (no other script's mount comes in), where
# airlock-runtime runs as on the host: a mount it makes outside its container's namespace
# lands in this table, and nothing but this run changes it.
if is_root && [ -z "${RR_OWN_MOUNT_NS:-}" ] && unshare --mount true 2>/dev/null; then
        export RR_OWN_MOUNT_NS=1
        exec unshare --mount --propagation private sh "$0" "$@"
fi
if [ -n "${RR_OWN_MOUNT_NS:-}" ]; then
        # the whole table: nothing but this run changes it
        mount_points() { awk '{ print $5 }' /proc/self/mountinfo | sort; }
else
        # As a user nothing the runtime runs may mount in the host's namespace (a mount
        # namespace of a user namespace propagates nothing back), so only a mount a
        # followed link would have placed is looked for: one whose mount point or root
        # names this test's folder (the host's table has other scripts' mounts too).
        mount_points() { awk -v d="$TEST_TMPDIR" 'index($4, d) || index($5, d) { print $5 }' \
                /proc/self/mountinfo | sort; }
fi

# the bundle below a folder that is root's alone (TEST_TMPDIR is mktemp's, 0700)
chmod 700 "$TEST_TMPDIR"
B=$TEST_TMPDIR/bundle
oci_test_bundle "$B"
R=$B/rootfs
if is_root; then
        owner=0:0
else
        owner=$(id -u):$(id -g)
fi

rw_args() {
        cfg "c['root']['readonly'] = False
c['process']['args'] = ['sh', '-c', '''$1''']"
}

rw_args 'echo "process called" >/output; touch /TERM; ls -ln /output | awk "{ print \$3 }"'
expect_output "the program writes at the top of its root" 0 rt run --bundle "$B" rr-write
expect_eq "what it wrote is in the rootfs" "process called" "$(cat "$R/output" 2>&1)"
expect_eq "its owner on the disk is the rootfs's (the container's root)" "$owner" \
        "$(stat -c %u:%g "$R/TERM" 2>&1)"
rm -f "$R/output" "$R/TERM"

cfg "c['root']['readonly'] = True
c['process']['args'] = ['sh', '-c', 'touch /output 2>&1; echo \$?']"
expect_grep "root.readonly keeps / read-only" "Read-only file system" rt run --bundle "$B" rr-ro
expect_status "and nothing lands in the rootfs" 1 test -e "$R/output"

# mount points the rootfs lacks are made in it, as folders
rmdir "$R/proc" "$R/tmp"
rw_args 'grep " / /proc " /proc/self/mountinfo | grep -c " - proc "; test -d /tmp && echo tmp'
expect_output "a rootfs without /proc and /tmp gets them made" "1
tmp" rt run --bundle "$B" rr-mkdir
expect_eq "made in the rootfs, as folders" "directory directory" \
        "$(stat -c %F "$R/proc" "$R/tmp" 2>&1 | tr '\n' ' ' | sed 's/ $//')"

# no device node is made at / (Landlock, and no CAP_MKNOD over the host's devices)
rw_args 'mknod /null c 1 3 2>/dev/null && echo made; test -e /null && echo there; echo end'
expect_output "no device node is made at the top of the root" end rt run --bundle "$B" rr-mknod
expect_status "and none is in the rootfs" 1 test -e "$R/null"

# a link a container left at a mount point is not followed: the next create stops on it
mkdir -p "$TEST_TMPDIR/hostdir"
mount_points >"$TEST_TMPDIR/mounts.before"
rmdir "$R/proc"
ln -s / "$R/proc"
rw_args 'echo ran'
expect_grep "a link at /proc stops the create, naming the mount point" \
        "cannot create mount point /proc" rt run --bundle "$B" rr-link
rm "$R/proc"
mkdir "$R/proc"
rmdir "$R/dev"
ln -s "$TEST_TMPDIR/hostdir" "$R/dev"
expect_grep "a link at /dev to a host folder stops the create" "mount point /dev" rt run --bundle "$B" rr-link2
expect_eq "nothing was mounted in the host's folder" "" "$(ls -A "$TEST_TMPDIR/hostdir")"
mount_points >"$TEST_TMPDIR/mounts.after"
# a mount point that came (or went) meanwhile, one a line
expect_eq "nor anywhere on the host" "" \
        "$(comm -3 "$TEST_TMPDIR/mounts.before" "$TEST_TMPDIR/mounts.after" | tr -d '\t')"
rm "$R/dev"
mkdir "$R/dev"

if is_root; then
        # a process of another uid owns nothing of the rootfs (nor could it make a mount
        # point there): its root stays airlock's read-only tmpfs, /tmp made there
        rmdir "$R/tmp"
        cfg "c['root']['readonly'] = False
c['process']['user'] = {'uid': 1000, 'gid': 1000}
c['process']['args'] = ['sh', '-c', 'test -d /tmp && echo tmp; touch /output 2>&1; id -u']"
        expect_output "a process of another uid runs on the tmpfs root, as before" "tmp
touch: /output: Read-only file system
1000" rt run --bundle "$B" rr-uid
        expect_status "and /tmp is not made in the rootfs" 1 test -e "$R/tmp"
        mkdir "$R/tmp"

        # a rootfs that other users can reach: airlock's read-only tmpfs root, as before
        chmod 755 "$TEST_TMPDIR"
        chmod 711 "$B"
        rw_args 'touch /output 2>&1; echo $?'
        expect_grep "a rootfs other users can reach keeps the read-only tmpfs root" \
                "Read-only file system" rt run --bundle "$B" rr-open
        expect_status "and nothing lands in it" 1 test -e "$R/output"
        chmod 700 "$TEST_TMPDIR"
fi
if is_root && [ -n "${RR_OWN_MOUNT_NS:-}" ]; then
        # On a systemd host / is shared. The rootfs's idmapped clone is made in the caller's
        # mount namespace: were it a peer of the host's mount, what the container's set-up
        # mounts on it would propagate back to the host, and pivot_root would refuse it.
        rw_args 'echo shared-ok'
        export RUNTIME ROOT B TEST_TMPDIR
        expect_output "with / shared (systemd's default) the rootfs runs, nothing propagating back" \
                "shared-ok
0" unshare --mount --propagation private sh -c 'mount --make-rshared / || exit 1
"$RUNTIME" --root "$ROOT" run --bundle "$B" rr-shared
grep -c -F "$TEST_TMPDIR/" /proc/self/mountinfo || true'
fi
expect_status "no container is left" 1 rt state rr-write
