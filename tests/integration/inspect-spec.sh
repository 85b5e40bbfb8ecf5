#!/bin/sh
# airlock inspect --spec (issue 13): an OCI config.json rated against the Pod Security
# Standards, with the rules airlock-runtime refuses a spec by (src/policy/podsec.c). Specs made
# by "airlock-runtime spec" and "runc spec", a podman-like one and a podman --privileged-like
# one; then one spec per rule, each breaking that rule once, asserting the level, the exit
# status and the field named; a restricted spec that passes; a relative bind source resolved
# against the spec's folder; an unreadable file, malformed JSON, and --json against
# docs/inspect-spec.schema.json.
. "$AIRLOCK_SRC/tests/lib.sh"
PY=${PY:-python3}
RUNTIME=$(dirname "$AIRLOCK")/airlock-runtime
S=$TEST_TMPDIR/specs
mkdir -p "$S/base"

# A restricted spec: airlock-runtime's own, with a user other than root, no capability but
# CAP_NET_BIND_SERVICE, a seccomp profile whose default denies, and the engine's /etc files.
if ! "$RUNTIME" spec --bundle "$S/base" >/dev/null 2>"$TEST_TMPDIR/spec.err"; then
        fail "airlock-runtime spec" "$(head -c 300 "$TEST_TMPDIR/spec.err")"
        exit 0
fi
cp "$S/base/config.json" "$TEST_TMPDIR/runtime.json"
"$PY" - "$TEST_TMPDIR/runtime.json" "$TEST_TMPDIR/restricted.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
c['process']['user'] = {'uid': 1000, 'gid': 1000}
c['process']['capabilities'] = {s: ['CAP_NET_BIND_SERVICE'] for s in ('bounding', 'effective', 'permitted')}
c['linux']['seccomp'] = {'defaultAction': 'SCMP_ACT_ERRNO', 'architectures': ['SCMP_ARCH_X86_64'],
                         'syscalls': [{'names': ['read', 'write', 'exit_group'], 'action': 'SCMP_ACT_ALLOW'}]}
c['linux']['sysctl'] = {'net.ipv4.ping_group_range': '0 0'}
c['process']['apparmorProfile'] = 'containers-default-0.50.0'
c['process']['selinuxLabel'] = 'system_u:system_r:container_t:s0:c1,c2'
for f in ('hosts', 'resolv.conf', 'hostname'):
    c['mounts'].append({'destination': '/etc/' + f, 'type': 'bind', 'source': '/etc/' + f,
                        'options': ['rbind', 'ro']})
c['mounts'].append({'destination': '/dev/mqueue', 'type': 'mqueue', 'source': 'mqueue'})
json.dump(c, open(sys.argv[2], 'w'), indent=1)
PY

# spec NAME PYTHON: $S/NAME/config.json, the restricted spec (c) changed by PYTHON
spec() {
        mkdir -p "$S/$1"
        "$PY" - "$TEST_TMPDIR/restricted.json" "$S/$1/config.json" "$2" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
exec(sys.argv[3])
json.dump(c, open(sys.argv[2], 'w'), indent=1)
PY
}

# rates NAME LEVEL [LINE...]: inspect --spec $S/NAME/config.json says LEVEL on its first line,
# exits 0 for restricted and 1 otherwise, and prints each LINE ("field: value (level: rule)")
rates() {
        _n=$1
        _level=$2
        shift 2
        _f=$S/$_n/config.json
        _out=$("$AIRLOCK" inspect --spec "$_f" 2>&1)
        _rc=$?
        _want=1
        [ "$_level" = restricted ] && _want=0
        if [ "$(printf '%s\n' "$_out" | head -n 1 | cut -d' ' -f1-2)" != "$_f: $_level" ]; then
                fail "$_n: $_level" "first line: $(printf '%s\n' "$_out" | head -n 1)"
                return
        fi
        if [ "$_rc" != "$_want" ]; then
                fail "$_n: $_level" "exit status $_rc, expected $_want"
                return
        fi
        for _line in "$@"; do
                if ! printf '%s\n' "$_out" | grep -qxF "  $_line"; then
                        fail "$_n: $_level" "no line '$_line' in: $(printf %s "$_out" | head -c 600)"
                        return
                fi
        done
        pass "$_n: $_level${1:+, $1}"
}

