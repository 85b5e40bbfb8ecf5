#!/bin/sh
# A container's lifecycle (create, start, wait for its end, delete) with airlock-runtime, runc
# and crun side by side, in one run, on the same bundle: Debian's busybox-static as the rootfs
# and the config.json of "airlock-runtime spec" (read-only root, own pid, ipc, uts, mount,
# network and cgroup namespaces), running "true". Prints a Markdown section: per lifecycle the
# wall time and the CPU time (user + system of the runtime and what it started, as wait4
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

# One lifecycle: create (stdio to /dev/null), start, wait until the container's pid is gone,
# delete. The pid is the one the pid file names (for airlock-runtime its keeper).
cat >"$tmp/cycle.sh" <<'EOF'
rt=$1 root=$2 B=$3 n=$4
i=0
while [ "$i" -lt "$n" ]; do
        id=bench-$$-$i
        "$rt" --root "$root" create --bundle "$B" --pid-file "$root/pid" "$id" \
                </dev/null >/dev/null 2>"$root/err" || { cat "$root/err" >&2; exit 1; }
        pid=$(cat "$root/pid")
        "$rt" --root "$root" start "$id" || exit 1
        while kill -0 "$pid" 2>/dev/null; do :; done
        "$rt" --root "$root" delete "$id" >/dev/null 2>&1 ||
                "$rt" --root "$root" delete --force "$id" || exit 1
        i=$((i + 1))
done
EOF

# "WALL CPU CSW" per lifecycle (seconds, seconds, voluntary + involuntary), or "- error".
measure() {
        _rt=$1
        _root=$tmp/root-$(basename "$_rt")
        mkdir -p "$_root"
        # a warm-up cycle, which also tells whether this runtime works here
        if ! sh "$tmp/cycle.sh" "$_rt" "$_root" "$B" 1 2>"$tmp/err"; then
                echo "- $(head -c 160 "$tmp/err" | tr '\n' ' ')"
                return
        fi
        /usr/bin/time -f '%e %U %S %w %c' -o "$tmp/time" sh "$tmp/cycle.sh" "$_rt" "$_root" "$B" "$runs" ||
                { echo "- failed"; return; }
        awk -v n="$runs" '{ printf "%.4f %.4f %.0f\n", $1 / n, ($2 + $3) / n, ($4 + $5) / n }' "$tmp/time"
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
echo "the CPU time and the context switches are the steadier figures. The wait is a busy \`kill -0\`"
echo "loop of the shell, counted in every runtime's CPU time."
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
