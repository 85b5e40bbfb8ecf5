// Scripts whose structure is anomalous and that reach an execution sink: the measurement the
// academic detectors of malicious JavaScript make (Zozzle, Cujo, JaSt, JStap: how much of the
// text is literals, how random its names and its longest literal are, how its strings are
// glued and indexed), taken in C in one pass over a script or the <script> bodies of a page
// (src/analysis/jsshape.c, the js_* variables of rules/README.md), and paired with what the
// script does with it: eval/Function/setTimeout of a string, document.write or an injected
// script/iframe, or the objects of Windows Script Host. Structure alone is not enough
// (obfuscated and minified libraries are not droppers) and a sink alone is not either (every
// framework writes HTML); the two together are rare in benign code. The normalised scan sees
// the structure of the raw text with the sinks the normaliser revealed (each js_* the larger of
// the two).
// The thresholds were set on 25,000 benign scripts and pages (this machine's 8,301 installed
// .js, 9,985 .js of 69 npm packages including minified bundles, packed scripts, ad, analytics,
// tag-manager and consent tags, WSH admin scripts from GitHub, real sites' pages) so that each
// rule passes at most 1 in 2,000 of them.
// airlock-scope: page

// The anomalies. Each alone, with a sink, passes fewer than 1 in 4,000 of those benign scripts.
private rule jsshape_anomalous_strong
{
    condition:
        js_bytes >= 200 and (
        // names no person writes (KWlqCKLfCV, a1234): at least 15% of the names
        (js_identifiers >= 20 and js_generated_ids_pm >= 150) or
        // literals glued in place ("Act" + "iveX" ...): at least one per 20 names
        (js_concat_strings >= 20 and js_concat_strings * 1000 >= js_identifiers * 50) or
        // a sink or decoder named by a string in brackets: window["eval"], s["fromCharCode"]
        // (not in javascript-obfuscator's output, whose own decoder reads them so: what the
        // normaliser reveals of it is judged instead, and obfuscated libraries are not droppers)
        (js_hidden_names >= 1 and js_hex_ids_pm < 50) or
        // character codes written out: a fifth of the text numbers in lists, and a decoder
        (js_number_pm >= 200 and js_decoders >= 1))
}

private rule jsshape_anomalous
{
    condition:
        jsshape_anomalous_strong or (js_bytes >= 200 and (
        // properties read by strings (o["Run"], this["ev" + "al"]): one per 50 names, but not
        // as javascript-obfuscator writes every member
        (js_bracket_strings >= 5 and js_bracket_strings * 1000 >= js_identifiers * 20 and
         js_hex_ids_pm < 50) or
        // most of the text a literal of 500 bytes or more, decoded two different ways, in a
        // script of few names (not a library's bundle of templates or font tables) and not
        // Dean Edwards' packer (its literal and eval are its own; the normaliser unpacks it)
        (js_string_pm >= 800 and js_longest_literal >= 500 and js_decoder_kinds >= 2 and
         js_identifiers < 2000 and js_packed == 0)))
}

// Also one long line that is mostly literal, decoded: too common in minified templates and
// math libraries to stand for an anomaly beside eval, but not beside Windows Script Host; in a
// script of few names (the droppers it reaches have under 400; a syntax highlighter's keyword
// tables, which name WSH objects among their words, have thousands).
private rule jsshape_anomalous_wsh
{
    condition:
        jsshape_anomalous or
        (js_max_line >= 5000 and js_string_pm >= 700 and js_decoders >= 1 and js_packed == 0 and
         js_identifiers < 2000)
}

// Not an ASP page (web_language 2: <% or runat=server): classic ASP's own objects (Server,
// Scripting.FileSystemObject, ADODB.Stream) under an ASP obfuscator's generated names
// (OO00OO0O...) are a server page, which the web shell rules judge, not a WSH dropper.
rule jsshape_obfuscated_wsh
{
    meta:
        severity = "high"
        attack = "T1059.007,T1027"
        description = "an obfuscated script (generated names, glued or indexed strings, encoded literals) that uses Windows Script Host objects (WScript, WScript.Shell, ADODB.Stream, Shell.Application, the file system): a JScript dropper"
    condition:
        file_type == "script" and js_sink_wsh >= 1 and jsshape_anomalous_wsh and
        web_language != 2
}

