"""Scores an `airlock analyze --json` report of a labelled corpus (a folder malicious/ and a
folder benign/, and a manifest of lines CLASS<TAB>IDS<TAB>NAME for the malicious files), for
the triage tests: per class, how many files are flagged and how many with an expected ATT&CK
id; which benign files are not clean. Prints PASS:/FAIL: lines as tests/lib.sh does."""
import json


def ok(cond, name, why=""):
    print(("PASS: %s" % name) if cond else ("FAIL: %s: %s" % (name, why)))


def walk(node):
    yield node
    for c in node["children"]:
        yield from walk(c)


def ids(node):
    return set(a for n in walk(node) for f in n["findings"] for a in f["attack"])


def rules(node):
    return ", ".join(f["rule"] for m in walk(node) for f in m["findings"])


def load(report, manifest):
    """Returns (expected, malicious, benign): the manifest by name, and the report's file
    nodes (not members, not folders) under malicious/ and benign/ by path."""
    r = json.load(open(report))
    expected = {}
    for line in open(manifest):
        cls, want, name = line.rstrip("\n").split("\t")
        expected[name] = (cls, set(want.split(",")))
    files = {}
    for top in r["files"]:
        for n in walk(top):
            if n["type"] != "directory" and "/" in n["path"] and "!" not in n["path"]:
                files[n["path"]] = n
    mal = {p: n for p, n in files.items() if "/malicious/" in p}
    ben = {p: n for p, n in files.items() if "/benign/" in p}
    return expected, mal, ben


def score_classes(expected, mal, percent, width=12):
    """Per class: a line with its rates, and a check that at least percent% are flagged and
    percent% carry an expected id. Returns the classes seen."""
    per = {}
    for n in mal.values():
        cls, want = expected[n["name"]]
        s = per.setdefault(cls, [0, 0, 0, []])
        s[0] += 1
        if n["verdict"] != "clean":
            s[1] += 1
            if ids(n) & want:
                s[2] += 1
            else:
                s[3].append(n["name"] + " (ids " + ",".join(sorted(ids(n))) + ")")
        else:
            s[3].append(n["name"] + " (clean)")
    for cls in sorted(per):
        total, det, right, bad = per[cls]
        print("%-*s detected %d/%d (%.0f%%), right id %d/%d (%.0f%%)" %
              (width, cls, det, total, 100.0 * det / total, right, total, 100.0 * right / total))
        ok(det * 100 >= total * percent, "detected-%d-%s" % (percent, cls), "; ".join(bad))
        ok(right * 100 >= total * percent, "right-id-%d-%s" % (percent, cls), "; ".join(bad))
    return per


def false_alarms(ben, verdict=True):
    """The benign files that are not clean, each with its findings' rules; prints the count."""
    fps = [("%s: %s (%s)" % (n["name"], n["verdict"], rules(n))) if verdict else
           ("%s (%s)" % (n["name"], rules(n)))
           for n in ben.values() if n["verdict"] != "clean"]
    print("benign: %d/%d clean" % (len(ben) - len(fps), len(ben)))
    return fps
