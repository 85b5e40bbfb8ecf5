#!/bin/sh
# airlock-runtime, second slice (issue 13): --console-socket (the pty master goes to the
# engine, the container's stdio is the slave and its controlling terminal, TIOCSTI stays
# refused), --preserve-fds, run --detach, ps, and exec (a process joins the running
# container, no less confined than its first). Podman -t and podman exec as root.
. "$AIRLOCK_SRC/tests/lib.sh"
. "$AIRLOCK_SRC/tests/run-lib.sh"
. "$AIRLOCK_SRC/tests/integration/oci-runtime.lib"

B=$TEST_TMPDIR/bundle
oci_require_busybox
want_uid=0 # root inside its user namespace (mapped to 65534 when root starts it)
mkdir -p "$B"
oci_bundle "$B" || fail "bundle" "cannot make the bundle"
# the probe (tests/helpers/probe) is linked dynamically: the host's /usr, read-only
ln -s usr/lib "$B/rootfs/lib"
ln -s usr/lib64 "$B/rootfs/lib64"
USR_PROBE="c['mounts'] += [{'destination': '/usr', 'type': 'bind', 'source': '/usr', 'options': ['rbind', 'ro']},
  {'destination': '/probe', 'type': 'bind', 'source': '$PROBE', 'options': ['bind', 'ro']}]"

# console_server SOCKET OUT: takes one connection's SCM_RIGHTS fd (the pty master) and copies
# what comes out of it to OUT, after a first line "name=NAME fds=N". OUT.ready once listening.
console_server() {
        python3 - "$1" "$2" <<'PY' &
import os, socket, sys
path, out = sys.argv[1], sys.argv[2]
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(path)
s.listen(1)
open(out + ".ready", "w").close()
s.settimeout(60)
c, _ = s.accept()
msg, fds, _, _ = socket.recv_fds(c, 1024, 4)
with open(out, "wb") as f:
    f.write(b"name=" + msg + b" fds=" + str(len(fds)).encode() + b"\n")
    f.flush()
    if len(fds) == 1:
        os.write(fds[0], b"typed\n")
    while fds:
        try:
            d = os.read(fds[0], 4096)
        except OSError:
            break
        if not d:
            break
        f.write(d)
        f.flush()
PY
        CONSOLE_PID=$!
        wait_for 20 test -e "$2.ready"
}

# ---- --console-socket: the engine gets the master, the container the slave
CS=$TEST_TMPDIR/console.sock
console_server "$CS" "$TEST_TMPDIR/console.out"
cfg "c['process']['terminal'] = True; c['process']['consoleSize'] = {'height': 33, 'width': 101}
c['process']['args'] = ['sh', '-c', 'tty; stty size; [ -t 0 ] && [ -t 2 ] && echo stdio-tty; read l; echo \"read \$l\"; ps -o pid,tty,args']"
expect_status "create --console-socket" 0 rt create --bundle "$B" --console-socket "$CS" c-tty
expect_status "start with a terminal" 0 rt start c-tty
wait "$CONSOLE_PID"
out=$(tr -d '\r' <"$TEST_TMPDIR/console.out")
expect_eq "the master comes over the socket, as runc's" "name=/dev/ptmx fds=1" "$(printf '%s\n' "$out" | head -1)"
expect_grep "the container's tty is a pty of its own" '^/dev/pts/[0-9]+$' printf '%s\n' "$out"
expect_grep "process.consoleSize sets the size" '^33 101$' printf '%s\n' "$out"
expect_grep "stdin and stderr are the terminal" '^stdio-tty$' printf '%s\n' "$out"
expect_grep "what the engine types reaches the container" '^read typed$' printf '%s\n' "$out"
# busybox ps shows the controlling terminal as major,minor (136 = pts)
expect_grep "the pty is the controlling terminal" '^ +[0-9]+ 136,[0-9]+ +(\{ps\} )?sh -c' printf '%s\n' "$out"
wait_for 10 sh -c "\"$RUNTIME\" --root \"$ROOT\" state c-tty | grep -q stopped"
rt delete --force c-tty >/dev/null 2>&1

