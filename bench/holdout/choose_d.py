#!/usr/bin/env python3
"""The selection step that made manifest-D.tsv, the hold-out corpus D (README.md, "Hold-out
corpus D"). Same rules and helpers as choose.py (corpus C), other sources. It reads the
pinned commits, applies the per-family rules, drops files that are not what their label
says, removes duplicates by sha256 within the set and against every file known to have been
seen (the tree's corpus, hold-out C, the tuners' folders), caps each source, and writes
OUTDIR/mal, OUTDIR/benign, OUTDIR/labels.tsv, OUTDIR/dropped.tsv and OUTDIR/manifest.tsv.

The selection never runs airlock: files are chosen by source, path and what they are.

usage: choose_d.py SOURCES DEBS OUTDIR SEEN
  SOURCES  folder of the source repositories (as build.py: owner+name[/repo])
  DEBS     folder of the downloaded .deb files (apt-get download NAME=VERSION)
  SEEN     a file of "sha256<TAB>where" lines: every file already seen (the tree's corpus,
           hold-out C, /work/tune); a hold-out file must not be among them"""
import hashlib
import os
import re
import subprocess
import sys
import tempfile
import zipfile

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import build  # noqa: E402
import choose  # noqa: E402
from choose import IDS, MALDOC_IDS, is_text, ps_ids  # noqa: E402

