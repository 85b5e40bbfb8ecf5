/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The shape of PowerShell text (analysis/psshape.h): one pass of a tokenizer that knows
 * comments, quoted and here-strings, variables, numbers, bare words, operators and
 * punctuation, and nothing of the grammar. Each bare word (and each literal that is a single
 * word) is looked up, ticks removed and lowercased, in a short table of keywords, cmdlets,
 * types and members; a few tokens of context say whether a word is a member of the one before
 * it and whether a '&' or '.' calls what follows. The only second look is at the longest
 * literal, for its entropy. */
#include <ctype.h>
#include <pthread.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "analysis/psshape.h"
#include "analysis/shape.h"

#define ELEMENTS(a) (sizeof(a) / sizeof((a)[0]))
#define WORD_MAX    40

enum role {
        R_PLAIN, /* only its case is judged */
        R_IEX,   /* iex, Invoke-Expression, InvokeCommand, InvokeScript, NewScriptBlock */
        R_SCRIPTBLOCK,
        R_CREATE, /* [ScriptBlock]::Create */
        R_POWERSHELL,
        R_CHILD, /* Start-Process, Win32_Process, WScript */
        R_ASSEMBLY,
        R_LOAD,   /* [Reflection.Assembly]::Load */
        R_LOADER, /* GetDelegateForFunctionPointer, VirtualAlloc... */
        R_ADDTYPE,
        R_ALIAS, /* Set-Alias, New-Alias: a name for a command, maybe a built one */
        R_DOWNLOAD,
        R_SOCKET,
        R_STREAM,
        R_DECODER,  /* decoder_bit says which */
        R_STRINGOP, /* a method that cuts or turns strings: .Replace( .Split( */
        R_CHAR,     /* [char] */
};

struct word_entry {
        const char *name; /* the usual spelling; looked up in lower case */
        enum role role;
        int decoder_bit; /* for R_DECODER and R_STRINGOP, or -1 */
};

