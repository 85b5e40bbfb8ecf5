#!/bin/sh
# airlock run --trace: what the samples try never reaches the host. Checked from outside:
# the host's crontab spool, the invoking user's home, a host listener on loopback.
. "$AIRLOCK_SRC/tests/lib.sh"
. "$AIRLOCK_SRC/tests/helpers/monitor/trace-lib.sh"

build_samples
S=/opt/samples/sample-raw

# A listener on the host's loopback; the scan inside must not reach it.
host_listener_start || { fail "host listener" "did not start"; exit 1; }

# Something real in the spool to compare: a planted crontab (as root), else whatever is there.
spool=/var/spool/cron/crontabs
planted_cron=""
made_spool=""
[ -d "$spool" ] || made_spool=$spool
[ -d "${spool%/*}" ] || made_spool="$spool ${spool%/*}"
if is_root && mkdir -p "$spool" 2>/dev/null; then
        planted_cron=$spool/airlock-test-$$
        echo "# airlock test $$" >"$planted_cron"
fi
# Each file of the spool, listed and read, but the crontabs the same test plants in the phase
# running beside this one (airlock-test-PID: theirs come and go, and with them the folder's
# own times), which no sandbox of this run writes.
spool_state() {
        for _f in "$spool"/*; do
                [ -e "$_f" ] || continue
                case ${_f##*/} in airlock-test-[0-9]*) [ "$_f" = "$planted_cron" ] || continue ;; esac
                ls -l --time-style=full-iso "$_f" && cat "$_f"
        done 2>/dev/null
}
spool_before=$(spool_state | md5sum)
echo "# host bashrc" >"$HOME/.bashrc"
home_before=$(ls -la "$HOME/.bashrc" "$HOME/.profile" "$HOME/.config" "$HOME/.ssh" 2>&1 | md5sum)
rc_before=$(md5sum <"$HOME/.bashrc")

trace host-persist -- /bin/sh -c "$S persist \$HOME; echo x >> ~/.bashrc; \
        echo '* * * * * /tmp/x' > /var/spool/cron/crontabs/root 2>/dev/null; true"
expect_finding host-persist T1546.004 high

# the scan sample connects to the host listener's port and its neighbours
trace host-scan -- $S scan 20 $((port - 10))
expect_finding host-scan T1046 medium

host_listener_stop
if [ "$hits" = 0 ]; then
        pass "host listener on 127.0.0.1:$port got no connection"
else
        fail "host listener on 127.0.0.1:$port got no connection" "$hits connections"
fi
# The spool check is a root one: only root can plant a crontab to compare, and as a user the
# file permissions alone would keep the program out of the spool.
if ! is_root; then
        :
elif [ -z "$(ls -A "$spool" 2>/dev/null)" ]; then
        fail "host crontab spool untouched" "the planted crontab is not there to compare"
elif [ "$(spool_state | md5sum)" = "$spool_before" ]; then
        pass "host crontab spool untouched"
else
        fail "host crontab spool untouched" "it changed: $(ls -la "$spool")"
fi
[ -n "$planted_cron" ] && rm -f "$planted_cron"
for d in $made_spool; do is_root && rmdir "$d" 2>/dev/null; done
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