# owner/name -> (commit, licence)
REPOS = {
    "tanjiti/webshellSample": ("01142b76a05afe43a85284feb15be8ec893dc1da", "none stated"),
    # the initial commit holds the samples; later commits keep only training text files
    "Coldwave96/WebShell-AIHunter": ("2ed4a18d2648bf4fee67a2e8b9e0b0cb0bf0cab0",
                                     "Apache-2.0 (LICENSE added after the pinned commit)"),
    "DreadfulBot/php-webshells-collection": ("3c6e5abaa3c9e368bd0995869c1ba08c44fd00ab", "none stated"),
    "x-o-r-r-o/PHP-Webshells-Collection": ("b517d8063ad3a4d9aa68d7629e7df086fc63fcaa", "none stated"),
    "0xAnalyst/WebShellsThreatGroups": ("4d0efa6b591615d2a94d3f2771f0a7864b3a06a8", "none stated"),
    "0xAnalyst/webshells": ("934f9c0e6c3ebff7aa6e6ee0b2069c4e29818ec6", "none stated"),
    "zuxievrtx/Collection-Webshells": ("635ecc57960f5c3e94cd47f0842eb32f19d426f0", "none stated"),
    "I-Am-Jakoby/PowerShell-for-Hackers": ("dccdea047dbf8c62e557ebe6be6f0159444e98d4", "none stated"),
    "Whitecat18/Powershell-Scripts-for-Hackers-and-Pentesters":
        ("34e09f75dfb46980ac5eaee706bc15013b18adac", "MIT"),
    "tobor88/PowerShell-Red-Team": ("57b58c214f9e25d8bafc8efbec1d8ede6a0dc865", "custom (LICENSE in the repository)"),
    "rafaelbaldasso/Offensive-PowerShell": ("67bce1a3cb2e3b6da2cc56d826b7444f46855357", "none stated"),
    "Pwn3rx0/Obfuscated-PS-Reverse-Shell": ("754d4466d46f77645217665198e649cbec7a9dd0", "none stated"),
    "danielbohannon/Invoke-CradleCrafter": ("3ff8bacd5fb6aa14a0b757808437c9e230932379", "Apache-2.0"),
    "tokyoneon/Chimera": ("7b1ffc5acf7e8399c90a84fc37a043c6da4136c5", "none stated"),
    "Mayyhem/maldocs": ("20f3485fa54155cb8931885a6306fb3bfc28e7df", "none stated"),
    "mstfknn/malware-sample-library": ("0b8f4c70f773fca97c72860a231fa15c9aec08b2", "none stated"),
    "MalwareSamples/Malware-Feed": ("35c0125675b41cd92577edce27145c7da67d4fbd", "MIT"),
    "gangaram-tii/malicious-pdfs": ("c291d2390dc7cdb897abe56d6975144f265eff23",
                                    "none stated (Contagio's public malware dump)"),
    "0x7556/webshell": ("d87f8a3921d43bfb3b5c6daa4275e3f6139d3d93", "none stated"),
    "Double-q1015/webshell_tester": ("2eb4cb752510f37009419dc8cda69dfaea3ec5b7", "Apache-2.0"),
    "exploit-haxor/webshell": ("13d7eb7c215eb2f112bf3658f2e0d12cf60119c1", "none stated"),
    "z3n70/webshell_bypass": ("3462cf925679fcfad7c6cdb6bd2755d9d8586990", "none stated"),
    "HoangKien1020/WebShells": ("6bb5eb359ae99125bac97d0b6296e9dfa7deaf64", "none stated"),
    "exploide/webshells": ("9ea5a825f74ac451420a89187624dafc6e8626d4", "MIT"),
    "daniel2005d/webShells": ("9b70ae88ab66cd4d774c0f3a1c88be7f087e72f1", "none stated"),
    "KeyStrOke95/AMSI-BYPASS": ("b04d914be5303ca701ff59580bd30af86b197599", "none stated"),
    "tylerwhardy/amsi-bypass": ("de302c9f499bd765f3b109ed202e4b981da6d31f", "none stated"),
    "Civero/AMSI-Bypass": ("e9bef359dafe48c1e60fd8d81c877896af520ebf", "GPL-2.0"),
    "V-i-x-x/AMSI-BYPASS": ("28d04cba82aa6de625f1c71cbae7803fb922c2d3", "none stated"),
    "74l4r14/AMSI-Bypasses": ("78bd6aab9cbb1f1c44c955a6184c42f69fc486a6", "none stated"),
    "Gaurav-Chauhan25/AMSI-Bypass": ("34e0fe8ada24ed6cf1b2125878ba11bd03cf24c0", "none stated"),
    "payloads45/powershell-amsi-bypass": ("b4be8e91e8fb7893e20c049ae559131eef514215", "none stated"),
    "rahulramesh96/AMSI-Bypass-Reverse-Shell": ("e9666f37e57a97e980150239be4538a9a3536cd8", "none stated"),
    "Matthew-Holt/AMSI-Bypasses": ("d375c73b5d170138aeb230ccc38c94954a49624c", "none stated"),
    "MrSquid25/AMSI-Bypasses": ("e3fd3a12eb21ecb79fd082f797c3b13735e4b438", "GPL-3.0"),
    "xputerax/php-webshells": ("fe1d727645e06f965afeda9f6d0d8afbc092d308", "none stated"),
    "flux10n/collection-webshells": ("8889a116ada65dda8aecee2b3bc91299de034881", "GPL-3.0"),
    "c1thu/webshells": ("26435c0fe03fe0f3e590802d87dc415b7b9fe4ad", "none stated"),
    "nicholasaleks/webshells": ("744a6b3f79d16717ad5062b98e68c1b62d9b31df", "none stated"),
    "Al1ex/WebShells": ("4021a3a8e17c4f1100a36dd25b7bcf024c4c39cb", "none stated"),
    "davidsmithmaster133-creator/Webshells": ("9efea085615bf06ea7fce8be54c0c4e37c919a54", "none stated"),
    "m4l4v1t4/webshells": ("cf3d0c01e7da571569afb40e3931ef66768f475d", "none stated"),
    "gottburgm/webshells": ("909a945233a42f8b1f455461bf03a4b90525a321", "none stated"),
    "SYANiDE-/webshells": ("dba3a7495b060fdad3d05c2990216845a7bbcac4", "BSD-2-Clause"),
    "0xbad53c/webshells": ("5c580a8c95ad5ed3622256def5f3abfadef26bff", "none stated"),
    "OffensiveBlueprint/Webshells": ("767cdb300a89ee045c1d654d4ca60debf68882be", "none stated"),
    "ThePacketBender/webshells": ("4cde69ebcdf465246f46d5a5b62ab6a4139e12f5", "none stated"),
    "hqdudesec/webshells_collection": ("d7d1ec7e4f02a5f7c0705b8d32728b0cd08d5c47", "none stated"),
    "Jerr279/AllTheWebShells": ("b1adf6b062a90f1ddca4b5d2aa77731df064a549", "MIT"),
    "CuckooEXE/WebShells": ("cefe3ae98b2f2b6d5e0254a9f1d7e41ad95af954", "MIT"),
    "h4ckl4bm3/MoarWebshells": ("0ce5598f1b286c371081f5d2dc77ca26a65ed228", "none stated"),
    "jakored1/webshells": ("7eec611e044b1691b7d1e4879c9be1bafde8821a", "none stated"),
    "foxilabs/webshells": ("1c80480566bd649c74fdf28e659689e69fe4469c", "MIT"),
    "pigxbun/PowerShell-Reverse-Shells": ("fa3fd7f095b1170d0e63381a7adc981f1bfeb021", "MIT"),
    "0x10F8/PowerShell-Reverse-Shells": ("33dd57197ef64fb19c7a74a2563ac6d483694457", "MIT"),
    "martinsohn/PowerShell-reverse-shell": ("a6d17e8a5889d8fd3974cd446b2f225e291b4221", "GPL-3.0"),
    "op7ic/powershell-reverse-shell": ("0c461a835a85f4238238d5f2f85fb6272bd9f41f", "GPL-2.0"),
    "florentvinai/obfuscated-reverse-shell-powershell": ("962881616792bc5b480787a9c0cfde18de1a7eb8", "none stated"),
    "truelockmc/BadUSB-PS-Files": ("5ac8b556ab4a1ce5cf8edefc010d92b5c4cc17c3", "none stated"),
    "tuconnaisyouknow/BadUSB_passStealer": ("15c75a73a047bc59c7c46d82c15ab1177a5dacc6", "MIT"),
    "Luazuko/POC-Powershell-Reverse-Shell": ("d991d7fdf72dc564278821fcfd2aa25115204275", "GPL-3.0"),
    # benign
    "jdhitsolutions/PSScriptTools": ("f56b1ac5ecd79733c09c6d96e5be1e49cb952ccc", "MIT"),
    "actions/runner-images": ("749514466b4f51b7dc8d9f1cda62257dcf13d183", "MIT"),
    "dahlbyk/posh-git": ("bbc5ac380018239e0ac70411a59f4e367ca87f2d", "MIT"),
    "tafia/calamine": ("263762c8e98ef25da8511d9c5ea1783493e3bf6d", "MIT"),
    "mwilliamson/mammoth.js": ("e3b9cecdaa3df0d9007ed7b06add53c65516e429", "BSD-2-Clause"),
    "pdfminer/pdfminer.six": ("9e1243c4ad000bf9bbe60e81fc8dde2fccc0ed3b", "MIT"),
}

