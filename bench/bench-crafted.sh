#!/bin/sh
# airlock analyze on crafted text that makes YARA's regular expressions work hard (issue #16):
# a PHP opening followed by one character or a short cycle repeated (`{`, `(`, a backtick,
# `$a`, `"\`, `<`, `%u`, `\x`, `/*`, `);`), the same cycles alone in a .js file, and PHP
# openings repeated on one line (`<?php{`, `<?php(`, `<?php` and a backtick), each beside an
# ordinary file of the same size: the benign PHP of the realworld corpus (tests/data/realworld,
# code nobody here wrote) concatenated and repeated. Prints a Markdown section with the best
# wall time of BENCH_RUNS runs (default 3) and its ratio to the ordinary file's; a ratio above
# 3 is marked. No timed assertion lives in the test suite: this is where the work is watched.
# BENCH_MB lists the sizes (default "1 3": passes of the normaliser that stop at a size make
# 1 MB the worse size for some of them). Needs python3.
set -u
: "${AIRLOCK:?}" "${AIRLOCK_SRC:?}"
runs=${BENCH_RUNS:-3}
sizes=${BENCH_MB:-1 3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

mkdir -p "$tmp/corpus"
python3 "$AIRLOCK_SRC/tests/integration/analyze-public-corpus.py" extract \
        "$AIRLOCK_SRC/tests/data/realworld" "$tmp/corpus" >/dev/null || exit 1
for mb in $sizes; do
rm -rf "$tmp/in" && mkdir -p "$tmp/in"
python3 - "$tmp/corpus/benign" "$tmp/in" "$mb" <<'PY' || exit 1
import os, sys
src, out, size = sys.argv[1], sys.argv[2], int(float(sys.argv[3]) * 1000000)
php = b""
for root, _, names in sorted(os.walk(src)):
    for name in sorted(names):
        if name.endswith(".php"):
            with open(os.path.join(root, name), "rb") as f:
                php += f.read() + b"\n"
if not php:
    sys.exit("bench-crafted: no benign PHP in the realworld corpus")
with open(os.path.join(out, "0-ordinary.php"), "wb") as f:
    f.write((php * (size // len(php) + 1))[:size])
cycles = ["{", "(", "`", "$a", '"\\', "<", "%u", "\\x", "/*", ");"]
for i, c in enumerate(cycles, 1):
    body = c.encode() * (size // len(c))
    with open(os.path.join(out, "%02d-php.php" % i), "wb") as f:
        f.write(b"<?php " + body)
    with open(os.path.join(out, "%02d-bare.js" % i), "wb") as f:
        f.write(body)
for i, c in enumerate(["{", "(", "`"], len(cycles) + 1):
    cyc = ("<?php" + c).encode()
    with open(os.path.join(out, "%02d-open.php" % i), "wb") as f:
        f.write(cyc * (size // len(cyc)))
with open(os.path.join(out, "names.tsv"), "w") as f:
    f.write("0-ordinary.php\tordinary PHP\n")
    for i, c in enumerate(cycles, 1):
        f.write("%02d-php.php\t`<?php ` + `%s`*\n%02d-bare.js\t`%s`* (.js)\n" % (i, c, i, c))
    for i, c in enumerate(["{", "(", "`"], len(cycles) + 1):
        f.write("%02d-open.php\t`<?php%s`*\n" % (i, c))
PY

# Compile the rule pack into the cache before timing anything.
"$AIRLOCK" analyze "$tmp/in/0-ordinary.php" >/dev/null 2>&1

python3 - "$AIRLOCK" "$tmp/in" "$runs" "$mb" <<'PY'
import os, subprocess, sys, time
airlock, d, runs, mb = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
names = dict(l.rstrip("\n").split("\t") for l in open(os.path.join(d, "names.tsv")))
def best(path):
    t = []
    for _ in range(runs):
        start = time.monotonic()
        subprocess.run([airlock, "analyze", path], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        t.append(time.monotonic() - start)
    return min(t)
files = sorted(f for f in os.listdir(d) if f != "names.tsv")
base = best(os.path.join(d, files[0]))
print("## airlock analyze on crafted text (%s MB each)\n" % mb)
print("| input | wall s | ratio to ordinary |")
print("|---|---:|---:|")
print("| %s | %.2f | 1.00 |" % (names[files[0]], base))
for f in files[1:]:
    t = best(os.path.join(d, f))
    r = t / base if base > 0 else 0.0
    print("| %s | %.2f | %.2f%s |" % (names[f].replace("|", "\\|"), t, r, " **over 3x**" if r > 3 else ""))
print()
PY
done
