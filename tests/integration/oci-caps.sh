#!/bin/sh
# airlock-runtime's container root (issue 13), as rootless podman's: uid 0 is root in the
# container's own user namespace (mapped to 65534 when root starts it, to the caller when a
# user does), holding the spec's capabilities there, with process.noNewPrivileges honoured and
# airlock's seccomp filter still loaded. Then what those capabilities must not reach: host
# files outside the binds (a root-owned folder bound read-write stays unwritable, a root-owned
# file unreadable despite CAP_DAC_OVERRIDE), device nodes (CAP_MKNOD), another host uid
# (CAP_SETUID), and, with every capability (airlock.allow-privileged=true), kernel modules,
# mounts of the host's file systems, the host's name and network, host processes (ptrace)
# and a chroot escape. airlock inspect rates such a container's capabilities as its own user
# namespace's, not the host's.
. "$AIRLOCK_SRC/tests/lib.sh"
. "$AIRLOCK_SRC/tests/integration/oci-runtime.lib"

B=$TEST_TMPDIR/bundle
oci_require_busybox
mkdir -p "$B"
oci_bundle "$B" >/dev/null || fail "bundle" "cannot make the bundle"
started=""
cleanup() {
        rt delete --force c-held >/dev/null 2>&1
        for p in $started; do kill "$p" 2>/dev/null; done
        wait 2>/dev/null
}
trap cleanup EXIT INT TERM