/* Sorted by lower-case name at first use. */
static struct word_entry words[] = {
        {"Add-Member", R_PLAIN, -1},
        {"Add-Type", R_ADDTYPE, -1},
        {"AmsiUtils", R_PLAIN, -1},
        {"Application", R_PLAIN, -1},
        {"ASCII", R_PLAIN, -1},
        {"Assembly", R_ASSEMBLY, -1},
        {"Automation", R_PLAIN, -1},
        {"BindingFlags", R_PLAIN, -1},
        {"Bypass", R_PLAIN, -1},
        {"Char", R_CHAR, -1},
        {"Command", R_PLAIN, -1},
        {"Compression", R_PLAIN, -1},
        {"CompressionMode", R_PLAIN, -1},
        {"Content", R_PLAIN, -1},
        {"Convert", R_PLAIN, -1},
        {"Create", R_CREATE, -1},
        {"DeflateStream", R_DECODER, 3},
        {"DefineDynamicAssembly", R_LOADER, -1},
        {"Directory", R_PLAIN, -1},
        {"DownloadData", R_DOWNLOAD, -1},
        {"DownloadFile", R_DOWNLOAD, -1},
        {"DownloadString", R_DOWNLOAD, -1},
        {"EncodedCommand", R_PLAIN, -1},
        {"Encoding", R_PLAIN, -1},
        {"Environment", R_PLAIN, -1},
        {"ExecutionContext", R_PLAIN, -1},
        {"ExecutionPolicy", R_PLAIN, -1},
        {"Expression", R_PLAIN, -1},
        {"File", R_PLAIN, -1},
        {"ForEach", R_PLAIN, -1},
        {"ForEach-Object", R_PLAIN, -1},
        {"Format", R_PLAIN, -1},
        {"FromBase64String", R_DECODER, 0},
        {"Function", R_PLAIN, -1},
        {"Get-ChildItem", R_PLAIN, -1},
        {"Get-Content", R_PLAIN, -1},
        {"Get-Item", R_PLAIN, -1},
        {"Get-Variable", R_PLAIN, -1},
        {"GetBytes", R_PLAIN, -1},
        {"GetDelegateForFunctionPointer", R_LOADER, -1},
        {"GetField", R_PLAIN, -1},
        {"GetMethod", R_PLAIN, -1},
        {"GetStream", R_STREAM, -1},
        {"GetString", R_DECODER, 1},
        {"GetType", R_PLAIN, -1},
        {"GetValue", R_PLAIN, -1},
        {"GZipStream", R_DECODER, 3},
        {"Hidden", R_PLAIN, -1},
        {"HttpClient", R_DOWNLOAD, -1},
        {"iex", R_IEX, -1},
        {"InteropServices", R_PLAIN, -1},
        {"Invoke", R_PLAIN, -1},
        {"Invoke-Command", R_PLAIN, -1},
        {"Invoke-Expression", R_IEX, -1},
        {"Invoke-RestMethod", R_DOWNLOAD, -1},
        {"Invoke-WebRequest", R_DOWNLOAD, -1},
        {"InvokeCommand", R_IEX, -1},
        {"InvokeScript", R_IEX, -1},
        {"iwr", R_DOWNLOAD, -1},
        {"Join", R_STRINGOP, -1},
        {"Length", R_PLAIN, -1},
        {"Load", R_LOAD, -1},
        {"Management", R_PLAIN, -1},
        {"Marshal", R_PLAIN, -1},
        {"MemoryStream", R_PLAIN, -1},
        {"nal", R_ALIAS, -1},
        {"Net", R_PLAIN, -1},
        {"New-Alias", R_ALIAS, -1},
        {"New-Object", R_PLAIN, -1},
        {"NewScriptBlock", R_IEX, -1},
        {"NonPublic", R_PLAIN, -1},
        {"Object", R_PLAIN, -1},
        {"Out-Null", R_PLAIN, -1},
        {"Out-String", R_PLAIN, -1},
        {"PowerShell", R_POWERSHELL, -1},
        {"Process", R_PLAIN, -1},
        {"PtrToStringAuto", R_DECODER, 8},
        {"pwsh", R_POWERSHELL, -1},
        {"ReadToEnd", R_PLAIN, -1},
        {"Reflection", R_PLAIN, -1},
        {"Replace", R_STRINGOP, -1},
        {"Return", R_PLAIN, -1},
        {"Reverse", R_STRINGOP, 7},
        {"Runtime", R_PLAIN, -1},
        {"ScriptBlock", R_SCRIPTBLOCK, -1},
        {"SecureStringToBSTR", R_DECODER, 8},
        {"sal", R_ALIAS, -1},
        {"Set-Alias", R_ALIAS, -1},
        {"Set-Item", R_PLAIN, -1},
        {"Set-Variable", R_PLAIN, -1},
        {"SetValue", R_PLAIN, -1},
        {"Sockets", R_SOCKET, -1},
        {"Split", R_STRINGOP, -1},
        {"Start-BitsTransfer", R_DOWNLOAD, -1},
        {"Start-Process", R_CHILD, -1},
        {"Start-Sleep", R_PLAIN, -1},
        {"StreamReader", R_PLAIN, -1},
        {"String", R_PLAIN, -1},
        {"Substring", R_PLAIN, -1},
        {"System", R_PLAIN, -1},
        {"TcpClient", R_SOCKET, -1},
        {"TcpListener", R_SOCKET, -1},
        {"Text", R_PLAIN, -1},
        {"ToByte", R_DECODER, 2},
        {"ToCharArray", R_STRINGOP, 6},
        {"ToInt16", R_DECODER, 2},
        {"ToInt32", R_DECODER, 2},
        {"ToString", R_PLAIN, -1},
        {"Type", R_PLAIN, -1},
        {"UdpClient", R_SOCKET, -1},
        {"Unicode", R_PLAIN, -1},
        {"UTF8", R_PLAIN, -1},
        {"Value", R_PLAIN, -1},
        {"Variable", R_PLAIN, -1},
        {"VirtualAlloc", R_LOADER, -1},
        {"WebClient", R_DOWNLOAD, -1},
        {"Where-Object", R_PLAIN, -1},
        {"Win32_Process", R_CHILD, -1},
        {"WindowStyle", R_PLAIN, -1},
        {"WinHttpRequest", R_DOWNLOAD, -1},
        {"Write-Host", R_PLAIN, -1},
        {"Write-Output", R_PLAIN, -1},
        {"WScript", R_CHILD, -1},
        {"XMLHTTP", R_DOWNLOAD, -1},
};
#define CHAR_DECODER_BIT 4
#define BXOR_DECODER_BIT 5

/* The operators only PowerShell writes, lower case without the '-': not those that test(1)
 * shares (-eq, -ne, -lt, -gt, -le, -ge, -a, -o, -f...). */
static const char *const ps_operators[] = {
        "band",     "bor",      "bxor",    "ceq",  "clike", "cmatch",      "cne",
        "contains", "creplace", "csplit",  "ieq",  "ilike", "imatch",      "ireplace",
        "isnot",    "isplit",   "join",    "like", "match", "notcontains", "notin",
        "notlike",  "notmatch", "replace", "shl",  "shr",   "split",       "xor",
};

