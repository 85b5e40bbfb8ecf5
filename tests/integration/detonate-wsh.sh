#!/bin/sh
# airlock analyze --detonate on Windows script droppers: .js, .jse, .wsf and .hta (JScript) files
# run in box-js inside airlock run --net sinkhole (.vbs, .vbe and VBScript WSF/HTA as the
# JScript data/wsh-vbs.js translates them to; .jse/.vbe decoded first), and what they did (URLs
# fetched through MSXML2.XMLHTTP, files written through ADODB.Stream, WScript.Shell Run/Exec of cmd or
# PowerShell, Run keys, scheduled tasks) becomes findings with ATT&CK ids. The corpus is written
# by detonate-wsh.py: droppers whose API names, URLs and commands are assembled at run time
# (concatenation, eval of char codes, array joins, reversed strings, escapes), in WSF and HTA
# wrappers, VBScript ones, encoded ones (JScript.Encode/VBScript.Encode, written by the
# corpus's own encoder); and benign Windows scripts beside JavaScript libraries from Debian. A
# dropper counts as caught only with the detonation's wsh.dropper finding (no static rule gives
# it) and the expected ids; a benign script must stay clean (a benign HTA: not malicious).
. "$AIRLOCK_SRC/tests/lib.sh"
PY=${PY:-python3}
BOXJS=${AIRLOCK_BOXJS_DIR:-/usr/local/lib/airlock/box-js}

if [ ! -f "$BOXJS/airlock-preload.js" ]; then
        is_root && sh "$AIRLOCK_SRC/scripts/deps.sh" >/dev/null 2>&1
        if [ ! -f "$BOXJS/airlock-preload.js" ]; then
                command -v npm >/dev/null 2>&1 || {
                        skip "box-js" "npm is missing, so box-js cannot be installed"
                        exit 77
                }
                fail "box-js" "not installed in $BOXJS and scripts/deps.sh could not install it"
                exit 0
        fi
fi

W=$TEST_TMPDIR/wsh
mkdir -p "$W/mal" "$W/ben" "$W/hta"
"$PY" "$AIRLOCK_SRC/tests/integration/detonate-wsh.py" "$W/mal" "$W/ben" "$W/hta" >"$W/manifest" ||
        fail "corpus" "detonate-wsh.py failed"
# JavaScript libraries from Debian, as installed here (none of them is a WSH script).
n_deb=0
for f in /usr/share/javascript/underscore/underscore.js /usr/share/javascript/sphinxdoc/1.0/doctools.js \
        /usr/share/javascript/sphinxdoc/1.0/searchtools.js /usr/share/javascript/sphinxdoc/1.0/language_data.js \
        /usr/share/javascript/sphinxdoc/1.0/sphinx_highlight.js; do
        [ -f "$f" ] || continue
        cp "$f" "$W/ben/debian-$(basename "$f")" && n_deb=$((n_deb + 1))