# ---- whole specs
spec restricted ""
rates restricted restricted
expect_eq "restricted: nothing broken" 1 "$("$AIRLOCK" inspect --spec "$S/restricted/config.json" | wc -l)"
rates base baseline "linux.seccomp: (none) (restricted: seccomp)" \
        "process.user.uid: 0 (restricted: run-as-non-root)"
mkdir -p "$S/runc" "$S/runc-rootless"
(cd "$S/runc" && runc spec) && rates runc baseline \
        "process.capabilities.bounding: CAP_AUDIT_WRITE (restricted: capabilities)" \
        "process.capabilities.ambient: CAP_KILL (restricted: capabilities)" \
        "linux.seccomp: (none) (restricted: seccomp)"
# rootless runc shares the host's network and binds the host's /sys
(cd "$S/runc-rootless" && runc spec --rootless) && rates runc-rootless privileged \
        "linux.namespaces: network (baseline: host-namespaces)" \
        "mounts[5].source: /sys (baseline: host-path)"
PD=/var/lib/containers/storage/overlay-containers/0123/userdata/
# podman's default (rootful, --network none): its capability set, its seccomp profile, binds
# of the files it writes for the container (/run/.containerenv and /dev/shm among them)
spec podman "c['process']['user'] = {'uid': 0, 'gid': 0}
c['process']['noNewPrivileges'] = False
caps = ['CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_FOWNER', 'CAP_FSETID', 'CAP_KILL', 'CAP_NET_BIND_SERVICE',
        'CAP_SETFCAP', 'CAP_SETGID', 'CAP_SETPCAP', 'CAP_SETUID', 'CAP_SYS_CHROOT']
c['process']['capabilities'] = {'bounding': caps, 'effective': caps, 'permitted': caps}
ud = '$PD'
for m in c['mounts']:
    if m['type'] == 'bind':
        m['source'] = ud + m['destination'].split('/')[-1]
c['mounts'] += [{'destination': '/run/.containerenv', 'type': 'bind', 'source': ud + '.containerenv', 'options': ['bind', 'private']},
                {'destination': '/dev/shm', 'type': 'bind', 'source': ud + 'shm', 'options': ['bind', 'private']}]"
rates podman baseline "process.capabilities.bounding: CAP_SYS_CHROOT (restricted: capabilities)" \
        "mounts[9].source: ${PD}.containerenv (restricted: volume-types)" \
        "mounts[10].source: ${PD}shm (restricted: volume-types)" \
        "process.user.uid: 0 (restricted: run-as-non-root)" \
        "process.noNewPrivileges: false (restricted: privilege-escalation)"
# podman --privileged: every capability, /proc unmasked, no seccomp, AppArmor unconfined
spec podman-privileged "c['process']['capabilities'] = {'bounding': ['CAP_SYS_ADMIN', 'CAP_NET_ADMIN', 'CAP_SYS_MODULE']}
c['linux']['maskedPaths'] = []
del c['linux']['seccomp']
c['process']['apparmorProfile'] = 'unconfined'"
rates podman-privileged privileged \
        "process.capabilities.bounding: CAP_SYS_ADMIN (baseline: capabilities)" \
        "process.capabilities.bounding: CAP_SYS_MODULE (baseline: capabilities)" \
        "linux.maskedPaths: [] (baseline: proc-mount)" \
        "process.apparmorProfile: unconfined (baseline: apparmor)" \
        "linux.seccomp: (none) (restricted: seccomp)"

