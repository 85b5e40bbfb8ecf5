#!/usr/bin/env python3
"""The public real-world corpus of issue 16: files nobody here wrote, from public maldoc and
malware test sets, offensive-script collections and public generators run here with harmless
payloads (tests/data/realworld/malicious/SOURCES.md), stored as zips encrypted with the
password "infected", one per source, listed in tests/data/realworld/malicious.tsv
(family, expected ATT&CK ids, zip, member, source, licence); benign files the same way in
benign.tsv and benign/ when present.

usage: analyze-public-corpus.py extract DATADIR OUTDIR [PER_FAMILY]
         unzips (python zipfile with the password) into OUTDIR/malicious/ and OUTDIR/benign/
         and writes OUTDIR/labels.tsv (path, side, family, ids); PER_FAMILY > 0 keeps that
         many files of each family (the user and ASan phases)
       analyze-public-corpus.py score REPORT OUTDIR
         per family: detected, right id; benign false alarms; PASS:/FAIL: lines (tests/lib.sh)
         against the floors below; prints every miss

The floors are what airlock meets on the whole set (measured; never above the truth): a family
falls below its floor, or a file that is detected today is missed, and the test fails. MISSED
and WRONG_ID list the files that airlock does not get today, by member: they are the work left
(issue 16), and a file that leaves the list (now detected) is reported so that the list is
kept true."""
import os
import sys
import zipfile

sys.dont_write_bytecode = True  # the helpers' folder is in the tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "helpers"))
from corpus_score import ids, ok, rules, walk  # noqa: E402

PASSWORD = b"infected"

# Per family: the least percentage detected and with an expected id on the whole set.
FLOORS = {
    'chm': (100, 100),
    'dde': (92, 92),
    'encrypted-office': (94, 94),
    'exploit-kit': (100, 100),
    'html-smuggling': (100, 100),
    'linux-persistence': (88, 88),
    'lnk': (100, 100),
    'installer-payload': (100, 100),
    'office-exploit': (100, 100),
    'office-ole-object': (83, 83),
    'onenote': (100, 100),
    'pdf': (100, 100),
    'powershell': (97, 96),
    'remote-template': (100, 100),
    'revshell': (93, 93),
    'rtf-exploit': (95, 95),
    'url': (100, 100),
    'vba-maldoc': (100, 100),
    'webshell': (94, 94),
    'wsh-script': (100, 100),
    'xlm': (100, 100),
}
# Overall floors on the whole set (percent detected, percent right id).
OVERALL = (97, 97)
# Members (zip:member) that airlock misses today, and those detected without an expected id.
MISSED = {
    'aegrah-panix.zip:linux-persistence/setup_create_new_user.sh',
    'aegrah-panix.zip:linux-persistence/setup_initramfs.sh',
    'aegrah-panix.zip:linux-persistence/setup_malicious_docker_container.sh',
    'aegrah-panix.zip:linux-persistence/setup_password_change.sh',
    'decalage2-oletools.zip:dde/dde-test.xlsb',
    'decalage2-oletools.zip:encrypted-office/encrypted.ppt',
    'decalage2-oletools.zip:office-ole-object/sample_with_lnk_to_calc.doc',
    'inquest-malware-samples.zip:rtf-exploit/e6c37c6d6ce40ca9.rtf',
    'powershellmafia-powersploit.zip:powershell/Find-AVSignature.ps1',
    'redcanaryco-atomic-red-team.zip:revshell/pipe-to-shell.sh',
    'samratashok-nishang.zip:powershell/Create-MultipleSessions.ps1',
    'samratashok-nishang.zip:powershell/Download.ps1',
    'samratashok-nishang.zip:powershell/FireBuster.ps1',
    'samratashok-nishang.zip:powershell/FireListener.ps1',
    'samratashok-nishang.zip:powershell/Get-Information.ps1',
    'samratashok-nishang.zip:revshell/Remove-PoshRat.ps1',
    'swisskyrepo-payloadsallthethings.zip:webshell/Extension_PHP-php-script-tag.php',
}
WRONG_ID = {
    'inquest-malware-samples.zip:powershell/5d8008da966518eb.ps1',
}


def manifest(path, side):
    rows = []
    if not os.path.exists(path):
        return rows
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if not line or line.startswith("#"):
            continue
        fam, want, zname, member = line.split("\t")[:4]
        rows.append((side, fam, want, zname, member))
    return rows


