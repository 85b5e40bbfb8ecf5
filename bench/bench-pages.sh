#!/bin/sh
# A web page's verdict with airlock analyze --detonate (headless Chromium in airlock run --net
# sinkhole, driven over the DevTools pipe, timers on virtual time, one click), side by side with
# the same Chromium outside any sandbox driven over the same pipe the same way (a fresh browser
# context per page, navigation, a virtual time budget, a screenshot), without instrumentation or
# judging. As root the bare browser needs --no-sandbox: it refuses to start otherwise.
# Pages: the smuggling and benign pages of tests/integration/detonate-pages.py. Two ways:
# - one page per analysis (the browser starts for each page), BENCH_ALONE pages (default 8);
# - all pages in one analysis (one browser, a fresh context per page): the time of each page
#   is the one its report gives (the first page carries the browser's start).
# Prints a Markdown section with p50 and p95, CPU time, and their ratios.
# Needs chromium, python3, cc.
set -u
: "${AIRLOCK:?}" "${AIRLOCK_SRC:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/pages"
printf 'int main(void) { return 0; }\n' >"$tmp/tiny.c"
cc -Os -s -o "$tmp/tiny" "$tmp/tiny.c"
python3 "$AIRLOCK_SRC/tests/integration/detonate-pages.py" "$tmp/pages" "$tmp/pages" \
        "$tmp/tiny" >/dev/null
chmod -R a+rX "$tmp"
bare_flags=""
[ "$(id -u)" = 0 ] && bare_flags="--no-sandbox"

cat >"$tmp/bare.py" <<'PY'
# Loads each page given in a fresh browser context of one bare headless Chromium, the way
# airlock's driver does (navigate, virtual time budget, screenshot); prints seconds per page.
import json, os, socket, subprocess, sys, time
flags, pages = sys.argv[1].split(), sys.argv[2:]
a, b = socket.socketpair()
chromium = "/usr/lib/chromium/chromium" if os.access("/usr/lib/chromium/chromium", os.X_OK) else "chromium"
# the flags of spawn_browser() in src/analysis/browser.c
argv = [chromium, "--headless", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-extensions", "--disable-default-apps", "--disable-pings",
        "--disable-domain-reliability", "--disable-client-side-phishing-detection",
        "--no-service-autorun", "--media-router=0", "--password-store=basic", "--disable-breakpad",
        "--disable-dev-shm-usage",
        "--disable-features=Translate,OptimizationHints,MediaRouter,DialMediaRouteProvider,"
        "AutofillServerCommunication,CertificateTransparencyComponentUpdater,"
        "SpareRendererForSitePerProcess",
        "--mute-audio", "--remote-debugging-pipe",
        "--user-data-dir=" + os.environ["PROFILE"]] + flags + ["about:blank"]