# ---- baseline, one rule at a time (the restricted spec with that one change)
spec caps "c['process']['capabilities']['effective'] = ['CAP_SYS_PTRACE']"
rates caps privileged "process.capabilities.effective: CAP_SYS_PTRACE (baseline: capabilities)"
spec ns-missing "c['linux']['namespaces'] = [n for n in c['linux']['namespaces'] if n['type'] != 'pid']"
rates ns-missing privileged "linux.namespaces: pid (baseline: host-namespaces)"
spec ns-joined "c['linux']['namespaces'][1]['path'] = '/proc/self/ns/net'"
rates ns-joined privileged "linux.namespaces[1].path: /proc/self/ns/net (baseline: host-namespaces)"
spec hp-root "c['mounts'].append({'destination': '/host', 'type': 'bind', 'source': '/', 'options': ['rbind']})"
rates hp-root privileged "mounts[9].source: / (baseline: host-path)"
spec hp-none "c['mounts'].append({'destination': '/host', 'type': 'none', 'source': '/'})"
rates hp-none privileged "mounts[9].source: / (baseline: host-path)"
spec hp-proc "c['mounts'].append({'destination': '/p', 'type': 'bind', 'source': '/proc/1/root', 'options': ['rbind']})"
rates hp-proc privileged "mounts[9].source: /proc/1/root (baseline: host-path)"
spec hp-sys "c['mounts'].append({'destination': '/c', 'type': 'bind', 'source': '/sys/fs/cgroup', 'options': ['rbind']})"
rates hp-sys privileged "mounts[9].source: /sys/fs/cgroup (baseline: host-path)"
spec hp-socket "c['mounts'].append({'destination': '/d.sock', 'type': 'bind', 'source': '/var/run/docker.sock', 'options': ['bind']})"
rates hp-socket privileged "mounts[9].source: /var/run/docker.sock (baseline: host-path)"
spec hp-socket-folder "c['mounts'].append({'destination': '/c', 'type': 'bind', 'source': '/run/containerd', 'options': ['rbind']})"
rates hp-socket-folder privileged "mounts[9].source: /run/containerd (baseline: host-path)"
# a relative source is the spec folder's, as the runtime's is the bundle's: as many ".." as the
# folder is deep reach /, whatever the working folder of airlock inspect is
up=$(cd "$S" && pwd -P | sed 's|^/||; s|$|/hp-rel|' | sed 's|[^/][^/]*|..|g')
spec hp-rel "c['mounts'].append({'destination': '/host', 'type': 'bind', 'source': '$up', 'options': ['rbind']})"
mkdir -p "$TEST_TMPDIR/d1/d2/d3/d4/d5/d6/d7/d8/d9/d10/d11/d12"
got=$(cd "$TEST_TMPDIR/d1/d2/d3/d4/d5/d6/d7/d8/d9/d10/d11/d12" &&
        "$AIRLOCK" inspect --spec "$S/hp-rel/config.json" 2>&1)
expect_grep "hp-rel: a relative source climbing to / is the host's root" \
        "^  mounts\[9\]\.source: $up \(baseline: host-path\)$" echo "$got"
expect_grep "hp-rel: named as the host's /" "^      mounts bind the host's /$" echo "$got"
spec hp-rel-proc "c['mounts'].append({'destination': '/p', 'type': 'bind', 'source': '$up/./proc/', 'options': ['rbind']})"
rates hp-rel-proc privileged "mounts[9].source: $up/./proc/ (baseline: host-path)"
spec seccomp "c['linux']['seccomp'] = {'defaultAction': 'SCMP_ACT_ALLOW'}"
rates seccomp privileged "linux.seccomp.defaultAction: SCMP_ACT_ALLOW (baseline: seccomp)"
spec proc-mount "del c['linux']['maskedPaths']"
rates proc-mount privileged "linux.maskedPaths: [] (baseline: proc-mount)"
spec sysctls "c['linux']['sysctl']['kernel.shmmax'] = '1'"
rates sysctls privileged "linux.sysctl.kernel.shmmax: 1 (baseline: sysctls)"
spec apparmor "c['process']['apparmorProfile'] = 'unconfined'"
rates apparmor privileged "process.apparmorProfile: unconfined (baseline: apparmor)"
spec selinux "c['process']['selinuxLabel'] = 'system_u:system_r:spc_t:s0'"
rates selinux privileged "process.selinuxLabel: system_u:system_r:spc_t:s0 (baseline: selinux)"

# ---- restricted, one rule at a time
spec root "c['process']['user']['uid'] = 0"
rates root baseline "process.user.uid: 0 (restricted: run-as-non-root)"
spec caps-r "c['process']['capabilities']['bounding'].append('CAP_CHOWN')"
rates caps-r baseline "process.capabilities.bounding: CAP_CHOWN (restricted: capabilities)"
spec nnp "c['process']['noNewPrivileges'] = False"
rates nnp baseline "process.noNewPrivileges: false (restricted: privilege-escalation)"
spec no-seccomp "del c['linux']['seccomp']"
rates no-seccomp baseline "linux.seccomp: (none) (restricted: seccomp)"
spec seccomp-r "c['linux']['seccomp'] = {'defaultAction': 'SCMP_ACT_ALLOW', 'syscalls': [{'names': ['mount'], 'action': 'SCMP_ACT_ERRNO'}]}"
rates seccomp-r baseline "linux.seccomp.defaultAction: SCMP_ACT_ALLOW (restricted: seccomp)"
spec volume-bind "c['mounts'].append({'destination': '/data', 'type': 'bind', 'source': '/srv', 'options': ['rbind']})"
rates volume-bind baseline "mounts[9].source: /srv (restricted: volume-types)"
spec volume-type "c['mounts'].append({'destination': '/data', 'type': 'ext4', 'source': '/dev/sda1'})"
rates volume-type baseline "mounts[9].type: ext4 (restricted: volume-types)"

