#!/bin/sh
# airlock-test: root-only
# (runc and crun need root here: rootless containers need a delegated cgroup and subordinate
# ids that the unprivileged test user does not have.)
# nginx learned by airlock under a load test, then enforced by the OCI runtimes with the
# exported seccomp JSON alone (config.json's linux.seccomp; for runc with --for-runc, the two
# calls runc's init makes after loading the filter): Debian's runc and crun run
# Debian's nginx in a bundle whose root is an empty read-only folder with the host's /usr and
# /etc bound read-only and the site's folder read-write, on the host's network; the same load
# test passes under each (every request 200), and a system call nginx never made (connect,
# from the probe in the same bundle) is refused with EPERM by the JSON. Without the JSON the
# probe connects (the check can fail).
# crun 1.8 refuses a hybrid cgroup hierarchy (v1 controllers with a v2 tree that has a
# controller, as on this CI machine) even with --cgroup-manager=disabled; it runs here in a
# private mount namespace whose /sys/fs/cgroup is the v2 tree, so that it sees a unified one.
. "$AIRLOCK_SRC/tests/lib.sh"
. "$AIRLOCK_SRC/tests/run-lib.sh"
. "$AIRLOCK_SRC/tests/helpers/nginx-lib.sh"

[ "$(uname -m)" = x86_64 ] || { skip "learn-nginx-oci" "the exported JSON lists x86_64"; exit 0; }
if [ ! -x "$NGINX" ] || ! command -v ab >/dev/null; then
        sh "$AIRLOCK_SRC/scripts/deps.sh" >/dev/null 2>&1
fi
for c in "$NGINX" ab runc crun; do
        if ! command -v "$c" >/dev/null; then
                fail "learn-nginx-oci: $c is installed" "Debian packages nginx-light, apache2-utils, runc, crun"
                exit 0
        fi
done
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
T=$TEST_TMPDIR
nginx_site "$T/ng"
# nginx runs as nobody in the bundles, as it ran unprivileged under airlock while learning
chmod -R a+rwX "$T/ng"
load() { ab_load "$1" 8 "http://127.0.0.1:$P/" "$T/ab.out"; }

# shellcheck disable=SC2086 # $NG is a word list
"$AIRLOCK" learn --net host --ro-bind "$D" "$D" --bind "$D/run" "$D/run" -o "$T/nginx.profile" \
        -- $NG -g 'daemon off;' >"$T/learn.out" 2>"$T/learn.err" &
LPID=$!
wait_for 10 up || fail "learn-nginx-oci: nginx serves while learning" "$(tail -3 "$T/learn.err")"
expect_eq "learn-nginx-oci: the load test passes while learning" "300 0 0" "$(load 300)"
kill -TERM "$LPID"
wait "$LPID"
# crun loads the filter last; runc's init makes two calls after it (--for-runc adds them)
if ! "$AIRLOCK" profile export "$T/nginx.profile" --format oci-seccomp >"$T/crun.json" 2>"$T/export.err" ||
        ! "$AIRLOCK" profile export "$T/nginx.profile" --format oci-seccomp --for-runc \
                >"$T/runc.json" 2>>"$T/export.err"; then
        fail "learn-nginx-oci: export --format oci-seccomp" "$(cat "$T/export.err")"
        exit 0
fi
expect_eq "learn-nginx-oci: --for-runc adds fstatfs and getdents64, nothing else" \
        '> "fstatfs",
> "getdents64",' "$("$PY" -m json.tool "$T/crun.json" >"$T/a" && "$PY" -m json.tool "$T/runc.json" >"$T/b" &&
                diff "$T/a" "$T/b" | grep '^[<>]' | tr -s ' ')"

# The bundle: an empty read-only root with /usr (and the /bin, /lib... links into it), /etc,
# the site and the probe; no network namespace (ab reaches nginx on the host's loopback); no
# cgroup mount; a cgroup below the caller's own (a relative cgroupsPath).
B=$T/bundle
mkdir -p "$B/rootfs/usr" "$B/rootfs/etc" "$B/rootfs$D" "$B/rootfs/tmp"
for l in bin sbin lib lib64; do
        [ -L "/$l" ] && ln -s "$(readlink "/$l")" "$B/rootfs/$l"
        [ -L "/$l" ] || mkdir -p "$B/rootfs/$l"