# No source may be more than 15% of the malicious set: the cap is the largest per-source
# count that keeps every source at or under that share (computed after deduplication).
SOURCE_SHARE = 0.15

EXT_FAMILY = [
    (r"\.(php\d?|phtml|inc)$", "webshell-php"),
    (r"\.(aspx?|asa|asmx|ashx|cer|cdx|jspx?)$", "webshell-asp-jsp"),
    (r"\.(pl|cgi)$", "perl-backdoor"),
    (r"\.(ps1|psm1)$", "powershell"),
    (r"\.(js|jse|vbs|vbe|wsf|hta)$", "js-dropper"),
]

# what a PowerShell file of a red-team collection must be named like to count as offensive
# (the collections also hold ordinary helpers: base64 converters, port testers, wallpapers)
PS_OFFENSIVE = re.compile(
    r"amsi|bypass|inject|shellcode|run_dll|reverse|shell|bind|listener|payload|keylog|tele-bot|exfil|"
    r"bin2|2bin|word|enum|recon|lotl|spray|brute|cred|password|persist|backdoor|privesc|exploit|"
    r"kerber|asrep|ldap|sweep|scan|screenshot|upload|startup|create_user|disable_key|win-key|"
    r"fodhelper|dccw|inmemory|usecreds|caesar|msbuild|installutil|workflow|cradle|out-cradle|"
    r"icmp|udp|tcp|generic|information|wlan|poshrat|regbackdoor|doublehop|rdp|azure|krbtgt|"
    r"domain|host_scan|port_scan|ping", re.I)


def office_kind(data):
    """choose.office_kind, but a damaged zip is no document (None) rather than an error."""
    try:
        return choose.office_kind(data)
    except (zipfile.BadZipFile, EOFError, ValueError, NotImplementedError, OSError):
        return None


def benign_check(kind, name, data):
    if not data:
        return "empty"
    if kind == "doc":
        return None if office_kind(data) in ("pdf", "ooxml", "cdf", "xlm", "vba", "rtf", "ole-object") \
            else "not a document (or a damaged one)"
    if not is_text(data):
        return "binary, not a script"
    return None


