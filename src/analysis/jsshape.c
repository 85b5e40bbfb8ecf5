/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The shape of a script (analysis/jsshape.h): one pass of a tokenizer that knows literals,
 * comments, regular expressions, numbers, names and punctuation, and nothing of the grammar.
 * Each name is looked up, lowercased, in a short table of sinks and decoders (the normalised
 * text the rules also read is lowercase); a few tokens of context say whether it is called
 * with a literal, assigned, or read off document or location. The only second look is at the
 * longest literal, for its entropy. */
#include <ctype.h>
#include <pthread.h>
#include <string.h>

#include "analysis/jsshape.h"
#include "analysis/shape.h"

#define ELEMENTS(a) (sizeof(a) / sizeof((a)[0]))

enum tok { T_NONE, T_IDENT, T_STRING, T_NUMBER, T_REGEX, T_OPEN, T_CLOSE, T_DOT, T_PLUS, T_OTHER };

enum word {
        W_NONE,
        W_EVAL,
        W_FUNCTION, /* "Function", as written: the lowercase keyword is not a sink */
        W_EXECSCRIPT,
        W_TIMER, /* setTimeout, setInterval: a sink when called with a literal */
        W_DOCUMENT,
        W_WRITE,
        W_HTML, /* innerHTML, outerHTML: a sink when assigned */
        W_INSERTHTML,
        W_CREATEELEMENT,
        W_LOCATION,
        W_HREF,
        W_REPLACE, /* location.replace() and the decoder replace(/re/, ...) */
        W_ASSIGN,
        W_ACTIVEX, /* ActiveXObject: also the XMLHTTP of old browser code */
        W_WSH,     /* WScript, CreateObject, GetObject */
        W_DECODER,
        W_BROWSER, /* window, navigator (and document): the script runs in a browser */
};

struct word_entry {
        const char *name;
        enum word word;
        int decoder; /* bit of decoder_kinds, or -1 */
};

static const struct word_entry words[] = {
        {"activexobject", W_ACTIVEX, -1},
        {"assign", W_ASSIGN, -1},
        {"atob", W_DECODER, 0},
        {"charat", W_DECODER, 1},
        {"charcodeat", W_DECODER, 2},
        {"createelement", W_CREATEELEMENT, -1},
        {"createobject", W_WSH, -1},
        {"decodeuri", W_DECODER, 3},
        {"decodeuricomponent", W_DECODER, 3},
        {"document", W_DOCUMENT, -1},
        {"eval", W_EVAL, -1},
        {"execscript", W_EXECSCRIPT, -1},
        {"fromcharcode", W_DECODER, 4},
        {"function", W_FUNCTION, -1},
        {"getobject", W_WSH, -1},
        {"href", W_HREF, -1},
        {"innerhtml", W_HTML, -1},
        {"insertadjacenthtml", W_INSERTHTML, -1},
        {"join", W_DECODER, 5},
        {"location", W_LOCATION, -1},
        {"navigator", W_BROWSER, -1},
        {"outerhtml", W_HTML, -1},
        {"parseint", W_DECODER, 6},
        {"replace", W_REPLACE, -1},
        {"reverse", W_DECODER, 7},
        {"setinterval", W_TIMER, -1},
        {"settimeout", W_TIMER, -1},
        {"split", W_DECODER, 8},
        {"substr", W_DECODER, 9},
        {"unescape", W_DECODER, 10},
        {"window", W_BROWSER, -1},
        {"write", W_WRITE, -1},
        {"writeln", W_WRITE, -1},
        {"wscript", W_WSH, -1},
};
#define REPLACE_DECODER_BIT 11
/* atob, charCodeAt, decodeURI(Component), fromCharCode, unescape */
#define HIDDEN_DECODERS (1u << 0 | 1u << 2 | 1u << 3 | 1u << 4 | 1u << 10)

/* Literals that name an ActiveX object (by prefix, lowercase): those of Windows Script Host,
 * and those that old browser code also creates for its requests. */
static const char *const wsh_objects[] = {
        "wscript.shell",
        "shell.application",
        "adodb.stream",
        "scripting.filesystemobject",
};
static const char *const activex_objects[] = {
        "msxml2.",
        "microsoft.xmlhttp",
        "winhttp.winhttprequest",
};

