/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The shape of JavaScript text, measured in one pass without parsing it: how much of it is
 * string literals and numbers in lists, how long and how random its longest literal is, how
 * many of its names look generated, how long its lines are, how often it reads a property by a
 * computed string, and how often it names an execution sink (eval, document.write, an injected
 * script or iframe, ActiveX/WSH objects) or a decoder (fromCharCode, unescape, atob,
 * split/reverse/join...). Obfuscated and malicious scripts stand out on these measures the
 * way Zozzle, Cujo and JaSt found, and the rules combine them with a sink. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The bytes read: scripts beyond are measured over their first 16 MiB only. */
#define JSSHAPE_MAX_INPUT (16u << 20)

struct jsshape {
        int64_t bytes;            /* script bytes, comments excluded */
        int64_t string_pm;        /* ‰ of them inside string literals */
        int64_t longest_literal;  /* bytes of the longest string literal (escapes as written) */
        int64_t literal_entropy;  /* Shannon entropy of that literal, in hundredths of a bit */
        int64_t encoded_literal;  /* bytes of the longest literal with no space and only hex,
                                   * base64, escape or digit-and-separator characters */
        int64_t number_pm;        /* ‰ of script bytes in numbers that follow a comma */
        int64_t identifiers;      /* identifier tokens */
        int64_t generated_ids_pm; /* ‰ of those that look generated (KWlqCKLfCV, a1234) */
        int64_t max_line;         /* bytes of the longest line */
        int64_t lines;            /* lines holding script */
        int64_t bracket_strings;  /* x["..."]: a property read by a string in brackets */
        int64_t concat_strings;   /* "..." + "...": a literal without spaces glued on */
        int64_t sink_eval;        /* eval, Function, execScript, setTimeout/Interval("...") */
        int64_t sink_write;       /* document.write(ln), innerHTML/outerHTML, insertAdjacentHTML */
        int64_t sink_inject;      /* createElement("script"|"iframe") */
        int64_t sink_redirect;    /* location assigned or replaced */
        int64_t sink_wsh;         /* WScript, CreateObject, GetObject, and the object names
                                   * WScript.Shell, Shell.Application, ADODB.Stream,
                                   * Scripting.FileSystemObject */
        int64_t decoders;         /* fromCharCode, charCodeAt, unescape, decodeURI(Component),
                                   * atob, parseInt, split, reverse, join, charAt, substr,
                                   * replace(/regex/ */
        int64_t decoder_kinds;    /* how many different ones of those */
        int64_t hidden_names;     /* eval, execScript, timers, write, the WSH names and the
                                   * decoders atob, charCodeAt, decodeURI, fromCharCode,
                                   * unescape, named by a string in brackets: window["eval"],
                                   * d["wr" + "ite"] (in the normalised text) */
        int64_t sink_activex;     /* ActiveXObject, and the objects MSXML2.*, Microsoft.XMLHTTP,
                                   * WinHttp.WinHttpRequest (old browser code creates them too) */
        int64_t browser_names;    /* document, window, navigator: a browser's script */
        int64_t hex_ids_pm;       /* ‰ of the names that are javascript-obfuscator's (_0x4f2a):
                                   * its output is judged by what the normaliser reveals */
        int64_t packed;           /* 1 when the text holds Dean Edwards' packer */
};

/* Measures the script text s (n bytes): the whole of it, or, when markup is true, the bodies
 * of its <script> elements only (all of them as one script). Never fails; bounded by n. */
void jsshape_measure(const char *s, size_t n, bool markup, struct jsshape *ret);

/* Merges b into a, field by field the larger: what a script's raw text and its normalised
 * text show of it together. */
void jsshape_merge(struct jsshape *a, const struct jsshape *b);