def key(s):
    return hashlib.sha256(s.encode()).hexdigest()


def src_of(repo, path, commit=None):
    return "%s@%s:%s" % (repo, commit or REPOS[repo][0], path)


# a PDF outside Contagio's malware folders counts only with content that acts when opened
PDF_ACTIVE = re.compile(rb"/(JavaScript|JS|Launch|EmbeddedFile|SubmitForm|ImportData|GoToE|GoToR|RichMedia|XFA)\b")


def family_of(path, data):
    """The malicious family of a file from its name, else from its bytes; None if neither
    says (the file is then dropped as not of the hold-out's kinds)."""
    low = path.lower()
    k = office_kind(data) if data else None
    if k == "pdf" and not path.startswith("contagio/") and not PDF_ACTIVE.search(data):
        return None  # a manual or decoy PDF of a shell or APT collection, nothing that runs
    if k in MALDOC_IDS:
        return "maldoc"
    for pat, fam in EXT_FAMILY:
        if re.search(pat, low):
            return fam
    if not data or not is_text(data) or re.search(r"\.(ya?ra?|py|md|rules|json|ya?ml|csv|html?)$", low):
        return None
    # a file without a code suffix counts only if it starts as code (not notes quoting code)
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if re.match(rb"<\?(php|=|\s)", head, re.I):  # not <?xml
        return "webshell-php"
    if head.startswith(b"<%"):
        return "webshell-asp-jsp"
    if re.match(rb"#!\s*/usr/bin/(env )?perl", head):
        return "perl-backdoor"
    return None


def ids_of(family, path, data):
    if family == "maldoc":
        ids = MALDOC_IDS[office_kind(data)]
        if "CVEsorted" in path and "T1203" not in ids:  # Contagio's exploit PDFs, sorted by CVE
            ids += ",T1203"
        return ids
    if family == "powershell":
        return ps_ids(os.path.basename(path))
    return IDS[family]


