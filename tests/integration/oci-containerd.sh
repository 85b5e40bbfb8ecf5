#!/bin/sh
# containerd 1.6 with airlock-runtime (issue 13): the test starts its own containerd (own
# root, state and socket under a temporary folder, no CRI plugin), imports an OCI archive it
# builds from Debian's busybox-static with tar and JSON (no registry), and runs it with
# `ctr run --runc-binary airlock-runtime` through containerd's runc v2 shim: the output, the
# exit status, exec, kill and delete, and that the container runs under airlock (its
# seccomp filter and no_new_privs in /proc/self/status). containerd is stopped by its pid.
# Takes some 20 s under load.
# airlock-test: root-only
. "$AIRLOCK_SRC/tests/lib.sh"

. "$AIRLOCK_SRC/tests/integration/oci-runtime.lib"

for tool in containerd ctr containerd-shim-runc-v2; do
        if ! command -v "$tool" >/dev/null; then
                fail "containerd" "$tool is missing: install containerd (scripts/deps.sh)"
                exit 0
        fi
done
B=$TEST_TMPDIR/bundle
oci_test_bundle "$B"

# containerd's device cgroup rules (null, zero, ..., pts) are accepted; one beyond airlock's
# /dev is still named
cfg "c['linux']['resources']['devices'] = [{'allow': False, 'access': 'rwm'},
    {'allow': True, 'type': 'c', 'major': 1, 'minor': 3, 'access': 'rwm'},
    {'allow': True, 'type': 'c', 'major': 136, 'access': 'rwm'},
    {'allow': True, 'type': 'b', 'major': 8, 'minor': 0, 'access': 'rw'}]
c['process']['args'] = ['true']"
expect_grep "a device rule beyond airlock's /dev is named" \
        'linux\.resources\.devices\[3\]: a device beyond airlock.s /dev' rt run --bundle "$B" dv1
cfg "c['linux']['resources']['devices'] = [{'allow': False, 'access': 'rwm'},
    {'allow': True, 'type': 'c', 'major': 1, 'minor': 3, 'access': 'rwm'},
    {'allow': True, 'type': 'c', 'major': 136, 'access': 'rwm'}, {'allow': True, 'access': 'm'}]
c['process']['args'] = ['true']"
expect_status "rules for airlock's own devices and mknod are accepted" 0 rt run --bundle "$B" dv2

