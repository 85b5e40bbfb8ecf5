#!/usr/bin/env python3
# Detonation load on the milter: many messages whose attachments detonation runs, sent by
# several SMTP clients at once through a real Postfix, while the milter's process tree is
# sampled. Used by tests/integration/milter-detonate-bound.sh and bench/bench-milter-detonate.sh.
#
# milter-detonate-load.py corpus OUT N PAGES WSH
#     writes N messages OUT/NNN.eml, one attachment each, in turn from a mix: smuggling and
#     benign pages (PAGES/mal, PAGES/ben: tests/helpers/pages-lib.sh's page_corpus), JScript
#     droppers and benign JScript (WSH/mal, WSH/ben: detonate-wsh.py), shell and Python
#     scripts (malicious: they read a key, plant persistence; benign: they print). Lists them
#     in OUT/manifest: "NNN.eml KIND EXPECT NAME", EXPECT "bad" or "good".
# milter-detonate-load.py send HOST PORT CLIENTS MILTER_PID OUT.json EML...
#     sends each EML in its own SMTP session (envelope sender NNN@load.example.org) over
#     CLIENTS sessions at once, and every 50 ms samples the milter's process tree: the
#     detonation sandboxes (its children that are the airlock launcher), its descendants, their
#     summed RSS (and PSS every 10th sample), the milter's own RSS. Writes OUT.json: "messages"
#     (name, sender, code, reply, start, end), "samples" (t, done, sandboxes, procs, rss_kb,
#     pss_kb, milter_rss_kb), "start", "end", and how many launchers were seen ("sandboxes"), of
#     them browsers ("browsers").
# milter-detonate-load.py below PID
#     prints the pids of the processes below PID.
# milter-detonate-load.py account OUT.json MANIFEST POSTFIX_DIR MILTER_LOG
#     accounts for every message sent: delivered (found in the Maildir, with its verdict
#     header), quarantined (in Postfix's hold queue), rejected 5xx or tempfailed 4xx with the
#     milter's log line for its sender (action and reason); anything else is lost. Prints
#     "KEY VALUE" lines: counts, peaks, latencies; then "- lost", "- missed" (a bad sample
#     delivered clean), "- false_positive", "- unlogged" or "- tempfail" lines, one per message
#     concerned.
import json
import os
import queue
import smtplib
import sys
import threading
import time
from email.message import EmailMessage

# The script that builds the path of an SSH key from character codes and reads it (shared with
# analyze-detonate.sh and milter-detonate.sh).
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "detonate",
                       "keyread.py")) as f:
    KEYREAD = f.read()

BAD_SCRIPTS = {
    "keyread.py": ("x-python", KEYREAD),
    "cron.sh": ("x-shellscript", """#!/bin/sh
(crontab -l 2>/dev/null; echo "*/5 * * * * /tmp/.x/run >/dev/null 2>&1") | crontab -
"""),
    "keys.py": ("x-python", """import os
d = os.path.join(os.path.expanduser("~"), ".ssh")
os.makedirs(d, exist_ok=True)
with open(os.path.join(d, "authorized_keys"), "a") as f:
    f.write("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDecoyDecoyDecoy attacker\\n")
"""),
    "preload.sh": ("x-shellscript", "#!/bin/sh\necho /usr/local/lib/libhide.so >>/etc/ld.so.preload\n"),
}
GOOD_SCRIPTS = {
    "hello.sh": ("x-shellscript", "#!/bin/sh\necho hello\n"),
    "sum.py": ("x-python", "import sys\nprint(sum(range(1000)))\n"),
    "report.sh": ("x-shellscript", "#!/bin/sh\nfor i in 1 2 3; do echo \"line $i\"; done\n"),
}


def files(folder, ext):
    try:
        return sorted(os.path.join(folder, f) for f in os.listdir(folder) if f.endswith(ext))
    except OSError:
        return []


