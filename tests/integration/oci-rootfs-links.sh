#!/bin/sh
# airlock-runtime and the links a container plants in its own rootfs (the rootfs is what the
# container writes: an overlay's upper folder, a second container on the same rootfs, a
# stopped one started again). Every path the runtime resolves there is the container's:
# - mount destinations (podman's /etc/hosts and /run/.containerenv, a volume, a tmpfs) whose
#   last part or a folder above is a link to a host file or folder, "/", "..", or a magic link
#   of /proc: refused by name, nothing mounted or changed on the host, with the rootfs as the
#   root (root.path written by the container's root) and with airlock's tmpfs root;
# - a top-level folder of the rootfs swapped for a link to a host folder between the runtime's
#   readdir() and its binds (a TOCTOU race, renameat2(RENAME_EXCHANGE) in a loop): the host
#   folder never shows in the container;
# - the working folder (process.cwd, exec --cwd) through /proc/self/fd/N, an fd the runtime's
#   caller left open on a host folder (runc's CVE-2024-21626), directly or through a link in
#   the rootfs: refused; a link climbing with ".." stays in the root;
# - exec into a container whose init's pid now names another process (pid reuse): refused,
#   nothing joined.
. "$AIRLOCK_SRC/tests/lib.sh"
. "$AIRLOCK_SRC/tests/integration/oci-runtime.lib"

chmod 700 "$TEST_TMPDIR"
B=$TEST_TMPDIR/bundle
oci_test_bundle "$B"
R=$B/rootfs
H=$TEST_TMPDIR/host
mkdir -p "$H/d" "$TEST_TMPDIR/srcdir"
echo HOSTSECRET >"$H/secret"
echo SRC >"$TEST_TMPDIR/srcfile"
host_state() { find "$H" -printf '%p %y %s %T@\n' | sort; }
before=$(host_state)
# The host's mount points, as a sorted list. Left out: other users' scratch folders under /tmp
# and /var/tmp and the container engines' own trees, where other work on a shared machine
# mounts meanwhile; kept: this test's folders ($TEST_TMPDIR, the host folder of the race) and
# everything else, where a mount the runtime leaked through a planted link would land.
host_mounts() {
        awk '{ print $5 }' /proc/self/mountinfo | awk -v t="$TEST_TMPDIR" -v w="${HW:-/nonexistent}" '
                index($0, t) == 1 || index($0, w) == 1 { print; next }
                /^\/(var\/)?tmp\// || /^\/run\/(netns|containers|user)\// || /^\/var\/lib\/containers\// { next }
                { print }' | sort
}
mounts_before=$(host_mounts)

# plant NAME SETUP MOUNT USER-PYTHON WANT: the rootfs as SETUP leaves it, one more mount; the
# create must fail naming WANT
plant() {
        rm -rf "$R/etc/hosts" "$R/run" "$R/vol" "$R/etc2"
        mkdir -p "$R/run"
        touch "$R/etc/hosts"
        eval "$2"
        cfg "c['root']['readonly'] = False
c['mounts'].append($3)
$4
c['process']['args'] = ['sh', '-c', 'echo ran']"
        expect_grep "$1" "$5" rt run --bundle "$B" pl-$$
        rt delete -f pl-$$ >/dev/null 2>&1
}

FILE_BIND="{'destination': '/etc/hosts', 'type': 'bind', 'source': '$TEST_TMPDIR/srcfile', 'options': ['bind', 'ro']}"
ENV_BIND="{'destination': '/run/.containerenv', 'type': 'bind', 'source': '$TEST_TMPDIR/srcfile', 'options': ['bind', 'ro']}"
TMPFS_RUN="{'destination': '/run/x', 'type': 'tmpfs', 'source': 'tmpfs', 'options': []}"
VOL_BELOW="{'destination': '/vol/tmp', 'type': 'bind', 'source': '$TEST_TMPDIR/srcdir', 'options': ['rbind']}"
VOL="{'destination': '/vol', 'type': 'bind', 'source': '$TEST_TMPDIR/srcdir', 'options': ['rbind']}"
TMPFS_ETC2="{'destination': '/etc2/x', 'type': 'tmpfs', 'source': 'tmpfs', 'options': []}"

