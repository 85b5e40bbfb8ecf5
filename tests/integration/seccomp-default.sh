#!/bin/sh
# The default filter and Landlock inside airlock run: what the deny-list refuses beyond the
# escape battery, what it answers ENOSYS, the cache of compiled programs, --require landlock.
. "$AIRLOCK_SRC/tests/lib.sh"
. "$AIRLOCK_SRC/tests/run-lib.sh"

[ "$(uname -m)" = x86_64 ] || { skip "seccomp-default" "the syscall helper knows x86_64 numbers"; exit 0; }
HELPER=$AIRLOCK_SRC/tests/helpers/syscalls.py
export AIRLOCK_CACHE_DIR="$TEST_TMPDIR/cache"

calls() {
        "$AIRLOCK" run --ro-bind "$HELPER" /syscalls.py "$@"
}

expect_output "default: personality other than PER_LINUX refused" \
        "personality=6: EPERM
personality=8: EPERM
personality=0x400008: EPERM
personality=0: ok" calls -- "$PY" /syscalls.py personality=6 personality=8 personality=0x400008 personality=0
expect_output "default: io_uring, userfaultfd, unshare, ptrace refused" \
        "io_uring_setup: EPERM
userfaultfd: EPERM
unshare=0x10000000: EPERM
ptrace: EPERM" calls -- "$PY" /syscalls.py io_uring_setup userfaultfd unshare=0x10000000 ptrace
# (an unknown syscall number answers ENOSYS with or without the filter: nothing to test there)
expect_output "default: clone3 answers ENOSYS (the filter: it works outside)" \
        "clone3: ENOSYS" calls -- "$PY" /syscalls.py clone3
expect_output "default: threads still start (clone after clone3's ENOSYS)" "3" \
        calls -- "$PY" -c 'import threading
r = []
t = [threading.Thread(target=r.append, args=(i,)) for i in range(3)]
[x.start() for x in t]; [x.join() for x in t]; print(len(r))'

# the cache: the first run compiles and stores, the second loads
export AIRLOCK_CACHE_DIR="$TEST_TMPDIR/cache2"
cached() {
        "$PY" -c 'import json, sys
print(json.load(open(sys.argv[1]))["enforced"]["seccomp"]["cached"])' "$1"
}
"$AIRLOCK" run --report "$TEST_TMPDIR/r1.json" -- /bin/true
"$AIRLOCK" run --report "$TEST_TMPDIR/r2.json" -- /bin/true
if [ "$(cached "$TEST_TMPDIR/r1.json") $(cached "$TEST_TMPDIR/r2.json")" = "False True" ]; then
        pass "default: the second run loads the compiled program from the cache"
else
        fail "default: cache" "$(cached "$TEST_TMPDIR/r1.json") $(cached "$TEST_TMPDIR/r2.json")"
fi
_mode=$(stat -c %a "$AIRLOCK_CACHE_DIR" 2>&1)
[ "$_mode" = 700 ] && pass "default: the cache folder is private" ||
        fail "default: the cache folder is private" "mode $_mode"
# a damaged cache file is not loaded
for f in "$AIRLOCK_CACHE_DIR"/seccomp-*; do printf 'junk' | dd of="$f" bs=1 seek=100 conv=notrunc 2>/dev/null; done
"$AIRLOCK" run --report "$TEST_TMPDIR/r3.json" -- /bin/true
[ "$(cached "$TEST_TMPDIR/r3.json")" = False ] && pass "default: a damaged cache file is ignored" ||
        fail "default: a damaged cache file is ignored" "it was loaded"

# Landlock: this kernel enforces everything, so requiring it is no error; TCP is refused by
# Landlock (EACCES) and not only by the empty network namespace
_abi=$("$PY" -c 'import json, sys
print(json.load(open(sys.argv[1]))["enforced"]["landlock"]["abi"])' "$TEST_TMPDIR/r1.json")
if [ "${_abi:-0}" -lt 6 ]; then
        skip "default: --require landlock" "Landlock ABI ${_abi:-0} in this kernel lacks scopes (needs 6)"
else
        expect_status "default: --require landlock" 0 "$AIRLOCK" run --require landlock -- /bin/true
        expect_output "default: TCP bind on loopback refused by Landlock" "EACCES" \
                "$AIRLOCK" run -- "$PY" -c 'import socket, errno
s = socket.socket()
try:
    s.bind(("127.0.0.1", 0)); print("bound")
except OSError as e:
    print(errno.errorcode[e.errno])'
        expect_output "default: writes outside /tmp and HOME refused" "ok" \
                "$AIRLOCK" run -- /bin/sh -c 'touch /tmp/a && touch "$HOME/b" && ! touch /c 2>/dev/null && echo ok'
fi