def corpus(out, n, pages, wsh):
    kinds = [  # (kind, expect, [(name, subtype, bytes)]): taken in turn
        ("page", "bad", [(os.path.basename(p), "html", open(p, "rb").read())
                         for p in files(os.path.join(pages, "mal"), ".html")]),
        ("wsh", "bad", [(os.path.basename(p), "javascript", open(p, "rb").read())
                        for p in files(os.path.join(wsh, "mal"), ".js")]),
        ("script", "bad", [(k, v[0], v[1].encode()) for k, v in sorted(BAD_SCRIPTS.items())]),
        ("page", "good", [(os.path.basename(p), "html", open(p, "rb").read())
                          for p in files(os.path.join(pages, "ben"), ".html")]),
        ("wsh", "good", [(os.path.basename(p), "javascript", open(p, "rb").read())
                         for p in files(os.path.join(wsh, "ben"), ".js")]),
        ("script", "good", [(k, v[0], v[1].encode()) for k, v in sorted(GOOD_SCRIPTS.items())]),
    ]
    kinds = [k for k in kinds if k[2]]
    if not kinds:
        sys.exit("no samples")
    used = [0] * len(kinds)
    with open(os.path.join(out, "manifest"), "w") as man:
        for i in range(n):
            k = i % len(kinds)
            kind, expect, samples = kinds[k]
            name, subtype, data = samples[used[k] % len(samples)]
            used[k] += 1
            m = EmailMessage()
            m["From"], m["To"] = "%03d@load.example.org" % i, "user@test.local"
            m["Subject"] = "document %03d" % i
            m.set_content("Please see the attached file.")
            m.add_attachment(data, maintype="application" if subtype == "javascript" else "text",
                             subtype=subtype, filename=name)
            eml = "%03d.eml" % i
            with open(os.path.join(out, eml), "wb") as f:
                f.write(bytes(m))
            man.write("%s %s %s %s\n" % (eml, kind, expect, name))


def tree(root):
    """Children lists and comm of every process, from /proc."""
    kids, comm = {}, {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % d) as f:
                s = f.read()
        except OSError:
            continue
        r = s.rfind(")")
        pid, ppid = int(d), int(s[r + 2:].split()[1])
        comm[pid] = s[s.find("(") + 1:r]
        kids.setdefault(ppid, []).append(pid)
    below, todo = [], list(kids.get(root, []))
    while todo:
        p = todo.pop()
        below.append(p)
        todo.extend(kids.get(p, []))
    return kids.get(root, []), below, comm


