#!/bin/sh
# airlock-runtime's identities and user namespaces (issue 13): process.user.additionalGids
# (as root: host gids mapped to themselves and set with setgroups, for the program and for
# exec; as a user, whose user namespace has setgroups "deny", refused by name).
. "$AIRLOCK_SRC/tests/lib.sh"

. "$AIRLOCK_SRC/tests/integration/oci-runtime.lib"

B=$TEST_TMPDIR/bundle
oci_test_bundle "$B"

# ---- process.user.additionalGids
# a file only group 4242 may read, bound in: the group is the host's own
SEC=$TEST_TMPDIR/sec
mkdir -p "$SEC"
echo secret >"$SEC/file"
chmod 755 "$SEC"
chmod 640 "$SEC/file"
gids_cfg() {
        cfg "c['process']['user']['additionalGids'] = [4242, 4343]
c['mounts'].append({'destination': '/sec', 'type': 'bind', 'source': '$SEC', 'options': ['rbind', 'ro']})
c['process']['args'] = ['sh', '-c', '''$1''']"
}
if is_root; then
        chown 0:4242 "$SEC/file"
        gids_cfg 'id -G; echo $(grep ^Groups: /proc/self/status); cat /sec/file'
        expect_output "additionalGids: the groups inside, the host group's file read" \
                "0 4242 4343
Groups: 4242 4343
secret" rt run --bundle "$B" g-run
        chown 0:4343 "$SEC/file"
        chmod 600 "$SEC/file"
        expect_grep "without the file's group it stays closed" "Permission denied" \
                rt run --bundle "$B" g-run2
        chmod 640 "$SEC/file"
        gids_cfg 'exec sleep 30'
        expect_status "create with additionalGids" 0 rt create --bundle "$B" g-exec
        expect_status "start" 0 rt start g-exec
        expect_output "exec takes the same groups" "Groups: 4242 4343" \
                rt exec g-exec sh -c 'echo $(grep ^Groups: /proc/self/status)'
        expect_status "delete" 0 rt delete --force g-exec
        cfg "c['process']['user']['additionalGids'] = [-1]"
        expect_grep "a bad gid is named" "process.user.additionalGids: expected" \
                rt run --bundle "$B" g-bad
else
        gids_cfg 'id -G'
        expect_grep "as a user, additionalGids is refused: setgroups is deny" \
                'process.user.additionalGids: .*setgroups "deny"' rt run --bundle "$B" g-user
        expect_status "and no container is left" 1 rt state g-user
fi

# ---- linux.uidMappings and gidMappings of several ranges
W=$TEST_TMPDIR/w
mkdir -p "$W"
chmod 777 "$W"
maps_cfg() { # maps_cfg UID-RANGES GID-RANGES UID GID SHELL-TEXT
        cfg "r = lambda t: [{'containerID': a, 'hostID': b, 'size': n} for a, b, n in t]
c['linux']['namespaces'].append({'type': 'user'})
c['linux']['uidMappings'] = r($1)
c['linux']['gidMappings'] = r($2)
c['process']['user'] = {'uid': $3, 'gid': $4}
c['mounts'].append({'destination': '/w', 'type': 'bind', 'source': '$W', 'options': ['rbind']})
c['process']['args'] = ['sh', '-c', '''$5''']"
}
owner() { stat -c '%u:%g' "$1" 2>/dev/null; }
if is_root; then
        maps_cfg '[(0, 200000, 1000), (1000, 300000, 10)]' '[(0, 200000, 1000), (1000, 300000, 10)]' \
                1005 1003 'id -u; id -g; cat /proc/self/uid_map | tr -s " " | sed "s/^ //"; touch /w/f1'
        expect_output "two ranges: the spec's uid inside, the maps as written" "1005
