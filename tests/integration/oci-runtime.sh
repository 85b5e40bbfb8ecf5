#!/bin/sh
# airlock-runtime, the OCI runtime (issue 13): a bundle made from Debian's busybox-static with
# "airlock-runtime spec", the lifecycle (create, start, state, kill, delete, run), what the
# spec asks for reaching the container (stdio, exit status, pid file, hostname, env, cwd,
# rlimits, read-only root, masked paths, memory limit, seccomp), errors that name the field,
# and the Pod Security baseline refusing privileged specs unless annotated. As root the
# container's uid 0 is root in its own user namespace, mapped to 65534 (as a user, to the
# caller).
. "$AIRLOCK_SRC/tests/lib.sh"

. "$AIRLOCK_SRC/tests/integration/oci-runtime.lib"

B=$TEST_TMPDIR/bundle
oci_require_busybox
mkdir -p "$B"
expect_status "spec writes config.json" 0 oci_bundle "$B"
expect_status "spec refuses to overwrite" 1 "$RUNTIME" spec --bundle "$B"
expect_status "spec is JSON" 0 python3 -m json.tool "$B/config.json"

# ---- run: stdio, exit status, identity, hostname, env, cwd, rlimits
args 'echo out; echo err >&2; exit 3'
rt run --bundle "$B" c-run >"$TEST_TMPDIR/out" 2>"$TEST_TMPDIR/err"
expect_eq "run passes the exit status" 3 "$?"
expect_eq "run passes stdout" out "$(cat "$TEST_TMPDIR/out")"
expect_grep "run passes stderr" '^err$' cat "$TEST_TMPDIR/err"
expect_status "run deletes its state" 1 rt state c-run
want_uid=0 # root inside its user namespace (mapped to 65534 when root starts it)
args 'id -u'
expect_output "uid inside ($AIRLOCK_TEST_PHASE)" "$want_uid" rt run --bundle "$B" c-uid
cfg "c['hostname'] = 'oci-box'; c['process']['args'] = ['hostname']"
expect_output "hostname from the spec" oci-box rt run --bundle "$B" c-host
cfg "c['process']['env'].append('GREETING=hi there'); c['process']['cwd'] = '/bin'
c['process']['args'] = ['sh', '-c', 'echo \$GREETING; pwd']"
expect_output "env and cwd from the spec" "hi there
/bin" rt run --bundle "$B" c-env
cfg "c['process']['rlimits'] = [{'type': 'RLIMIT_NOFILE', 'hard': 64, 'soft': 64}]
c['process']['args'] = ['sh', '-c', 'ulimit -n']"
expect_output "rlimits from the spec" 64 rt run --bundle "$B" c-rlimit
# airlock's own defaults (no core file, 1024 files...) apply only where the spec sets nothing:
# a hard limit lowered to the default first could not be raised to the spec's again
core_hard=$(ulimit -H -c)
if [ "$core_hard" = unlimited ] || [ "$core_hard" -ge 16384 ]; then
        cfg "c['process']['rlimits'] = [{'type': 'RLIMIT_CORE', 'hard': 8388608, 'soft': 4194304}]
c['process']['args'] = ['sh', '-c', 'ulimit -S -c; ulimit -H -c']"
        # busybox's ulimit -c counts 512-byte blocks
        expect_output "RLIMIT_CORE from the spec, not airlock's default 0" "8192
16384" rt run --bundle "$B" c-core
else
        fail "RLIMIT_CORE from the spec" "the caller's hard core limit $core_hard is below 8 MiB"
fi
cfg "c['process']['args'] = ['sh', '-c', 'ulimit -H -c']"
expect_output "RLIMIT_CORE by default: no core file" 0 rt run --bundle "$B" c-core0

# ---- create, start, state, kill, delete
args 'read line; echo "got $line"; exec sleep 60'
(echo ping | rt create --bundle "$B" --pid-file "$TEST_TMPDIR/pid" c-life \
        >"$TEST_TMPDIR/life.out" 2>"$TEST_TMPDIR/life.err")
