#!/usr/bin/env python3
"""The selection step that made manifest-E.tsv, the hold-out corpus E (README.md, "Hold-out
corpus E"). Same helpers as choose.py and choose_d.py (corpora C and D), other sources, and
the families C and D lack (Python and shell reverse shells, Linux persistence scripts, HTML
smuggling pages, injected skimmer scripts, old macro viruses). It reads the pinned commits,
applies the per-source rules below, drops files that are not what their label says, removes
duplicates by sha256 within the set and against every file already seen (the tree's corpus,
hold-outs C and D), caps each source at 15% of the malicious set, and writes OUTDIR/mal,
OUTDIR/benign, OUTDIR/labels.tsv, OUTDIR/dropped.tsv and OUTDIR/manifest.tsv.

The selection never runs airlock: files are chosen by source, path, name and what they are
(their bytes: a document kind, a PHP tag), never by a verdict.

usage: choose_e.py SOURCES DEBS OUTDIR SEEN
  SOURCES  folder of the source repositories (as build.py: owner+name[/repo])
  DEBS     folder of the downloaded .deb files (apt-get download NAME=VERSION)
  SEEN     a file of "sha256<TAB>where" lines: every file already seen (the tree's corpus,
           hold-outs C and D); a hold-out file must not be among them"""
import io
import os
import re
import sys
import tempfile
import zipfile

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import build  # noqa: E402
import choose  # noqa: E402
import choose_d  # noqa: E402
from choose import IDS, MALDOC_IDS, is_text, ps_ids  # noqa: E402
from choose_d import key, office_kind, sample  # noqa: E402

