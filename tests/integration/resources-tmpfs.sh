#!/bin/sh
# Filling /tmp stops at --tmpfs-size with ENOSPC inside; the host's disk is untouched.
. "$AIRLOCK_SRC/tests/lib.sh"
. "$AIRLOCK_SRC/tests/resources-lib.sh"

report=$TEST_TMPDIR/tmpfs.json
# The files the run writes have a name of this run's own; the host's disk is untouched when
# none of them is on it afterwards and the folders they went to were tmpfs inside. (The disk's
# used space, compared before and after, counted what every other script wrote meanwhile.)
f=fill-$$

# /tmp, /dev/shm and HOME are all tmpfs bounded by --tmpfs-size.
out=$("$AIRLOCK" run --tmpfs-size 8M --tmpfs /scratch --report "$report" -- sh -c '
        f=$1
        dd if=/dev/zero of=/tmp/$f bs=1M count=64 2>&1; echo "dd=$?"
        echo "size=$(stat -c %s /tmp/$f)"
        dd if=/dev/zero of=/dev/shm/$f bs=1M count=64 2>/dev/null
        echo "shm=$(stat -c %s /dev/shm/$f)"
        dd if=/dev/zero of=$HOME/$f bs=1M count=64 2>/dev/null
        echo "home=$(stat -c %s $HOME/$f)"
        dd if=/dev/zero of=/scratch/$f bs=1M count=64 2>/dev/null
        echo "scratch=$(stat -c %s /scratch/$f)"
        echo "types=$(stat -f -c %T /tmp /dev/shm $HOME /scratch | tr "\n" " ")"
' sh "$f" 2>&1)
rc=$?

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
expect_eq "tmpfs: /tmp, /dev/shm, HOME and /scratch are tmpfs inside" "tmpfs tmpfs tmpfs tmpfs " \
        "$(echo "$out" | sed -n 's/^types=//p')"
left=$(ls -d "/tmp/$f" "/dev/shm/$f" "$HOME/$f" "$TEST_TMPDIR/$f" "/scratch/$f" 2>/dev/null)
expect_eq "tmpfs: host disk untouched (no $f on the host)" "" "$left"
expect_output "tmpfs: size in the report" 8388608 report_get "$report" limits.tmpfs_size
expect_schema "tmpfs: report valid against the schema" "$report"
