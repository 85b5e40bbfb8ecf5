#!/bin/sh
# airlock analyze throughput on a mixed corpus, side by side with clamscan (same files, a
# small signature database) and the yara command (the same rule pack). Prints a Markdown
# section with files/s, MB/s, wall and CPU time and their ratios (below 1: airlock is faster).
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

# The same corpus unpacked with the usual tools, for yara to see what airlock sees inside the
# archives and compressed files (both the containers and their content, as airlock scans
# both): the two archives extracted beside themselves, every .gz decompressed beside itself.
# The formats of clamav-testfiles are left packed (a few kB). The unpacking is timed apart.
unpacked=$tmp/unpacked
cat >"$tmp/unpack.sh" <<EOF
rm -rf "$unpacked" && cp -r "$corpus" "$unpacked" &&
        mkdir "$unpacked/doc.tar.gz.d" "$unpacked/bin.zip.d" &&
        tar xzf "$unpacked/doc.tar.gz" -C "$unpacked/doc.tar.gz.d" &&
        unzip -q "$unpacked/bin.zip" -d "$unpacked/bin.zip.d" &&
        find "$unpacked" -name '*.gz' -type f -exec gunzip -kfq {} + 2>/dev/null
exit 0
EOF
sh "$tmp/unpack.sh"
unpacked_bytes=$(du -sb "$unpacked" | cut -f1)

# The same detection data for each: the rule pack for yara; for clamscan a small database
# (the EICAR body and a hash line, as the peers are usually benchmarked with few signatures).
mkdir -p "$tmp/db"
eicar_hex=$(printf '%s%s' 'X5O!P%@AP[4\PZX54(P^)7CC)' '7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*' | od -An -tx1 | tr -d ' \n')
echo "Bench.Eicar:0:*:$eicar_hex" >"$tmp/db/bench.ndb"
echo "$(sha256sum /usr/share/clamav-testfiles/clam.exe 2>/dev/null | cut -d' ' -f1 || echo 0000000000000000000000000000000000000000000000000000000000000000):544:Bench.Clam" >"$tmp/db/bench.hsb"
yara_defs="-d filename=x -d file_type=script -d mime=text/plain -d encoded_b64=0 -d encoded_numbers=0 -d encoded_escapes=0 -d encoded_header=0 -d encoded_assembly=0 -d normalised_changes=0 -d literal_run=0 -d literal_digit_run=0 -d element_run=0"

# Runs a command with hyperfine; prints "WALL CPU" (means, seconds; CPU is user + system).
mean() {
        _name=$1
        shift
        hyperfine -N -i -w 1 -r "$runs" --export-json "$tmp/$_name.json" -- "$*" >/dev/null 2>&1
        python3 -c "import json,sys; r=json.load(open(sys.argv[1]))['results'][0]; print('%.4f %.4f' % (r['mean'], r['user'] + r['system']))" "$tmp/$_name.json"
}
rate() { python3 -c "import sys; print('%.0f' % (float(sys.argv[1]) / float(sys.argv[2])))" "$1" "$2"; }
mbs() { python3 -c "import sys; print('%.1f' % (float(sys.argv[1]) / 1048576 / float(sys.argv[2])))" "$1" "$2"; }
ratio() { python3 -c "import sys; print('%.2f' % (float(sys.argv[1]) / float(sys.argv[2])))" "$1" "$2"; }

# BENCH_WORKER_ONLY=1: only the budgets of the confined workers (docs/worker.md), worker
# against in process (and, with BENCH_BASELINE=PATH, the workers of another build's airlock,
# e.g. main's), in alternate rounds so that a loaded machine weighs on all alike: medians of
# wall and CPU, with the load average. Not hyperfine: the CPU counted must include the workers
# a run leaves to end after it exited (airlock does not wait for the ones it kills), so each
# run is made under a child subreaper that collects every descendant before the CPU is read.
if [ "${BENCH_WORKER_ONLY:-0}" = 1 ]; then
        small=$corpus/malicious/smug-atob-blob.html
        python3 - "$AIRLOCK" "${BENCH_BASELINE:-}" "$corpus" "$small" "$nfiles" \
                "${BENCH_ROUNDS:-5}" "$runs" <<'PY'
import ctypes, os, resource, statistics, subprocess, sys, time
airlock, baseline, corpus, small, nfiles, rounds, runs = sys.argv[1:8]
rounds, runs = int(rounds), int(runs)
ctypes.CDLL(None).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
modes = [("worker", airlock, {})]
if baseline:
    modes.append(("baseline worker", baseline, {}))
