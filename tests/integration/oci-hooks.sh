#!/bin/sh
# airlock-runtime's OCI hooks (issue 13): prestart, createRuntime, createContainer,
# startContainer, poststart and poststop run in the spec's order with the state JSON (and its
# status) on stdin, with their args, env and timeout; createRuntime and poststart in the
# runtime's namespaces, createContainer and startContainer in the container's (its hostname,
# as its user); a failing create or start hook fails create or start, a failing poststart is
# a warning; a hook path through a link the container could have planted is refused.
. "$AIRLOCK_SRC/tests/lib.sh"

. "$AIRLOCK_SRC/tests/integration/oci-runtime.lib"

B=$TEST_TMPDIR/bundle
oci_test_bundle "$B"

# the log the hooks and the program append to: bound into the container at /hk, writable by
# the container's user; the hook scripts live outside it
HK=$TEST_TMPDIR/hk
BIN=$TEST_TMPDIR/bin
mkdir -p "$HK" "$BIN"
chmod 777 "$HK"
LOG=$HK/log
cat >"$BIN/hook" <<EOF
#!/bin/sh
# a runtime-side hook: its name, its mount namespace, HOOKVAR and the state, one line
printf '%s %s %s %s\n' "\$1" "\$(readlink /proc/self/ns/mnt)" "\${HOOKVAR:-unset}" "\$(tr -d '\n')" >>"$LOG"
exit "\${2:-0}"
EOF
chmod 755 "$BIN/hook"
mymnt=$(readlink /proc/self/ns/mnt)

# hooks.KIND = [one hook]; runtime-side ones run $BIN/hook, container-side ones busybox sh
hooks_cfg() {
        cfg "
hk = '$BIN/hook'
def rt_hook(kind, status=0, **kw):
    h = {'path': hk, 'args': ['hook', kind, str(status)], 'env': ['HOOKVAR=' + kind]}
    h.update(kw)
    return h
def ct_hook(kind, status=0):
    return {'path': '/bin/busybox', 'args': ['sh', '-c',
            'echo %s \$(id -u) \$(hostname) \$(tr -d \"\\\\n\") >>/hk/log; exit %d' % (kind, status)]}
c['hostname'] = 'hook-box'
c['mounts'].append({'destination': '/hk', 'type': 'bind', 'source': '$HK', 'options': ['rbind']})
c['process']['args'] = ['sh', '-c', 'echo program >>/hk/log; $1']
c['hooks'] = {'prestart': [rt_hook('prestart')], 'createRuntime': [rt_hook('createRuntime')],
              'createContainer': [ct_hook('createContainer')],
              'startContainer': [ct_hook('startContainer')],
              'poststart': [rt_hook('poststart')], 'poststop': [rt_hook('poststop')]}
$2"
        : >"$LOG"
        chmod 666 "$LOG"
}

# the log as "kind status" lines (program: "program"), then checks on the state they saw
summary() {
        python3 - "$LOG" "$1" "$mymnt" <<'PY'
import json, sys
out = []
for line in open(sys.argv[1]):
    w = line.split(None, 3)
    if w[0] == "program":
        out.append("program")
        continue
    state = json.loads(w[3]) if w[3].strip().startswith("{") else {}
    assert state.get("id") == sys.argv[2], (w[0], state)
    assert state.get("ociVersion", "").startswith("1."), state
    out.append("%s %s" % (w[0], state.get("status")))
    if w[0] in ("prestart", "createRuntime", "poststart", "poststop"):
        # the runtime's mount namespace and the hook's own env
        assert w[1] == sys.argv[3], (w[0], "mnt", w[1])
        assert w[2] == w[0], (w[0], "env", w[2])
    if w[0] != "poststop":
        assert state.get("pid", 0) > 0, (w[0], state)
print(" ".join(out))
PY
}
# what the container-side hooks saw: their uid and hostname
inside() { awk '$1 == "createContainer" || $1 == "startContainer" { print $1, $2, $3 }' "$LOG"; }
want_uid=0 # root inside its user namespace (mapped to 65534 when root starts it)

# ---- create, start, delete: every hook in order, the program between start's hooks
hooks_cfg 'sleep 30'
expect_status "create runs prestart, createRuntime, createContainer" 0 \
        rt create --bundle "$B" h-life
expect_eq "create's hooks, in order, with status creating" \
        "prestart creating createRuntime creating createContainer creating" "$(summary h-life)"
expect_status "start runs startContainer, then poststart" 0 rt start h-life
wait_for 10 grep -q program "$LOG"
expect_status "delete --force runs poststop" 0 rt delete --force h-life
expect_eq "the whole lifecycle's hooks, in order" \
        "prestart creating createRuntime creating createContainer creating startContainer created program poststart running poststop stopped" \
        "$(summary h-life | sed 's/program poststart running/program poststart running/;s/poststart running program/program poststart running/')"
