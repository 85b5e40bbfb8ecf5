#!/usr/bin/env python3
"""Compares two `airlock analyze --json` reports of the same files node by node.

    compare-analyze.py BEFORE.json AFTER.json

A node is a file or a member of one (children[]), keyed by its path and its place among its
siblings. For every node the verdict and the findings' rule names and ATT&CK ids must be the
same; a change of a finding's source (yara, yara-normalised...), severity or evidence is
counted apart. Exits 0 when no verdict, rule or id changed, 1 otherwise (the differences are
printed, at most --show of them), 2 on bad input. A speed change to the engine must leave the
verdicts and findings as they were: run it over the corpus before and after.
"""
import argparse
import json
import sys


def nodes(report):
    """Yields (key, node) for every node of a report, depth first."""

    def walk(node, key):
        yield key, node
        seen = {}
        for child in node.get("children", []):
            name = child.get("path") or child.get("name") or "?"
            seen[name] = seen.get(name, 0) + 1
            yield from walk(child, key + ((name, seen[name]),))

    seen = {}
    for top in report["files"]:
        name = top.get("path", "?")
        seen[name] = seen.get(name, 0) + 1
        yield from walk(top, ((name, seen[name]),))


def findings(node):
    return sorted((f["rule"], tuple(f.get("attack") or ())) for f in node.get("findings", []))


def extras(node):
    return sorted(
        (f["rule"], f.get("source", ""), f.get("severity", ""), f.get("evidence", ""))
        for f in node.get("findings", [])
    )


def label(key):
    return " > ".join(name if n == 1 else "%s#%d" % (name, n) for name, n in key)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("before")
    ap.add_argument("after")
    ap.add_argument("--show", type=int, default=40, help="differences printed at most")
    args = ap.parse_args()
    try:
        before = dict(nodes(json.load(open(args.before))))
        after = dict(nodes(json.load(open(args.after))))
    except (OSError, ValueError, KeyError) as e:
        print("compare-analyze: %s" % e, file=sys.stderr)
        return 2

    diffs, soft = [], 0
    for key in sorted(set(before) | set(after)):
        b, a = before.get(key), after.get(key)
        if b is None or a is None:
            diffs.append("%s: only in %s" % (label(key), "after" if b is None else "before"))
            continue
        if b.get("verdict") != a.get("verdict"):
            diffs.append("%s: verdict %s -> %s" % (label(key), b.get("verdict"), a.get("verdict")))
        fb, fa = findings(b), findings(a)
        if fb != fa:
            gone = sorted(set(fb) - set(fa))
            new = sorted(set(fa) - set(fb))
            diffs.append("%s: findings lost %s, gained %s" % (label(key), gone, new))
        elif extras(b) != extras(a):
            soft += 1
    for line in diffs[: args.show]:
        print(line)
    print(
        "%d nodes before, %d after: %d differ in verdict or findings; %d differ only in a "
        "finding's source, severity or evidence" % (len(before), len(after), len(diffs), soft)
    )
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main())