def status_kb(pid, key):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith(key):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def pss_kb(pid):
    try:
        with open("/proc/%d/smaps_rollup" % pid) as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def send(host, port, clients, milter, out, emls):
    todo = queue.Queue()
    for e in emls:
        todo.put(e)
    results, lock, stop = [], threading.Lock(), threading.Event()
    done = [0]

    def client():
        while True:
            try:
                path = todo.get_nowait()
            except queue.Empty:
                return
            name = os.path.basename(path)
            sender = name.split(".")[0] + "@load.example.org"
            body = open(path, "rb").read()
            t0 = time.time()
            code, reply = 0, ""
            try:
                s = smtplib.SMTP(host, port, local_hostname="load.localdomain", timeout=600)
                try:
                    s.sendmail(sender, ["user@test.local"], body)
                    code, reply = 250, "ok"
                except smtplib.SMTPResponseException as e:
                    code, reply = e.smtp_code, e.smtp_error.decode(errors="replace")
                except smtplib.SMTPRecipientsRefused as e:
                    c, t = list(e.recipients.values())[0]
                    code, reply = c, t.decode(errors="replace")
                try:
                    s.quit()
                except (smtplib.SMTPException, OSError):
                    pass
            except (smtplib.SMTPException, OSError) as e:
                reply = "%s: %s" % (type(e).__name__, e)
            with lock:
                results.append({"name": name, "sender": sender, "code": code, "reply": reply,
                                "start": t0, "end": time.time()})
                done[0] += 1

    samples = []
    seen = {}  # launcher pid: whether it runs the browser

    def sampler():
        i = 0
        while not stop.is_set():
            t = time.time()
            children, below, comm = tree(milter)
            launchers = [p for p in children if comm.get(p) == "airlock"]
            sandboxes = len(launchers)
            for p in launchers:
                if p not in seen:
                    try:
                        with open("/proc/%d/cmdline" % p, "rb") as f:
                            seen[p] = b"\0--remote-debugging-pipe\0" in f.read()
                    except OSError:
                        pass
            rss = sum(status_kb(p, "VmRSS:") for p in below + [milter])
            pss = sum(pss_kb(p) for p in below + [milter]) if i % 10 == 0 else None
            with lock:
                n = done[0]
            samples.append({"t": t, "done": n, "sandboxes": sandboxes, "procs": len(below),
                            "rss_kb": rss, "pss_kb": pss,
                            "milter_rss_kb": status_kb(milter, "VmRSS:")})
            i += 1
            stop.wait(max(0.0, 0.05 - (time.time() - t)))

    start = time.time()
    s = threading.Thread(target=sampler)
    s.start()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    end = time.time()
    time.sleep(0.5)  # a sandbox still running after the last reply is seen too
    stop.set()
    s.join()
    with open(out, "w") as f:
        json.dump({"start": start, "end": end, "messages": results, "samples": samples,
                   "browsers": sum(1 for b in seen.values() if b),
                   "sandboxes": len(seen)}, f)


def pct(v, q):
    v = sorted(v)
    return v[min(len(v) - 1, int(q * len(v)))] if v else float("nan")