modes="root"
is_root && modes="root tmpfs"
for mode in $modes; do
        # root: the rootfs is the root; tmpfs: airlock's tmpfs root (a process of another
        # uid, started by root), each top-level entry bound, each top-level link a link
        user=""
        [ "$mode" = tmpfs ] && user="c['process']['user'] = {'uid': 1000, 'gid': 1000}"
        plant "$mode: /etc/hosts a link to a host file" "rm $R/etc/hosts; ln -s $H/secret $R/etc/hosts" \
                "$FILE_BIND" "$user" "mount point /etc/hosts for .*: Too many levels of symbolic links"
        plant "$mode: /etc/hosts a link climbing with .." \
                "rm $R/etc/hosts; ln -s ../../../../../../../..$H/secret $R/etc/hosts" \
                "$FILE_BIND" "$user" "mount point /etc/hosts for .*: Too many levels of symbolic links"
        plant "$mode: /run a link to a host folder (/run/.containerenv)" "rmdir $R/run; ln -s $H/d $R/run" \
                "$ENV_BIND" "$user" "mount point /run/.containerenv for .*: Too many levels"
        plant "$mode: /run a link to / (a tmpfs below it)" "rmdir $R/run; ln -s / $R/run" \
                "$TMPFS_RUN" "$user" "mount point /run/x for tmpfs: Too many levels"
        plant "$mode: /run a link to .." "rmdir $R/run; ln -s .. $R/run" \
                "$TMPFS_RUN" "$user" "mount point /run/x for tmpfs: Too many levels"
        plant "$mode: a volume's parent a link to /proc/self/root" "ln -s /proc/self/root $R/vol" \
                "$VOL_BELOW" "$user" "mount point /vol/tmp for .*: Too many levels"
        plant "$mode: a volume a link to /proc/self/cwd" "ln -s /proc/self/cwd $R/vol" \
                "$VOL" "$user" "mount point /vol for .*: Too many levels"
        plant "$mode: a tmpfs's parent a link into /proc/1/root" "ln -s /proc/1/root/tmp $R/etc2" \
                "$TMPFS_ETC2" "$user" "mount point /etc2/x for tmpfs: Too many levels"
done
rm -rf "$R/etc/hosts" "$R/run" "$R/vol" "$R/etc2"
mkdir -p "$R/run"
ln -s "$H" "$R/planted"
cfg "c['root']['readonly'] = False
c['linux']['readonlyPaths'] = ['/planted/d']
c['process']['args'] = ['true']"
expect_grep "a read-only path below a link to a host folder: refused by name" \
        "cannot make /planted/d read-only: a symbolic link" rt run --bundle "$B" ro-$$
rm -f "$R/planted"
expect_eq "the planted links' host targets are unchanged" "$before" "$(host_state)"
expect_eq "and nothing was mounted on the host" "$mounts_before" "$(host_mounts)"

# swap_start A B: A and B exchanged (renameat2 RENAME_EXCHANGE) in a loop until swap_stop
swap_start() {
        rm -f "$TEST_TMPDIR/swap.stop"
        python3 - "$1" "$2" "$TEST_TMPDIR/swap.stop" <<'PY' &
import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)
a, b = sys.argv[1].encode(), sys.argv[2].encode()
while not os.path.exists(sys.argv[3]):
    for _ in range(1000):
        if libc.renameat2(-100, a, -100, b, 2) != 0:  # AT_FDCWD, RENAME_EXCHANGE
            sys.exit("renameat2: errno %d" % ctypes.get_errno())
PY
        swapper=$!
}
swap_stop() {
        touch "$TEST_TMPDIR/swap.stop"
        wait $swapper
}

# a mount destination's folder (/etc of /etc/hosts) swapped for a link to a host folder while
# the launcher makes its mount point and mounts there: the host folder, which anyone may
# reach and write (outside the test's 0700 folder, as podman's run root), gets nothing
HW=$(mktemp -d /var/tmp/airlock-links.XXXXXX)
chmod 1777 "$HW"
mounts_before=$(host_mounts)
ln -s "$HW" "$R/.swap-etc"
cfg "c['root']['readonly'] = False
c['mounts'].append($FILE_BIND)
c['process']['args'] = ['cat', '/etc/hosts']"
swap_start "$R/etc" "$R/.swap-etc"
i=0 bound=0
while [ $i -lt 150 ]; do
        [ "$(rt run --bundle "$B" dst-$$ 2>/dev/null)" = SRC ] && bound=$((bound + 1))
        rt delete -f dst-$$ >/dev/null 2>&1
        i=$((i + 1))
done
swap_stop
[ -L "$R/etc" ] && { rm "$R/etc"; mv "$R/.swap-etc" "$R/etc"; }
rm -f "$R/.swap-etc" "$R/etc/hosts"
echo "race: 150 runs of /etc/hosts with /etc swapped: bound $bound"
expect_eq "a destination's folder swapped for a link: the host folder gets no mount point" \
        "" "$(ls -A "$HW")"
rm -rf "$HW"
expect_eq "and no mount" "$mounts_before" "$(host_mounts)"

# the TOCTOU race: /data and a link to a host folder exchanged again and again while the
# runtime lists the rootfs and binds its entries (airlock's tmpfs root: started by root)
if is_root; then
        mkdir "$R/data"
        echo inside >"$R/data/secret"
        ln -s "$H" "$R/.swap"
        cfg "c['root']['readonly'] = False
