#!/bin/sh
# airlock-runtime against what runtime-tools' validation suite checks inside a container
# (docs/oci-compat.md has the table): each check here stands for a fix that the suite's
# runtimetest measured, so that it holds in CI, where the suite is not built.
. "$AIRLOCK_SRC/tests/lib.sh"
. "$AIRLOCK_SRC/tests/run-lib.sh"
. "$AIRLOCK_SRC/tests/integration/oci-runtime.lib"

B=$TEST_TMPDIR/bundle
oci_test_bundle "$B"

# runtimetest finds each of the spec's mounts in /proc/self/mountinfo by destination, type
# and source: the file systems airlock makes carry the spec's source names (proc, tmpfs,
# devpts, shm), not "none", and /dev/mqueue is the container's own mqueue.
MQ="c['mounts'].append({'destination': '/dev/mqueue', 'type': 'mqueue', 'source': 'mqueue',
  'options': ['nosuid', 'noexec', 'nodev']})"
cfg "$MQ
c['process']['args'] = ['cat', '/proc/self/mountinfo']"
rt run --bundle "$B" c-mounts >"$TEST_TMPDIR/mountinfo" 2>"$TEST_TMPDIR/err"
# mount point, type, source and the device, after the optional fields' "-"
awk '{ for (i = 7; $i != "-"; i++); print $5, $(i + 1), $(i + 2), $3 }' \
        "$TEST_TMPDIR/mountinfo" >"$TEST_TMPDIR/mounts"
for m in "/proc proc proc" "/dev tmpfs tmpfs" "/dev/pts devpts devpts" "/dev/shm tmpfs shm" \
        "/dev/mqueue mqueue mqueue"; do
        set -- $m
        if grep -q "^$1 $2 $3 " "$TEST_TMPDIR/mounts"; then
                pass "mount $1: type $2, source $3"
        else
                fail "mount $1: type $2, source $3" \
                        "$(grep "^$1 " "$TEST_TMPDIR/mounts" || echo not mounted); $(head -c 300 "$TEST_TMPDIR/err")"
        fi
done
# the message queues are the container's own ipc namespace's, not the host's
inside=$(awk '$1 == "/dev/mqueue" { print $4 }' "$TEST_TMPDIR/mounts")
host=$(awk '$5 == "/dev/mqueue" { print $3 }' /proc/self/mountinfo | head -n 1)
if [ -n "$inside" ] && [ "$inside" != "$host" ]; then
        pass "mqueue: the container's own"
else
        fail "mqueue: the container's own" "device '$inside' inside, '$host' on the host"
fi
# without it in the spec there is none
cfg "c['process']['args'] = ['sh', '-c', 'grep -c \" /dev/mqueue \" /proc/self/mountinfo; true']"
expect_output "no mqueue unless asked" 0 rt run --bundle "$B" c-nomq

# The specification's Extensibility: a property it does not define is ignored (with a notice),
# one it defines that airlock-runtime does not carry out is still refused by name.
cfg "c['unknownProperty'] = 'x'
c['process']['unknownToo'] = {'a': 1}
c['process']['args'] = ['echo', 'ran']"
expect_output "unknown properties: ignored" ran rt run --bundle "$B" c-unknown
cfg "c['linux']['intelRdt'] = {'closID': 'x'}
c['process']['args'] = ['echo', 'ran']"
expect_status "a defined property not carried out: refused" 1 rt run --bundle "$B" c-rdt
expect_grep "a defined property not carried out: named" "linux\.intelRdt: not supported" \
        cat "$TEST_TMPDIR/.err"
# ociVersion: a version 1.x.y, with runc's "-dev" suffix
cfg "c['ociVersion'] = 'invalid'
c['process']['args'] = ['echo', 'ran']"
expect_status "ociVersion 'invalid': refused" 1 rt run --bundle "$B" c-badver
expect_grep "ociVersion 'invalid': named" "ociVersion: not a version 1" cat "$TEST_TMPDIR/.err"
for v in 2.0.0 1.0; do
        cfg "c['ociVersion'] = '$v'"
        expect_status "ociVersion '$v': refused" 1 rt run --bundle "$B" c-ver
done
cfg "c['ociVersion'] = '1.0.2-dev'
c['process']['args'] = ['echo', 'ran']"
expect_output "ociVersion '1.0.2-dev': accepted" ran rt run --bundle "$B" c-devver

# An ipc namespace joined by path (root: joining needs CAP_SYS_ADMIN over it) is not the
# container's user namespace's: its mqueue cannot be mounted there, and the container still
# starts, without one (runtime-tools' linux_ns_path).
if is_root; then
        unshare -r -i sleep 60 &
        NSPID=$!
        wait_for 10 sh -c "[ \"\$(readlink /proc/$NSPID/ns/ipc)\" != \"\$(readlink /proc/self/ns/ipc)\" ]"
        cfg "$MQ
c['linux']['namespaces'] = [n if n['type'] != 'ipc' else {'type': 'ipc', 'path': '/proc/$NSPID/ns/ipc'} for n in c['linux']['namespaces']]
c['process']['args'] = ['sh', '-c', 'readlink /proc/self/ns/ipc; grep -c \" /dev/mqueue \" /proc/self/mountinfo; true']"
        expect_output "mqueue with an ipc namespace joined by path: runs, without it" \
                "$(readlink /proc/$NSPID/ns/ipc)
0" rt run --bundle "$B" c-ipcns
        kill "$NSPID"
        wait "$NSPID" 2>/dev/null || true
fi