cfg "c['process']['terminal'] = True; $USR_PROBE; c['process']['args'] = ['/probe', 'tiocsti', '/dev/tty']"
console_server "$CS.2" "$TEST_TMPDIR/console2.out"
rt create --bundle "$B" --console-socket "$CS.2" c-sti >/dev/null 2>&1 </dev/null
rt start c-sti >/dev/null 2>&1
wait "$CONSOLE_PID"
expect_grep "TIOCSTI on the container's terminal is refused by seccomp" \
        'tiocsti: denied \(EPERM\) seccomp=2' cat "$TEST_TMPDIR/console2.out"
rt delete --force c-sti >/dev/null 2>&1

args 'true'
expect_grep "--console-socket without process.terminal is refused" "process.terminal is false" \
        rt create --bundle "$B" --console-socket "$CS" c-notty
cfg "c['process']['terminal'] = True"
expect_grep "create with a terminal needs --console-socket" "process.terminal: .*--console-socket" \
        rt create --bundle "$B" c-nosock
expect_grep "a console socket nobody listens on is an error" "cannot connect to the console socket" \
        rt create --bundle "$B" --console-socket "$TEST_TMPDIR/nobody" c-nobody
ls "$ROOT" >"$TEST_TMPDIR/left"
expect_eq "no state left behind" "" "$(cat "$TEST_TMPDIR/left")"

# ---- --preserve-fds and run --detach
echo preserved >"$TEST_TMPDIR/fd3"
args 'cat <&3; [ -e /proc/self/fd/4 ] && echo fd4-leaked; true'
expect_output "--preserve-fds 1 passes fd 3, not fd 4" preserved \
        sh -c "exec 3<\"$TEST_TMPDIR/fd3\" 4<\"$TEST_TMPDIR/fd3\"; \"$RUNTIME\" --root \"$ROOT\" run --preserve-fds 1 --bundle \"$B\" c-fds"
expect_grep "--preserve-fds naming a closed fd is refused" "fd 5 is not open" \
        rt run --preserve-fds 3 --bundle "$B" c-fds2 3</dev/null 4</dev/null
args 'exec sleep 100'
expect_status "run --detach returns" 0 timeout 20 "$RUNTIME" --root "$ROOT" run -d --bundle "$B" --pid-file "$TEST_TMPDIR/det.pid" c-det </dev/null
expect_grep "run --detach: running" '"status": ?"running"' rt state c-det
expect_eq "run --detach: the pid file names the container" "$(cat "$TEST_TMPDIR/det.pid" 2>/dev/null)" \
        "$(rt state c-det | python3 -c 'import json,sys; print(json.load(sys.stdin)["pid"])')"
rt delete --force c-det >/dev/null 2>&1

# ---- exec: the same namespaces, hostname, rlimits and filter as the container's program
cfg "$USR_PROBE; c['hostname'] = 'exec-box'
c['process']['rlimits'] = [{'type': 'RLIMIT_NOFILE', 'hard': 77, 'soft': 77}]
c['linux']['seccomp'] = {'defaultAction': 'SCMP_ACT_ALLOW', 'syscalls': [{'names': ['mkdir', 'mkdirat'], 'action': 'SCMP_ACT_ERRNO'}]}
c['process']['args'] = ['sh', '-c', 'for n in pid user net ipc uts mnt cgroup; do readlink /proc/self/ns/\$n; done >/tmp/ns; exec sleep 100']"
rt create --bundle "$B" c-ex >/dev/null 2>&1 </dev/null
rt start c-ex
wait_for 10 test "$(rt exec c-ex sh -c 'wc -l </tmp/ns' 2>/dev/null)" = 7
nsx='for n in pid user net ipc uts mnt cgroup; do readlink /proc/self/ns/$n; done >/tmp/ns.x; cmp /tmp/ns /tmp/ns.x && echo same'
expect_output "exec joins every namespace of the container" same rt exec c-ex sh -c "$nsx"
expect_output "exec: the container's hostname" exec-box rt exec c-ex hostname
expect_output "exec: the container's rlimits" 77 rt exec c-ex sh -c 'ulimit -n'
expect_output "exec: uid inside ($AIRLOCK_TEST_PHASE)" "$want_uid" rt exec c-ex id -u
expect_output "exec: no capability, no_new_privs, a seccomp filter" "CapEff:	0000000000000000
NoNewPrivs:	1
Seccomp:	2" rt exec c-ex grep -E '^(CapEff|NoNewPrivs|Seccomp):' /proc/self/status
expect_grep "exec: the spec's seccomp refuses mkdir" "create directory.*Operation not permitted" \
        rt exec c-ex mkdir /tmp/d
