#!/bin/sh
# Filling /tmp stops at --tmpfs-size with ENOSPC inside; the host's disk is untouched.
. "$AIRLOCK_SRC/tests/lib.sh"
. "$AIRLOCK_SRC/tests/resources-lib.sh"

report=$TEST_TMPDIR/tmpfs.json
# KiB used on the file systems of / and /tmp, each counted once (when /tmp is on the root file
# system, counting it twice doubled what everything else on the machine wrote meanwhile)
used() {
        _fs=/
        [ "$(stat -c %d /tmp)" = "$(stat -c %d /)" ] || _fs="/ /tmp"
        # shellcheck disable=SC2086
        df -k --output=used $_fs | tail -n +2 | awk '{s += $1} END {print s}'
}

before=$(used)
# /tmp, /dev/shm and HOME are all tmpfs bounded by --tmpfs-size.
out=$("$AIRLOCK" run --tmpfs-size 8M --tmpfs /scratch --report "$report" -- sh -c '
        dd if=/dev/zero of=/tmp/fill bs=1M count=64 2>&1; echo "dd=$?"
        echo "size=$(stat -c %s /tmp/fill)"
        dd if=/dev/zero of=/dev/shm/fill bs=1M count=64 2>/dev/null
        echo "shm=$(stat -c %s /dev/shm/fill)"
        dd if=/dev/zero of=$HOME/fill bs=1M count=64 2>/dev/null
        echo "home=$(stat -c %s $HOME/fill)"
        dd if=/dev/zero of=/scratch/fill bs=1M count=64 2>/dev/null
        echo "scratch=$(stat -c %s /scratch/fill)"
' 2>&1)
rc=$?
after=$(used)

expect_eq "tmpfs: airlock run succeeded" 0 "$rc"
case "$out" in
*"No space left on device"*) pass "tmpfs: ENOSPC inside" ;;
*) fail "tmpfs: ENOSPC inside" "$(echo "$out" | head -c 300)" ;;
esac
size=$(echo "$out" | sed -n 's/^size=//p')
if [ -n "$size" ] && [ "$size" -le $((8 << 20)) ] && [ "$size" -ge $((4 << 20)) ]; then
        pass "tmpfs: the file stopped at the size ($size bytes)"
else
        fail "tmpfs: the file stopped at the size" "size=$size"
fi
for where in shm home scratch; do
        got=$(echo "$out" | sed -n "s/^$where=//p")
        if [ -n "$got" ] && [ "$got" -le $((8 << 20)) ]; then pass "tmpfs: $where bounded too ($got bytes)"
        else fail "tmpfs: $where bounded too" "size=$got"; fi
done
grown=$((after - before))
if [ "$grown" -lt $((32 * 1024)) ]; then pass "tmpfs: host disk untouched (${grown} KiB)"
else fail "tmpfs: host disk untouched" "used grew by ${grown} KiB"; fi
expect_output "tmpfs: size in the report" 8388608 report_get "$report" limits.tmpfs_size
expect_schema "tmpfs: report valid against the schema" "$report"
