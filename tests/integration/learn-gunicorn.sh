#!/bin/sh
# A Python WSGI application under Debian's gunicorn (python3-gunicorn, two sync workers, on a
# loopback port of the host's network): learned under ab, then enforced by the learned
# profile and by the shipped one (profiles/gunicorn.profile, learned the same way and reviewed
# by hand): ab -n 1000 passes under each with every answer 200, the application's JSON comes
# back, and a call gunicorn never made (shmget, from the probe) is refused by seccomp under
# the shipped profile, while the default profile lets it reach the kernel (the control).
. "$AIRLOCK_SRC/tests/lib.sh"
. "$AIRLOCK_SRC/tests/run-lib.sh"
. "$AIRLOCK_SRC/tests/helpers/nginx-lib.sh" # ab_load

PY3=/usr/bin/python3
gunicorn_ok() { "$PY3" -m gunicorn --version >/dev/null 2>&1; }
if ! gunicorn_ok && is_root; then
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
                python3-gunicorn >/dev/null 2>&1
fi
if ! gunicorn_ok || ! command -v ab >/dev/null; then
        fail "learn-gunicorn" "python3-gunicorn or ab (apache2-utils) missing (scripts/deps.sh)"
        exit 0
fi
T=$TEST_TMPDIR
APP=$T/app
mkdir -p "$APP"
cat >"$APP/hello.py" <<'PYEOF'
import json


def application(environ, start_response):
    body = json.dumps({"path": environ.get("PATH_INFO", "/"),
                       "query": environ.get("QUERY_STRING", "")}).encode()
    start_response("200 OK", [("Content-Type", "application/json"),
                              ("Content-Length", str(len(body)))])
    return [body]
PYEOF
chmod -R a+rwX "$T"
P=$("$PY3" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
URL="http://127.0.0.1:$P/hi?x=1"
up() { curl -s -o /dev/null "$URL"; }
load() { ab_load "$1" 4 "$URL" "$T/ab.out"; }
# serve NAME AIRLOCK-ARGS...: gunicorn under airlock in the background, until it answers
serve() {
        _name=$1
        shift
        "$AIRLOCK" "$@" -- "$PY3" -m gunicorn --chdir "$APP" -w 2 -b "127.0.0.1:$P" \
                --worker-tmp-dir /tmp hello:application >"$T/$_name.out" 2>"$T/$_name.err" &
        GPID=$!
        wait_for 20 up || fail "learn-gunicorn: $_name: gunicorn answers" "$(tail -3 "$T/$_name.err")"
}
stop() {
        kill -TERM "$GPID"
        wait "$GPID"
}

serve learn learn --net host --ro-bind "$APP" "$APP" -o "$T/g.profile"
expect_eq "learn-gunicorn: the load test passes while learning" "300 0 0" "$(load 300)"
stop
expect_grep "learn-gunicorn: the port gunicorn listens on" "^tcp-bind $P  # bind to port $P" \
        cat "$T/g.profile"
expect_grep "learn-gunicorn: the application read, read-only" "^ro-bind $APP/hello.py " \
        cat "$T/g.profile"

serve learned run -p "$T/g.profile"
expect_eq "learn-gunicorn: the load test passes under the learned profile" "1000 0 0" "$(load 1000)"
stop

abi=$("$PY3" -c 'import ctypes; print(ctypes.CDLL(None, use_errno=True).syscall(444, None, 0, 1))')
ports=""
[ "$abi" -ge 4 ] 2>/dev/null && ports="--tcp-bind $P"
expect_status "learn-gunicorn: lint accepts the shipped profile" 0 "$AIRLOCK" profile lint gunicorn
# shellcheck disable=SC2086 # $ports is a word list
serve shipped run -p gunicorn --ro-bind "$APP" "$APP" $ports
expect_eq "learn-gunicorn: the load test passes under the shipped profile, every answer 200" \
        "1000 0 0" "$(load 1000)"
expect_eq "learn-gunicorn: the application's answer" '{"path": "/hi", "query": "x=1"}' \
        "$(curl -s "$URL")"
stop
expect_grep "learn-gunicorn: a call gunicorn never made (shmget) is refused by seccomp" \
        "^shm: denied \(EPERM\) seccomp=2" \
        "$AIRLOCK" run -p gunicorn --ro-bind "$PROBE" /probe -- /probe shm 1
expect_grep "learn-gunicorn: (control) the default profile lets shmget reach the kernel" \
        "^shm: denied \(ENOENT\)" "$AIRLOCK" run --ro-bind "$PROBE" /probe -- /probe shm 1
exit 0