/* The verbs of cmdlets that scripts call most, lower case with the '-'. */
static const char *const ps_verbs[] = {
        "add-",  "clear-",  "convertfrom-", "convertto-", "copy-", "export-", "foreach-",
        "get-",  "import-", "invoke-",      "join-",      "move-", "new-",    "out-",
        "read-", "remove-", "select-",      "set-",       "sort-", "split-",  "start-",
        "stop-", "test-",   "where-",       "write-",
};

/* The operators that cut, glue and turn strings, lower case without the '-'. */
static const char *const string_operators[] = {"join",  "replace", "creplace", "ireplace",
                                               "split", "csplit",  "isplit",   "bxor"};

enum tok { T_NONE, T_WORD, T_VAR, T_STRING, T_NUMBER, T_OPERATOR, T_OPEN, T_CLOSE, T_DOT, T_OTHER };

struct state {
        bool inner;               /* measuring the body of a here-string: no deeper */
        struct psshape inner_max; /* what the here-strings' bodies did, each field the most */
        const char *s;
        size_t n;
        struct psshape *m;
        int64_t code, strings, numbers, random_vars;
        size_t longest_at;
        int64_t line;
        bool line_has_code;
        unsigned kinds;
        enum tok last;
        enum role last_role;     /* the role of the last word */
        enum role member_of;     /* the role of the word before the '.' or '::' the last follows */
        int64_t tokens;          /* tokens so far, for "near" */
        int64_t scriptblock_at;  /* the token that named ScriptBlock */
        int64_t assembly_at;     /* the token that named Assembly */
        int64_t alias_at;        /* the token that named Set-Alias or New-Alias */
        int64_t powershell_line; /* the line number of the last "powershell" word, plus one */
        int64_t line_no;
        int64_t child_line;      /* the line whose powershell switch was counted, plus one */
        bool format_literal;     /* the last token is a literal holding {N} */
        bool member_of_variable; /* the last '.' or '::' followed a variable */
        bool plus_after_string;
};

static int cmp_entry(const void *a, const void *b)
{
        return strcasecmp(((const struct word_entry *)a)->name,
                          ((const struct word_entry *)b)->name);
}

static void words_init(void)
{
        qsort(words, ELEMENTS(words), sizeof(words[0]), cmp_entry);
}

static pthread_once_t words_once = PTHREAD_ONCE_INIT;

/* strncasecmp(a, b, len), inline: the lookups call it millions of times on words that most
 * often differ at their first byte, where the library's call costs more than the comparison */
static int compare_nocase(const char *a, const char *b, size_t len)
{
        for (size_t k = 0; k < len; k++) {
                int ca = tolower((unsigned char)a[k]), cb = tolower((unsigned char)b[k]);
                if (ca != cb)
                        return ca - cb;
                if (ca == 0)
                        return 0;
        }
        return 0;
}

static const struct word_entry *lookup(const char *w, size_t len)
{
        size_t lo = 0, hi = ELEMENTS(words);

        while (lo < hi) {
                size_t mid = (lo + hi) / 2;
                int c = compare_nocase(w, words[mid].name, len);
                if (c == 0 && words[mid].name[len])
                        c = -1;
                if (c == 0)
                        return &words[mid];
                if (c < 0)
                        hi = mid;
                else
                        lo = mid + 1;
        }
        return NULL;
}

static bool is_word_char(unsigned char c)
{
        return isalnum(c) || c == '_' || c >= 0x80;
}

/* Whether a segment (between '-') of a known word is written as people write it: lower case,
 * upper case, or capitals only where the usual spelling has them, after an optional run of
 * capitals (an acronym: TCPClient, GZIPStream). Case randomised by an obfuscator (sYsteM,
 * RePlAcE) puts capitals anywhere. */
static bool segment_case_ok(const char *w, const char *usual, size_t len)
{
        size_t k = 0, upper = 0, lower = 0;

        for (size_t i = 0; i < len; i++) {
                upper += isupper((unsigned char)w[i]) != 0;
                lower += islower((unsigned char)w[i]) != 0;
        }
        if (upper == 0 || lower == 0)
                return true;
        while (k < len && !islower((unsigned char)w[k]))
                k++;
        /* the capital that opens the first small letters belongs to the acronym's end */
        for (; k < len; k++)
                if (isupper((unsigned char)w[k]) && !isupper((unsigned char)usual[k]))
                        return false;
        return true;
}

static bool case_ok(const char *w, const char *usual, size_t len)
{
        size_t a = 0;

        for (size_t i = 0; i <= len; i++)
                if (i == len || w[i] == '-') {
                        if (!segment_case_ok(w + a, usual + a, i - a))
                                return false;
                        a = i + 1;
                }
        return true;
}

/* A name no person writes: letters and digits mixed again and again ($ve4lmfqixo5c1ry), five
 * small consonants in a row ($bzvcqi), or capitals in runs and after small letters (KWlqCKLfCV). */