# owner/name -> (commit, licence)
REPOS = {
    # PowerShell
    "samratashok/Kautilya": ("1c9d5b0670df1ad5b7214cdd86e5d83970c74a1a", "GPL-3.0 (LICENSE)"),
    "PyroTek3/PowerShell-AD-Recon": ("9b935bae6506c2350197f005d344a8f9bd97f900", "BSD-3-Clause"),
    "the-xentropy/xencrypt": ("32c301c0a6c7e351c1ff702b9cde6bb0df8ef4e1", "GPL-3.0"),
    "leechristensen/Random": ("234a1031745faba8162476c6620c5cbd038715f4", "BSD-3-Clause"),
    "dafthack/Check-LocalAdminHash": ("74f23ab926ca54717a590b31e950648dcda54479", "BSD-3-Clause"),
    "trustedsec/social-engineer-toolkit": ("43a5702025877acf3482b52c4ba824ece87b02a2", "BSD-3-Clause (readme/LICENSE)"),
    "FortyNorthSecurity/Egress-Assess": ("991b324d85821f4f2554873b2f2b71089f2370a6", "GPL-3.0"),
    "beigeworm/Powershell-Tools-and-Toys": ("d2bb530c8fb4cf6c442715c645687e2c061dcb00", "MIT"),
    "beigeworm/PoshCord-C2": ("96057f6378babc87fdf7291298dd8d12683f7dd8", "none stated"),
    "beigeworm/Posh-Anti-Analysis": ("91f53d23d56fbac557715115af5b3f021acc307c", "none stated"),
    "beigeworm/PoSh-Control": ("5e7f1d15e787191426619c69ce22d652285a93c4", "none stated"),
    "PwnDexter/Invoke-EDRChecker": ("60e4ea10723ea85887d453ab9a267b571f7fae1a", "BSD-3-Clause"),
    # WSH scripts, HTA, smuggling
    "3gstudent/Javascript-Backdoor": ("782c801b16af6d73fa67dbe568d61d38cc975cc8", "none stated"),
    "Arno0x/WSC2": ("5d24b297fedc7b6e4ff760344af598d021f6d56b", "GPL-3.0"),
    "Da2dalus/The-MALWARE-Repo": ("02066b55d8b8271b199dbd1eb1a9b31fd38dfe71", "none stated"),
    "ytisf/theZoo": ("1aa1bb7cdb9e12253129297ff021e8ff5aeb011d", "GPL-3.0 (LICENSE.md)"),
    "xnorkl/mshta_maldoc": ("176f5447667db6d2f402d356a0fd161a5d4c12fb", "none stated"),
    "TheCyb3rAlpha/BobTheSmuggler": ("141fc1a8253e0c7b170296500f535731b6e7452d", "MIT"),
    # web shells, injected scripts
    "jvoisin/php-malware-finder": ("87b6d7faa4829b1e1c7c8895ef33d2b84d00b11f", "LGPL-3.0"),
    "mattiasgeniar/php-exploit-scripts": ("a6ab857232e15866aab2e37338941fb2e19e60f5", "none stated"),
    "gwillem/magento-malware-scanner": ("10539a47c5874ec2b19b1a216be5d3f99dbcea73", "GPL-3.0"),
    "flozz/p0wny-shell": ("c732d74337ddd36d92e1c3bbd8d47ffa71492c2a", "WTFPL-2.0 (LICENSE)"),
    "WhiteWinterWolf/wwwolf-php-webshell": ("42f79817fc633dc755ec831f2af1de6b8cacb3b6", "GPL-3.0"),
    "Arrexel/phpbash": ("bf3e5912762e787b8672ae4d681b23c001e2b03e", "Apache-2.0"),
    "b374k/b374k": ("3e456486c94582e2403f047c80500da3261694ab", "MIT"),
    "epinna/weevely3": ("3d62e889871a62a344365b6a2d02b35c5ac1e946", "GPL-3.0"),
    "nil0x42/phpsploit": ("aea961df241a29703ae76c26cef52e1169f74a06", "GPL-3.0"),
    "sensepost/reGeorg": ("1ca54c2a6ab22ded150d04cff8fdb796990b1ced", "CC (LICENSE.html)"),
    "L-codes/Neo-reGeorg": ("7379c6db703c3d626d361c1d7be542963b46aeb6", "GPL-3.0"),
    "backdoorhub/shell-backdoor-list": ("b9144c7e2afc2bd564bd49791011224a13296264", "MIT"),
    "JoyChou93/webshell": ("2185acc2b494f7c0dd8487273d514fb89ebe9240", "none stated"),
    "webshellpub/awsome-webshell": ("3e29e894a728077c44136cffbeca4c158acbc23d", "none stated"),
    "mIcHyAmRaNe/wso-webshell": ("66f9668fdbe637f68f8513be60bfab8cfbab5464", "MIT"),
    "TheBinitGhimire/Web-Shells": ("8c3e80946e830c93bf8a6fcc76c8d047f64375a3", "MIT"),
    "linuxsec/indoxploit-shell": ("4c6fc969f80a7ca73f7e8751730253a6bb7f29ba", "MIT"),
    "lcatro/PHP-WebShell-Bypass-WAF": ("672f2ceb7d73a445a7bdd3883863495f87c07902", "none stated"),
    "s0md3v/nano": ("a2c47363d98cfccd7b52dff7eeb1c4ae03710768", "none stated"),
    "AntSwordProject/AwesomeScript": ("39816efcb024c93891396e80c93b664437946c1a", "none stated"),
    "k4mpr3t/b4tm4n": ("4e426f13cccde6f501c5cbf4cad8f4cad37f4dad", "none stated"),
    # reverse shells, backdoors, Linux persistence
    "infodox/python-pty-shells": ("2ce56df2dba980521661db8f97497986eac6f490", "WTFPL-2.0 (LICENCE.md)"),
    "bdamele/icmpsh": ("82caf34d8ed984614354c0c10c9408e10babb3a2", "none stated (LGPL in the sources)"),
    "d4rk007/RedGhost": ("db151ff256247150beadc28613608a362c8f1b01", "none stated"),
    "mthbernardes/rsg": ("c7628a975e98e4ca1eac6543ade978e0951f8844", "MIT"),
    "xp4xbox/Python-Backdoor": ("b5ef97a2997bf7d564f2284c42bb330c42f77dbd", "GPL-3.0"),
    "0x00-0x00/ShellPop": ("a145349f8fc3c3fba6e873bf54c5aeaf1614f84a", "MIT"),
    "hackerschoice/gsocket": ("232e2b6e31a134d596417e8b3265ad8be32d0e38", "BSD-2-Clause"),
    # documents
    "PacktPublishing/Mastering-Reverse-Engineering-Second-Edition":
        ("1f7136c806db956c0eeb38e36a9cb136e99ebd2a", "MIT"),
    "0xdeadbeefJERKY/Office-DDE-Payloads": ("53291f9e0245d3ad291183aaf8c44cc76604f13d", "MIT"),
    "embedi/CVE-2017-11882": ("34a6595c39e59d87a5926d3c056d3589fa7b9ea5", "none stated"),
    "Ridter/CVE-2017-11882": ("dcfb778f3c43da205a94ce98a145b0800adacdcd", "none stated"),
    "bhdresh/CVE-2017-0199": ("75a63c09f8291f45155a7af916c6708bd1d6f9b9", "none stated"),
    "rvrsh3ll/MalDoc-Embedded-EXE-Bin-": ("0a184335f3c3347cf712c34fcee61bafe8079177", "GPL-3.0"),
    "rxwx/CVE-2018-0802": ("1e1da94d3cf9ec9c3a8f30b2538105cb31b05c57", "none stated"),
    "0x09AL/CVE-2018-8174-msf": ("d6636e4aa68db1acc440c3229c9c16de6918d06a", "none stated"),
    # benign
    "jmcnamara/XlsxWriter": ("cf3fe78d3eab5e4c7d825d4451af3a60e2a04011", "BSD-2-Clause"),
    "qpdf/qpdf": ("dfd251125cadb59fe04836f9197c3ef94f99cf55", "Apache-2.0"),
    "python-excel/xlrd": ("3a19d22014d7b3f3041b7188d21a653c18c709bf", "BSD-3-Clause"),
    "dsccommunity/NetworkingDsc": ("eaed17c393226962013aeec525db7fe0e68b1778", "MIT"),
    "microsoft/PowerShellForGitHub": ("fd4fa65f23ca30f18f85312a85348e660c287a9c", "MIT"),
    "npocmaka/batch.scripts": ("00a8ab0fe4f4e98e526dfa6a70382b80e4e22831", "MIT"),
    "apache/struts": ("80278c16f6c193bd4cb7eb7d1501ff69b4b76b9b", "Apache-2.0"),
}

