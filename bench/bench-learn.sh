#!/bin/sh
# nginx under its learned airlock profile against bare nginx: ab requests per second on a
# static page over loopback. Each round measures both sides back to back, in the order bare,
# airlock in even rounds and airlock, bare in odd ones (a drift of the shared machine's load
# then favours neither side), after a warm-up of each nginx; the result is the median of the
# rounds' ratios (goal: at least 0.95), with the worker's CPU ticks spent on the measured
# requests beside it (a count the machine's load moves less). Prints a Markdown section.
set -u
: "${AIRLOCK:?}" "${AIRLOCK_SRC:?}"
NGINX=/usr/sbin/nginx
if [ ! -x "$NGINX" ] || ! command -v ab >/dev/null; then
        printf '## learned profile: nginx\n\nskipped: nginx or ab missing (scripts/deps.sh)\n'
        exit 0
fi
N=${BENCH_LEARN_REQUESTS:-40000}
ROUNDS=${BENCH_LEARN_ROUNDS:-6}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
. "$AIRLOCK_SRC/tests/helpers/nginx-lib.sh"
nginx_site "$tmp/ng"
chmod -R a+rwX "$tmp"
wait_up() {
        i=0
        while [ $i -lt 100 ] && ! up; do sleep 0.1; i=$((i + 1)); done
}
# the nginx worker's CPU time (user + system, clock ticks): a count the load of the shared
# machine moves less than requests per second
ticks() {
        m=$(pgrep -f "nginx: master process .*$D/nginx.conf" | head -1)
        w=$(pgrep -P "$m" | head -1)
        awk '{print $14 + $15}' "/proc/$w/stat" 2>/dev/null || echo 0
}
rps() {
        ab -q -n "$1" -c 8 "http://127.0.0.1:$P/" 2>/dev/null |
                awk '/^Requests per second/ {print $4} /^Non-2xx|^Failed requests/ {if ($3 > 0) bad=1}
                        END {if (bad) print "failed"}' | head -1
}
# start NAME CMD...: nginx in the background; its pid (airlock's or nginx's) in DPID
start() {
        "$@" >/dev/null 2>&1 &
        DPID=$!
        wait_up
}
stop() {
        kill -TERM "$DPID"
        wait "$DPID" 2>/dev/null
}

# shellcheck disable=SC2086 # $NG is a word list
start "$AIRLOCK" learn --net host --ro-bind "$D" "$D" --bind "$D/run" "$D/run" \
        -o "$tmp/nginx.profile" -- $NG -g 'daemon off;'
rps 300 >/dev/null
stop
# side bare|airlock: start that nginx, warm it up, measure; sets V (requests/s) and K (ticks)
side() {
        if [ "$1" = bare ]; then
                # shellcheck disable=SC2086 # $NG is a word list
                start $NG -g 'daemon off;'
        else
                # shellcheck disable=SC2086
                start "$AIRLOCK" run -p "$tmp/nginx.profile" -- $NG -g 'daemon off;'
        fi
        rps 1000 >/dev/null
        k0=$(ticks)
        V=$(rps "$N")
        K=$(($(ticks) - k0))
        stop
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (b > 0 && a + 0 == a) printf "%.3f", a / b; else print "n/a"}'; }
# median: the middle value, or the mean of the two middle ones for an even count
median() {
        printf '%s\n' "$@" | grep -v n/a | sort -n | awk '{v[NR]=$1}
                END {if (!NR) print "n/a"; else if (NR % 2) print v[(NR+1)/2];
                        else printf "%.3f\n", (v[NR/2] + v[NR/2+1]) / 2}'
}
rows="" ratios="" tratios="" bare="" confined=""
r=0
while [ $r -lt "$ROUNDS" ]; do
        if [ $((r % 2)) = 0 ]; then
                side bare
                vb=$V kb=$K
                side airlock
                vc=$V kc=$K
                order="bare, airlock"
        else
                side airlock
                vc=$V kc=$K
                side bare
                vb=$V kb=$K
                order="airlock, bare"
        fi
        q=$(ratio "$vc" "$vb")
        t=$(ratio "$kc" "$kb")
        ratios="$ratios $q"
        tratios="$tratios $t"
        bare="$bare $vb"
        confined="$confined $vc"
        rows="$rows
| $((r + 1)) | $order | $vb | $vc | $q | $kb | $kc | $t |"
        r=$((r + 1))
done
# shellcheck disable=SC2086 # word lists
mq=$(median $ratios)
# shellcheck disable=SC2086
mt=$(median $tratios)
# shellcheck disable=SC2086
mb=$(median $bare)
# shellcheck disable=SC2086
mc=$(median $confined)
echo "## learned profile: nginx"
echo
echo "ab -n $N -c 8 against a static page on loopback after 1000 requests of warm-up; nginx"
echo "(worker_processes 1) bare and under its learned profile (airlock learn, then run -p);"
echo "$ROUNDS rounds, each measuring both back to back, the order alternated."
echo
echo "| round | order | bare req/s | airlock req/s | ratio | bare worker ticks | airlock worker ticks | ticks ratio |"
echo "|---|---|---|---|---|---|---|---|$rows"
echo
echo "median requests/s: bare $mb, airlock $mc"
echo "median of the rounds' ratios airlock/bare: $mq (goal: at least 0.95)"
echo "median of the rounds' CPU ticks ratios airlock/bare: $mt (lower is better; 1 tick = 10 ms)"