static bool looks_random_name(const char *p, size_t len)
{
        size_t digit_turns = 0, run = 0, longest_run = 0, upper = 0, lower = 0, up_up = 0,
               low_up = 0;

        if (len >= 2 && !strncasecmp(p, "ps", 2)) {
                p += 2;
                len -= 2;
        }
        if (len < 5)
                return false;
        for (size_t k = 0; k < len; k++) {
                unsigned char c = (unsigned char)p[k], b = k ? (unsigned char)p[k - 1] : 0;
                char l = (char)tolower(c);
                upper += isupper(c) != 0;
                lower += islower(c) != 0;
                if (k > 0) {
                        /* between a letter and a digit: Srv2019_6_2 is a person's */
                        digit_turns += (isdigit(b) && isalpha(c)) || (isalpha(b) && isdigit(c));
                        up_up += isupper(b) && isupper(c);
                        low_up += islower(b) && isupper(c);
                }
                /* small letters only: an acronym (DHCPServer) is no random run */
                if (islower(c) && !strchr("aeiouy", l))
                        run++;
                else
                        run = 0;
                if (run > longest_run)
                        longest_run = run;
        }
        if (digit_turns >= 3 || longest_run >= 5)
                return true;
        return len >= 6 && upper >= 3 && lower >= 2 && upper * 4 >= len && up_up >= 2 &&
               low_up >= 2;
}

static void newline(struct state *st)
{
        if (st->line_has_code)
                st->m->lines++;
        st->line = 0;
        st->line_has_code = false;
        st->line_no++;
        st->last = T_NONE; /* a line starts a command */
}

/* The bytes s[a..b) into the line counts: a span at a time between breaks (memchr), since the
 * comments, strings and words handed here run long and most hold no break; the longest line is
 * the same as when it is raised at every byte, the length only growing within a line. */
static void line_bytes(struct state *st, size_t a, size_t b, bool code)
{
        while (a < b) {
                const char *nl = memchr(st->s + a, '\n', b - a);
                size_t end = nl ? (size_t)(nl - st->s) : b;

                st->line += (int64_t)(end - a);
                if (st->line > st->m->max_line)
                        st->m->max_line = st->line;
                for (size_t k = a; code && !st->line_has_code && k < end; k++)
                        st->line_has_code = !isspace((unsigned char)st->s[k]);
                if (!nl)
                        return;
                newline(st);
                a = end + 1;
        }
}

static void set_token(struct state *st, enum tok t)
{
        st->format_literal = false;
        st->plus_after_string = false;
        st->last = t;
        st->tokens++;
}

static void decoder(struct state *st, int bit)
{
        st->m->decoders++;
        st->kinds |= 1u << bit;
}

/* A known word w (ticks removed) of role e, written at token index st->tokens. */
static void known_word(struct state *st, const char *w, size_t len, const struct word_entry *e,
                       bool literal)
{
        struct psshape *m = st->m;
        bool member = st->last == T_DOT && !literal;

        m->known_words++;
        if (len >= 3 && !case_ok(w, e->name, len))
                m->random_case++;
        switch (e->role) {
        case R_IEX:
                /* a member InvokeCommand of something, or the cmdlet; in a literal, the name
                 * that a call operator runs: &('ie'+'x') once normalised */
                m->sink_iex++;
                break;
        case R_SCRIPTBLOCK:
                st->scriptblock_at = st->tokens + 1;
                break;
        case R_CREATE:
                /* [ScriptBlock]::Create, or $t::Create where $t = [ScriptBlock] */
                if (member && st->scriptblock_at &&
                    (st->tokens + 1 - st->scriptblock_at <= 4 || st->member_of_variable))
                        m->sink_iex++;
                break;
        case R_POWERSHELL:
                st->powershell_line = st->line_no + 1;
                break;
        case R_CHILD:
                m->sink_child++;
                break;
        case R_ASSEMBLY:
                st->assembly_at = st->tokens + 1;
                break;
        case R_LOAD:
                if (member && st->assembly_at && st->tokens + 1 - st->assembly_at <= 4)
                        m->sink_load++;
                break;
        case R_LOADER:
                m->sink_load++;
                break;
        case R_ADDTYPE:
                m->add_type++;
                break;
        case R_ALIAS:
                st->alias_at = st->tokens + 1;
                break;
        case R_DOWNLOAD:
                m->downloads++;
                break;
        case R_SOCKET:
                m->sockets++;
                break;
        case R_STREAM:
                m->streams++;
                break;
        case R_DECODER:
                decoder(st, e->decoder_bit);
                break;
        case R_STRINGOP:
                if (member) {
                        m->string_ops++;
                        if (e->decoder_bit >= 0)
                                decoder(st, e->decoder_bit);
                }
                break;
        case R_CHAR:
        case R_PLAIN:
                break;
        }
        st->last_role = e->role;
}