SOURCE_SHARE = 0.15
MAX_BYTES = 8 << 20

# Accepted ids of the families C and D do not have: the suite's (tests/data/realworld/malicious.tsv)
E_IDS = {
    "revshell": "T1095,T1059.004,T1059.006,T1059.001,T1505.003",
    "linux-persistence": "T1053.003,T1053.002,T1543.002,T1546.004,T1098.004,T1574.006,T1037.004,"
                         "T1547.006,T1136.001,T1548.001,T1556.003,T1546.016,T1037,T1505.003,T1095",
    "html-smuggling": "T1027.006",
    "driveby-injection": "T1189",
}
DDE_IDS = "T1559.002"  # the suite's dde

# PowerShell of mixed collections (prank and helper scripts beside the attacks) counts only
# when its name says an offensive purpose: D's PS_OFFENSIVE, plus the payload names of these
# collections (grabbers, dumpers, sniffers...)
PS_OFFENSIVE_E = re.compile(choose_d.PS_OFFENSIVE.pattern + r"|grab|wifi|mimikatz|hashdump|lsa_secret|sniff|vault|"
                            r"browserdata|chromedump|poshrat|jacker|voicelogger|^vl\.ps1$|exetotext|out-chm|out-java|"
                            r"out-dnstxt|smbnegotiate|skype|mailboxrules|processasuser|logonsession|namedpipe", re.I)

