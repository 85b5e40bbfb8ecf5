// HTML and SVG smuggling: a payload carried encoded inside a page or an image and turned
// back into a file by script in the browser (T1027.006, T1027.017).
// encoded_* are measured by airlock in C (rules/README.md).
// Every rule here needs airlock_is_html or airlock_is_svg: airlock scans these rules over HTML
// and SVG only (rules/README.md, scopes).
// airlock-scope: markup

// An SVG image: markup from its first byte (a UTF-8 byte order mark or white space may come
// first), <svg in the first 4 KiB, and no <html or <!doctype html before it (an HTML page with
// inline SVG icons is a page; an editor's syntax file or a magic database that names <svg is
// no image; nor is a PHP template that opens with <?php and draws an icon: WordPress's
// site-health.php, CodeIgniter's debug toolbar).
private rule airlock_is_svg
{
    strings:
        $svg = "<svg" nocase
        $doctype = "<!doctype html" nocase
        $html = "<html" nocase
    condition:
        (uint8(0) == 0x3C or uint8(0) == 0x20 or uint8(0) == 0x09 or uint8(0) == 0x0A or
         uint8(0) == 0x0D or uint32(0) & 0xFFFFFF == 0xBFBBEF) and
        $svg in (0..4096) and not $doctype in (0..@svg[1]) and not $html in (0..@svg[1]) and
        not uint32(0) | 0x20200000 == 0x68703F3C
}

// A page opens with a tag (after white space or a byte order mark), or names <html or
// <!doctype html in its first KiB; a text that opens with code is a script, whatever markup its
// strings hold: a site's bundle that carries a PDF viewer's or a file saver's Blob,
// createObjectURL and download beside its fonts in base64 and a "<script" in a template
// (12 of 1,996 real sites' scripts of the training side of
// ZZN0508/JavaScript_Datasets' goodjs, none after; issue 16).
private rule airlock_is_html
{
    strings:
        $doctype = "<!doctype html" nocase
        $html = "<html" nocase
        $script = "<script" nocase
        $body = "<body" nocase
    // not a program, and not a zip or tar archive whose stored members put the words of
    // several files side by side (each member is scanned on its own)
    condition:
        any of ($doctype, $html, $script, $body) and
        (uint8(0) == 0x3C or uint8(0) == 0x20 or uint8(0) == 0x09 or uint8(0) == 0x0A or
         uint8(0) == 0x0D or uint32(0) & 0xFFFFFF == 0xBFBBEF or $doctype in (0..1024) or
         $html in (0..1024)) and
        not uint32(0) == 0x464c457f and not uint16(0) == 0x5a4d and
        not uint32(0) == 0x04034b50 and not uint32(257) == 0x61747375 and
        not airlock_is_svg
}


// Large, and a sizeable part of the page (a twentieth) unless very large: a 76 MB data file
// or an 8 MB manual holds a few kilobytes of ids and keys, a smuggling page is its payload.
private rule airlock_large_encoded
{
    condition:
        (encoded_b64 >= 2048 and (encoded_b64 * 20 >= filesize or encoded_b64 >= 65536)) or
        encoded_numbers >= 512 or encoded_escapes >= 512
}

