#!/bin/sh
# Mail filtering: messages/s and added latency of a real Postfix on 127.0.0.1 without a
# milter, with the airlock milter (default policy: every message walked part by part, judged
# by the triage engine, tagged) and with Debian's clamav-milter in front of clamd loaded with
# a one-line signature database. Prints a Markdown section. Needs root (Postfix).
set -u
src=${AIRLOCK_SRC:-$(cd "$(dirname "$0")/.." && pwd)}
AIRLOCK=${AIRLOCK:-$src/build/airlock}
AIRLOCK_TOOLS=${AIRLOCK_TOOLS:-$(dirname "$AIRLOCK")/airlock-tools}
export AIRLOCK AIRLOCK_TOOLS
. "$src/tests/integration/milter-postfix.lib"

N=${BENCH_MAIL_MESSAGES:-1000}    # throughput: messages, 8 sessions at once
L=${BENCH_MAIL_LATENCY:-200}      # latency: messages, one at a time

echo "## Mail filter (bench-mail.sh)"
echo
if [ "$(id -u)" != 0 ] || ! command -v postfix >/dev/null || ! command -v smtp-source >/dev/null; then
        echo "Skipped: needs root, postfix and smtp-source (scripts/deps.sh installs them)."
        exit 0
fi

W=$(mktemp -d /tmp/airlock-bench-mail.XXXXXX)
chmod 755 "$W"
cleanup() {
        ml_stop "$W/airlock" 2>/dev/null
        [ -f "$W/clamav/milter.pid" ] && kill "$(cat "$W/clamav/milter.pid")" 2>/dev/null
        [ -f "$W/clamav/clamd.pid" ] && kill "$(cat "$W/clamav/clamd.pid")" 2>/dev/null
        ml_stop "$W/airlock-unix" 2>/dev/null
        ml_stop "$W/airlock-inproc" 2>/dev/null
        ml_stop "$W/airlock-base" 2>/dev/null
        ml_stop "$W/il-airlock" 2>/dev/null
        [ -f "$W/il-null/null.pid" ] && kill "$(cat "$W/il-null/null.pid")" 2>/dev/null
        [ -f "$W/clamav/milter.pid" ] && kill "$(cat "$W/clamav/milter.pid")" 2>/dev/null
        for d in "$W"/*/; do [ -d "$d/etc" ] && pf_stop "${d%/}"; done
        sleep 0.5
        rm -rf "$W"
}
trap cleanup EXIT INT TERM

# The message: a text part and an 8 KB PDF-like attachment; the same for every filter.
python3 "$src/tests/integration/mail-corpus.py" "$W" --only clean >/dev/null
python3 -c '
import base64, sys
pdf = b"%PDF-1.4\n" + b"1 0 obj << /Type /Page >> endobj\n" * 240 + b"%%EOF\n"
b = base64.encodebytes(pdf).decode()
sys.stdout.write("From: a@example.org\nTo: user@test.local\nSubject: bench\nMIME-Version: 1.0\n"
                 "Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\n"
                 "Please find the report attached.\n--b\nContent-Type: application/pdf; "
                 "name=report.pdf\nContent-Disposition: attachment; filename=report.pdf\n"
                 "Content-Transfer-Encoding: base64\n\n" + b + "--b--\n")' >"$W/msg.eml"

ms_now() { echo $(($(date +%s%N) / 1000000)); }

# ctxsw PID: context switches (voluntary and not) of every thread of PID and of its child
# processes (the zygote and the workers); nothing for no PID.
ctxsw() {
        [ -n "$1" ] || return 0
        for t in /proc/"$1"/task/* $(for c in $(pgrep -P "$1"); do echo /proc/"$c"/task/*; done); do
                cat "$t/status" 2>/dev/null
        done | awk '/ctxt_switches/ { n += $2 } END { print n + 0 }'
}

# measure NAME: throughput (N messages, 8 sessions, until all are delivered) and latency
# (L messages one after the other, each timed from connect to the reply to its DATA: p50 and
# p95). Sets tput, lat (p50) and lat95.
measure() {
        d=$W/$1
        t0=$(ms_now)
        smtp-source -s 8 -m "$N" -f a@example.org -t user@test.local -F "$W/msg.eml" \
                "127.0.0.1:$2" >/dev/null 2>&1
        i=0
        while [ "$(pf_delivered "$d")" -lt "$N" ] && [ $i -lt 3000 ]; do
                sleep 0.05
                i=$((i + 1))
        done
        t1=$(ms_now)
        got=$(pf_delivered "$d")
        tput=$(awk -v n="$got" -v ms=$((t1 - t0)) 'BEGIN { printf "%.0f", n * 1000 / ms }')
        cs0=$(ctxsw "${MPID:-}")
        set -- $(python3 "$src/bench/smtp-latency.py" 127.0.0.1 "$2" "$W/msg.eml" "$L" ||
                echo n/a n/a n/a)
        lat=$1 lat95=$2
        cs=$(awk -v a="$cs0" -v b="$(ctxsw "${MPID:-}")" -v n="$L" \
                'BEGIN { if (a != "") printf "%.1f", (b - a) / n; else print "-" }')
        pf_wait_idle "$d" 60
        delivered=$(pf_delivered "$d")
}

start_instance() { # NAME [MILTER]
        mkdir -p "$W/$1"
        port=$(free_port)
        pf_setup "$W/$1" "$port" "${2:-}"
        pf_start "$W/$1"
        wait_for_port "$port" 20
}

# 1. Postfix alone.
start_instance plain
measure plain "$port"
plain_tput=$tput plain_lat=$lat plain_lat95=$lat95 plain_n=$delivered
pf_stop "$W/plain"

# 2. Postfix + airlock milter, on loopback TCP, then on a unix socket.
m=$(free_port)
start_instance airlock "inet:127.0.0.1:$m"
ml_start "$W/airlock" "$m"
MPID=$(cat "$W/airlock/milter.pid")
measure airlock "$port"
MPID=
air_tput=$tput air_lat=$lat air_lat95=$lat95 air_n=$delivered air_cs=$cs
air_tagged=$(grep -l '^X-Airlock-Verdict: clean' "$W"/airlock/mail/user/new/* | wc -l)
ml_stop "$W/airlock"
pf_stop "$W/airlock"

# The same with another build of airlock-tools (BENCH_MAIL_BASELINE=PATH, e.g. the main
# branch's, in its build tree or with AIRLOCK_DATA_DIR set), for a before/after row in the same run.
base_row=""
if [ -n "${BENCH_MAIL_BASELINE:-}" ]; then
        m=$(free_port)
        start_instance airlock-base "inet:127.0.0.1:$m"
        own_tools=$AIRLOCK_TOOLS
        AIRLOCK_TOOLS=$BENCH_MAIL_BASELINE
        ml_start "$W/airlock-base" "$m"
        AIRLOCK_TOOLS=$own_tools
        MPID=$(cat "$W/airlock-base/milter.pid")
        measure airlock-base "$port"
        MPID=
        t=$(grep -l '^X-Airlock-Verdict: clean' "$W"/airlock-base/mail/user/new/* | wc -l)
        base_row="| Postfix + airlock milter, baseline build (TCP) | $tput | $lat | $lat95 | $(awk -v a="$lat" -v b="$plain_lat" 'BEGIN { printf "%.2f", a - b }') | $delivered | $t | $cs |"
        ml_stop "$W/airlock-base"
        pf_stop "$W/airlock-base"
fi

# measure_unix NAME [VAR=VALUE...]: Postfix + the airlock milter on a unix socket, started
# with the environment given; sets tput, lat, delivered and tagged.
measure_unix() {
        _n=$1
        shift
        mkdir -p "$W/$_n/sock"
        chown nobody "$W/$_n/sock"
        start_instance "$_n" "unix:$W/$_n/sock/m.sock"
        env "$@" "$AIRLOCK_TOOLS" milter --socket "unix:$W/$_n/sock/m.sock" --user nobody \
                2>"$W/$_n/milter.log" &
        echo $! >"$W/$_n/milter.pid"
        i=0
        while [ ! -S "$W/$_n/sock/m.sock" ] && [ $i -lt 200 ]; do sleep 0.1; i=$((i + 1)); done
        MPID=$(cat "$W/$_n/milter.pid")
        measure "$_n" "$port"
        MPID=
        tagged=$(grep -l '^X-Airlock-Verdict: clean' "$W/$_n"/mail/user/new/* | wc -l)
        ml_stop "$W/$_n"
        pf_stop "$W/$_n"
}
measure_unix airlock-unix
airu_tput=$tput airu_lat=$lat airu_lat95=$lat95 airu_n=$delivered airu_tagged=$tagged airu_cs=$cs
# The same milter parsing in its own process instead of the confined workers (docs/worker.md).
measure_unix airlock-inproc AIRLOCK_IN_PROCESS=1
airi_tput=$tput airi_lat=$lat airi_lat95=$lat95 airi_n=$delivered airi_tagged=$tagged airi_cs=$cs

# 3. Postfix + clamav-milter + clamd with one signature.
clam_tput="n/a" clam_lat="n/a" clam_lat95="n/a" clam_n=0 clam_tagged=0
if command -v clamd >/dev/null && command -v clamav-milter >/dev/null; then
        c=$W/clamav
        mkdir -p "$c/db" "$c/tmp"
        echo "Airlock.Bench.Test:0:*:4149524c4f434b2d42454e43482d5349474e4154555245" >"$c/db/bench.ndb"
        chown -R clamav "$c"
        cat >"$c/clamd.conf" <<EOT
LocalSocket $c/clamd.sock
DatabaseDirectory $c/db
TemporaryDirectory $c/tmp
PidFile $c/clamd.pid
User clamav
Foreground yes
LogFile $c/clamd.log
MaxThreads 8
EOT
        m=$(free_port)
        cat >"$c/milter.conf" <<EOT
MilterSocket inet:$m@127.0.0.1
ClamdSocket unix:$c/clamd.sock
User clamav
Foreground yes
PidFile $c/milter.pid
TemporaryDirectory $c/tmp
OnClean Accept
OnInfected Reject
OnFail Defer
AddHeader Replace
LogFile $c/milter.log
MaxFileSize 25M
EOT
        clamd -c "$c/clamd.conf" >/dev/null 2>&1 &
        i=0
        while [ ! -S "$c/clamd.sock" ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
        clamav-milter -c "$c/milter.conf" >/dev/null 2>&1 &
        wait_for_port "$m" 20
        mkdir -p "$W/clamav"
        start_instance clamav "inet:127.0.0.1:$m"
        measure clamav "$port"
        clam_tput=$tput clam_lat=$lat clam_lat95=$lat95 clam_n=$delivered
        clam_tagged=$(grep -l '^X-Virus-Scanned: ' "$W"/clamav/mail/user/new/* | wc -l)
        pf_stop "$W/clamav"
fi

# 4. Latency side by side: Postfix alone, Postfix + a milter that does nothing (bench/null-milter.py,
# negotiating what airlock negotiates: the floor of any milter) and Postfix + the airlock milter,
# all three running, measured in interleaved rounds so that each sees the same machine; p50 and
# p95 over every message of every round.
R=${BENCH_MAIL_ROUNDS:-10}
per=$(((L + R - 1) / R))
for n in il-plain il-null il-airlock; do
        m=$(free_port)
        case $n in
        il-plain) start_instance $n ;;
        il-null)
                start_instance $n "inet:127.0.0.1:$m"
                python3 "$src/bench/null-milter.py" "$m" &
                echo $! >"$W/$n/null.pid"
                wait_for_port "$m" 20
                ;;
        il-airlock)
                start_instance $n "inet:127.0.0.1:$m"
                ml_start "$W/$n" "$m"
                ;;
        esac
        eval "port_$(echo $n | tr - _)=$port"
done
r=0
while [ $r -lt "$R" ]; do
        for n in il-plain il-null il-airlock; do
                eval "p=\$port_$(echo $n | tr - _)"
                python3 "$src/bench/smtp-latency.py" 127.0.0.1 "$p" "$W/msg.eml" "$per" "$W/$n/raw" >/dev/null
        done
        r=$((r + 1))
done
pct() { sort -n "$1" | awk -v q="$2" '{ a[NR] = $1 } END { i = int(q * NR); if (i < 1) i = 1; if (NR) printf "%.2f", a[i]; else print "n/a" }'; }
il_plain=$(pct "$W/il-plain/raw" 0.5) il_plain95=$(pct "$W/il-plain/raw" 0.95)
il_null=$(pct "$W/il-null/raw" 0.5) il_null95=$(pct "$W/il-null/raw" 0.95)
il_air=$(pct "$W/il-airlock/raw" 0.5) il_air95=$(pct "$W/il-airlock/raw" 0.95)
il_load=$(cut -d' ' -f1-3 /proc/loadavg)
ml_stop "$W/il-airlock"
kill "$(cat "$W/il-null/null.pid")" 2>/dev/null
for n in il-plain il-null il-airlock; do pf_stop "$W/$n"; done

# Does each filter see the HTML-smuggling test message? (one message through `mail scan`
# and clamscan with the same one-line database).
air_detect=no
"$AIRLOCK_TOOLS" mail scan "$src/tests/fuzz/corpus/fuzz-mime/bad-smuggling-nested.eml" \
        >/dev/null 2>&1
[ $? = 1 ] && air_detect=yes
clam_detect=no
if command -v clamscan >/dev/null; then
        clamscan --no-summary -d "$W/clamav/db/bench.ndb" \
                "$src/tests/fuzz/corpus/fuzz-mime/bad-smuggling-nested.eml" >/dev/null 2>&1
        [ $? = 1 ] && clam_detect=yes
fi

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 > 0) printf "%.2f", a / b; else print "n/a" }'; }
add() { awk -v a="$1" -v b="$2" 'BEGIN { if (a ~ /^[0-9.]+$/) printf "%.2f", a - b; else print "n/a" }'; }
air_add=$(add "$air_lat" "$plain_lat")
clam_add=$(add "$clam_lat" "$plain_lat")
airu_add=$(add "$airu_lat" "$plain_lat")
airi_add=$(add "$airi_lat" "$plain_lat")

echo "Real Postfix 3.7 on 127.0.0.1 delivering to a Maildir; the same 11 KB message (text and a"
echo "PDF attachment) for every filter. Throughput: $N messages over 8 SMTP sessions, timed until"
echo "all are delivered. Latency: $L messages one at a time, each in its own SMTP session, timed"
echo "from connect to Postfix's reply to the end of DATA (bench/smtp-latency.py): p50 and p95."
echo "airlock: default policy (every part walked with GMime, true type, YARA pack, name"
echo "heuristics; tagged). clamav-milter: Debian's, in front of clamd with a one-line signature"
echo "database (AddHeader, OnInfected Reject)."
echo
echo "| | messages/s | latency p50 (ms) | p95 (ms) | added at p50 (ms) | delivered | tagged | milter context switches / message |"
echo "|---|---|---|---|---|---|---|---|"
echo "| Postfix alone | $plain_tput | $plain_lat | $plain_lat95 | 0 | $plain_n | - | - |"
echo "| Postfix + airlock milter (TCP) | $air_tput | $air_lat | $air_lat95 | $air_add | $air_n | $air_tagged | $air_cs |"
[ -n "$base_row" ] && echo "$base_row"
echo "| Postfix + clamav-milter, 1 signature (TCP) | $clam_tput | $clam_lat | $clam_lat95 | $clam_add | $clam_n | $clam_tagged | - |"
echo "| Postfix + airlock milter (unix socket) | $airu_tput | $airu_lat | $airu_lat95 | $airu_add | $airu_n | $airu_tagged | $airu_cs |"
echo "| Postfix + airlock milter parsing in process, no worker (unix socket) | $airi_tput | $airi_lat | $airi_lat95 | $airi_add | $airi_n | $airi_tagged | $airi_cs |"
echo
echo "Ratios, airlock / clamav-milter over TCP: throughput $(ratio "$air_tput" "$clam_tput") (above 1 is"
echo "better), added latency $(ratio "$air_add" "$clam_add") (below 1 is better). airlock / Postfix alone:"
echo "throughput $(ratio "$air_tput" "$plain_tput") (TCP), $(ratio "$airu_tput" "$plain_tput") (unix socket). airlock"
echo "speaks the milter protocol itself (src/mail/milter-proto.c): Postfix skips HELO and DATA and"
echo "waits for no reply before the end of the message; the milter ACKs each read at once"
echo "(TCP_QUICKACK) so that Postfix's unanswered packets do not wait in its Nagle queue."
echo "Context switches count the milter's threads alive at the end of the run (the connection"
echo "threads that wait for the next connection, up to four, and the scan workers): threads that"
echo "ended before are not counted; perf stat -e context-switches -p PID counts every one."
echo "Confined workers against parsing in the milter's own process (unix socket): throughput"
echo "$(ratio "$airu_tput" "$airi_tput"), latency p50 $(ratio "$airu_lat" "$airi_lat")."
echo "The HTML-smuggling test message (in a forwarded message): airlock detects it: $air_detect;"
echo "ClamAV with the same one-line database: $clam_detect (it has no rule for it)."
echo
echo "Latency side by side (TCP): Postfix alone, Postfix + a milter that does nothing"
echo "(bench/null-milter.py: the same negotiation as airlock's, one header added, accept), and"
echo "Postfix + the airlock milter, all running at once and measured in $R interleaved rounds of"
echo "$per messages; p50 and p95 over every message (load average at the end: $il_load)."
echo
echo "| | latency p50 (ms) | p95 (ms) | added at p50 over Postfix alone (ms) |"
echo "|---|---|---|---|"
echo "| Postfix alone | $il_plain | $il_plain95 | 0 |"
echo "| Postfix + a milter that does nothing | $il_null | $il_null95 | $(add "$il_null" "$il_plain") |"
echo "| Postfix + airlock milter | $il_air | $il_air95 | $(add "$il_air" "$il_plain") |"
echo
echo "airlock's own share at p50 (over the milter that does nothing): $(add "$il_air" "$il_null") ms; the rest is"
echo "what Postfix does for any milter (the connection and negotiation before its greeting, handing"
echo "the milter to cleanup, sending the message and applying the added header)."