/* The word [a, b) with its ticks removed into w (at most WORD_MAX bytes); its length, or 0
 * when it is longer. */
static size_t untick(const char *s, size_t a, size_t b, char *w, size_t *ret_ticks)
{
        size_t len = 0, ticks = 0;

        for (size_t k = a; k < b; k++) {
                if (s[k] == '`' && k + 1 < b && s[k + 1] == '`') {
                        k++; /* `` is a backtick */
                        continue;
                }
                if (s[k] == '`') {
                        /* `n, `t and the other escapes are how text is written; a tick inside a
                         * word before another letter does nothing but hide it (one that opens
                         * the word is Markdown's quote in prose) */
                        ticks += k > a && k + 1 < b && isalpha((unsigned char)s[k + 1]) &&
                                 !strchr("0abefnrtuvABEFNRTUV", s[k + 1]);
                        continue;
                }
                if (len == WORD_MAX)
                        return 0;
                w[len++] = s[k];
        }
        *ret_ticks = ticks;
        return len;
}

/* Whether the word is a cmdlet's name: a common verb, '-', a noun, the verb or the noun
 * capitalised (CSS's and HTML's select-box, start-startEvent are not). */
static bool is_cmdlet(const char *w, size_t len)
{
        for (size_t k = 0; k < ELEMENTS(ps_verbs); k++) {
                size_t v = strlen(ps_verbs[k]);
                if (len > v && !strncasecmp(w, ps_verbs[k], v) && isalpha((unsigned char)w[v]))
                        return isupper((unsigned char)w[0]) || isupper((unsigned char)w[v]);
        }
        return false;
}

static void word_token(struct state *st, size_t a, size_t b)
{
        char w[WORD_MAX];
        size_t ticks = 0, len = untick(st->s, a, b, w, &ticks);
        const struct word_entry *e;

        if (ticks > 0)
                st->m->tick_words++;
        st->last_role = R_PLAIN;
        if (len == 0)
                return;
        if (memchr(w, '-', len) && is_cmdlet(w, len))
                st->m->syntax++;
        e = lookup(w, len);
        if (e) {
                known_word(st, w, len, e, false);
                return;
        }
        /* System.Net.WebClient is read a part at a time; a cmdlet is whole: its parts */
        for (size_t i = 0, p = 0; i <= len; i++)
                if (i == len || w[i] == '-') {
                        if (i > p && (p > 0 || i < len) && (e = lookup(w + p, i - p)))
                                known_word(st, w + p, i - p, e, false);
                        p = i + 1;
                }
}

/* An operator or parameter -name [a, b) (a at the '-'). */
static void operator_token(struct state *st, size_t a, size_t b)
{
        const char *p = st->s + a + 1;
        size_t len = b - a - 1;
        struct psshape *m = st->m;

        if (len == 1 && tolower((unsigned char)p[0]) == 'f' && st->format_literal) {
                m->format_ops++;
                m->syntax++;
        }
        for (size_t k = 0; k < ELEMENTS(ps_operators); k++)
                if (strlen(ps_operators[k]) == len && !strncasecmp(p, ps_operators[k], len)) {
                        m->syntax++;
                        break;
                }
        for (size_t k = 0; k < ELEMENTS(string_operators); k++)
                if (strlen(string_operators[k]) == len &&
                    !strncasecmp(p, string_operators[k], len)) {
                        m->string_ops++;
                        if (k == ELEMENTS(string_operators) - 1)
                                decoder(st, BXOR_DECODER_BIT);
                }
        /* powershell -e / -enc / -EncodedCommand / -w hidden / -nop: a child PowerShell told to
         * run a command it is not shown, once a line */
        if (st->powershell_line == st->line_no + 1 && st->child_line != st->line_no + 1 &&
            ((len >= 1 && len <= 14 && !strncasecmp(p, "encodedcommand", len)) ||
             (len >= 1 && len <= 11 && !strncasecmp(p, "windowstyle", len)) ||
             (len == 2 && !strncasecmp(p, "ec", 2)) ||
             (len >= 3 && len <= 9 && !strncasecmp(p, "noprofile", len)) ||
             (len == 3 && !strncasecmp(p, "nop", 3)))) {
                m->sink_child++;
                st->child_line = st->line_no + 1;
        }
}

/* Base64 broken into lines is still encoded: line breaks count, spaces do not. */
static bool is_encoded_char(unsigned char c)
{
        return isalnum(c) || (c && strchr("+/=%\\,;:|.-_~!\r\n", c));
}