expect_grep "exec: airlock's seccomp refuses mknod of a device" "mknod: denied \(EPERM\) seccomp=2" \
        rt exec c-ex /probe mknod
expect_grep "exec: TIOCSTI stays refused" "tiocsti: denied" rt exec c-ex /probe tiocsti
expect_grep "exec: Landlock keeps the read-only root read-only" "Read-only file system|Permission denied" \
        rt exec c-ex touch /bin/x
expect_status "exec passes the exit status" 7 rt exec c-ex sh -c 'exit 7'
# An fd the engine left open (here 7, not close-on-exec) does not reach the process: only
# its stdio and ls's own folder fd are there.
with_fd7() { "$@" 7</dev/null; }
expect_output "exec: no fd of the caller reaches the process" "0 1 2 3" \
        with_fd7 rt exec c-ex sh -c 'ls /proc/self/fd | tr "\n" " " | sed "s/ $//"'
expect_grep "exec of a missing program says so" "cannot run /nope" rt exec c-ex /nope
cat >"$TEST_TMPDIR/process.json" <<'JSON'
{"args": ["sh", "-c", "echo $FOO; pwd"], "env": ["FOO=from process.json", "PATH=/bin"], "cwd": "/bin",
 "user": {"uid": 0, "gid": 0}, "terminal": false}
JSON
expect_output "exec --process F: args, env and cwd" "from process.json
/bin" rt exec --process "$TEST_TMPDIR/process.json" c-ex
# runc's exec options: --env and --cwd; --user the container's own ids (its user namespace
# maps one uid and one gid), another named; --cap refused by name (--process names them);
# --no-new-privs sets it where the spec does not
expect_output "exec --env and --cwd" "bar
/bin" rt exec --env FOO=bar --cwd /bin c-ex sh -c 'echo $FOO; pwd'
expect_output "exec --user: the container's own user" "$want_uid" rt exec --user 0:0 c-ex id -u
expect_grep "exec --user: another uid is named" "user 1234:1234: the container maps only uid $want_uid and gid 0" \
        rt exec --user 1234:1234 c-ex id -u
expect_grep "exec --user: not a number" "--user nobody: expected UID" rt exec --user nobody c-ex id -u
expect_grep "exec --cap: refused by name" "exec --cap CAP_SYS_ADMIN: not supported" \
        rt exec --cap CAP_SYS_ADMIN c-ex true
expect_output "exec --no-new-privs" "NoNewPrivs:	1" rt exec --no-new-privs c-ex grep NoNewPrivs /proc/self/status
expect_status "exec --detach" 0 rt exec -d --pid-file "$TEST_TMPDIR/ex.pid" c-ex sleep 60
xpid=$(cat "$TEST_TMPDIR/ex.pid" 2>/dev/null)
expect_grep "exec: the pid file names a process in the container's pid namespace" \
        '^NSpid:[[:space:]]+[0-9]+[[:space:]]+[0-9]+$' grep NSpid "/proc/$xpid/status"