done
# Real VBScript nobody here wrote: the .vbs helpers and WSF jobs npm packages ship (regedit's
# registry scripts use a Class, On Error, With, Select Case; create-desktop-shortcuts' makes
# a shortcut). Each must translate without a translator error; in the root phase they are
# detonated with the benign scripts too (the other phases keep the corpus small).
mkdir -p "$W/npm" "$W/real"
if npm pack --silent --cache "$W/npm-cache" --pack-destination "$W/npm" regedit@5.1.4 \
        create-desktop-shortcuts@1.12.0 >"$W/npm.log" 2>&1; then
        for t in "$W"/npm/*.tgz; do
                mkdir -p "$W/real/$(basename "$t" .tgz)"
                tar xzf "$t" -C "$W/real/$(basename "$t" .tgz)" || fail "real VBScript: unpack $t"
        done
        find "$W/real" \( -name '*.vbs' -o -name '*.wsf' \) | sort >"$W/real.list"
        n_real=$(wc -l <"$W/real.list")
        [ "$n_real" -ge 10 ] && pass "real VBScript: $n_real files from npm packages" ||
                fail "real VBScript: files from npm packages" "$n_real"
        # the translator as wsh.c feeds it: a WSF's VBScript <script> bodies (CDATA markers
        # out, <script .../> references skipped); every statement translated, and the result
        # one script node compiles
        node - "$AIRLOCK_SRC/data/wsh-vbs.js" $(cat "$W/real.list") <<'JS' || fail "real VBScript: the translation check" "node exited with status $?"
const vbs = require(process.argv[2]), fs = require("fs"), vm = require("vm");
for (const f of process.argv.slice(3)) {
        let src = fs.readFileSync(f, "utf8");
        if (f.endsWith(".wsf")) {
                let body = "";
                for (const m of src.matchAll(/<script([^>]*?)(?:\/>|>([\s\S]*?)<\/script)/gi))
                        if (/vbscript/i.test(m[1]) && m[2] !== undefined)
                                body += m[2].replace(/<!\[CDATA\[|\]\]>/g, "") + "\n";
                src = body;
        }
        const js = vbs.vbs2js(src), untranslated = js.match(/\/\* not translated: .*/g) || [];
        let err = null;
        try {
                new vm.Script(vbs.translate(src), { filename: f });
        } catch (e) {
                err = e.message;
        }
        const name = f.replace(/.*\/real\//, "");
        if (untranslated.length || err)
                console.log("FAIL: real VBScript %s translates: %s %s", name, err || "", untranslated.join(" | ").slice(0, 300));
        else
                console.log("PASS: real VBScript %s translates (%d lines)", name, src.split("\n").length);
}
JS
        if [ "$AIRLOCK_TEST_PHASE" = root ]; then
                while read -r f; do
                        rel=${f#"$W/real/"}
                        cp "$f" "$W/ben/npm-${rel%%/*}-$(basename "$f")"
                done <"$W/real.list"
        fi
else
        fail "real VBScript: npm pack regedit create-desktop-shortcuts" "$(tail -3 "$W/npm.log")"
fi
chmod -R a+rX "$W"
n_mal=$(wc -l <"$W/manifest")
n_ben=$(ls "$W/ben" | wc -l)
[ "$n_mal" -ge 10 ] && pass "corpus: $n_mal droppers" || fail "corpus: droppers" "$n_mal"
[ "$n_ben" -ge 10 ] && pass "corpus: $n_ben benign scripts ($n_deb from Debian)" ||
        fail "corpus: benign scripts" "$n_ben"

"$AIRLOCK" analyze --json "$W/mal" >"$W/static-mal.json" 2>"$W/static.err"
"$AIRLOCK" analyze --json "$W/ben" >"$W/static-ben.json" 2>>"$W/static.err"
start=$(date +%s)
"$AIRLOCK" analyze --detonate --detonate-timeout 20 --json "$W/mal" >"$W/det-mal.json" 2>"$W/det-mal.err" &
mal_pid=$!
"$AIRLOCK" analyze --detonate --detonate-timeout 20 --json "$W/ben" >"$W/det-ben.json" 2>"$W/det-ben.err"
ben_rc=$?
# benign HTAs apart: suspicious for being HTAs (an HTA is a program), so exit status 1
"$AIRLOCK" analyze --detonate --detonate-timeout 20 --json "$W/hta" >"$W/det-hta.json" 2>"$W/det-hta.err"
wait "$mal_pid"
mal_rc=$?
end=$(date +%s)
expect_eq "detonate: exit status 1 for the droppers" 1 "$mal_rc"
expect_eq "detonate: exit status 0 for the benign scripts" 0 "$ben_rc"
n_all=$((n_mal + n_ben))
echo "# $n_all scripts detonated in $((end - start)) s, two analyses at a time"

# Without box-js: the dropper is not run, a finding says why, and a flagged one is not clean.
AIRLOCK_BOXJS_DIR=$W/no-box-js "$AIRLOCK" analyze --detonate --detonate-timeout 20 --json \
        "$W/mal/plain.js" >"$W/nobox.json" 2>"$W/nobox.err"
nobox_rc=$?

"$PY" - "$W" "$nobox_rc" <<'PYS' || fail "the report check" "python exited with status $?"
import json, os, re, statistics, sys
w, nobox_rc = sys.argv[1], int(sys.argv[2])
def nodes(path):
    try:
        r = json.load(open(path))
    except (OSError, ValueError) as e:
        print("FAIL: report %s: %s" % (os.path.basename(path), e))
        return {}
    out = {}
    for f in r["files"]:
        for n in f.get("children", []) or [f]:
            out[n["name"]] = n
    return out
def rules(n):
    return {f["rule"]: f for f in n["findings"]}
def det_ids(n):
    return {a for f in n["findings"] if f["source"] == "detonation" for a in f["attack"]}
def seconds(n):
    f = rules(n).get("wsh.ran") or rules(n).get("detonation.failed") or {}
    m = re.search(r"; ([0-9.]+) s", f.get("evidence") or "")
    return float(m.group(1)) if m else None
mal, ben = nodes(w + "/det-mal.json"), nodes(w + "/det-ben.json")
hta = nodes(w + "/det-hta.json")
smal, sben = nodes(w + "/static-mal.json"), nodes(w + "/static-ben.json")
times, caught, caught_vbs, n_js, n_vbs = [], 0, 0, 0, 0
for line in open(w + "/manifest"):
    name, kind, ids = line.split()
    n = mal.get(name)
    if n is None:
        print("FAIL: %s: not in the report" % name)
        continue
    times.append(seconds(n))
    r = rules(n)
    if kind == "vbs":
        n_vbs += 1
    else:
        n_js += 1
    want = set(ids.split(","))
    got = det_ids(n)
    d = r.get("wsh.dropper")
    if n["verdict"] == "malicious" and d and d["source"] == "detonation" and want <= got:
        caught += kind == "js"
        caught_vbs += kind == "vbs"
        print("PASS: %s: malicious, ids %s; %s" % (name, ",".join(sorted(got)), (d["evidence"] or "")[:110]))
    else:
        print("FAIL: %s: verdict %s, ids %s (want %s), findings %s" % (
            name, n["verdict"], sorted(got), sorted(want),
            [(f["rule"], (f.get("evidence") or "")[:120]) for f in n["findings"]]))
print(("PASS" if caught >= 9 and n_js >= 10 else "FAIL")
      + ": JScript/WSF/HTA droppers caught by detonation with their ids: %d/%d" % (caught, n_js))
print(("PASS" if caught_vbs == n_vbs and n_vbs >= 6 else "FAIL")
      + ": VBScript .vbs/WSF/HTA droppers caught by detonation with their ids: %d/%d" % (caught_vbs, n_vbs))
# JScript.Encode/VBScript.Encode: decoded before the static rules (script.encoded, and a rule
# that matched the decoded text)
for name in ("invoice.jse", "order.vbe", "encoded.hta"):
    n = smal.get(name, {"findings": []})
    ok = "script.encoded" in rules(n) and any(f["source"] == "yara-decoded" for f in n["findings"])
    print("%s: %s: static rules read the decoded script: %s" % (
        "PASS" if ok else "FAIL", name, [(f["rule"], f["source"]) for f in n["findings"]]))
clean = 0
for name, n in sorted(ben.items()) + sorted(hta.items()):
    times.append(seconds(n))
    r = rules(n)
    ran = "wsh.ran" in r or "detonation.failed" in r
    if name.endswith(".hta"):
        # an HTA is a program: suspicious for being one (html_application), not malicious
        ok = ran and n["verdict"] in ("clean", "suspicious") and "html_application" in r and \
            r["html_application"]["severity"] == "medium" and not any(
                f["source"] == "detonation" and f["severity"] in ("medium", "high", "critical") for f in n["findings"])
        clean += ok
        print("%s: benign HTA %s: %s, %s" % ("PASS" if ok else "FAIL", name, n["verdict"],
                                            [(f["rule"], f["severity"]) for f in n["findings"]]))
    elif n["verdict"] == "clean" and ran:
        clean += 1
        print("PASS: benign %s: clean after %s" % (name, "emulation" if "wsh.ran" in r else "a failed emulation"))
    else:
        print("FAIL: benign %s: %s %s" % (name, n["verdict"], [(f["rule"], f.get("evidence")) for f in n["findings"]]))
def check(what, ok, why):
    print(("PASS: %s" % what) if ok else ("FAIL: %s: %s" % (what, why)))
check("no false positive among the benign scripts", clean == len(ben) + len(hta) and len(ben) >= 10
      and len(hta) >= 2, "%d/%d clean" % (clean, len(ben) + len(hta)))
sumjs = rules(ben.get("sum.js", {"findings": []}))
check("a benign script is emulated, not merely skipped", "wsh.ran" in sumjs, sumjs)
nb = nodes(w + "/nobox.json").get("plain.js", {"findings": [], "verdict": "?"})
nr = rules(nb).get("wsh.not_run") or {}
check("without box-js: a finding says the detonation was not done, and why",
      "not installed" in (nr.get("evidence") or ""), nb["findings"])
check("without box-js: a statically flagged dropper is not clean (exit status %d)" % nobox_rc,
      nb["verdict"] != "clean" and nobox_rc != 0, nb["verdict"])
static_caught = sum(1 for l in open(w + "/manifest") if smal.get(l.split()[0], {}).get("verdict") in ("malicious", "suspicious"))
det_any = sum(1 for l in open(w + "/manifest") if mal.get(l.split()[0], {}).get("verdict") in ("malicious", "suspicious"))
static_fp = sum(1 for n in sben.values() if n["verdict"] != "clean")
print("# detection: static %d/%d, with detonation %d/%d (wsh.dropper with the right ids %d/%d JScript, %d/%d VBScript); "
      "false positives: static %d/%d, with detonation %d/%d (benign HTAs apart: suspicious for being HTAs)"
      % (static_caught, len(smal), det_any, len(mal), caught, n_js, caught_vbs, n_vbs, static_fp, len(sben),
         len(ben) + len(hta) - clean, len(ben) + len(hta)))
t = sorted(x for x in times if x is not None)
if t:
    print("# box-js per script: p50 %.1f s, max %.1f s over %d scripts (two at a time)"
          % (statistics.median(t), t[-1], len(t)))
PYS
exit 0