def account(result, manifest, pf, log):
    res = json.load(open(result))
    expect = {}
    for line in open(manifest):
        eml, kind, exp, name = line.split()[:4]
        expect[eml] = (kind, exp, name)
    delivered = {}
    for sub in ("new", "cur"):
        for f in files(os.path.join(pf, "mail", "user", sub), ""):
            sender, verdict = None, None
            for line in open(f, errors="replace"):
                if line.startswith("Return-Path: <"):
                    sender = line[len("Return-Path: <"):].split(">")[0]
                elif line.startswith("X-Airlock-Verdict: "):
                    verdict = line.split()[1]
                elif line in ("\n", "\r\n"):
                    break
            if sender:
                delivered.setdefault(sender, []).append(verdict or "none")
    held = set()
    for root, _, names in os.walk(os.path.join(pf, "queue", "hold")):
        for n in names:
            data = open(os.path.join(root, n), "rb").read()
            for m in res["messages"]:
                if m["sender"].encode() in data:
                    held.add(m["sender"])
    logged = {}
    for line in open(log, errors="replace"):
        i = line.find(" from=<")
        if i < 0 or "action=" not in line:
            continue
        sender = line[i + 7:].split(">")[0]
        action = line.split("action=")[1].split()[0]
        reason = line.split('reason="')[1].rstrip().rstrip('"') if 'reason="' in line else ""
        logged.setdefault(sender, []).append((action, reason))
    c = {k: 0 for k in ("delivered", "delivered_clean", "delivered_flagged", "quarantined",
                        "rejected", "tempfailed", "lost", "missed", "false_positive",
                        "unlogged", "bad", "good")}
    out = []
    for m in sorted(res["messages"], key=lambda m: m["name"]):
        kind, exp, name = expect.get(m["name"], ("?", "?", "?"))
        c[exp] = c.get(exp, 0) + 1
        who, code = m["sender"], m["code"]
        logs = logged.get(who, [])
        if code == 250 and who in delivered:
            c["delivered"] += 1
            v = delivered[who][0]
            c["delivered_clean" if v == "clean" else "delivered_flagged"] += 1
            if exp == "bad" and v == "clean":
                c["missed"] += 1
                out.append("- missed %s %s %s delivered clean" % (m["name"], kind, name))
        elif code == 250 and who in held:
            c["quarantined"] += 1
        elif 500 <= code < 600 and any(a == "reject" for a, _ in logs):
            c["rejected"] += 1
            if exp == "good":
                c["false_positive"] += 1
                out.append("- false_positive %s %s %s" % (m["name"], kind, name))
        elif 400 <= code < 500 and any(a == "tempfail" and r for a, r in logs):
            c["tempfailed"] += 1
            out.append("- tempfail %s %s %s: %s" % (m["name"], kind, name,
                                                   [r for a, r in logs if a == "tempfail"][0]))
        else:
            c["lost"] += 1
            out.append("- lost %s %s %s: reply %s %s; milter log %s" % (
                m["name"], kind, name, code, m["reply"][:80], logs or "none"))
        if len(logs) != 1:
            c["unlogged"] += 1
            out.append("- unlogged %s: %d milter log lines for %s" % (m["name"], len(logs), who))
    sent = len(res["messages"])
    c["sent"] = sent
    c["not_sent"] = len(expect) - sent
    smp = [x for x in res["samples"]]
    c["samples"] = len(smp)
    c["sample_ms"] = "%.0f" % ((smp[-1]["t"] - smp[0]["t"]) * 1000.0 / max(1, len(smp) - 1)) if smp else 0
    c["peak_sandboxes"] = max((x["sandboxes"] for x in smp), default=0)
    c["end_sandboxes"] = smp[-1]["sandboxes"] if smp else 0
    c["sandboxes_seen"] = res.get("sandboxes", 0)
    c["browsers_seen"] = res.get("browsers", 0)
    c["pages"] = sum(1 for m in res["messages"] if expect.get(m["name"], ("?",))[0] == "page")
    c["peak_procs"] = max((x["procs"] for x in smp), default=0)
    mb = lambda kb: "%.0f" % (kb / 1024.0)
    c["peak_rss_mb"] = mb(max((x["rss_kb"] for x in smp), default=0))
    c["peak_pss_mb"] = mb(max((x["pss_kb"] for x in smp if x["pss_kb"] is not None), default=0))
    k = min(10, max(1, sent // 2))
    first = [x for x in smp if x["done"] < k]
    last = [x for x in smp if x["done"] >= sent - k]
    c["window"] = k
    c["first_peak_rss_mb"] = mb(max((x["rss_kb"] for x in first), default=0))
    c["last_peak_rss_mb"] = mb(max((x["rss_kb"] for x in last), default=0))
    c["first_peak_pss_mb"] = mb(max((x["pss_kb"] for x in first if x["pss_kb"] is not None), default=0))
    c["last_peak_pss_mb"] = mb(max((x["pss_kb"] for x in last if x["pss_kb"] is not None), default=0))
    c["milter_rss_first_mb"] = "%.1f" % (max((x["milter_rss_kb"] for x in first), default=0) / 1024.0)
    c["milter_rss_last_mb"] = "%.1f" % (max((x["milter_rss_kb"] for x in last), default=0) / 1024.0)
    lat = [m["end"] - m["start"] for m in res["messages"]]
    c["wall_s"] = "%.1f" % (res["end"] - res["start"])
    c["p50_s"] = "%.1f" % pct(lat, 0.5)
    c["p95_s"] = "%.1f" % pct(lat, 0.95)
    c["max_s"] = "%.1f" % max(lat, default=0)
    for key, v in c.items():
        print(key, v)
    for line in out:
        print(line)


if __name__ == "__main__":
    if sys.argv[1] == "corpus":
        corpus(sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5])
    elif sys.argv[1] == "below":
        print(" ".join(str(p) for p in tree(int(sys.argv[2]))[1]))
    elif sys.argv[1] == "account":
        account(*sys.argv[2:6])
    elif sys.argv[1] == "send":
        send(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), sys.argv[6],
             sys.argv[7:])
    else:
        sys.exit("usage: milter-detonate-load.py corpus|send|account|below ...")