expect_grep "ps --format json lists the exec'd process" "[[,]$xpid[],]" rt ps --format json c-ex
keeper=$(rt state c-ex | python3 -c 'import json,sys; print(json.load(sys.stdin)["pid"])')
expect_grep "ps --format json lists the container's process" "[[,]$keeper[],]" rt ps --format json c-ex
expect_grep "ps: ps's table cut to the container" "^ *[^ ]+ +$xpid " rt ps c-ex
table=$(rt ps c-ex -e -o pid,args | tail -n +2 | awk '{print $1}' | sort -n | tr '\n' ,)
json=$(rt ps --format json c-ex | python3 -c 'import json,sys; print("".join("%d," % p for p in sorted(json.load(sys.stdin))))')
expect_eq "ps: the table has the same processes as the JSON (4: keeper, init, program, exec)" "$json 4" "$table $(echo "$json" | tr , '\n' | grep -c .)"
rt kill c-ex KILL
wait_for 10 sh -c "\"$RUNTIME\" --root \"$ROOT\" state c-ex | grep -q stopped"
expect_grep "exec in a stopped container is refused" "stopped: cannot exec" rt exec c-ex true
expect_output "ps of a stopped container: none" "[]" rt ps --format json c-ex
if [ -n "$xpid" ] && wait_for 10 sh -c "! kill -0 $xpid 2>/dev/null"; then pass "the exec'd process ends with the container"; else fail "the exec'd process ends with the container" "$xpid still runs"; fi
rt delete c-ex >/dev/null 2>&1

# exec with a terminal: the master to the console socket, as create's
cfg "c['process']['args'] = ['sleep', '100']"
rt run -d --bundle "$B" c-ext >/dev/null 2>&1 </dev/null
console_server "$CS.3" "$TEST_TMPDIR/console3.out"
rt exec -t --console-socket "$CS.3" c-ext sh -c 'tty; [ -t 0 ] && echo stdin-tty' >/dev/null 2>&1
wait "$CONSOLE_PID"
expect_grep "exec -t: a pty of the container" '^/dev/pts/[0-9]+' tr -d '\r' <"$TEST_TMPDIR/console3.out"
expect_grep "exec -t: stdin is the terminal" '^stdin-tty' tr -d '\r' <"$TEST_TMPDIR/console3.out"
rt delete --force c-ext >/dev/null 2>&1

# ---- process.oomScoreAdj (raising needs no privilege; lowering needs CAP_SYS_RESOURCE) and
# linux.sysctl (the host's are refused, by name)
cfg "c['process']['oomScoreAdj'] = 500; c['process']['args'] = ['sleep', '100']"
rt run -d --bundle "$B" c-oom >/dev/null 2>&1 </dev/null
expect_output "process.oomScoreAdj reaches the exec'd process" 500 rt exec c-oom cat /proc/self/oom_score_adj
keeper=$(rt state c-oom | python3 -c 'import json,sys; print(json.load(sys.stdin)["pid"])')
expect_output "process.oomScoreAdj reaches the container" "500" cat "/proc/$keeper/oom_score_adj"
rt delete --force c-oom >/dev/null 2>&1
cfg "c['process']['oomScoreAdj'] = 2000"
expect_grep "an oomScoreAdj out of range is named" "process\.oomScoreAdj: expected" rt run --bundle "$B" c-oom2
cfg "c['linux']['sysctl'] = {'vm.swappiness': '10'}"
expect_grep "a host sysctl is refused by name" "linux\.sysctl\.vm\.swappiness: not a sysctl of the container" \
        rt run --bundle "$B" c-sysctl
# the namespaced ones are the container's own, set before its program runs (run, and
# create+start); the host's values stay
host_sysctl() { cat /proc/sys/net/ipv4/ip_unprivileged_port_start /proc/sys/kernel/shmmax \
        /proc/sys/fs/mqueue/msg_max; hostname; }
host_before=$(host_sysctl)
cfg "c['linux']['sysctl'] = {'net.ipv4.ip_unprivileged_port_start': '0', 'kernel.shmmax': '12345678',
  'fs.mqueue.msg_max': '20', 'kernel.hostname': 'sysctl-box', 'net.ipv4.conf.lo.forwarding': '1'}
