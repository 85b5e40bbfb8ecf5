#!/bin/sh
# airlock run --trace: what the samples try never reaches the host. Checked from outside:
# the host's crontab spool, the invoking user's home, a host listener on loopback.
. "$AIRLOCK_SRC/tests/lib.sh"
. "$AIRLOCK_SRC/tests/helpers/monitor/trace-lib.sh"

build_samples
S=/opt/samples/sample-raw

# A listener on the host's loopback; the scan inside must not reach it.
port_file=$TEST_TMPDIR/port
hits=$TEST_TMPDIR/hits
: >"$hits"
$PY - "$port_file" "$hits" <<'PY' &
import socket, sys, select, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(16)
open(sys.argv[1], "w").write(str(s.getsockname()[1]))
end = time.time() + 60
while time.time() < end:
    r, _, _ = select.select([s], [], [], 0.5)
    if r:
        c, a = s.accept(); open(sys.argv[2], "a").write("hit\n"); c.close()
    try:
        open(sys.argv[1] + ".stop").close(); break
    except OSError:
        pass
PY
listener=$!
for _ in 1 2 3 4 5 6 7 8 9 10; do [ -s "$port_file" ] && break; sleep 0.2; done
port=$(cat "$port_file")

spool_before=$(ls -la /var/spool/cron/crontabs 2>/dev/null | md5sum)
echo "# host bashrc" >"$HOME/.bashrc"
home_before=$(ls -la "$HOME/.bashrc" "$HOME/.profile" "$HOME/.config" "$HOME/.ssh" 2>&1 | md5sum)
rc_before=$(md5sum <"$HOME/.bashrc")

trace host-persist -- /bin/sh -c "$S persist \$HOME; echo x >> ~/.bashrc; \
        echo '* * * * * /tmp/x' > /var/spool/cron/crontabs/root 2>/dev/null; true"
expect_finding host-persist T1546.004 high

# the scan sample connects to the host listener's port and its neighbours
trace host-scan -- $S scan 20 $((port - 10))
expect_finding host-scan T1046 medium

touch "$port_file.stop"
wait "$listener" 2>/dev/null
if [ ! -s "$hits" ]; then
        pass "host listener on 127.0.0.1:$port got no connection"
else
        fail "host listener on 127.0.0.1:$port got no connection" "$(wc -l <"$hits") connections"
fi
[ "$(ls -la /var/spool/cron/crontabs 2>/dev/null | md5sum)" = "$spool_before" ] &&
        pass "host crontab spool untouched" || fail "host crontab spool untouched" "it changed"
[ "$(md5sum <"$HOME/.bashrc")" = "$rc_before" ] && pass "host ~/.bashrc untouched" ||
        fail "host ~/.bashrc untouched" "it changed"
[ "$(ls -la "$HOME/.bashrc" "$HOME/.profile" "$HOME/.config" "$HOME/.ssh" 2>&1 | md5sum)" = "$home_before" ] &&
        pass "host home's dot files untouched" ||
        fail "host home's dot files untouched" "$(ls -la "$HOME")"

# a host folder bound at the home gets no decoys planted into it
mkdir -p "$TEST_TMPDIR/realhome"
trace boundhome --bind "$TEST_TMPDIR/realhome" /home/sandbox -- /bin/sh -c 'ls -A ~'
if [ -z "$(ls -A "$TEST_TMPDIR/realhome")" ]; then
        pass "no canaries planted into a bound host home"
else
        fail "no canaries planted into a bound host home" "$(ls -A "$TEST_TMPDIR/realhome")"
fi
