#!/bin/sh
# A container's lifecycle (create, start, wait for its end, delete) with airlock-runtime, runc
# and crun side by side, in one run, on the same bundle: Debian's busybox-static as the rootfs
# and the config.json of "airlock-runtime spec" (read-only root, own pid, ipc, uts, mount,
# network and cgroup namespaces), running "true". Prints a Markdown section: per lifecycle the
# wall time, the CPU time (user + system of the runtime and everything it started, as wait4
# counts them) and the context switches, and airlock-runtime's ratios to each peer (below 1:
# airlock-runtime is faster). Root only (runc and crun need it for this spec); a runtime that
# is missing or fails on this machine is listed with its error.
set -u
: "${AIRLOCK:?}"
RUNTIME=$(dirname "$AIRLOCK")/airlock-runtime
runs=${BENCH_RUNS:-30}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "## OCI runtime: a container's lifecycle"
echo
if [ "$(id -u)" != 0 ] || [ ! -x /bin/busybox ] || [ ! -x "$RUNTIME" ]; then
        echo "Skipped: needs root, Debian's busybox-static and a built airlock-runtime."
        exit 0
fi
B=$tmp/bundle
mkdir -p "$B/rootfs/bin" "$B/rootfs/etc" "$B/rootfs/proc" "$B/rootfs/dev" "$B/rootfs/tmp" \
        "$B/rootfs/sys"
cp /bin/busybox "$B/rootfs/bin/busybox"
ln -s busybox "$B/rootfs/bin/sh"
ln -s busybox "$B/rootfs/bin/true"
"$RUNTIME" spec --bundle "$B"
python3 - "$B/config.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
c['process']['args'] = ['true']
json.dump(c, open(sys.argv[1], 'w'), indent=1)
PY

# N lifecycles: create (stdio to /dev/null), start, wait for the container's pid, delete. The
# runner is a child subreaper: the pid that create leaves (the container's init for runc and
# crun, the keeper for airlock-runtime) becomes its child when create exits, so it waits for
# it, and that pid's CPU time and context switches count with the runtime commands'. Prints
# "WALL CPU CSW" per lifecycle (seconds, seconds, voluntary + involuntary) or "- error".
cat >"$tmp/cycle.py" <<'EOF'
import ctypes, os, resource, subprocess, sys, time
rt, root, bundle, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
def run(*args):
    # stderr to a file: the container keeps create's, a pipe would not end
    with open(root + "/err", "w+") as err:
        r = subprocess.run([rt, "--root", root] + list(args), stdin=subprocess.DEVNULL,
                           stdout=subprocess.DEVNULL, stderr=err)
        if r.returncode != 0:
            err.seek(0)
            print("- " + err.read()[:160].replace("\n", " "))
            sys.exit(0)
def usage():
    u = resource.getrusage(resource.RUSAGE_CHILDREN)
    return u.ru_utime + u.ru_stime, u.ru_nvcsw + u.ru_nivcsw
t0, (c0, s0) = time.monotonic(), usage()
for i in range(n):
    cid = "bench-%d-%d" % (os.getpid(), i)
    run("create", "--bundle", bundle, "--pid-file", root + "/pid", cid)
    pid = int(open(root + "/pid").read())
    run("start", cid)
    os.waitpid(pid, 0)
    run("delete", cid)
    while True:  # anything else left to us
        try:
            if os.waitpid(-1, os.WNOHANG)[0] == 0:
                break
        except ChildProcessError:
            break
t1, (c1, s1) = time.monotonic(), usage()
print("%.4f %.4f %.0f" % ((t1 - t0) / n, (c1 - c0) / n, (s1 - s0) / n))
EOF

measure() {
        _root=$tmp/root-$(basename "$1")
        mkdir -p "$_root"
        # a warm-up cycle, which also tells whether this runtime works here
        _w=$(python3 "$tmp/cycle.py" "$1" "$_root" "$B" 1)
        case $_w in -*) echo "$_w" && return ;; esac
        python3 "$tmp/cycle.py" "$1" "$_root" "$B" "$runs"
}

air=$(measure "$RUNTIME")
results="airlock-runtime|$air"
for peer in runc crun; do
        path=$(command -v "$peer" 2>/dev/null)
        if [ -z "$path" ]; then
                results="$results
$peer|- not installed"
                continue
        fi
        results="$results
$peer|$(measure "$path")"
done

echo "$runs lifecycles each (create, start, wait, delete of a busybox \`true\`), one runtime after"
echo "the other in one run on this machine; times per lifecycle. The machine is shared and loaded:"
echo "the CPU time (user + system of every process of the lifecycle, the container's included) and"
echo "the context switches are the steadier figures."
echo
echo "| runtime | version | wall ms | CPU ms | context switches | airlock-runtime's wall / CPU ratio |"
echo "|---|---|---|---|---|---|"
echo "$results" | while IFS='|' read -r name m; do
        case $name in
        airlock-runtime) ver=$("$RUNTIME" --version 2>/dev/null | head -n 1) ;;
        *) ver=$("$name" --version 2>/dev/null | head -n 1) ;;
        esac
        case $m in
        -*)
                echo "| $name | $ver | ${m#- } | | | |"
                continue
                ;;
        esac
        set -- $m
        ratio=""
        case $air in
        -*) ;;
        *)
                [ "$name" = airlock-runtime ] ||
                        ratio=$(echo "$air $m" | awk '{ printf "%.2f / %.2f", $1 / $4, $2 / $5 }')
                ;;
        esac
        echo "$1 $2 $3" | awk -v n="$name" -v v="$ver" -v r="$ratio" \
                '{ printf "| %s | %s | %.1f | %.1f | %d | %s |\n", n, v, $1 * 1000, $2 * 1000, $3, r }'
done
