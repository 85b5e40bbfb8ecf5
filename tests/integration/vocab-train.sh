#!/bin/sh
# The vocabulary models' trainer (tools/vocabtrain.py through tools/train-webmodel.py) end to
# end on a small corpus written here: it trains with the C tokenizer's features
# (build/tools/vocab-dump), writes a table that ranks the shells above the applications,
# --check accepts the table it wrote and refuses one with a weight changed.
# airlock-test: root-only (the user phase's copy of the tree has no tools/)
. "$AIRLOCK_SRC/tests/lib.sh"

train=$AIRLOCK_SRC/tools/train-webmodel.py
dump=$AIRLOCK_BUILD/tools/vocab-dump
d=$TEST_TMPDIR/corpus
mkdir -p "$d"
list=$d/files.tsv
: >"$list"
i=0
for body in "echo php_uname(); passthru(\$_POST['cmd']); echo 'Safe mode'; ini_get('disable_functions');" \
            "move_uploaded_file(\$_FILES['f']['tmp_name'], \$_POST['dir']); echo 'Upload'; chmod(\$f, 0777);" \
            "eval(gzinflate(base64_decode(\$_REQUEST['x']))); echo 'Execute'; @system(\$_GET['c']);"; do
        i=$((i + 1))
        printf '<?php %s ?>\n' "$body" >"$d/mal$i.php"
        printf 'mal\ttrain\tshell/r%s\t%s\t%064d\n' "$i" "$d/mal$i.php" "$i" >>"$list"
done
for body in "namespace App; class Post extends Model { protected \$table = 'posts'; }" \
            "use Illuminate\\Http\\Request; function show(Request \$r) { return view('post', ['p' => \$r]); }" \
            "class Cache implements CacheInterface { public function get(\$key) { return \$this->store[\$key]; } }"; do
        i=$((i + 1))
        printf '<?php %s ?>\n' "$body" >"$d/ben$i.php"
        printf 'ben\t\tvrana/adminer\t%s\t%064d\n' "$d/ben$i.php" "$i" >>"$list"
done

if ! python3 "$train" --files "$list" --build "$AIRLOCK_BUILD" --out "$d/table.c" \
        --set STEPS=60 --set MIN_REPOS=1 --scores "$d/scores.tsv" >"$d/out" 2>&1; then
        fail "trained" "$(tail -3 "$d/out")"
        exit 0
fi
expect_eq "table-weights" 1366 "$(grep -c '^        -\?[0-9]' "$d/table.c")"
python3 - "$d/scores.tsv" >"$d/rank" <<'PY'
import sys
mal, ben = [], []
for line in open(sys.argv[1]):
    s, label = line.split('\t')[:2]
    (mal if label == 'mal' else ben).append(int(s))
print('ranked' if min(mal) > max(ben) else 'not ranked: %s %s' % (mal, ben))
PY
expect_eq "shells-ranked-above-applications" ranked "$(cat "$d/rank")"
if python3 "$train" --files "$list" --build "$AIRLOCK_BUILD" --out "$d/table.c" \
        --set STEPS=60 --set MIN_REPOS=1 --check >"$d/check" 2>&1; then
        pass "check-accepts-its-table"
else
        fail "check-accepts-its-table" "$(tail -2 "$d/check")"
fi
sed 's/^\(        \)0,/\11,/' "$d/table.c" >"$d/changed.c"
if python3 "$train" --files "$list" --build "$AIRLOCK_BUILD" --out "$d/changed.c" \
        --set STEPS=60 --set MIN_REPOS=1 --check >"$d/check2" 2>&1; then
        fail "check-refuses-a-changed-table" "accepted"
else
        expect_grep "check-refuses-a-changed-table" "differs" cat "$d/check2"
fi
