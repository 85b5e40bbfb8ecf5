#!/bin/sh
# airlock-runtime's rootfs seen through idmapped mounts (issue 13): started by root, the
# container's root owns the rootfs' files of host uid 0 (a 0700 folder of root's is its cwd,
# its 0600 file readable, what it writes lands in the rootfs), through a mapping to its own
# unprivileged host uid. Never beyond that: a host folder bound by the spec stays the host's,
# a mount below a rootfs entry is not seen through the mapping, another uid in the container
# owns nothing of root's, and a rootfs that other users can reach (where a set-uid file of the
# container's root would be root's on the host) keeps today's plain binds, the debug log saying why. A
# user cannot make idmapped mounts: the rootfs then stays plain binds, which the user phase checks.
. "$AIRLOCK_SRC/tests/lib.sh"

. "$AIRLOCK_SRC/tests/integration/oci-runtime.lib"

# the bundle below a folder that is root's alone (TEST_TMPDIR is mktemp's, 0700)
chmod 700 "$TEST_TMPDIR"
B=$TEST_TMPDIR/bundle
oci_test_bundle "$B"
mkdir -p "$B/rootfs/test" "$TEST_TMPDIR/hostdir"
echo secret >"$B/rootfs/test/f"
chmod 600 "$B/rootfs/test/f"
chmod 700 "$B/rootfs/test"
echo host >"$TEST_TMPDIR/hostdir/h"
chmod 644 "$TEST_TMPDIR/hostdir/h"

# idmap_cfg SHELL-TEXT [PYTHON]: cwd /test, a writable root, the program as given
idmap_cfg() {
        cfg "c['process']['cwd'] = '/test'
c['root']['readonly'] = False
c['process']['args'] = ['sh', '-c', '''$1''']
${2:-}"
}

if is_root; then
        idmap_cfg 'id -u; cat f; echo made >new; ls -ln /test/new | awk "{ print \$3, \$4 }"'
        expect_output "the container's root enters root's 0700 folder, reads its 0600 file, writes" \
                "0
secret
0 0" rt run --bundle "$B" idm-root
        if [ "$(stat -c %u:%g "$B/rootfs/test/new" 2>/dev/null)" = 0:0 ] &&
                [ "$(cat "$B/rootfs/test/new" 2>/dev/null)" = made ]; then
                pass "what it wrote is in the rootfs, its files' owner (uid 0 on the disk)"
        else
                fail "what it wrote is in the rootfs, its files' owner (uid 0 on the disk)" \
                        "$(ls -ln "$B/rootfs/test" 2>&1)"
        fi
        rm -f "$B/rootfs/test/new"

        prog_uid() { awk '/^Uid:/ { print $2 }' "/proc/$1/status"; }
        idmap_cfg 'exec sleep 60'
        expect_status "create" 0 rt create --bundle "$B" idm-host
        prog=$(rt ps --format json idm-host | tr -d '[]' | tr ',' '\n' | tail -n 1)
        expect_eq "on the host the program is the unprivileged uid, not root" 65534 "$(prog_uid "$prog")"
        rt delete --force idm-host >/dev/null 2>&1

        # a host folder the spec binds is not idmapped: root's file there stays root's
        idmap_cfg 'echo x >/hostdir/h 2>/dev/null && echo wrote; ls -ln /hostdir/h | cut -c1-30' \
                "c['mounts'].append({'destination': '/hostdir', 'type': 'bind', 'source': '$TEST_TMPDIR/hostdir', 'options': ['rbind', 'rw']})"
        expect_output "a host folder bound by the spec keeps the host's owners, unwritable" \
                "-rw-r--r--    1 65534    65534" rt run --bundle "$B" idm-bind
        expect_eq "and root's file there is unchanged" host "$(cat "$TEST_TMPDIR/hostdir/h")"

        # a mount below a rootfs entry (host folder bound there on the host) is not seen
        # through the mapping: the clone is not recursive
        mkdir -p "$B/rootfs/test/sub"
        if mount --bind "$TEST_TMPDIR/hostdir" "$B/rootfs/test/sub"; then
                idmap_cfg 'ls /test/sub | wc -l'
                expect_output "a mount below a rootfs entry is not carried through the mapping" \
                        0 rt run --bundle "$B" idm-sub
                umount "$B/rootfs/test/sub"
        else
                fail "a mount below a rootfs entry" "cannot bind a folder for the test"
        fi
        rmdir "$B/rootfs/test/sub"

        # another uid in the container owns nothing of root's
        idmap_cfg 'id -u; cat /test/f' "c['process']['cwd'] = '/'
c['process']['user'] = {'uid': 1000, 'gid': 1000}"
        expect_grep "uid 1000 in the container cannot read root's 0600 file" \
                "can't open '/test/f': Permission denied" rt run --bundle "$B" idm-1000

        # a rootfs that other users can reach keeps the plain binds, saying why
        chmod 755 "$TEST_TMPDIR"
        chmod 711 "$B"
        idmap_cfg 'cat f'
        expect_grep "a rootfs other users can reach is not idmapped, the debug log naming it" \
                "the rootfs is not idmapped, its files keep the host's owners: other users can reach $B/rootfs/" \
                rt --debug run --bundle "$B" idm-open
        expect_grep "and root's 0700 folder stays closed to the container, as before" \
                "cannot change to /test: Permission denied" rt run --bundle "$B" idm-open
        chmod 700 "$TEST_TMPDIR"
else
        # the rootfs is the user's own here: it runs as before, with plain binds
        idmap_cfg 'cat f; grep idmapped /proc/self/mountinfo | wc -l'
        expect_output "a user's container runs on plain binds (no idmapped mount)" \
                "secret
0" rt run --bundle "$B" idm-user
        expect_eq "and says nothing of idmapping" "" "$(grep -i idmap "$TEST_TMPDIR/.err")"
fi
expect_status "no container is left" 1 rt state idm-host