struct state {
        const char *s;
        size_t n;
        struct jsshape *m;
        /* totals over every region */
        int64_t code, strings, numbers, gen_ids, hex_ids;
        size_t longest_at;
        int64_t line;
        bool line_has_code;
        unsigned kinds;
        /* context of the region */
        enum tok last;
        enum word last_word;    /* the last name's word */
        enum word member_of;    /* the name before the '.' that the current name follows */
        enum word call_word;    /* the name just called: NAME ( */
        bool call_function_cap; /* that name was "Function" as written */
        bool bracket;           /* a '[' that reads a member is open */
        bool plus_after_string;
};

enum { C_ID = 1, C_UPPER = 2, C_LOWER = 4, C_DIGIT = 8 };

/* Classes of bytes without the locale: names are ASCII letters, digits, _, $ and any byte of a
 * UTF-8 sequence. */
static uint8_t byte_class[256];

static void byte_class_init(void)
{
        for (unsigned c = 0; c < 256; c++) {
                uint8_t k = 0;
                if (c >= 'A' && c <= 'Z')
                        k = C_ID | C_UPPER;
                else if (c >= 'a' && c <= 'z')
                        k = C_ID | C_LOWER;
                else if (c >= '0' && c <= '9')
                        k = C_ID | C_DIGIT;
                else if (c == '_' || c == '$' || c >= 0x80)
                        k = C_ID;
                byte_class[c] = k;
        }
}

static bool is_id_char(unsigned char c)
{
        return byte_class[c] & C_ID;
}

static bool is_encoded_char(unsigned char c)
{
        return isalnum(c) || (c && strchr("+/=%\\,;:|.-_~!", c));
}

static void newline(struct state *st)
{
        if (st->line_has_code)
                st->m->lines++;
        st->line = 0;
        st->line_has_code = false;
}

/* The (length, first letter) pairs of words[]: most names are rejected without a search
 * (jsshape_measure() fills it once). */
static uint32_t word_starts[24];
static pthread_once_t word_starts_once = PTHREAD_ONCE_INIT;

static void word_starts_init(void)
{
        byte_class_init();
        for (size_t k = 0; k < ELEMENTS(words); k++)
                word_starts[strlen(words[k].name)] |= 1u << (words[k].name[0] - 'a');
}

static bool maybe_word(const char *p, size_t len)
{
        unsigned c = (unsigned char)tolower((unsigned char)p[0]);

        return c >= 'a' && c <= 'z' && (word_starts[len] >> (c - 'a') & 1);
}

static enum word lookup(const char *p, size_t len, int *ret_decoder)
{
        char low[24];

        *ret_decoder = -1;
        if (len < 4 || len >= sizeof(low) || !maybe_word(p, len))
                return W_NONE;
        for (size_t k = 0; k < len; k++)
                low[k] = (char)tolower((unsigned char)p[k]);
        low[len] = 0;
        size_t lo = 0, hi = sizeof(words) / sizeof(words[0]);
        while (lo < hi) {
                size_t mid = (lo + hi) / 2;
                int c = strcmp(low, words[mid].name);
                if (c == 0) {
                        *ret_decoder = words[mid].decoder;
                        return words[mid].word;
                }
                if (c < 0)
                        hi = mid;
                else
                        lo = mid + 1;
        }
        return W_NONE;
}

/* javascript-obfuscator's names: _0x4f2a. */
static bool is_hex_name(const char *p, size_t len)
{
        size_t k = 3;

        if (len < 4 || p[0] != '_' || p[1] != '0' || (p[2] != 'x' && p[2] != 'X'))
                return false;
        while (k < len && isxdigit((unsigned char)p[k]))
                k++;
        return k == len;
}

/* A name in the Hungarian notation of Windows admin scripts: a type prefix (str, obj, col...)
 * before capitalised words and acronyms, every run of small letters after it two or more long
 * (strOldSiteRDN, objRootDSE, strConfigurationNC), where a generator leaves single small letters
 * between its capitals (KWlqCKLfCV). */
static bool is_hungarian_name(const char *p, size_t len)
{
        static const char *const prefixes[] = {"arr", "bln", "col", "dbl", "int",
                                               "lng", "obj", "str", "var"};
        size_t run = 0;
        bool known = false;

        for (size_t k = 0; k < ELEMENTS(prefixes) && !known; k++)
                known = len > 4 && memcmp(p, prefixes[k], 3) == 0 &&
                        (byte_class[(unsigned char)p[3]] & C_UPPER);
        if (!known)
                return false;
        for (size_t k = 4; k <= len; k++) {
                if (k < len && (byte_class[(unsigned char)p[k]] & C_LOWER)) {
                        run++;
                        continue;
                }
                if (run == 1)
                        return false;
                run = 0;
        }
        return true;
}

