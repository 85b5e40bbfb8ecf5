# Helpers for integration tests. Source it:  . "$AIRLOCK_SRC/tests/lib.sh"
# Each check prints one line PASS:/FAIL:/SKIP: that tests/run-tests.sh counts.
# The environment gives AIRLOCK (the binary), AIRLOCK_TOOLS, AIRLOCK_SRC (source or a readable
# copy of it), TEST_TMPDIR (a private scratch folder, removed afterwards) and
# AIRLOCK_TEST_PHASE (root, user or asan).

: "${AIRLOCK:?run me through tests/run-tests.sh}"
: "${TEST_TMPDIR:=$(mktemp -d)}"

pass() { echo "PASS: $1"; }
fail() { echo "FAIL: $1: ${2:-failed}"; }
skip() { echo "SKIP: $1: $2"; }

# expect_status NAME WANT CMD... : run CMD, compare its exit status with WANT.
expect_status() {
        _name=$1
        _want=$2
        shift 2
        "$@" >"$TEST_TMPDIR/.out" 2>"$TEST_TMPDIR/.err"
        _rc=$?
        if [ "$_rc" = "$_want" ]; then
                pass "$_name"
        else
                fail "$_name" "exit status $_rc, expected $_want; stderr: $(head -c 400 "$TEST_TMPDIR/.err")"
        fi
}

# wait_for SECONDS CMD...: true once CMD succeeds (tried every 0.1 s), false after SECONDS.
wait_for() {
        _t=$(($1 * 10))
        shift
        while [ "$_t" -gt 0 ]; do
                "$@" && return 0
                sleep 0.1
                _t=$((_t - 1))
        done
        return 1
}

# expect_eq NAME WANT GOT
expect_eq() {
        if [ "$3" = "$2" ]; then pass "$1"; else fail "$1" "got '$3', expected '$2'"; fi
}

# expect_output NAME WANT CMD... : run CMD, compare its stdout (trimmed) with WANT; CMD must
# also exit 0 (an empty WANT is otherwise met by a command that failed to start).
expect_output() {
        _name=$1
        _want=$2
        shift 2
        _got=$("$@" 2>"$TEST_TMPDIR/.err")
        _rc=$?
        if [ "$_got" = "$_want" ] && [ "$_rc" = 0 ]; then
                pass "$_name"
        else
                fail "$_name" "got '$(printf %s "$_got" | head -c 300)' (exit status $_rc), expected '$_want' (exit status 0); stderr: $(head -c 300 "$TEST_TMPDIR/.err")"
        fi
}

# expect_grep NAME REGEX CMD... : stdout+stderr of CMD must match REGEX.
expect_grep() {
        _name=$1
        _re=$2
        shift 2
        _got=$("$@" 2>&1)
        if printf '%s\n' "$_got" | grep -Eq -- "$_re"; then
                pass "$_name"
        else
                fail "$_name" "output did not match /$_re/: $(printf %s "$_got" | head -c 400)"
        fi
}

is_root() { [ "$(id -u)" = 0 ]; }
