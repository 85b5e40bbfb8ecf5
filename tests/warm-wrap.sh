# Runs an integration script with warm servers started (AIRLOCK_TEST_WARM=1, run-tests.sh):
# one of the default policy and one of tests/run-lib.sh's sandbox() (the default with the
# probe bound at /probe), so that every "airlock run" of either policy takes a pre-built
# sandbox; the others run cold as before. Says how many were handed over; none is a failure,
# since the script then tested nothing of the warm path, unless the script says
# "# airlock-test: cold-only" (and why: no run of it has a server's policy).
#   sh tests/warm-wrap.sh SCRIPT
: "${AIRLOCK:?run me through tests/run-tests.sh}" "${TEST_TMPDIR:?}"
AIRLOCK_RUNTIME_DIR=$TEST_TMPDIR/.warm-runtime
export AIRLOCK_RUNTIME_DIR
mkdir -p "$AIRLOCK_RUNTIME_DIR" && chmod 700 "$AIRLOCK_RUNTIME_DIR"
probe=$(dirname "$AIRLOCK")/probe
[ -x "$probe" ] || probe=${AIRLOCK_BUILD:-$(dirname "$AIRLOCK")}/tests/helpers/probe/probe
"$AIRLOCK" warm 2>"$TEST_TMPDIR/.warm-default.log" &
pid_default=$!
"$AIRLOCK" warm --ro-bind "$probe" /probe 2>"$TEST_TMPDIR/.warm-probe.log" &
pid_probe=$!
t=50
while [ "$(ls "$AIRLOCK_RUNTIME_DIR"/airlock/warm-*.sock 2>/dev/null | wc -l)" -lt 2 ] && [ $t -gt 0 ]; do
        sleep 0.1
        t=$((t - 1))
done
sh "$1"
rc=$?
kill -TERM "$pid_default" "$pid_probe" 2>/dev/null
wait "$pid_default" "$pid_probe"
n=0
for log in "$TEST_TMPDIR/.warm-default.log" "$TEST_TMPDIR/.warm-probe.log"; do
        k=$(sed -n 's/.*stopped after handing over \([0-9]*\) sandbox.*/\1/p' "$log")
        n=$((n + ${k:-0}))
done
if [ "$n" -gt 0 ]; then
        echo "PASS: warm servers handed over $n sandboxes"
elif ! grep -q '^# airlock-test: cold-only' "$1"; then
        echo "FAIL: warm servers: they handed over no sandbox: $(head -c 300 "$TEST_TMPDIR/.warm-default.log")"
fi
exit $rc
