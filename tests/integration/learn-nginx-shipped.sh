#!/bin/sh
# The shipped profile nginx (profiles/nginx.profile: learned under ab, reviewed by hand) runs
# Debian's nginx with sendfile on and an access log, as Debian's configuration has them: ab
# -n 2000 -c 8 completes with no failure and no non-2xx answer and every request is logged;
# refusing sendfile, a rule added by hand, breaks the answers (the rule is needed, and the
# check can fail); connect, which a static site never makes, is refused by seccomp.
. "$AIRLOCK_SRC/tests/lib.sh"
. "$AIRLOCK_SRC/tests/run-lib.sh"
. "$AIRLOCK_SRC/tests/helpers/nginx-lib.sh"

nginx_require learn-nginx-shipped
T=$TEST_TMPDIR
nginx_site "$T/ng"
sed -i "s|access_log off;|access_log $D/run/access.log; sendfile on; tcp_nopush on;|" "$D/nginx.conf"
chmod -R a+rwX "$T"
load() { ab_load "$1" 8 "http://127.0.0.1:$P/" "$T/ab.out"; }
# the port alone where Landlock has network rules (ABI 4 and later)
abi=$(python3 -c 'import ctypes; print(ctypes.CDLL(None, use_errno=True).syscall(444, None, 0, 1))')
ports=""
[ "$abi" -ge 4 ] 2>/dev/null && ports="--tcp-bind $P"
# daemon NAME RUN-OPTIONS...: nginx under airlock run -p nginx, until it serves
daemon() {
        _name=$1
        shift
        # shellcheck disable=SC2086 # $NG and $ports are word lists
        "$AIRLOCK" run -p nginx --ro-bind "$D" "$D" --bind "$D/run" "$D/run" $ports "$@" -- \
                $NG -g 'daemon off;' >"$T/$_name.out" 2>"$T/$_name.err" &
        DPID=$!
        wait_for 10 answers || fail "learn-nginx-shipped: $_name: nginx serves" "$(tail -3 "$T/$_name.err")"
}
# answers: a status line came (the body may still be cut); page: the page arrives whole
answers() { [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$P/")" = 200 ]; }
page() { curl -s -o "$T/page" "http://127.0.0.1:$P/" && cmp -s "$T/page" "$D/html/index.html"; }
stop() {
        kill -TERM "$DPID"
        wait "$DPID"
}

expect_status "learn-nginx-shipped: lint accepts the shipped profile" 0 "$AIRLOCK" profile lint nginx
daemon shipped
expect_eq "learn-nginx-shipped: ab passes under the shipped profile, every request 200" \
        "2000 0 0" "$(load 2000)"
expect_status "learn-nginx-shipped: the page arrives whole" 0 page
stop
# ab's requests, the readiness check's and the page's
expect_eq "learn-nginx-shipped: every request is in the access log" 2002 \
        "$(wc -l <"$D/run/access.log" | tr -d ' ')"

daemon no-sendfile --seccomp-deny sendfile
if page; then
        fail "learn-nginx-shipped: (control) without sendfile the page is cut" "it arrived whole"
else
        pass "learn-nginx-shipped: (control) without sendfile the page is cut"
fi
expect_grep "learn-nginx-shipped: (control) nginx says why" "sendfile\(\) failed \(1: Operation not permitted\)" \
        cat "$D/run/error.log"
stop

expect_grep "learn-nginx-shipped: connect, which a static site never makes, is refused" \
        "^tcp: denied \(EPERM\) seccomp=2" \
        "$AIRLOCK" run -p nginx --ro-bind "$PROBE" /probe -- /probe tcp "$P"
exit 0