modes.append(("in process", airlock, {"AIRLOCK_IN_PROCESS": "1"}))
def run(exe, env, path):
    e = dict(os.environ, **env)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.monotonic()
    subprocess.run([exe, "analyze", "--quiet", path], env=e, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    wall = time.monotonic() - t
    while True:
        try:
            os.wait()
        except ChildProcessError:
            break
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
rows, loads = {}, []
for r in range(rounds):
    for name, exe, env in modes:
        for what, path, n in (("batch", corpus, runs), ("small", small, runs * 6)):
            run(exe, env, path)  # warm-up
            for _ in range(n):
                rows.setdefault((what, name), []).append(run(exe, env, path))
            loads.append(os.getloadavg()[0])
med = lambda what, name, i: statistics.median(x[i] for x in rows[(what, name)])
print("| | wall (median) | CPU (median) | wall against in process | CPU against in process |")
print("|---|---|---|---|---|")
for name, _, _ in modes:
    bw, bc = med("batch", name, 0), med("batch", name, 1)
    bi, bic = med("batch", "in process", 0), med("batch", "in process", 1)
    print("| batch of %s files, %s (s) | %.3f | %.3f | %.2f (budget 1.10) | %.2f |"
          % (nfiles, name, bw, bc, bw / bi, bc / bic))
for name, _, _ in modes:
    sw, sc = 1000 * med("small", name, 0), 1000 * med("small", name, 1)
    si, sic = 1000 * med("small", "in process", 0), 1000 * med("small", "in process", 1)
    print("| one small file, %s (ms) | %.1f | %.1f | %+.1f (budget +5) | %+.1f |"
          % (name, sw, sc, sw - si, sc - sic))
print()
print("%d alternate rounds; load average (1 min) during the runs: median %.1f (%.1f to %.1f), "
      "%d CPUs." % (rounds, statistics.median(loads), min(loads), max(loads), os.cpu_count()))
PY
        exit 0
fi

set -- $(mean airlock "$AIRLOCK" analyze --quiet "$corpus")
a=$1 a_cpu=$2
set -- $(mean airlock_nocache "$AIRLOCK" analyze --quiet --no-cache "$corpus")
an=$1 an_cpu=$2
# The same with the parsing in airlock's own process instead of the confined workers
# (docs/worker.md): what the confinement costs.
set -- $(mean airlock_inproc env AIRLOCK_IN_PROCESS=1 "$AIRLOCK" analyze --quiet "$corpus")
ai=$1 ai_cpu=$2
set -- $(mean clamscan clamscan --quiet --no-summary -r -d "$tmp/db" "$corpus")
c=$1 c_cpu=$2
set -- $(mean yara yara -r -w $yara_defs "$AIRLOCK_SRC"/rules/eicar.yar "$AIRLOCK_SRC"/rules/office.yar "$AIRLOCK_SRC"/rules/pdf.yar "$AIRLOCK_SRC"/rules/scripts.yar "$AIRLOCK_SRC"/rules/smuggling.yar "$corpus")
y=$1 y_cpu=$2
set -- $(mean yara_unpacked yara -r -w $yara_defs "$AIRLOCK_SRC"/rules/eicar.yar "$AIRLOCK_SRC"/rules/office.yar "$AIRLOCK_SRC"/rules/pdf.yar "$AIRLOCK_SRC"/rules/scripts.yar "$AIRLOCK_SRC"/rules/smuggling.yar "$unpacked")
yu=$1 yu_cpu=$2
set -- $(mean unpack sh "$tmp/unpack.sh")
un=$1 un_cpu=$2
yun=$(python3 -c "import sys; print('%.3f' % (float(sys.argv[1]) + float(sys.argv[2])))" "$yu" "$un")
yun_cpu=$(python3 -c "import sys; print('%.3f' % (float(sys.argv[1]) + float(sys.argv[2])))" "$yu_cpu" "$un_cpu")
# The floor of the unpacking alone: CPU time of zlib inflating what airlock inflates (the .gz
# files, the tar.gz, the zip's members), in one process, nothing else done with the bytes.
inflate_cpu=$(python3 - "$corpus" <<'PY'
import glob, os, sys, time, zipfile, zlib
c = sys.argv[1]
best = None
for _ in range(3):
    t = time.process_time()
    for f in glob.glob(os.path.join(c, "**", "*.gz"), recursive=True):
        try:
            zlib.decompress(open(f, "rb").read(), 47)
        except zlib.error:
            pass
    with zipfile.ZipFile(os.path.join(c, "bin.zip")) as z:
        for n in z.namelist():
            z.read(n)
    t = time.process_time() - t
    best = t if best is None or t < best else best
print("%.3f" % best)
PY
)
set -- $(mean airlock1 "$AIRLOCK" analyze --quiet "$corpus/malicious/smug-atob-blob.html")
a1=$1
set -- $(mean airlock1_inproc env AIRLOCK_IN_PROCESS=1 "$AIRLOCK" analyze --quiet "$corpus/malicious/smug-atob-blob.html")
a1i=$1
set -- $(mean clamscan1 clamscan --quiet --no-summary -d "$tmp/db" "$corpus/malicious/smug-atob-blob.html")
c1=$1

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
expanded=$("$AIRLOCK" analyze --json "$corpus" 2>/dev/null | python3 -c '
import json,sys
def total(n):
    s = 0 if n["type"] == "directory" else (n.get("size") or 0)
    return s + sum(total(c) for c in n.get("children", []))
print(sum(total(f) for f in json.load(sys.stdin)["files"]) - int(sys.argv[1]))' "$bytes")
c_found=$(clamscan --no-summary -i -r -d "$tmp/db" "$corpus" 2>/dev/null | grep -c FOUND)
y_found=$(yara -r -w $yara_defs "$AIRLOCK_SRC"/rules/*.yar "$corpus" 2>/dev/null | awk '{print $2}' | sort -u | wc -l)

cat <<MD
## airlock analyze vs clamscan and yara

Corpus: $nfiles files, $(mbs "$bytes" 1) MB (the test corpus of smuggling pages, Office, PDF,
script and archive samples and benign files, clamav-testfiles, /usr/share/doc, 80 programs
from /usr/bin, and a tar.gz and a zip of them). Mean of $runs runs (hyperfine), one process
for the whole tree, warm cache, $(nproc) CPUs; CPU is user + system time. clamscan: a
two-signature database (start-up included, as for airlock, which compiles its rules once and
caches them). yara: the same rule pack (externals defined as 0), which does not open archives
or compressed files: it reads $(mbs "$bytes" 1) MB, airlock reads those and about
$(mbs "$expanded" 1) MB more that it decompresses and decodes from them.

| | wall time (s) | CPU (s) | files/s | MB/s | wall time ratio to clamscan / yara | CPU ratio to clamscan / yara | files flagged |
|---|---|---|---|---|---|---|---|
| airlock analyze | $a | $a_cpu | $(rate "$nfiles" "$a") | $(mbs "$bytes" "$a") | $(ratio "$a" "$c") / $(ratio "$a" "$y") | $(ratio "$a_cpu" "$c_cpu") / $(ratio "$a_cpu" "$y_cpu") | $a_found |
| airlock analyze, parsing in process (no worker) | $ai | $ai_cpu | $(rate "$nfiles" "$ai") | $(mbs "$bytes" "$ai") | $(ratio "$ai" "$c") / $(ratio "$ai" "$y") | $(ratio "$ai_cpu" "$c_cpu") / $(ratio "$ai_cpu" "$y_cpu") | $a_found |
| airlock analyze --no-cache | $an | $an_cpu | $(rate "$nfiles" "$an") | $(mbs "$bytes" "$an") | $(ratio "$an" "$c") / $(ratio "$an" "$y") | $(ratio "$an_cpu" "$c_cpu") / $(ratio "$an_cpu" "$y_cpu") | $a_found |
| clamscan | $c | $c_cpu | $(rate "$nfiles" "$c") | $(mbs "$bytes" "$c") | | | $c_found |
| yara -r | $y | $y_cpu | $(rate "$nfiles" "$y") | $(mbs "$bytes" "$y") | | | $y_found |

The same with yara made to see inside the archives and compressed files: the corpus unpacked
with tar, unzip and gunzip beside the packed files ($(mbs "$unpacked_bytes" 1) MB; the formats of
clamav-testfiles, a few kB, left packed), then \`yara -r\` over that. airlock's times are those
of the first row, over the packed corpus.

| | wall time (s) | CPU (s) | MB/s of the packed corpus | airlock's wall time ratio | airlock's CPU ratio |
|---|---|---|---|---|---|
| yara -r over the unpacked corpus | $yu | $yu_cpu | $(mbs "$bytes" "$yu") | $(ratio "$a" "$yu") | $(ratio "$a_cpu" "$yu_cpu") |
| unpacking (tar, unzip, gunzip) | $un | $un_cpu | | | |
| unpacking, then yara | $yun | $yun_cpu | $(mbs "$bytes" "$yun") | $(ratio "$a" "$yun") | $(ratio "$a_cpu" "$yun_cpu") |

Inflating alone what airlock inflates (zlib in one process, the bytes then dropped) takes
$inflate_cpu s of CPU: $(ratio "$inflate_cpu" "$y_cpu") of yara's whole run over the packed corpus, before any
hashing, typing or rule scanning.

Ratios are airlock's time over the peer's: below 1, airlock is faster.

The confined workers (docs/worker.md) against parsing in airlock's own process (hyperfine counts
the CPU of the processes it reaps: not of the workers airlock kills at exit without waiting;
\`BENCH_WORKER_ONLY=1\` counts them): wall time
ratio $(ratio "$a" "$ai") over the corpus (budget: within 1.10), CPU ratio $(ratio "$a_cpu" "$ai_cpu");
one small file $a1 s against $a1i s in process (budget: +5 ms at most).

One file (start-up included): airlock $a1 s, clamscan $c1 s (ratio $(ratio "$a1" "$c1")).
airlock does more per file: true type (libmagic), SHA-256, archive walk with limits
(decompressing every member), carving and decoding of embedded payloads, the YARA pack with
encoded-run measurements, heuristics. It scans the files of a folder and the members of an
archive on all CPUs. It keeps the true type and the rule findings of content it has already
scanned (by SHA-256 and name, as ClamAV's cache does): this corpus holds each document and
program twice (as a file, and inside doc.tar.gz or bin.zip), so the \`--no-cache\` row shows
the cost without that. The markup and PDF rule files declare a scope (rules/README.md), so
airlock scans them only over markup and PDF; yara scans every rule over every file.
MD