BASELINE="['CAP_AUDIT_WRITE', 'CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_FOWNER', 'CAP_FSETID',
'CAP_KILL', 'CAP_MKNOD', 'CAP_NET_BIND_SERVICE', 'CAP_SETFCAP', 'CAP_SETGID', 'CAP_SETPCAP',
'CAP_SETUID', 'CAP_SYS_CHROOT']"
BASELINE_MASK=00000000a80405fb
# caps_cfg CAPS NO_NEW_PRIVS SHELL-TEXT [PYTHON]: every set CAPS, the program sh -c SHELL-TEXT
caps_cfg() {
        cfg "c['process']['capabilities'] = {s: $1 for s in ('bounding', 'effective', 'permitted', 'inheritable', 'ambient')}
c['process']['noNewPrivileges'] = $2
c['process']['args'] = ['sh', '-c', '''$3''']
${4:-}"
}
# every capability this kernel has, with the annotation that lets a spec ask for them
ALL="['CAP_' + n for n in '''CHOWN DAC_OVERRIDE DAC_READ_SEARCH FOWNER FSETID KILL SETGID SETUID
SETPCAP LINUX_IMMUTABLE NET_BIND_SERVICE NET_BROADCAST NET_ADMIN NET_RAW IPC_LOCK IPC_OWNER
SYS_MODULE SYS_RAWIO SYS_CHROOT SYS_PTRACE SYS_PACCT SYS_ADMIN SYS_BOOT SYS_NICE SYS_RESOURCE
SYS_TIME SYS_TTY_CONFIG MKNOD LEASE AUDIT_WRITE AUDIT_CONTROL SETFCAP MAC_OVERRIDE MAC_ADMIN
SYSLOG WAKE_ALARM BLOCK_SUSPEND AUDIT_READ'''.split()]"
PRIV="c['annotations'] = {'airlock.allow-privileged': 'true'}"
if is_root; then outside=65534; else outside=$(id -u); fi

# ---- identity and capabilities
caps_cfg "$BASELINE" False 'id -u; tr -s " " </proc/self/uid_map | sed "s/^ //"
grep -E "^(CapEff|CapPrm|CapBnd|CapAmb|NoNewPrivs|Seccomp):" /proc/self/status'
expect_output "root in its own user namespace, the spec's capabilities there, seccomp" "0
0 $outside 1
CapPrm:	$BASELINE_MASK
CapEff:	$BASELINE_MASK
CapBnd:	$BASELINE_MASK
CapAmb:	$BASELINE_MASK
NoNewPrivs:	0
Seccomp:	2" rt run --bundle "$B" c-id
caps_cfg "['CAP_KILL']" True 'grep -E "^(CapEff|CapBnd|NoNewPrivs):" /proc/self/status'
expect_output "noNewPrivileges true and fewer capabilities: as the spec says" "CapEff:	0000000000000020
CapBnd:	0000000000000020
NoNewPrivs:	1" rt run --bundle "$B" c-nnp
cfg "c['process']['args'] = ['grep', '-E', '^(CapEff|CapBnd):', '/proc/self/status']
del c['process']['noNewPrivileges']"
expect_output "no capabilities in the spec: none" "CapEff:	0000000000000000
CapBnd:	0000000000000000" rt run --bundle "$B" c-none
caps_cfg "['CAP_NOT_ONE']" False 'true'
expect_grep "an unknown capability is named" "process.capabilities.bounding: unknown capability CAP_NOT_ONE" \
        rt run --bundle "$B" c-bad
caps_cfg "['CAP_SYS_ADMIN']" False 'true'
expect_grep "beyond the baseline still refused" "baseline, rule capabilities: CAP_SYS_ADMIN" \
        rt run --bundle "$B" c-sysadmin

# ---- host files: a root-owned folder bound read-write, a root-owned file (not idmapped)
if is_root; then
        H=$TEST_TMPDIR/hostroot
        mkdir -p "$H"
        echo secret >"$H/secret"
        chown 0:0 "$H" "$H/secret"
        chmod 755 "$H"
        chmod 600 "$H/secret"
else
        H=/etc # root's: a user's container cannot have more than the user
fi
caps_cfg "$BASELINE" False '
touch /host/airlock-caps-new 2>/dev/null && echo wrote
mkdir /host/airlock-caps-dir 2>/dev/null && echo made
cat /host/secret /host/shadow 2>/dev/null
chown 0:0 /host/secret 2>/dev/null && echo chowned
chmod 777 /host 2>/dev/null && echo chmodded
rm -f /host/secret 2>/dev/null; [ -e /host/secret ] || [ -e /host/shadow ] || echo removed
echo done' "c['mounts'].append({'destination': '/host', 'type': 'bind', 'source': '$H', 'options': ['rbind', 'rw']})"
expect_output "CAP_DAC_OVERRIDE, CAP_FOWNER, CAP_CHOWN: a host root-owned folder stays unwritable" \
        done rt run --bundle "$B" c-host
if [ -e "$H/airlock-caps-new" ] || [ -e "$H/airlock-caps-dir" ]; then
        fail "the host folder is unchanged" "$(ls -la "$H")"
elif is_root && [ "$(stat -c '%u %a' "$H/secret" "$H")" != "0 600
0 755" ]; then
        fail "the host folder is unchanged" "$(stat -c '%n %u %a' "$H/secret" "$H")"
else
        pass "the host folder is unchanged"
fi

# ---- CAP_MKNOD, CAP_SETUID
caps_cfg "$BASELINE" False 'mknod /dev/shm/sda b 8 0 2>&1 || true
mknod /dev/shm/mem c 1 1 2>&1 || true
unshare -U -r id -u 2>&1 || true
grep -c . /proc/self/uid_map'
expect_output "CAP_MKNOD makes no device, CAP_SETUID reaches no other id" "mknod: /dev/shm/sda: Operation not permitted
mknod: /dev/shm/mem: Operation not permitted
unshare: unshare(0x10000000): Operation not permitted
1" rt run --bundle "$B" c-mknod
caps_cfg "$BASELINE" False 'exec sleep 60'
if rt create --bundle "$B" --pid-file "$TEST_TMPDIR/held.pid" c-held >/dev/null 2>&1 &&
        rt start c-held; then
        # the state's pid is the keeper's: init is its child, the program init's
        keeper=$(cat "$TEST_TMPDIR/held.pid")
        init=$(cut -d' ' -f1 "/proc/$keeper/task/$keeper/children" 2>/dev/null)
        prog=$(cut -d' ' -f1 "/proc/$init/task/$init/children" 2>/dev/null)
        wait_for 10 sh -c "[ \"\$(cat /proc/$prog/comm 2>/dev/null)\" = sleep ]" || true
        expect_eq "on the host the container's root is uid $outside" "$outside $outside $outside $outside" \
                "$(awk '/^Uid:/ { print $2, $3, $4, $5 }' "/proc/$prog/status" 2>/dev/null)"
        expect_eq "its init holds no capability" "0000000000000000 0000000000000000" \
                "$(awk '/^CapEff:/ { e = $2 } /^CapBnd:/ { b = $2 } END { print e, b }' "/proc/$init/status" 2>/dev/null)"
        "$AIRLOCK" inspect "$prog" >"$TEST_TMPDIR/inspect.out" 2>&1
        expect_grep "inspect: capabilities over its own user namespace, not the host's" \
                "holds capabilities over its own user namespace" cat "$TEST_TMPDIR/inspect.out"
        expect_grep "inspect: not root on the host" "runs as uid $outside on the host" \
                cat "$TEST_TMPDIR/inspect.out"
        # exec: the container's sets and no_new_privs as its spec says, or as --no-new-privs
        # and --process say; never beyond the container's bounding set
        expect_output "exec: the container's capabilities, its noNewPrivileges" "CapEff:	$BASELINE_MASK
NoNewPrivs:	0" rt exec c-held grep -E '^(CapEff|NoNewPrivs):' /proc/self/status
        expect_output "exec --no-new-privs" "NoNewPrivs:	1" \
                rt exec --no-new-privs c-held grep NoNewPrivs /proc/self/status
        python3 - "$TEST_TMPDIR/process.json" <<'PY'
import json, sys
json.dump({"cwd": "/", "user": {"uid": 0, "gid": 0}, "noNewPrivileges": True,
           "args": ["grep", "-E", "^(CapEff|CapBnd|NoNewPrivs):", "/proc/self/status"],
           "capabilities": {s: ["CAP_KILL", "CAP_CHOWN"] for s in ("bounding", "effective", "permitted")}},
          open(sys.argv[1], "w"))
PY
        expect_output "exec --process: its own sets" "CapEff:	0000000000000021
CapBnd:	0000000000000021
NoNewPrivs:	1" rt exec --process "$TEST_TMPDIR/process.json" c-held
        sed -i 's/"CAP_CHOWN"/"CAP_SYS_ADMIN"/g' "$TEST_TMPDIR/process.json"
        expect_grep "exec --process: beyond the baseline refused" \
                "baseline, rule capabilities: CAP_SYS_ADMIN" rt exec --process "$TEST_TMPDIR/process.json" c-held
        rt delete --force c-held >/dev/null 2>&1
else
        fail "create and start a container" "$(rt create --bundle "$B" c-held2 2>&1)"
fi

# ---- every capability (privileged, annotated): still nothing of the host's
hostname_before=$(hostname)
sleep 300 &
host_pid=$!
started="$started $host_pid"
echo host-only >"$TEST_TMPDIR/hostmark"
chmod 644 "$TEST_TMPDIR/hostmark"
caps_cfg "$ALL" False "
printf 'not a module' >/dev/shm/x.ko
insmod /dev/shm/x.ko 2>/dev/null && echo module
mkdir -p /dev/shm/p /dev/shm/r /dev/shm/j
mount -t proc proc /dev/shm/p 2>/dev/null && echo mounted-proc
mount -o bind / /dev/shm/r 2>/dev/null && echo mounted-root
mount -t sysfs sysfs /dev/shm/p 2>/dev/null && echo mounted-sysfs
hostname airlock-caps-evil 2>/dev/null && echo renamed
ip link add airlockcaps0 type dummy 2>/dev/null && echo linked
ls /proc/$host_pid >/dev/null 2>&1 && echo sees-host-pid
kill -0 $host_pid 2>/dev/null && echo signals-host-pid
cat /proc/1/environ >/dev/null 2>&1 && echo reads-init
cd /dev/shm/j && chroot . /bin/true 2>/dev/null && echo chrooted
cd / && for i in 1 2 3 4 5 6 7 8; do cd ..; done; cat $TEST_TMPDIR/hostmark 2>/dev/null
cat /proc/self/root$TEST_TMPDIR/hostmark 2>/dev/null
grep -E '^CapEff:' /proc/self/status" "$PRIV"
expect_output "every capability: no module, mount, host name, link, host process, chroot escape" \
        "CapEff:	$(printf '%016x' $(((1 << 38) - 1)))" rt run --bundle "$B" c-all
expect_eq "the host's name is unchanged" "$hostname_before" "$(hostname)"
if ip link show airlockcaps0 >/dev/null 2>&1; then
        fail "the host's network is unchanged" "airlockcaps0 exists on the host"
else
        pass "the host's network is unchanged"
fi
if kill -0 "$host_pid" 2>/dev/null; then pass "the host process lives"; else fail "the host process lives" "gone"; fi
