#!/bin/sh
# airlock-test: root-only
# Root because a real Postfix instance has to be started (see milter-postfix.sh); the milter
# drops to nobody. 127.0.0.1 only, no relaying.
#
# The milter killed mid-stream: Postfix tempfails (4.7.1), nothing is lost. Messages sent by
# SMTP while it is down get 451 and are sent again by their client (as an MTA would) after
# the restart; messages already in Postfix's queue (submitted with sendmail) wait there and
# are delivered, scanned, once the milter is back. Every message arrives exactly once and
# carries the X-Airlock headers.
. "$AIRLOCK_SRC/tests/lib.sh"
. "$AIRLOCK_SRC/tests/integration/milter-postfix.lib"

pf_require || { fail "postfix" "cannot install postfix and swaks (apt-get)"; exit 1; }
T=$TEST_TMPDIR/pf
mkdir -p "$T/msgs"
ML_STOP_SIGNAL=KILL pf_up "$T"

N=40
i=1
while [ $i -le $N ]; do
        # Some weight in each message so that the milter is busy when it is killed.
        python3 -c "
import base64, sys
body = base64.encodebytes(bytes(range(256)) * 800).decode()
sys.stdout.write('From: a@example.org\nTo: user@test.local\nSubject: restart-msg-$i\n'
                 'MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n'
                 '--b\nContent-Type: text/plain\n\nhello $i\n--b\n'
                 'Content-Type: application/octet-stream; name=data.bin\n'
                 'Content-Transfer-Encoding: base64\n\n' + body + '--b--\n')" >"$T/msgs/$i.eml"
        i=$((i + 1))
done

# Send all N by SMTP in the background, one client each, and kill -9 the milter mid-stream.
(
        i=1
        while [ $i -le $N ]; do
                echo "$i $(send_file "$P" "$T/msgs/$i.eml")"
                i=$((i + 1))
        done
) >"$T/replies" &
sender=$!
j=0
while [ "$(grep -c 'queue_id=' "$T/milter.log")" -lt 10 ] && [ $j -lt 600 ]; do
        sleep 0.1
        j=$((j + 1))
done
kill -KILL "$(cat "$T/milter.pid")"
rm -f "$T/milter.pid"
wait $sender

tempfailed=$(awk '$2 ~ /^4/' "$T/replies" | wc -l)
accepted=$(awk '$2 == 250' "$T/replies" | wc -l)
if [ "$tempfailed" -gt 0 ] && [ $((tempfailed + accepted)) = $N ]; then
        pass "milter killed mid-stream: Postfix tempfails ($accepted accepted, $tempfailed got 4xx, none 5xx)"
else
        fail "milter killed mid-stream" "$accepted accepted, $tempfailed tempfailed of $N: $(awk '$2 != 250' "$T/replies" | head -n 3)"
fi

# While it is down, mail submitted locally waits in Postfix's queue, undelivered.
before=$(pf_delivered "$T")
k=1
while [ $k -le 10 ]; do
        sed "s/^Subject: restart-msg-1$/Subject: queued-msg-$k/" "$T/msgs/1.eml" |
                sendmail -C "$T/etc" -f queued@example.org user@test.local
        k=$((k + 1))
done
sleep 3
if [ "$(pf_delivered "$T")" = "$before" ] && [ "$(pf_queued "$T")" -ge 10 ]; then
        pass "milter down: queued mail waits, nothing delivered unscanned"
else
        fail "milter down: queued mail waits" "delivered $(pf_delivered "$T") (was $before), queued $(pf_queued "$T")"
fi

# Restart; the clients send again what got 4xx; Postfix's queue drains by itself.
ml_start "$T" "$M" || fail "milter restart" "$(tail -n 3 "$T/milter.log")"
awk '$2 != 250 {print $1}' "$T/replies" | while read -r i; do
        echo "$i $(send_file "$P" "$T/msgs/$i.eml")"
done >"$T/replies2"
pf_wait_idle "$T" 60

# Every message exactly once, every one scanned.
missing=""
dup=""
i=1
while [ $i -le $N ]; do
        c=$(grep -l "^Subject: restart-msg-$i\$" "$T"/mail/user/new/* 2>/dev/null | wc -l)
        [ "$c" = 0 ] && missing="$missing $i"
        [ "$c" -gt 1 ] && dup="$dup $i"
        i=$((i + 1))
done
k=1
while [ $k -le 10 ]; do
        c=$(grep -l "^Subject: queued-msg-$k\$" "$T"/mail/user/new/* 2>/dev/null | wc -l)
        [ "$c" = 1 ] || missing="$missing q$k"
        k=$((k + 1))
done
unscanned=$(grep -L '^X-Airlock-Verdict: clean' "$T"/mail/user/new/* 2>/dev/null | wc -l)
total=$(pf_delivered "$T")
if [ -z "$missing" ] && [ -z "$dup" ] && [ "$unscanned" = 0 ] && [ "$total" = $((N + 10)) ]; then
        pass "after restart: all $((N + 10)) messages delivered once, each scanned"
else
        fail "after restart" "missing:$missing duplicated:$dup unscanned $unscanned, delivered $total of $((N + 10))"
fi
