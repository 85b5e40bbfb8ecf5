#!/bin/sh
# --display x11|wayland: a program reaches the host's display server through its socket alone,
# with real servers (Xvfb, weston's headless backend) and real clients (xdpyinfo,
# wayland-info). Without the flag it reaches neither, even on the host's network, where X's
# abstract socket is stopped by Landlock's scoping.
. "$AIRLOCK_SRC/tests/lib.sh"

started=""
cleanup() { for p in $started; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; }
trap cleanup EXIT INT TERM

# ---- X11 ----
n=$((200 + $$ % 500))
while [ -e "/tmp/.X11-unix/X$n" ] || [ -e "/tmp/.X$n-lock" ]; do n=$((n + 1)); done
Xvfb ":$n" -nolisten tcp >"$TEST_TMPDIR/xvfb.log" 2>&1 &
started="$started $!"
wait_for 10 test -S "/tmp/.X11-unix/X$n" || { fail "Xvfb" "did not start: $(cat "$TEST_TMPDIR/xvfb.log")"; exit 0; }
export DISPLAY=":$n"
expect_grep "x11: the client reaches the server" "name of display: +:$n" \
        "$AIRLOCK" run --display x11 -- xdpyinfo
expect_grep "x11: the choice is warned about" "X11 does not isolate clients" \
        "$AIRLOCK" run --display x11 -- /bin/true
expect_status "x11: without --display, no server (own network)" 1 \
        "$AIRLOCK" run --env DISPLAY -- xdpyinfo
expect_status "x11: without --display, no server (host network: abstract socket scoped)" 1 \
        "$AIRLOCK" run --net host --env DISPLAY -- xdpyinfo
expect_output "x11: only the display's socket is there" "X$n" \
        "$AIRLOCK" run --display x11 -- /bin/ls /tmp/.X11-unix
expect_grep "x11: lint rates it high" "high +bind /tmp/.X11-unix/X$n" \
        "$AIRLOCK" profile lint default --display x11
unset DISPLAY
expect_status "x11: no DISPLAY: status 125" 125 "$AIRLOCK" run --display x11 -- /bin/true
expect_grep "x11: no DISPLAY: says why" "not a local X display" "$AIRLOCK" run --display x11 -- /bin/true

# ---- Wayland ----
export XDG_RUNTIME_DIR="$TEST_TMPDIR/xdg"
mkdir -p "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
weston --backend=headless-backend.so --socket=wayland-airlock --idle-time=0 \
        >"$TEST_TMPDIR/weston.log" 2>&1 &
started="$started $!"
wait_for 15 test -S "$XDG_RUNTIME_DIR/wayland-airlock" ||
        { fail "weston" "did not start: $(tail -n 5 "$TEST_TMPDIR/weston.log")"; exit 0; }
# Started as root, the program runs as uid 65534: let it connect, as the user's own would.
if is_root; then
        chmod 755 "$XDG_RUNTIME_DIR"
        chmod 777 "$XDG_RUNTIME_DIR/wayland-airlock"
fi
export WAYLAND_DISPLAY=wayland-airlock
expect_grep "wayland: the client reaches the compositor" "wl_compositor" \
        "$AIRLOCK" run --display wayland -- wayland-info
out=$("$AIRLOCK" run --net host --env WAYLAND_DISPLAY --env XDG_RUNTIME_DIR -- wayland-info 2>&1)
rc=$?
case "$rc:$out" in
0:*) fail "wayland: without --display, no compositor" "wayland-info worked: $out" ;;
*"failed to create display"*) pass "wayland: without --display, no compositor" ;;
*) fail "wayland: without --display, no compositor" "status $rc: $out" ;;
esac
expect_output "wayland: the host's runtime folder is not there, only the socket" "wayland-0" \
        "$AIRLOCK" run --display wayland -- /bin/ls /run/airlock
expect_grep "wayland: lint rates it low" "low +bind .*/run/airlock/wayland-0" \
        "$AIRLOCK" profile lint default --display wayland
WAYLAND_DISPLAY=nothing-here expect_status "wayland: no socket: status 125" 125 \
        "$AIRLOCK" run --display wayland -- /bin/true
expect_status "bad value: status 125" 125 "$AIRLOCK" run --display vnc -- /bin/true
exit 0