c['process']['user'] = {'uid': 1000, 'gid': 1000}
c['process']['args'] = ['cat', '/data/secret']"
        swap_start "$R/data" "$R/.swap"
        host=0 inside=0 refused=0 other=0
        i=0
        while [ $i -lt 250 ]; do
                out=$(rt run --bundle "$B" race-$$ 2>&1)
                case "$out" in
                *HOSTSECRET*) host=$((host + 1)) ;;
                inside) inside=$((inside + 1)) ;;
                *"symbolic link in a folder that sandboxes can write"* | *"Too many levels"* | \
                        *"cannot read the link"* | *"No such file"*)
                        refused=$((refused + 1)) ;;
                *) other=$((other + 1)); [ $other -le 3 ] && echo "race: $out" ;;
                esac
                rt delete -f race-$$ >/dev/null 2>&1
                i=$((i + 1))
        done
        swap_stop
        echo "race: 250 runs: host folder $host, /data $inside, refused $refused, other $other"
        expect_eq "a top-level folder swapped for a link to a host folder: never the host's" \
                0 "$host"
        expect_eq "every run saw /data or was refused" 250 $((inside + refused))
        rm -rf "$R/data" "$R/.swap"
fi

# the working folder through an fd the runtime's caller left open on a host folder
cfg "c['root']['readonly'] = False
c['process']['cwd'] = '/proc/self/fd/7'
c['process']['args'] = ['sh', '-c', 'readlink /proc/self/cwd']"
expect_grep "process.cwd /proc/self/fd/N with a host folder open there: refused" \
        "cannot change to /proc/self/fd/7" rt run --bundle "$B" cwd-$$ 7<"$H"
rt delete -f cwd-$$ >/dev/null 2>&1
ln -s ../../../../../../.. "$R/up"
cfg "c['root']['readonly'] = False
c['process']['cwd'] = '/up/bin'
c['process']['args'] = ['sh', '-c', 'readlink /proc/self/cwd']"
expect_output "a cwd link climbing with .. stays in the root" /bin rt run --bundle "$B" cwd2-$$
rm -f "$R/up"

cfg "c['root']['readonly'] = False
c['process']['args'] = ['sleep', '60']"
rt run -d --bundle "$B" ex-$$ </dev/null >/dev/null 2>&1
out=$(rt exec --cwd /proc/self/fd/7 ex-$$ sh -c 'readlink /proc/self/cwd' 7<"$H" 2>&1)
expect_eq "exec --cwd /proc/self/fd/N with a host folder open there: refused" \
        "airlock-runtime: exec in ex-$$: cannot change to /proc/self/fd/7: a link of /proc to an open file or a process's folder, or a loop of links, is on its path" \
        "$out"
ln -s /proc/self/fd/7 "$R/w"
out=$(rt exec --cwd /w ex-$$ sh -c 'readlink /proc/self/cwd' 7<"$H" 2>&1)
expect_grep "the same through a link the container planted" "cannot change to /w: a link of /proc to an open file" \
        printf '%s\n' "$out"
rm -f "$R/w"
expect_output "exec --cwd of a plain folder still works" /bin \
        rt exec --cwd /bin ex-$$ sh -c 'readlink /proc/self/cwd'

# nothing of the rootfs's /etc/passwd or /etc/group is read by the runtime (the spec's ids are
# numbers; HOME is the spec's or /): FIFOs there would block any reader
mv "$R/etc/passwd" "$TEST_TMPDIR/passwd.saved"
mkfifo "$R/etc/passwd" "$R/etc/group"
expect_output "exec with FIFOs at /etc/passwd and /etc/group" ok \
        timeout 30 "$RUNTIME" --root "$ROOT" exec ex-$$ echo ok
rm -f "$R/etc/passwd" "$R/etc/group"
mv "$TEST_TMPDIR/passwd.saved" "$R/etc/passwd"

# exec --pid-file at a link the container planted: not followed, its target untouched
echo keep >"$H/victim"
ln -s "$H/victim" "$R/pidlink"
expect_grep "exec --pid-file at a planted link: refused" "cannot write the pid file" \
        rt exec --pid-file "$R/pidlink" ex-$$ true
expect_eq "and the link's target is unchanged" keep "$(cat "$H/victim")"
rm -f "$R/pidlink" "$H/victim"

# pid reuse: the state names the init by pid and start time; a pid that now names another
# process (here one of the host's) is not joined
sleep 60 &
other=$!
state=$ROOT/ex-$$/state.json
cp "$state" "$TEST_TMPDIR/state.saved"
python3 - "$state" "$other" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
s["init"] = int(sys.argv[2])
json.dump(s, open(sys.argv[1], "w"))
PY
expect_grep "exec where the init's pid names another process: refused" "its init is gone" \
        rt exec ex-$$ sh -c 'echo joined; hostname'
cp "$TEST_TMPDIR/state.saved" "$state"
kill "$other"
wait "$other" 2>/dev/null
rt kill ex-$$ KILL >/dev/null 2>&1
rt delete -f ex-$$ >/dev/null 2>&1
expect_status "no container is left" 1 rt state ex-$$