# (repo, path regex, family, cap). family "auto": from the bytes (documents) or the suffix
# (choose_d.family_of); otherwise the family is the rule's, and the file must still pass
# choose.check for it.
MAL_RULES = [
    ("samratashok/Kautilya", r"^extras/.*\.ps1$", "powershell-named", None),
    ("PyroTek3/PowerShell-AD-Recon", r"^(Discover|Find|Get)-[A-Za-z]+$", "powershell", None),
    ("the-xentropy/xencrypt", r"\.ps1$", "powershell", None),
    ("leechristensen/Random", r"^PowerShellScripts/.*\.ps1$", "powershell-named", None),
    ("dafthack/Check-LocalAdminHash", r"\.ps1$", "powershell", None),
    ("trustedsec/social-engineer-toolkit", r"^src/powershell/.*\.powershell$", "powershell", None),
    ("FortyNorthSecurity/Egress-Assess", r"\.ps1$", "powershell", None),
    # beigeworm's attack folders (stealers, exfiltration, reverse shells, phishing, obfuscation;
    # not its Blue Team, GUI, Misc and Pranks folders), minus its webhook maintenance tools
    ("beigeworm/Powershell-Tools-and-Toys", r"^(Discord Scripts|Reverse Shells|Telegram and Dropbox Scripts|Phishing|"
     r"Obfuscation|Information Enumeration)/(?!.*(Backup|Removal|Test-Tool))[^/]*\.ps1$", "powershell", None),
    ("beigeworm/PoshCord-C2", r"^(Discord-C2-Client\.ps1|Stagers/.*\.vbs)$", "auto", None),
    ("beigeworm/PoshCord-C2", r"^Bashcord-C2-Client\.sh$", "revshell", None),
    ("beigeworm/Posh-Anti-Analysis", r"\.(ps1|vbs)$", "auto", None),
    ("beigeworm/PoSh-Control", r"\.ps1$", "powershell", None),
    ("PwnDexter/Invoke-EDRChecker", r"\.ps1$", "powershell", None),
    ("rxwx/CVE-2018-0802", r"\.rtf$", "auto", None),
    ("0x09AL/CVE-2018-8174-msf", r"\.rtf$", "auto", None),
    ("3gstudent/Javascript-Backdoor", r"^(JSRat\.ps1|test|testJSRAT|testvbs)$", "auto-wsh", None),
    ("Arno0x/WSC2", r"^templates/(wsc2Agent\d_js|posh)\.tpl$", "auto-wsh", None),
    ("Da2dalus/The-MALWARE-Repo", r"\.(vbs|js|hta|doc|xlsm)$|DridexDroppedVBS", "auto-wsh", None),
    ("xnorkl/mshta_maldoc", r"\.(hta|vbs|ps1)$", "auto", None),
    ("TheCyb3rAlpha/BobTheSmuggler", r"^resources/templates/.*\.(html|svg)$", "html-smuggling", None),
    ("jvoisin/php-malware-finder", r"^data/samples/", "webshell-php", None),
    ("mattiasgeniar/php-exploit-scripts", r"^(?!.*\.(ico|db|md)$)", "auto", None),
    ("gwillem/magento-malware-scanner", r"^corpus/backend/", "auto", None),
    ("gwillem/magento-malware-scanner", r"^corpus/frontend/", "driveby-injection", None),
    ("flozz/p0wny-shell", r"\.php$", "auto", None),
    ("WhiteWinterWolf/wwwolf-php-webshell", r"\.php$", "auto", None),
    ("Arrexel/phpbash", r"\.php$", "auto", None),
    ("b374k/b374k", r"\.php$", "auto", None),
    ("epinna/weevely3", r"^src/weevely/bd/.*_php\.tpl$", "webshell-php", None),
    ("nil0x42/phpsploit", r"^data/tunnel/.*\.php$", "auto", None),
    ("sensepost/reGeorg", r"\.(php|aspx|ashx|jsp)$", "auto", None),
    ("L-codes/Neo-reGeorg", r"^templates/tunnel\.(php|aspx|ashx|jsp|jspx)$", "auto", None),
    ("backdoorhub/shell-backdoor-list", r"^shell/", "auto", None),
    ("JoyChou93/webshell", r"\.(php|jsp)$", "auto", None),
    ("webshellpub/awsome-webshell", r"^(php|asp|aspx|jsp|other)/", "auto", None),
    ("mIcHyAmRaNe/wso-webshell", r"\.php$", "auto", None),
    ("TheBinitGhimire/Web-Shells", r"\.(php|asp|jsp)$", "auto", None),
    ("linuxsec/indoxploit-shell", r"\.php$", "auto", None),
    ("lcatro/PHP-WebShell-Bypass-WAF", r"\.php$", "auto", None),
    ("s0md3v/nano", r"\.php$", "auto", None),
    ("AntSwordProject/AwesomeScript", r"\.(php|asp|aspx|jsp|jspx)$", "auto", None),
    ("k4mpr3t/b4tm4n", r"\.php$", "auto", None),
    ("infodox/python-pty-shells", r"\.py$", "revshell", None),
    ("bdamele/icmpsh", r"\.(pl|py)$", "revshell", None),
    ("d4rk007/RedGhost", r"\.sh$", "linux-persistence", None),
    ("mthbernardes/rsg", r"\.sh$", "revshell", None),
    ("xp4xbox/Python-Backdoor", r"^src/client/.*\.py$", "revshell", None),
    ("0x00-0x00/ShellPop", r"^src/.*\.py$", "revshell", None),
    ("hackerschoice/gsocket", r"^deploy/deploy\.sh$", "linux-persistence", None),
    ("0xdeadbeefJERKY/Office-DDE-Payloads", r"\.(docx|xlsx)$", "auto", None),
    ("embedi/CVE-2017-11882", r"\.rtf$", "auto", None),
    ("Ridter/CVE-2017-11882", r"\.rtf$", "auto", None),
    ("bhdresh/CVE-2017-0199", r"\.ppsx$", "auto", None),
    ("rvrsh3ll/MalDoc-Embedded-EXE-Bin-", r"\.docm$", "auto", None),
]
# members of password zips ("infected"): (repo, zip path regex, member regex)
ZIP_RULES = [
    # theZoo's samples: the documents, scripts and HTA of its macro and script viruses
    ("ytisf/theZoo", r"^malware/Binaries/.*\.zip$", r"\.(docx?|docm|xlsx?|xlsm|rtf|vbs|vbe|js|jse|hta|wsf)$"),
    # the book's maldoc chapter (macro, XLM, DDE, remote template, PDF with JavaScript) and
    # its obfuscated PowerShell
    ("PacktPublishing/Mastering-Reverse-Engineering-Second-Edition", r"^chapter_1[23]/.*\.zip$",
     r"\.(docx?|docm|dotm|xlsx?|xlsm|pdf|ps1)$"),
]