t0 = time.monotonic()
proc = subprocess.Popen(argv, pass_fds=(3, 4), preexec_fn=lambda: (os.dup2(b.fileno(), 3), os.dup2(b.fileno(), 4)),
                        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
b.close()
buf, n = b"", 0
def read():
    global buf
    while b"\0" not in buf:
        d = a.recv(1 << 20)
        if not d:
            raise SystemExit("the browser went away")
        buf += d
    m, _, buf = buf.partition(b"\0")
    return json.loads(m)
def call(method, params=None, session=None, until=None):
    global n
    n += 1
    m = {"id": n, "method": method, "params": params or {}}
    if session:
        m["sessionId"] = session
    a.sendall(json.dumps(m).encode() + b"\0")
    while True:
        j = read()
        if j.get("id") == n:
            return j.get("result", {})
for page in pages:
    ctx = call("Target.createBrowserContext")["browserContextId"]
    tid = call("Target.createTarget", {"url": "about:blank", "browserContextId": ctx})["targetId"]
    s = call("Target.attachToTarget", {"targetId": tid, "flatten": True})["sessionId"]
    call("Page.enable", session=s)
    call("Emulation.setVirtualTimePolicy", {"policy": "pause"}, session=s)
    call("Page.navigate", {"url": "file://" + page}, session=s)
    call("Emulation.setVirtualTimePolicy", {"policy": "pauseIfNetworkFetchesPending", "budget": 90000}, session=s)
    deadline = time.monotonic() + 4
    while time.monotonic() < deadline:
        j = read()
        if j.get("method") == "Emulation.virtualTimeBudgetExpired":
            break
    call("Emulation.setVirtualTimePolicy", {"policy": "advance"}, session=s)
    call("Page.captureScreenshot", {"format": "png"}, session=s)
    call("Target.disposeBrowserContext", {"browserContextId": ctx})
    t1 = time.monotonic()
    print("%.3f" % (t1 - t0))
    t0 = t1
call("Browser.close")
proc.wait()
PY

now() { date +%s.%N; }
cpu() { awk '{ print $14 + $15 + $16 + $17 }' /proc/$$/stat; }
ls "$tmp"/pages/* | sort >"$tmp/list"
n_pages=$(wc -l <"$tmp/list")
head -n "${BENCH_ALONE:-8}" "$tmp/list" >"$tmp/alone"

# One page per analysis, the bare browser started for each page too, side by side.
while read -r page; do
        t0=$(now)
        "$AIRLOCK" analyze --detonate --detonate-timeout 40 --json "$page" >/dev/null 2>&1
        t1=$(now)
        PROFILE=$tmp/profile-$$-$t1 timeout 120 python3 "$tmp/bare.py" "$bare_flags" "$page" >/dev/null 2>&1
        t2=$(now)
        echo "$t0 $t1 $t2" >>"$tmp/alone-times"
done <"$tmp/alone"

# All pages in one analysis; the bare browser loads them all too. CPU time from times(1) of
# the children of this shell, around each.
c0=$(cpu)
t0=$(now)
"$AIRLOCK" analyze --detonate --detonate-timeout 40 --json "$tmp/pages" >"$tmp/batch.json" 2>/dev/null
t1=$(now)
c1=$(cpu)
PROFILE=$tmp/profile-batch timeout 600 python3 "$tmp/bare.py" "$bare_flags" $(cat "$tmp/list") \
        >"$tmp/bare-batch" 2>/dev/null
t2=$(now)
c2=$(cpu)
echo "$t0 $t1 $t2 $c0 $c1 $c2" >"$tmp/batch-times"

python3 - "$tmp" "$n_pages" <<'PY'
import json, sys
tmp, n_pages = sys.argv[1], int(sys.argv[2])
hz = 100.0
def pct(v, p):
    v = sorted(v)
    return v[min(len(v) - 1, int(p * len(v)))] if v else float("nan")
alone = [list(map(float, l.split())) for l in open(tmp + "/alone-times")]
a_al = [r[1] - r[0] for r in alone]
b_al = [r[2] - r[1] for r in alone]
rep = json.load(open(tmp + "/batch.json"))
a_b = []
for f in rep["files"]:
    for c in f.get("children", []):
        for x in c["findings"]:
            if x["rule"] in ("browser.loaded", "detonation.failed") and x.get("evidence"):
                try:
                    a_b.append(float(x["evidence"].split("; ")[1].split(" ")[0]))
                except (IndexError, ValueError):
                    pass
b_b = [float(l) for l in open(tmp + "/bare-batch")]
t0, t1, t2, c0, c1, c2 = map(float, open(tmp + "/batch-times").read().split())
ncpu = open("/proc/cpuinfo").read().count("processor\t")
print("## A web page's verdict (detonation in headless Chromium)\n")
print("%d pages (smuggling and benign) on %d CPUs; the load of the machine while this ran shows"
      " in the bare column, measured beside airlock page by page.\n" % (n_pages, ncpu))
print("| | airlock analyze --detonate | bare headless Chromium, same driving | ratio |")
print("|---|---|---|---|")
for name, p in (("p50", 0.5), ("p95", 0.95)):
    print("| one page per run (%d pages), %s | %.2f s | %.2f s | %.2f |"
          % (len(a_al), name, pct(a_al, p), pct(b_al, p), pct(a_al, p) / pct(b_al, p)))
for name, p in (("p50", 0.5), ("p95", 0.95)):
    print("| all pages in one run (%d pages), %s | %.2f s | %.2f s | %.2f |"
          % (len(a_b), name, pct(a_b, p), pct(b_b, p), pct(a_b, p) / pct(b_b, p)))
print("| all pages in one run, wall time | %.1f s | %.1f s | %.2f |" % (t1 - t0, t2 - t1, (t1 - t0) / (t2 - t1)))
print("| all pages in one run, CPU time (user + system) | %.1f s | %.1f s | %.2f |"
      % ((c1 - c0) / hz, (c2 - c1) / hz, (c1 - c0) / max(c2 - c1, 1)))
PY
