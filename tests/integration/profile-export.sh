#!/bin/sh
# airlock profile export: the exported OCI seccomp JSON, imported back with --seccomp-json,
# decides every syscall number as the profile itself does (a sweep of every number with
# invalid arguments, each in a forked child, compared line by line); the SeccompProfile says
# the same as the JSON; what a format cannot express is listed at the top; errors are usage
# errors.
. "$AIRLOCK_SRC/tests/lib.sh"
. "$AIRLOCK_SRC/tests/run-lib.sh"

[ "$(uname -m)" = x86_64 ] || { skip "profile-export" "the sweep's range is x86_64's"; exit 0; }
SWEEP=$(dirname "$AIRLOCK")/syscall-sweep
[ -x "$SWEEP" ] || SWEEP=${AIRLOCK_BUILD:-$(dirname "$AIRLOCK")}/tests/helpers/sysprobe/syscall-sweep
T=$TEST_TMPDIR
LAST=470 # above x86_64's highest syscall: the unknown numbers are swept too

sweep() { # OUT RUN-OPTIONS... -- SWEEP-ARGS...
        _out=$1
        shift
        "$AIRLOCK" run --ro-bind "$SWEEP" /sweep "$@" >"$_out" 2>"$_out.err"
}

# round_trip NAME PROFILE SWEEP-ARGS...
round_trip() {
        _n=$1
        _p=$2
        shift 2
        if ! "$AIRLOCK" profile export "$_p" --format oci-seccomp >"$T/$_n.json" 2>"$T/$_n.err"; then
                fail "export $_n: oci-seccomp" "$(head -c 300 "$T/$_n.err")"
                return
        fi
        sweep "$T/$_n.profile.txt" -p "$_p" -- /sweep "$@"
        sweep "$T/$_n.json.txt" --seccomp-json "$T/$_n.json" -- /sweep "$@"
        _lines=$(wc -l <"$T/$_n.profile.txt")
        if [ "$_lines" -lt "$((LAST + 1))" ]; then
                fail "export $_n: the sweep ran" "$_lines lines: $(head -c 300 "$T/$_n.profile.txt.err")"
        elif cmp -s "$T/$_n.profile.txt" "$T/$_n.json.txt"; then
                pass "export $_n: the exported JSON decides all $_lines probes as the profile does"
        else
                fail "export $_n: the exported JSON decides as the profile" \
                        "$(diff "$T/$_n.profile.txt" "$T/$_n.json.txt" | head -20)"
        fi
}

# An allow-list with every action and its own default errno, and argument conditions.
cat >"$T/mixed.profile" <<'PROFILE'
airlock-profile 1
seccomp-mode allowlist
seccomp-errno EACCES
seccomp-allow @system-service
seccomp-deny getppid=EIO
seccomp-kill getpgrp
seccomp-log gettid
seccomp-deny socket
seccomp-allow socket[a0==1]
seccomp-allow socket[a0==0]
PROFILE

round_trip strict strict 0 "$LAST"
round_trip mixed "$T/mixed.profile" 0 "$LAST" zero

# The sweep sees decisions: the two profiles differ, and in the expected places.
expect_grep "export: the sweep tells the profiles apart (getppid: EIO under mixed)" '^110 -1 5$' \
        cat "$T/mixed.profile.txt"
expect_grep "export: the sweep tells the profiles apart (getpgrp: killed by SIGSYS)" \
        '^111 -1 signal 31$' cat "$T/mixed.profile.txt"
expect_grep "export: the sweep tells the profiles apart (socket(0): allowed by condition)" \
        '^41 0 97$' cat "$T/mixed.profile.txt"
expect_grep "export: the sweep tells the profiles apart (socket(-1): EPERM)" '^41 -1 1$' \
        cat "$T/mixed.profile.txt"
expect_grep "export: the default errno of mixed is EACCES (io_uring_setup)" '^425 -1 13$' \
        cat "$T/mixed.profile.txt"