def is_dde(data):
    """An OOXML document whose body or workbook holds a DDE field or link."""
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
        for n in z.namelist():
            if re.match(r"(word/document|xl/externalLinks/.*|xl/worksheets/.*|word/.*)\.xml$", n):
                body = z.read(n)
                if re.search(rb"DDEAUTO|\bDDE\b|ddeService|ddeLink", body):
                    return True
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, NotImplementedError):
        return False
    return False


def family_of(rule_family, path, data):
    """(family, ids) of a candidate, or (None, reason)."""
    name = os.path.basename(path)
    if rule_family in ("auto", "auto-wsh"):
        if data and is_dde(data):
            return "maldoc", DDE_IDS
        k = office_kind(data) if data else None
        if k in MALDOC_IDS:
            return "maldoc", MALDOC_IDS[k]
        fam = choose_d.family_of(path, data)
        if fam is None and rule_family == "auto-wsh" and data and is_text(data):
            # script samples saved without a suffix (DridexDroppedVBS, JSRat's test scriptlets)
            fam = "js-dropper"
        if fam is None and re.search(r"\.tpl$", path) and "posh" in name:
            fam = "powershell"
        if fam is None:
            return None, "not a script or document of the hold-out's families"
        if fam == "powershell":
            return fam, ps_ids(name)
        return fam, IDS.get(fam)
    if rule_family == "powershell-named":
        if not PS_OFFENSIVE_E.search(name):
            return None, "an ordinary helper or prank of the collection, not offensive by its name"
        return "powershell", ps_ids(name)
    if rule_family == "powershell":
        return "powershell", ps_ids(name)
    if rule_family in E_IDS:
        return rule_family, E_IDS[rule_family]
    return rule_family, IDS[rule_family]


