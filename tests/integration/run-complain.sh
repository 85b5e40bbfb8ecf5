#!/bin/sh
# airlock run --complain: the seccomp filter refuses nothing and the report lists, tagged
# "would be denied", each call it would have refused; calls it allows are not listed;
# Landlock is off and a notice says why; without --complain the same call is refused.
. "$AIRLOCK_SRC/tests/lib.sh"
. "$AIRLOCK_SRC/tests/run-lib.sh"

T=$TEST_TMPDIR
schema=$AIRLOCK_SRC/docs/run-report.schema.json
cat >"$T/inet.py" <<'PYEOF'
import os, socket
socket.socket(socket.AF_INET, socket.SOCK_STREAM).close()
os.getpid()
print("inet ok")
PYEOF

# strict allows only AF_UNIX sockets
_out=$("$AIRLOCK" run -p strict --ro-bind "$T/inet.py" /inet.py -- "$PY" /inet.py 2>"$T/enforce.err")
_rc=$?
if [ "$_rc" != 0 ] && grep -q PermissionError "$T/enforce.err"; then
        pass "complain: without --complain strict refuses socket(AF_INET)"
else
        fail "complain: without --complain strict refuses socket(AF_INET)" "status $_rc: $_out"
fi
expect_output "complain: with --complain socket(AF_INET) works" "inet ok" \
        "$AIRLOCK" run --complain -p strict --report "$T/r.json" --ro-bind "$T/inet.py" /inet.py \
        -- "$PY" /inet.py
expect_grep "complain: a notice says Landlock is off" "complain: nothing is refused; Landlock is off" \
        "$AIRLOCK" run --complain -p strict -- /bin/true

if "$PY" - "$schema" "$T/r.json" >"$T/check.out" 2>&1 <<'PYEOF'
import json, sys
r = json.load(open(sys.argv[2]))
try:
    import jsonschema
    jsonschema.Draft202012Validator(json.load(open(sys.argv[1]))).validate(r)
except ImportError:
    pass
t = r["trace"]
assert t["complain"] is True, t
w = {(c["syscall"], c["errno"]): c for c in t["would_deny"]}
assert ("socket", 1) in w, t["would_deny"]
c = w[("socket", 1)]
assert c["count"] >= 1 and c["tag"] == "would be denied", c
names = {c["syscall"] for c in t["would_deny"]}
assert not names & {"read", "write", "getpid", "openat", "execve"}, names
assert r["enforced"]["landlock"]["enforced"] is False, r["enforced"]["landlock"]
# each traced event the policy would have refused is tagged, and only those
socks = [e for e in r["events"] if e["syscall"] == "socket" and e["args"].get("family") == "inet"]
assert socks, [e["syscall"] for e in r["events"]]
for e in socks:
    assert e["result"] == "continued" and e["tag"] == "would be denied", e
    assert e["would_errno"] == "EPERM", e
opens = [e for e in r["events"] if e["syscall"] == "openat"]
assert opens and not any("tag" in e or "would_errno" in e for e in opens), opens[:3]
PYEOF
then
        pass "complain: the report lists socket as would be denied (EPERM), not the allowed calls; the socket event is tagged, the opens are not"
else
        fail "complain: the report lists socket as would be denied" "$(tail -5 "$T/check.out")"
fi

# a run with nothing refused lists nothing
"$AIRLOCK" run --complain -p strict --report "$T/true.json" -- /bin/true 2>/dev/null
expect_output "complain: a run that stays inside the profile lists nothing" "[]" \
        "$PY" -c 'import json, sys; print(json.load(open(sys.argv[1]))["trace"]["would_deny"])' "$T/true.json"