/* Whether the literal holds a format item {N}. */
static bool has_format_item(const char *p, size_t len)
{
        for (size_t k = 0; k + 2 < len; k++)
                if (p[k] == '{' && isdigit((unsigned char)p[k + 1]) &&
                    (p[k + 2] == '}' ||
                     (k + 3 < len && isdigit((unsigned char)p[k + 2]) && p[k + 3] == '}')))
                        return true;
        return false;
}

/* Whether the literal is a command line that starts PowerShell hidden or encoded. */
static bool child_command_line(const char *p, size_t len)
{
        static const char *const switches[] = {" -e ",  " -ec ", " -enc", " -w h",
                                               " -win", " -nop", " -exec"};

        if (len < 16 || !memmem(p, len, "owershell", 9))
                return false;
        for (size_t k = 0; k < ELEMENTS(switches); k++)
                if (find_nocase(p, len, switches[k]))
                        return true;
        return false;
}

/* A string literal's body [a, b): its share, the longest, a word or command line it holds. */
static void literal_token(struct state *st, size_t a, size_t b)
{
        struct psshape *m = st->m;
        const char *p = st->s + a;
        size_t len = b - a;
        bool encoded = len > 0;

        if ((int64_t)len > m->longest_literal) {
                m->longest_literal = (int64_t)len;
                st->longest_at = a;
        }
        if ((int64_t)len > m->encoded_literal) {
                for (size_t k = 0; k < len && encoded; k++)
                        encoded = is_encoded_char((unsigned char)p[k]);
                if (encoded)
                        m->encoded_literal = (int64_t)len;
        }
        if (len >= 3 && len <= WORD_MAX) {
                char w[WORD_MAX];
                size_t ticks, wl = untick(st->s, a, b, w, &ticks);
                const struct word_entry *e = wl ? lookup(w, wl) : NULL;
                if (e)
                        known_word(st, w, wl, e, true);
        }
        if (child_command_line(p, len))
                m->sink_child++;
        if (st->plus_after_string && len > 0 && !memchr(p, ' ', len))
                m->concat_strings++;
}

/* Where the literal opening at i ends, after its closing quote (or at end): '...' doubles
 * its quote, "..." also escapes with a backtick; @'/@" here-strings end at a line that
 * opens with the quote and '@'. *ret_body_a and *ret_body_b delimit the body. */
static size_t skip_literal(const char *s, size_t i, size_t end, size_t *ret_body_a,
                           size_t *ret_body_b)
{
        if (s[i] == '@') {
                char q = s[i + 1];
                size_t k = i + 2;
                *ret_body_a = k;
                for (; k + 1 < end; k++)
                        if (s[k] == '\n' && s[k + 1] == q && k + 2 < end && s[k + 2] == '@') {
                                *ret_body_b = k;
                                return k + 3;
                        }
                *ret_body_b = end;
                return end;
        }
        char q = s[i];
        size_t k = i + 1;
        *ret_body_a = k;
        while (k < end) {
                if (q == '"' && s[k] == '`' && k + 1 < end) {
                        k += 2;
                        continue;
                }
                if (s[k] == q) {
                        if (k + 1 < end && s[k + 1] == q) {
                                k += 2;
                                continue;
                        }
                        *ret_body_b = k;
                        return k + 1;
                }
                k++;
        }
        *ret_body_b = end;
        return end;
}

/* The variable name after the '$' at i: $name, $scope:name, ${any}. */
static size_t variable_token(struct state *st, size_t i, size_t end)
{
        const char *s = st->s;
        size_t a = i + 1, j;

        if (a < end && s[a] == '{') {
                const char *close = memchr(s + a, '}', end - a);
                bool named = false;
                j = close ? (size_t)(close - s) + 1 : end;
                for (size_t k = a + 1; k + 1 < j && !named; k++)
                        named = is_word_char((unsigned char)s[k]);
                st->m->variables++;
                st->m->symbol_vars += !named;
                return j;
        }
        j = a;
        while (j < end && (is_word_char((unsigned char)s[j]) ||
                           (s[j] == ':' && j + 1 < end && is_word_char((unsigned char)s[j + 1]))))
                j++;
        if (j == a)
                return j < end && strchr("_?$^", s[j]) ? j + 1 : j;
        const char *colon = memchr(s + a, ':', j - a);
        size_t name = colon ? (size_t)(colon - s) + 1 : a;
        st->m->variables++;
        st->random_vars += looks_random_name(s + name, j - name);
        return j;
}

/* Whether the '&' or '.' at i starts a command (not a member access or a redirection) and
 * calls something built: a parenthesis or an indexed variable. */
