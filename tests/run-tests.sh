#!/bin/sh
# Runs every test and prints "N passed, N failed, N skipped" last.
#
#   tests/run-tests.sh --build DIR [--asan-build DIR] [--unit-only] [--only PATTERN]...
#
# --only may be given several times: a test runs when its name contains any of the patterns.
#
# Unit tests: every executable test-* under DIR/tests/unit (cmocka; exit 0 pass, 77 skip).
# Integration tests: every tests/integration/*.sh. Each prints lines "PASS: name",
# "FAIL: name: why" or "SKIP: name: why" (tests/lib.sh has helpers); a script that
# exits non-zero without printing FAIL counts as one failure. A script whose header has the
# line "# airlock-test: root-only" is not run in the unprivileged phase; one with the line
# "# airlock-test: sources" (it builds what it tests from the sources) not under ASan. A
# script with "# airlock-test: alone" (a load test: its load is what it measures) never runs
# at the same time as another such script, in this phase or the one beside it.
#
# Phases: as root (or the calling user), then as an unprivileged user that this script
# creates with useradd when run as root (removed at the end), then unit and integration
# tests again against the ASan+UBSan build (its unit tests as root and as the user, with
# LeakSanitizer).
set -u

src=$(cd "$(dirname "$0")/.." && pwd)
build=""
asan=""
unit_only=0
only=""
while [ $# -gt 0 ]; do
        case "$1" in
        --build) build=$2; shift ;;
        --asan-build) asan=$2; shift ;;
        --unit-only) unit_only=1 ;;
        --only)
                [ -n "${2:-}" ] || { echo "run-tests: --only needs a pattern" >&2; exit 2; }
                only="$only${only:+
}$2"
                shift ;;
        *) echo "run-tests: unknown argument $1" >&2; exit 2 ;;
        esac
        shift
done
[ -n "$build" ] || { echo "run-tests: --build DIR is required" >&2; exit 2; }
build=$(cd "$build" && pwd)
[ -z "$asan" ] || asan=$(cd "$asan" && pwd)