rule jsshape_obfuscated_activex
{
    meta:
        severity = "medium"
        attack = "T1059.007,T1027"
        description = "a script with generated names, glued literals, hidden names or written-out character codes that creates ActiveX objects (ActiveXObject, MSXML2/WinHttp requests)"
    condition:
        file_type == "script" and js_sink_activex >= 1 and js_sink_wsh == 0 and
        jsshape_anomalous_strong
}

// An HTML application runs in mshta, not in a browser a site reached: a mail attachment or a
// download, whose window.close() names the browser's window all the same.
private rule jsshape_hta
{
    strings:
        $tag = "<hta:application" nocase
    condition:
        $tag or filename matches /\.hta$/i
}

// jsshape_obfuscated_activex in a script that names the browser (document, window, navigator):
// ActiveX objects made by an obfuscated page script are a landing page's plugin checks and
// control exploits, or a loader injected into a site's library, not a WSH dropper (no
// document, no window; js_sink_wsh is 0 here anyway) nor an HTML application (mshta). A note
// of the id beside the finding: info severity, so the verdict stays the base rule's.
rule jsshape_obfuscated_activex_browser
{
    meta:
        severity = "info"
        attack = "T1189"
        description = "the obfuscated script that creates ActiveX objects is a browser's (it names document, window or navigator): a landing page's plugin checks or a compromised site's injected loader"
    condition:
        jsshape_obfuscated_activex and js_browser_names >= 1 and not jsshape_hta
}

rule jsshape_obfuscated_eval
{
    meta:
        severity = "medium"
        attack = "T1059.007,T1027"
        description = "an obfuscated script (generated names, glued or indexed strings, encoded literals) that runs text it built with eval, Function or setTimeout"
    condition:
        file_type == "script" and js_sink_eval >= 1 and js_sink_wsh == 0 and
        js_browser_names == 0 and jsshape_anomalous
}

