#!/bin/sh
# --overlay SRC DST: a copy-on-write view of a host folder. The program changes, creates and
# deletes files at DST; SRC is never written. Without --app the changes end with the sandbox
# (a tmpfs, bounded by --tmpfs-size); with --app NAME they persist in the application's
# folder, as does its HOME, and the next run sees them.
. "$AIRLOCK_SRC/tests/lib.sh"

proj=$TEST_TMPDIR/proj
mkdir -p "$proj/sub" "$TEST_TMPDIR/outside"
echo orig >"$proj/a"
echo keep >"$proj/sub/b"
echo secret >"$TEST_TMPDIR/outside/target"
ln -s "$TEST_TMPDIR/outside/target" "$proj/link"
chmod -R a+rX "$TEST_TMPDIR"
# Started as root, the program runs as uid 65534: give it the project, as a user owns theirs.
is_root && chown -R 65534:65534 "$proj"
tree_sum() { (cd "$1" && find . -print0 | sort -z | xargs -0 ls -ld --time-style=+%s; find . -type f -print0 | sort -z | xargs -0 cat) | md5sum; }
before=$(tree_sum "$proj")

# 1. Changes inside, none outside.
out=$("$AIRLOCK" run --overlay "$proj" /work -- /bin/sh -c '
cd /work || exit 9
echo more >>a && echo new >c && rm sub/b && mkdir d && mv c d/c || exit 8
echo "a=$(cat a | tr "\n" " ")c=$(cat d/c) b=$(ls sub | wc -l)"
ls -a / | grep -c airlock-overlay
(echo x >link) 2>/dev/null && echo wrote-through-link
exit 0' 2>"$TEST_TMPDIR/err")
rc=$?
expect_eq "ephemeral: the program's changes work" 0 "$rc"
case "$out" in *"a=orig more c=new b=0"*) pass "ephemeral: the program sees its own changes" ;;
*) fail "ephemeral: the program sees its own changes" "$out $(cat "$TEST_TMPDIR/err")" ;; esac
case "$out" in *wrote-through-link*) fail "ephemeral: a symlink to a host file leads nowhere" "$out" ;;
*) pass "ephemeral: a symlink to a host file leads nowhere" ;; esac
[ "$(echo "$out" | sed -n 2p)" = 0 ] && pass "ephemeral: the tmpfs of the changes is not left in the view" ||
        fail "ephemeral: the tmpfs of the changes is not left in the view" "$out"
expect_eq "ephemeral: the host folder is untouched" "$before" "$(tree_sum "$proj")"
expect_output "ephemeral: the host file behind the symlink is untouched" secret cat "$TEST_TMPDIR/outside/target"
# A second run starts from the host's folder again.
expect_output "ephemeral: changes end with the sandbox" "orig" \
        "$AIRLOCK" run --overlay "$proj" /work -- /bin/cat /work/a

# 2. The changes are bounded by --tmpfs-size.
out=$("$AIRLOCK" run --tmpfs-size 1M --overlay "$proj" /work -- /bin/sh -c \
        'head -c 3000000 /dev/zero >/work/big 2>/dev/null && echo fits || echo full' 2>&1)
expect_eq "ephemeral: changes are bounded by --tmpfs-size" full "$out"

# 3. Nothing else became writable: /usr is still read-only beside the overlay.
out=$("$AIRLOCK" run --overlay "$proj" /work -- /bin/sh -c 'touch /usr/x 2>/dev/null && echo wrote || echo refused')
expect_eq "ephemeral: /usr stays read-only" refused "$out"

# 4. --app: the changes and HOME persist in the application's folder.
data=$TEST_TMPDIR/data
for i in 1 2; do
        XDG_DATA_HOME=$data "$AIRLOCK" run --app ovtest --overlay "$proj" /work -- /bin/sh -c \
                "echo run$i >>/work/a && echo home$i >>\$HOME/h" 2>"$TEST_TMPDIR/err" ||
                fail "app: run $i" "$(cat "$TEST_TMPDIR/err")"
done
out=$(XDG_DATA_HOME=$data "$AIRLOCK" run --app ovtest --overlay "$proj" /work -- /bin/sh -c \
        'cat /work/a $HOME/h | tr "\n" " "')
expect_eq "app: both runs' changes are there" "orig run1 run2 home1 home2 " "$out"
expect_eq "app: the host folder is untouched" "$before" "$(tree_sum "$proj")"
[ -f "$data/airlock/apps/ovtest/overlay/work/upper/a" ] && [ -f "$data/airlock/apps/ovtest/home/h" ] &&
        pass "app: kept in \$XDG_DATA_HOME/airlock/apps/ovtest" ||
        fail "app: kept in \$XDG_DATA_HOME/airlock/apps/ovtest" "$(find "$data" 2>&1 | head -20)"
# Another application does not see them.
expect_output "app: another application starts clean" "orig" \
        env XDG_DATA_HOME="$data" "$AIRLOCK" run --app other --overlay "$proj" /work -- /bin/cat /work/a
expect_output "app: profile show names it" "app ovtest" \
        sh -c "XDG_DATA_HOME=$data \"$AIRLOCK\" profile show default --app ovtest | grep '^app '"

# 5. Errors name the object.
expect_status "missing source: status 125" 125 "$AIRLOCK" run --overlay "$TEST_TMPDIR/nonexistent" /w -- /bin/true
expect_grep "missing source: named" "cannot overlay $TEST_TMPDIR/nonexistent: No such file" \
        "$AIRLOCK" run --overlay "$TEST_TMPDIR/nonexistent" /w -- /bin/true
expect_grep "file source: not a folder" "cannot overlay $proj/a: not a folder" \
        "$AIRLOCK" run --overlay "$proj/a" /w -- /bin/true
expect_status "bad application name: status 125" 125 "$AIRLOCK" run --app ../x -- /bin/true
expect_grep "bad application name: says what is expected" "expected a name of letters" \
        "$AIRLOCK" run --app ../x -- /bin/true
exit 0
