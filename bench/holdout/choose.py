#!/usr/bin/env python3
"""The selection step that made manifest.tsv (kept so that the rules are exact; build.py
rebuilds from the manifest alone). It reads the pinned commits of the sources, applies the
per-family rules of README.md, drops files that are not what their label says, removes
duplicates by sha256 within the set and against the tree's corpus, and writes OUTDIR/mal,
OUTDIR/benign, OUTDIR/labels.tsv, OUTDIR/dropped.tsv and OUTDIR/manifest.tsv.

usage: choose.py SOURCES DEBS OUTDIR TREE_CORPUS
  SOURCES      folder of the source repositories (as build.py: owner+name[/repo])
  DEBS         folder of the downloaded .deb files (apt-get download, see PACKAGES)
  TREE_CORPUS  the tree's tests/data/realworld"""
import hashlib
import io
import os
import re
import subprocess
import sys
import zipfile

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import build  # noqa: E402

# owner/name -> (commit, licence)
REPOS = {
    "geeksonsecurity/js-malicious-dataset": ("75ec48ad5eb7246130b66083f47e9982ac9f29cd", "MIT"),
    "for-just-we/webshell_sample": ("051903ec3e9585ea80dc5e68799fe1433502d842", "none stated"),
    "nikicat/web-malware-collection": ("0ae7c5bff1aad36ea12e19579997c902580879a5", "none stated"),
    "bartblaze/PHP-backdoors": ("8ca75ed86a5594fb2efb4629cc417f220cda9c82", "CC0-1.0"),
    "jstrosch/malware-samples": ("1b3add9538fc40c0e59bd7488d267b1ec796a43d", "none stated"),
    "S3cur3Th1sSh1t/Creds": ("b48a1a1e405367a3389a4c1beea2475c88ae94b4",
                             "none stated (collection of third-party tools)"),
    "S3cur3Th1sSh1t/WinPwn": ("a69199b1b60bb175f6093f7a2d31b600020613ab", "BSD-3-Clause"),
    "besimorhino/powercat": ("4e33fdfa2850a8940e46d0b69250ae3ba3a8c640", "Apache-2.0"),
    "Kevin-Robertson/Inveigh": ("7aea2e7213c9e89ad13fb132d048cf589c6a03f7", "BSD-3-Clause"),
    "danielbohannon/Revoke-Obfuscation": ("c7328f088eec755caadeef960dec6f081bef4bf2", "Apache-2.0"),
    "fleschutz/PowerShell": ("80ab66047a0f2ad64b8cb8e97371b8aaf7922ce9", "CC0-1.0"),
}

# Debian 12 packages (not installed on the build machine) -> (kind of file kept, cap)
PACKAGES = {
    "adminer": ("php", 25), "dokuwiki": ("php", 25), "tt-rss": ("php", 25),
    "phpmyadmin": ("php", 25), "roundcube-core": ("php", 25), "php-getid3": ("php", 25),
    "php-phpseclib": ("php", 25), "php-tcpdf": ("php", 25), "php-twig": ("php", 25),
    "php-monolog": ("php", 25), "php-league-commonmark": ("php", 25),
    "php-guzzlehttp-guzzle": ("php", 25),
    "libjs-jquery-ui": ("js", 20), "libjs-bootstrap4": ("js", 20), "libjs-d3": ("js", 20),
    "libjs-moment": ("js", 20), "libjs-highlight.js": ("js", 20), "libjs-codemirror": ("js", 20),
    "libjs-chart.js": ("js", 20), "node-lodash": ("js", 20), "libjs-pdf": ("js", 20),
    "libjs-jquery-datatables": ("js", 20),
    "libmojolicious-perl": ("perl", 15), "libdancer2-perl": ("perl", 15),
    "libtemplate-perl": ("perl", 15), "libmoose-perl": ("perl", 15), "libdbi-perl": ("perl", 15),
    "libspreadsheet-parseexcel-perl": ("perl+doc", 30),
    "libspreadsheet-writeexcel-perl": ("perl+doc", 30),
    "asymptote-doc": ("doc", 20), "python3-docx": ("doc", 20), "xfig-doc": ("doc", 20),
    "ghostscript-doc": ("doc", 20), "libcam-pdf-perl": ("perl+doc", 20),
}
FLESCHUTZ_COUNT = 200
WEBSHELL_SAMPLE_COUNT = 150

