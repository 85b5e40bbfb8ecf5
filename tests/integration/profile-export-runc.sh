#!/bin/sh
# airlock-test: root-only
# (runc needs root here: rootless runc needs a delegated cgroup and subordinate ids that the
# unprivileged test user does not have.)
# The OCI seccomp JSON that "airlock profile export" writes is accepted by runc (Debian's
# package) in a bundle of Debian's busybox-static, and enforced there as by airlock: under
# strict, chown (@chown) is refused and an ordinary shell works; without it chown works.
. "$AIRLOCK_SRC/tests/lib.sh"

[ "$(uname -m)" = x86_64 ] || { skip "profile-export-runc" "the exported JSON lists x86_64"; exit 0; }
if ! command -v runc >/dev/null || [ ! -x /bin/busybox ]; then
        fail "export runc: runc and busybox-static are installed" "Debian packages runc, busybox-static"
        exit 0
fi
T=$TEST_TMPDIR
B=$T/bundle
mkdir -p "$B/rootfs/bin"
cp /bin/busybox "$B/rootfs/bin/busybox"
for a in sh cat chown; do ln -s busybox "$B/rootfs/bin/$a"; done
(cd "$B" && runc spec) || { fail "export runc: runc spec"; exit 0; }
"$AIRLOCK" profile export strict --format oci-seccomp >"$T/strict.json" ||
        fail "export runc: export strict"

# bundle_with SECCOMP-JSON|none: config.json runs the shell with that filter
bundle_with() {
        "$PY" - "$B/config.json" "$1" <<'PYEOF'
import json, sys
path, seccomp = sys.argv[1], sys.argv[2]
c = json.load(open(path))
c["process"]["terminal"] = False
c["process"]["args"] = ["/bin/sh", "-c",
                        "echo hello >/dev/x; cat /dev/x; chown 0:0 /dev/x; echo chown=$?"]
c["linux"].pop("seccomp", None)
if seccomp != "none":
    c["linux"]["seccomp"] = json.load(open(seccomp))
json.dump(c, open(path, "w"), indent=1)
PYEOF
}
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
ROOT=$T/runc-root
ID=airlock-export-$$

bundle_with "$T/strict.json"
_out=$(cd "$B" && timeout 60 runc --root "$ROOT" run "$ID-a" 2>"$T/runc.err")
_rc=$?
expect_eq "export runc: runc runs the bundle under the exported strict JSON" "0
hello
chown=1" "$_rc
$_out"
expect_grep "export runc: chown is refused with EPERM" "Operation not permitted" cat "$T/runc.err"

bundle_with none
_out=$(cd "$B" && timeout 60 runc --root "$ROOT" run "$ID-b" 2>"$T/runc.err")
expect_eq "export runc: without the JSON chown works (the check can fail)" "hello
chown=0" "$_out"
runc --root "$ROOT" delete -f "$ID-a" 2>/dev/null
runc --root "$ROOT" delete -f "$ID-b" 2>/dev/null