expect_eq "create exits 0" 0 "$?"
pid=$(cat "$TEST_TMPDIR/pid" 2>/dev/null)
rt state c-life >"$TEST_TMPDIR/state.json"
expect_eq "state after create" "created c-life $pid $B {}" "$(python3 -c '
import json, sys
s = json.load(open(sys.argv[1]))
print(s["status"], s["id"], s["pid"], s["bundle"], json.dumps(s["annotations"]), end="")
assert s["ociVersion"].startswith("1.")' "$TEST_TMPDIR/state.json")"
expect_eq "created container has not run yet" "" "$(cat "$TEST_TMPDIR/life.out")"
if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then pass "pid file names a live process"; else fail "pid file names a live process" "pid '$pid'"; fi
expect_status "start" 0 rt start c-life
if wait_for 10 grep -q "got ping" "$TEST_TMPDIR/life.out"; then pass "started container reads stdin, writes stdout"; else fail "started container reads stdin, writes stdout" "$(cat "$TEST_TMPDIR/life.out" "$TEST_TMPDIR/life.err")"; fi
expect_grep "state: running" '"status": ?"running"' rt state c-life
expect_status "start twice is refused" 1 rt start c-life
expect_status "delete refuses a running container" 1 rt delete c-life
expect_status "kill TERM" 0 rt kill c-life TERM
stopped() { rt state c-life 2>/dev/null | grep -Eq '"status": ?"stopped"'; }
if wait_for 10 stopped; then pass "state: stopped after kill"; else fail "state: stopped after kill" "$(rt state c-life 2>&1)"; fi
expect_status "kill of a stopped container fails" 1 rt kill c-life KILL
expect_status "delete" 0 rt delete c-life
expect_status "state of a deleted container fails" 1 rt state c-life
if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then pass "the container process is gone"; else fail "the container process is gone" "pid '$pid' still there"; fi

# SIGKILL of the container's process ends everything in it (nothing is left to forward it)
token="sleep 1$$7"
# has_token: a process runs "sleep 1PID7" (read without a grep that would hold it itself)
has_token() {
        for _f in /proc/[0-9]*/cmdline; do
                case "$( (tr '\0' ' ' <"$_f") 2>/dev/null)" in "$token "*) return 0 ;; esac
        done
        return 1
}
no_token() { ! has_token; }
args "exec $token"
rt create --bundle "$B" c-kill >/dev/null 2>&1 </dev/null
rt start c-kill
if wait_for 10 has_token; then pass "the program runs after start"; else fail "the program runs after start" "no $token"; fi
expect_status "kill KILL" 0 rt kill c-kill KILL
if wait_for 10 no_token; then pass "SIGKILL ends the program in the sandbox"; else fail "SIGKILL ends the program in the sandbox" "$token still runs"; fi
# An engine deletes once the pid it was given has ended (conmon and the shim wait for it):
# the keeper tears the sandbox down after the program is gone, so wait for "stopped" too.
kill_stopped() { rt state c-kill 2>/dev/null | grep -Eq '"status": ?"stopped"'; }
wait_for 10 kill_stopped || fail "state after kill: stopped" "$(rt state c-kill 2>&1 | head -c 300)"
expect_status "delete after kill" 0 rt delete c-kill

args 'exec sleep 60'
rt create --bundle "$B" c-force >/dev/null 2>&1 </dev/null
expect_status "delete --force of a created container" 0 rt delete --force c-force
expect_status "create refuses a bad id" 1 rt create --bundle "$B" ../escape
ls "$ROOT" >"$TEST_TMPDIR/left"
expect_eq "no state left behind" "" "$(cat "$TEST_TMPDIR/left")"

# ---- the file system
args 'touch /bin/new-file'
expect_grep "read-only root refuses writes" "Read-only file system" rt run --bundle "$B" c-ro
cfg "c['root']['readonly'] = False; c['process']['args'] = ['touch', '/bin/new-file']"
if rt run --bundle "$B" c-rw >"$TEST_TMPDIR/rw.out" 2>&1 || ! grep -q "Read-only" "$TEST_TMPDIR/rw.out"; then
        pass "writable root is not read-only"
else
        fail "writable root is not read-only" "$(cat "$TEST_TMPDIR/rw.out")"
fi
rm -f "$B/rootfs/bin/new-file"
if [ -r /proc/timer_list ] || [ -e /proc/kcore ]; then
        args 'for f in /proc/kcore /proc/timer_list; do [ ! -e $f ] || head -c 100 $f; done | wc -c'
        expect_output "masked paths read empty" 0 rt run --bundle "$B" c-mask
