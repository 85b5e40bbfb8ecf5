# Helpers for tests/integration/resources-*.sh (sourced after tests/lib.sh).

# The report of the last run, as "key=value" lines of its "resources" object (python3 reads
# the JSON; nothing is parsed with regular expressions).
report_get() { # report_get FILE KEY  -> value of resources.KEY (dotted path), or "missing"
        python3 - "$1" "$2" <<'PY'
import json, sys
try:
    v = json.load(open(sys.argv[1]))["resources"]
    for k in sys.argv[2].split("."):
        v = v[k]
except Exception:
    print("missing"); sys.exit(0)
print(json.dumps(v) if not isinstance(v, str) else v)
PY
}

# procs_with TOKEN: pids of processes whose command line contains TOKEN (walks /proc).
procs_with() {
        for _f in /proc/[0-9]*/cmdline; do
                _c=$(tr '\0' ' ' 2>/dev/null <"$_f") || continue
                case "$_c" in *"$1"*) _p=${_f#/proc/}; echo "${_p%/cmdline}" ;; esac
        done 2>/dev/null
}

# expect_no_procs NAME TOKEN: no process with TOKEN in its command line is left.
expect_no_procs() {
        _left=$(procs_with "$2")
        if [ -z "$_left" ]; then
                pass "$1"
        else
                fail "$1" "processes left: $_left"
                kill -9 $_left 2>/dev/null
        fi
}

# cgroups_of PID: cgroup directories named after airlock process PID, in every hierarchy.
cgroups_of() {
        find /sys/fs/cgroup -maxdepth 6 -type d -name "airlock-$1-*" 2>/dev/null
}

# expect_no_cgroups NAME PID
expect_no_cgroups() {
        _left=$(cgroups_of "$2")
        if [ -z "$_left" ]; then
                pass "$1"
        else
                fail "$1" "cgroups left: $_left"
        fi
}

# now_ms: monotonic-enough wall clock in milliseconds
now_ms() { echo $(($(date +%s%N) / 1000000)); }

# Can this user create cgroups (root on this v1/v2 machine)? The report tells which back end
# airlock used; the tests check that the one expected for this user was used.
expected_backend() {
        if is_root && [ -d /sys/fs/cgroup/memory ] && [ -d /sys/fs/cgroup/pids ]; then
                echo cgroup-v1
        elif is_root && grep -qw memory /sys/fs/cgroup/cgroup.subtree_control 2>/dev/null; then
                echo cgroup-v2
        else
                echo rlimit
        fi
}

# expect_schema NAME REPORT: the report validates against docs/run-report.schema.json.
expect_schema() {
        _err=$(python3 - "$AIRLOCK_SRC/docs/run-report.schema.json" "$2" 2>&1 <<'PY'
import json, sys
import jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.validate(json.load(open(sys.argv[2])), schema)
PY
)
        if [ $? = 0 ]; then pass "$1"; else fail "$1" "$(echo "$_err" | tail -n 3)"; fi
}