/* A name no person writes: letter(s) and digits mixed (a1234, v8x3k), or a long mix of cases
 * that is not camelCase (KWlqCKLfCV) nor Hungarian notation (strOldSiteRDN). */
static bool looks_generated(const char *p, size_t len)
{
        size_t upper = 0, lower = 0, digits = 0, up_up = 0, low_up = 0, digit_turns = 0;

        if (len < 5)
                return false;
        for (size_t k = 0; k < len; k++) {
                uint8_t c = byte_class[(unsigned char)p[k]];
                upper += (c & C_UPPER) != 0;
                lower += (c & C_LOWER) != 0;
                digits += (c & C_DIGIT) != 0;
                if (k > 0) {
                        uint8_t b = byte_class[(unsigned char)p[k - 1]];
                        up_up += (b & C_UPPER) && (c & C_UPPER);
                        low_up += (b & C_LOWER) && (c & C_UPPER);
                        digit_turns += ((b ^ c) & C_DIGIT) != 0;
                }
        }
        if (digits >= 3 && upper + lower <= 2 && digits + upper + lower == len &&
            !isdigit((unsigned char)p[0]))
                return true;
        if (digit_turns >= 4)
                return true;
        /* capitals in runs and after small letters, again and again: not PascalCase
         * (RealModObj), not an acronym inside a name (XMLHttpRequest, innerHTML) */
        return len >= 6 && upper >= 3 && lower >= 2 && upper * 4 >= len && up_up >= 2 &&
               low_up >= 2 && !is_hungarian_name(p, len);
}

/* The next byte that is not white space on the same line, or 0. */
static char peek(const struct state *st, size_t i, size_t end)
{
        for (size_t k = 0; i < end && k < 16; i++, k++)
                if (st->s[i] != ' ' && st->s[i] != '\t')
                        return st->s[i];
        return 0;
}

static bool assigned_at(const struct state *st, size_t i, size_t end)
{
        char c = peek(st, i, end);
        size_t k = i;

        while (k < end && (st->s[k] == ' ' || st->s[k] == '\t'))
                k++;
        if (c == '=')
                return !(k + 1 < end && st->s[k + 1] == '=');
        return c == '+' && k + 1 < end && st->s[k + 1] == '=';
}

static void name_token(struct state *st, size_t a, size_t b, size_t end)
{
        const char *p = st->s + a;
        size_t len = b - a;
        int decoder;
        enum word w = lookup(p, len, &decoder);
        enum word member = st->last == T_DOT ? st->last_word : W_NONE;
        struct jsshape *m = st->m;

        m->identifiers++;
        if (is_hex_name(p, len))
                st->hex_ids++;
        else
                st->gen_ids += looks_generated(p, len);
        switch (w) {
        case W_EVAL:
        case W_EXECSCRIPT:
                if (peek(st, b, end) == '(')
                        m->sink_eval++;
                break;
        case W_FUNCTION:
                if (len == 8 && p[0] == 'F' && peek(st, b, end) == '(')
                        m->sink_eval++;
                break;
        case W_WRITE:
                if (member == W_DOCUMENT)
                        m->sink_write++;
                break;
        case W_DOCUMENT:
        case W_BROWSER:
                m->browser_names++;
                break;
        case W_HTML:
                if (assigned_at(st, b, end))
                        m->sink_write++;
                break;
        case W_INSERTHTML:
                m->sink_write++;
                break;
        case W_LOCATION:
                if (assigned_at(st, b, end))
                        m->sink_redirect++;
                break;
        case W_HREF:
                if (member == W_LOCATION && assigned_at(st, b, end))
                        m->sink_redirect++;
                break;
        case W_REPLACE:
        case W_ASSIGN:
                if (member == W_LOCATION)
                        m->sink_redirect++;
                break;
        case W_WSH:
                m->sink_wsh++;
                break;
        case W_ACTIVEX:
                m->sink_activex++;
                break;
        case W_DECODER:
                m->decoders++;
                st->kinds |= 1u << decoder;
                break;
        default:
                break;
        }
        st->member_of = member;
        st->last_word = w;
        st->call_function_cap = w == W_FUNCTION && p[0] == 'F';
}