expect_eq "createContainer and startContainer run in the container, as its user" \
        "createContainer $want_uid hook-box
startContainer $want_uid hook-box" "$(inside)"

# ---- run: the same hooks in one command
hooks_cfg ''
expect_status "run with hooks" 0 rt run --bundle "$B" h-run
expect_eq "run's hooks, in order" \
        "prestart creating createRuntime creating createContainer creating startContainer created poststart running program poststop stopped" \
        "$(summary h-run | sed 's/program poststart running/poststart running program/')"

# ---- failures: create and start hooks fail their command, poststart only warns
hooks_cfg 'echo ran' "c['hooks']['createRuntime'] = [rt_hook('createRuntime', 3)]"
expect_grep "a failing createRuntime hook fails create, named" \
        'hooks.createRuntime\[0\].*exited with status 3' rt create --bundle "$B" h-fail1
expect_status "no container is left after a failed create" 1 rt state h-fail1
expect_eq "the program never ran; poststop did" \
        "prestart creating createRuntime creating poststop stopped" "$(summary h-fail1)"

hooks_cfg 'echo ran' "c['hooks']['createContainer'] = [ct_hook('createContainer', 4)]"
expect_grep "a failing createContainer hook fails run" \
        'hooks.createContainer\[0\].*exited with status 4' rt run --bundle "$B" h-fail2
expect_eq "run stopped before the program" \
        "prestart creating createRuntime creating createContainer creating poststop stopped" \
        "$(summary h-fail2)"

hooks_cfg 'sleep 30' "c['hooks']['startContainer'] = [ct_hook('startContainer', 5)]"
expect_status "create before a failing startContainer" 0 rt create --bundle "$B" h-fail3
expect_grep "a failing startContainer hook fails start" \
        'hooks.startContainer\[0\].*exited with status 5' rt start h-fail3
stopped() { rt state h-fail3 2>/dev/null | grep -Eq '"status": ?"stopped"'; }
if wait_for 10 stopped; then pass "the container is stopped"; else fail "the container is stopped" "$(rt state h-fail3 2>&1)"; fi
expect_status "delete after a failed start" 0 rt delete h-fail3
if grep -q program "$LOG"; then fail "the program did not run" "$(cat "$LOG")"; else pass "the program did not run"; fi

hooks_cfg '' "c['hooks']['poststart'] = [rt_hook('poststart', 6)]"
expect_output "a failing poststart hook is a warning" "" rt run --bundle "$B" h-warn
expect_grep "the warning names the hook" 'hooks.poststart\[0\].*status 6' cat "$TEST_TMPDIR/.err"

# ---- timeout: the hook is killed, create fails soon
hooks_cfg '' "c['hooks'] = {'createRuntime': [{'path': '$BUSYBOX', 'args': ['sleep', '20'], 'timeout': 1}]}"
t0=$(date +%s)
expect_grep "a hook past its timeout fails create" 'timeout of 1 s' rt create --bundle "$B" h-time
t1=$(date +%s)
if [ $((t1 - t0)) -lt 10 ]; then pass "the timeout ended it ($((t1 - t0)) s)"; else fail "the timeout ended it" "$((t1 - t0)) s"; fi
expect_status "no container after the timeout" 1 rt state h-time

# ---- a hook path through a link in the container's rootfs (which it could have planted)
ln -s "$BIN/hook" "$B/rootfs/hooklink"
hooks_cfg '' "c['hooks'] = {'createRuntime': [rt_hook('createRuntime', path='$B/rootfs/hooklink')]}"
expect_grep "a hook path through a link in the rootfs is refused" \
        'hooks.createRuntime\[0\].*cannot run it: Too many levels of symbolic links' \
        rt run --bundle "$B" h-link
expect_eq "the linked hook did not run" "" "$(cat "$LOG")"
rm -f "$B/rootfs/hooklink"

# ---- the spec's hooks are checked before anything runs
hooks_cfg '' "c['hooks'] = {'preStart': [rt_hook('x')]}"
expect_grep "an unknown hook kind is named" 'hooks.preStart: not a hook' rt run --bundle "$B" h-bad1
hooks_cfg '' "c['hooks'] = {'poststop': [{'path': 'hook'}]}"
expect_grep "a relative hook path is named" 'hooks.poststop\[0\].path: expected an absolute' \
        rt run --bundle "$B" h-bad2
hooks_cfg '' "c['hooks'] = {'poststop': [{'path': '/bin/true', 'timeout': 0}]}"
expect_grep "a zero timeout is named" 'hooks.poststop\[0\].timeout' rt run --bundle "$B" h-bad3