# (repo, path regex, cap or None): the files of each source that are candidates
MAL_RULES = [
    ("tanjiti/webshellSample", r"^(PHP|ASP|ASPX|jsp)/", None),
    ("Coldwave96/WebShell-AIHunter", r"^Data/WebShell/(php|asp|jsp)/", None),
    ("DreadfulBot/php-webshells-collection", r"^Shells/", None),
    ("x-o-r-r-o/PHP-Webshells-Collection", r"\.php$", None),
    ("0xAnalyst/WebShellsThreatGroups", r"^(?!README)", None),
    ("0xAnalyst/webshells", r"\.aspx$", None),
    ("zuxievrtx/Collection-Webshells", r"\.php$", None),
    ("I-Am-Jakoby/PowerShell-for-Hackers", r"^Assets/[^/]+\.hta$", None),
    ("Whitecat18/Powershell-Scripts-for-Hackers-and-Pentesters", r"^scripts/.*\.(ps1|vbs)$", None),
    ("tobor88/PowerShell-Red-Team", r"\.(ps1|psm1)$", None),
    ("rafaelbaldasso/Offensive-PowerShell", r"\.ps1$", None),
    ("Pwn3rx0/Obfuscated-PS-Reverse-Shell", r"\.ps1$", None),
    ("danielbohannon/Invoke-CradleCrafter", r"\.ps1$", None),
    ("tokyoneon/Chimera", r"^shells/.*\.ps1$", None),
    ("Mayyhem/maldocs", r"^(powershell/.*\.ps1|jscript/.*\.(js|hta))$", None),
    ("mstfknn/malware-sample-library", r".", None),
    ("MalwareSamples/Malware-Feed", r".", None),
    ("gangaram-tii/malicious-pdfs", r"^contagio/MALWARE_PDF_CVEsorted_173_files/", 100),
    ("gangaram-tii/malicious-pdfs", r"^contagio/MALWARE_PDF_PRE_04-2011_10982_files/", 100),
    # generator output (wolfshell, Godzilla, China Chopper builds): at most 20 per generated family
    ("0x7556/webshell", r"^wolfshell/aspx/", 20),
    ("0x7556/webshell", r"^wolfshell/ashx/", 20),
    ("0x7556/webshell", r"^wolfshell/mem/", 20),
    ("0x7556/webshell", r"^godzilla/php/", 20),
    ("0x7556/webshell", r"^godzilla/aspx/", 20),
    ("0x7556/webshell", r"^godzilla/asp/", 20),
    ("0x7556/webshell", r"^godzilla/jsp/", 20),
    ("0x7556/webshell", r"^chopper/", 20),
    ("Double-q1015/webshell_tester", r"^shells/", None),
    ("exploit-haxor/webshell", r".", None),
    ("z3n70/webshell_bypass", r".", None),
    ("HoangKien1020/WebShells", r".", None),
    ("exploide/webshells", r".", None),
    ("daniel2005d/webShells", r"\.(aspx|php)$", None),
    ("KeyStrOke95/AMSI-BYPASS", r"\.ps1$", None),
    ("tylerwhardy/amsi-bypass", r"\.ps1$", None),
    ("Civero/AMSI-Bypass", r"\.(ps1|psm1)$", None),
    ("V-i-x-x/AMSI-BYPASS", r"\.ps1$", None),
    ("74l4r14/AMSI-Bypasses", r"\.ps1$", None),
    ("Gaurav-Chauhan25/AMSI-Bypass", r"\.(ps1|txt)$", None),
    ("payloads45/powershell-amsi-bypass", r"\.ps1$", None),
    ("rahulramesh96/AMSI-Bypass-Reverse-Shell", r"\.ps1$", None),
    ("Matthew-Holt/AMSI-Bypasses", r"\.ps1$", None),
    ("MrSquid25/AMSI-Bypasses", r"^PowerShell/.*\.ps1$", None),
    ("xputerax/php-webshells", r".", None),
    ("flux10n/collection-webshells", r".", None),
    ("c1thu/webshells", r"^(?!.*\.js$)", None),  # its .js is a browser cookie stealer, no WSH dropper
    ("nicholasaleks/webshells", r".", None),
    ("Al1ex/WebShells", r".", None),
    ("davidsmithmaster133-creator/Webshells", r".", None),
    ("m4l4v1t4/webshells", r".", None),
    ("gottburgm/webshells", r".", None),
    ("SYANiDE-/webshells", r".", None),
    ("0xbad53c/webshells", r".", None),
    ("OffensiveBlueprint/Webshells", r".", None),
    ("ThePacketBender/webshells", r".", None),
    ("hqdudesec/webshells_collection", r".", None),
    ("Jerr279/AllTheWebShells", r".", None),
    ("CuckooEXE/WebShells", r".", None),
    ("h4ckl4bm3/MoarWebshells", r".", None),
    ("jakored1/webshells", r".", None),
    ("foxilabs/webshells", r".", None),
    ("pigxbun/PowerShell-Reverse-Shells", r"^(attack_file1|reverse_http)\.ps1$", None),
    ("0x10F8/PowerShell-Reverse-Shells", r"\.ps1$", None),
    ("martinsohn/PowerShell-reverse-shell", r"\.ps1$", None),
    ("op7ic/powershell-reverse-shell", r"\.ps1$", None),
    ("florentvinai/obfuscated-reverse-shell-powershell", r"^scripts/.*\.ps1$", None),
    ("truelockmc/BadUSB-PS-Files", r"^(Browser-PW|BrowserDB|History|launcher|wifi)\.ps1$", None),
    ("tuconnaisyouknow/BadUSB_passStealer", r"^upload/ps\.ps1$", None),
    ("Luazuko/POC-Powershell-Reverse-Shell", r"\.ps1$", None),
]
# repositories whose .txt files are PowerShell scripts saved as text
TXT_IS_POWERSHELL = ("Gaurav-Chauhan25/AMSI-Bypass",)
PS_NAME_FILTER = ("Whitecat18/Powershell-Scripts-for-Hackers-and-Pentesters", "tobor88/PowerShell-Red-Team",
                  "Mayyhem/maldocs")
MAX_BYTES = 8 << 20