/* A literal (or regular expression) called as the first argument of the last name. */
static void call_argument(struct state *st, size_t a, size_t b, bool regex)
{
        const char *p = st->s + a;
        size_t len = b - a;
        struct jsshape *m = st->m;

        switch (st->call_word) {
        case W_TIMER:
                if (!regex)
                        m->sink_eval++;
                break;
        case W_CREATEELEMENT:
                if (!regex && ((len == 6 && !strncasecmp(p, "script", 6)) ||
                               (len == 6 && !strncasecmp(p, "iframe", 6))))
                        m->sink_inject++;
                break;
        case W_REPLACE:
                if (regex && st->member_of != W_LOCATION) {
                        m->decoders++;
                        st->kinds |= 1u << REPLACE_DECODER_BIT;
                }
                break;
        default:
                break;
        }
}

static bool names_object(const char *p, size_t len, const char *const *names, size_t n)
{
        for (size_t k = 0; k < n; k++) {
                size_t w = strlen(names[k]);
                if (len >= w && !strncasecmp(p, names[k], w))
                        return true;
        }
        return false;
}

/* A member read by the name of a sink or decoder written as a string, x["eval"]: counted as
 * the sink or decoder, and as hidden. Not "Function" (a common key of data: AST node types). */
static void hidden_name(struct state *st, size_t a, size_t b)
{
        struct jsshape *m = st->m;
        int decoder;

        switch (lookup(st->s + a, b - a, &decoder)) {
        case W_EVAL:
        case W_EXECSCRIPT:
        case W_TIMER:
                m->sink_eval++;
                break;
        case W_WRITE:
                m->sink_write++;
                break;
        case W_WSH:
                m->sink_wsh++;
                break;
        case W_ACTIVEX:
                /* window["ActiveXObject"]: how old browser code tests for it */
                m->sink_activex++;
                return;
        case W_DECODER:
                /* only the decoders that do nothing else: join, split, charAt... are common
                 * names of data */
                if ((1u << decoder & HIDDEN_DECODERS) == 0)
                        return;
                m->decoders++;
                st->kinds |= 1u << decoder;
                break;
        default:
                return;
        }
        m->hidden_names++;
}

/* A string literal's body [a, b): its share, the longest, an object it names. */
static void literal_token(struct state *st, size_t a, size_t b)
{
        struct jsshape *m = st->m;
        int64_t len = (int64_t)(b - a);
        bool encoded = len > 0;

        if (len > m->longest_literal) {
                m->longest_literal = len;
                st->longest_at = a;
        }
        if (len > m->encoded_literal) {
                for (size_t k = a; k < b && encoded; k++)
                        encoded = is_encoded_char((unsigned char)st->s[k]);
                if (encoded)
                        m->encoded_literal = len;
        }
        if (len >= 7 && len <= 64) {
                if (names_object(st->s + a, (size_t)len, wsh_objects, ELEMENTS(wsh_objects)))
                        m->sink_wsh++;
                else if (names_object(st->s + a, (size_t)len, activex_objects,
                                      ELEMENTS(activex_objects)))
                        m->sink_activex++;
        }
        if (st->last == T_OPEN && st->call_word != W_NONE)
                call_argument(st, a, b, false);
        if (st->bracket) {
                m->bracket_strings++;
                hidden_name(st, a, b);
        }
        /* a fragment glued on ("Act" + "iveX"): text with spaces joined across lines is
         * how libraries write long keyword lists and messages */
        if (st->plus_after_string && len > 0 && !memchr(st->s + a, ' ', (size_t)len) &&
            !memchr(st->s + a, '\t', (size_t)len))
                m->concat_strings++;
}

/* Where a quoted literal that opens at i ends (after its closing quote, or at the end of the
 * line for an unclosed ' or "). */
static size_t skip_literal(const char *s, size_t i, size_t end)
{
        char q = s[i++];

        while (i < end && s[i] != q) {
                if (s[i] == '\\')
                        i++;
                else if (s[i] == '\n' && q != '`')
                        return i;
                i++;
        }
        return i < end ? i + 1 : end;
}

