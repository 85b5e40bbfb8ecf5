#!/bin/sh
# Resource containment, side by side with bubblewrap and firejail: what a sandbox costs at
# start-up with its limits in place, and how fast a runaway program is stopped.
# Prints a Markdown section. Runs as root (firejail is setuid; airlock uses cgroup v1 then)
# and, for the rlimit fallback, as nobody. Needs hyperfine.
set -u
: "${AIRLOCK:?}"
runs=${BENCH_RUNS:-10}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp "$AIRLOCK" "$tmp/airlock" && chmod 755 "$tmp" "$tmp/airlock"
A=$tmp/airlock
py_alloc='a = []
while True: a.append(bytearray(1 << 20))'

# mean NAME CMD: mean wall time in ms over $runs runs (hyperfine, no shell)
mean() {
        _name=$1
        shift
        hyperfine -N -i -w 2 -r "$runs" --export-json "$tmp/$_name.json" -- "$*" >/dev/null 2>&1
        python3 -c "import json,sys; print('%.1f' % (json.load(open(sys.argv[1]))['results'][0]['mean']*1000))" "$tmp/$_name.json"
}
ratio() { python3 -c "import sys; print('%.2f' % (float(sys.argv[1]) / float(sys.argv[2])))" "$1" "$2"; }

bwrap_args="--unshare-all --die-with-parent --ro-bind /usr /usr --symlink usr/lib /lib
--symlink usr/lib64 /lib64 --symlink usr/bin /bin --proc /proc --dev /dev --tmpfs /tmp"
as_nobody="setpriv --reuid=65534 --regid=65534 --clear-groups"

a_root=$(mean a_root "$A" run -- /bin/true)
a_user=$(mean a_user $as_nobody "$A" run -- /bin/true)
bw=$(mean bwrap bwrap $bwrap_args /bin/true)
fj=$(mean firejail firejail --quiet --noprofile --rlimit-nproc=1024 --rlimit-as=6g /bin/true)

# Stopping a runaway: an allocation loop with a 64 MiB limit, and a sleep with a 1 s timeout.
m_a=$(mean mem_a "$A" run --memory 64M -- python3 -c "$py_alloc")
m_f=$(mean mem_f firejail --quiet --noprofile --rlimit-as=64m python3 -c "$py_alloc")
t_a=$(mean to_a "$A" run --timeout 1 -- sleep 10)
t_f=$(mean to_f firejail --quiet --noprofile --timeout=00:00:01 sleep 10)

# CPU share: --cpus 0.5 on a busy loop, from the cgroup's accounting.
"$A" run --cpus 0.5 --timeout 3 --report "$tmp/cpu.json" -- sh -c 'while :; do :; done' >/dev/null 2>&1
cpu=$(python3 -c "import json,sys; r=json.load(open(sys.argv[1]))['resources']; print('%.2f' % (r['cpu_usec']/r['wall_usec']))" "$tmp/cpu.json")

cat <<EOT
## Resource containment (bench/bench-resources.sh)

$runs runs each (hyperfine, mean wall time). airlock as root limits memory, tasks and CPU
with cgroup v1 (created and removed on every run); as nobody with rlimits. bubblewrap sets
no limit at all; firejail only the rlimits it is given.

| what | airlock | bubblewrap | firejail | airlock / bubblewrap | airlock / firejail |
|---|---|---|---|---|---|
| start-up, \`true\`, root (cgroup v1, default limits) | $a_root ms | $bw ms | $fj ms | $(ratio "$a_root" "$bw") | $(ratio "$a_root" "$fj") |
| start-up, \`true\`, nobody (rlimit fallback) | $a_user ms | | | | |
| allocation loop stopped at 64 MiB | $m_a ms (cgroup OOM kill) | never (no limit) | $m_f ms (RLIMIT_AS) | | $(ratio "$m_a" "$m_f") |
| \`sleep 10\` with a 1 s timeout | $t_a ms | no timeout | $t_f ms | | $(ratio "$t_a" "$t_f") |

Cost of the cgroup at start-up: $(ratio "$a_root" "$a_user") (root with cgroup over nobody
without). A busy loop with \`--cpus 0.5\` used $cpu of a CPU (cgroup accounting).
EOT
