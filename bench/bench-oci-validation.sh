#!/bin/sh
# opencontainers/runtime-tools' validation suite run with runc, crun and airlock-runtime side by
# side, in one run, as root. Prints a Markdown section: per test, each runtime's passing TAP
# assertions over the assertions it printed (skips apart), and keeps each TAP output in
# $CACHE/results/RUNTIME/TEST.tap.
#
# The suite is not packaged (Debian ships the library only, and not tap-go): point
# RUNTIME_TOOLS_SRC at a checkout of github.com/opencontainers/runtime-tools or at a git
# directory of it (a bare clone will do; RUNTIME_TOOLS_COMMIT picks the commit, by default
# 260e151, the newest whose go.mod and vendor/ build with Debian 12's Go 1.19). Without it
# the section says how to get it and the script exits 0. Everything builds offline from
# vendor/ (GOFLAGS=-mod=vendor, GOPROXY=off) into $CACHE, by default the build folder's
# runtime-tools/; the rootfs is the one runtime-tools ships (rootfs-amd64.tar.gz).
#
# BENCH_OCI_TESTS="default hostname ..." runs only those tests; BENCH_OCI_RUNTIMES lists the
# runtimes (default: airlock-runtime runc crun; airlock-runtime-before with AIRLOCK_BEFORE).
set -u
: "${AIRLOCK:?}"
build=$(cd "$(dirname "$AIRLOCK")" && pwd)
air=$build/airlock-runtime
commit=${RUNTIME_TOOLS_COMMIT:-260e151}
src=${RUNTIME_TOOLS_SRC:-}
# where the project's own machines keep a fetched copy of upstream's repository
[ -n "$src" ] || [ ! -d /work/.mirror/opencontainers+runtime-tools/repo ] ||
        src=/work/.mirror/opencontainers+runtime-tools/repo
cache=${CACHE:-$build/runtime-tools}
per_test_timeout=${BENCH_OCI_TIMEOUT:-120}

echo "## OCI runtime: runtime-tools' validation suite"
echo
if [ -z "$src" ] || [ ! -d "$src" ]; then
        echo "skipped: no runtime-tools source. Clone it and point RUNTIME_TOOLS_SRC at it:"
        echo "\`git clone https://github.com/opencontainers/runtime-tools\`,"
        echo "\`RUNTIME_TOOLS_SRC=\$PWD/runtime-tools make bench\`."
        exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v go >/dev/null || [ ! -x "$air" ]; then
        echo "skipped: needs root, Go (Debian: golang-go) and a built airlock-runtime."
        exit 0
fi

# The source tree: a checkout is used as it is, a git directory gives $commit.
tree=$cache/src
if [ -f "$src/go.mod" ]; then
        tree=$src
        # only its own .git: git -C would name the commit of a repository around a plain copy
        rev="a copy"
        [ ! -e "$src/.git" ] || rev=$(git -C "$src" rev-parse --short HEAD 2>/dev/null || echo "a checkout")
else
        rev=$(git --git-dir="$src" rev-parse --short "$commit^{commit}") || exit 1
        if [ "$(cat "$cache/src.rev" 2>/dev/null)" != "$rev" ]; then
                rm -rf "$tree" && mkdir -p "$tree" &&
                        git --git-dir="$src" archive "$rev" | tar -x -C "$tree" || exit 1
                echo "$rev" >"$cache/src.rev"
                rm -rf "$cache/bin"
        fi
fi

# The binaries: runtimetest (static, copied into each bundle) and one NAME.t per test, in
# $cache/bin with the rootfs beside them: the tests look for both in their working folder.
bin=$cache/bin
mkdir -p "$bin"
export GOFLAGS=-mod=vendor GOPROXY=off GOCACHE="$cache/gocache" CGO_ENABLED=0
all=$(cd "$tree/validation" && for d in */; do
        d=${d%/}
        [ "$d" != util ] && [ -f "$d/$d.go" ] && echo "$d"
done)
tests=${BENCH_OCI_TESTS:-$all}
if [ ! -x "$bin/runtimetest" ]; then
        echo "bench-oci-validation: building runtime-tools $rev" >&2
        (cd "$tree" && go build -o "$bin/runtimetest" ./cmd/runtimetest) >&2 || exit 1
fi
for t in $tests; do
        [ -x "$bin/$t.t" ] || (cd "$tree" && go build -o "$bin/$t.t" "./validation/$t") >&2 ||
                echo "bench-oci-validation: $t does not build" >&2
done
cp "$tree/rootfs-amd64.tar.gz" "$bin/"

# runtime-tools' generated spec asks for Docker's default capabilities, CAP_NET_RAW among them,
# beyond the Pod Security baseline: airlock-runtime refuses every such bundle unless it carries
# the annotation airlock.allow-privileged=true (then grants them in the container's user
# namespace, never the host's). The suite
# cannot add annotations, so airlock-runtime runs through a wrapper that adds it to the
# bundle's config.json before create and run; the spec is otherwise the test's own.
make_wrapper() { # WRAPPER AIRLOCK-RUNTIME
        cat >"$1" <<EOF
#!/bin/sh
prev=
for a in "\$@"; do
        case \$prev in
        --bundle | -b) python3 - "\$a/config.json" <<'PY' || exit 1
import json, sys
c = json.load(open(sys.argv[1]))
c.setdefault("annotations", {})["airlock.allow-privileged"] = "true"
json.dump(c, open(sys.argv[1], "w"))
PY
                ;;
        esac
        prev=\$a