# Debian 12 packages (not installed here, not used by C or a tuner) -> (kind, cap)
PACKAGES = {
    "wordpress": ("php", 25), "icingaweb2": ("php", 25), "cacti": ("php", 25),
    "zabbix-frontend-php": ("php", 25), "php-doctrine-dbal": ("php", 20), "php-symfony-console": ("php", 20),
    "libjs-leaflet": ("js", 20), "libjs-three": ("js", 20), "libjs-angularjs": ("js", 20),
    "libjs-backbone": ("js", 20), "libjs-handlebars": ("js", 20), "libjs-requirejs": ("js", 20),
    "libjs-openlayers": ("js", 20),
    "irssi-scripts": ("perl", 40), "libnet-server-perl": ("perl", 20), "libpoe-perl": ("perl", 25),
    "libnet-dns-perl": ("perl", 20), "munin-plugins-core": ("perl", 30),
}
EXT = dict(choose.EXT)
# benign files from repositories: (repo, path regex, kind, cap)
BENIGN_RULES = [
    ("Coldwave96/WebShell-AIHunter", r"^Data/normal/php/.*\.php$", "php", 100),
    ("Coldwave96/WebShell-AIHunter", r"^Data/normal/(asp|jsp)/.*\.(aspx?|jsp)$", "asp-jsp", 80),
    ("jdhitsolutions/PSScriptTools", r"\.(ps1|psm1)$", "powershell", 90),
    ("actions/runner-images", r"\.(ps1|psm1)$", "powershell", 90),
    ("dahlbyk/posh-git", r"\.(ps1|psm1)$", "powershell", 30),
    ("tafia/calamine", r"^tests/.*\.(xls|xlsx|xlsb|xlsm|ods)$", "doc", 60),
    ("mwilliamson/mammoth.js", r"^test/test-data/.*\.docx$", "doc", 60),
    ("pdfminer/pdfminer.six", r"^samples/.*\.pdf$", "doc", 60),
]


def head_commit(repos, repo):
    kind, where = repos.locate(repo)
    return subprocess.run(["git", "--git-dir", where, "rev-parse", "HEAD"], stdout=subprocess.PIPE,
                          check=True).stdout.decode().strip()


def sample(items, n):
    """The n with the least sha256 of their source string (independent of listing order)."""
    items = sorted(items, key=lambda it: key(it[0]))
    return items if n is None else items[:n]


def malicious_candidates(repos, dropped):
    by_repo = {}
    for repo, pat, cap in MAL_RULES:
        if REPOS[repo][0] is None:  # a source added without a pin: its snapshot's HEAD
            REPOS[repo] = (head_commit(repos, repo), REPOS[repo][1])
        commit = REPOS[repo][0]
        cands = []
        for path in repos.tree(repo, commit):
            if not re.search(pat, path):
                continue
            src = src_of(repo, path)
            try:
                data = repos.read(repo, commit, path)
            except build.SourceError as e:
                dropped.append((src, "-", "unreadable: %s" % e, ""))
                continue
            if len(data) > MAX_BYTES:
                dropped.append((src, "-", "over 8 MiB", build.sha256(data)))
                continue
            fam = family_of(path, data)
            if fam is None and repo in TXT_IS_POWERSHELL and re.search(r"(amsi|bypass|mimi)[^/]*\.txt$", path, re.I):
                fam = "powershell"
            if fam is None:
                if not re.search(r"\.(png|jpe?g|gif|md|py|c|exe|dll|bin|zip|7z|apk|sys|csv|yar|lnk)$", path, re.I):
                    dropped.append((src, "-", "not a script or document of the hold-out's families",
                                    build.sha256(data)))
                continue
            if fam == "powershell" and repo in PS_NAME_FILTER and not PS_OFFENSIVE.search(os.path.basename(path)):
                dropped.append((src, fam, "an ordinary helper of the collection, not offensive by its name",
                                build.sha256(data)))
                continue
            cands.append((src, fam, path, data))
        by_repo.setdefault(repo, []).extend(sample(cands, cap))
    for repo, cands in sorted(by_repo.items()):
        for src, fam, path, data in cands:
            yield repo, src, fam, path, data


