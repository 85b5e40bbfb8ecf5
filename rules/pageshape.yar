// Pages whose structure around their scripts is a drive-by's (src/analysis/pageshape.c, the
// page_* and jsb_* variables of rules/README.md): what the page-wide script measurements of
// jsshape.yar do not see.
// - An injected script is one small block among a site's own scripts: the page-wide shares of
//   generated names or glued literals dilute it, so the most anomalous block that reaches a
//   sink is also measured alone (jsb_*).
// - An exploit kit's landing page keeps its payload as an element's text (thousands of
//   characters of a hex, base64 or custom alphabet without a space) and reads it back from
//   script, decodes it and runs it: carrier, reader, decoder and sink together.
// - A compromised page carries its injection where the site's templates put nothing: before
//   its <html> or <!doctype, or after its </html>.
// - The iframe of a drive-by is a pixel or hidden by style, and points at a bare IP address
//   or an odd port.
// Thresholds set on 7,615 distinct benign pages and page-like files (this machine's installed
// HTML; 1,500 real sites' saved pages of mozilla/readability, postlight/parser,
// scrapinghub/article-extraction-benchmark and adbar/trafilatura, ad, analytics, consent and
// anti-adblock tags included; the benign sets of earlier rounds): none passes any rule here.
// Hidden iframes alone are no sign: 84 of those pages have one (ads, analytics, print frames).
// airlock-scope: markup

// The anomalies of jsshape.yar's jsshape_anomalous_strong, over one block of a page.
private rule pageshape_block_generated_names
{
    condition:
        jsb_identifiers >= 20 and jsb_generated_ids_pm >= 150
}

private rule pageshape_block_glued_literals
{
    condition:
        jsb_concat_strings >= 20 and jsb_concat_strings * 1000 >= jsb_identifiers * 50
}

private rule pageshape_block_hidden_names
{
    condition:
        jsb_hidden_names >= 1 and jsb_hex_ids_pm < 50
}

private rule pageshape_block_char_codes
{
    condition:
        jsb_number_pm >= 200 and jsb_decoders >= 1
}

// One block under 64 KiB (an injection, not a site's bundle) of a page that has other scripts,
// with two of those anomalies, a decoder and a sink that runs, writes or injects. One anomaly
// is not enough in a single block: e-mail cloakers, anti-spam forms with random suffixes and
// anti-adblock scripts each show one (1 in 200 real pages).
rule pageshape_injected_obfuscated_script
{
    meta:
        severity = "high"
        attack = "T1189,T1027"
        description = "a page among whose scripts one small block has two of generated names, glued literals, hidden sink names and written-out character codes, decodes and runs, writes or injects what it builds: a script injected into a compromised page"
    condition:
        page_blocks >= 2 and jsb_bytes >= 200 and jsb_bytes < 65536 and jsb_packed == 0 and
        jsb_decoders >= 1 and jsb_sink_eval + jsb_sink_write + jsb_sink_inject >= 1 and (
        (pageshape_block_generated_names and pageshape_block_glued_literals) or
        (pageshape_block_generated_names and pageshape_block_hidden_names) or
        (pageshape_block_generated_names and pageshape_block_char_codes) or
        (pageshape_block_glued_literals and pageshape_block_hidden_names) or
        (pageshape_block_glued_literals and pageshape_block_char_codes) or
        (pageshape_block_hidden_names and pageshape_block_char_codes))
}

// A carrier of 2,000 characters or more of at least 8 different ones (not a rule of dashes),
// a script that reads the page back, a decoder and a sink that runs or writes text. Real
// pages' longest element text without spaces that also read the page from script stays under
// 1,600 (long URLs, tokens shown as text).
rule pageshape_dom_payload_carrier
{
    meta:
        severity = "high"
        attack = "T1189,T1027"
        description = "a page that keeps a long encoded payload as an element's text and whose script reads the page back, decodes it and runs or writes it: an exploit kit's landing page"
    condition:
        page_carrier_run >= 2000 and page_carrier_alphabet >= 8 and page_dom_reads >= 1 and
        js_decoders >= 1 and js_sink_eval + js_sink_write + js_sink_inject + js_hidden_names >= 1
}

// Before <html> or after </html>: an iframe to the web, a script from a bare IP address or an
// odd port, or a script that decodes and runs, writes, injects or redirects.
rule pageshape_edge_injection
{
    meta:
        severity = "high"
        attack = "T1189"
        description = "a page with an iframe, a script from a bare IP address or a script that decodes and runs or writes text before its <html> or after its </html>: an injection into a compromised page"
    condition:
        page_edge_active >= 1
}

// A hidden iframe (a pixel, or hidden by style, outside <noscript>) and an iframe or script
// whose source is a public IP address or an odd port.
rule pageshape_hidden_iframe_odd_host
{
    meta:
        severity = "high"
        attack = "T1189"
        description = "a page with a hidden iframe (a pixel or hidden by style) and a frame or script loaded from a bare IP address or an odd port: a drive-by redirect of a compromised page"
    condition:
        page_hidden_iframes >= 1 and page_ip_sources >= 1
}

// Every frame of the page that loads from the web is hidden (a pixel, hidden by style, or
// inside an element hidden by style or placed off-screen), outside <noscript>, and carries
// nothing for its page's use: only a src without a query, a size, a style and borders (no id,
// name, class, title, allow...). The frames of ads, analytics and social widgets are named and
// carry their ids in a query; a saved page with a hidden ad frame has named frames beside it.
// 2 of 10,920 real pages pass (a safeframe container left alone in a saved page).
rule pageshape_bare_hidden_frame
{
    meta:
        severity = "high"
        attack = "T1189"
        description = "a page whose only web frames are hidden (a pixel, hidden by style or inside a hidden or off-screen element) and carry nothing but a source without a query and a size: an iframe injected into a compromised page"
    condition:
        page_bare_iframes >= 1 and page_bare_iframes == page_iframes
}

// A bare hidden frame (as above) to a host that the page names nowhere else: no script, link,
// image or other frame of the page mentions it. An injected frame leads to a host the site's
// own markup never names; the frames of ads and analytics share their host with the page's
// tags. A visible video embed beside the injected frame changes nothing here.
rule pageshape_lone_hidden_frame
{
    meta:
        severity = "high"
        attack = "T1189"
        description = "a page with a hidden frame that carries nothing but a source without a query and a size, to a host that the page names nowhere else: an iframe injected into a compromised page"
    condition:
        page_bare_lone_iframes >= 1
}

// One whole literal (a string, or a list of character codes) decoded by atob, unescape,
// decodeURIComponent or String.fromCharCode and run or written, whose decoded text makes or
// writes a <script> or <iframe> or sends the browser elsewhere, naming a web address or
// decoding once more: the lone loader injected into a compromised page (Balada's
// eval(String.fromCharCode(...))). The old analytics snippet joins its literal with a
// variable; e-mail cloakers write no script, frame or redirect.
rule pageshape_decoded_injection
{
    meta:
        severity = "high"
        attack = "T1189,T1027"
        description = "a page whose script decodes one encoded literal and runs or writes it, and the decoded code makes or writes a script or iframe from another address or sends the browser elsewhere: a loader injected into a compromised page"
    condition:
        page_decoded_injections >= 1
}