// What jsshape_obfuscated_eval's script runs, once the normaliser has decoded it (the scan of
// the normalised text, where eval's literal is written out, lower-cased when it was built from
// character codes): a script or iframe element made and given a source, a script or iframe tag
// written into the page, the page sent elsewhere, or a plugin's <object> or <embed> (Flash,
// Java, Silverlight: a landing page's exploit) written into it. That is a compromised site's
// injection or a kit's landing page (the browser names are in the decoded text only, so jsshape_obfuscated_browser_eval does
// not see them), not a WSH dropper (js_sink_wsh is 0), a Node script (it has no page) nor an
// HTML application. A note of the id beside the finding: info severity, so the verdict stays
// the base rule's.
rule jsshape_obfuscated_eval_page_injection
{
    meta:
        severity = "info"
        attack = "T1189"
        description = "the obfuscated script that runs what it built decodes to code that writes a script, iframe or plugin object into the page or sends the browser elsewhere: an injection into a compromised site's script or a landing page's exploit"
    strings:
        $inject = /createElement\s*\(\s*["'](script|iframe)["']/ nocase
        $write = /document\s*\.\s*write(ln)?\s*\(\s*["']\s*<\s*(script|iframe)/ nocase
        $redirect = /location\s*\.\s*(replace|assign)\s*\(|\.\s*location(\s*\.\s*href)?\s*=[^=]|window\s*\.\s*open\s*\(/ nocase
        // two strings, each led by its whole tag name: one string led by the alternation (or by
        // "<\s*") leaves YARA a poor atom, and it cost a quarter more YARA time on script text
        $plugin_object = /<object[^>]{0,300}(classid|x-shockwave-flash|\.swf|x-java-applet|x-silverlight)/ nocase
        $plugin_embed = /<embed[^>]{0,300}(classid|x-shockwave-flash|\.swf|x-java-applet|x-silverlight)/ nocase
    condition:
        jsshape_obfuscated_eval and not jsshape_hta and any of ($inject, $write, $redirect, $plugin_*)
}

// The same in a script that names the browser (document, window, navigator): a landing page's
// or an injected gate's script, kept apart from its page or emitted by the kit's PHP.
rule jsshape_obfuscated_browser_eval
{
    meta:
        severity = "medium"
        attack = "T1189,T1059.007,T1027"
        description = "an obfuscated browser script (generated names, glued or indexed strings, encoded literals) that runs text it built with eval, Function or setTimeout: an exploit-kit landing page's or an injected gate's script"
    condition:
        file_type == "script" and js_sink_eval >= 1 and js_sink_wsh == 0 and
        js_browser_names >= 1 and jsshape_anomalous
}

// Pages: the scripts of a landing page or of a page an injection reached. ActiveXObject in a
// page is old browser code as often as an exploit, so it is a sink here only beside the
// strong anomalies.
rule jsshape_obfuscated_page_script
{
    meta:
        severity = "high"
        attack = "T1189,T1027"
        description = "a page whose scripts have generated names, glued literals, hidden names or written-out character codes and run or write what they build (eval, document.write, an injected script or iframe, a redirect, ActiveX): an exploit-kit landing page or an injected gate"
    condition:
        file_type != "script" and jsshape_anomalous_strong and
        (js_sink_eval + js_sink_write + js_sink_inject + js_sink_redirect + js_sink_activex +
         js_sink_wsh >= 1)
}

// Scripts saved alone (an injected .js, a landing page's script kept apart from its markup)
// that write a page, inject a script or iframe or redirect, without eval or WSH objects.
rule jsshape_obfuscated_injector
{
    meta:
        severity = "medium"
        attack = "T1189,T1027"
        description = "a script with generated names, glued literals, hidden names or written-out character codes that writes into the page, injects a script or iframe or redirects: an injected gate or a landing page's script"
    condition:
        file_type == "script" and js_sink_eval == 0 and js_sink_wsh == 0 and
        js_sink_write + js_sink_inject + js_sink_redirect >= 1 and jsshape_anomalous_strong
}

// Code injected into a library is appended or prepended as a line of its own, and the shares of
// the whole file dilute it: the most anomalous line of 200 bytes or more that reaches a sink
// (pageshape_script_lines(): the jsb_* variables of a script that is not markup, whose
// page_blocks is 0), under half the file and 64 KiB, with one of the strong anomalies, a
// decoder and a sink that runs, writes or injects, in a browser's script (a Windows Script Host
// dropper that runs a decoded line is no injection). Of 17,900 benign scripts (installed, npm
// bundles, WSH admin scripts) 130 have such a line with a sink, and none of those an anomaly.
rule jsshape_injected_obfuscated_line
{
    meta:
        severity = "high"
        attack = "T1189,T1027"
        description = "a script with one line, under half of it, that has generated names, glued literals, hidden sink names or written-out character codes and decodes and runs, writes or injects what it builds: code injected into a site's script"
    condition:
        file_type == "script" and page_blocks == 0 and js_sink_wsh == 0 and
        js_browser_names >= 1 and jsb_bytes >= 200 and
        jsb_bytes < 65536 and js_bytes >= jsb_bytes * 2 and jsb_packed == 0 and
        jsb_decoders >= 1 and jsb_sink_eval + jsb_sink_write + jsb_sink_inject >= 1 and (
        (jsb_identifiers >= 20 and jsb_generated_ids_pm >= 150) or
        (jsb_concat_strings >= 20 and jsb_concat_strings * 1000 >= jsb_identifiers * 50) or
        (jsb_hidden_names >= 1 and jsb_hex_ids_pm < 50) or
        (jsb_number_pm >= 200 and jsb_decoders >= 1))
}

// (pageshape_script_edges(): the page_edge_* variables.) A script whose first or last line,
// the last statement of a long last line, or the code after its sourceMappingURL comment, is
// obfuscated (javascript-obfuscator's names where the file has none, a long hex or base64
// literal, or written-out character codes with a decoder, twice as dense as in the file) and
// runs, writes or injects, or calls a member of document or window that it computes, while
// the rest of the file is at least three times as long: code appended or prepended to a
// site's library. None of 21,250 real scripts (installed, npm packages, the earlier rounds'
// benign sets) has such an edge.
// The finding says obfuscation (T1027); the drive-by's id is pageshape_script_obfuscated_edge_page's
// note, given only when the script is one a page would load.
rule pageshape_script_obfuscated_edge
{
    meta:
        severity = "high"
        attack = "T1027"
        description = "a script whose first or last line, or the code after its sourceMappingURL comment, is obfuscated and runs, writes or injects what it builds while the rest of the file is ordinary: code appended to a compromised site's library"
    condition:
        page_edge_bytes >= 100 and page_edge_sinks >= 1 and js_bytes >= page_edge_bytes * 4 and (
        (page_edge_hex_ids_pm >= 300 and js_hex_ids_pm < 50) or page_edge_encoded >= 100 or
        (page_edge_number_pm >= 200 and page_edge_decoders >= 1 and
         js_number_pm * 2 < page_edge_number_pm))
}

// A script run by Node.js, not loaded by a page: a #! line, a core module required (fs,
// child_process, os, path...), process.argv or __dirname, or module.exports assigned without
// the typeof module/exports test or define.amd of a library that also runs in a browser
// (jQuery's, underscore's and every UMD wrapper's).
private rule pageshape_node_script
{
    strings:
        $core = /require\s*\(\s*["'](node:)?(fs|child_process|os|path|net|http|https|crypto|util|vm|readline|zlib|dns|cluster)["']\s*\)/
        $argv = "process.argv"
        $dirname = "__dirname"
        $exports = "module.exports"
        $umd_module = "typeof module"
        $umd_exports = "typeof exports"
        $amd = "define.amd"
    condition:
        uint16(0) == 0x2123 or $core or $argv or $dirname or
        ($exports and not $umd_module and not $umd_exports and not $amd)
}

// pageshape_script_obfuscated_edge in a script a page would load (not a Node.js one): code
// appended to a compromised site's library. A note of the id beside the finding: info
// severity, so the verdict stays the base rule's.
rule pageshape_script_obfuscated_edge_page
{
    meta:
        severity = "info"
        attack = "T1189"
        description = "the script with the obfuscated edge is one a page loads (no #! line, no Node.js module or core module required): code appended to a compromised site's library"
    condition:
        pageshape_script_obfuscated_edge and not pageshape_node_script
}

// (pageshape_script_injections(): page_decoded_injections and page_shifted_lists of a script
// that is not a page, page_blocks 0.) The injected .js that a compromised page loads, kept
// apart from its page, shows what pageshape_decoded_injection looks for in a page's blocks:
// one encoded literal decoded and run or written whose code makes a script or frame from an
// address or redirects. Not a Node.js script (pageshape_node_script: it has no page to inject
// into).
rule jsshape_script_decoded_injection
{
    meta:
        severity = "high"
        attack = "T1189,T1027"
        description = "a script that decodes one encoded literal (atob, unescape, fromCharCode) and runs or writes it, and the decoded code makes or writes a script or iframe from another address or sends the browser elsewhere: a loader injected into a compromised site"
    condition:
        file_type == "script" and page_blocks == 0 and page_decoded_injections >= 1 and
        not pageshape_node_script
}

// A list of 32 numbers or more that one constant, taken from each, turns into code that
// writes, makes or runs a script, frame or redirect of the page (document.write,
// createElement, location, eval of text decoded again), in a script or page that names
// fromCharCode: the loader of a compromised site that keeps its code as character codes moved
// by a key (["116", "127", ...][i] - 16; parseInt(a[i], 8) - 4). Data tables (fonts, S-boxes,
// palettes) span more than printable text or decode to no such code. In pages and scripts.
rule jsshape_shifted_charcode_loader
{
    meta:
        severity = "high"
        attack = "T1189,T1027"
        description = "a list of character codes, each moved by one constant, that decodes to code writing or making a script, iframe or redirect in the page: a loader injected into a compromised site that hides its code as shifted numbers"
    condition:
        page_shifted_lists >= 1 and not pageshape_node_script
}