c['process']['args'] = ['sh', '-c', 'cat /proc/sys/net/ipv4/ip_unprivileged_port_start /proc/sys/kernel/shmmax /proc/sys/fs/mqueue/msg_max /proc/sys/net/ipv4/conf/lo/forwarding; hostname']"
want_sysctl="0
12345678
20
1
sysctl-box"
expect_output "linux.sysctl: net, ipc, mqueue and uts keys in the container (run)" "$want_sysctl" \
        rt run --bundle "$B" c-sysctl2
rt create --bundle "$B" c-sysctl3 >"$TEST_TMPDIR/sysctl3.out" 2>&1 </dev/null
rt start c-sysctl3
wait_for 10 sh -c "grep -q sysctl-box '$TEST_TMPDIR/sysctl3.out'"
expect_output "linux.sysctl: in the container (create, start)" "$want_sysctl" cat "$TEST_TMPDIR/sysctl3.out"
rt delete --force c-sysctl3 >/dev/null 2>&1
expect_output "linux.sysctl: the host's values stay" "$host_before" host_sysctl
cfg "c['linux']['sysctl'] = {'net.ipv4.no_such_key': '1'}"
expect_grep "a sysctl that cannot be set is named, and the container does not run" \
        "linux\.sysctl\.net\.ipv4\.no_such_key: cannot set 1: No such file" rt run --bundle "$B" c-sysctl4
expect_status "a sysctl that cannot be set fails run" 1 rt run --bundle "$B" c-sysctl5
cfg "c['linux']['sysctl'] = {'net.ipv4.ip_forward': '1'}
c['linux']['namespaces'] = [n for n in c['linux']['namespaces'] if n['type'] != 'network']
c['annotations'] = {'airlock.allow-privileged': 'true'}"
expect_grep "a net sysctl with the host's network namespace is refused" \
        "linux\.sysctl\.net\.ipv4\.ip_forward: the container shares the host's network" \
        rt run --bundle "$B" c-sysctl6

# ---- linux.namespaces with a path: the network's is joined (root: setns into another network
# namespace needs CAP_SYS_ADMIN where the caller is); the host's is refused by the baseline;
# another type is named
unshare -r -n -u -i -m sleep 60 &
NSPID=$!
wait_for 10 sh -c "[ \"\$(readlink /proc/$NSPID/ns/net)\" != \"\$(readlink /proc/self/ns/net)\" ]"
cfg "c['linux']['namespaces'] = [n for n in c['linux']['namespaces'] if n['type'] != 'network'] + [{'type': 'network', 'path': '/proc/$NSPID/ns/net'}]
c['process']['args'] = ['readlink', '/proc/self/ns/net']"
if is_root; then
        expect_output "a network namespace path is joined" "$(readlink /proc/$NSPID/ns/net)" rt run --bundle "$B" c-netns
else
        expect_grep "joining a network namespace needs privilege, and says so" \
                "cannot join the network namespace /proc/$NSPID/ns/net: Operation not permitted" rt run --bundle "$B" c-netns
fi
cfg "c['linux']['namespaces'] = [n for n in c['linux']['namespaces'] if n['type'] != 'network'] + [{'type': 'network', 'path': '/proc/$$/ns/net'}]"
expect_grep "the host's network namespace by path is refused" "rule host-namespaces: .*network" rt run --bundle "$B" c-hostnet
# ipc and uts by path: joined the same way (root; a user lacks CAP_SYS_ADMIN over them), the
# host name left as that namespace has it; a hostname with them is named; mount by path named
cfg "c['linux']['namespaces'] = [n if n['type'] not in ('ipc', 'uts') else {'type': n['type'], 'path': '/proc/$NSPID/ns/' + n['type']} for n in c['linux']['namespaces']]
del c['hostname']
c['process']['args'] = ['sh', '-c', 'readlink /proc/self/ns/ipc; readlink /proc/self/ns/uts; hostname']"
if is_root; then
        expect_output "ipc and uts namespaces by path are joined" "$(readlink /proc/$NSPID/ns/ipc)
$(readlink /proc/$NSPID/ns/uts)
$(nsenter -t "$NSPID" -u hostname)" rt run --bundle "$B" c-utsns
else
        expect_grep "joining an ipc namespace needs privilege, and says so" \
                "cannot join the ipc namespace /proc/$NSPID/ns/ipc: Operation not permitted" rt run --bundle "$B" c-utsns
