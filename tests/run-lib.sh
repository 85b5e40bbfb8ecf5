# Shared by tests/integration/run-*.sh and escape.sh. Source after tests/lib.sh.

# The escape probe (tests/helpers/probe): beside airlock in the user phase, in the build tree
# otherwise.
PROBE=$(dirname "$AIRLOCK")/probe
[ -x "$PROBE" ] || PROBE=${AIRLOCK_BUILD:-$(dirname "$AIRLOCK")}/tests/helpers/probe/probe
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3

# sandbox [AIRLOCK RUN OPTIONS --] COMMAND...: airlock run with the probe at /probe.
sandbox() {
        "$AIRLOCK" run --ro-bind "$PROBE" /probe "$@"
}

# attempt NAME PROBE-ARGS... [-- extra airlock options before]: the probe's attempt must be
# refused inside the default sandbox (printed "denied", or the process killed by SIGSYS).
attempt() {
        _n=$1
        shift
        _out=$(sandbox -- /probe "$@" 2>&1)
        _rc=$?
        case "$_rc" in
        0) case "$_out" in *denied*) pass "$_n ($_out)"; return ;; esac ;;
        159) pass "$_n (killed by SIGSYS)"; return ;;
        esac
        fail "$_n" "status $_rc: $_out"
}

# inside NAME WANT SHELL-CODE: sh -c SHELL-CODE in the sandbox prints WANT.
inside() {
        expect_output "$1" "$2" "$AIRLOCK" run -- /bin/sh -c "$3"
}
