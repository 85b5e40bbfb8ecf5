#!/bin/sh
# airlock-runtime's linux.cgroupsPath (issue 13): the container's cgroup at that path, relative
# to the runtime's own cgroup (as runc reads a relative path) or absolute, in every hierarchy
# airlock uses (cgroup v1 here, v2 where it is delegated); delete removes it, also when the
# keeper was killed. A path the caller may not write is an error that names it; a user's own
# cgroup here is root's, so the user phase checks that refusal.
. "$AIRLOCK_SRC/tests/lib.sh"

. "$AIRLOCK_SRC/tests/integration/oci-runtime.lib"

B=$TEST_TMPDIR/bundle
oci_test_bundle "$B"

NAME=airlock-ocins-$$
# the cgroup folders of that name anywhere in the hierarchies (relative ones lie below ours)
cg_dirs() { find /sys/fs/cgroup -maxdepth 6 -type d -name "$1" 2>/dev/null; }
# cg_cfg PATH SHELL-TEXT: the spec with that cgroupsPath and no cgroup namespace, so that
# /proc/self/cgroup shows the whole path
cg_cfg() {
        cfg "c['linux']['cgroupsPath'] = '$1'
c['linux']['namespaces'] = [n for n in c['linux']['namespaces'] if n['type'] != 'cgroup']
c['linux']['resources'] = {'memory': {'limit': 100 * 1024 * 1024}, 'pids': {'limit': 64}}
c['process']['args'] = ['sh', '-c', '''$2''']"
}

own_writable() { # the caller's own pids cgroup (v1) or cgroup (v2) can take a child
        own=$(sed -n 's/^[0-9]*:pids:\(.*\)$/\1/p' /proc/self/cgroup)
        [ -n "$own" ] && [ -w "/sys/fs/cgroup/pids$own" ]
}

if is_root || own_writable; then
        # relative: below the runtime's own cgroup, seen whole inside
        cg_cfg "$NAME" 'grep -E "^[0-9]+:(memory|pids):" /proc/self/cgroup | sed "s/^[0-9]*://" | sort'
        own_mem=$(sed -n 's/^[0-9]*:memory:\(.*\)$/\1/p' /proc/self/cgroup)
        own_pids=$(sed -n 's/^[0-9]*:pids:\(.*\)$/\1/p' /proc/self/cgroup)
        expect_output "a relative cgroupsPath is the container's cgroup, below the runtime's" \
                "memory:${own_mem%/}/$NAME
pids:${own_pids%/}/$NAME" rt run --bundle "$B" cg-rel
        expect_eq "and it is gone after the run" "" "$(cg_dirs "$NAME")"

        # absolute: create, the limits in it, the program in it; delete --force kills the
        # keeper (which then removes nothing): delete removes the cgroup itself
        cg_cfg "/$NAME-abs" 'exec sleep 60'
        expect_status "create with an absolute cgroupsPath" 0 rt create --bundle "$B" cg-abs
        expect_status "start" 0 rt start cg-abs
        pdir=$(cg_dirs "$NAME-abs" | grep -E '/pids/|/unified/|^/sys/fs/cgroup/[^/]*$' | head -n 1)
        case $pdir in
        /sys/fs/cgroup/pids/$NAME-abs | /sys/fs/cgroup/unified/$NAME-abs | /sys/fs/cgroup/$NAME-abs)
                pass "the cgroup is at the path given, from the hierarchy's root" ;;
        *) fail "the cgroup is at the path given, from the hierarchy's root" "found '$pdir'" ;;
        esac
        expect_eq "its pids limit is the spec's" "64" "$(cat "$pdir/pids.max" 2>/dev/null)"
        prog=$(rt ps --format json cg-abs | tr -d '[]' | tr ',' '\n' | tail -n 1)
        expect_grep "the program is in it" "pids:/$NAME-abs\$|0::/$NAME-abs\$" cat "/proc/$prog/cgroup"
        expect_status "delete --force" 0 rt delete --force cg-abs
        expect_eq "delete removed it in every hierarchy" "" "$(cg_dirs "$NAME-abs")"

        # a cgroup that exists already is not taken over (its tasks would be killed at the end)
        mkdir "/sys/fs/cgroup/pids/$NAME-old" 2>/dev/null || mkdir "/sys/fs/cgroup/$NAME-old"
        cg_cfg "/$NAME-old" 'true'
        expect_grep "an existing cgroup is refused, named" \
                "cannot make the cgroup /$NAME-old: File exists \\(it exists already\\)" \
                rt run --bundle "$B" cg-old
        rmdir "/sys/fs/cgroup/pids/$NAME-old" 2>/dev/null || rmdir "/sys/fs/cgroup/$NAME-old"
else
        cg_cfg "$NAME" 'true'
        expect_grep "a cgroupsPath where the user may not write is refused, named" \
                "cannot make the cgroup $NAME: Permission denied \\(outside what this user may write\\)" \
                rt run --bundle "$B" cg-user
        expect_eq "and nothing is left" "" "$(cg_dirs "$NAME")"
fi
expect_status "no container is left" 1 rt state cg-old

cg_cfg "$NAME/../x" 'true'
expect_grep "'..' in cgroupsPath is refused" "linux\\.cgroupsPath: expected a path without" \
        rt run --bundle "$B" cg-bad
cg_cfg "system.slice:airlock:$NAME" 'true'
expect_grep "systemd's form is refused by name" "linux\\.cgroupsPath: systemd's slice:prefix:name" \
        rt run --bundle "$B" cg-bad