EXT = {
    "php": (".php", ".inc", ".phtml"),
    "js": (".js", ".mjs"),
    "perl": (".pl", ".pm", ".cgi"),
    "doc": (".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".odt", ".ods", ".rtf"),
}

# Accepted ATT&CK ids per family, as tests/data/realworld/malicious.tsv labels the same kinds.
IDS = {
    # the suite's wsh-script family (JScript/VBScript droppers run by Windows Script Host)
    "js-dropper": "T1059.007,T1059.005,T1218.005,T1218.010,T1220,T1105,T1027",
    # drive-by landing pages and the injected pages that lead to them
    "js-exploit-kit": "T1189,T1203",
    "webshell-php": "T1505.003",
    "webshell-asp-jsp": "T1505.003",
    # Perl web shells, bind/back-connect shells and IRC bots
    "perl-backdoor": "T1505.003,T1095,T1059,T1071.003",
}
MALDOC_IDS = {
    "vba": "T1204.002,T1059.005,T1137.001,T1566.001",   # the suite's vba-maldoc
    "xlm": "T1204.002,T1059,T1059.005,T1566.001",       # the suite's xlm
    "rtf": "T1203",                                     # the suite's rtf-exploit
    "encrypted": "T1027.013,T1204.002",                 # the suite's encrypted-office
    "pdf": "T1204.002,T1059.007,T1187,T1566.001",       # the suite's pdf
    "onenote": "T1204.002,T1027.009,T1566.001",         # the suite's onenote
    "template": "T1221",                                # the suite's remote-template
    "ole-object": "T1204.002,T1027.009,T1559",          # the suite's office-ole-object
}
# PowerShell: T1059.001 always (offensive PowerShell), plus ids for what the script does,
# from its name (first match of each row adds its ids).
PS_IDS = [
    (r"mimi|kitt|katz|lsass|safetydump|dumper|handlekatz", "T1003.001,T1003"),
    (r"dcsync|ntds|shadowcreds", "T1003.006,T1003"),
    (r"hivedump|powerdump|hashretriev|grabthehash|ntlmextract|sam\b", "T1003.002,T1003"),
    (r"amsi|etw|scriptblock|scriptlog|defender|clm-bypass|sandboxevade|invoke-bypass", "T1562.001"),
    (r"uac|cmstp|slui|diskcleanup|dccuac", "T1548.002"),
    (r"obf|obfus|dbodemo", "T1027"),
    (r"shellcode|reflective|inject|sharp|rubeus|loadmimi|mimiload|masqpeb|nimsharp|dinvoke", "T1620,T1055"),
    (r"kerberoast|tgs|crackable|spn", "T1558.003"),
    (r"spray|bruteforce", "T1110.003"),
    (r"inveigh|relay|petitpotam|wsuspicious|tmpdav", "T1557.001,T1187"),
    (r"powercat|netcat|revshell|reverse|conpty|invoke-shell|shelli|easybind|mini-reverse|meterpreter",
     "T1095,T1059"),
    (r"potato|printspoof|token|imperson|get-system|easysystem|runas|ppid|printdemon|printnightmare|"
     r"cve-|ms1[5-7]|zerologon|reg1c1de|nightmare|juicy|locksher|triples", "T1134,T1068"),
    (r"chrome|browser|vault|credential|wcm|keepass|keethief|wlan|putty|sessiongopher|webcred|"
     r"ask4creds|dpapi|lazagne|mailsniper|snipemails|lyncsniper|azurepass", "T1555,T1056.002,T1114"),
    (r"gpp|autogp|gppass|adpass|decodedpassword|laps", "T1552.006"),
    (r"view|hound|adrecon|enum|recon|aclight|find-|sharehunt|jaws|winspect|privesc|powerup|"
     r"sherlock|vulmap|interesting|spoolerscan|bluekeep|ikeext|computerdetails", "T1087,T1069,T1482,T1083"),
    (r"socks|proxy|tunnel|subtee", "T1090"),
    (r"smbexec|wmiexec|psexec|wmicommand|wmicmd|masscommand|smbremoting|invoke-command", "T1021.002,T1047,T1569.002"),
    (r"backdoor|sharpdoor|clone|hardlink|persist", "T1546,T1098"),
    (r"out-(chm|hta|js|java|scf|sct|shortcut|webquery|word)|payloadgen|hta\.ps1", "T1204.002,T1027"),
    (r"winpwn", "T1003,T1548.002,T1087,T1562.001"),
]

GEEKS_EK_DIRS = ("angler", "angler_darkleech", "RIG ek", "neutrino", "nuclear_pack", "phoenix")
JSTROSCH_DIRS = ("maldocs/", "malware_analysis_exercises/", "onenote/", "exploit_kits/",
                 "trainings_workshops/", "malware_infrastructure/webshells/")


def key(s):
    return hashlib.sha256(s.encode()).hexdigest()


def sample(items, n):
    """A fixed sample that does not depend on the listing order: the n with the least
    sha256 of their source string."""
    return sorted(items, key=lambda it: key(it[0]))[:n]


def ps_ids(name):
    ids = ["T1059.001"]
    low = name.lower()
    for pat, more in PS_IDS:
        if re.search(pat, low):
            ids += [i for i in more.split(",") if i not in ids]
    return ",".join(ids)


# ---- what a file is -------------------------------------------------------------------------

def is_text(data):
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    return b"\0" not in data[:65536]


def office_kind(data):
    """Document kind from the bytes: vba, xlm, encrypted, rtf, pdf, onenote, ooxml, cdf or None."""
    if data.startswith(b"{\\rt"):
        return "rtf"
    if data[:1024].find(b"%PDF-") >= 0:
        return "pdf"
    if data.startswith(bytes.fromhex("e4525c7b8cd8a74daeb15378d02996d3")):
        return "onenote"
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        u16 = lambda s: s.encode("utf-16-le")  # noqa: E731
        if u16("EncryptedPackage") in data:
            return "encrypted"
        if u16("_VBA_PROJECT") in data or u16("VBA") in data and u16("dir") in data:
            return "vba"
        if u16("Workbook") in data or u16("Book") in data:
            return "xlm"
        return "cdf"
    if data.startswith(b"PK\x03\x04"):
        try:
            names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        except zipfile.BadZipFile:
            return None
        if not any(n.startswith(("word/", "xl/", "ppt/")) for n in names):
            return None
        if any(n.endswith("vbaProject.bin") for n in names):
            return "vba"
        if any("macrosheets/" in n for n in names):
            return "xlm"
        z = zipfile.ZipFile(io.BytesIO(data))
        for n in names:
            if n.endswith(".rels") and re.search(rb'TargetMode="External"', z.read(n)) and \
                    re.search(rb'attachedTemplate|\.dot[mx]?["?]', z.read(n)):
                return "template"
        if any(re.search(r"embeddings/oleObject", n) for n in names):
            return "ole-object"
        return "ooxml"
    return None


ERROR_PAGE = re.compile(rb"<title>\s*(404|403|500|502|503|error|not found|forbidden|index of)", re.I)


def check(family, name, data):
    """None if the file is what its family says, else the reason to drop it."""
    base = os.path.basename(name).lower()
    if not data:
        return "empty"
    if re.match(r"(readme|license|licence|copying|changelog)(\.|$)", base):
        return "README/licence file"
    if family == "maldoc":
        k = office_kind(data)
        if k in (None, "cdf", "ooxml"):
            what = subprocess.run(["file", "-b", "-"], input=data[:65536], stdout=subprocess.PIPE).stdout
            return "not a macro document, RTF, PDF or OneNote: %s" % what.decode(errors="replace").strip()[:60]
        return None
    if not is_text(data):
        what = subprocess.run(["file", "-b", "-"], input=data[:65536], stdout=subprocess.PIPE).stdout
        return "binary, not a script: %s" % what.decode(errors="replace").strip()[:60]
    if len(data) < 4096 and ERROR_PAGE.search(data):
        return "HTML error page"
    if family == "webshell-php" and b"<?" not in data and b"<script language" not in data.lower():
        return "no PHP code (no <? tag)"
    if family == "webshell-asp-jsp" and b"<%" not in data and b"runat" not in data.lower():
        return "no ASP/JSP code (no <% or runat)"
    if family == "js-exploit-kit" and not re.search(rb"<script|<iframe|eval\(|function|document\.", data, re.I):
        return "no script or frame"
    if family == "powershell" and len(data) < 64:
        return "truncated (under 64 bytes)"
    if data.lstrip()[:4] == b"<htm" and family in ("powershell", "js-dropper", "perl-backdoor"):
        return "HTML page, not a script"
    return None


def benign_check(kind, name, data):
    if not data:
        return "empty"
    if kind == "doc":
        return None if office_kind(data) in ("pdf", "ooxml", "cdf", "xlm", "vba", "rtf", "ole-object") \
            else "not a document"
    if not is_text(data):
        return "binary, not a script"
    return None


# ---- candidates -----------------------------------------------------------------------------

def src_of(repo, path, members=()):
    return "%s@%s:%s" % (repo, REPOS[repo][0], "!".join([path] + list(members)))


def malicious_candidates(repos):
    """(source, family, ids, display name, bytes)."""
    out = []

    def add(repo, path, family, ids=None, members=(), data=None):
        if data is None:
            try:
                data = repos.read(repo, REPOS[repo][0], path)
            except build.SourceError as e:
                unreadable.append((src_of(repo, path, members), family, "cannot read: %s" % e, ""))
                return
        name = members[-1] if members else path
        if family == "powershell" and ids is None:
            ids = ps_ids(os.path.basename(name))
        out.append((src_of(repo, path, members), family, ids or IDS.get(family, ""), name, data))

    r = "geeksonsecurity/js-malicious-dataset"
    for p in repos.tree(r, REPOS[r][0]):
        low = p.lower()
        if p.startswith("js-droppers/"):
            add(r, p, "js-dropper")
        elif p.split("/")[0] in GEEKS_EK_DIRS and low.endswith((".html", ".htm", ".js", ".swf")):
            add(r, p, "js-exploit-kit")

    r = "for-just-we/webshell_sample"
    shells = [(p, None) for p in repos.tree(r, REPOS[r][0]) if p.startswith("test/webshell/")]
    for p, _ in sample(shells, WEBSHELL_SAMPLE_COUNT):
        add(r, p, "webshell-php")

    r = "nikicat/web-malware-collection"
    for p in repos.tree(r, REPOS[r][0]):
        if p.startswith("Backdoors/PHP/"):
            add(r, p, "webshell-php")
        elif p.startswith(("Backdoors/ASP/", "Backdoors/JSP/")):
            add(r, p, "webshell-asp-jsp")
        elif p.startswith(("Backdoors/PL/", "Bots/Perl/")):
            add(r, p, "perl-backdoor")

    r = "bartblaze/PHP-backdoors"
    for p in repos.tree(r, REPOS[r][0]):
        if p.startswith(("Obfuscated/", "Deobfuscated/")):
            add(r, p, "webshell-php")

    r = "jstrosch/malware-samples"
    for p in repos.tree(r, REPOS[r][0]):
        if not p.startswith(JSTROSCH_DIRS):
            continue
        try:
            data = repos.read(r, REPOS[r][0], p)
        except build.SourceError:
            continue  # the blob is not in the snapshot (large files)
        if p.lower().endswith(".zip"):
            walk_zip(add, r, p, [], data, 0)
        else:
            classify_jstrosch(add, r, p, [], data)

    r = "S3cur3Th1sSh1t/Creds"
    for p in repos.tree(r, REPOS[r][0]):
        if p.startswith(("PowershellScripts/", "obfuscatedps/", "PayloadGen/")) and \
                p.lower().endswith((".ps1", ".psm1")):
            add(r, p, "powershell")
    for r, pat in (("S3cur3Th1sSh1t/WinPwn", r"[^/]*\.ps1$"), ("besimorhino/powercat", r"powercat\.ps1$"),
                   ("Kevin-Robertson/Inveigh", r"[^/]*\.ps(m?)1$"),
                   ("danielbohannon/Revoke-Obfuscation", r"Demo/.*\.ps1$")):
        for p in repos.tree(r, REPOS[r][0]):
            if re.match(pat, p):
                add(r, p, "powershell")
    return out


JSTROSCH_SCRIPT = {".js": "js-dropper", ".jse": "js-dropper", ".ps1": "powershell", ".php": "webshell-php"}
JSTROSCH_SCRIPT_DIRS = ("maldocs/", "malware_analysis_exercises/", "onenote/")
jstrosch_skipped = []
unreadable = []


def classify_jstrosch(add, repo, path, members, data):
    name = members[-1] if members else path
    if office_kind(data) in ("vba", "xlm", "rtf", "encrypted", "onenote", "template", "ole-object", "ooxml",
                             "cdf") or \
            name.lower().endswith((".doc", ".docm", ".xls", ".xlsm", ".xlsb", ".rtf", ".one")):
        add(repo, path, "maldoc", MALDOC_IDS.get(office_kind(data) or "", MALDOC_IDS["vba"]), members, data)
        return
    ext = os.path.splitext(name.lower())[1]
    fam = JSTROSCH_SCRIPT.get(ext)
    if fam == "webshell-php" and not path.startswith("malware_infrastructure/webshells/"):
        fam = None  # C2 panels, not web shells
    if fam in ("js-dropper", "powershell") and not path.startswith(JSTROSCH_SCRIPT_DIRS):
        fam = None  # browser caches and phishing kits: mostly ordinary libraries
    if fam:
        add(repo, path, fam, None, members, data)
    else:
        jstrosch_skipped.append((src_of(repo, path, members), name, data))


def walk_zip(add, repo, path, members, data, depth):
    try:
        items = list(build.zip_members(data))
    except zipfile.BadZipFile:
        jstrosch_skipped.append((src_of(repo, path, members), path, data))
        return
    for name, body in items:
        if body is None:
            continue
        if body.startswith(b"PK\x03\x04") and name.lower().endswith(".zip") and depth < 3:
            walk_zip(add, repo, path, members + [name], body, depth + 1)
        else:
            classify_jstrosch(add, repo, path, members + [name], body)


def benign_candidates(repos, debs_dir):
    out = []
    r = "fleschutz/PowerShell"
    ps = [(src_of(r, p), p) for p in repos.tree(r, REPOS[r][0]) if p.startswith("scripts/") and p.endswith(".ps1")]
    for src, p in sample(ps, FLESCHUTZ_COUNT):
        out.append((src, "powershell", p, repos.read(r, REPOS[r][0], p), REPOS[r][1]))
    import tempfile
    tmp = tempfile.mkdtemp(prefix="holdout-choose-")
    for pkg, (kind, cap) in sorted(PACKAGES.items()):
        deb = [f for f in os.listdir(debs_dir) if f.startswith(pkg + "_") and f.endswith(".deb")][0]
        version = subprocess.run(["dpkg-deb", "-f", os.path.join(debs_dir, deb), "Version"],
                                 stdout=subprocess.PIPE, check=True).stdout.decode().strip()
        dest = os.path.join(tmp, pkg)
        subprocess.run(["dpkg-deb", "-x", os.path.join(debs_dir, deb), dest], check=True)
        kinds = kind.split("+")
        files = []
        for d, _, names in os.walk(dest):
            for n in names:
                full = os.path.join(d, n)
                if os.path.islink(full):
                    continue
                for k in kinds:
                    if n.lower().endswith(EXT[k]):
                        files.append(("deb:%s=%s:/%s" % (pkg, version, os.path.relpath(full, dest)), k, full))
        # the documents first (they are few), then scripts
        docs = [f for f in files if f[1] == "doc"]
        rest = [f for f in files if f[1] != "doc"]
        chosen = sample([(s, k, f) for s, k, f in docs], cap)
        chosen += sample([(s, k, f) for s, k, f in rest], cap - len(chosen))
        for src, k, full in chosen:
            with open(full, "rb") as f:
                out.append((src, k, full, f.read(), "Debian package %s %s (see its copyright file)" % (pkg, version)))
    subprocess.run(["rm", "-rf", tmp])
    return out


def safe(name):
    base = os.path.basename(name).strip() or "file"
    return re.sub(r"[^A-Za-z0-9._+-]", "_", base)[-80:]


def main(argv):
    if len(argv) != 4:
        sys.exit(__doc__)
    sources, debs_dir, out, tree_dir = argv
    repos = build.Repos(sources)
    tree = build.tree_corpus_hashes(tree_dir)
    rows, dropped, seen = [], [], {}

    def take(label, family, ids, src, licence, name, data, reason):
        h = build.sha256(data) if data is not None else ""
        if reason is None and h in tree:
            reason = "duplicate of the tree's corpus %s" % tree[h]
        if reason is None and h in seen:
            reason = "duplicate of %s" % seen[h]
        if reason:
            dropped.append((src, family, reason, h))
            return
        seen[h] = src
        top = "mal" if label == "mal" else "benign"
        path = "%s/%s/%s_%s" % (top, family, h[:12], safe(name))
        rows.append({"path": path, "label": label, "family": family, "ids": ids or "-", "source": src,
                     "licence": licence, "sha256": h})
        dest = os.path.join(out, path)
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        with open(dest, "wb") as f:
            f.write(data)

    for src, fam, ids, name, data in sorted(malicious_candidates(repos), key=lambda c: c[0]):
        repo = src.split("@")[0]
        take("mal", fam, ids, src, REPOS[repo][1], name, data, check(fam, name, data))
    dropped += unreadable
    for src, name, data in jstrosch_skipped:
        if not name.lower().endswith((".png", ".jpg", ".pcap", ".pcapng")):
            dropped.append((src, "-", "not a document or a script of the hold-out's families",
                            build.sha256(data) if data else ""))
    for src, kind, name, data, licence in sorted(benign_candidates(repos, debs_dir), key=lambda c: c[0]):
        take("benign", kind, "-", src, licence, name, data, benign_check(kind, name, data))

    build.write_labels(out, rows)
    with open(os.path.join(out, "manifest.tsv"), "w") as f:
        f.write("\t".join(build.COLUMNS) + "\n")
        for r in rows:
            f.write("\t".join(r[c] for c in build.COLUMNS) + "\n")
    with open(os.path.join(out, "dropped.tsv"), "w") as f:
        f.write("source\tfamily\treason\tsha256\n")
        for d in dropped:
            f.write("\t".join(d) + "\n")
    counts = {}
    for r in rows:
        counts[(r["label"], r["family"])] = counts.get((r["label"], r["family"]), 0) + 1
    for k in sorted(counts):
        print("%-7s %-18s %5d" % (k[0], k[1], counts[k]))
    print("dropped %d" % len(dropped))


if __name__ == "__main__":
    main(sys.argv[1:])
