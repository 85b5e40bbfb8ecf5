#!/bin/sh
# runtimetest's identity, noNewPrivileges and capability assertions without Go: the checks of
# its validatePosixUser (uid, gid), validateLinuxProcess (noNewPrivileges) and
# validateCapabilities (each of the five sets, every capability up to cap_last_cap), made on
# what a container of runtime-tools' default spec (generate.New("linux"), with the annotation
# bench-oci-validation.sh's wrapper adds) reads in its /proc/self/status. The numbers of the
# real suite's count that these make in each container that runs runtimetest; the suite itself
# (bench-oci-validation.sh) needs Go. Prints a Markdown section.
#
# BENCH_OCI_RUNTIMES lists the runtimes (default: airlock-runtime runc crun), each a name on
# PATH or a path (airlock-runtime is the build's); BENCH_OCI_ROUNDS the rounds, interleaved.
set -u
: "${AIRLOCK:?}"
build=$(cd "$(dirname "$AIRLOCK")" && pwd)
runtimes=${BENCH_OCI_RUNTIMES:-airlock-runtime runc crun}
rounds=${BENCH_OCI_ROUNDS:-3}

echo "## OCI runtime: runtimetest's identity and capability assertions"
echo
if [ "$(id -u)" != 0 ] || [ ! -x /bin/busybox ]; then
        echo "skipped: needs root and busybox-static."
        exit 0
fi
work=$(mktemp -d /tmp/airlock-bench-oci-id.XXXXXX)
trap 'rm -rf "$work"' EXIT INT TERM
root=$work/b/rootfs
mkdir -p "$root/bin" "$root/proc" "$root/dev" "$root/sys" "$root/tmp"
cp /bin/busybox "$root/bin/"
for a in sh grep id; do ln -s busybox "$root/bin/$a"; done
python3 - "$work/b/config.json" <<'PY'
import json, sys
caps = ["CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW",
        "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE",
        "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE"]
mounts = [
    {"destination": "/proc", "type": "proc", "source": "proc", "options": ["nosuid", "noexec", "nodev"]},
    {"destination": "/dev", "type": "tmpfs", "source": "tmpfs",
     "options": ["nosuid", "strictatime", "mode=755", "size=65536k"]},
]
json.dump({
    "ociVersion": "1.0.2", "hostname": "mrsdalloway",
    "root": {"path": "rootfs", "readonly": False},
    "annotations": {"airlock.allow-privileged": "true"},
    "process": {
        "terminal": False, "user": {"uid": 0, "gid": 0}, "cwd": "/",
        "args": ["sh", "-c", "id -u; id -g; grep -E '^(Cap|NoNewPrivs)' /proc/self/status"],
        "env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm"],
        "rlimits": [{"type": "RLIMIT_NOFILE", "hard": 1024, "soft": 1024}],
        "capabilities": {s: caps for s in ("bounding", "permitted", "inheritable", "effective", "ambient")},
    },
    "mounts": mounts,
    "linux": {"namespaces": [{"type": t} for t in ("pid", "network", "ipc", "uts", "mount")]},
}, open(sys.argv[1], "w"))
PY

# score OUTPUT: "passed/total" of the assertions, or "no container" with the first line
score() {
        python3 - "$1" "$work/b/config.json" <<'PY'
import json, sys
names = """CHOWN DAC_OVERRIDE DAC_READ_SEARCH FOWNER FSETID KILL SETGID SETUID SETPCAP LINUX_IMMUTABLE
NET_BIND_SERVICE NET_BROADCAST NET_ADMIN NET_RAW IPC_LOCK IPC_OWNER SYS_MODULE SYS_RAWIO SYS_CHROOT
SYS_PTRACE SYS_PACCT SYS_ADMIN SYS_BOOT SYS_NICE SYS_RESOURCE SYS_TIME SYS_TTY_CONFIG MKNOD LEASE
AUDIT_WRITE AUDIT_CONTROL SETFCAP MAC_OVERRIDE MAC_ADMIN SYSLOG WAKE_ALARM BLOCK_SUSPEND AUDIT_READ
PERFMON BPF CHECKPOINT_RESTORE""".split()
lines = [l for l in sys.argv[1].split("\n") if l and not l.startswith("airlock-runtime:")]
proc = json.load(open(sys.argv[2]))["process"]
status = dict(l.split(":\t", 1) for l in lines if ":\t" in l)
if len(lines) < 2 or not lines[0].isdigit() or "CapBnd" not in status:
    print("no container: " + (lines[0] if lines else "no output")[:60])
    sys.exit()
last = min(int(open("/proc/sys/kernel/cap_last_cap").read()), len(names) - 1)
checks = [int(lines[0]) == proc["user"]["uid"], int(lines[1]) == proc["user"]["gid"],
          (status["NoNewPrivs"] == "1") == proc.get("noNewPrivileges", False)]
for field, key in (("CapBnd", "bounding"), ("CapEff", "effective"), ("CapInh", "inheritable"),
                   ("CapPrm", "permitted"), ("CapAmb", "ambient")):
    held = int(status[field], 16)
    checks += [bool(held >> i & 1) == ("CAP_" + names[i] in proc["capabilities"][key])
               for i in range(last + 1)]
print(f"{sum(checks)}/{len(checks)}")
PY
}

n=0
for _ in $(seq "$rounds"); do
        for rt in $runtimes; do
                bin=$rt
                [ "$rt" = airlock-runtime ] && bin=$build/airlock-runtime
                command -v "$bin" >/dev/null 2>&1 || continue
                n=$((n + 1))
                out=$("$bin" --root "$work/state-$n" run --bundle "$work/b" "bench-id-$$-$n" 2>&1)
                echo "$rt $(score "$out")" >>"$work/results"
        done
done
echo "runtime-tools' default spec (14 capabilities in each set, noNewPrivileges false), run as"
echo "root, $rounds rounds interleaved on $(date -u +%Y-%m-%d), kernel $(uname -r); a runtime's"
echo "results are listed once when every round gave the same."
echo
echo "| runtime | version | identity, noNewPrivileges and capability assertions passed |"
echo "|---|---|---|"
for rt in $runtimes; do
        bin=$rt
        [ "$rt" = airlock-runtime ] && bin=$build/airlock-runtime
        command -v "$bin" >/dev/null 2>&1 || continue
        v=$("$bin" --version 2>/dev/null | head -1)
        r=$(awk -v rt="$rt" '$1 == rt { $1 = ""; sub(/^ /, ""); print }' "$work/results" | sort -u |
                paste -sd ';' | sed 's/;/; /g')
        echo "| $rt | $v | $r |"
done