static size_t skip_regex(const char *s, size_t i, size_t end)
{
        bool class = false;

        for (i++; i < end && s[i] != '\n'; i++) {
                if (s[i] == '\\')
                        i++;
                else if (s[i] == '[')
                        class = true;
                else if (s[i] == ']')
                        class = false;
                else if (s[i] == '/' && !class)
                        break;
        }
        if (i < end && s[i] == '/')
                i++;
        while (i < end && isalpha((unsigned char)s[i]))
                i++;
        return i;
}

static bool regex_may_start(const struct state *st)
{
        return st->last != T_IDENT && st->last != T_NUMBER && st->last != T_STRING &&
               st->last != T_CLOSE && st->last != T_REGEX;
}

/* Counts the bytes [a, b) for line lengths (comments included). */
static void lines_over(struct state *st, size_t a, size_t b, bool code)
{
        for (size_t k = a; k < b; k++) {
                if (st->s[k] == '\n') {
                        newline(st);
                        continue;
                }
                st->line++;
                if (st->line > st->m->max_line)
                        st->m->max_line = st->line;
                st->line_has_code =
                        st->line_has_code || (code && !isspace((unsigned char)st->s[k]));
        }
}

/* A token of len bytes that holds no line break. */
static void line_code(struct state *st, size_t len)
{
        st->line += (int64_t)len;
        if (st->line > st->m->max_line)
                st->m->max_line = st->line;
        st->line_has_code = st->line_has_code || len > 0;
}

static void set_token(struct state *st, enum tok t)
{
        if (t != T_OPEN)
                st->call_word = W_NONE;
        st->plus_after_string = false; /* the '+' sets it again */
        st->bracket = false;
        st->last = t;
}

static void measure_region(struct state *st, size_t i, size_t end)
{
        const char *s = st->s;

        st->last = T_NONE;
        st->last_word = st->member_of = st->call_word = W_NONE;
        st->bracket = st->plus_after_string = false;
        while (i < end) {
                unsigned char c = (unsigned char)s[i];
                size_t j;

                if (c == '\n') {
                        newline(st);
                        i++;
                        continue;
                }
                if (isspace(c)) {
                        st->line++;
                        if (st->line > st->m->max_line)
                                st->m->max_line = st->line;
                        i++;
                        continue;
                }
                if (c == '/' && i + 1 < end && (s[i + 1] == '/' || s[i + 1] == '*')) {
                        if (s[i + 1] == '/') {
                                j = i + 2;
                                while (j < end && s[j] != '\n')
                                        j++;
                        } else {
                                const char *close = memmem(s + i + 2, end - i - 2, "*/", 2);
                                j = close ? (size_t)(close - s) + 2 : end;
                        }
                        lines_over(st, i, j, false);
                        i = j;
                        continue;
                }
                if (c == '"' || c == '\'' || c == '`') {
                        j = skip_literal(s, i, end);
                        size_t body_end = j > i + 1 && s[j - 1] == (char)c ? j - 1 : j;
                        literal_token(st, i + 1, body_end > i + 1 ? body_end : i + 1);
                        /* with its quotes, as written: an unclosed one has no closing quote */
                        st->strings += (int64_t)(j - i);
                        st->code += (int64_t)(j - i);
                        lines_over(st, i, j, true);
                        set_token(st, T_STRING);
                        i = j;
                        continue;
                }
                if (c == '/' && regex_may_start(st)) {
                        j = skip_regex(s, i, end);
                        if (st->last == T_OPEN && st->call_word != W_NONE)
                                call_argument(st, i, j, true);
                        st->code += (int64_t)(j - i);
                        lines_over(st, i, j, true);
                        set_token(st, T_REGEX);
                        i = j;
                        continue;
                }
                if (isdigit(c) || (c == '.' && i + 1 < end && isdigit((unsigned char)s[i + 1]))) {
                        j = i + 1;
                        while (j < end &&
                               (isalnum((unsigned char)s[j]) || s[j] == '.' || s[j] == '_'))
                                j++;
                        if (st->last == T_OTHER && i > 0) {
                                /* a number after a comma: an item of a list */
                                size_t k = i;
                                while (k > 0 && isspace((unsigned char)s[k - 1]))
                                        k--;
                                if (k > 0 && (s[k - 1] == ',' || s[k - 1] == '['))
                                        st->numbers += (int64_t)(j - i);
                        }
                        st->code += (int64_t)(j - i);
                        line_code(st, j - i);
                        set_token(st, T_NUMBER);
                        i = j;
                        continue;
                }
                if (is_id_char(c)) {
                        j = i + 1;
                        while (j < end && is_id_char((unsigned char)s[j]))
                                j++;
                        name_token(st, i, j, end);
                        st->code += (int64_t)(j - i);
                        line_code(st, j - i);
                        set_token(st, T_IDENT);
                        i = j;
                        continue;
                }
                /* punctuation */
                st->code++;
                line_code(st, 1);
                if (c == '(') {
                        enum word w = st->last == T_IDENT ? st->last_word : W_NONE;
                        set_token(st, T_OPEN);
                        st->call_word = w;
                } else if (c == '[') {
                        bool member = st->last == T_IDENT || st->last == T_CLOSE;
                        set_token(st, T_OTHER);
                        st->bracket = member;
                } else if (c == ')' || c == ']') {
                        set_token(st, T_CLOSE);
                } else if (c == '.') {
                        enum word w = st->last == T_IDENT ? st->last_word : W_NONE;
                        set_token(st, T_DOT);
                        st->last_word = w;
                } else if (c == '+') {
                        bool after = st->last == T_STRING;
                        set_token(st, T_PLUS);
                        st->plus_after_string = after;
                } else {
                        set_token(st, T_OTHER);
                }
                i++;
        }
        newline(st);
}