results=$(mktemp /tmp/airlock-results.XXXXXX)
times=$(mktemp /tmp/airlock-times.XXXXXX)
phases=$(mktemp /tmp/airlock-phases.XXXXXX)
failures=$(mktemp /tmp/airlock-failures.XXXXXX)
workroot=$(mktemp -d /tmp/airlock-tests.XXXXXX)
chmod 755 "$workroot"
testuser=airlock-t$$
created_user=0
# podman (the OCI tests run it with --cgroup-manager cgroupfs) makes libpod_parent/conmon at the
# top of each cgroup hierarchy and leaves it: the ones this run made are removed at its end.
podman_cgroups=""
for d in /sys/fs/cgroup/libpod_parent /sys/fs/cgroup/*/libpod_parent; do
        [ -e "$d" ] || podman_cgroups="$podman_cgroups $d"
done

cleanup() {
        rm -rf "$workroot"
        for d in $podman_cgroups; do
                # rmdir only: a cgroup still in use stays
                [ ! -d "$d/conmon" ] || rmdir "$d/conmon" 2>/dev/null || true
                [ ! -d "$d" ] || rmdir "$d" 2>/dev/null || true
        done
        if [ "$created_user" = 1 ]; then
                userdel "$testuser" >/dev/null 2>&1 || true
        fi
        rm -f "$results" "$times" "$phases" "$failures"
}
trap cleanup EXIT
# A signal ends the run: the trap alone would clean up and then carry on without its files.
asan_pid=""
trap '[ -z "$asan_pid" ] || kill "$asan_pid" 2>/dev/null; exit 130' INT
trap '[ -z "$asan_pid" ] || kill "$asan_pid" 2>/dev/null; exit 143' TERM

record() { # record STATUS PHASE NAME [WHY]
        echo "$1" >>"$results"
        if [ -n "${4:-}" ]; then
                line="$1: [$2] $3: $4"
        else
                line="$1: [$2] $3"
        fi
        echo "$line"
        # Failures are listed again at the end: a CI log is often read from its tail.
        [ "$1" != FAIL ] || echo "$line" >>"$failures"
}

selected() { # selected NAME: true when no --only was given or NAME matches one of them
        [ -z "$only" ] && return 0
        printf '%s\n' "$only" | {
                while IFS= read -r pattern; do
                        case "$1" in *$pattern*) exit 0 ;; esac
                done
                exit 1
        }
}

# run_unit PHASE BUILDDIR [USER]: as USER, each test runs from a copy (the clone may sit in
# a private folder) in a folder of its own, with a readable copy of the data.
run_unit() {
        udir=$workroot/unit-$1
        mkdir -p "$udir"
        [ -z "${3:-}" ] || copy_data "$udir/data"
        # LeakSanitizer on: a unit test frees what it made (the integration phase's daemons
        # may end with memory held, so it stays off there)
        uasan=${ASAN_OPTIONS:+detect_leaks=1:abort_on_error=1}
        for t in $(find "$2/tests/unit" -type f -name 'test-*' -perm -u+x | sort); do
                name=$(basename "$t")
                case "$name" in *.p|*.o) continue ;; esac
                selected "$name" || continue
                if [ -n "${3:-}" ]; then
                        rm -rf "$udir/run" && mkdir -p "$udir/run" && cp "$t" "$udir/run/" &&
                                chmod -R a+rX "$udir" && chown "$3" "$udir/run"
                        out=$(cd "$udir/run" && timeout 300 setpriv --reuid="$3" --regid="$3" \
                                --init-groups env -i PATH="$PATH" LANG=C.UTF-8 \
                                ${uasan:+ASAN_OPTIONS=$uasan} \
                                ${UBSAN_OPTIONS:+UBSAN_OPTIONS=$UBSAN_OPTIONS} \
                                AIRLOCK_DATA_DIR="$udir/data" HOME="$udir/run" \
                                AIRLOCK_CACHE_DIR="$udir/run/cache" "./$name" 2>&1)
                else
                        out=$(cd "$workroot" && ASAN_OPTIONS=${uasan:-${ASAN_OPTIONS:-}} \
                                AIRLOCK_CACHE_DIR="$udir/cache" timeout 300 "$t" 2>&1)
                fi
                rc=$?
                case $rc in
                0)
                        # cases cmocka skipped are not passes: each is recorded as a SKIP
                        for c in $(printf '%s\n' "$out" | sed -n 's/^\[  SKIPPED \] \([A-Za-z0-9_]*\)$/\1/p' | sort -u); do
                                record SKIP "$1" "unit/$name/$c" "skipped by the test itself in this phase"
                        done
                        record PASS "$1" "unit/$name" ;;
                77) record SKIP "$1" "unit/$name" "$(echo "$out" | tail -n 1)" ;;
                *) echo "$out" | tail -n 30; record FAIL "$1" "unit/$name" "exit status $rc" ;;
                esac
        done
}

# copy_data DIR: a world-readable copy of what the tests read from the source tree.
copy_data() {
        mkdir -p "$1"
        cp -r "$src/tests" "$src/profiles" "$src/rules" "$src/scripts" "$1/"
        [ -d "$src/docs" ] && cp -r "$src/docs" "$1/"
        [ -d "$src/data" ] && cp -r "$src/data" "$1/"
        [ -d "$src/samples" ] && cp -r "$src/samples" "$1/"
        [ -d "$src/packaging" ] && cp -r "$src/packaging" "$1/"
        cp "$src/README.md" "$1/" # readme-examples.sh runs its examples
        chmod -R a+rX "$1"
}

# run_integration PHASE BUILDDIR [USER]
run_integration() {
        phase=$1
        bdir=$2
        user=${3:-}
        bindir=$bdir
        datadir=$src
        if [ -n "$user" ]; then
                # The clone may sit in a private folder: give the user a readable copy.
                bindir=$workroot/bin-$phase
                datadir=$workroot/data-$phase
                mkdir -p "$bindir" "$datadir"
                cp "$bdir/airlock" "$bdir/airlock-tools" "$bindir/"
                [ ! -f "$bdir/airlock-runtime" ] || cp "$bdir/airlock-runtime" "$bindir/"
                # helper programs of the tests (tests/helpers/*), such as the escape probe
                for h in "$bdir"/tests/helpers/*/*; do
                        [ -f "$h" ] && [ -x "$h" ] && cp "$h" "$bindir/"
                done
                copy_data "$datadir"
                chmod -R a+rX "$bindir"
        elif [ "$(id -u)" = 0 ] && ! setpriv --reuid=65534 --regid=65534 --clear-groups \
                test -r "$src/rules/README.md" 2>/dev/null; then
                # Daemons under test drop to an unprivileged user (the milter to nobody) and
                # read their rules again on SIGHUP: installed, those are world-readable, and a
                # clone in a private folder is not. Give them a readable copy as well.
                datadir=$workroot/data-$phase
                copy_data "$datadir"
        fi
        for script in "$src"/tests/integration/*.sh; do
                [ -f "$script" ] || continue
                name=$(basename "$script" .sh)
                selected "$name" || continue
                if [ -n "$warm_only" ]; then
                        case " $warm_only " in *" $name "*) ;; *) continue ;; esac
                fi
                if [ -n "$user" ] && grep -q '^# airlock-test: root-only' "$script"; then
                        continue
                fi
                # A script that tests what it builds from the sources itself (the Debian
                # package), not the binaries of the phase, runs in the first phase only.
                if [ "$phase" = asan ] && grep -q '^# airlock-test: sources' "$script"; then
                        continue
                fi
                tmp=$workroot/tmp-$phase-$name
                mkdir -p "$tmp"
                runscript=$script
                if [ -n "$user" ]; then
                        runscript=$datadir/tests/integration/$name.sh
                        chown "$user" "$tmp"
                fi
                log=$workroot/log-$phase-$name
                # AIRLOCK_TEST_WARM=1: each script with a warm server of its own (docs/warm.md)
                if [ "${AIRLOCK_TEST_WARM:-}" = 1 ]; then
                        wrap="$(dirname "$(dirname "$runscript")")/warm-wrap.sh"
                else
                        wrap=
                fi
                started=$(date +%s)
                env_vars="AIRLOCK=$bindir/airlock AIRLOCK_TOOLS=$bindir/airlock-tools
AIRLOCK_SRC=$datadir AIRLOCK_DATA_DIR=$datadir TEST_TMPDIR=$tmp AIRLOCK_TEST_PHASE=$phase
AIRLOCK_BUILD=$bdir PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
LANG=C.UTF-8 HOME=$tmp CI=${CI:-} AIRLOCK_CACHE_DIR=$tmp/.cache-airlock"
                # The sanitizers' options reach the scripts' programs too (env -i drops them):
                # a UBSan report fails the check instead of only being printed.
                [ "$phase" != asan ] || env_vars="$env_vars ASAN_OPTIONS=$ASAN_OPTIONS
UBSAN_OPTIONS=$UBSAN_OPTIONS"
                if [ -n "$user" ]; then
                        # shellcheck disable=SC2086
                        (cd "$tmp" && timeout 900 setpriv --reuid="$user" --regid="$user" \
                                --init-groups --reset-env env -i $env_vars \
                                sh ${wrap:+"$wrap"} "$runscript" </dev/null >"$log" 2>&1)
                elif grep -q '^# airlock-test: alone' "$script"; then
                        # shellcheck disable=SC2086
                        (cd "$tmp" && flock "$workroot/alone.lock" timeout 900 env -i $env_vars \
                                sh ${wrap:+"$wrap"} "$runscript" </dev/null >"$log" 2>&1)
                else
                        # shellcheck disable=SC2086
                        (cd "$tmp" && timeout 900 env -i $env_vars sh ${wrap:+"$wrap"} "$runscript" \
                                </dev/null >"$log" 2>&1)
                fi
                rc=$?
                echo "$(($(date +%s) - started)) $phase $name" >>"$times"
                fails=0
                while IFS= read -r line; do
                        case "$line" in
                        PASS:*) record PASS "$phase" "$name/${line#PASS: }" ;;
                        FAIL:*) record FAIL "$phase" "$name/${line#FAIL: }"; fails=$((fails + 1)) ;;
                        SKIP:*) record SKIP "$phase" "$name/${line#SKIP: }" ;;
                        esac
                done <"$log"
                if [ "$fails" -gt 0 ] || { [ $rc -ne 0 ] && [ $rc -ne 77 ]; }; then
                        # one write, so that the phase running beside this one does not cut it
                        printf '%s\n' "---- output of $name ($phase), exit status $rc:
$(grep -v '^PASS:' "$log" | tail -n 60)
----"
                fi
                if [ $rc -ne 0 ] && [ $rc -ne 77 ] && [ "$fails" -eq 0 ]; then
                        record FAIL "$phase" "$name" "script exited with status $rc"
                fi
                # The script's own mistakes (dash names the script: "FILE: LINE: f: not found"):
                # a helper that does not exist checks nothing, whatever the script exits with.
                if grep -qE "^$runscript: [0-9]+: (.*: not found|Syntax error)" "$log"; then
                        record FAIL "$phase" "$name" "script error: $(grep -m1 -E "^$runscript: [0-9]+: " "$log")"
                fi
                if ! grep -qE '^(PASS|FAIL|SKIP):' "$log" && [ $rc -eq 0 ]; then
                        record FAIL "$phase" "$name" "script ran no test"
                fi
                rm -rf "$tmp" 2>/dev/null || true
        done
}

phase=root
[ "$(id -u)" = 0 ] || phase=user
warm_only="" # run_integration: only these scripts (the warm pass below)

timed() { # timed LABEL COMMAND...: run it, and note how long it took for the summary
        t0=$(date +%s)
        label=$1
        shift
        "$@"
        echo "$label $(($(date +%s) - t0)) s" >>"$phases"
}

# The ASan phase runs beside the root and user phases (its own build, folders and logs; the
# tests that need the machine to themselves, such as the Debian package's, are root-only or
# not run under ASan): the phases wait on sandboxes and daemons more than they compute, and
# this keeps the suite within its time. AIRLOCK_TEST_SERIAL=1 runs them one after the other.
asan_phase() {
        trap - EXIT INT TERM # the main shell cleans up, once
        export ASAN_OPTIONS=detect_leaks=0:abort_on_error=1
        export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
        echo "== unit tests (ASan+UBSan)"
        timed unit-asan run_unit asan "$asan"
        if [ "$(id -u)" = 0 ]; then
                echo "== unit tests (ASan+UBSan, unprivileged user $testuser)"
                timed unit-asan-user run_unit asan-user "$asan" "$testuser"
        fi
        if [ "$unit_only" = 0 ]; then
                echo "== integration tests (ASan+UBSan)"
                timed integration-asan run_integration asan "$asan"
        fi
}
# The unprivileged user: both streams run tests as it.
if [ "$(id -u)" = 0 ] && ! id "$testuser" >/dev/null 2>&1; then
        useradd --system --no-create-home --shell /usr/sbin/nologin \
                --home-dir /nonexistent "$testuser" && created_user=1
fi
if [ -n "$asan" ] && [ "${AIRLOCK_TEST_SERIAL:-0}" != 1 ]; then
        asan_phase &
        asan_pid=$!
fi

echo "== unit tests ($phase)"
timed "unit-$phase" run_unit "$phase" "$build"
if [ "$(id -u)" = 0 ]; then
        echo "== unit tests (unprivileged user $testuser)"
        timed unit-user run_unit user "$build" "$testuser"
fi
if [ "$unit_only" = 0 ]; then
        echo "== integration tests ($phase)"
        timed "integration-$phase" run_integration "$phase" "$build"
        if [ "$(id -u)" = 0 ]; then
                echo "== integration tests (unprivileged user $testuser)"
                timed integration-user run_integration user "$build" "$testuser"
        fi
fi
# The escape suites and run-basic once more through warm sandboxes (airlock warm,
# docs/warm.md), as root and as the user: the same attacks against a sandbox built ahead of
# its caller and handed over. Skipped when the whole run is already warm.
warm_only=""
if [ "$unit_only" = 0 ] && [ "${AIRLOCK_TEST_WARM:-}" != 1 ]; then
        first=root
        [ "$(id -u)" = 0 ] || first=user
        echo "== integration tests through warm sandboxes ($first)"
        warm_only="escape escape-profiles run-basic"
        AIRLOCK_TEST_WARM=1
        timed "integration-warm-$first" run_integration "warm-$first" "$build"
        if [ "$(id -u)" = 0 ]; then
                echo "== integration tests through warm sandboxes (unprivileged user $testuser)"
                timed integration-warm-user run_integration warm-user "$build" "$testuser"
        fi
        AIRLOCK_TEST_WARM=""
        warm_only=""
fi
if [ -n "$asan_pid" ]; then
        wait "$asan_pid"
elif [ -n "$asan" ]; then
        asan_phase
fi

# Where the time went: the slowest scripts of the run, to keep the suite within its budget.
if [ -s "$times" ]; then
        echo "== slowest test scripts (seconds, phase, script)"
        sort -rn "$times" | head -n 15
        echo "== time by phase: $(paste -sd, "$phases" | sed 's/,/, /g')"
fi
if [ -s "$failures" ]; then
        echo "== failures (with their logs above)"
        head -n 40 "$failures" | cut -c1-300
fi
passed=$(grep -c '^PASS$' "$results")
failed=$(grep -c '^FAIL$' "$results")
skipped=$(grep -c '^SKIP$' "$results")
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
