#!/bin/sh
# airlock run under Docker's own default seccomp profile, imported from its JSON: behaves as
# Docker documents (https://docs.docker.com/engine/security/seccomp/): personality with a
# disallowed persona fails, ptrace of processes one does not own fails, mount, unshare, keyctl
# and bpf fail, clone3 answers ENOSYS, ordinary programs work.
. "$AIRLOCK_SRC/tests/lib.sh"
. "$AIRLOCK_SRC/tests/run-lib.sh"

[ "$(uname -m)" = x86_64 ] || { skip "seccomp-docker" "the syscall helper knows x86_64 numbers"; exit 0; }
DOCKER=$AIRLOCK_SRC/tests/data/seccomp/docker-default.json
HELPER=$AIRLOCK_SRC/tests/helpers/syscalls.py

docker() {
        "$AIRLOCK" run --seccomp-json "$DOCKER" --ro-bind "$PROBE" /probe \
                --ro-bind "$HELPER" /syscalls.py "$@"
}

expect_output "docker: a shell pipeline works" "HELLO 3" \
        docker -- /bin/sh -c 'echo hello | tr a-z A-Z | tr -d "\n"; printf " %s" "$(seq 3 | wc -l)"'
expect_output "docker: python3 works" "4" docker -- "$PY" -c 'print(2 + 2)'

expect_output "docker: personality PER_BSD refused" "personality=6: EPERM" \
        docker -- "$PY" /syscalls.py personality=6
expect_output "docker: personality PER_LINUX and the query allowed" \
        "personality=0: ok
personality=0xffffffff: ok" docker -- "$PY" /syscalls.py personality=0 personality=0xffffffff
expect_output "docker: clone3 answers ENOSYS (libc falls back to clone)" "clone3: ENOSYS" \
        docker -- "$PY" /syscalls.py clone3
expect_output "docker: mount, unshare, keyctl, bpf refused" \
        "mount: EPERM
unshare=0x10000000: EPERM
keyctl: EPERM
bpf: EPERM" docker -- "$PY" /syscalls.py mount unshare=0x10000000 keyctl bpf
expect_output "docker: socket(AF_VSOCK) refused" "socket=40,1: EPERM" \
        docker -- "$PY" /syscalls.py socket=40,1

# ptrace: Docker allows the call from kernel 4.8 on, but not on processes one does not own
_out=$(docker -- /probe ptrace-init 2>&1)
case "$_out" in
*denied*) pass "docker: ptrace of pid 1 fails ($_out)" ;;
*) fail "docker: ptrace of pid 1 fails" "$_out" ;;
esac

# the report says an allow-list was loaded
if docker --report "$TEST_TMPDIR/report.json" -- /bin/true &&
        "$PY" -c 'import json, sys
s = json.load(open(sys.argv[1]))["enforced"]["seccomp"]
sys.exit(0 if s["enforced"] and s["mode"] == "allowlist" else 1)' "$TEST_TMPDIR/report.json"; then
        pass "docker: the report shows the allow-list"
else
        fail "docker: the report shows the allow-list" "$(head -c 600 "$TEST_TMPDIR/report.json")"
fi

# a broken profile is an airlock error (125) that says where
printf '{"defaultAction": "SCMP_ACT_ERRNO",\n "syscalls": [{"names": ["read"], "action": "SCMP_ACT_NOPE"}]}\n' \
        >"$TEST_TMPDIR/bad.json"
expect_status "docker: a broken JSON profile fails with 125" 125 \
        "$AIRLOCK" run --seccomp-json "$TEST_TMPDIR/bad.json" -- /bin/true
expect_status "docker: a missing JSON profile fails with 125" 125 \
        "$AIRLOCK" run --seccomp-json "$TEST_TMPDIR/none.json" -- /bin/true
expect_grep "docker: a broken JSON profile is named with the place of the fault" \
        "cannot build the seccomp filter: $TEST_TMPDIR/bad.json: syscalls\[0\]\.action: unknown action \"SCMP_ACT_NOPE\"" \
        "$AIRLOCK" run --seccomp-json "$TEST_TMPDIR/bad.json" -- /bin/true
printf '{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["write"], "action": "SCMP_ACT_ALLOW",\n "args": [{"index": 0, "value": 1, "op": "SCMP_CMP_SIMILAR"}]}]}\n' \
        >"$TEST_TMPDIR/badop.json"
expect_grep "docker: an unknown operator is named with its argument's place" \
        "badop.json: syscalls\[0\]\.args\[0\]\.op: unknown operator \"SCMP_CMP_SIMILAR\"" \
        "$AIRLOCK" run --seccomp-json "$TEST_TMPDIR/badop.json" -- /bin/true
printf '{"defaultAction":\n' >"$TEST_TMPDIR/cut.json"
expect_grep "docker: a cut-off JSON profile says where it ends" \
        "cut.json: line 2, column 1: the JSON value is not finished" \
        "$AIRLOCK" run --seccomp-json "$TEST_TMPDIR/cut.json" -- /bin/true
expect_grep "docker: a missing JSON profile names the file and the cause" \
        "none.json: No such file or directory" \
        "$AIRLOCK" run --seccomp-json "$TEST_TMPDIR/none.json" -- /bin/true
