// Scripts injected into compromised sites that send visitors on to an exploit kit, a fake
// update or a scam (T1189 drive-by compromise): code appended to a library or a page that
// builds an address the page does not show in clear and redirects to it, loads it as a script
// or runs what it returns, guarded so that it fires once per visitor.
// These rules read .js files as well as pages, so the file has no scope: every string here is
// anchored on a literal that ordinary text rarely holds (fromCharCode, "undefined").

// An address written as character codes or hex escapes that start with "http" or "//", as
// base64 of "http(s)://", spelt backwards ("moc.elpmaxe//:ptth", turned round by
// split("").reverse().join("")), or a <script ... src= tag written wholly in hex escapes
// ($enc), and close to it (2 KiB either way) the place it goes ($sink): the page's location,
// a script or iframe element made here (its tag name also written as character codes), a src
// attribute or setAttribute("src"), document.write (also called by its name in hex escapes,
// document["\x77\x72\x69\x74\x65"]). Libraries and analytics tags write their URLs in clear;
// a site that hides one link's address in character codes does not also load or redirect to
// it beside it.
rule driveby_encoded_url_redirect
{
    meta:
        severity = "high"
        attack = "T1189,T1027"
        description = "a script that builds a URL from character codes, hex escapes or base64 and sends the browser there (location, an injected script or iframe, document.write): a compromised site's redirect to a malicious page"
    strings:
        $enc = /fromCharCode\s*\(\s*(104\s*,\s*116\s*,\s*116\s*,\s*112|47\s*,\s*47\s*,\s*[0-9]{2,3})\s*,|["']\\x68\\x74\\x74\\x70(\\x73)?\\x3a\\x2f\\x2f|atob\s*\(\s*["']aHR0cH?M?6Ly|["']\\x3c\\x(53|73)\\x(43|63)\\x(52|72)\\x(49|69)\\x(50|70)\\x(54|74)[^"'\r\n]{0,200}\\x(53|73)\\x(52|72)\\x(43|63)\\x3d|["'][a-zA-Z0-9_.?=&\/-]{4,300}\/\/:s?ptth["']/
        $sink = /location\s*\.\s*(replace|assign)\s*\(|location(\s*\.\s*href)?\s*=[^=]|createElement\s*\(\s*(["'](script|iframe)["']|String\.fromCharCode\s*\(\s*(115\s*,\s*99\s*,\s*114|105\s*,\s*102\s*,\s*114))|\.src\s*=[^=]|document\s*\.\s*write(ln)?\s*\(|\[\s*["']\\x77\\x72\\x69\\x74\\x65(\\x6c\\x6e)?["']\s*\]\s*\(|setAttribute\s*\(\s*["']src["']/
    condition:
        filesize < 8MB and #enc < 64 and
        for any i in (1..#enc): (for any j in (1..#sink): (@sink[j] + 2048 > @enc[i] and @sink[j] < @enc[i] + 2048))
}

// NDSW/NDSX and its kin, appended to a site's jQuery or plugin scripts: a once-only flag
// ("if the global is undefined, define it as true") around a small XMLHttpRequest wrapper that
// fetches a script from the attacker's server, passing the page's host and a random token, and
// runs what comes back unless the visitor already carries a cookie or came from the site
// itself. The strings are hidden behind an obfuscator's string table; the guard and the flag
// are not.
rule driveby_once_flag_loader
{
    meta:
        severity = "high"
        attack = "T1189,T1059.007"
        description = "a script appended after a library's end that defines a once-only global flag beside an XMLHttpRequest wrapper and runs the server's answer: an injected loader on a compromised site (NDSW/NDSX class)"
    strings:
        $guard = /;\s*if\s*\(\s*(typeof\s+)?[A-Za-z_$][A-Za-z0-9_$]{1,10}\s*===?\s*["']?undefined["']?\s*\)\s*\{\s*(function\s+[A-Za-z_$][A-Za-z0-9_$]{0,10}\s*\(|\(\s*function\s*\(|var\s)/
        $flag = /var\s+[A-Za-z_$][A-Za-z0-9_$]{1,10}\s*=\s*(true|!0|!!\[\])\s*,\s*[A-Za-z_$][A-Za-z0-9_$]{1,15}\s*=\s*function\s*\(\s*\)\s*\{/
    condition:
        filesize < 8MB and
        for any i in (1..#guard): (@guard[i] + 16384 > filesize) and
        for any i in (1..#flag): (@flag[i] + 16384 > filesize)
}

// The "once per visitor, never to a search engine" gate of injected redirects (the
// _mauthtoken mobile redirect, Pseudo-Darkleech, EITest gates): within a few KiB, a test that
// the visitor lacks a cookie, a test that the user agent is not a crawler (Googlebot, "bot"),
// a cookie set with an expiry so that the next visit is spared, and the redirect or the
// injected script itself. Consent banners and A/B tests set cookies and may redirect, but do
// not hide from crawlers; hiding from crawlers is what keeps the injection off blacklists.
rule driveby_cloaked_cookie_gate
{
    meta:
        severity = "high"
        attack = "T1189"
        description = "a script that redirects a visitor or injects a script only when a cookie is missing and the user agent is not a search engine's crawler, then sets the cookie: a compromised site's cloaked, once-only redirect"
    strings:
        $gate = /document\s*\.\s*cookie\s*\.\s*(indexOf\s*\(|match\s*\(|search\s*\()/
        $set = /document\s*\.\s*cookie\s*=[^=][^\r\n]{0,160}expires/
        $bot = /indexOf\s*\(\s*["'](G|g)?ooglebot["']\s*\)|\/[a-z|]{0,40}(googlebot|bot|crawl|spider)[a-z|]{0,40}\/i?\s*\.\s*test\s*\(/
        $sink = /location\s*\.\s*(replace|assign)\s*\(|location(\s*\.\s*href)?\s*=[^=]|createElement\s*\(\s*["'](script|iframe)["']\s*\)/
    condition:
        filesize < 8MB and #gate < 64 and
        for any i in (1..#gate): (
            (for any j in (1..#set): (@set[j] + 6144 > @gate[i] and @set[j] < @gate[i] + 6144)) and
            (for any j in (1..#bot): (@bot[j] + 6144 > @gate[i] and @bot[j] < @gate[i] + 6144)) and
            (for any j in (1..#sink): (@sink[j] + 6144 > @gate[i] and @sink[j] < @gate[i] + 6144)))
}

// A script that moves every character code of a string by a constant in a loop
// (s.charCodeAt(i) - 1), turns the result back into text and, within 1 KiB, writes it into the
// page or runs it: how EITest-era injections and their copies hide the tag they add
// ("=tdsjqu!tsd>..." is "<script src=..." moved by one). Libraries move one character at a
// time (Prototype's String#succ reads this.length - 1, not a loop index); e-mail scramblers
// write a mailto: link, named as such.
rule driveby_shift_decoded_write
{
    meta:
        severity = "high"
        attack = "T1189,T1027"
        description = "a script that shifts every character code of a string by a constant, turns it back into text and writes it into the page or runs it (document.write, eval): an injected script hiding the tag or code it adds"
    strings:
        $shift = /fromCharCode\s*\(\s*[^;]{0,60}charCodeAt\s*\(\s*[a-zA-Z_$][\w$]{0,10}\s*\)\s*[-+]\s*(0x[0-9a-fA-F]{1,2}|[0-9]{1,3})\s*\)/
        $sink = /document\s*\.\s*write(ln)?\s*\(\s*[a-zA-Z_$][\w$]{0,20}\s*\)|[^.a-zA-Z0-9_$]eval\s*\(\s*[a-zA-Z_$][\w$]{0,20}\s*\)/
        $mailto = "mailto" nocase
        $enkoder = "hivelogic_enkoder"
    condition:
        filesize < 8MB and not $mailto and not $enkoder and #shift < 64 and
        for any i in (1..#shift): (for any j in (1..#sink): (@sink[j] > @shift[i] and @sink[j] < @shift[i] + 1024))
}

// The traffic-distribution injection of compromised sites (the "jquery.min.php?...&utm_term"
// campaigns and their kin): a script written into the page, or made, whose address carries
// what the page tells about the visit, the visitor's referrer beside the page's keywords
// (<meta name="keywords">) or title and its own address, behind a once-per-visitor cookie or a
// test of the referrer. Ad-server invocation tags send the referrer and the page's address
// but not its keywords or title; counters that send the title write an image, not a script.
rule driveby_referrer_keyword_script
{
    meta:
        severity = "high"
        attack = "T1189"
        description = "a script that writes a script or iframe whose address carries the visitor's referrer with the page's keywords or title and address, behind a once-per-visitor cookie or a referrer test: a compromised site's traffic-distribution injection"
    strings:
        $write = /document\s*\.\s*write(ln)?\s*\(\s*["']\s*<\s*(script|iframe)[^>]{0,80}src\s*=/ nocase
        $ref = /(encodeURIComponent|escape)\s*\(\s*document\s*\.\s*referrer\s*\)/
        $kw = /getElementsByTagName\s*\(\s*["']meta["']\s*\)[^;]{0,200};[^;]{0,200}keywords|document\s*\.\s*title/
        $loc = /(window|document)\s*\.\s*location(\s*\.\s*(host|hostname|href))?\s*[+),]/
        $gate = /document\s*\.\s*cookie|if\s*\(\s*document\s*\.\s*referrer/
    condition:
        filesize < 8MB and #write < 16 and
        for any i in (1..#write): (
            (for any j in (1..#ref): (@ref[j] > @write[i] and @ref[j] < @write[i] + 2048)) and
            (for any j in (1..#kw): (@kw[j] + 2048 > @write[i] and @kw[j] < @write[i] + 2048)) and
            (for any j in (1..#loc): (@loc[j] > @write[i] and @loc[j] < @write[i] + 2048)) and
            (for any j in (1..#gate): (@gate[j] + 4096 > @write[i] and @gate[j] < @write[i])))
}