done
: >"$B/rootfs/probe"
(cd "$B" && runc spec) || { fail "learn-nginx-oci: runc spec"; exit 0; }
# bundle_with SECCOMP-JSON|none ARGS...: config.json runs ARGS with that filter
bundle_with() {
        "$PY" - "$B/config.json" "$D" "$PROBE" "$$" "$@" <<'PYEOF'
import json, os, sys
path, site, probe, pid, seccomp, args = sys.argv[1:6] + [sys.argv[6:]]
c = json.load(open(path))
c["process"]["terminal"] = False
c["process"]["args"] = args
c["process"]["user"] = {"uid": 65534, "gid": 65534}
c["root"] = {"path": "rootfs", "readonly": True}
c["linux"]["namespaces"] = [n for n in c["linux"]["namespaces"] if n["type"] != "network"]
c["linux"]["cgroupsPath"] = "airlock-learn-oci-" + pid
c["mounts"] = [m for m in c["mounts"] if m["type"] != "cgroup"]
binds = [("/usr", "/usr", "ro"), ("/etc", "/etc", "ro"), (site, site, "rw"),
         (probe, "/probe", "ro")]
for d in ("bin", "sbin", "lib", "lib64"):
    if not os.path.islink("/" + d) and os.path.isdir("/" + d):
        binds.append(("/" + d, "/" + d, "ro"))
for src, dst, mode in binds:
    c["mounts"].append({"destination": dst, "type": "bind", "source": src,
                        "options": ["rbind", mode]})
c["linux"].pop("seccomp", None)
if seccomp != "none":
    c["linux"]["seccomp"] = json.load(open(seccomp))
json.dump(c, open(path, "w"), indent=1)
PYEOF
}
RUNC_ROOT=$T/runc-root
CRUN_ROOT=$T/crun-root
# oci RUNTIME ID: runc or crun, "run" in the bundle, in the foreground
oci() {
        _rt=$1
        shift
        if [ "$_rt" = runc ]; then
                (cd "$B" && exec runc --root "$RUNC_ROOT" run "$@")
        elif [ "$(stat -f -c %T /sys/fs/cgroup)" != cgroup2fs ] &&
                [ "$(stat -f -c %T /sys/fs/cgroup/unified 2>/dev/null)" = cgroup2fs ]; then
                # shellcheck disable=SC2016 # expanded by the inner shell
                (cd "$B" && exec unshare -m --propagation private sh -c \
                        'mount --bind /sys/fs/cgroup/unified /sys/fs/cgroup &&
                        exec crun --cgroup-manager=disabled --root "$0" run "$@"' "$CRUN_ROOT" "$@")
        else
                (cd "$B" && exec crun --cgroup-manager=disabled --root "$CRUN_ROOT" run "$@")
        fi
}
oci_stop() { # oci_stop RUNTIME ID PID
        if [ "$1" = runc ]; then
                runc --root "$RUNC_ROOT" kill "$2" TERM 2>/dev/null
        else
                crun --root "$CRUN_ROOT" kill "$2" TERM 2>/dev/null
        fi
        wait "$3"
        if [ "$1" = runc ]; then
                runc --root "$RUNC_ROOT" delete -f "$2" 2>/dev/null
        else
                crun --root "$CRUN_ROOT" delete -f "$2" 2>/dev/null
        fi
}

n=0
for rt in runc crun; do
        n=$((n + 1))
        # shellcheck disable=SC2086 # $NG is a word list
        bundle_with "$T/$rt.json" $NG -g 'daemon off;'
        oci "$rt" "ng$n-$$" >"$T/$rt.out" 2>"$T/$rt.err" &
        opid=$!
        if wait_for 10 up; then
                expect_eq "learn-nginx-oci: $rt: the load test passes under the exported JSON, every request 200" \
                        "2000 0 0" "$(load 2000)"
        else
                fail "learn-nginx-oci: $rt: nginx serves under the exported JSON" \
                        "$(tail -3 "$T/$rt.err"; tail -3 "$D/run/error.log" 2>/dev/null)"
        fi
        oci_stop "$rt" "ng$n-$$" "$opid"
        expect_eq "learn-nginx-oci: $rt: nginx ends cleanly on SIGTERM" "" \
                "$(grep -E 'emerg|alert|crit' "$D/run/error.log" 2>/dev/null)"

        bundle_with "$T/$rt.json" /probe tcp "$P"
        expect_grep "learn-nginx-oci: $rt: a call nginx never made (connect) is refused by the JSON" \
                "^tcp: denied \(EPERM\) seccomp=2" oci "$rt" "pr$n-$$"
        bundle_with none /probe tcp "$P"
        if oci "$rt" "pc$n-$$" 2>&1 | grep -q "EPERM"; then
                fail "learn-nginx-oci: $rt: (control) without the JSON connect is not refused" \
                        "$(oci "$rt" "pd$n-$$" 2>&1)"
        else
                pass "learn-nginx-oci: $rt: (control) without the JSON connect is not refused"
        fi
done
exit 0
