/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The shape of PowerShell text, measured in one pass without parsing it: how much of it is
 * string literals and numbers in lists, how long and how random its longest literal is, how
 * many of its variable names look generated, how often its keywords and type names are
 * written in a case no person types (sYsteM.NeT), how often it glues or formats strings and
 * casts character codes, and how often it reaches an execution sink (Invoke-Expression in its
 * spellings, a call operator on a built string, [ScriptBlock]::Create, a child PowerShell with
 * an encoded command), loads code (Assembly::Load, Add-Type), downloads, or opens a socket.
 * Obfuscated and malicious PowerShell stands out on these measures the way the literature on
 * it found (character frequencies, string share, case and name randomness, sinks), and the
 * rules (rules/psshape.yar) combine an anomaly with a sink. */

#include <stddef.h>
#include <stdint.h>

/* The bytes read: texts beyond are measured over their first 16 MiB only. */
#define PSSHAPE_MAX_INPUT (16u << 20)

struct psshape {
        int64_t bytes;           /* text bytes, comments excluded */
        int64_t string_pm;       /* ‰ of them inside string literals (here-strings too) */
        int64_t longest_literal; /* bytes of the longest string literal */
        int64_t literal_entropy; /* Shannon entropy of that literal, in hundredths of a bit */
        int64_t encoded_literal; /* bytes of the longest literal with no space and only
                                  * base64, hex or digit-and-separator characters */
        int64_t number_pm;       /* ‰ of text bytes in numbers that follow a comma or '(' */
        int64_t variables;       /* $name tokens */
        int64_t random_vars_pm;  /* ‰ of those whose name looks generated ($ve4lmfq1x, $jkRfn) */
        int64_t symbol_vars;     /* ${...} variables named without a letter or digit: ${ #!} */
        int64_t known_words;     /* keywords, cmdlet and type names of a short table */
        int64_t random_case;     /* those written in none of lower, UPPER, Capital or their
                                  * usual CamelCase: sYsteM, RePlAcE, nEw-oBjeCt */
        int64_t tick_words;      /* bare words broken by backticks that escape nothing, and
                                  * empty literals inside a word: N`e`w-Ob`ject, I''R''M */
        int64_t char_casts;      /* [char] and [char[]] casts */
        int64_t format_ops;      /* a literal holding {N} followed by -f: '{1}{0}' -f 'a','b' */
        int64_t concat_strings;  /* a literal without spaces glued to another by '+' */
        int64_t string_ops;      /* -join -replace -split -bxor -creplace -ireplace, and the
                                  * .Replace( .Split( .Reverse( .ToCharArray( methods */
        int64_t decoders;        /* FromBase64String, GetString, ToByte, GZip/DeflateStream,
                                  * [char] codes, -bxor, ... */
        int64_t decoder_kinds;   /* how many different ones of those */
        int64_t max_line;        /* bytes of the longest line */
        int64_t lines;           /* lines holding code */
        int64_t sink_iex;        /* Invoke-Expression, iex, [ScriptBlock]::Create,
                                  * InvokeCommand / InvokeScript / NewScriptBlock */
        int64_t sink_call;       /* & or . applied to a built name: &( , .( , &$x[...] , &"..." */
        int64_t sink_child;      /* powershell with -e / -enc / -EncodedCommand / -w hidden,
                                  * Start-Process, WScript.Shell, Win32_Process Create */
        int64_t sink_load;       /* Assembly::Load, GetDelegateForFunctionPointer, VirtualAlloc,
                                  * DefineDynamicAssembly: code loaded from memory */
        int64_t add_type;        /* Add-Type: C# compiled (admin modules do it too) */
        int64_t downloads;       /* DownloadString/File/Data, Invoke-WebRequest, iwr,
                                  * Invoke-RestMethod, Start-BitsTransfer, Net.WebClient,
                                  * HttpClient, XMLHTTP, WinHttpRequest */
        int64_t sockets;         /* TcpClient, UdpClient, Net.Sockets, TcpListener */
        int64_t streams;         /* GetStream, and .Read( / .Write( on it */
        int64_t syntax;          /* tokens only PowerShell writes: -like -match -join -replace
                                  * and the other operators test(1) lacks, a format literal
                                  * before -f, ]:: and Verb-Noun cmdlet names */
};

/* Measures the text s (n bytes) as PowerShell. The bodies of its here-strings are also
 * measured as code, once (a script that writes or runs another carries it so), and what they
 * do is counted with the rest. Never fails; bounded by twice n. */
void psshape_measure(const char *s, size_t n, struct psshape *ret);

/* Merges b into a, field by field the larger: what a script's raw text and its decoded and
 * normalised texts show of it together. */
void psshape_merge(struct psshape *a, const struct psshape *b);