private rule airlock_js_decoder
{
    strings:
        $atob = "atob"
        $fcc = "fromCharCode"
        $cca = "charCodeAt"
        $u8 = "Uint8Array"
        $pi = /parseInt\([^)]{1,60},\s*16\)/
        $duc = "decodeURIComponent"
        $unesc = "unescape("
        $split = /\.split\(\s*['"]{2}\s*\)\.reverse\(\)/
    condition:
        any of them
}

private rule airlock_js_file_sink
{
    strings:
        $blob = "Blob"
        $cou = "createObjectURL"
        $ms1 = "msSaveOrOpenBlob"
        $ms2 = "msSaveBlob"
        $datauri = /data:application\/[a-z0-9.+-]{2,60};base64,/ nocase
    condition:
        any of them
}

// The save: a download attribute, IE's msSaveOrOpenBlob, the page sent to the object URL, or
// the object URL given to an element's href within 512 bytes of making it (a link whose
// "download" and "click" the page spells in character codes, as eddiechu/File-Smuggling's
// pages do, still gets its href in clear).
private rule airlock_js_save
{
    strings:
        $dl = "download"
        $ms1 = "msSaveOrOpenBlob"
        $ms2 = "msSaveBlob"
        $loc1 = "location.href"
        $loc2 = "location.assign"
        $loc3 = "location.replace"
        $open = "window.open("
        $cou = "createObjectURL"
        $href = /\.href\s*=[^=]/
    condition:
        any of ($dl, $ms1, $ms2, $loc1, $loc2, $loc3, $open) or
        (#cou < 64 and for any i in (1..#cou): (for any j in (1..#href): (@href[j] > @cou[i] and @href[j] < @cou[i] + 512)))
}

rule html_smuggling
{
    meta:
        severity = "high"
        attack = "T1027.006"
        description = "HTML smuggling: a large encoded payload decoded by script and saved as a file (Blob, createObjectURL, msSaveOrOpenBlob, download)"
    condition:
        airlock_is_html and airlock_large_encoded and
        airlock_js_decoder and airlock_js_file_sink and airlock_js_save
}

rule html_smuggling_file_header
{
    meta:
        severity = "critical"
        attack = "T1027.006"
        description = "HTML smuggling: the encoded string in the page decodes to a known file header (program, archive, Office, PDF, disk image)"
    condition:
        airlock_is_html and encoded_header == 1 and airlock_large_encoded and
        (airlock_js_file_sink or airlock_js_save)
}

rule html_smuggling_small_payload
{
    meta:
        severity = "medium"
        attack = "T1027.006"
        description = "HTML smuggling pattern with a payload too small for the size test (a script, shortcut or HTA fits in a few hundred bytes): script decodes a string, wraps it in a Blob and clicks a download link"
    strings:
        $click = ".click()"
        $dispatch = "dispatchEvent"
        $dlattr = /\.download\s*=|setAttribute\(\s*["']download["']/
    condition:
        airlock_is_html and not airlock_large_encoded and airlock_js_decoder and
        (airlock_js_file_sink) and $dlattr and ($click or $dispatch)
}

rule html_smuggling_data_uri_download
{
    meta:
        severity = "high"
        attack = "T1027.006"
        description = "HTML smuggling: a link with a download attribute whose target is an embedded application/* data URI"
    strings:
        $link = /<a\s[^>]{0,200}\bdownload\b/ nocase
        $data = /href\s*=\s*["']?data:application\/[a-z0-9.+-]{2,60};base64,/ nocase
    condition:
        airlock_is_html and $link and $data
}

rule html_smuggling_scripted_click
{
    meta:
        severity = "medium"
        attack = "T1027.006"
        description = "a page with a large encoded string that makes a link with a download attribute and clicks it by script"
    strings:
        $click = ".click()"
        $dispatch = "dispatchEvent"
        $dl = "download"
    condition:
        airlock_is_html and airlock_large_encoded and $dl and ($click or $dispatch)
}

rule html_encoded_script_loader
{
    meta:
        severity = "medium"
        attack = "T1027"
        description = "a page that decodes a large encoded string and runs it as script"
    strings:
        $eval = /eval\s*\(\s*(atob|unescape|decodeURIComponent|String\.fromCharCode)/
        $fn = /new\s+Function\s*\(\s*(atob|unescape|decodeURIComponent)/
        $dw = /document\.write\s*\(\s*(atob|unescape|decodeURIComponent)/
    condition:
        airlock_is_html and airlock_large_encoded and any of them
}

rule svg_active_content
{
    meta:
        severity = "medium"
        attack = "T1027.017"
        description = "an SVG image with script, event handlers or embedded HTML (foreignObject)"
    strings:
        $script = "<script" nocase
        $on = /<[a-zA-Z:]{1,20}\s[^>]{0,400}\son[a-z]{3,20}\s*=\s*["']/ nocase
        $fo = "<foreignObject" nocase
    condition:
        airlock_is_svg and any of them
}

rule svg_smuggling
{
    meta:
        severity = "high"
        attack = "T1027.017"
        description = "SVG smuggling: script in an SVG image decodes data into a file or moves the browser"
    strings:
        $script = "<script" nocase
        $on = /\son[a-z]{3,20}\s*=\s*["']/ nocase
    condition:
        airlock_is_svg and ($script or $on) and
        ((airlock_js_decoder and (airlock_js_file_sink or airlock_js_save)) or
         (airlock_large_encoded and airlock_js_decoder))
}

rule svg_script_link
{
    meta:
        severity = "high"
        attack = "T1027.017"
        description = "an SVG image with a javascript: or data: link"
    strings:
        $js = /href\s*=\s*["']\s*javascript:/ nocase
        $data = /href\s*=\s*["']\s*data:(text\/html|application\/)/ nocase
    condition:
        airlock_is_svg and any of them
}

rule svg_embedded_html_form
{
    meta:
        severity = "high"
        attack = "T1027.017,T1566.001"
        description = "an SVG image that embeds an HTML form, frame or object (credential phishing or payload)"
    strings:
        $fo = "<foreignObject" nocase
        $form = "<form" nocase
        $iframe = "<iframe" nocase
        $embed = "<embed" nocase
        $object = "<object" nocase
        $input = "<input" nocase
    condition:
        airlock_is_svg and $fo and any of ($form, $iframe, $embed, $object, $input)
}

rule svg_smuggling_file_header
{
    meta:
        severity = "critical"
        attack = "T1027.017"
        description = "SVG smuggling: script in an SVG image carries an encoded string that decodes to a known file header"
    strings:
        $script = "<script" nocase
        $on = /\son[a-z]{3,20}\s*=\s*["']/ nocase
    condition:
        airlock_is_svg and ($script or $on) and encoded_header == 1 and airlock_large_encoded
}

// The sinks themselves encrypted (EmbedInHTML and its kin): the page's script carries an RC4
// key schedule that decrypts base64 strings, and a large encoded payload for it.
rule html_smuggling_encrypted
{
    meta:
        severity = "high"
        attack = "T1027.006,T1027"
        description = "HTML smuggling with the payload and the names of its sinks encrypted: an RC4 decryptor in the page's script over large base64 data"
    strings:
        $ksa = /\(\s*[a-z_$][a-z0-9_$]*\s*\+\s*[a-z_$][a-z0-9_$]*\s*\[\s*[a-z_$][a-z0-9_$]*\s*\]\s*\+\s*[a-z_$][a-z0-9_$]*\.charCodeAt\s*\(\s*[a-z_$][a-z0-9_$]*\s*%\s*[a-z_$][a-z0-9_$]*\.length\s*\)\s*\)\s*%\s*256/ nocase
        $atob = /\batob\s*\(/
    condition:
        airlock_is_html and airlock_large_encoded and $ksa and $atob
}
