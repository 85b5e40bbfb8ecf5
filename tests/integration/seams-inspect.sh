#!/bin/sh
# Issue 11, class 4: airlock inspect rates what is reachable, not what is configured. A process
# with its own namespaces, no capabilities, no_new_privs and an allow-everything seccomp filter
# that bind-mounts every host top-level folder into a tmpfs root reads the host's files: it must
# be rated exposed, with those paths listed. airlock's own sandbox stays contained.
. "$AIRLOCK_SRC/tests/lib.sh"

R=$TEST_TMPDIR/fake-root
mkdir -p "$R"
# a sleep time that names this run, to find the process
secs=60.$$
unshare -Urm --pid --fork --net --ipc --uts \
        python3 "$AIRLOCK_SRC/tests/helpers/inspect/bind-host-root.py" "$R" "$secs" \
        2>"$TEST_TMPDIR/fake.err" &
outer=$!
pid=""
for _ in $(seq 50); do
        pid=$(pgrep -x -f "sleep $secs" | head -n 1)
        [ -n "$pid" ] && break
        sleep 0.1
done
if [ -z "$pid" ]; then
        fail "fake sandbox started" "$(head -c 300 "$TEST_TMPDIR/fake.err")"
        kill "$outer" 2>/dev/null
        exit 0
fi
grep -q '^Seccomp:[[:space:]]*2' "/proc/$pid/status" &&
        grep -q '^NoNewPrivs:[[:space:]]*1' "/proc/$pid/status" &&
        grep -q '^CapEff:[[:space:]]*0*$' "/proc/$pid/status" &&
        pass "fake sandbox: seccomp filter, no_new_privs, no capabilities" ||
        fail "fake sandbox: seccomp filter, no_new_privs, no capabilities" \
                "$(grep -E 'Seccomp|NoNewPrivs|CapEff' "/proc/$pid/status")"

"$AIRLOCK" inspect --json "$pid" >"$TEST_TMPDIR/fake.json" 2>"$TEST_TMPDIR/inspect.err"
rc=$?
kill -KILL "$pid" 2>/dev/null
wait "$outer" 2>/dev/null
expect_eq "fake sandbox: inspect exit status 1 (not contained)" 1 "$rc"
got=$(python3 -c '
import json, sys
p = json.load(open(sys.argv[1]))["processes"][0]
c = {c["name"]: c["status"] for c in p["checks"]}
print(p["rating"], c.get("host-files"), " ".join(p.get("visible_host_paths", [])))' \
        "$TEST_TMPDIR/fake.json" 2>&1)
case "$got" in
"exposed missing "*/etc/shadow*/home*/root* | "unsafe missing "*/etc/shadow*/home*/root*)
        pass "fake sandbox: rated exposed, host files listed ($got)" ;;
*) fail "fake sandbox: rated exposed, host files listed" "$got $(head -c 300 "$TEST_TMPDIR/inspect.err")" ;;
esac

# Its allow-everything filter: read back and run by root, it refuses nothing.
if is_root; then
        got=$(python3 -c '
import json, sys
p = json.load(open(sys.argv[1]))["processes"][0]
c = [c for c in p["checks"] if c["name"] == "seccomp"][0]
print(c["status"], c["detail"])' "$TEST_TMPDIR/fake.json" 2>&1)
        case "$got" in
        "missing "*"allows every escape call probed (mount,"*) pass "fake sandbox: its seccomp filter is read back and allows everything" ;;
        *) fail "fake sandbox: its seccomp filter is read back and allows everything" "$got" ;;
        esac
fi

# airlock's own sandbox: no host path visible, still contained
"$AIRLOCK" run -- sleep 60 >/dev/null 2>&1 &
sup=$!
prog=""
for _ in $(seq 50); do
        prog=$("$AIRLOCK" inspect --json 2>/dev/null | python3 -c '
import json, sys
ps = json.load(sys.stdin)["processes"]
print(ps[0]["pid"] if ps else "")' 2>/dev/null)
        [ -n "$prog" ] && break
        sleep 0.1
done
if [ -n "$prog" ]; then
        got=$("$AIRLOCK" inspect --json "$prog" | python3 -c '
import json, sys
p = json.load(sys.stdin)["processes"][0]
c = {c["name"]: c["status"] for c in p["checks"]}
print(p["rating"], c.get("host-files"), len(p.get("visible_host_paths", [])))' 2>&1)
        expect_eq "airlock sandbox: contained, no host file visible" "contained ok 0" "$got"
else
        fail "airlock sandbox: contained, no host file visible" "no sandbox found"
fi
kill "$sup" 2>/dev/null
wait "$sup" 2>/dev/null || true