static bool calls_built(const struct state *st, size_t i, size_t end)
{
        const char *s = st->s;
        size_t k = i + 1;

        if (st->last != T_NONE && st->last != T_OTHER && st->last != T_OPEN)
                return false;
        /* (&(objectClass=user)(...)): an LDAP filter, in a literal the tokenizer lost; a &&
         * b: another language's and (PowerShell 7's too) */
        if (s[i] == '&' && i > 0 && (s[i - 1] == '(' || s[i - 1] == '&'))
                return false;
        if (s[i] == '&' && i + 1 < end && s[i + 1] == '&')
                return false;
        while (k < end && (s[k] == ' ' || s[k] == '\t'))
                k++;
        if (k >= end)
                return false;
        /* not a literal: & "C:\Program Files\x.exe" and . "$PSScriptRoot\lib.ps1" are how
         * scripts run programs and load their parts */
        if (s[k] == '(')
                return true;
        if (s[k] != '$')
                return false;
        /* &$x[3,4] or &$env:comspec[4,15,25]: a name taken out of another's letters */
        for (k++; k < end && (is_word_char((unsigned char)s[k]) || s[k] == ':'); k++)
                ;
        return k < end && s[k] == '[';
}

static void number_token(struct state *st, size_t i, size_t j)
{
        size_t k = i;

        while (k > 0 && (st->s[k - 1] == ' ' || st->s[k - 1] == '\t'))
                k--;
        if (k > 0 && strchr(",(/*+-%", st->s[k - 1]))
                st->numbers += (int64_t)(j - i);
}

static void measure(struct state *st);

/* The body [a, b) of a here-string, measured as code on its own: the fields that count what
 * code does (known_words to streams) go into st->inner_max, each the most of any body. */
static void here_string_code(struct state *st, size_t a, size_t b)
{
        struct psshape m = {0};
        struct state in = {.inner = true, .s = st->s + a, .n = b - a, .m = &m};
        const size_t first = offsetof(struct psshape, known_words) / sizeof(int64_t),
                     last = offsetof(struct psshape, streams) / sizeof(int64_t);
        int64_t *x = (int64_t *)&st->inner_max;
        const int64_t *y = (const int64_t *)&m;

        if (st->inner || b - a < 64)
                return;
        measure(&in);
        m.decoder_kinds = __builtin_popcount(in.kinds);
        for (size_t k = first; k <= last; k++)
                if (x[k] < y[k])
                        x[k] = y[k];
}