# A JSON that leaves one call out is caught by the comparison (the check can fail).
"$PY" -c 'import json, sys
d = json.load(open(sys.argv[1]))
for e in d["syscalls"]:
    if "getpid" in e["names"]:
        e["names"].remove("getpid")
json.dump(d, open(sys.argv[2], "w"))' "$T/strict.json" "$T/broken.json"
sweep "$T/broken.txt" --seccomp-json "$T/broken.json" -- /sweep 39 39
expect_eq "export: a JSON without getpid is told apart" "39 -1 1" "$(cat "$T/broken.txt")"
expect_grep "export: getpid is allowed by strict" '^39 -1 ok$' cat "$T/strict.profile.txt"

# The JSON's shape: what runtimes read.
if "$PY" -c 'import json, sys
d = json.load(open(sys.argv[1]))
assert d["defaultAction"] == "SCMP_ACT_ERRNO" and d["defaultErrnoRet"] == 1, d["defaultAction"]
assert d["architectures"] == ["SCMP_ARCH_X86_64"], d["architectures"]
c3 = [e for e in d["syscalls"] if "clone3" in e["names"]]
assert c3 and c3[0]["action"] == "SCMP_ACT_ERRNO" and c3[0]["errnoRet"] == 38, c3
cl = [e for e in d["syscalls"] if e["names"] == ["clone"]]
assert len(cl) == 1 and cl[0]["action"] == "SCMP_ACT_ALLOW", cl
a = cl[0]["args"][0]
assert a["op"] == "SCMP_CMP_MASKED_EQ" and a["value"] == 0x7e020000 and a["valueTwo"] == 0, a
allow = [e for e in d["syscalls"] if e["action"] == "SCMP_ACT_ALLOW" and "args" not in e]
assert len(allow) == 1 and "read" in allow[0]["names"] and "mount" not in allow[0]["names"]
assert any("only the seccomp filter" in c for c in d["comment"]), d["comment"]
' "$T/strict.json" 2>"$T/shape.err"; then
        pass "export strict: defaultErrnoRet 1, x86_64, clone3 ENOSYS, clone by flags, one allow group"
else
        fail "export strict: the JSON's shape" "$(tail -3 "$T/shape.err")"
fi
expect_grep "export mixed: the default errno is the profile's (EACCES)" '"defaultErrnoRet": 13' \
        cat "$T/mixed.json"

# The SeccompProfile holds the same rules as the JSON.
if "$AIRLOCK" profile export "$T/mixed.profile" --format k8s-seccompprofile >"$T/mixed.yaml" &&
        "$PY" -c 'import json, sys, yaml
y = yaml.safe_load(open(sys.argv[1]))
j = json.load(open(sys.argv[2]))
assert y["apiVersion"] == "security-profiles-operator.x-k8s.io/v1beta1" and y["kind"] == "SeccompProfile"
assert y["metadata"]["name"] == "airlock-mixed", y["metadata"]
s = y["spec"]
assert s["defaultAction"] == j["defaultAction"] and s["architectures"] == j["architectures"]
assert s["syscalls"] == j["syscalls"], "the rules differ"
' "$T/mixed.yaml" "$T/mixed.json" 2>"$T/k8s.err"; then
        pass "export mixed: the SeccompProfile has the JSON's rules"
else
        fail "export mixed: the SeccompProfile has the JSON's rules" "$(tail -3 "$T/k8s.err")"
fi
expect_grep "export mixed: the SeccompProfile lists what it cannot say" \
        '^# - only the seccomp filter is exported' cat "$T/mixed.yaml"

expect_status "export: --format is required (usage error)" 2 "$AIRLOCK" profile export strict
expect_status "export: an unknown format is a usage error" 2 \
        "$AIRLOCK" profile export strict --format docker
expect_grep "export: an unknown format is named" "unknown format 'docker'" \
        "$AIRLOCK" profile export strict --format docker
expect_status "export: a missing profile fails (125)" 125 \
        "$AIRLOCK" profile export "$T/none.profile" --format oci-seccomp