fi
args 'echo x >/dev/null && echo x >/tmp/f && cat /tmp/f'
expect_output "/dev/null and /tmp are writable" x rt run --bundle "$B" c-dev
args 'echo x >/proc/sys/kernel/hostname'
expect_grep "readonly paths stay read-only" "Read-only file system|Permission denied" rt run --bundle "$B" c-rop

# a link the container could have planted in its writable root is not followed by the host
mkdir -p "$B/rootfs/data"
ln -s / "$B/rootfs/data/link"
cfg "c['root']['readonly'] = False; c['linux']['readonlyPaths'] = ['/data/link']; c['process']['args'] = ['ls', '/data/link/']"
expect_grep "a planted link in the root is not followed" "symbolic link in a folder that sandboxes can write" rt run --bundle "$B" c-link
rm -rf "$B/rootfs/data"

# ---- resources and seccomp
grab='x=$(head -c 200000000 /dev/zero | tr "\\0" a); echo ${#x}'
cfg "c['linux']['resources']['memory'] = {'limit': 48 << 20}; c['process']['args'] = ['sh', '-c', '''$grab''']"
rt run --bundle "$B" c-mem >"$TEST_TMPDIR/mem.out" 2>&1
rc=$?
if [ "$rc" != 0 ] && ! grep -q '^200000000$' "$TEST_TMPDIR/mem.out"; then pass "memory limit stops a 200 MB shell"; else fail "memory limit stops a 200 MB shell" "status $rc: $(head -c 300 "$TEST_TMPDIR/mem.out")"; fi
cfg "c['linux']['resources']['memory'] = {'limit': 1 << 30}; c['process']['args'] = ['sh', '-c', '''$grab''']"
expect_output "a 1 GB limit lets it through" 200000000 rt run --bundle "$B" c-mem2
cfg "c['linux']['seccomp'] = {'defaultAction': 'SCMP_ACT_ALLOW', 'syscalls': [{'names': ['mkdir', 'mkdirat'], 'action': 'SCMP_ACT_ERRNO'}]}
c['process']['args'] = ['mkdir', '/tmp/d']"
expect_grep "the spec's seccomp applies" "Operation not permitted" rt run --bundle "$B" c-sc
args 'mkdir /tmp/d && echo made'
expect_output "without it mkdir works" made rt run --bundle "$B" c-sc2

# ---- errors that name the field
cfg "c['linux']['devices'] = [{'path': '/dev/fuse', 'type': 'c', 'major': 10, 'minor': 230}]"
expect_grep "unsupported field is named" "linux\.devices" rt run --bundle "$B" c-err
# (a property the specification does not define is ignored: oci-compat.sh)
cfg "c['process']['scheduler'] = {'policy': 'SCHED_OTHER'}"
expect_grep "a field not carried out is named" "process\.scheduler: not supported" rt run --bundle "$B" c-err2
cfg "c['linux']['namespaces'][0]['path'] = '/proc/$$/ns/pid'"
expect_grep "a path to the host's pid namespace is the host's" "rule host-namespaces: .*pid" rt run --bundle "$B" c-err3
expect_grep "--systemd-cgroup is refused" "not supported" "$RUNTIME" --root "$ROOT" --systemd-cgroup state x
"$RUNTIME" --root "$ROOT" --log "$TEST_TMPDIR/log.json" --log-format json state no-such >/dev/null 2>&1
expect_status "--log-format json writes runc's JSON lines" 0 python3 -c '
import json, sys
lines = open(sys.argv[1]).read().splitlines()
assert lines, "no line"
for l in lines:
    e = json.loads(l)
    assert e["level"] == "error" and "no-such" in e["msg"] and e["time"], e' "$TEST_TMPDIR/log.json"

