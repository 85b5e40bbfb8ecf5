#!/bin/sh
# The milter's signals: SIGHUP reloads (never stops it, however often it comes), SIGTERM
# stops it cleanly. libmilter's own signal thread also waits for SIGHUP and stops the
# milter on it, so this test fails if that thread can still take a SIGHUP.
. "$AIRLOCK_SRC/tests/lib.sh"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
log=$TEST_TMPDIR/milter.log
userarg=""
is_root && userarg="--user nobody"
# shellcheck disable=SC2086
"$AIRLOCK_TOOLS" milter --socket "inet:$port@127.0.0.1" $userarg 2>"$log" &
pid=$!
# The first SIGHUP as soon as the port answers, as an MTA's administrator might: the
# milter must already be holding it, not die of its default action.
python3 - "$port" <<'PY'
import socket, sys, time
for _ in range(2000):
    try:
        socket.create_connection(("127.0.0.1", int(sys.argv[1])), 0.2).close()
        break
    except OSError:
        time.sleep(0.005)
PY
kill -HUP "$pid" 2>/dev/null
sleep 0.5
# libmilter's own signal thread (which stops the milter on SIGHUP) is not started: no thread
# of the milter waits in rt_sigtimedwait (x86_64 syscall 128).
waiting=$(for t in /proc/"$pid"/task/*; do cut -d' ' -f1 "$t/syscall" 2>/dev/null; done | grep -c '^128$')
[ "$(uname -m)" != x86_64 ] || { [ "$waiting" = 0 ] && pass "no libmilter signal thread" ||
        fail "no libmilter signal thread" "$waiting threads in rt_sigtimedwait"; }

# Each SIGHUP once the reload before it is logged: two SIGHUPs that arrive before the milter's
# handler has run merge into one (the kernel keeps one pending), and on a loaded machine under
# ASan no fixed pause is sure to let the handler run in between.
reloads() { grep -c 'reloaded policy' "$log"; }
reloaded() { [ "$(reloads)" -ge "$1" ]; }
n=25
wait_for 20 reloaded 1
for i in $(seq 2 $n); do
        kill -HUP "$pid" 2>/dev/null
        wait_for 20 reloaded "$i" || break
done
if kill -0 "$pid" 2>/dev/null; then
        pass "milter alive after $n SIGHUPs"
else
        fail "milter alive after $n SIGHUPs" "it stopped: $(tail -n 3 "$log")"
fi
got=$(grep -c 'reloaded policy' "$log")
if [ "$got" -eq $n ]; then
        pass "each SIGHUP reloaded the policy ($got)"
else
        fail "each SIGHUP reloaded the policy" "$got reloads for $n signals"
fi

# A burst while reloads are running: signals that arrive together merge into one reload,
# but none may reach libmilter's signal thread, which would stop the milter.
before=$(grep -c 'reloaded policy' "$log")
for i in $(seq 50); do kill -HUP "$pid" 2>/dev/null; done
sleep 0.3
for i in $(seq 50); do kill -HUP "$pid" 2>/dev/null; done
i=0
# up to 20 s, as the reloads above (under ASan on a loaded machine a reload takes seconds)
while [ "$(grep -c 'reloaded policy' "$log")" -le "$before" ] && [ $i -lt 200 ]; do
        sleep 0.1
        i=$((i + 1))
done
sleep 2
if kill -0 "$pid" 2>/dev/null && [ "$(grep -c 'reloaded policy' "$log")" -gt "$before" ]; then
        pass "milter alive and reloading after a burst of 100 SIGHUPs"
else
        fail "milter alive and reloading after a burst of 100 SIGHUPs" "$(tail -n 3 "$log")"
fi

# (after the burst the milter may still be reloading its rules, which under ASan on a loaded
# two-core machine takes seconds each: the stop waits for the reload in progress)
kill -TERM "$pid" 2>/dev/null
i=0
while kill -0 "$pid" 2>/dev/null && [ $i -lt 300 ]; do
        sleep 0.1
        i=$((i + 1))
done
if kill -0 "$pid" 2>/dev/null; then
        kill -KILL "$pid"
        fail "SIGTERM stops the milter" "still running after 30 s"
else
        wait "$pid"
        rc=$?
        if [ $rc -eq 0 ] && grep -q 'stopping on signal 15' "$log"; then
                pass "SIGTERM stops the milter (status 0)"
        else
                fail "SIGTERM stops the milter" "status $rc: $(tail -n 2 "$log")"
        fi
fi