def benign_candidates(repos, debs_dir, tmp):
    for repo, pat, kind, cap in BENIGN_RULES:
        commit = REPOS[repo][0] or head_commit(repos, repo)
        REPOS[repo] = (commit, REPOS[repo][1])
        cands = []
        for path in repos.tree(repo, commit):
            if re.search(pat, path):
                cands.append((src_of(repo, path), path))
        for src, path in sample(cands, cap):
            yield src, kind, path, repos.read(repo, commit, path), REPOS[repo][1]
    debs = build.Debs(debs_dir, tmp)
    for pkg, (kind, cap) in sorted(PACKAGES.items()):
        found = [f for f in os.listdir(debs_dir) if f.startswith(pkg + "_") and f.endswith(".deb")]
        if not found:
            print("choose_d.py: no .deb for %s in %s" % (pkg, debs_dir), file=sys.stderr)
            continue
        version = found[0].split("_")[1].replace("%3a", ":")
        pkgver = "%s=%s" % (pkg, version)
        root = debs.root_of(pkgver)
        cands = []
        for d, _, files in os.walk(root):
            for f in files:
                full = os.path.join(d, f)
                if os.path.islink(full) or not os.path.isfile(full):
                    continue
                rel = "/" + os.path.relpath(full, root)
                low = f.lower()
                ok = low.endswith(EXT[kind])
                if not ok and kind == "perl":  # munin plugins and irssi helpers without a suffix
                    with open(full, "rb") as fh:
                        ok = re.match(rb"#!\s*/usr/bin/(env )?perl", fh.read(64)) is not None
                if ok:
                    cands.append(("deb:%s:%s" % (pkgver, rel), rel, full))
        licence = "Debian package %s (see its copyright file)" % pkg
        for src, rel, full in sample(cands, cap):
            with open(full, "rb") as fh:
                yield src, kind, rel, fh.read(), licence


def main(argv):
    if len(argv) != 4:
        sys.exit(__doc__)
    sources, debs_dir, out, seen_file = argv
    repos = build.Repos(sources)
    known = {}
    with open(seen_file) as f:
        for line in f:
            h, _, where = line.rstrip("\n").partition("\t")
            known[h] = where
    rows, dropped, seen = [], [], {}

    def accept(family, src, data, reason):
        """The reason to drop a file, or None; remembers the accepted file's sha256."""
        h = build.sha256(data) if data is not None else ""
        if reason is None and h in known:
            reason = "already seen (%s)" % ("tree corpus" if known[h].startswith("suite:") else
                                            "hold-out C" if "/holdoutC/" in known[h] else "a tuner's folder")
        if reason is None and h in seen:
            reason = "duplicate of %s" % seen[h]
        if reason:
            dropped.append((src, family, reason, h))
            return False
        seen[h] = src
        return True

    def write(label, family, ids, src, licence, name, data):
        h = build.sha256(data)
        top = "mal" if label == "mal" else "benign"
        path = "%s/%s/%s_%s" % (top, family, h[:12], choose.safe(name))
        rows.append({"path": path, "label": label, "family": family, "ids": ids or "-", "source": src,
                     "licence": licence, "sha256": h})
        dest = os.path.join(out, path)
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        with open(dest, "wb") as f:
            f.write(data)

    mal = []
    for repo, src, fam, path, data in malicious_candidates(repos, dropped):
        if accept(fam, src, data, choose.check(fam, path, data)):
            mal.append((repo, src, fam, path, data))
    per = {}
    for m in mal:
        per[m[0]] = per.get(m[0], 0) + 1
    cap = max(per.values())
    while cap > 1 and cap > SOURCE_SHARE * sum(min(n, cap) for n in per.values()):
        cap -= 1
    taken = {}
    mal.sort(key=lambda m: (m[0], key(m[1])))
    for repo, src, fam, path, data in mal:  # each source's files in least-sha256 order
        taken[repo] = taken.get(repo, 0) + 1
        if taken[repo] > cap:
            dropped.append((src, fam, "over the per-source cap of %d (15%% of the set)" % cap, build.sha256(data)))
            continue
        write("mal", fam, ids_of(fam, path, data), src, REPOS[repo][1], path, data)
    with tempfile.TemporaryDirectory() as tmp:
        for src, kind, name, data, licence in benign_candidates(repos, debs_dir, tmp):
            if accept(kind, src, data, benign_check(kind, name, data)):
                write("benign", kind, "-", src, licence, name, data)

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
    src_counts = {}
    for r in rows:
        if r["label"] == "mal":
            s = r["source"].split("@")[0]
            src_counts[s] = src_counts.get(s, 0) + 1
    for s, n in sorted(src_counts.items(), key=lambda x: -x[1]):
        print("  %-60s %4d" % (s, n))
    print("dropped %d" % len(dropped))


if __name__ == "__main__":
    main(sys.argv[1:])
