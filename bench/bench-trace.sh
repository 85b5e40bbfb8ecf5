#!/bin/sh
# The cost of airlock run --trace against strace -f (the peer: ptrace stops on every syscall)
# on syscall-heavy workloads. Prints a Markdown section.
#   files: 20000 x openat/read/close (openat is in the trace set) and 100000 getppid (not)
#   spawn: a shell starting 300 processes (clone, execve, openat of the loader and libraries)
set -u
: "${AIRLOCK:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
chmod 755 "$tmp"
cat >"$tmp/files.c" <<'C'
#include <fcntl.h>
#include <unistd.h>
int main(void)
{
        char buf[64];
        for (int i = 0; i < 20000; i++) {
                int fd = open("/etc/hostname", O_RDONLY);
                if (fd >= 0) { (void)!read(fd, buf, sizeof(buf)); close(fd); }
        }
        for (int i = 0; i < 100000; i++)
                getppid();
        return 0;
}
C
gcc -O2 -o "$tmp/files" "$tmp/files.c" || exit 1
cat >"$tmp/spawn.sh" <<'SH'
i=0
while [ $i -lt 300 ]; do /bin/true; i=$((i + 1)); done
SH
chmod -R a+rX "$tmp"

# median wall time in ms of N runs of a command
median_ms() {
        n=$1
        shift
        for _ in $(seq "$n"); do
                s=$(date +%s%N)
                "$@" >/dev/null 2>&1 || echo "bench-trace: failed: $*" >&2
                e=$(date +%s%N)
                echo $(((e - s) / 1000))
        done | sort -n | awk '{v[NR]=$1} END {printf "%.1f", v[int((NR+1)/2)]/1000}'
}

row() { # name, then the commands' times
        printf '| %s | %s | %s | %s | %s | %.2f | %.2f | %.2f |\n' "$1" "$2" "$3" "$4" "$5" \
                "$(echo "$4 / $5" | bc -l)" "$(echo "$4 / $3" | bc -l)" \
                "$(echo "($4 - $3) / ($5 - $2)" | bc -l)"
}

echo "## Behaviour tracing: airlock run --trace versus strace -f"
echo
echo "Median of 5 runs, milliseconds. *airlock* is \`airlock run\` without --trace, *--trace*"
echo "adds the seccomp user-notification monitor (events, file changes, canaries, report);"
echo "*strace -f* runs the same workload outside any sandbox with output to /dev/null."
echo "*trace/strace* is airlock --trace's time over strace's (sandbox included);"
echo "*trace/run* is the slowdown --trace causes; *overhead ratio* is --trace's added time"
echo "divided by strace's added time (below 1: --trace is cheaper than strace)."
echo
echo "| workload | bare | airlock | airlock --trace | strace -f | trace/strace | trace/run | overhead ratio |"
echo "|---|---|---|---|---|---|---|---|"
for w in files spawn; do
        if [ $w = files ]; then
                cmd="$tmp/files"
                run_cmd="/opt/b/files"
        else
                cmd="sh $tmp/spawn.sh"
                run_cmd="sh /opt/b/spawn.sh"
        fi
        # shellcheck disable=SC2086
        bare=$(median_ms 5 $cmd)
        # shellcheck disable=SC2086
        plain=$(median_ms 5 "$AIRLOCK" run --ro-bind "$tmp" /opt/b -- $run_cmd)
        # shellcheck disable=SC2086
        traced=$(median_ms 5 "$AIRLOCK" run --trace --report "$tmp/r.json" --ro-bind "$tmp" /opt/b -- $run_cmd)
        # shellcheck disable=SC2086
        st=$(median_ms 5 strace -f -o /dev/null $cmd)
        row "$w" "$bare" "$plain" "$traced" "$st"
done
echo
echo "Without --trace the filter has no NOTIFY rule, so tracing costs nothing then; with it, only"
echo "the calls of the trace set stop (getppid, read, write, close and mmap never do), while"
echo "strace stops every call twice."