# ---- the Pod Security baseline
args 'echo ran'
cfg "c['process']['capabilities'] = {'bounding': ['CAP_SYS_ADMIN']}; c['process']['args'] = ['echo', 'ran']"
expect_grep "CAP_SYS_ADMIN is refused, rule named" "baseline, rule capabilities: CAP_SYS_ADMIN" rt run --bundle "$B" c-priv
cfg "c['process']['capabilities'] = {'bounding': ['CAP_SYS_ADMIN']}; c['process']['args'] = ['echo', 'ran']
c['annotations'] = {'airlock.allow-privileged': 'true'}"
expect_output "the annotation lets it run" ran rt run --bundle "$B" c-priv2
cfg "c['linux']['namespaces'] = [n for n in c['linux']['namespaces'] if n['type'] != 'network']"
expect_grep "host network is refused" "rule host-namespaces: .*network" rt run --bundle "$B" c-net
cfg "c['mounts'].append({'destination': '/host', 'type': 'bind', 'source': '/', 'options': ['rbind', 'ro']})"
expect_grep "a bind of / is refused" "rule host-path" rt run --bundle "$B" c-hp
# A relative source is the bundle's (as runc resolves it), not the runtime's working folder:
# one that climbs to / or to /proc, run from a folder deeper than the bundle; and type "none",
# which airlock-runtime binds too. Each bound the host's root on main before podsec.c.
up=$(echo "${B#/}" | sed 's|[^/][^/]*|..|g')
deep=$TEST_TMPDIR/d1/d2/d3/d4/d5/d6/d7/d8/d9/d10
mkdir -p "$deep"
for src in "$up" "./$up/." "$up/proc"; do
        cfg "c['mounts'].append({'destination': '/host', 'type': 'bind', 'source': '$src', 'options': ['rbind', 'ro']})
c['process']['args'] = ['ls', '/host']"
        expect_grep "a relative bind source $src is the bundle's: refused" \
                "rule host-path: mounts bind the host's /.*mounts\[5\]\.source" \
                sh -c 'cd "$1" && shift && "$@"' sh "$deep" "$RUNTIME" --root "$ROOT" run --bundle "$B" c-rel
done
cfg "c['mounts'].append({'destination': '/host', 'type': 'none', 'source': '/'})
c['process']['args'] = ['ls', '/host']"
expect_grep "a bind of / with type none is refused" "rule host-path: mounts bind the host's / " \
        rt run --bundle "$B" c-none
cfg "c['linux']['seccomp'] = {'defaultAction': 'SCMP_ACT_ALLOW'}"
expect_grep "unconfined seccomp is refused" "rule seccomp" rt run --bundle "$B" c-sec

expect_grep "--version" "^airlock-runtime version" "$RUNTIME" --version
expect_status "features is JSON" 0 sh -c "\"$RUNTIME\" features | python3 -m json.tool"

# ---- podman with --runtime airlock-runtime, on an image imported from the busybox rootfs.
# Rootful only: rootless podman needs /etc/subuid ranges that the suite's user lacks. The
# machine's quirks: no CAP_SYS_RESOURCE (limits within the hard ones), CAP_NET_RAW dropped
# (beyond the baseline); podman's default sysctl is carried out (oci-runtime.lib).
if is_root; then
        if ! command -v podman >/dev/null; then
                fail "podman" "podman is missing (scripts/deps.sh)"
                exit 0
        fi
        pm_setup
        tar -C "$B/rootfs" -cf "$PT/bb.tar" .
        expect_status "podman import" 0 pm import "$PT/bb.tar" localhost/airlock-bb:test
        # shellcheck disable=SC2086
        expect_output "podman run through airlock-runtime" "hi box" \
                pm run --rm $PO --hostname box localhost/airlock-bb:test sh -c 'echo hi $(hostname)'
        # shellcheck disable=SC2086
        expect_status "podman run passes the exit status" 5 \
                pm run --rm $PO localhost/airlock-bb:test sh -c 'exit 5'
        # shellcheck disable=SC2086
        expect_status "podman --memory stops a 200 MB shell" 137 pm run --rm $PO --memory 48m \
                localhost/airlock-bb:test sh -c "$grab"
        # shellcheck disable=SC2086
        expect_grep "podman --read-only" "Read-only file system" pm run --rm $PO --read-only \
                localhost/airlock-bb:test touch /bin/x
        # shellcheck disable=SC2086
        pm run -d --name airlock-bb-s1 $PO localhost/airlock-bb:test sleep 100 >/dev/null 2>&1
        expect_grep "podman ps shows it running" "airlock-bb-s1 Up" pm ps --format '{{.Names}} {{.Status}}'
        expect_status "podman stop" 0 pm stop -t 5 airlock-bb-s1
        expect_status "podman rm" 0 pm rm airlock-bb-s1
        # shellcheck disable=SC2086
        expect_grep "podman --privileged is refused, rule named" "Pod Security baseline" \
                pm run --rm $PO --privileged localhost/airlock-bb:test true
        pm_cleanup
fi
