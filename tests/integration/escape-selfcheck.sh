#!/bin/sh
# The escape checks must be able to fail: escape.sh and run-basic run again with two stand-ins
# given as AIRLOCK (escape-profiles runs escape.sh unchanged with "-p PROFILE" added, and
# fails on any FAIL line of it: running it here again would only triple the time):
#  - nosandbox: parses the run options and runs the command on the host (as uid 65534 when
#    root, as the caller otherwise). At most 5% of the escape checks may pass, each one listed
#    below with the reason it cannot tell.
#  - leaky: the real airlock plus binds of the host's /etc/ssh, /etc/shadow, /var and /home and
#    a writable /usr (an overlay: writes go to a tmpfs, never to the host's /usr). Every leaked
#    path must be reported by a FAIL line.
# airlock-test: cold-only (its stand-ins add binds or run no sandbox: never the warm server's
# policy, so AIRLOCK_TEST_WARM=1 hands none of its runs a warm sandbox)
. "$AIRLOCK_SRC/tests/lib.sh"

bindir=$(dirname "$AIRLOCK")
probe=$bindir/probe
[ -x "$probe" ] || probe=${AIRLOCK_BUILD:-$bindir}/tests/helpers/probe/probe

# Checks that pass without any sandbox, and why. Matched against the check name.
known_reasons='creds: core dumps off|the caller'"'"'s hard core limit is 0 here; nothing can raise it
tty: TIOCSTI does not reach the outer terminal|the kernel refuses TIOCSTI for everyone (dev.tty.legacy_tiocsti=0)
tty: TIOCSTI refused on the sandbox|the kernel refuses TIOCSTI for everyone (dev.tty.legacy_tiocsti=0)
env: nothing of the caller|the stand-in is started with a clean environment by this test'

standin_dir=$TEST_TMPDIR/standin
mkdir -p "$standin_dir/nosandbox" "$standin_dir/leaky"
ln -sf "$probe" "$standin_dir/nosandbox/probe"
ln -sf "$probe" "$standin_dir/leaky/probe"

cat >"$standin_dir/nosandbox/airlock" <<'EOF'
#!/bin/sh
# No sandbox: skip the options up to "--", run a bound command from its source.
[ "$1" = run ] || exit 125
shift
prev=""
binds=""
while [ $# -gt 0 ] && [ "$1" != -- ]; do
        case "$prev" in
        --ro-bind | --bind | --ro-bind-try | --bind-try) binds="$binds
$2=$1" ;;
        esac
        prev=$1
        shift
done
[ "$1" = -- ] && shift
[ $# -gt 0 ] || exit 125
cmd=$1
shift
src=$(printf '%s\n' "$binds" | sed -n "s|^$cmd=||p" | head -n 1)
[ -n "$src" ] && cmd=$src
if [ "$(id -u)" = 0 ]; then
        exec setpriv --reuid 65534 --regid 65534 --clear-groups --inh-caps=-all -- "$cmd" "$@"
fi
exec "$cmd" "$@"
EOF

shadow=""
[ -r /etc/shadow ] && shadow="--ro-bind /etc/shadow /etc/shadow"
cat >"$standin_dir/leaky/airlock" <<EOF
#!/bin/sh
# The real airlock with the host's /etc/ssh, /etc/shadow, /var, /home and a writable /usr.
if [ "\$1" = run ]; then
        shift
        exec "$AIRLOCK" run --ro-bind-try /etc/ssh /etc/ssh $shadow --bind /var /var \\
                --bind-try /home /home --overlay /usr /usr --chdir / "\$@"
fi
exec "$AIRLOCK" "\$@"
EOF
chmod +x "$standin_dir/nosandbox/airlock" "$standin_dir/leaky/airlock"

# run_suite STANDIN: the three scripts against it, their PASS/FAIL lines in STANDIN.log.
run_suite() {
        _dir=$TEST_TMPDIR/run-$1
        _t0=$(date +%s)
        rm -rf "$_dir"
        mkdir -p "$_dir/escape" "$_dir/basic"
        env -i PATH="$PATH" HOME="$HOME" AIRLOCK_SRC="$AIRLOCK_SRC" AIRLOCK_DATA_DIR="$AIRLOCK_DATA_DIR" \
                AIRLOCK="$standin_dir/$1/airlock" TEST_TMPDIR="$_dir/escape" \
                AIRLOCK_BUILD="$AIRLOCK_BUILD" \
                sh -c 'timeout 600 sh "$1" 2>&1; echo "# exit status $?"' sh \
                "$AIRLOCK_SRC/tests/integration/escape.sh" |
                sed 's/^\(PASS\|FAIL\|SKIP\): /\1: escape: /' >"$TEST_TMPDIR/$1.escape.log"
        env -i PATH="$PATH" HOME="$HOME" AIRLOCK_SRC="$AIRLOCK_SRC" AIRLOCK_DATA_DIR="$AIRLOCK_DATA_DIR" \
                AIRLOCK="$standin_dir/$1/airlock" TEST_TMPDIR="$_dir/basic" \
                AIRLOCK_BUILD="$AIRLOCK_BUILD" \
                sh -c 'timeout 300 sh "$1" 2>&1; echo "# exit status $?"' sh \
                "$AIRLOCK_SRC/tests/integration/run-basic.sh" |
                sed 's/^\(PASS\|FAIL\|SKIP\): /\1: basic: /' >"$TEST_TMPDIR/$1.basic.log"
        echo "# $1 stand-in: escape.sh and run-basic.sh took $(($(date +%s) - _t0)) s"
        # A script that was cut short or broke proves nothing either way: say so.
        for _s in escape basic; do
                _st=$(sed -n 's/^# exit status //p' "$TEST_TMPDIR/$1.$_s.log")
                case "$_st" in
                0 | 1) ;;
                *) fail "self-check: $_s against the $1 stand-in ran to its end" \
                        "exit status $_st, $(grep -c '^\(PASS\|FAIL\):' "$TEST_TMPDIR/$1.$_s.log") checks; last lines: $(tail -n 3 "$TEST_TMPDIR/$1.$_s.log" | tr '\n' ' ')" ;;
                esac
        done
}