# The systemd drop-in: systemd-analyze verify reads it without an error (names newer than
# this systemd's libseccomp are only warned about), and a broken drop-in is caught.
mkdir -p "$T/units/export-test.service.d"
printf '[Unit]\nDescription=export test\n[Service]\nExecStart=/bin/true\n' \
        >"$T/units/export-test.service"
if "$AIRLOCK" profile export strict --format systemd >"$T/units/export-test.service.d/airlock.conf"; then
        pass "export strict: systemd drop-in written"
else
        fail "export strict: systemd drop-in written"
fi
for key in NoNewPrivileges=yes CapabilityBoundingSet= PrivateTmp=yes PrivateNetwork=yes \
        RestrictNamespaces=yes MemoryMax=2147483648 TasksMax=256 LimitNOFILE=1024:65536 \
        SystemCallArchitectures=native SystemCallErrorNumber=EPERM ProtectSystem=strict; do
        expect_grep "export strict: the drop-in sets $key" "^$key\$" \
                cat "$T/units/export-test.service.d/airlock.conf"
done
expect_grep "export strict: the drop-in lists the calls systemd cannot filter by argument" \
        '^# - clone: allowed only under argument conditions' \
        cat "$T/units/export-test.service.d/airlock.conf"
# socket() only for AF_UNIX under strict: that condition has a systemd form
expect_grep "export strict: socket()'s family condition as RestrictAddressFamilies=" \
        '^RestrictAddressFamilies=AF_UNIX$' cat "$T/units/export-test.service.d/airlock.conf"
if grep -q '^# - socket:' "$T/units/export-test.service.d/airlock.conf"; then
        fail "export strict: socket is not listed as unfiltered (RestrictAddressFamilies= says it)"
else
        pass "export strict: socket is not listed as unfiltered (RestrictAddressFamilies= says it)"
fi
if grep '^SystemCallFilter=' "$T/units/export-test.service.d/airlock.conf" | grep -qw mount; then
        fail "export strict: mount is not in SystemCallFilter="
else
        pass "export strict: mount is not in SystemCallFilter="
fi
if command -v systemd-analyze >/dev/null; then
        (cd "$T/units" && systemd-analyze verify ./export-test.service) >"$T/verify.out" 2>&1
        _rc=$?
        _other=$(grep -v 'Failed to parse system call, ignoring' "$T/verify.out")
        if [ "$_rc" = 0 ] && [ -z "$_other" ] &&
                grep -q 'airlock.conf' "$T/verify.out"; then
                pass "export strict: systemd-analyze verify reads the drop-in without errors"
        else
                fail "export strict: systemd-analyze verify" "status $_rc: $(head -c 500 "$T/verify.out")"
        fi
        echo "MemoryMax=lots" >>"$T/units/export-test.service.d/airlock.conf"
        expect_grep "export: systemd-analyze verify catches a broken drop-in" \
                'airlock.conf:[0-9]+: Invalid memory limit' sh -c "cd '$T/units' && systemd-analyze verify ./export-test.service"
else
        fail "export: systemd-analyze verify" "systemd-analyze is not installed (Debian package systemd)"
fi

# The minijail policy: the allowed calls with "1", the conditions it can say exactly.
"$AIRLOCK" profile export strict --format minijail >"$T/strict.policy"
expect_grep "export strict minijail: read allowed" '^read: 1$' cat "$T/strict.policy"
expect_grep "export strict minijail: clone without namespace flags" \
        '^clone: arg0 in 0xffffffff81fdffff; return 1$' cat "$T/strict.policy"
expect_grep "export strict minijail: socket for AF_UNIX only" '^socket: arg0 == 0x1; return 1$' \
        cat "$T/strict.policy"
expect_grep "export strict minijail: clone3 answers ENOSYS" '^clone3: return 38$' \
        cat "$T/strict.policy"
expect_grep "export strict minijail: the lossy ioctl rule is named" \
        '^# - ioctl: its argument conditions have no exact minijail form' cat "$T/strict.policy"
if grep -q '^mount:' "$T/strict.policy"; then
        fail "export strict minijail: mount is not listed"
else
        pass "export strict minijail: mount is not listed"
fi