fi
cfg "c['linux']['namespaces'] = [n if n['type'] != 'uts' else {'type': 'uts', 'path': '/proc/$NSPID/ns/uts'} for n in c['linux']['namespaces']]"
expect_grep "a hostname in a uts namespace joined by path is named" \
        "hostname: cannot be set in a uts namespace joined by path" rt run --bundle "$B" c-utsns2
cfg "c['linux']['namespaces'] = [n if n['type'] != 'mount' else {'type': 'mount', 'path': '/proc/$NSPID/ns/mnt'} for n in c['linux']['namespaces']]"
expect_grep "a mount namespace by path not of the container's user namespace is refused, named" "the mount namespace /proc/$NSPID/ns/mnt does not belong to" \
        rt run --bundle "$B" c-mntns
kill "$NSPID"
wait "$NSPID" 2>/dev/null

# ---- linux.uidMappings/gidMappings: the one mapping airlock makes is accepted, one without
# the other named (several ranges: oci-ids.sh)
if is_root; then map_u="0, 65534"; map_g="0, 65534"; else map_u="0, $(id -u)"; map_g="0, $(id -g)"; fi
cfg "c['linux']['uidMappings'] = [dict(zip(['containerID', 'hostID', 'size'], [$map_u, 1]))]
c['linux']['gidMappings'] = [dict(zip(['containerID', 'hostID', 'size'], [$map_g, 1]))]
c['process']['args'] = ['id', '-u']"
expect_output "the mapping airlock makes is accepted" "$want_uid" rt run --bundle "$B" c-map
cfg "c['linux']['uidMappings'] = [{'containerID': 0, 'hostID': 100000, 'size': 65536}]"
expect_grep "a uid mapping without a gid mapping is named" "linux\.gidMappings: needed with the other one" rt run --bundle "$B" c-map2

# ---- podman run -t (root: rootless podman needs /etc/subuid ranges the suite's user lacks)
if is_root; then
        pm_setup
        tar -C "$B/rootfs" -cf "$PT/bb.tar" .
        pm import "$PT/bb.tar" localhost/airlock-bbx:test >/dev/null 2>&1 || fail "podman import" "status $?"
        # shellcheck disable=SC2086
        out=$(pm run --rm -t $PO localhost/airlock-bbx:test sh -c 'tty; [ -t 0 ] && echo stdin-tty' </dev/null 2>&1 | tr -d '\r')
        expect_grep "podman run -t: a /dev/pts terminal" '^/dev/pts/[0-9]+$' printf '%s\n' "$out"
        expect_grep "podman run -t: stdin is the terminal" '^stdin-tty$' printf '%s\n' "$out"
        # shellcheck disable=SC2086
        pm run -d --name airlock-bbx-e $PO --security-opt no-new-privileges --hostname pm-box localhost/airlock-bbx:test sleep 100 >/dev/null 2>&1
        expect_output "podman exec: the container's hostname" pm-box pm exec airlock-bbx-e hostname
        expect_output "podman exec: confined" "NoNewPrivs:	1
Seccomp:	2" pm exec airlock-bbx-e grep -E '^(NoNewPrivs|Seccomp):' /proc/self/status
        # shellcheck disable=SC2086
        expect_output "podman run --sysctl: in the container" 4096 \
                pm run --rm $PO --sysctl kernel.shmmax=4096 localhost/airlock-bbx:test cat /proc/sys/kernel/shmmax
        expect_status "podman exec: the exit status" 3 pm exec airlock-bbx-e sh -c 'exit 3'
        out=$(pm exec -t airlock-bbx-e tty </dev/null 2>&1 | tr -d '\r')
        expect_grep "podman exec -t: a terminal" '^/dev/pts/[0-9]+$' printf '%s\n' "$out"
        pm rm -f -t 0 airlock-bbx-e >/dev/null 2>&1
fi
[ -n "$PT" ] && pm_cleanup
exit 0
