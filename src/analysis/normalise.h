/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* What the rules are told about text before they read it: whether it is a document (prose,
 * Markdown) or a script, and a normalised copy of a script with the usual obfuscations of
 * PowerShell, JScript/VBScript and shell undone, so that one rule matches every spelling. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum text_kind {
        TEXT_KIND_NONE,     /* not text */
        TEXT_KIND_TEXT,     /* text that is neither of the others (data, configuration...) */
        TEXT_KIND_DOCUMENT, /* prose meant to be read: Markdown, reStructuredText, plain text */
        TEXT_KIND_SCRIPT,   /* program text: a #! line, a script extension, or code lines */
};

/* The name the rules see in the file_type variable: "", "text", "document" or "script". */
const char *text_kind_name(enum text_kind kind);

/* Classifies text (data, size) named name (may be NULL) by its content: documentation is
 * mostly prose lines and has Markdown or reStructuredText structure (headings, fenced code,
 * lists, links); code inside fences does not make it a script. A script extension (.ps1, .sh,
 * .js, .vbs...) or a #! line makes it a script whatever its comments say. */
enum text_kind text_kind_of(const uint8_t *data, size_t size, const char *name);

/* Whether a script is Python by its syntax: its first line of code (after a #! line, blank
 * lines excepted) is one JavaScript cannot parse (a # comment, a triple-quoted docstring,
 * `import name`, `from name import`, `def name(...):`, `class Name:`), and outside its
 * triple-quoted strings and any block comment at least 3 lines are Python statements (def,
 * class, the imports, block openers ending in ':') and at least twice as many as the lines
 * written as JavaScript (ending in ';', opening with var, let, const or function). Its eval,
 * dict["key"] and glued strings are Python's, not a JavaScript dropper's. */
bool text_is_python(const uint8_t *data, size_t size);

/* Normalises script text: undoes backtick and caret escapes, [char]N, Chr(N),
 * String.fromCharCode(...), \xNN and \uNNNN escapes, joins concatenated string literals
 * ('a'+'b', "a"&"b", shell's a'b'"c"), evaluates -f, -join, -replace and .Replace() over
 * literals (JScript's .replace(/junk/g, '') and .replace(/[xyz]/g, '') too), JScript's
 * .split('x').join('y'), .split('').reverse().join('') and ['a','b'].join(''), the comma
 * operator over literals, integer arithmetic of number literals, literal methods (.charAt,
 * .substr, .slice...), arrays of literals defined once and read at constant indexes, functions
 * that only return a literal, writes
 * obj["Name"] as obj.Name, the characters of well-known PowerShell variables
 * ($VerbosePreference[1,3]) and "&('iex')" invocations plainly, and decodes printable base64
 * given to base64 -d, -EncodedCommand or FromBase64String, or that is the whole file; in
 * JScript and VBScript also drops identity methods called on literals, writes the literal
 * handed to eval or Function as code, folds String.fromCharCode.apply over constant codes,
 * drops the comments of a Windows Script Host file, and writes at the end the strings that
 * variables were assembled into a fragment at a time (analysis/jsassemble.h); in PHP
 * text also joins . and ^ over literals, reads $variables holding one literal, and evaluates
 * str_replace and the decoders of phpdecode.h over literals; the result is in lower case.
 * Sets *ret (NUL-terminated, to be freed) and *ret_len. Returns the number of changes made
 * other than case (0: the normalised text says nothing new), or -ENOMEM. */
int normalise_script(const uint8_t *data, size_t size, char **ret, size_t *ret_len);