# ---- the annotation is reported, not obeyed: the spec is still privileged
spec annotated "c['process']['capabilities']['bounding'].append('CAP_SYS_ADMIN')
c['annotations'] = {'airlock.allow-privileged': 'true'}"
rates annotated privileged "process.capabilities.bounding: CAP_SYS_ADMIN (baseline: capabilities)" \
        "annotation airlock.allow-privileged=true: airlock-runtime runs it even so"

# ---- errors: named, with the cause, status 125
expect_status "a missing file: 125" 125 "$AIRLOCK" inspect --spec "$S/none/config.json"
expect_grep "a missing file is named with the cause" \
        "cannot read $S/none/config.json: No such file or directory" \
        "$AIRLOCK" inspect --spec "$S/none/config.json"
expect_grep "a folder is named with the cause" "cannot read $S/base: Is a directory" \
        "$AIRLOCK" inspect --spec "$S/base"
printf '{"ociVersion": "1.0.2", "process": {' >"$S/malformed.json"
expect_status "malformed JSON: 125" 125 "$AIRLOCK" inspect --spec "$S/malformed.json"
expect_grep "malformed JSON is named with the cause" \
        "cannot parse $S/malformed.json: not valid JSON \(unexpected end of data\)" \
        "$AIRLOCK" inspect --spec "$S/malformed.json"
echo '[1, 2]' >"$S/array.json"
expect_grep "a JSON array is not a spec" "cannot parse $S/array.json: not a JSON object" \
        "$AIRLOCK" inspect --spec "$S/array.json"
if ! is_root; then
        cp "$S/restricted/config.json" "$S/unreadable.json"
        chmod 000 "$S/unreadable.json"
        expect_status "an unreadable file: 125" 125 "$AIRLOCK" inspect --spec "$S/unreadable.json"
        expect_grep "an unreadable file is named with the cause" \
                "cannot read $S/unreadable.json: Permission denied" \
                "$AIRLOCK" inspect --spec "$S/unreadable.json"
fi
expect_status "--spec and a PID: usage error" 2 "$AIRLOCK" inspect --spec "$S/base/config.json" 1
expect_grep "--help names --spec" "--spec FILE" "$AIRLOCK" inspect --help

# ---- --json, against its schema
for n in restricted runc podman podman-privileged hp-rel annotated; do
        "$AIRLOCK" inspect --spec "$S/$n/config.json" --json >"$S/$n.out.json" 2>"$S/$n.err"
done
"$PY" - "$AIRLOCK_SRC/docs/inspect-spec.schema.json" "$S" >"$TEST_TMPDIR/schema.err" 2>&1 <<'PY'
import json, sys
import jsonschema
schema = json.load(open(sys.argv[1]))
want = {'restricted': 'restricted', 'runc': 'baseline', 'podman': 'baseline',
        'podman-privileged': 'privileged', 'hp-rel': 'privileged', 'annotated': 'privileged'}
for name, level in want.items():
    doc = json.load(open('%s/%s.out.json' % (sys.argv[2], name)))
    jsonschema.validate(doc, schema)
    assert doc['level'] == level, (name, doc['level'])
    assert doc['allow_privileged'] == (name == 'annotated'), name
    assert (doc['violations'] == []) == (name == 'restricted'), name
hp = json.load(open('%s/hp-rel.out.json' % sys.argv[2]))['violations']
assert [v['field'] for v in hp if v['rule'] == 'host-path'] == ['mounts[9].source'], hp
assert hp[0]['level'] == 'baseline' and hp[0]['message'] == "mounts bind the host's /", hp
PY
[ $? = 0 ] && pass "--json valid against docs/inspect-spec.schema.json, levels as the text" ||
        fail "--json valid against docs/inspect-spec.schema.json" "$(tail -n 3 "$TEST_TMPDIR/schema.err")"