static bool tag_at(const char *s, size_t i, size_t n, const char *tag)
{
        size_t len = strlen(tag);

        return i + len <= n && !strncasecmp(s + i, tag, len) &&
               (i + len == n || !isalnum((unsigned char)s[i + len]));
}

/* Whether a <script> start tag [a, b) holds something other than script (a template, JSON). */
static bool not_script_type(const char *s, size_t a, size_t b)
{
        static const char *const kinds[] = {"json",   "template",   "text/html",
                                            "x-tmpl", "handlebars", "text/x-"};

        for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
                if (b > a && memmem(s + a, b - a, kinds[k], strlen(kinds[k])))
                        return true;
        return false;
}

static void measure_markup(struct state *st)
{
        const char *s = st->s;
        size_t n = st->n;

        for (size_t i = 0; i < n;) {
                const char *lt = memchr(s + i, '<', n - i);
                if (!lt)
                        break;
                i = (size_t)(lt - s) + 1;
                if (!tag_at(s, i, n, "script"))
                        continue;
                const char *gt = memchr(s + i, '>', n - i);
                if (!gt)
                        break;
                size_t body = (size_t)(gt - s) + 1, close = body;
                bool skip = not_script_type(s, i, body);
                for (;;) {
                        const char *p = memmem(s + close, n - close, "</", 2);
                        if (!p) {
                                close = n;
                                break;
                        }
                        close = (size_t)(p - s);
                        if (tag_at(s, close + 2, n, "script"))
                                break;
                        close += 2;
                }
                if (!skip)
                        measure_region(st, body, close);
                i = close;
        }
}

void jsshape_measure(const char *s, size_t n, bool markup, struct jsshape *ret)
{
        struct jsshape m = {0};
        struct state st = {.s = s, .n = n > JSSHAPE_MAX_INPUT ? JSSHAPE_MAX_INPUT : n, .m = &m};

        pthread_once(&word_starts_once, word_starts_init);
        if (markup)
                measure_markup(&st);
        else
                measure_region(&st, 0, st.n);
        m.bytes = st.code;
        if (st.code > 0) {
                m.string_pm = st.strings * 1000 / st.code;
                m.number_pm = st.numbers * 1000 / st.code;
        }
        if (m.identifiers > 0) {
                m.generated_ids_pm = st.gen_ids * 1000 / m.identifiers;
                m.hex_ids_pm = st.hex_ids * 1000 / m.identifiers;
        }
        /* Dean Edwards' packer: its literal and its eval are the packer's own */
        m.packed = memmem(s, st.n, "function(p,a,c,k,e,", 19) != NULL ||
                   memmem(s, st.n, "function (p,a,c,k,e,", 20) != NULL;
        m.literal_entropy = entropy_centibits(s + st.longest_at, (size_t)m.longest_literal, NULL);
        m.decoder_kinds = __builtin_popcount(st.kinds);
        *ret = m;
}

void jsshape_merge(struct jsshape *a, const struct jsshape *b)
{
        shape_merge_max(a, b, sizeof(*a));
}
