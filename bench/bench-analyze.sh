#!/bin/sh
# airlock analyze throughput on a mixed corpus, side by side with clamscan (same files, a
# small signature database) and the yara command (the same rule pack). Prints a Markdown
# section with files/s, MB/s and the ratios of the times (below 1: airlock is faster).
# Needs hyperfine, clamscan, yara, python3, zip, 7z, genisoimage.
set -u
: "${AIRLOCK:?}" "${AIRLOCK_SRC:?}"
runs=${BENCH_RUNS:-5}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
corpus=$tmp/corpus
mkdir -p "$corpus"

# The corpus: the test corpus (smuggling pages, Office, PDF, scripts, archives, benign files),
# Debian's clamav-testfiles, documentation (text and gzip), programs from /usr/bin, and
# archives of them: what lands in a download folder or a mail spool.
python3 "$AIRLOCK_SRC/tests/integration/analyze-corpus.py" "$tmp/gen" >/dev/null
cp -r "$tmp/gen/malicious" "$tmp/gen/benign" "$corpus/"
[ -d /usr/share/clamav-testfiles ] && cp -r /usr/share/clamav-testfiles "$corpus/clamav"
mkdir -p "$corpus/doc" "$corpus/bin"
find /usr/share/doc -type f -size -200k 2>/dev/null | head -600 | while read -r f; do
        cp "$f" "$corpus/doc/$(echo "$f" | tr / _)" 2>/dev/null
done
find /usr/bin -maxdepth 1 -type f -size -2M 2>/dev/null | head -80 | while read -r f; do
        cp "$f" "$corpus/bin/" 2>/dev/null
done
(cd "$corpus" && tar czf "$corpus/doc.tar.gz" doc && zip -qr "$corpus/bin.zip" bin)
nfiles=$(find "$corpus" -type f | wc -l)
bytes=$(du -sb "$corpus" | cut -f1)

# The same detection data for each: the rule pack for yara; for clamscan a small database
# (the EICAR body and a hash line, as the peers are usually benchmarked with few signatures).
mkdir -p "$tmp/db"
eicar_hex=$(printf '%s%s' 'X5O!P%@AP[4\PZX54(P^)7CC)' '7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*' | od -An -tx1 | tr -d ' \n')
echo "Bench.Eicar:0:*:$eicar_hex" >"$tmp/db/bench.ndb"
echo "$(sha256sum /usr/share/clamav-testfiles/clam.exe 2>/dev/null | cut -d' ' -f1 || echo 0000000000000000000000000000000000000000000000000000000000000000):544:Bench.Clam" >"$tmp/db/bench.hsb"
yara_defs="-d filename=x -d encoded_b64=0 -d encoded_numbers=0 -d encoded_escapes=0 -d encoded_header=0"

mean() {
        _name=$1
        shift
        hyperfine -N -i -w 1 -r "$runs" --export-json "$tmp/$_name.json" -- "$*" >/dev/null 2>&1
        python3 -c "import json,sys; print('%.3f' % json.load(open(sys.argv[1]))['results'][0]['mean'])" "$tmp/$_name.json"
}
rate() { python3 -c "import sys; print('%.0f' % (float(sys.argv[1]) / float(sys.argv[2])))" "$1" "$2"; }
mbs() { python3 -c "import sys; print('%.1f' % (float(sys.argv[1]) / 1048576 / float(sys.argv[2])))" "$1" "$2"; }
ratio() { python3 -c "import sys; print('%.2f' % (float(sys.argv[1]) / float(sys.argv[2])))" "$1" "$2"; }

a=$(mean airlock "$AIRLOCK" analyze --quiet "$corpus")
c=$(mean clamscan clamscan --quiet --no-summary -r -d "$tmp/db" "$corpus")
y=$(mean yara yara -r -w $yara_defs "$AIRLOCK_SRC"/rules/eicar.yar "$AIRLOCK_SRC"/rules/office.yar "$AIRLOCK_SRC"/rules/pdf.yar "$AIRLOCK_SRC"/rules/scripts.yar "$AIRLOCK_SRC"/rules/smuggling.yar "$corpus")
a1=$(mean airlock1 "$AIRLOCK" analyze --quiet "$corpus/malicious/smug-atob-blob.html")
c1=$(mean clamscan1 clamscan --quiet --no-summary -d "$tmp/db" "$corpus/malicious/smug-atob-blob.html")

# What each one flags on the corpus (not timed).
a_found=$("$AIRLOCK" analyze --json "$corpus" 2>/dev/null | python3 -c '
import json,sys
def leaves(n):
    if n["type"] == "directory":
        for c in n["children"]:
            yield from leaves(c)
    else:
        yield n
print(sum(1 for f in json.load(sys.stdin)["files"] for l in leaves(f) if l["verdict"] != "clean"))')
c_found=$(clamscan --no-summary -i -r -d "$tmp/db" "$corpus" 2>/dev/null | grep -c FOUND)
y_found=$(yara -r -w $yara_defs "$AIRLOCK_SRC"/rules/*.yar "$corpus" 2>/dev/null | awk '{print $2}' | sort -u | wc -l)

cat <<MD
## airlock analyze vs clamscan and yara

Corpus: $nfiles files, $(mbs "$bytes" 1) MB (the test corpus of smuggling pages, Office, PDF,
script and archive samples and benign files, clamav-testfiles, /usr/share/doc, 80 programs
from /usr/bin, and a tar.gz and a zip of them). Mean of $runs runs (hyperfine), one process
for the whole tree, warm cache. clamscan: a two-signature database (start-up included, as
for airlock, which compiles its rules once and caches them). yara: the same rule pack
(externals defined as 0), which does not open archives.

| | wall time (s) | files/s | MB/s | time ratio airlock/peer | files flagged |
|---|---|---|---|---|---|
| airlock analyze | $a | $(rate "$nfiles" "$a") | $(mbs "$bytes" "$a") | 1.00 | $a_found |
| clamscan | $c | $(rate "$nfiles" "$c") | $(mbs "$bytes" "$c") | $(ratio "$a" "$c") | $c_found |
| yara -r | $y | $(rate "$nfiles" "$y") | $(mbs "$bytes" "$y") | $(ratio "$a" "$y") | $y_found |

One file (start-up included): airlock $a1 s, clamscan $c1 s (ratio $(ratio "$a1" "$c1")).
airlock does more per file: true type (libmagic), SHA-256, archive walk with limits, carving
and decoding of embedded payloads, the YARA pack with encoded-run measurements, heuristics.
MD
