#!/usr/bin/env python3
"""Checks an airlock HTML report with html.parser (tests/integration/html-report.sh).

  html-report.py check REPORT.html [--text STRING]... [--raw STRING]...
      nothing that runs or loads: no script, no on* attribute, no element that loads (iframe,
      object, embed, link, base, form, meta refresh), no src other than a data:image/png, no
      href other than an ATT&CK technique page; the CSP meta first in <head>; the verdict the
      first heading; each --text STRING present in the text as is (escaped in the source),
      each --raw STRING present in the source as is.
  html-report.py same-dom STATIC.html DUMPED.html
      the DOM Chromium dumped after loading the page holds the same elements (but the ones
      the parser adds: html, head, body, tbody) and the same text as the static file: nothing
      ran that changed it.
Prints one line per failure and exits 1 when there is one.
"""
import html.parser
import re
import sys

CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"
ATTACK = re.compile(r"^https://attack\.mitre\.org/techniques/T[0-9]{4}/([0-9]{3}/)?$")
LOADS = {"script", "iframe", "frame", "object", "embed", "link", "base", "form", "audio", "video",
         "source", "track", "svg", "math", "applet", "portal", "noscript", "template"}
IMPLIED = {"html", "head", "body", "tbody"}


class Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.errors = []
        self.tags = {}
        self.text = []
        self.first_meta_csp = None
        self.metas = 0
        self.h1 = None
        self.in_h1 = False
        self.links = []

    def handle_starttag(self, tag, attrs):
        self.tags[tag] = self.tags.get(tag, 0) + 1
        a = dict(attrs)
        if tag in LOADS:
            self.errors.append(f"<{tag}> element")
        for k, v in attrs:
            if k.startswith("on"):
                self.errors.append(f"<{tag} {k}=...> event handler attribute")
            if k in ("src", "srcset", "poster", "background", "data", "action", "formaction",
                     "xlink:href", "ping", "lowsrc", "dynsrc"):
                if not (tag == "img" and k == "src" and re.fullmatch(
                        r"data:image/png;base64,[A-Za-z0-9+/=]+", v or "")):
                    self.errors.append(f"<{tag} {k}={v!r}> loads something")
            if k == "href":
                if tag != "a" or not ATTACK.match(v or ""):
                    self.errors.append(f"<{tag} href={v!r}>: a link other than ATT&CK")
                else:
                    self.links.append(v)
            if k == "style" and ("url(" in (v or "") or "@import" in (v or "")):
                self.errors.append(f"<{tag} style={v!r}> loads something")
        if tag == "meta":
            self.metas += 1
            if a.get("http-equiv", "").lower() == "refresh":
                self.errors.append("<meta http-equiv=refresh>")
            if a.get("http-equiv", "").lower() == "content-security-policy" and self.metas <= 2:
                self.first_meta_csp = a.get("content")
        if tag == "h1" and self.h1 is None:
            self.in_h1 = True
            self.h1 = ""

    def handle_endtag(self, tag):
        if tag == "h1":
            self.in_h1 = False

    def handle_data(self, data):
        self.text.append(data)
        if self.in_h1:
            self.h1 += data

    def handle_comment(self, data):
        self.errors.append("comment in the page")


def parse(path):
    with open(path, encoding="utf-8", errors="strict") as f:
        src = f.read()
    p = Page()
    p.feed(src)
    p.close()
    return p, src


def norm(text):
    return " ".join("".join(text).split())


def main():
    fails = []
    if sys.argv[1] == "check":
        p, src = parse(sys.argv[2])
        fails += p.errors
        if p.first_meta_csp != CSP:
            fails.append(f"CSP meta: {p.first_meta_csp!r}")
        if "style" in src.split("</style>")[0] and re.search(r"url\(|@import", src.split("</style>")[0]):
            fails.append("the style sheet loads something")
        args = sys.argv[3:]
        want_verdict = None
        for i in range(0, len(args), 2):
            kind, s = args[i], args[i + 1]
            if kind == "--text" and s not in "".join(p.text):
                fails.append(f"text {s!r} not in the page")
            if kind == "--raw" and s not in src:
                fails.append(f"source {s!r} not in the page")
            if kind == "--no-raw" and s in src:
                fails.append(f"source {s!r} in the page")
            if kind == "--verdict":
                want_verdict = s
            if kind == "--link" and not any(s in link for link in p.links):
                fails.append(f"no ATT&CK link to {s}")
        if want_verdict and (p.h1 or "").strip() != want_verdict:
            fails.append(f"first heading {p.h1!r}, expected {want_verdict!r}")
    elif sys.argv[1] == "same-dom":
        a, _ = parse(sys.argv[2])
        b, _ = parse(sys.argv[3])
        ta = {k: v for k, v in a.tags.items() if k not in IMPLIED}
        tb = {k: v for k, v in b.tags.items() if k not in IMPLIED}
        if ta != tb:
            fails.append(f"elements differ: static {sorted(ta.items())}, loaded {sorted(tb.items())}")
        if norm(a.text) != norm(b.text):
            fails.append("text differs: "
                         f"static {norm(a.text)[:200]!r}..., loaded {norm(b.text)[:200]!r}...")
    for f in fails:
        print(f)
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
