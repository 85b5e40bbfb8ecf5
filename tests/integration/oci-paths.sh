#!/bin/sh
# airlock-runtime's mounts in the spec's order and its masked and read-only paths as
# runtime-tools checks them (issue 13): mountinfo lists the spec's mounts in the order the spec
# gives them (the host's /sys after /dev/shm, not first); linux.readonlyPaths below the root are
# made read-only where they are in the container's root (a device node too), a missing one is
# skipped, and the host never looks them up in the rootfs; a path below a masked folder stays
# hidden (no mount point shows in the empty tmpfs); a masked path is looked up in the container's
# root too, and a link on its way refused by name.
. "$AIRLOCK_SRC/tests/lib.sh"

. "$AIRLOCK_SRC/tests/integration/oci-runtime.lib"

chmod 700 "$TEST_TMPDIR"
B=$TEST_TMPDIR/bundle
oci_test_bundle "$B"
R=$B/rootfs

# the spec's mounts (/proc, /dev, /dev/pts, /dev/shm, /sys) in its order in mountinfo
args 'awk "{ print \$5 }" /proc/self/mountinfo | grep -n -x -e /proc -e /dev -e /dev/pts -e /dev/shm -e /sys | cut -d: -f2 | tr "\n" " "'
expect_output "mountinfo lists the spec's mounts in the spec's order" \
        "/proc /dev /dev/pts /dev/shm /sys " rt run --bundle "$B" p-order

# read-only paths in the root: a folder, a file, one that is not there
mkdir -p "$R/ro-dir/sub"
echo data >"$R/ro-dir/f"
echo data >"$R/ro-file"
cfg "c['root']['readonly'] = False
c['linux']['readonlyPaths'] = ['/ro-dir', '/ro-file', '/not-there']
c['process']['args'] = ['sh', '-c', '''cat /ro-dir/f /ro-file; touch /ro-dir/new /ro-dir/sub/new 2>/dev/null; echo x >>/ro-file 2>/dev/null; touch /rw-new && echo rw''']"
expect_output "read-only paths read, refuse writes, a missing one skipped, the rest writable" \
        "data
data
rw" rt run --bundle "$B" p-ro
expect_eq "nothing written below them" "$(printf 'data\n')|no|no" \
        "$(cat "$R/ro-file")|$([ -e "$R/ro-dir/new" ] && echo yes || echo no)|$([ -e "$R/ro-dir/sub/new" ] && echo yes || echo no)"
expect_status "and not made in the rootfs" 1 test -e "$R/not-there"
rm -f "$R/rw-new"

# a folder masked hides what is masked below it: no mount point shows in its tmpfs
mkdir -p "$R/m-dir/m-sub"
echo secret >"$R/m-dir/m-file"
echo secret >"$R/m-dir/m-sub/f"
cfg "c['root']['readonly'] = False
c['linux']['maskedPaths'] = ['/m-dir', '/m-dir/m-sub', '/m-dir/m-file', '/m-dir/m-sub/f']
c['process']['args'] = ['sh', '-c', 'ls -A /m-dir | wc -l']"
expect_output "a masked folder reads empty, paths masked below it too" 0 rt run --bundle "$B" p-mask
expect_eq "and the rootfs keeps its files" secret "$(cat "$R/m-dir/m-sub/f")"

# a masked path is looked up in the container's root, never by the host through the rootfs: a
# link planted in the rootfs at a masked path's parent, pointing at a host folder, is refused
# by name whatever that folder holds (the host neither reads its type nor mounts over it)
H=$TEST_TMPDIR/host
mkdir -p "$H/secret"
echo marker >"$H/secret/marker"
ln -s "$H" "$R/planted"
ln -s "$H/secret/marker" "$R/planted-file"
host_state() { stat -c '%i %Y %s' "$H/secret/marker" && ls -A "$H/secret" && cat "$H/secret/marker"; }
before=$(host_state)
cfg "c['root']['readonly'] = False
c['linux']['maskedPaths'] = ['/planted/secret']
c['process']['args'] = ['true']"
expect_grep "a link at a masked path's parent is refused by name (host folder there)" \
        "cannot mask /planted/secret: a symbolic link is on its path" rt run --bundle "$B" p-link1
rmdir "$H/secret" 2>/dev/null || mv "$H/secret" "$H/secret.away"
expect_grep "the same when the host folder does not hold the path (its content not consulted)" \
        "cannot mask /planted/secret: a symbolic link is on its path" rt run --bundle "$B" p-link2
mv "$H/secret.away" "$H/secret"
cfg "c['root']['readonly'] = False
c['linux']['maskedPaths'] = ['/planted-file']
c['process']['args'] = ['true']"
expect_grep "a masked path that is a link to a host file is refused by name" \
        "cannot mask /planted-file: a symbolic link is on its path" rt run --bundle "$B" p-link3
expect_eq "the host folder and its marker are unchanged" "$before" "$(host_state)"
expect_status "nothing is mounted over the host folder" 1 grep -F " $H" /proc/self/mountinfo
rm -f "$R/planted" "$R/planted-file"

if is_root; then
        # a device node at the top of the rootfs, read-only where it is
        mknod "$R/ro-dev" c 1 3
        cfg "c['root']['readonly'] = False
c['linux']['readonlyPaths'] = ['/ro-dev']
c['process']['args'] = ['sh', '-c', 'test -c /ro-dev && echo node; echo x >/ro-dev 2>/dev/null || echo refused']"
        expect_output "a read-only device node in the rootfs: there, not writable" "node
refused" rt run --bundle "$B" p-dev
        rm -f "$R/ro-dev"
fi
expect_status "no container is left" 1 rt state p-ro
