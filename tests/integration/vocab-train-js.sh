#!/bin/sh
# The JavaScript vocabulary model's trainer (tools/train-jsmodel.py over tools/vocabtrain.py)
# end to end on a small corpus written here: it trains with the C tokenizer's features
# (build/tools/vocab-dump -m js, a page by its <script> bodies), writes a table that ranks the
# droppers and the injected page above the libraries, --check accepts the table it wrote and
# refuses one with a weight changed.
# airlock-test: root-only (the user phase's copy of the tree has no tools/)
. "$AIRLOCK_SRC/tests/lib.sh"

train=$AIRLOCK_SRC/tools/train-jsmodel.py
d=$TEST_TMPDIR/corpus
mkdir -p "$d"
list=$d/files.tsv
: >"$list"
i=0
for body in "var sh = new ActiveXObject('WScript.Shell'); sh.Run(sh.ExpandEnvironmentStrings('%TEMP%') + '\\\\a.exe', 0);" \
            "var x = new ActiveXObject('MSXML2.XMLHTTP'); x.open('GET', u, false); x.send(); var s = new ActiveXObject('ADODB.Stream'); s.Write(x.responseBody); s.SaveToFile(p, 2);" \
            "var _0x1a = ['charCodeAt', 'fromCharCode']; eval(String[_0x1a[1]](107, 108)); WScript.Sleep(1000);"; do
        i=$((i + 1))
        printf '%s\n' "$body" >"$d/mal$i.js"
        printf 'mal\ttrain\tdrop%s\twsh\t%s\t%064d\n' "$i" "$d/mal$i.js" "$i" >>"$list"
done
i=$((i + 1))
printf '<html><body><p>news</p><script>if (document.referrer.indexOf("google") > 0) { document.write("<iframe src=" + String.fromCharCode(104, 116) + " width=1 height=1 style=visibility:hidden></iframe>"); }</script></body></html>\n' >"$d/mal$i.html"
printf 'mal\ttrain\tpage\tpage\t%s\t%064d\n' "$d/mal$i.html" "$i" >>"$list"
for body in "(function (\$) { 'use strict'; \$.fn.menu = function (o) { return this.each(function () { \$(this).toggleClass('open'); }); }; })(jQuery);" \
            "module.exports = function parse(argv, opts) { var out = { _: [] }; argv.forEach(function (a) { out._.push(a); }); return out; };" \
            "export class Cache { constructor() { this.store = new Map(); } get(key) { return this.store.get(key); } }" \
            "document.addEventListener('DOMContentLoaded', function () { var el = document.querySelector('.nav'); el.classList.add('ready'); });"; do
        i=$((i + 1))
        printf '%s\n' "$body" >"$d/ben$i.js"
        printf 'ben\ttrain\tlib%s\tlib\t%s\t%064d\n' "$i" "$d/ben$i.js" "$i" >>"$list"
done

if ! python3 "$train" --files "$list" --build "$AIRLOCK_BUILD" --out "$d/table.c" \
        --set STEPS=60 --set MIN_REPOS=1 --scores "$d/scores.tsv" >"$d/out" 2>&1; then
        fail "trained" "$(tail -3 "$d/out")"
        exit 0
fi
expect_eq "table-weights" 1366 "$(grep -c '^        -\?[0-9]' "$d/table.c")"
expect_eq "every-file-scored" 8 "$(wc -l <"$d/scores.tsv")"
python3 - "$d/scores.tsv" >"$d/rank" <<'PY'
import sys
mal, ben = [], []
for line in open(sys.argv[1]):
    s, label = line.split('\t')[:2]
    (mal if label == 'mal' else ben).append(int(s))
print('ranked' if min(mal) > max(ben) else 'not ranked: %s %s' % (mal, ben))
PY
expect_eq "droppers-and-injection-ranked-above-libraries" ranked "$(cat "$d/rank")"
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