static void measure(struct state *st)
{
        const char *s = st->s;
        size_t i = 0, end = st->n, j;

        while (i < end) {
                unsigned char c = (unsigned char)s[i];

                if (c == '\n') {
                        newline(st);
                        i++;
                        continue;
                }
                if (isspace(c)) {
                        line_bytes(st, i, i + 1, false);
                        i++;
                        continue;
                }
                if (c == '#' || (c == '<' && i + 1 < end && s[i + 1] == '#')) {
                        if (c == '#') {
                                const char *nl = memchr(s + i, '\n', end - i);
                                j = nl ? (size_t)(nl - s) : end;
                        } else {
                                const char *close = memmem(s + i + 2, end - i - 2, "#>", 2);
                                j = close ? (size_t)(close - s) + 2 : end;
                        }
                        line_bytes(st, i, j, false);
                        i = j;
                        continue;
                }
                if (c == '\'' || c == '"' ||
                    (c == '@' && i + 2 < end && (s[i + 1] == '\'' || s[i + 1] == '"') &&
                     (s[i + 2] == '\n' || s[i + 2] == '\r'))) {
                        size_t body_a, body_b;
                        j = skip_literal(s, i, end, &body_a, &body_b);
                        literal_token(st, body_a, body_b);
                        /* I''RM, Ne""w-Object: a word broken by an empty literal */
                        if (j == i + 2 && i > 0 && is_word_char((unsigned char)s[i - 1]) &&
                            j < end && is_word_char((unsigned char)s[j]))
                                st->m->tick_words++;
                        if (c == '@')
                                here_string_code(st, body_a, body_b);
                        bool format = has_format_item(s + body_a, body_b - body_a);
                        st->strings += (int64_t)(j - i);
                        st->code += (int64_t)(j - i);
                        line_bytes(st, i, j, true);
                        set_token(st, T_STRING);
                        st->format_literal = format;
                        i = j;
                        continue;
                }
                if (c == '$') {
                        j = variable_token(st, i, end);
                        st->code += (int64_t)(j - i);
                        line_bytes(st, i, j, true);
                        set_token(st, T_VAR);
                        i = j;
                        continue;
                }
                if (isdigit(c)) {
                        j = i + 1;
                        while (j < end && (isalnum((unsigned char)s[j]) || s[j] == '.'))
                                j++;
                        number_token(st, i, j);
                        st->code += (int64_t)(j - i);
                        line_bytes(st, i, j, true);
                        set_token(st, T_NUMBER);
                        i = j;
                        continue;
                }
                if (c == '-' && i + 1 < end && isalpha((unsigned char)s[i + 1])) {
                        j = i + 1;
                        while (j < end && (isalnum((unsigned char)s[j]) || s[j] == '_'))
                                j++;
                        operator_token(st, i, j);
                        st->code += (int64_t)(j - i);
                        line_bytes(st, i, j, true);
                        set_token(st, T_OPERATOR);
                        i = j;
                        continue;
                }
                if (is_word_char(c) ||
                    (c == '`' && i + 1 < end && isalpha((unsigned char)s[i + 1]) &&
                     (i == 0 || s[i - 1] != '`'))) {
                        j = i + 1;
                        while (j < end && (is_word_char((unsigned char)s[j]) || s[j] == '-' ||
                                           (s[j] == '`' && j + 1 < end &&
                                            is_word_char((unsigned char)s[j + 1]))))
                                j++;
                        word_token(st, i, j);
                        st->code += (int64_t)(j - i);
                        line_bytes(st, i, j, true);
                        enum role r = st->last_role;
                        set_token(st, T_WORD);
                        st->last_role = r;
                        i = j;
                        continue;
                }
                /* punctuation */
                st->code++;
                line_bytes(st, i, i + 1, true);
                if ((c == '&' || c == '.') && calls_built(st, i, end))
                        st->m->sink_call++;
                if (c == '[' && i + 5 < end && !strncasecmp(s + i + 1, "char", 4) &&
                    (s[i + 5] == ']' || s[i + 5] == '[')) {
                        st->m->char_casts++;
                        decoder(st, CHAR_DECODER_BIT);
                }
                if (c == ':' && i + 1 < end && s[i + 1] == ':' && st->last == T_CLOSE &&
                    s[i - 1] == ']')
                        st->m->syntax++; /* [Type]::Member */
                if (c == '.' || (c == ':' && i + 1 < end && s[i + 1] == ':')) {
                        enum role r = st->last_role;
                        bool variable = st->last == T_VAR;
                        set_token(st, T_DOT);
                        st->member_of = r;
                        st->member_of_variable = variable;
                        i += c == ':' ? 2 : 1;
                        continue;
                }
                if (c == '|' && i + 1 < end) {
                        /* | &( and | . ( are calls too; the token before is a pipe */
                        set_token(st, T_OTHER);
                } else if (c == '+') {
                        bool after = st->last == T_STRING;
                        set_token(st, T_OTHER);
                        st->plus_after_string = after;
                } else if (c == '(' || c == '{') {
                        /* Set-Alias x $([char]105+...): a command named by what it builds */
                        if (c == '(' && st->alias_at && st->tokens + 1 - st->alias_at <= 3)
                                st->m->sink_call++;
                        set_token(st, T_OPEN);
                } else if (c == ')' || c == ']' || c == '}') {
                        bool keep = c == ']'; /* [Type]::Member: the type's role carries on */
                        enum role r = st->last_role;
                        set_token(st, T_CLOSE);
                        if (keep)
                                st->last_role = r;
                } else if (c == '[') {
                        enum role r = st->last_role;
                        set_token(st, T_OTHER);
                        st->last_role = r;
                } else {
                        set_token(st, T_OTHER);
                }
                i++;
        }
        newline(st);
}

void psshape_measure(const char *s, size_t n, struct psshape *ret)
{
        struct psshape m = {0};
        struct state st = {.s = s, .n = n > PSSHAPE_MAX_INPUT ? PSSHAPE_MAX_INPUT : n, .m = &m};

        pthread_once(&words_once, words_init);
        if (s)
                measure(&st);
        m.bytes = st.code;
        if (st.code > 0) {
                m.string_pm = st.strings * 1000 / st.code;
                m.number_pm = st.numbers * 1000 / st.code;
        }
        if (m.variables > 0)
                m.random_vars_pm = st.random_vars * 1000 / m.variables;
        m.literal_entropy = entropy_centibits(s + st.longest_at, (size_t)m.longest_literal, NULL);
        m.decoder_kinds = __builtin_popcount(st.kinds);
        /* what the here-strings' code does: from known_words to streams, but the line lengths
         * (those of the text are measured already) */
        st.inner_max.max_line = st.inner_max.lines = 0;
        psshape_merge(&m, &st.inner_max);
        *ret = m;
}

void psshape_merge(struct psshape *a, const struct psshape *b)
{
        shape_merge_max(a, b, sizeof(*a));
}