def check(family, path, data):
    if family in E_IDS:
        base = os.path.basename(path).lower()
        if not data:
            return "empty"
        if re.match(r"(readme|license|licence|copying|changelog)(\.|$)", base):
            return "README/licence file"
        if not is_text(data):
            return "binary, not a script"
        if family == "html-smuggling" and not re.search(rb"<script", data, re.I):
            return "no script"
        if family == "driveby-injection" and not re.search(rb"function|eval|document|window|<script", data, re.I):
            return "no script"
        return None
    if family == "maldoc" and is_dde(data):
        return None
    return choose.check(family, path, data)


def src_of(repo, path, members=()):
    return "%s@%s:%s" % (repo, REPOS[repo][0], "!".join((path,) + tuple(members)))


def malicious_candidates(repos, dropped):
    """(repo, src, family, ids, path, data) of each candidate, per source in least-sha256 order."""
    by_repo = {}
    for repo, pat, rfam, cap in MAL_RULES:
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
            fam, ids = family_of(rfam, path, data)
            if fam is None:
                dropped.append((src, "-", ids, build.sha256(data)))
                continue
            cands.append((src, fam, ids, path, data))
        by_repo.setdefault(repo, []).extend(sample(cands, cap))
    for repo, zpat, mpat in ZIP_RULES:
        commit = REPOS[repo][0]
        cands = []
        for path in repos.tree(repo, commit):
            if not re.search(zpat, path):
                continue
            try:
                zdata = repos.read(repo, commit, path)
                members = list(build.zip_members(zdata))
            except (build.SourceError, zipfile.BadZipFile, OSError, ValueError) as e:
                dropped.append((src_of(repo, path), "-", "unreadable zip: %s" % e, ""))
                continue
            for m, data in members:
                if not re.search(mpat, m, re.I):
                    continue
                src = src_of(repo, path, (m,))
                if data is None:
                    dropped.append((src, "-", "unreadable member", ""))
                    continue
                fam, ids = family_of("auto", m, data)
                if fam is None:
                    dropped.append((src, "-", ids, build.sha256(data)))
                    continue
                cands.append((src, fam, ids, m, data))
        by_repo.setdefault(repo, []).extend(cands)
    for repo, cands in sorted(by_repo.items()):
        for src, fam, ids, path, data in cands:
            yield repo, src, fam, ids, path, data


# Debian 12 packages (not installed here, not used by C, D, the suite or a tuner) -> (kind, cap)
PACKAGES = {
    "mediawiki": ("php", 25), "postfixadmin": ("php", 25), "php-sabre-dav": ("php", 20),
    "php-horde-imp": ("php", 20), "php-nikic-fast-route": ("php", 10),
    "libjs-sphinxdoc": ("js", 10), "libjs-popper.js": ("js", 10), "libjs-raphael": ("js", 10),
    "libjs-mustache": ("js", 10), "libjs-prettify": ("js", 15), "libjs-qunit": ("js", 10),
    "libjs-es5-shim": ("js", 10), "libjs-jquery-timeago": ("js", 10), "libjs-sizzle": ("js", 10),
    "libwww-perl": ("perl", 15), "libio-socket-ssl-perl": ("perl", 10), "logwatch": ("perl", 20),
    "spamassassin": ("perl", 20), "libnet-irc-perl": ("perl", 10),
    "bash-completion": ("shell", 25), "devscripts": ("shell", 20),
    "python3-paramiko": ("python", 20), "python3-twisted": ("python", 25),
}
EXT = dict(choose.EXT)
EXT["shell"] = (".sh", ".bash")
EXT["python"] = (".py",)
SHEBANG = {"perl": rb"#!\s*/usr/bin/(env )?perl", "shell": rb"#!\s*/(usr/)?bin/(env )?(ba|da|z)?sh\b",
           "python": rb"#!\s*/usr/bin/(env )?python"}
