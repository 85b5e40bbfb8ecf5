/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The structure of a web page around its scripts, measured in one bounded pass over the
 * markup: what the script measurements of analysis/jsshape.h do not see. An exploit kit's
 * landing page keeps its payload in an element's text and reads it back from script; a
 * compromised page carries one small injected script among the site's own (the page-wide
 * shares dilute it), a script or iframe before its <html> or after its </html>, an iframe of
 * a pixel or hidden by style, a script loaded from a bare IP address. */

#include <stddef.h>
#include <stdint.h>

#include "analysis/jsshape.h"

/* The bytes read: pages beyond are measured over their first 16 MiB only. */
#define PAGESHAPE_MAX_INPUT (16u << 20)

struct pageshape {
        int64_t blocks;           /* <script> bodies, on* handlers and javascript: URLs,
                                   * measured one by one */
        int64_t carrier_run;      /* bytes of the longest run of printable ASCII without white
                                   * space or '&' (text in entities) in an element's text,
                                   * outside script, style and comments: where landing pages
                                   * keep their payload */
        int64_t carrier_entropy;  /* Shannon entropy of that run, in hundredths of a bit */
        int64_t carrier_alphabet; /* distinct bytes in it */
        int64_t dom_reads;        /* names in script that read the page back: getElementById,
                                   * getElementsByTagName/ClassName, querySelector(All),
                                   * textContent, innerText, innerHTML, nodeValue, getAttribute,
                                   * childNodes, firstChild */
        int64_t edge_elements;    /* <script>/<iframe> elements before the first <html> or
                                   * <!doctype (of a page that has one) or after the last
                                   * </html> */
        int64_t edge_active;      /* those that are iframes with a web src, scripts from an
                                   * odd source (ip_sources), or scripts that decode and run,
                                   * write, inject or redirect */
        int64_t hidden_iframes;   /* iframes with a web src (in the markup or written in a
                                   * script's string), outside <noscript>, of width or height 0
                                   * or 1 or hidden by style (visibility:hidden, display:none,
                                   * left/top at -100 or less) */
        int64_t ip_sources;       /* <script>/<iframe> src to a public IPv4 address, or to a
                                   * named host on a port other than 80, 443, 8080, 8443 */

        /* hidden_iframes in the markup that carry only a src without a query (no ? ; =), a
         * size, a style and frame borders: no id, name, title, class, allow, sandbox, aria-* or
         * data-* (what a page's own or an ad's frame names, and an injected frame lacks) */
        int64_t bare_iframes;
        /* iframes with a web src in the markup, outside <noscript> */
        int64_t iframes;
        /* iframes with a web src in the markup hidden only by an element around them (a
         * <div>, <span>, <p>, <td>... hidden by style or placed off-screen, its end looked for
         * within 16 KiB), outside <noscript>; they count in hidden_iframes too */
        int64_t parent_iframes;
        /* blocks of script under 8 KiB that read document.referrer, test a name holding
         * referrer or referer in an if, and write or create a <script> or <iframe>: the gate of
         * a compromised page that sends on only visitors from a search engine */
        int64_t gate_blocks;

        /* A script that is not a page (pageshape_script_edges()): the more anomalous of its
         * first line, its last, and what follows its sourceMappingURL comment, when shorter
         * than half the text: code appended to or prepended before a library, which the
         * file-wide js_* dilute. */
        /* script bytes of that edge (0: none of 100 bytes or more) */
        int64_t edge_bytes;
        /* its ‰ of javascript-obfuscator's names (_0x4f2a) */
        int64_t edge_hex_ids_pm;
        /* its longest literal of only hex, base64 or escapes */
        int64_t edge_encoded;
        /* its ‰ of bytes in numbers that follow a comma */
        int64_t edge_number_pm;
        /* its eval, writes, created elements, redirects and hidden sink names, and its calls
         * through a computed member of document or window (document[_0x12[5]](...)) */
        int64_t edge_sinks;
        /* its decoders: fromCharCode, unescape, atob... */
        int64_t edge_decoders;

        /* bare_iframes whose host the page names nowhere else (its text occurs in the page no
         * more often than such frames name it): an injected frame leads to a host that the
         * site's own markup, scripts and links never mention, where an ad's or a widget's
         * hidden frame shares its host with the page's other tags */
        int64_t bare_lone_iframes;
        /* calls in a block of script that decode one whole literal (a string, or a list of
         * character codes) with atob, unescape, decodeURIComponent or String.fromCharCode
         * and run or write the result (eval, document.write(ln), new Function), whose decoded
         * text makes or writes a <script> or <iframe>, or sends the browser elsewhere, and
         * names a web address or decodes further: the lone obfuscated loader injected into a
         * compromised page */
        int64_t decoded_injections;
        /* lists of SHIFTED_MIN or more numbers (each of 1 to 3 digits, quoted or not, or one
         * string of numbers and commas) in a script that names fromCharCode, which one
         * constant taken from every number (in base 10, or 8 when every digit is below 8) turns
         * into code that makes, writes or runs a script, frame or redirect of the page: an
         * injected loader that keeps its code as character codes moved by a key */
        int64_t shifted_lists;
};

/* Measures the markup s (n bytes): the page fields into *ret, and into *block the jsshape of
 * the page's most anomalous block of script (a <script> body, an on* handler, a javascript:
 * URL) that reaches a sink (eval, a write, an injected
 * element, a redirect, ActiveX or WSH objects), holds 200 bytes of script or more and does not
 * hide an e-mail address (mailto, "&#64;": the benign obfuscated block), all zero when none
 * does. The most anomalous is the one with the largest sum of its ‰ of
 * generated names, its glued literals per 1,000 names, its ‰ of numbers in lists, and 1,000
 * for a hidden sink name. Never fails; bounded by n. */
void pageshape_measure(const char *s, size_t n, struct pageshape *ret, struct jsshape *block);

/* Merges b into a, field by field the larger: what a page's raw text and its normalised text
 * show of it together. */
void pageshape_merge(struct pageshape *a, const struct pageshape *b);

/* Measures the script s (n bytes) line by line: into *block the jsshape of its most anomalous
 * line of 200 bytes or more that reaches a sink and hides no e-mail address (chosen as
 * pageshape_measure() chooses a block), all zero when none does. Code injected into a library
 * is appended or prepended as a line of its own, which the file-wide js_* dilute. Never fails;
 * bounded by n (at most PAGESHAPE_MAX_INPUT). */
void pageshape_script_lines(const char *s, size_t n, struct jsshape *block);

/* Measures the script s (n bytes) at its edges: fills the edge_* fields of *ret (the others
 * are left as they are) from the more anomalous of its first line holding script, its last,
 * and the text after its last sourceMappingURL comment (by the sum of their ‰ of generated
 * hex names and of numbers in lists, 500 for an encoded literal of 100 bytes or more and 500
 * for a computed call), each when it holds 100 bytes of script or more and less than half the
 * text. Never fails; bounded by n (at most PAGESHAPE_MAX_INPUT). */
void pageshape_script_edges(const char *s, size_t n, struct pageshape *ret);
/* Measures the script s (n bytes) that is not a page as pageshape_measure() measures one block
 * of a page's script: adds to decoded_injections and shifted_lists of *ret (the others are left
 * as they are): the injected .js that a compromised page loads, kept apart from its page. (Not
 * the referrer gate: a whole ad or analytics script under 8 KiB reads and tests the referrer
 * and makes a script or frame as often as an injection does.) Never fails; bounded by n (at
 * most PAGESHAPE_MAX_INPUT). */
void pageshape_script_injections(const char *s, size_t n, struct pageshape *ret);