def extract(data, out, per_family):
    rows = manifest(os.path.join(data, "malicious.tsv"), "malicious")
    benign = manifest(os.path.join(data, "benign.tsv"), "benign")
    if not benign:
        print("NOTE: no %s: benign false alarms not measured here" % os.path.join(data, "benign.tsv"))
    rows += benign
    if per_family > 0:
        kept, count = [], {}
        for r in rows:
            k = (r[0], r[1])
            count[k] = count.get(k, 0) + 1
            if count[k] <= per_family:
                kept.append(r)
        rows = kept
    zips = {}
    with open(os.path.join(out, "labels.tsv"), "w") as labels:
        for side, fam, want, zname, member in rows:
            z = zips.get((side, zname))
            if z is None:
                z = zips[(side, zname)] = zipfile.ZipFile(os.path.join(data, side, zname))
            dest = os.path.join(out, side, zname[:-4], member)
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            with open(dest, "wb") as f:
                f.write(z.read(member, pwd=PASSWORD))
            labels.write("\t".join([dest, side, fam, want, zname + ":" + member]) + "\n")
    print("extracted %d files (%d malicious) from %d zips" %
          (len(rows), sum(1 for r in rows if r[0] == "malicious"), len(zips)))


def score(report, out):
    import json
    try:
        r = json.load(open(report))
    except ValueError as e:
        ok(False, "report-read", str(e))
        return
    nodes = {}
    for top in r["files"]:
        for n in walk(top):
            if "!" not in n["path"]:
                nodes[n["path"]] = n
    labels = [line.rstrip("\n").split("\t") for line in open(os.path.join(out, "labels.tsv"))]
    whole = not os.path.exists(os.path.join(out, "subset"))
    lost = [key for path, side, fam, want, key in labels if path not in nodes]
    ok(not lost, "every-file-reported", "%d not reported: %s" % (len(lost), " ".join(lost[:5])))
    per, misses, regressions, fixed, fps = {}, [], [], [], []
    for path, side, fam, want, key in labels:
        n = nodes.get(path)
        if n is None:
            continue
        if side == "benign":
            if n["verdict"] != "clean":
                fps.append("%s: %s (%s)" % (key, n["verdict"], rules(n)))
            continue
        s = per.setdefault(fam, [0, 0, 0])
        s[0] += 1
        got = ids(n)
        det = n["verdict"] != "clean"
        right = det and bool(got & set(want.split(",")))
        s[1] += det
        s[2] += right
        if not right:
            misses.append("%s [%s] %s" % (key, fam, ("ids " + ",".join(sorted(got))) if det else "clean"))
        if not det and key not in MISSED:
            regressions.append(key + " (clean)")
        elif det and not right and key not in MISSED | WRONG_ID:
            regressions.append(key + " (ids " + ",".join(sorted(got)) + ")")
        if det and key in MISSED or right and key in WRONG_ID:
            fixed.append(key)
    tot = [sum(s[i] for s in per.values()) for i in range(3)]
    print("%-18s %9s %9s" % ("family", "detected", "right id"))
    for fam in sorted(per):
        t, d, g = per[fam]
        print("%-18s %4d/%-4d %4d/%-4d (%3.0f%% %3.0f%%)" % (fam, d, t, g, t, 100.0 * d / t, 100.0 * g / t))
    if tot[0]:
        print("%-18s %4d/%-4d %4d/%-4d (%.1f%% %.1f%%)" % ("overall", tot[1], tot[0], tot[2], tot[0],
                                                           100.0 * tot[1] / tot[0], 100.0 * tot[2] / tot[0]))
    for m in misses:
        print("miss: " + m)
    for f in fixed:
        print("now detected (take it out of MISSED/WRONG_ID): " + f)
    ok(not regressions, "no-new-misses", "; ".join(regressions[:30]))
    if whole:
        for fam, (t, d, g) in sorted(per.items()):
            floor = FLOORS.get(fam, (100, 100))
            ok(d * 100 >= t * floor[0] and g * 100 >= t * floor[1], "family-%s" % fam,
               "%d/%d detected, %d right id; floor %d%%/%d%%" % (d, t, g, floor[0], floor[1]))
        ok(tot[1] * 100 >= tot[0] * OVERALL[0] and tot[2] * 100 >= tot[0] * OVERALL[1], "overall",
           "%d/%d detected, %d right id; floor %d%%/%d%%" % (tot[1], tot[0], tot[2], OVERALL[0], OVERALL[1]))
    nben = sum(1 for lab in labels if lab[1] == "benign")
    if nben:
        print("benign: %d/%d clean" % (nben - len(fps), nben))
        ok(not fps, "benign-clean", "; ".join(fps[:30]))


if __name__ == "__main__":
    if sys.argv[1] == "extract":
        extract(sys.argv[2], sys.argv[3], int(sys.argv[4]) if len(sys.argv) > 4 else 0)
    else:
        score(sys.argv[2], sys.argv[3])