BENIGN_RULES = [
    ("jmcnamara/XlsxWriter", r"^xlsxwriter/test/comparison/xlsx_files/.*\.(xlsx|xlsm)$", "doc", 50),
    ("qpdf/qpdf", r"\.pdf$", "doc", 50),
    ("python-excel/xlrd", r"\.(xls|xlsx|xlsb)$", "doc", 20),
    ("dsccommunity/NetworkingDsc", r"\.(ps1|psm1)$", "powershell", 50),
    ("microsoft/PowerShellForGitHub", r"\.(ps1|psm1)$", "powershell", 50),
    ("npocmaka/batch.scripts", r"\.bat$", "wsh", 40),
    ("apache/struts", r"\.jsp$", "asp-jsp", 40),
    # files the Magento scanner's authors confirmed clean (its whitelist corpus)
    ("gwillem/magento-malware-scanner", r"^corpus/whitelisted/", "php", 60),
]


def benign_candidates(repos, debs_dir, tmp):
    for repo, pat, kind, cap in BENIGN_RULES:
        commit = REPOS[repo][0]
        cands = [(src_of(repo, p), p) for p in repos.tree(repo, commit) if re.search(pat, p)]
        for src, path in sample(cands, cap):
            yield src, kind, path, repos.read(repo, commit, path), REPOS[repo][1]
    debs = build.Debs(debs_dir, tmp)
    for pkg, (kind, cap) in sorted(PACKAGES.items()):
        found = [f for f in os.listdir(debs_dir) if f.startswith(pkg + "_") and f.endswith(".deb")]
        if not found:
            print("choose_e.py: no .deb for %s in %s" % (pkg, debs_dir), file=sys.stderr)
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
                ok = f.lower().endswith(EXT[kind])
                if not ok and kind in SHEBANG:
                    with open(full, "rb") as fh:
                        ok = re.match(SHEBANG[kind], fh.read(64)) is not None
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
        h = build.sha256(data) if data is not None else ""
        if reason is None and h in known:
            reason = "already seen (%s)" % known[h]
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
    for repo, src, fam, ids, path, data in malicious_candidates(repos, dropped):
        if accept(fam, src, data, check(fam, path, data)):
            mal.append((repo, src, fam, ids, path, data))
    per = {}
    for m in mal:
        per[m[0]] = per.get(m[0], 0) + 1
    cap = max(per.values())
    while cap > 1 and cap > SOURCE_SHARE * sum(min(n, cap) for n in per.values()):
        cap -= 1
    taken = {}
    mal.sort(key=lambda m: (m[0], key(m[1])))
    for repo, src, fam, ids, path, data in mal:  # each source's files in least-sha256 order
        taken[repo] = taken.get(repo, 0) + 1
        if taken[repo] > cap:
            dropped.append((src, fam, "over the per-source cap of %d (15%% of the set)" % cap, build.sha256(data)))
            continue
        write("mal", fam, ids, src, REPOS[repo][1], path, data)
    with tempfile.TemporaryDirectory() as tmp:
        for src, kind, name, data, licence in benign_candidates(repos, debs_dir, tmp):
            if accept(kind, src, data, choose_d.benign_check(kind, name, data)):
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
    print("cap %d; dropped %d" % (cap, len(dropped)))


if __name__ == "__main__":
    main(sys.argv[1:])
