/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* JScript droppers that build their code or object names a fragment at a time, read without
 * running them: statements are followed in the order they are written and the string each
 * variable holds is kept (x = 'a'; t = 'bc'; x += t; x = x + f(); where f() returns a literal
 * or an item of an array of literals, and the comma operator over literals), and a variable
 * built from several fragments has its final value written out on a line of its own, so that
 * the rules read the code that eval or new Function would be handed. Also two helpers for the
 * normaliser: methods that return their own object (String.prototype.f = function () { return
 * this }) called on a literal are dropped, and the comments of a Windows Script Host file are
 * removed (their text, a library's licence or module code pasted as padding, is not what runs).
 *
 * Hostile input: one pass over the text, a fixed number of variables, and the bytes copied
 * counted against a budget. A wrong reading costs nothing: the rules read the text as it is
 * as well. */

#include <stddef.h>

#include "basic/textbuf.h"

/* Appends to out, one per line, the final values of the variables of s (n bytes) that were
 * assembled from at least JSASM_MIN_PIECES fragments and are at least JSASM_MIN_VALUE bytes
 * long. Returns the number of values written (0: none). out->oom is set if memory ran out. */
#define JSASM_MIN_PIECES 3
#define JSASM_MIN_VALUE  8
int jsasm_assembled_values(const char *s, size_t n, struct textbuf *out);

/* Copies s to out with every call of an identity method (a prototype method of String or
 * Object that only returns this) after a string literal removed: "wscr".f() + "ipt" becomes
 * "wscr" + "ipt". Returns the number of calls removed. */
int jsasm_identity_calls(const char *s, size_t n, struct textbuf *out);

/* Copies s to out without its // and / * * / comments when s is JScript for Windows Script
 * Host (it names ActiveXObject or WScript); otherwise copies it as it is. Strings and regular
 * expression literals are kept. Returns the number of comments removed. */
int jsasm_strip_comments(const char *s, size_t n, struct textbuf *out);

/* Copies s to out with the string literal handed to eval or to the Function constructor
 * written as the code it is: eval('var x = "a" + "b"') becomes eval(\nvar x = "a" + "b"\n), which
 * the passes read like the rest of the file. Literals shorter than JSASM_MIN_EVAL_CODE are left.
 * Returns the number of literals written out; nested evals come out one round of the passes each.
 */
#define JSASM_MIN_EVAL_CODE 16
int jsasm_eval_literals(const char *s, size_t n, struct textbuf *out);

/* Copies s to out with String.fromCharCode.apply(x, [n, ...]) over printable character codes
 * (integer expressions) written as the string literal it makes. Returns how many were. */
int jsasm_char_code_apply(const char *s, size_t n, struct textbuf *out);

/* Copies s to out with the calls over literals that droppers hide names in written as the
 * literal they make: String.fromCharCode(n, ...) of integer expressions; "lit".charAt(n),
 * "lit"["charAt"](n), "lit"[n], .substr/.substring of constant bounds; a function
 * expression that only returns a literal, called at once ((function () { return "x" })());
 * the comma operator over literals and numbers choosing a member (o[("a", "ActiveXObject")]);
 * and calls of one-parameter functions that return their argument or the character of its
 * code (function d(c) { return String.fromCharCode(c - 3) }) with a constant argument.
 * A literal keeps its own quote (PowerShell's '...' stays one). Returns how many were folded;
 * the text grows by at most its own size. */
int jsasm_fold_literal_calls(const char *s, size_t n, struct textbuf *out);

/* Copies s to out with each call of a String.prototype method whose body only applies one
 * method with constant arguments to this (String.prototype.d = function () { return
 * this.replace(/[qz]/g, ""); }) after a literal written as that method: "WqSz".d() becomes
 * "WqSz".replace(/[qz]/g, ""), which the passes then evaluate. The text grows by at most its
 * own size. Returns how many calls were inlined. */
int jsasm_inline_string_methods(const char *s, size_t n, struct textbuf *out);

/* Appends to out, a line each, what a long literal of s becomes when decoded as droppers
 * decode it, when s holds such a decoder and the result is code that names a WSH object or
 * eval: XOR with a short literal of s as the key, cycled (after hex digits are read as bytes
 * when the literal is all hex), where s XORs two charCodeAt()s; every Nth character from an
 * offset, where a loop steps through a length by +=. The longest MAX_DATA literals are tried,
 * with a fixed budget of work; out grows by at most n bytes. Returns how many were written. */
int jsasm_keyed_literals(const char *s, size_t n, struct textbuf *out);
