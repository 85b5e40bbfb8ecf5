#!/bin/sh
# airlock-runtime joins namespaces given by path in linux.namespaces (issue 13): user first,
# then network, ipc, uts, pid (the container's init is forked in it) and mount (its root is
# built there, as runc does). A pid or mount namespace must belong to the container's user
# namespace, so it comes with that user namespace joined. Root joins any; a user joins only
# namespaces of a user namespace it owns (here: one unshare -r made).
. "$AIRLOCK_SRC/tests/lib.sh"

. "$AIRLOCK_SRC/tests/integration/oci-runtime.lib"

B=$TEST_TMPDIR/bundle
oci_test_bundle "$B"

# holder: a process in new user, pid, mount, network, ipc and uts namespaces; H its pid. Root's
# user namespace maps 65534 as 0 (the baseline refuses one that maps the host's root).
HOLDERS=""
holder() {
        if is_root; then
                unshare -U -p -f -m -i -u -n --kill-child sleep 60 2>/dev/null &
        else
                unshare -r -p -f -m -i -u -n --kill-child sleep 60 2>/dev/null &
        fi
        U=$!
        wait_for 10 sh -c "[ -n \"\$(cat /proc/$U/task/$U/children 2>/dev/null)\" ]"
        H=$(tr -d ' ' </proc/$U/task/$U/children)
        HOLDERS="$HOLDERS $U:$H"
        if is_root; then
                echo "0 65534 1" >/proc/$H/uid_map
                echo "0 65534 1" >/proc/$H/gid_map
        fi
        wait_for 10 sh -c "[ \"\$(readlink /proc/$H/ns/pid)\" != \"\$(readlink /proc/self/ns/pid)\" ]"
}
# unshare waits for its child with SIGTERM ignored: the child is what ends it
cleanup() {
        for h in $HOLDERS; do
                kill -9 "${h#*:}" 2>/dev/null
                wait "${h%:*}" 2>/dev/null
        done
}
trap cleanup EXIT

# join_cfg TYPES SHELL-TEXT: the spec's namespaces, those of TYPES by H's path
join_cfg() {
        cfg "f = {'network': 'net', 'mount': 'mnt'}
c['linux']['namespaces'] = [{'type': n['type'], 'path': '/proc/$H/ns/' + f.get(n['type'], n['type'])} if n['type'] in '$1'.split() else n for n in c['linux']['namespaces']]
if 'user' in '$1'.split() and not any(n['type'] == 'user' for n in c['linux']['namespaces']):
    c['linux']['namespaces'].append({'type': 'user', 'path': '/proc/$H/ns/user'})
c['linux'].pop('uidMappings', None)
c['linux'].pop('gidMappings', None)
c.pop('hostname', None)
c['process']['args'] = ['sh', '-c', '''$2''']"
}
ns_of() { for n in $2; do readlink "/proc/$1/ns/$n"; done; }
NS="user pid mnt net ipc uts"
show_ns='for n in '$NS'; do readlink /proc/self/ns/$n; done'

# ---- every namespace by path: the container's are the holder's, its pid 1 is the holder's
holder
join_cfg "user pid mount network ipc uts" "$show_ns; tr '\\\\0' ' ' </proc/1/cmdline; echo; id -u"
expect_output "user, pid, mount, network, ipc and uts namespaces by path are joined" \
        "$(ns_of "$H" "$NS")
sleep 60 
0" rt run --bundle "$B" j-all
expect_status "and no container is left" 1 rt state j-all

# ---- the lifecycle with user, pid and network by path: create, exec, delete
holder
join_cfg "user pid network" "exec sleep 30"
expect_status "create with namespaces by path" 0 rt create --bundle "$B" j-life
expect_status "start" 0 rt start j-life
expect_output "exec joins the same namespaces" "$(ns_of "$H" "user pid net")" \
        rt exec j-life sh -c 'for n in user pid net; do readlink /proc/self/ns/$n; done'
expect_status "delete" 0 rt delete --force j-life
expect_status "the holder outlives the container" 0 kill -0 "$H"

# ---- refused, each with the cause named
join_cfg "pid" "true"
expect_grep "a pid namespace of another user namespace is refused" \
        "the pid namespace /proc/$H/ns/pid does not belong to the container's user namespace" \
        rt run --bundle "$B" j-no
join_cfg "user" "true"
cfg "import json
c = json.load(open('$B/config.json'))
c['linux']['uidMappings'] = [{'containerID': 0, 'hostID': 65534, 'size': 1}]
c['linux']['gidMappings'] = [{'containerID': 0, 'hostID': 65534, 'size': 1}]"
expect_grep "maps with a user namespace joined by path are named" \
        "linux\.uidMappings: a user namespace joined by path has its own maps" rt run --bundle "$B" j-no
cfg "c['linux']['namespaces'].append({'type': 'user', 'path': '/proc/$$/ns/user'})"
expect_grep "the host's user namespace by path is refused by the baseline" \
        "rule host-namespaces: linux.namespaces joins the host's user namespace" rt run --bundle "$B" j-no
if is_root; then
        # unshare -r as root maps the host's root: privileged-equivalent
        unshare -r --kill-child sleep 60 2>/dev/null &
        R=$!
        wait_for 10 sh -c "[ -n \"\$(cat /proc/$R/task/$R/children 2>/dev/null)\" ]"
        RH=$(tr -d ' ' </proc/$R/task/$R/children)
        HOLDERS="$HOLDERS $R:$RH"
        cfg "c['linux']['namespaces'].append({'type': 'user', 'path': '/proc/$RH/ns/user'})"
        expect_grep "a user namespace that maps the host's root is refused by the baseline" \
                "rule host-namespaces: the user namespace /proc/$RH/ns/user maps the host's root" \
                rt run --bundle "$B" j-no
else
        # a user joins nothing of a user namespace it does not own: pid 1's network namespace is
        # the host's (refused by the baseline), so a root holder's is made by nobody here; the
        # user's own holder without its user namespace: the network namespace belongs to it
        join_cfg "network" "true"
        expect_grep "a user cannot join a network namespace without its user namespace" \
                "cannot join the network namespace /proc/$H/ns/net: Operation not permitted" \
                rt run --bundle "$B" j-no
fi
expect_status "no container is left" 1 rt state j-no
