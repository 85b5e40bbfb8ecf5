#!/bin/sh
# airlock analyze --detonate on web pages: HTML and SVG files are loaded in Debian's headless
# Chromium inside airlock run --net sinkhole, and the files their script builds are recovered and
# judged. The corpus is written by detonate-pages.py: 30 smuggling pages in distinct styles
# (API names concatenated, base64 split, char codes, XOR, RC4, AES through WebCrypto, rotated
# string arrays, document.write(atob()), msSaveOrOpenBlob, location = blob URL, iframe srcdoc,
# SVG, a click, a 45 s timer, a Windows user agent, fetch of a data: URL...), each handing over
# a harmless payload (a shell script, a tiny ELF program, a zip), and benign pages that export
# CSV, JSON, PNG or text through a Blob, draw a login form or a remote picture, beside Debian's
# HTML documentation pages that carry script. Each smuggling page must be malicious with
# T1027.006 (T1027.017 for SVG) and the payload recovered as a child with its SHA-256; each
# benign page must stay clean. The unprivileged and ASan phases detonate a third of the corpus.
. "$AIRLOCK_SRC/tests/lib.sh"
. "$AIRLOCK_SRC/tests/helpers/pages-lib.sh"
PY=${PY:-python3}

need_chromium || exit 0

W=$TEST_TMPDIR/pages
page_corpus "$W"
# Debian's HTML documentation that carries script, as installed here.
n_doc=0
for f in $(find /usr/share/doc -name '*.html' -size -2M 2>/dev/null | sort); do
        grep -qi '<script' "$f" 2>/dev/null || continue
        cp "$f" "$W/ben/debian-$(echo "${f#/usr/share/doc/}" | tr / -)" && n_doc=$((n_doc + 1))
        [ "$n_doc" -ge 15 ] && break
done
chmod -R a+rX "$W"
n_mal=$(wc -l <"$W/manifest")
n_ben=$(ls "$W/ben" | wc -l)
[ "$n_mal" -ge 25 ] && pass "corpus: $n_mal smuggling pages" || fail "corpus: smuggling pages" "$n_mal"
[ "$n_ben" -ge 10 ] && pass "corpus: $n_ben benign pages ($n_doc from /usr/share/doc)" ||
        fail "corpus: benign pages" "$n_ben"

# The root phase detonates the whole corpus; the unprivileged and ASan phases, which run the
# same browser code on the same pages, a third of it (every third page of each kind, and the
# benign pages the checks below name) to keep the suite's time.
if [ "${AIRLOCK_TEST_PHASE:-root}" != root ]; then
        awk 'NR % 3 == 1' "$W/manifest" >"$W/manifest.part"
        for f in "$W"/mal/*; do
                grep -q "^$(basename "$f") " "$W/manifest.part" || rm -f "$f"
        done
        mv "$W/manifest.part" "$W/manifest"
        i=0
        for f in "$W"/ben/*; do
                i=$((i + 1))
                case "$(basename "$f")" in csv-export.html | login-form.html | remote-logo.html) continue ;; esac
                [ $((i % 3)) = 1 ] || rm -f "$f"
        done
        echo "# this phase: $(wc -l <"$W/manifest") smuggling pages, $(ls "$W/ben" | wc -l) benign pages"
fi

"$AIRLOCK" analyze --json "$W/mal" >"$W/static-mal.json" 2>"$W/static.err"
"$AIRLOCK" analyze --json "$W/ben" >"$W/static-ben.json" 2>>"$W/static.err"
# Two analyses at once: each page starts its own browser.
"$AIRLOCK" analyze --detonate --detonate-timeout 40 --json "$W/mal" >"$W/det-mal.json" 2>"$W/det-mal.err" &
mal_pid=$!
"$AIRLOCK" analyze --detonate --detonate-timeout 40 --json "$W/ben" >"$W/det-ben.json" 2>"$W/det-ben.err"
ben_rc=$?
wait "$mal_pid"
mal_rc=$?
expect_eq "detonate: exit status 1 for the smuggling pages" 1 "$mal_rc"
expect_eq "detonate: exit status 0 for the benign pages" 0 "$ben_rc"

"$PY" - "$W" <<'PYS' || fail "the report check" "python exited with status $?"
import json, os, statistics, sys
w = sys.argv[1]
def pages(path):
    try:
        r = json.load(open(path))
    except (OSError, ValueError) as e:
        print("FAIL: report %s: %s" % (os.path.basename(path), e))
        return {}
    return {n["name"]: n for f in r["files"] for n in f.get("children", [])}
def rules(n):
    return {f["rule"]: f for f in n["findings"]}
def seconds(n):
    f = rules(n).get("browser.loaded")
    try:
        return float(f["evidence"].split("; ")[1].split(" ")[0])
    except (TypeError, IndexError, ValueError):
        return None
mal, ben = pages(w + "/det-mal.json"), pages(w + "/det-ben.json")
smal, sben = pages(w + "/static-mal.json"), pages(w + "/static-ben.json")
times = []
caught = 0
for line in open(w + "/manifest"):
    name, attack, sha = line.split()
    n = mal.get(name)
    if n is None:
        print("FAIL: %s: not in the report" % name)
        continue
    times.append(seconds(n))
    smug = [f for f in n["findings"] if attack in f["attack"] and f["source"] == "detonation"
            and f["rule"] in ("browser.html_smuggling", "browser.svg_smuggling")]
    kids = [c for c in n.get("children", []) if c.get("sha256") == sha]
    if n["verdict"] == "malicious" and smug and kids:
        caught += 1
        print("PASS: %s: malicious, %s (%s), payload %s recovered as %s (%s)"
              % (name, attack, (smug[0]["evidence"] or "")[:80], sha[:12], kids[0]["name"], kids[0]["mime"]))
    else:
        print("FAIL: %s: verdict %s, findings %s, children %s" % (
            name, n["verdict"], sorted(rules(n)), [(c["name"], c.get("sha256", "")[:12]) for c in n.get("children", [])]))
clean = 0
for name, n in sorted(ben.items()):
    times.append(seconds(n))
    if n["verdict"] == "clean" and "browser.loaded" in rules(n):
        clean += 1
        print("PASS: benign %s: clean after loading" % name)
    else:
        print("FAIL: benign %s: %s %s" % (name, n["verdict"], [(f["rule"], f.get("evidence")) for f in n["findings"]]))
def check(what, ok, why):
    print(("PASS: %s" % what) if ok else ("FAIL: %s: %s" % (what, why)))
csv = ben.get("csv-export.html", {"children": [], "findings": []})
check("the CSV export is recovered and judged on its own (clean)",
      any(c["name"] == "prices.csv" and c["verdict"] == "clean" for c in csv["children"])
      and "browser.download" in rules(csv), csv)
login = ben.get("login-form.html", {"findings": []})
check("a page that builds a password form is reported (info)",
      rules(login).get("browser.credential_form", {}).get("severity") == "info", login["findings"])
logo = ben.get("remote-logo.html", {"findings": []})
check("a network attempt is a finding with its URL",
      "http://logo.example.invalid/logo.png" in (rules(logo).get("browser.network", {}).get("evidence") or ""),
      logo["findings"])
static_caught = sum(1 for l in open(w + "/manifest") if smal.get(l.split()[0], {}).get("verdict") in ("malicious", "suspicious"))
static_fp = sum(1 for n in sben.values() if n["verdict"] != "clean")
t = sorted(x for x in times if x is not None)
if t:
    print("# detection: static %d/%d, with detonation %d/%d; false positives: static %d/%d, with detonation %d/%d"
          % (static_caught, len(mal), caught, len(mal), static_fp, len(sben), len(ben) - clean, len(ben)))
    print("# a page's verdict: p50 %.1f s, p95 %.1f s, max %.1f s over %d pages (two at a time)"
          % (statistics.median(t), t[min(len(t) - 1, int(0.95 * len(t)))], t[-1], len(t)))
PYS
exit 0