done
exec "$2" "\$@"
EOF
        chmod +x "$1"
}
wrapper=$cache/airlock-runtime-allow-privileged
make_wrapper "$wrapper" "$air"
# AIRLOCK_BEFORE=BUILD/airlock: that build's airlock-runtime too, as "airlock-runtime-before"
# (name it in BENCH_OCI_RUNTIMES), to compare a change with the same tests in the same run
wrapper_before=$cache/airlock-runtime-before-allow-privileged
[ -z "${AIRLOCK_BEFORE:-}" ] ||
        make_wrapper "$wrapper_before" "$(cd "$(dirname "$AIRLOCK_BEFORE")" && pwd)/airlock-runtime"

runtimes=${BENCH_OCI_RUNTIMES:-airlock-runtime runc crun}
path_of() {
        case $1 in
        airlock-runtime) echo "$wrapper" ;;
        airlock-runtime-before) [ -z "${AIRLOCK_BEFORE:-}" ] || echo "$wrapper_before" ;;
        *) command -v "$1" 2>/dev/null ;;
        esac
}

# One test with one runtime: "PASS/TOTAL" of its assertions (skips counted apart, "+N skip"),
# or "error" when it stopped before printing its plan's worth (a crash or a timeout).
count() {
        awk '
        /^1\.\.[0-9]+/ { split($0, p, /\.\./); plan = p[2] + 0 }
        /^ok / { if (tolower($0) ~ /# skip/) skip++; else ok++; n++ }
        /^not ok / { if (tolower($0) ~ /# todo/) todo++; n++ }
        END {
                s = ok + 0 "/" n - skip
                if (skip) s = s " +" skip " skip"
                if (plan == "" || n < plan) s = s " (stopped)"
                print s
        }' "$1"
}

# A runtime that shares the host's mount namespace (linux_ns_itype, linux_ns_nopath) leaves
# its container's proc, sysfs and /dev mounted in the bundle: they are unmounted, deepest
# first, before the bundle is removed, and rm stays on its own file system.
remove_tmp() {
        awk -v t="$1/" 'index($5, t) == 1 { print $5 }' /proc/self/mountinfo | sort -r |
                while read -r m; do umount -l "$m"; done
        rm -rf --one-file-system "$1"
}

# The cgroup tests name linux.cgroupsPath /cgrouptest and testdir/cgrouptest/container (below
# the runtime's own cgroup): what a runtime leaves of them is removed, folders
# only (rmdir), deepest first, before the run and after each test of each runtime (crun,
# which fails here in hybrid mode, leaves pids/cgrouptest behind, and the next runtime's
# create then finds someone else's cgroup at the spec's path: airlock-runtime refuses it).
remove_test_cgroups() {
        # the relative path lies below the runtime's own cgroup of each v1 hierarchy
        own=$(awk -F: '$2 != "" { sub(/^name=/, "", $2); print "/sys/fs/cgroup/" $2 $3 "/testdir" }' \
                /proc/self/cgroup)
        for d in /sys/fs/cgroup/cgrouptest /sys/fs/cgroup/testdir /sys/fs/cgroup/*/cgrouptest \
                /sys/fs/cgroup/*/testdir $own; do
                [ -d "$d" ] && find "$d" -depth -type d -exec rmdir {} + 2>/dev/null
        done
        return 0
}
remove_test_cgroups

results=$cache/results
rm -rf "$results"
for rt in $runtimes; do
        mkdir -p "$results/$rt"
done
for t in $tests; do
        [ -x "$bin/$t.t" ] || continue
        for rt in $runtimes; do
                p=$(path_of "$rt")
                out=$results/$rt/$t.tap
                if [ -z "$p" ]; then
                        echo "not installed" >"$out"
                        continue
                fi
                # a fresh TMPDIR per run: the tests leave bundles in it when they fail
                tmp=$(mktemp -d)
                (cd "$bin" && TMPDIR=$tmp RUNTIME=$p timeout -k 5 "$per_test_timeout" \
                        "./$t.t" >"$out" 2>"$results/$rt/$t.err" </dev/null)
                echo "# exit $?" >>"$out"
                remove_tmp "$tmp"
                remove_test_cgroups
        done
        echo "bench-oci-validation: $t done" >&2
done
remove_test_cgroups

echo "runtime-tools $rev (validation/, built with $(go version | cut -d' ' -f3)), each test run"
echo "once per runtime as root, one after the other, on $(uname -r). Each cell is the TAP"
echo "assertions passed over those printed (skips apart); \"stopped\" means the test ended"
echo "before its plan (a failed create or start, a crash or a ${per_test_timeout}s timeout)."
echo
printf "| test |"
for rt in $runtimes; do printf " %s |" "$rt"; done
printf "\n|---|"
for rt in $runtimes; do printf -- "---|"; done
echo
for t in $tests; do
        printf "| %s |" "$t"
        for rt in $runtimes; do
                f=$results/$rt/$t.tap
                if [ ! -f "$f" ]; then
                        printf " - |"
                elif [ "$(head -n 1 "$f")" = "not installed" ]; then
                        printf " not installed |"
                else
                        printf " %s |" "$(count "$f")"
                fi
        done
        echo
done
printf "| **total passed** |"
for rt in $runtimes; do
        printf " %s |" "$(cat "$results/$rt"/*.tap 2>/dev/null | grep '^ok ' | grep -vic '# skip' || true)"
done
echo
echo
echo "Versions: $("$air" --version | head -n 1); $(runc --version 2>/dev/null | head -n 1);"
echo "$(crun --version 2>/dev/null | head -n 1). TAP outputs: $results."
