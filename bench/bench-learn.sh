#!/bin/sh
# nginx under its learned airlock profile against bare nginx: ab requests per second on a
# static page over loopback, rounds alternated in one run (bare, airlock, bare, ...), the
# median of each side and their ratio (goal: at least 0.95). Prints a Markdown section.
set -u
: "${AIRLOCK:?}" "${AIRLOCK_SRC:?}"
NGINX=/usr/sbin/nginx
if [ ! -x "$NGINX" ] || ! command -v ab >/dev/null; then
        printf '## learned profile: nginx\n\nskipped: nginx or ab missing (scripts/deps.sh)\n'
        exit 0
fi
N=${BENCH_LEARN_REQUESTS:-20000}
ROUNDS=${BENCH_LEARN_ROUNDS:-3}
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
bare="" confined="" bare_t="" confined_t=""
r=0
while [ $r -lt "$ROUNDS" ]; do
        # shellcheck disable=SC2086
        start $NG -g 'daemon off;'
        bare="$bare $(rps "$N")"
        bare_t="$bare_t $(ticks)"
        stop
        # shellcheck disable=SC2086
        start "$AIRLOCK" run -p "$tmp/nginx.profile" -- $NG -g 'daemon off;'
        confined="$confined $(rps "$N")"
        confined_t="$confined_t $(ticks)"
        stop
        r=$((r + 1))
done
median() { printf '%s\n' "$@" | sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
# shellcheck disable=SC2086
mb=$(median $bare)
# shellcheck disable=SC2086
mc=$(median $confined)
# shellcheck disable=SC2086
tb=$(median $bare_t)
# shellcheck disable=SC2086
tc=$(median $confined_t)
ratio=$(awk -v a="$mc" -v b="$mb" 'BEGIN {printf "%.3f", (b > 0 ? a / b : 0)}')
echo "## learned profile: nginx"
echo
echo "ab -n $N -c 8 against a static page on loopback, $ROUNDS rounds each, alternated;"
echo "nginx (worker_processes 1) bare and under its learned profile (airlock learn, then run -p)."
echo
echo "| | requests/s (median) | rounds | worker CPU ticks (median) | rounds |"
echo "|---|---|---|---|---|"
echo "| bare | $mb |$bare | $tb |$bare_t |"
echo "| airlock, learned profile | $mc |$confined | $tc |$confined_t |"
echo
echo "ratio airlock/bare: $ratio (goal: at least 0.95)"
echo "CPU ticks ratio airlock/bare: $(awk -v a="$tc" -v b="$tb" 'BEGIN {printf "%.3f", (b > 0 ? a / b : 0)}') (lower is better)"
