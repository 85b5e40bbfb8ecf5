#!/bin/sh
# --report: the JSON validates against docs/run-report.schema.json and says what happened.
. "$AIRLOCK_SRC/tests/lib.sh"
. "$AIRLOCK_SRC/tests/run-lib.sh"

schema=$AIRLOCK_SRC/docs/run-report.schema.json
if ! "$PY" -c "import jsonschema" 2>/dev/null; then
        fail "report: python3-jsonschema" "not installed (make deps)"
        exit 0
fi

check() { # NAME REPORT PYTHON-EXPRESSION-ON-r
        if "$PY" - "$schema" "$2" "$3" >"$TEST_TMPDIR/check.out" 2>&1 <<'PY'
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
r = json.load(open(sys.argv[2]))
jsonschema.Draft202012Validator(schema).validate(r)
assert eval(sys.argv[3]), "expected " + sys.argv[3]
PY
        then pass "$1"
        else fail "$1" "$(tail -n 5 "$TEST_TMPDIR/check.out")"; fi
}

"$AIRLOCK" run --report "$TEST_TMPDIR/ok.json" -- /bin/sh -c 'exit 3'
check "report: exit 3 validates" "$TEST_TMPDIR/ok.json" \
        'r["exit"]["status"] == 3 and r["exit"]["code"] == 3 and r["command"] == ["/bin/sh", "-c", "exit 3"]'
check "report: seven namespaces, no capabilities, no_new_privs" "$TEST_TMPDIR/ok.json" \
        'sorted(r["enforced"]["namespaces"]) == sorted(["user","mount","pid","ipc","uts","net","cgroup"]) and r["enforced"]["capabilities"] == [] and r["enforced"]["no_new_privs"]'
check "report: seccomp and Landlock sections" "$TEST_TMPDIR/ok.json" \
        '"errno" in r["enforced"]["seccomp"] and "unenforced_fs" in r["enforced"]["landlock"]'

"$AIRLOCK" run --timeout 0.3 --report "$TEST_TMPDIR/timeout.json" -- sleep 10
check "report: timeout" "$TEST_TMPDIR/timeout.json" \
        'r["exit"]["status"] == 124 and r["exit"]["timed_out"]'

"$AIRLOCK" run --report "$TEST_TMPDIR/notfound.json" -- no-such-command-airlock 2>/dev/null
check "report: exec failure names the stage" "$TEST_TMPDIR/notfound.json" \
        'r["exit"]["status"] == 127 and r["exit"]["error"]["stage"] == "exec"'

"$AIRLOCK" run --report "$TEST_TMPDIR/sig.json" -- /bin/sh -c 'kill -KILL $$'
check "report: killed by a signal" "$TEST_TMPDIR/sig.json" \
        'r["exit"]["status"] == 137 and r["exit"]["signal"] == 9'

"$AIRLOCK" run --report "$TEST_TMPDIR/setup.json" --bind "$TEST_TMPDIR" /usr/airlock-new -- true 2>/dev/null
check "report: a setup failure names its stage and claims nothing enforced" "$TEST_TMPDIR/setup.json" \
        'r["exit"]["status"] == 125 and r["exit"]["error"]["stage"] == "mount" and not r["enforced"]["no_new_privs"] and not r["enforced"]["seccomp"]["enforced"]'
"$AIRLOCK" run --report "$TEST_TMPDIR/parent.json" --ro-bind /nonexistent-airlock /x -- true 2>/dev/null
check "report: a failure before the sandbox exists" "$TEST_TMPDIR/parent.json" \
        'r["exit"]["status"] == 125 and r["exit"]["error"] is not None and r["enforced"]["namespaces"] == []'