# --- no sandbox at all ---
# run-basic's checks write /tmp/x and /dev/shm/x; with no sandbox they land on the host.
# Remove them afterwards where this run made them (absent before, now the stand-in's user's).
made=""
for f in /tmp/x /dev/shm/x; do [ -e "$f" ] || made="$made $f"; done
run_suite nosandbox
for f in $made; do
        owner=$(stat -c %u "$f" 2>/dev/null) || continue
        if [ "$owner" = "$(id -u)" ] || { [ "$(id -u)" = 0 ] && [ "$owner" = 65534 ]; }; then
                rm -f "$f"
        fi
done
esc=$(cat "$TEST_TMPDIR/nosandbox.escape.log")
npass=$(printf '%s\n' "$esc" | grep -c '^PASS:')
nfail=$(printf '%s\n' "$esc" | grep -c '^FAIL:')
total=$((npass + nfail))
echo "# no-sandbox stand-in: $npass of $total escape checks pass"
unexplained=""
printf '%s\n' "$esc" | grep '^PASS:' | sed 's/^PASS: [^ ]* //' >"$TEST_TMPDIR/nosandbox.passed"
while IFS= read -r line; do
        reason=$(printf '%s\n' "$known_reasons" | while IFS='|' read -r pat why; do
                case "$line" in "$pat"*) echo "$why"; break ;; esac
        done)
        if [ -n "$reason" ]; then
                echo "# passes with no sandbox: $line -- $reason"
        else
                unexplained="$unexplained; $line"
        fi
done <"$TEST_TMPDIR/nosandbox.passed"
if [ "$total" -ge 80 ] && [ $((npass * 100)) -le $((total * 5)) ]; then
        pass "self-check: with no sandbox at most 5% of escape checks pass ($npass of $total)"
else
        fail "self-check: with no sandbox at most 5% of escape checks pass" \
                "$npass of $total pass: $(grep '^PASS' "$TEST_TMPDIR/nosandbox.passed" | head -c 600)"
fi
if [ -z "$unexplained" ]; then
        pass "self-check: each check passing with no sandbox has a reason"
else
        fail "self-check: each check passing with no sandbox has a reason" "unexplained:$unexplained"
fi
# run-basic: the properties of the sandbox must not hold on the host
for c in "/usr is read-only (mount flag)" "hostname is airlock" "HOME is a private writable folder" \
        "default: own network namespace"; do
        if grep -qF "FAIL: basic: $c" "$TEST_TMPDIR/nosandbox.basic.log"; then
                pass "self-check: run-basic '$c' fails with no sandbox"
        else
                fail "self-check: run-basic '$c' fails with no sandbox" \
                        "$(grep -F "$c" "$TEST_TMPDIR/nosandbox.basic.log")"
        fi
done

# --- the leaky sandbox ---
run_suite leaky
cat "$TEST_TMPDIR/leaky.escape.log" "$TEST_TMPDIR/leaky.basic.log" >"$TEST_TMPDIR/leaky.all"
npass=$(grep -c '^PASS:' "$TEST_TMPDIR/leaky.all")
nfail=$(grep -c '^FAIL:' "$TEST_TMPDIR/leaky.all")
echo "# leaky stand-in: $nfail checks fail, $npass pass"
leaks="/var/tmp/airlock-escape /var /var/log /etc/ssh write./usr /usr.is.read-only"
[ -n "$shadow" ] && leaks="$leaks /etc/shadow"
[ -d /home ] && leaks="$leaks /home"
for leak in $leaks; do
        if grep '^FAIL:' "$TEST_TMPDIR/leaky.all" | grep -q -- "$leak"; then
                pass "self-check: the leaky sandbox's $leak is reported"
        else
                fail "self-check: the leaky sandbox's $leak is reported" "no FAIL line names it"
        fi
done
grep '^FAIL:' "$TEST_TMPDIR/leaky.all" | sed 's/^/# leaky: /' | head -n 40
