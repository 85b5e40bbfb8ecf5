#!/bin/sh
# airlock learn on a real daemon: Debian's nginx, in the foreground with its configuration,
# pid, log and temporary files in the test's folder, listening on a loopback port of the
# host's network, learned under a load test (ab) and then enforced: the same load test passes
# (every request 200), a system call nginx never made (connect, from the probe) is refused,
# and the profile's systemd drop-in passes systemd-analyze verify. Learning traces every
# call (some hundred requests a second), so the learning load is small.
. "$AIRLOCK_SRC/tests/lib.sh"
. "$AIRLOCK_SRC/tests/run-lib.sh"
. "$AIRLOCK_SRC/tests/helpers/nginx-lib.sh"

nginx_require learn-nginx
T=$TEST_TMPDIR
nginx_site "$T/ng"
chmod -R a+rwX "$T"
# load N: ab against the page; prints "complete failed non2xx"
load() { ab_load "$1" 8 "http://127.0.0.1:$P/" "$T/ab.out"; }
# daemon NAME AIRLOCK-ARGS...: start airlock with nginx in the background, wait until it serves
daemon() {
        _name=$1
        shift
        # shellcheck disable=SC2086 # $NG is a word list
        "$AIRLOCK" "$@" -- $NG -g 'daemon off;' >"$T/$_name.out" 2>"$T/$_name.err" &
        DPID=$!
        wait_for 10 up || fail "learn-nginx: $_name: nginx serves" "$(tail -3 "$T/$_name.err")"
}
# stop: SIGTERM to airlock, which ends the sandbox
stop() {
        kill -TERM "$DPID"
        wait "$DPID"
}

daemon learn learn --net host --ro-bind "$D" "$D" --bind "$D/run" "$D/run" -o "$T/nginx.profile"
expect_eq "learn-nginx: the load test passes while learning" "300 0 0" "$(load 300)"
stop
if [ -s "$T/nginx.profile" ]; then
        pass "learn-nginx: a profile is written"
else
        fail "learn-nginx: a profile is written" "$(tail -3 "$T/learn.err")"
fi
expect_grep "learn-nginx: the port nginx listens on" "^tcp-bind $P  # bind to port $P" \
        cat "$T/nginx.profile"
expect_grep "learn-nginx: a port bound on the host's network: net host" \
        "^net host  # a TCP port bound" cat "$T/nginx.profile"
expect_grep "learn-nginx: the page read, read-only" "^ro-bind $D/html/index.html " \
        cat "$T/nginx.profile"
expect_status "learn-nginx: lint accepts the profile" 0 "$AIRLOCK" profile lint "$T/nginx.profile"

daemon enforce run -p "$T/nginx.profile"
expect_eq "learn-nginx: the load test passes under the learned profile, every request 200" \
        "2000 0 0" "$(load 2000)"
stop
expect_grep "learn-nginx: a call nginx never made (connect) is refused by seccomp" \
        "^tcp: denied \(EPERM\) seccomp=2" \
        "$AIRLOCK" run -p "$T/nginx.profile" --ro-bind "$PROBE" /probe -- /probe tcp "$P"
expect_grep "learn-nginx: (control) the default profile lets the probe call connect" \
        "^tcp: " "$AIRLOCK" run --ro-bind "$PROBE" /probe -- /probe tcp "$P"
if "$AIRLOCK" run --ro-bind "$PROBE" /probe -- /probe tcp "$P" 2>&1 | grep -q "EPERM"; then
        fail "learn-nginx: (control) connect is not a seccomp refusal by default" \
                "$("$AIRLOCK" run --ro-bind "$PROBE" /probe -- /probe tcp "$P" 2>&1)"
else
        pass "learn-nginx: (control) connect is not a seccomp refusal by default"
fi
# the systemd drop-in: systemd-analyze verify reads it beside a unit that runs this nginx
# (an unknown or malformed line there is a warning naming the drop-in)
U=$T/sd/airlock-learn-nginx.service
mkdir -p "$U.d"
printf '[Unit]\nDescription=nginx, learned\n[Service]\nExecStart=%s -g "daemon off;"\n' "$NG" >"$U"
if "$AIRLOCK" profile export "$T/nginx.profile" --format systemd >"$U.d/airlock.conf" 2>"$T/sd.err"; then
        sdout=$(systemd-analyze verify "$U" 2>&1)
        sdrc=$?
        expect_eq "learn-nginx: the systemd drop-in passes systemd-analyze verify" "status 0:" \
                "status $sdrc:$(printf '%s\n' "$sdout" | grep -v 'machine-id')"
        expect_grep "learn-nginx: the drop-in keeps nginx's system calls" \
                "^SystemCallFilter=.*accept4" cat "$U.d/airlock.conf"
        expect_eq "learn-nginx: the drop-in lets nginx bind its port and no other TCP port" \
                "SocketBindAllow=tcp:$P
SocketBindDeny=tcp" "$(grep '^SocketBind' "$U.d/airlock.conf")"
        expect_grep "learn-nginx: the drop-in keeps the one family nginx used" \
                "^RestrictAddressFamilies=AF_INET$" cat "$U.d/airlock.conf"
else
        fail "learn-nginx: export --format systemd" "$(cat "$T/sd.err")"
fi
expect_grep "learn-nginx: export --format oci-seccomp refuses what it does not list" \
        '"defaultAction": *"SCMP_ACT_ERRNO"' \
        "$AIRLOCK" profile export "$T/nginx.profile" --format oci-seccomp
exit 0