1003
0 200000 1000
1000 300000 10" rt run --bundle "$B" m-run
        expect_eq "a file made inside belongs to the mapped host ids" "300005:300003" "$(owner "$W/f1")"
        maps_cfg '[(0, 200000, 1000), (1000, 300000, 10)]' '[(0, 200000, 1000), (1000, 300000, 10)]' \
                0 0 'touch /w/f0; exec sleep 30'
        expect_status "create with two ranges, uid 0 inside" 0 rt create --bundle "$B" m-exec
        expect_status "start" 0 rt start m-exec
        expect_output "exec takes the container's uid" "0 0" rt exec m-exec sh -c 'echo $(id -u) $(id -g)'
        expect_status "delete" 0 rt delete --force m-exec
        expect_eq "uid 0 inside is host uid 200000" "200000:200000" "$(owner "$W/f0")"
        maps_cfg '[(0, 0, 1)]' '[(0, 0, 1)]' 0 0 'id -u'
        expect_grep "mapping the host's root is refused" "rule host-namespaces.*maps the host's root" \
                rt run --bundle "$B" m-root
        maps_cfg '[(0, 200000, 1000)]' '[(0, 200000, 1000)]' 5000 0 'id -u'
        expect_grep "an unmapped process uid is named" "linux.uidMappings: process.user.uid 5000 is not mapped" \
                rt run --bundle "$B" m-unmapped

        # a user (nobody) through newuidmap and newgidmap, with /etc/subuid and /etc/subgid
        # lines made here and removed after; its root folder and the bundle it can read
        if command -v newuidmap >/dev/null && command -v runuser >/dev/null; then
                # a range of this run's own (the root and ASan phases run side by side)
                SUB=$((400000 + ($$ % 512) * 65536))
                printf 'nobody:%s:65536\n' "$SUB" >>/etc/subuid
                printf 'nobody:%s:65536\n' "$SUB" >>/etc/subgid
                # shellcheck disable=SC2064
                trap "sed -i '/^nobody:$SUB:65536\$/d' /etc/subuid /etc/subgid" EXIT
                chmod 755 "$TEST_TMPDIR" "$B"
                asnobody() { runuser -u nobody -- env XDG_RUNTIME_DIR="$TEST_TMPDIR/nb" "$RUNTIME" --root "$TEST_TMPDIR/nb/state" "$@"; }
                mkdir -p "$TEST_TMPDIR/nb"
                chown nobody "$TEST_TMPDIR/nb"
                maps_cfg "[(0, 65534, 1), (1, $SUB, 65536)]" "[(0, 65534, 1), (1, $SUB, 65536)]" \
                        1000 1000 'id -u; id -g; cat /proc/self/gid_map | tr -s " " | sed "s/^ //"; cat /proc/self/setgroups; touch /w/f2'
                chmod 644 "$B/config.json"
                expect_output "a user's two ranges through newuidmap/newgidmap" "1000
1000
0 65534 1
1 $SUB 65536
allow" asnobody run --bundle "$B" m-nobody
                expect_eq "its file belongs to the subordinate ids" "$((SUB + 999)):$((SUB + 999))" "$(owner "$W/f2")"
                python3 - "$B/config.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
c['process']['user']['additionalGids'] = [2000]
c['process']['args'] = ['sh', '-c', 'id -G']
json.dump(c, open(sys.argv[1], "w"))
PY
                expect_output "a user's additionalGids once newgidmap left setgroups allowed" \
                        "1000 2000" asnobody run --bundle "$B" m-nobody-g
                sed -i "/^nobody:$SUB:65536\$/d" /etc/subuid /etc/subgid
                trap - EXIT
                expect_grep "without /etc/subuid lines newuidmap refuses, named" \
                        "newuidmap refused the mapping" asnobody run --bundle "$B" m-nobody2
        else
                fail "newuidmap" "newuidmap or runuser is missing: install uidmap (scripts/deps.sh)"
        fi
else
        maps_cfg '[(0, 65534, 1), (1, 400000, 65536)]' '[(0, 65534, 1), (1, 400000, 65536)]' \
                0 0 'id -u'
        expect_grep "a user without /etc/subuid lines: newuidmap refuses, named" \
                "newuidmap refused the mapping" rt run --bundle "$B" m-user
fi

# ---- a cgroup namespace by path: joined (root; a user lacks CAP_SYS_ADMIN over it)
unshare -r -C sleep 60 &
NSPID=$!
wait_for 10 sh -c "[ \"\$(readlink /proc/$NSPID/ns/cgroup)\" != \"\$(readlink /proc/self/ns/cgroup)\" ]"
cfg "c['linux']['namespaces'] = [n if n['type'] != 'cgroup' else {'type': 'cgroup', 'path': '/proc/$NSPID/ns/cgroup'} for n in c['linux']['namespaces']]
c['process']['args'] = ['readlink', '/proc/self/ns/cgroup']"
if is_root; then
        expect_output "a cgroup namespace path is joined" "$(readlink /proc/$NSPID/ns/cgroup)" \
                rt run --bundle "$B" n-cg
else
        expect_grep "joining a cgroup namespace needs privilege, and says so" \
                "cannot join the cgroup namespace /proc/$NSPID/ns/cgroup: Operation not permitted" \
                rt run --bundle "$B" n-cg
fi
kill "$NSPID"
wait "$NSPID" 2>/dev/null || true
