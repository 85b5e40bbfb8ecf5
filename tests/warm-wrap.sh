# Runs an integration script with a warm server started (AIRLOCK_TEST_WARM=1, run-tests.sh):
# every "airlock run" of the server's policy in it then takes a pre-built sandbox, the others
# run cold as before. Says how many were handed over; none is a failure, since the script
# then tested nothing of the warm path, unless the script says "# airlock-test: cold-only"
# (and why: no run of it has the server's policy).
#   sh tests/warm-wrap.sh SCRIPT
: "${AIRLOCK:?run me through tests/run-tests.sh}" "${TEST_TMPDIR:?}"
AIRLOCK_RUNTIME_DIR=$TEST_TMPDIR/.warm-runtime
export AIRLOCK_RUNTIME_DIR
mkdir -p "$AIRLOCK_RUNTIME_DIR" && chmod 700 "$AIRLOCK_RUNTIME_DIR"
"$AIRLOCK" warm 2>"$TEST_TMPDIR/.warm.log" &
warm_pid=$!
t=50
while [ ! -S "$AIRLOCK_RUNTIME_DIR/airlock/warm.sock" ] && [ $t -gt 0 ]; do
        sleep 0.1
        t=$((t - 1))
done
sh "$1"
rc=$?
kill -TERM "$warm_pid" 2>/dev/null
wait "$warm_pid"
n=$(sed -n 's/.*stopped after handing over \([0-9]*\) sandbox.*/\1/p' "$TEST_TMPDIR/.warm.log")
if [ "${n:-0}" -gt 0 ]; then
        echo "PASS: warm server handed over $n sandboxes"
elif ! grep -q '^# airlock-test: cold-only' "$1"; then
        echo "FAIL: warm server: it handed over no sandbox: $(head -c 300 "$TEST_TMPDIR/.warm.log")"
fi
exit $rc