# a unix socket path is short: the folder is under /tmp
CD=$(mktemp -d /tmp/airlock-cd.XXXXXX)
CDPID=""
cleanup() {
        [ -z "$CDPID" ] || { kill "$CDPID" 2>/dev/null; wait "$CDPID" 2>/dev/null; }
        # the snapshots are plain folders (native snapshotter); a container's leftovers too
        rm -rf "$CD"
        # containerd puts a container's cgroup below one named after its namespace and, as
        # runc, leaves that parent: remove it where empty (rmdir removes nothing else)
        for d in /sys/fs/cgroup/*/airlock-test /sys/fs/cgroup/airlock-test; do
                [ ! -d "$d" ] || rmdir "$d" 2>/dev/null || true
        done
}
trap cleanup EXIT
cat >"$CD/config.toml" <<EOF
version = 2
root = "$CD/root"
state = "$CD/state"
disabled_plugins = ["io.containerd.grpc.v1.cri", "io.containerd.snapshotter.v1.btrfs",
  "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.aufs",
  "io.containerd.snapshotter.v1.devmapper", "io.containerd.internal.v1.opt",
  "io.containerd.tracing.processor.v1.otlp"]
[grpc]
  address = "$CD/c.sock"
[ttrpc]
  address = "$CD/c.ttrpc"
[debug]
  address = ""
[metrics]
  address = ""
EOF
containerd --config "$CD/config.toml" >"$CD/log" 2>&1 &
CDPID=$!
c() { timeout 60 ctr --address "$CD/c.sock" --namespace airlock-test "$@"; }
if wait_for 30 c version >/dev/null 2>&1; then pass "containerd started"; else fail "containerd started" "$(tail -5 "$CD/log")"; exit 0; fi

# an OCI image archive: one uncompressed layer (the busybox rootfs), its config, manifest,
# index and oci-layout, made with tar and JSON
python3 - "$B/rootfs" "$CD/image.tar" <<'PY'
import hashlib, io, json, os, sys, tarfile
rootfs, out = sys.argv[1], sys.argv[2]
layer = io.BytesIO()
with tarfile.open(fileobj=layer, mode="w") as t:
    for name in sorted(os.listdir(rootfs)):
        t.add(os.path.join(rootfs, name), arcname=name)
blobs = {}
def blob(data):
    d = hashlib.sha256(data).hexdigest()
    blobs[d] = data
    return {"digest": "sha256:" + d, "size": len(data)}
lay = blob(layer.getvalue())
cfg = blob(json.dumps({"architecture": "amd64", "os": "linux",
    "config": {"Env": ["PATH=/bin"], "Cmd": ["sh"], "WorkingDir": "/"},
    "rootfs": {"type": "layers", "diff_ids": [lay["digest"]]}}).encode())
man = blob(json.dumps({"schemaVersion": 2,
    "mediaType": "application/vnd.oci.image.manifest.v1+json",
    "config": dict(cfg, mediaType="application/vnd.oci.image.config.v1+json"),
    "layers": [dict(lay, mediaType="application/vnd.oci.image.layer.v1.tar")]}).encode())
index = {"schemaVersion": 2, "manifests": [dict(man,
    mediaType="application/vnd.oci.image.manifest.v1+json",
    annotations={"io.containerd.image.name": "localhost/airlock-bb:test",
                 "org.opencontainers.image.ref.name": "test"})]}
with tarfile.open(out, "w") as t:
    def add(name, data):
        i = tarfile.TarInfo(name)
        i.size = len(data)
        t.addfile(i, io.BytesIO(data))
    add("oci-layout", b'{"imageLayoutVersion": "1.0.0"}')
    add("index.json", json.dumps(index).encode())
    for d, data in blobs.items():
        add("blobs/sha256/" + d, data)
PY
expect_status "ctr image import of the local OCI archive" 0 \
        c image import --snapshotter native "$CD/image.tar"
expect_grep "the image is there" "localhost/airlock-bb:test" c image ls -q

run() { c run --snapshotter native --runc-binary "$RUNTIME" --cap-drop CAP_NET_RAW "$@"; }
expect_output "ctr run through airlock-runtime: the output" "hello from airlock" \
        run --rm localhost/airlock-bb:test r1 sh -c 'echo hello from airlock'
expect_status "ctr run: the exit status" 7 run --rm localhost/airlock-bb:test r2 sh -c 'exit 7'
# under airlock: its seccomp filter (mode 2), no_new_privs (containerd's default spec asks for
# it), containerd's default capabilities less CAP_NET_RAW, in the container's user namespace
expect_output "the container runs under airlock: seccomp, no_new_privs, the spec's capabilities" \
        "2 1 00000000a80405fb" run --rm localhost/airlock-bb:test r3 \
        sh -c 'set -- $(grep -E "^(Seccomp|NoNewPrivs|CapEff):" /proc/self/status); echo $6 $4 $2'

# detached: exec, kill, delete
expect_status "ctr run -d" 0 run -d localhost/airlock-bb:test d1 sleep 60
expect_grep "ctr task ls: running" "d1 +[0-9]+ +RUNNING" c task ls
expect_output "ctr task exec: the output" "in d1" \
        c task exec --exec-id e1 d1 sh -c 'echo in d1'
expect_status "ctr task exec: the exit status" 3 c task exec --exec-id e2 d1 sh -c 'exit 3'
expect_status "ctr task kill" 0 c task kill -s SIGKILL d1
stopped() { c task ls 2>/dev/null | grep -Eq "d1 +[0-9]+ +STOPPED"; }
if wait_for 20 stopped; then pass "ctr task ls: stopped after kill"; else fail "ctr task ls: stopped after kill" "$(c task ls 2>&1)"; fi
expect_status "ctr task delete" 0 c task delete d1
expect_status "ctr container delete" 0 c container delete d1
expect_eq "no container is left" "" "$(c container ls -q 2>&1)"
