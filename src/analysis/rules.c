/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The rule layer: YARA rules (the shipped pack and users' folders), compiled once per
 * context and cached on disk keyed by the hash of their sources, plus lists of SHA-256
 * hashes (one line per rule, as ClamAV's .hsb files). */
#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <sys/stat.h>
#include <yara.h>

#include "analysis-internal.h"
#include "analysis/dotnetblob.h"
#include "analysis/jsshape.h"
#include "analysis/psmodel.h"
#include "analysis/ducky.h"
#include "analysis/jsmodel.h"
#include "analysis/webmodel.h"
#include "analysis/psshape.h"
#include "analysis/pageshape.h"
#include "analysis/webshape.h"
#include "analysis/normalise.h"
#include "analysis/psinflate.h"
#include "analysis/pslang.h"
#include "analysis/scriptenc.h"
#include "basic/fileio.h"
#include "basic/hex.h"
#include "basic/log.h"
#include "basic/paths.h"
#include "basic/sha256.h"
#include "basic/strv.h"

struct hash_rule {
        char sha256[65];
        int64_t size; /* -1: any */
        char *name;
};

/* A rule file may say that its rules can only match one kind of content, with a line
 * "// airlock-scope: NAME" (rules/README.md). Its rules are compiled into a set of their own,
 * scanned only over content of that kind (ClamAV's signatures have target types for the same
 * reason): YARA searches for every string of a set over every byte whatever the conditions say,
 * and the markup rules' strings (" on" and the like) cost more on plain text than all the other
 * rules together. The condition of every rule in such a file must imply the scope's test below,
 * so that the verdicts are the same as scanning everything with everything. */
enum rule_scope {
        SCOPE_ALL,     /* no scope line: every node */
        SCOPE_MARKUP,  /* "markup": <!doctype html, <html, <script or <body anywhere, or <svg in
                        * the first 4 KiB (as the pack's airlock_is_html / airlock_is_svg) */
        SCOPE_PDF,     /* "pdf": %PDF at offset 0, or at 1 below 64 MiB (as airlock_is_pdf) */
        SCOPE_PHP,     /* "php": a PHP opening anywhere (see php_opening()) */
        SCOPE_PAGE,    /* "page": markup, or text whose file_type is "script": a web page, or
                        * the script of one saved alone (jsshape.yar) */
        SCOPE_EXPLOIT, /* "exploit": page text that holds what one of exploits.yar's rules
                        * needs (page_could_match()) */
        N_SCOPES,
};

static const char *const scope_names[N_SCOPES] = {"", "markup", "pdf", "php", "page", "exploit"};

/* Scanners of each scope's rules, idle between scans. yr_scanner_create() builds an object for
 * every external variable and clears a table for every string: it cost as much as YARA's pass
 * over a 20 KiB text, for each rule set and text. A scan takes one from here and gives it back
 * (YARA clears a scanner's matches at the end of each scan); at most MAX_IDLE_SCANNERS of a
 * scope wait, one for each thread that scanned at once. */
#define MAX_IDLE_SCANNERS 16

struct scanner_pool {
        pthread_mutex_t lock;
        YR_SCANNER *idle[N_SCOPES][MAX_IDLE_SCANNERS];
        size_t n_idle[N_SCOPES];
};

struct rules {
        YR_RULES *yara[N_SCOPES];
        struct scanner_pool *scanners;
        bool uses_encoded[N_SCOPES]; /* a file of the scope names an encoded_* variable */
        bool uses_literal[N_SCOPES]; /* a file of the scope names a literal_variables[] one */
        bool uses_js[N_SCOPES];      /* a file of the scope names a js_variables[] one */
        bool uses_ps[N_SCOPES];      /* a file of the scope names a ps_variables[] one */
        bool uses_psmodel[N_SCOPES]; /* ... a psmodel_variables[] one */
        bool uses_page[N_SCOPES];    /* ... a page_variables[] or jsb_variables[] one */
        bool uses_web[N_SCOPES];     /* a file of the scope names a web_variables[] one */
        /* a file of the scope names a webmodel_variables[] one */
        bool uses_webmodel[N_SCOPES];
        bool uses_jsmodel[N_SCOPES]; /* ... a jsmodel_variables[] one */
        size_t n_yara;
        struct hash_rule *hashes;
        size_t n_hashes;
};

/* Integers measured in C and handed to the rules as external variables: scanning for long
 * runs of encoded data is cheap in C and slow as a YARA regular expression. */
static const char *const encoded_variables[] = {
        "encoded_b64",     /* characters in base64 runs of at least 32 (see encoded_stats) and
                            * hex runs of at least 160 */
        "encoded_numbers", /* numbers in comma-separated lists of at least 32 byte values */
        "encoded_escapes", /* \xHH, %HH, \uHHHH escapes in runs of at least 16 */
        "encoded_header",  /* 1 when such a run decodes to a known file header */
        /* 1 when a base64 run decodes, plain or compressed, to a .NET assembly (see
         * encoded_assembly_check) */
        "encoded_assembly",
};

/* Measured in C over markup only (the markup scope): the longest string literal or element
 * text without white space, as a YARA regular expression would need a pass of its own per
 * quote for it. */
static const char *const literal_variables[] = {
        "literal_run",       /* bytes in the longest run that a quote or '>' opens and white
                              * space, a quote, '<' or '>' ends */
        "literal_digit_run", /* the same over runs of numbers of at most 5 digits and the
                              * separators ,;:|!.-/_~^#@*% only: character codes written out,
                              * "60,115,99,..." (not JSON arrays, not ids) */
        "element_run",       /* the longest run that '>' opens (an element's text) of base64,
                              * hex, digits and the separators above only */
};

/* Measured in C over scripts and the <script> bodies of markup (analysis/jsshape.h), in the
 * order of struct jsshape's fields: the structure of a script, for rules that pair an anomaly
 * with a sink. */
static const char *const js_variables[] = {
        "js_bytes",           "js_string_pm",     "js_longest_literal", "js_literal_entropy",
        "js_encoded_literal", "js_number_pm",     "js_identifiers",     "js_generated_ids_pm",
        "js_max_line",        "js_lines",         "js_bracket_strings", "js_concat_strings",
        "js_sink_eval",       "js_sink_write",    "js_sink_inject",     "js_sink_redirect",
        "js_sink_wsh",        "js_decoders",      "js_decoder_kinds",   "js_hidden_names",
        "js_sink_activex",    "js_browser_names", "js_hex_ids_pm",      "js_packed",
};
_Static_assert(sizeof(js_variables) / sizeof(js_variables[0]) ==
                       sizeof(struct jsshape) / sizeof(int64_t),
               "one js_ variable per field of struct jsshape");

/* Measured in C over text that is not prose (analysis/psshape.h), in the order of struct
 * psshape's fields: the structure of a PowerShell script, for rules that pair an anomaly with
 * a sink (rules/psshape.yar). */
static const char *const ps_variables[] = {
        "ps_bytes",           "ps_string_pm",     "ps_longest_literal", "ps_literal_entropy",
        "ps_encoded_literal", "ps_number_pm",     "ps_variables",       "ps_random_vars_pm",
        "ps_symbol_vars",     "ps_known_words",   "ps_random_case",     "ps_tick_words",
        "ps_char_casts",      "ps_format_ops",    "ps_concat_strings",  "ps_string_ops",
        "ps_decoders",        "ps_decoder_kinds", "ps_max_line",        "ps_lines",
        "ps_sink_iex",        "ps_sink_call",     "ps_sink_child",      "ps_sink_load",
        "ps_add_type",        "ps_downloads",     "ps_sockets",         "ps_streams",
        "ps_syntax",
};
_Static_assert(sizeof(ps_variables) / sizeof(ps_variables[0]) ==
                       sizeof(struct psshape) / sizeof(int64_t),
               "one ps_ variable per field of struct psshape");

/* The vocabulary model's score of a text that reads as PowerShell (analysis/psmodel.h), in
 * the order of struct psmodel_scores' fields: offensive tools written in plain PowerShell
 * (rules/psmodel.yar). */
struct psmodel_scores {
        int64_t model; /* the logit in thousandths; 0 when the text was not modelled */
};
static const char *const psmodel_variables[] = {"ps_model"};
_Static_assert(sizeof(psmodel_variables) / sizeof(psmodel_variables[0]) ==
                       sizeof(struct psmodel_scores) / sizeof(int64_t),
               "one psmodel variable per field of struct psmodel_scores");
/* The vocabulary model's score of a text that webshape reads as a server-side script
 * (analysis/webmodel.h), in the order of struct webmodel_scores' fields: file managers,
 * consoles, uploaders, mailers, IRC bots and loaders by what they name together
 * (rules/webmodel.yar). */
struct webmodel_scores {
        int64_t model; /* the logit in thousandths; 0 when the text was not modelled */
};
static const char *const webmodel_variables[] = {"web_model"};
_Static_assert(sizeof(webmodel_variables) / sizeof(webmodel_variables[0]) ==
                       sizeof(struct webmodel_scores) / sizeof(int64_t),
               "one webmodel variable per field of struct webmodel_scores");
/* The vocabulary model's score of a script, or of a page's inline <script> bodies (the
 * highest), measured over the raw text (analysis/jsmodel.h), in the order of struct
 * jsmodel_scores' fields: WSH droppers and injected page scripts by what they name together
 * (rules/jsmodel.yar). */
struct jsmodel_scores {
        int64_t model; /* the logit in thousandths; 0 when the text was not modelled */
};
static const char *const jsmodel_variables[] = {"js_model"};
_Static_assert(sizeof(jsmodel_variables) / sizeof(jsmodel_variables[0]) ==
                       sizeof(struct jsmodel_scores) / sizeof(int64_t),
               "one jsmodel variable per field of struct jsmodel_scores");
/* Measured in C over markup (analysis/pageshape.h), in the order of struct pageshape's fields:
 * the structure of a page around its scripts. */
static const char *const page_variables[] = {
        "page_blocks",           "page_carrier_run",       "page_carrier_entropy",
        "page_carrier_alphabet", "page_dom_reads",         "page_edge_elements",
        "page_edge_active",      "page_hidden_iframes",    "page_ip_sources",
        "page_bare_iframes",     "page_iframes",           "page_parent_iframes",
        "page_gate_blocks",      "page_edge_bytes",        "page_edge_hex_ids_pm",
        "page_edge_encoded",     "page_edge_number_pm",    "page_edge_sinks",
        "page_edge_decoders",    "page_bare_lone_iframes", "page_decoded_injections",
        "page_shifted_lists",
};
_Static_assert(sizeof(page_variables) / sizeof(page_variables[0]) ==
                       sizeof(struct pageshape) / sizeof(int64_t),
               "one page_ variable per field of struct pageshape");

/* The jsshape of a page's most anomalous <script> body with a sink (pageshape_measure()), in
 * the order of struct jsshape's fields: an injected script that the page-wide js_* dilute. */
static const char *const jsb_variables[] = {
        "jsb_bytes",           "jsb_string_pm",     "jsb_longest_literal", "jsb_literal_entropy",
        "jsb_encoded_literal", "jsb_number_pm",     "jsb_identifiers",     "jsb_generated_ids_pm",
        "jsb_max_line",        "jsb_lines",         "jsb_bracket_strings", "jsb_concat_strings",
        "jsb_sink_eval",       "jsb_sink_write",    "jsb_sink_inject",     "jsb_sink_redirect",
        "jsb_sink_wsh",        "jsb_decoders",      "jsb_decoder_kinds",   "jsb_hidden_names",
        "jsb_sink_activex",    "jsb_browser_names", "jsb_hex_ids_pm",      "jsb_packed",
};
_Static_assert(sizeof(jsb_variables) / sizeof(jsb_variables[0]) ==
                       sizeof(struct jsshape) / sizeof(int64_t),
               "one jsb_ variable per field of struct jsshape");
/* Measured in C over server-side scripts (analysis/webshape.h), in the order of struct
 * webshape's fields: where the request's input goes, and what a file-manager shell can do. */
static const char *const web_variables[] = {
        "web_language",        "web_sources",       "web_taint_exec",    "web_taint_eval",
        "web_taint_callee",    "web_taint_dynamic", "web_taint_include", "web_taint_write",
        "web_extract_request", "web_var_calls",     "web_sink_calls",    "web_caps",
        "web_cap_count",       "web_bytes",         "web_string_pm",     "web_longest_literal",
        "web_max_line",        "web_fn_exec",       "web_fn_eval",       "web_fn_write",
        "web_fn_exec_kinds",   "web_write_both",    "web_taint_connect", "web_taint_query",
        "web_socket_reads",    "web_taint_mail",
};
_Static_assert(sizeof(web_variables) / sizeof(web_variables[0]) ==
                       sizeof(struct webshape) / sizeof(int64_t),
               "one web_ variable per field of struct webshape");

struct encoded_stats {
        int64_t b64, numbers, escapes, header, assembly;
        unsigned assembly_checks;
};

/* What literal_runs() measured (literal_variables[]). */
struct literal_stats {
        int64_t literal, literal_digits, element;
};

static pthread_mutex_t yara_init_lock = PTHREAD_MUTEX_INITIALIZER;

static bool has_suffix(const char *s, const char *suffix)
{
        size_t a = strlen(s), b = strlen(suffix);
        return a >= b && strcasecmp(s + a - b, suffix) == 0;
}

static int cmp_str(const void *a, const void *b)
{
        return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Appends the rule files of dir (sorted, so that the cache key is stable) to *files. */
static int list_rule_files(const char *dir, char ***files, size_t *n)
{
        DIR *d = opendir(dir);
        struct dirent *de;
        size_t first = *n;

        if (!d)
                return negative_errno();
        while ((de = readdir(d))) {
                char *p, **grown;
                if (de->d_name[0] == '.')
                        continue;
                if (!has_suffix(de->d_name, ".yar") && !has_suffix(de->d_name, ".yara") &&
                    !has_suffix(de->d_name, ".hsb") && !has_suffix(de->d_name, ".hdb") &&
                    !has_suffix(de->d_name, ".sha256"))
                        continue;
                if (asprintf(&p, "%s/%s", dir, de->d_name) < 0)
                        goto nomem;
                grown = reallocarray(*files, *n + 2, sizeof(char *));
                if (!grown) {
                        free(p);
                        goto nomem;
                }
                *files = grown;
                (*files)[(*n)++] = p;
                (*files)[*n] = NULL;
        }
        closedir(d);
        if (*n > first)
                qsort(*files + first, *n - first, sizeof(char *), cmp_str);
        return 0;
nomem:
        closedir(d);
        return -ENOMEM;
}

static bool is_hex64(const char *s, size_t len)
{
        if (len != 64)
                return false;
        for (size_t i = 0; i < len; i++)
                if (!strchr("0123456789abcdefABCDEF", s[i]))
                        return false;
        return true;
}

/* Lines "SHA256:SIZE:NAME" ('*' for any size); '#' comments and blank lines are skipped. */
static int parse_hash_file(struct rules *r, const char *path, char *text, char **ret_error)
{
        unsigned line = 0;

        for (char *save = NULL, *l = strtok_r(text, "\n", &save); l;
             l = strtok_r(NULL, "\n", &save)) {
                char *size_s, *name, *end;
                struct hash_rule h = {.size = -1}, *grown;

                line++;
                l[strcspn(l, "\r")] = 0;
                if (!*l || *l == '#')
                        continue;
                size_s = strchr(l, ':');
                name = size_s ? strchr(size_s + 1, ':') : NULL;
                if (!name || !is_hex64(l, (size_t)(size_s - l)))
                        goto bad;
                *size_s++ = 0;
                *name++ = 0;
                if (strcmp(size_s, "*") != 0) {
                        errno = 0;
                        h.size = strtoll(size_s, &end, 10);
                        if (errno || *end || h.size < 0)
                                goto bad;
                }
                for (size_t i = 0; i < 64; i++)
                        h.sha256[i] = (char)tolower((unsigned char)l[i]);
                h.name = strdup(*name ? name : "hash");
                grown = reallocarray(r->hashes, r->n_hashes + 1, sizeof(*grown));
                if (!h.name || !grown) {
                        free(h.name);
                        if (grown)
                                r->hashes = grown;
                        return -ENOMEM;
                }
                r->hashes = grown;
                r->hashes[r->n_hashes++] = h;
                continue;
        bad:
                if (ret_error &&
                    asprintf(ret_error, "%s:%u: expected SHA256:SIZE:NAME (SIZE may be *)", path,
                             line) < 0)
                        *ret_error = NULL;
                return -EINVAL;
        }
        return 0;
}

struct compile_errors {
        char *first;
        const char *file;
};

static void compiler_callback(int level, const char *file_name, int line, const YR_RULE *rule,
                              const char *message, void *user_data)
{
        struct compile_errors *e = user_data;

        if (level != YARA_ERROR_LEVEL_ERROR || e->first)
                return;
        if (asprintf(&e->first, "%s:%d: %s", e->file, line, message) < 0)
                e->first = NULL;
}

static int cache_path(const char *key, char **ret)
{
        const char *base = getenv("XDG_CACHE_HOME");
        _cleanup_free_ char *home_cache = NULL;

        if (getenv("AIRLOCK_NO_RULES_CACHE"))
                return -ENOENT;
        /* The same folder as the compiled seccomp programs when one is named. */
        const char *airlock_dir = secure_getenv("AIRLOCK_CACHE_DIR");
        if (airlock_dir && airlock_dir[0] == '/')
                return asprintf(ret, "%s/rules-%s.yarc", airlock_dir, key) < 0 ? -ENOMEM : 0;
        if (!base || !*base) {
                const char *home = getenv("HOME");
                if (!home || !*home)
                        return -ENOENT;
                if (asprintf(&home_cache, "%s/.cache", home) < 0)
                        return -ENOMEM;
                base = home_cache;
        }
        if (asprintf(ret, "%s/airlock/rules-%s.yarc", base, key) < 0)
                return -ENOMEM;
        return 0;
}

/* At most this many compiled rule files are kept in the cache folder: one per scope for each
 * rule set in use (an upgrade, a user's rules folder, a rules edit each make new ones). */
#define RULES_CACHE_MAX_FILES 48

/* Loads the compiled rules at path when the file is ours: a regular file of our uid that no
 * one else may write (YARA's loader trusts what it reads). A load refreshes its modification
 * time, which the pruning keeps by. */
static bool cache_load(const char *path, YR_RULES **ret)
{
        struct stat st;

        if (lstat(path, &st) < 0 || !S_ISREG(st.st_mode) || st.st_uid != geteuid() ||
            (st.st_mode & 022) != 0)
                return false;
        if (yr_rules_load(path, ret) != ERROR_SUCCESS)
                return false;
        if (st.st_mtime < time(NULL) - 3600)
                (void)utimensat(AT_FDCWD, path, NULL, AT_SYMLINK_NOFOLLOW);
        return true;
}

/* Whether name is a compiled file of cache_store()'s (rules-HEX.yarc); a temporary an
 * interrupted store left (rules-HEX.yarc.PID.tmp) is removed once an hour old. */
static bool cache_file_match(int dfd, const char *name)
{
        size_t n = strlen(name);
        struct stat st;

        if (!startswith(name, "rules-") || n < 6 + 64 + 5 ||
            strspn(name + 6, "0123456789abcdef") != 64 || !startswith(name + 70, ".yarc"))
                return false;
        if (n > 80 && streq(name + n - 4, ".tmp") &&
            fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode) &&
            st.st_mtime < time(NULL) - 3600)
                (void)unlinkat(dfd, name, 0);
        return n == 75;
}

/* Keeps the cache folder small: beyond RULES_CACHE_MAX_FILES, the files used longest ago go. */
static void cache_prune(const char *dir)
{
        _cleanup_close_ int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

        if (dfd >= 0)
                dir_prune_oldest(dfd, cache_file_match, RULES_CACHE_MAX_FILES);
}

/* Best effort: a cache that cannot be written only costs a compile next time. */
static void cache_store(const char *path, YR_RULES *rules)
{
        _cleanup_free_ char *dir = strdup(path), *tmp = NULL;
        char *slash;

        if (!dir || !(slash = strrchr(dir, '/')))
                return;
        *slash = 0;
        char *parent = strrchr(dir, '/');
        if (parent) {
                *parent = 0;
                (void)mkdir(dir, 0700);
                *parent = '/';
        }
        (void)mkdir(dir, 0700);
        if (asprintf(&tmp, "%s.%d.tmp", path, (int)getpid()) < 0)
                return;
        if (yr_rules_save(rules, tmp) == ERROR_SUCCESS && rename(tmp, path) == 0) {
                cache_prune(dir);
                return;
        }
        (void)unlink(tmp);
}

/* The scope a rule file declares with "// airlock-scope: NAME" at the start of a line.
 * Returns the scope, or -EINVAL for an unknown name. */
static int file_scope(const char *text)
{
        static const char marker[] = "// airlock-scope:";

        for (const char *p = text; p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
                if (strncmp(p, marker, sizeof(marker) - 1) != 0)
                        continue;
                p += sizeof(marker) - 1;
                p += strspn(p, " \t");
                size_t len = strcspn(p, " \t\r\n");
                for (int s = 1; s < N_SCOPES; s++)
                        if (len == strlen(scope_names[s]) && !strncmp(p, scope_names[s], len))
                                return s;
                return -EINVAL;
        }
        return SCOPE_ALL;
}

/* Compiles the files of one scope (texts[i] of the others are NULL) into r->yara[scope], from
 * the cache when it holds them. */
static int compile_scope(struct rules *r, int scope, char **files, char **texts, size_t n,
                         char **ret_error)
{
        YR_COMPILER *compiler = NULL;
        struct compile_errors errs = {0};
        struct sha256_ctx key_ctx;
        uint8_t digest[SHA256_DIGEST_SIZE];
        char key[65];
        _cleanup_free_ char *cache = NULL;
        size_t n_files = 0;
        int ret = 0;

        sha256_init(&key_ctx);
        sha256_update(&key_ctx, YR_VERSION, strlen(YR_VERSION));
        /* the external variables the compiled rules expect */
        sha256_update(&key_ctx, "file_type,mime", 15);
        sha256_update(&key_ctx, scope_names[scope], strlen(scope_names[scope]) + 1);
        for (size_t i = 0; i < n; i++) {
                if (!texts[i])
                        continue;
                sha256_update(&key_ctx, files[i], strlen(files[i]) + 1);
                sha256_update(&key_ctx, texts[i], strlen(texts[i]) + 1);
                n_files++;
        }
        if (n_files == 0)
                return 0;
        sha256_final(&key_ctx, digest);
        sha256_digest_to_hex(digest, key);
        if (cache_path(key, &cache) == 0 && cache_load(cache, &r->yara[scope]))
                goto count;

        if (yr_compiler_create(&compiler) != ERROR_SUCCESS)
                return -ENOMEM;
        yr_compiler_set_callback(compiler, compiler_callback, &errs);
        /* The name of the file scanned, and what encoded_stats() measured, for the rules. */
        yr_compiler_define_string_variable(compiler, "filename", "");
        /* What the content is (normalise.h: "", text, document, script) and libmagic's MIME
         * type, so that script rules leave documentation alone. */
        yr_compiler_define_string_variable(compiler, "file_type", "");
        yr_compiler_define_string_variable(compiler, "mime", "");
        for (size_t i = 0; i < ELEMENTSOF(encoded_variables); i++)
                yr_compiler_define_integer_variable(compiler, encoded_variables[i], 0);
        for (size_t i = 0; i < ELEMENTSOF(literal_variables); i++)
                yr_compiler_define_integer_variable(compiler, literal_variables[i], 0);
        for (size_t i = 0; i < ELEMENTSOF(js_variables); i++)
                yr_compiler_define_integer_variable(compiler, js_variables[i], 0);
        for (size_t i = 0; i < ELEMENTSOF(ps_variables); i++)
                yr_compiler_define_integer_variable(compiler, ps_variables[i], 0);
        for (size_t i = 0; i < ELEMENTSOF(psmodel_variables); i++)
                yr_compiler_define_integer_variable(compiler, psmodel_variables[i], 0);
        for (size_t i = 0; i < ELEMENTSOF(page_variables); i++)
                yr_compiler_define_integer_variable(compiler, page_variables[i], 0);
        for (size_t i = 0; i < ELEMENTSOF(jsb_variables); i++)
                yr_compiler_define_integer_variable(compiler, jsb_variables[i], 0);
        for (size_t i = 0; i < ELEMENTSOF(web_variables); i++)
                yr_compiler_define_integer_variable(compiler, web_variables[i], 0);
        for (size_t i = 0; i < ELEMENTSOF(webmodel_variables); i++)
                yr_compiler_define_integer_variable(compiler, webmodel_variables[i], 0);
        for (size_t i = 0; i < ELEMENTSOF(jsmodel_variables); i++)
                yr_compiler_define_integer_variable(compiler, jsmodel_variables[i], 0);
        /* How many obfuscations the normaliser undid in the text scanned (0 but in the
         * normalised scan): rules for obfuscated scripts read it. */
        yr_compiler_define_integer_variable(compiler, "normalised_changes", 0);
        for (size_t i = 0; i < n; i++) {
                const char *ns;
                if (!texts[i])
                        continue;
                errs.file = files[i];
                ns = strrchr(files[i], '/') ? strrchr(files[i], '/') + 1 : files[i];
                if (yr_compiler_add_string(compiler, texts[i], ns) != 0) {
                        if (ret_error)
                                *ret_error = errs.first ? TAKE_PTR(errs.first) : NULL;
                        ret = -EINVAL;
                        goto out;
                }
        }
        if (yr_compiler_get_rules(compiler, &r->yara[scope]) != ERROR_SUCCESS) {
                ret = -ENOMEM;
                goto out;
        }
        if (cache)
                cache_store(cache, r->yara[scope]);
count:;
        YR_RULE *rule;
        yr_rules_foreach(r->yara[scope], rule) r->n_yara++;
out:
        if (compiler)
                yr_compiler_destroy(compiler);
        free(errs.first);
        return ret;
}

/* Does a rule text name one of the encoded_* variables (as a whole word)? A comment naming one
 * counts too: that only costs a measurement that no rule reads. */
/* Does the rule text name one of the n variables (as a whole word)? */
static bool names_variable(const char *text, const char *const *variables, size_t n)
{
        for (size_t i = 0; i < n; i++) {
                size_t len = strlen(variables[i]);
                for (const char *p = text; (p = strstr(p, variables[i])); p += len) {
                        bool starts = p == text || !(isalnum((unsigned char)p[-1]) || p[-1] == '_');
                        bool ends = !(isalnum((unsigned char)p[len]) || p[len] == '_');
                        if (starts && ends)
                                return true;
                }
        }
        return false;
}

static bool names_encoded_variable(const char *text)
{
        return names_variable(text, encoded_variables, ELEMENTSOF(encoded_variables));
}

static int compile_yara(struct rules *r, char **files, size_t n, char **ret_error)
{
        char **texts = calloc(n + 1, sizeof(char *)), **scoped = calloc(n + 1, sizeof(char *));
        int *scopes = calloc(n + 1, sizeof(int));
        int k, ret = 0;

        if (!texts || !scoped || !scopes) {
                ret = -ENOMEM;
                goto out;
        }
        for (size_t i = 0; i < n; i++) {
                if (!has_suffix(files[i], ".yar") && !has_suffix(files[i], ".yara"))
                        continue;
                k = read_full_file(files[i], &texts[i], NULL, 16 << 20);
                if (k < 0) {
                        if (ret_error && asprintf(ret_error, "%s: %s", files[i], strerror(-k)) < 0)
                                *ret_error = NULL;
                        ret = k == -ENOMEM ? k : -EINVAL;
                        goto out;
                }
                scopes[i] = file_scope(texts[i]);
                if (scopes[i] < 0) {
                        if (ret_error &&
                            asprintf(ret_error,
                                     "%s: unknown airlock-scope (markup, page, exploit, pdf or "
                                     "php)",
                                     files[i]) < 0)
                                *ret_error = NULL;
                        ret = -EINVAL;
                        goto out;
                }
                if (names_encoded_variable(texts[i]))
                        r->uses_encoded[scopes[i]] = true;
                if (names_variable(texts[i], literal_variables, ELEMENTSOF(literal_variables)))
                        r->uses_literal[scopes[i]] = true;
                if (names_variable(texts[i], js_variables, ELEMENTSOF(js_variables)))
                        r->uses_js[scopes[i]] = true;
                if (names_variable(texts[i], ps_variables, ELEMENTSOF(ps_variables)))
                        r->uses_ps[scopes[i]] = true;
                if (names_variable(texts[i], psmodel_variables, ELEMENTSOF(psmodel_variables)))
                        r->uses_psmodel[scopes[i]] = true;
                if (names_variable(texts[i], page_variables, ELEMENTSOF(page_variables)) ||
                    names_variable(texts[i], jsb_variables, ELEMENTSOF(jsb_variables)))
                        r->uses_page[scopes[i]] = true;
                if (names_variable(texts[i], web_variables, ELEMENTSOF(web_variables)))
                        r->uses_web[scopes[i]] = true;
                if (names_variable(texts[i], webmodel_variables, ELEMENTSOF(webmodel_variables)))
                        r->uses_webmodel[scopes[i]] = true;
                if (names_variable(texts[i], jsmodel_variables, ELEMENTSOF(jsmodel_variables)))
                        r->uses_jsmodel[scopes[i]] = true;
        }
        for (int s = 0; s < N_SCOPES; s++) {
                for (size_t i = 0; i < n; i++)
                        scoped[i] = texts[i] && scopes[i] == s ? texts[i] : NULL;
                ret = compile_scope(r, s, files, scoped, n, ret_error);
                if (ret < 0)
                        goto out;
        }
out:
        for (size_t i = 0; texts && i < n; i++)
                free(texts[i]);
        free(texts);
        free(scoped);
        free(scopes);
        return ret;
}

static int cmp_hash(const void *a, const void *b)
{
        const struct hash_rule *x = a, *y = b;
        return strcmp(x->sha256, y->sha256);
}

int rules_load(const struct analysis_options *opts, char *const *dirs, struct rules **ret,
               char **ret_error)
{
        struct rules *r = calloc(1, sizeof(*r));
        _cleanup_strv_free_ char **files = NULL;
        _cleanup_free_ char *shipped = NULL;
        size_t n = 0;
        int k;

        if (!r)
                return -ENOMEM;
        r->scanners = calloc(1, sizeof(*r->scanners));
        if (!r->scanners) {
                free(r);
                return -ENOMEM;
        }
        pthread_mutex_init(&r->scanners->lock, NULL);
        pthread_mutex_lock(&yara_init_lock);
        k = yr_initialize();
        pthread_mutex_unlock(&yara_init_lock);
        if (k != ERROR_SUCCESS) {
                pthread_mutex_destroy(&r->scanners->lock);
                free(r->scanners);
                free(r);
                return -ENOMEM;
        }
        if (!opts->no_builtin_rules) {
                k = data_path("rules", &shipped);
                if (k == 0)
                        k = list_rule_files(shipped, &files, &n);
                if (k < 0) {
                        if (ret_error && asprintf(ret_error, "cannot find the shipped rules: %s",
                                                  strerror(-k)) < 0)
                                *ret_error = NULL;
                        goto fail;
                }
        }
        for (char *const *d = dirs; d && *d; d++) {
                k = list_rule_files(*d, &files, &n);
                if (k < 0) {
                        if (ret_error && asprintf(ret_error, "%s: %s", *d, strerror(-k)) < 0)
                                *ret_error = NULL;
                        k = k == -ENOMEM ? k : -EINVAL;
                        goto fail;
                }
        }
        for (size_t i = 0; i < n; i++) {
                _cleanup_free_ char *text = NULL;
                if (has_suffix(files[i], ".yar") || has_suffix(files[i], ".yara"))
                        continue;
                k = read_full_file(files[i], &text, NULL, 64 << 20);
                if (k < 0) {
                        if (ret_error && asprintf(ret_error, "%s: %s", files[i], strerror(-k)) < 0)
                                *ret_error = NULL;
                        goto fail;
                }
                k = parse_hash_file(r, files[i], text, ret_error);
                if (k < 0)
                        goto fail;
        }
        if (r->n_hashes > 1)
                qsort(r->hashes, r->n_hashes, sizeof(*r->hashes), cmp_hash);
        k = compile_yara(r, files, n, ret_error);
        if (k < 0)
                goto fail;
        *ret = r;
        return 0;
fail:
        rules_free(r);
        return k;
}

void rules_free(struct rules *r)
{
        if (!r)
                return;
        if (r->scanners) {
                for (int s = 0; s < N_SCOPES; s++)
                        for (size_t i = 0; i < r->scanners->n_idle[s]; i++)
                                yr_scanner_destroy(r->scanners->idle[s][i]);
                pthread_mutex_destroy(&r->scanners->lock);
                free(r->scanners);
        }
        for (int s = 0; s < N_SCOPES; s++)
                if (r->yara[s])
                        yr_rules_destroy(r->yara[s]);
        for (size_t i = 0; i < r->n_hashes; i++)
                free(r->hashes[i].name);
        free(r->hashes);
        free(r);
        pthread_mutex_lock(&yara_init_lock);
        yr_finalize();
        pthread_mutex_unlock(&yara_init_lock);
}

size_t rules_count(const struct rules *r)
{
        return r ? r->n_yara + r->n_hashes : 0;
}

static enum analysis_severity parse_severity(const char *s)
{
        static const char *const names[] = {"info", "low", "medium", "high", "critical"};

        for (size_t i = 0; s && i < ELEMENTSOF(names); i++)
                if (strcasecmp(s, names[i]) == 0)
                        return (enum analysis_severity)i;
        return ANALYSIS_SEVERITY_HIGH; /* a user's rule without meta: a match is bad news */
}

/* The base64 value plus one of each character (both alphabets), 0 for others: a table, as
 * this runs on every byte of every text file. */
static const uint8_t b64_table[256] = {
        ['A'] = 1,  ['B'] = 2,  ['C'] = 3,  ['D'] = 4,  ['E'] = 5,  ['F'] = 6,  ['G'] = 7,
        ['H'] = 8,  ['I'] = 9,  ['J'] = 10, ['K'] = 11, ['L'] = 12, ['M'] = 13, ['N'] = 14,
        ['O'] = 15, ['P'] = 16, ['Q'] = 17, ['R'] = 18, ['S'] = 19, ['T'] = 20, ['U'] = 21,
        ['V'] = 22, ['W'] = 23, ['X'] = 24, ['Y'] = 25, ['Z'] = 26, ['a'] = 27, ['b'] = 28,
        ['c'] = 29, ['d'] = 30, ['e'] = 31, ['f'] = 32, ['g'] = 33, ['h'] = 34, ['i'] = 35,
        ['j'] = 36, ['k'] = 37, ['l'] = 38, ['m'] = 39, ['n'] = 40, ['o'] = 41, ['p'] = 42,
        ['q'] = 43, ['r'] = 44, ['s'] = 45, ['t'] = 46, ['u'] = 47, ['v'] = 48, ['w'] = 49,
        ['x'] = 50, ['y'] = 51, ['z'] = 52, ['0'] = 53, ['1'] = 54, ['2'] = 55, ['3'] = 56,
        ['4'] = 57, ['5'] = 58, ['6'] = 59, ['7'] = 60, ['8'] = 61, ['9'] = 62, ['+'] = 63,
        ['/'] = 64, ['-'] = 63, ['_'] = 64,
};

static inline int b64_value(unsigned char c)
{
        return (int)b64_table[c] - 1;
}

static bool known_header(const uint8_t *b, size_t n)
{
        static const struct {
                const char *magic;
                size_t len;
        } headers[] = {
                {"MZ", 2},
                {"PK\x03\x04", 4},
                {"7z\xbc\xaf", 4},
                {"Rar!", 4},
                {"\xd0\xcf\x11\xe0", 4},
                {"%PDF", 4},
                {"\x7f"
                 "ELF",
                 4},
                {"MSCF", 4},
                {"\x1f\x8b\x08", 3},
                {"{\\rtf", 5},
                {"\x4c\x00\x00\x00\x01\x14\x02\x00", 8},
        };

        for (size_t i = 0; i < ELEMENTSOF(headers); i++)
                if (n >= headers[i].len && memcmp(b, headers[i].magic, headers[i].len) == 0)
                        return true;
        return false;
}

/* Decodes the first base64 characters of s (stepping by dir: 1 forwards, -1 backwards for
 * reversed strings) and checks for a file header. */
static bool b64_has_header(const uint8_t *s, size_t len, int dir)
{
        uint8_t out[12];
        size_t n = 0;
        uint32_t acc = 0;
        unsigned bits = 0;

        for (size_t i = 0; i < len && n < sizeof(out); i++) {
                int v = b64_value(dir > 0 ? s[i] : s[len - 1 - i]);
                if (v < 0)
                        continue; /* '=' padding at the start of a reversed string */
                acc = acc << 6 | (uint32_t)v;
                bits += 6;
                if (bits >= 8) {
                        bits -= 8;
                        out[n++] = (uint8_t)(acc >> bits);
                }
        }
        return known_header(out, n);
}

static bool hex_has_header(const uint8_t *s, size_t len)
{
        uint8_t out[8];
        size_t n = 0;

        for (size_t i = 0; i + 1 < len && n < sizeof(out); i += 2) {
                int a = hex_digit(s[i]), b = hex_digit(s[i + 1]);
                if (a < 0 || b < 0)
                        return false;
                out[n++] = (uint8_t)(a << 4 | b);
        }
        return known_header(out, n);
}

static bool is_text_mime(const char *mime)
{
        return mime && (startswith(mime, "text/") || strstr(mime, "xml") || strstr(mime, "svg") ||
                        strstr(mime, "javascript") || strstr(mime, "json") ||
                        startswith(mime, "message/") || streq(mime, "application/mbox"));
}

/* What encoded_stats() asks of every byte, in one table lookup. */
enum {
        CLASS_B64 = 1,   /* base64 of either alphabet */
        CLASS_HEX = 2,   /* hex digit */
        CLASS_PAD = 4,   /* '=' */
        CLASS_UPPER = 8, /* A-Z */
        CLASS_LOWER = 16,
        CLASS_DIGIT = 32,
        CLASS_STD = 64,  /* '+' or '/': the standard alphabet only */
        CLASS_URL = 128, /* '-' or '_': the URL-safe alphabet only */
};

/* Hex runs shorter than this are hashes and ids (SHA-512 is 128), not payloads. */
#define HEX_PAYLOAD_MIN 160

static uint8_t char_classes[256];
static pthread_once_t char_classes_once = PTHREAD_ONCE_INIT;

static void char_classes_init(void)
{
        for (unsigned c = 0; c < 256; c++)
                char_classes[c] = (uint8_t)((b64_value((unsigned char)c) >= 0 ? CLASS_B64 : 0) |
                                            (hex_digit((unsigned char)c) >= 0 ? CLASS_HEX : 0) |
                                            (c == '=' ? CLASS_PAD : 0) |
                                            (c >= 'A' && c <= 'Z' ? CLASS_UPPER : 0) |
                                            (c >= 'a' && c <= 'z' ? CLASS_LOWER : 0) |
                                            (c >= '0' && c <= '9' ? CLASS_DIGIT : 0) |
                                            (c == '+' || c == '/' ? CLASS_STD : 0) |
                                            (c == '-' || c == '_' ? CLASS_URL : 0));
}

/* A run of count byte values (numbers or escapes), of which the first n_first were kept: it
 * counts when it is at least min long, and raises the header flag when it starts like a file
 * format. */
static void count_run(struct encoded_stats *st, int64_t *counter, size_t count, size_t min,
                      const uint8_t *first, size_t n_first)
{
        if (count < min)
                return;
        *counter += (int64_t)count;
        if (!st->header && known_header(first, count < n_first ? count : n_first))
                st->header = 1;
}

/* Runs shorter than this cannot hold a .NET assembly's headers and code, even deflated. */
#define ASSEMBLY_RUN_MIN 1024
/* Runs of a file looked at for an assembly: each costs an inflate of a few kilobytes. */
#define ASSEMBLY_CHECKS_MAX 64

/* Raises the assembly flag when the base64 run s[0..len) is a .NET assembly, plain or
 * compressed (analysis/dotnetblob.h): a few runs a file, the first kilobytes of each. */
static void encoded_assembly_check(const uint8_t *s, size_t len, struct encoded_stats *st)
{
        if (st->assembly || len < ASSEMBLY_RUN_MIN || st->assembly_checks >= ASSEMBLY_CHECKS_MAX)
                return;
        st->assembly_checks++;
        if (dotnetblob_is_assembly(s, len))
                st->assembly = 1;
}

/* One pass over data: long base64/hex runs, long lists of byte values, long escape runs.
 * A run counts as base64 when it mixes upper case, lower case and digits, as encoded binary
 * data does within 32 characters, and keeps to one alphabet: identifiers, words joined by
 * dashes and URL paths (which mix '/' with '-' or '_') are not payloads, and a large page of
 * documentation holds kilobytes of them. */
static void encoded_stats(const uint8_t *d, size_t size, struct encoded_stats *st)
{
        size_t i = 0;

        *st = (struct encoded_stats){0};
        pthread_once(&char_classes_once, char_classes_init);
        if (size > 64 << 20)
                size = 64 << 20;
        while (i < size) {
                size_t start = i;
                if (char_classes[d[i]] & CLASS_B64) {
                        uint8_t all = CLASS_HEX, any = 0;
                        uint8_t c;
                        while (i < size && ((c = char_classes[d[i]]) & (CLASS_B64 | CLASS_PAD))) {
                                all &= c;
                                any |= c;
                                i++;
                        }
                        bool all_hex = all & CLASS_HEX;
                        size_t len = i - start;
                        if (len >= 32) {
                                uint8_t mix = CLASS_UPPER | CLASS_LOWER | CLASS_DIGIT;
                                bool payload = all_hex ? len >= HEX_PAYLOAD_MIN
                                                       : (any & mix) == mix &&
                                                                 (any & (CLASS_STD | CLASS_URL)) !=
                                                                         (CLASS_STD | CLASS_URL);
                                if (payload)
                                        st->b64 += (int64_t)len;
                                if (!st->header && ((all_hex && hex_has_header(d + start, len)) ||
                                                    b64_has_header(d + start, len, 1) ||
                                                    b64_has_header(d + start, len, -1)))
                                        st->header = 1;
                                if (payload && !all_hex)
                                        encoded_assembly_check(d + start, len, st);
                        }
                        /* A list of numbers starts with digits: fall through to it. */
                        if (len > 3 || i >= size || (d[i] != ',' && d[i] != ' '))
                                continue;
                        i = start;
                }
                if (d[i] >= '0' && d[i] <= '9') {
                        uint8_t first[8];
                        size_t count = 0;
                        while (i < size && d[i] >= '0' && d[i] <= '9') {
                                unsigned v = 0;
                                size_t digits = 0;
                                while (i < size && d[i] >= '0' && d[i] <= '9' && digits < 4)
                                        v = v * 10 + (d[i++] - '0'), digits++;
                                if (v > 255 || (i < size && d[i] >= '0' && d[i] <= '9'))
                                        break;
                                if (count < sizeof(first))
                                        first[count] = (uint8_t)v;
                                count++;
                                while (i < size && (d[i] == ' ' || d[i] == '\n' || d[i] == '\r'))
                                        i++;
                                if (i >= size || d[i] != ',')
                                        break;
                                i++;
                                while (i < size && (d[i] == ' ' || d[i] == '\n' || d[i] == '\r'))
                                        i++;
                        }
                        count_run(st, &st->numbers, count, 32, first, sizeof(first));
                        if (i == start)
                                i++;
                        continue;
                }
                if ((d[i] == '\\' || d[i] == '%') && i + 2 < size) {
                        uint8_t first[8];
                        size_t count = 0;
                        for (;;) {
                                if (i + 3 < size && d[i] == '\\' && d[i + 1] == 'x' &&
                                    hex_digit(d[i + 2]) >= 0 && hex_digit(d[i + 3]) >= 0) {
                                        if (count < sizeof(first))
                                                first[count] = (uint8_t)(hex_digit(d[i + 2]) << 4 |
                                                                         hex_digit(d[i + 3]));
                                        i += 4;
                                } else if (i + 2 < size && d[i] == '%' &&
                                           hex_digit(d[i + 1]) >= 0 && hex_digit(d[i + 2]) >= 0) {
                                        if (count < sizeof(first))
                                                first[count] = (uint8_t)(hex_digit(d[i + 1]) << 4 |
                                                                         hex_digit(d[i + 2]));
                                        i += 3;
                                } else if (i + 5 < size && d[i] == '\\' && d[i + 1] == 'u' &&
                                           hex_digit(d[i + 2]) >= 0 && hex_digit(d[i + 3]) >= 0 &&
                                           hex_digit(d[i + 4]) >= 0 && hex_digit(d[i + 5]) >= 0) {
                                        if (count < sizeof(first))
                                                first[count] = (uint8_t)(hex_digit(d[i + 4]) << 4 |
                                                                         hex_digit(d[i + 5]));
                                        i += 6;
                                } else
                                        break;
                                count++;
                        }
                        count_run(st, &st->escapes, count, 16, first, sizeof(first));
                        if (i == start)
                                i++;
                        continue;
                }
                i++;
        }
}

struct match_ctx {
        struct analysis_result *node;
        const uint8_t *data;
        size_t size;
        const char *source; /* "yara", or "yara-normalised" for the normalised text */
        size_t first;       /* the node's first finding of this scan, for duplicates */
        int error;
};

/* Has this scan already found rule (on the raw text, when scanning the normalised one)? */
static bool already_found(const struct match_ctx *m, const char *rule)
{
        for (size_t i = m->first; i < m->node->n_findings; i++)
                if (streq(m->node->findings[i].rule, rule))
                        return true;
        return false;
}

/* "$name at 0x1f: excerpt" with non-printable bytes shown as '.'.
 * libyara 4.2 allocates the match records and the matched bytes from one arena without
 * padding, so a record that follows an odd-length match is misaligned: read copies of the
 * records instead of dereferencing them (yr_string_matches_foreach would). */
static char *match_evidence(YR_SCAN_CONTEXT *context, YR_RULE *rule, const uint8_t *data,
                            size_t size)
{
        YR_STRING *string;
        YR_MATCH match;

        yr_rule_strings_foreach(rule, string)
        {
                for (const YR_MATCH *p = context->matches[string->idx].head; p; p = match.next) {
                        char excerpt[81];
                        size_t len, j = 0;
                        char *ret;

                        memcpy(&match, p, sizeof(match));
                        if (match.is_private)
                                continue;
                        len = (size_t)match.match_length;
                        if (len > 80)
                                len = 80;
                        for (size_t i = 0; i < len && (size_t)match.offset + i < size; i++) {
                                unsigned char c = data[match.offset + i];
                                excerpt[j++] = c >= 0x20 && c < 0x7f ? (char)c : '.';
                        }
                        excerpt[j] = 0;
                        if (asprintf(&ret, "%s at offset %lld: %s", string->identifier,
                                     (long long)match.offset, excerpt) < 0)
                                return NULL;
                        return ret;
                }
        }
        return NULL;
}

static int yara_callback(YR_SCAN_CONTEXT *context, int message, void *message_data, void *user_data)
{
        struct match_ctx *m = user_data;
        YR_RULE *rule = message_data;
        YR_META *meta;
        const char *severity = NULL, *attack = NULL, *description = NULL;
        _cleanup_free_ char *evidence = NULL, *name = NULL;

        if (message != CALLBACK_MSG_RULE_MATCHING || already_found(m, rule->identifier))
                return CALLBACK_CONTINUE;
        yr_rule_metas_foreach(rule, meta)
        {
                if (meta->type != META_TYPE_STRING)
                        continue;
                if (streq(meta->identifier, "severity"))
                        severity = meta->string;
                else if (streq(meta->identifier, "attack"))
                        attack = meta->string;
                else if (streq(meta->identifier, "description"))
                        description = meta->string;
        }
        evidence = match_evidence(context, rule, m->data, m->size);
        if (evidence && !streq(m->source, "yara")) {
                /* the excerpt is of the normalised text, not of the file */
                char *said;
                if (asprintf(&said, "normalised: %s", evidence) < 0)
                        said = NULL;
                free(evidence);
                evidence = said;
        }
        if (asprintf(&name, "%s", rule->identifier) < 0)
                name = NULL;
        if (!name || analysis_result_add_finding(m->node, name, parse_severity(severity), attack,
                                                 description ? description : "a YARA rule matched",
                                                 evidence, m->source) < 0) {
                m->error = -ENOMEM;
                return CALLBACK_ABORT;
        }
        return CALLBACK_CONTINUE;
}

/* Case-insensitive: does the markup at p (after its '<') start with word? */
static bool tag_is(const uint8_t *p, const uint8_t *end, const char *word)
{
        size_t len = strlen(word);

        return (size_t)(end - p) >= len && strncasecmp((const char *)p, word, len) == 0;
}

/* Whether data holds what the PHP rules' php_opening needs, or more: "<?" followed by p, =,
 * white space, $, @ or the first letter of eval, assert, include or require (the string's
 * <\?(php|=|\s|[$@]|(eval|assert|include|require)\b), case-insensitive), or "<script" and
 * white space before "language" (its <script\s+language\s*=\s*["']?php). A superset: a
 * rule of the scope that matches data always finds its opening here. */
static bool php_opening(const uint8_t *d, size_t size)
{
        for (const uint8_t *p = d, *end = d + size;
             p < end && (p = memchr(p, '<', (size_t)(end - p))); p++) {
                const uint8_t *q = p + 1;
                if (q < end && *q == '?') {
                        int c = q + 1 < end ? tolower(q[1]) : -1;
                        if (c > 0 && (strchr("p=$@eair", c) || isspace(c)))
                                return true;
                        continue;
                }
                if (!tag_is(q, end, "script"))
                        continue;
                q += 6;
                if (q >= end || !isspace(*q))
                        continue;
                while (q < end && isspace(*q))
                        q++;
                if (tag_is(q, end, "language"))
                        return true;
        }
        return false;
}

static bool is_markup(const uint8_t *d, size_t size)
{
        for (const uint8_t *p = d, *end = d + size;
             p < end && (p = memchr(p, '<', (size_t)(end - p))); p++) {
                const uint8_t *q = p + 1;
                if (tag_is(q, end, "html") || tag_is(q, end, "script") || tag_is(q, end, "body") ||
                    tag_is(q, end, "!doctype html") || (p - d <= 4096 && tag_is(q, end, "svg")))
                        return true;
        }
        return false;
}

/* The test of each scope: true when a rule of the scope could match data, whose file_type
 * (text_kind_name()) is file_type. *markup caches is_markup() for the scopes of one text, which
 * three of them ask (-1: not yet known). */
static bool in_scope(int scope, const uint8_t *d, size_t size, const char *file_type, int *markup)
{
        switch (scope) {
        case SCOPE_EXPLOIT: /* and page_could_match(), after the literal measurements */
        case SCOPE_PAGE:
                if (file_type && streq(file_type, "script"))
                        return true;
                return in_scope(SCOPE_MARKUP, d, size, file_type, markup);
        case SCOPE_MARKUP:
                if (*markup < 0)
                        *markup = is_markup(d, size);
                return *markup;
        case SCOPE_PDF:
                return (size >= 4 && !memcmp(d, "%PDF", 4)) ||
                       (size >= 5 && size < UINT64_C(64) << 20 && !memcmp(d + 1, "%PDF", 4));
        case SCOPE_PHP:
                return php_opening(d, size);
        default:
                return true;
        }
}

enum {
        RUN_END = 1,      /* white space, '<': ends a run */
        RUN_OPEN = 2,     /* '"', '\'', '>': ends a run and opens the next */
        RUN_DIGIT = 4,    /* 0-9 */
        RUN_SEP = 8,      /* a separator of written-out character codes */
        RUN_ENCODED = 16, /* base64, hex, digits and those separators */
};

static uint8_t run_classes[256];
static pthread_once_t run_classes_once = PTHREAD_ONCE_INIT;

static void run_classes_init(void)
{
        for (unsigned c = 0; c < 256; c++) {
                uint8_t k = 0;
                if (strchr(" \t\n\r\f\v<", (int)c) && c)
                        k |= RUN_END;
                if (c && strchr("\"'>", (int)c))
                        k |= RUN_OPEN;
                if (c >= '0' && c <= '9')
                        k |= RUN_DIGIT | RUN_ENCODED;
                if (c && strchr(",;:|!.-/_~^#@*%", (int)c))
                        k |= RUN_SEP | RUN_ENCODED;
                if (isalnum((int)c) && c < 0x80)
                        k |= RUN_ENCODED;
                if (c && strchr("+=$&", (int)c))
                        k |= RUN_ENCODED;
                run_classes[c] = k;
        }
}

/* One pass over markup for the runs that a quote or '>' opens and white space, a quote, '<' or
 * '>' ends (a string literal or an element's text without spaces), which is how an exploit
 * kit's landing page carries its encrypted next stage: the longest of them, the longest made
 * of numbers of at most 5 digits and separators, and the longest element text of encoded
 * characters. No allocation; the first 64 MiB. */
static void literal_runs(const uint8_t *d, size_t size, struct literal_stats *st)
{
        int64_t len = 0;
        unsigned group = 0;
        bool open = false, element = false, digits = true, encoded = true;

        *st = (struct literal_stats){0};
        pthread_once(&run_classes_once, run_classes_init);
        if (size > 64 << 20)
                size = 64 << 20;
        for (size_t i = 0; i <= size; i++) {
                uint8_t k = i < size ? run_classes[d[i]] : RUN_END;
                if (k & (RUN_END | RUN_OPEN)) {
                        if (open && len > st->literal)
                                st->literal = len;
                        if (open && digits && len > st->literal_digits)
                                st->literal_digits = len;
                        if (open && element && encoded && len > st->element)
                                st->element = len;
                        open = k & RUN_OPEN;
                        element = open && d[i] == '>';
                        len = 0;
                        group = 0;
                        digits = encoded = true;
                        continue;
                }
                if (!open)
                        continue;
                len++;
                group = k & RUN_DIGIT ? group + 1 : 0;
                digits = digits && (k & (RUN_DIGIT | RUN_SEP)) && group <= 5;
                encoded = encoded && (k & RUN_ENCODED);
        }
}

/* Whether text opens in PHP (after white space and a byte-order mark): its eval and its
 * generated names are PHP's, which the js_* measurements would misread as a script's. */
static bool opens_as_php(const uint8_t *d, size_t size)
{
        size_t i = size >= 3 && !memcmp(d, "\xef\xbb\xbf", 3) ? 3 : 0;

        while (i < size && isspace(d[i]))
                i++;
        return size - i >= 2 && d[i] == '<' && d[i + 1] == '?' &&
               (size - i == 2 || isspace(d[i + 2]) || tolower(d[i + 2]) == 'p' || d[i + 2] == '=');
}

/* Whether text opens with a tag (after white space and a byte-order mark): a page that is
 * mostly script (file_type "script") is still measured as a page, a .js file is not. */
static bool opens_with_tag(const uint8_t *d, size_t size)
{
        size_t i = size >= 3 && !memcmp(d, "\xef\xbb\xbf", 3) ? 3 : 0;

        while (i < size && isspace(d[i]))
                i++;
        return i + 1 < size && d[i] == '<' && (isalpha(d[i + 1]) || d[i + 1] == '!');
}

/* How one scan is made: the variables the rules read, and where findings go. */
struct scan_params {
        const char *name;
        const char *file_type; /* text_kind_name() */
        const char *mime;
        const char *source; /* the source of the findings */
        size_t first;       /* the node's first finding of this file */
        unsigned timeout_sec;
        const struct encoded_stats *es; /* NULL for content that is not text (they stay 0) */
        const struct literal_stats *ls; /* NULL until a set that reads them scans (they stay 0) */
        int normalised_changes;         /* normalise_script()'s count, in the normalised scan */
        /* a script that is Python by its syntax (text_is_python(), of the text as written): its
         * eval, dict["key"] and glued strings are not measured as JavaScript's */
        bool python;
        /* the shape of the texts of this node scanned so far (each field the largest), so that
         * the normalised scan sees the raw text's structure with the sinks it revealed */
        struct jsshape js;
        struct psshape ps;             /* the same for the PowerShell shape */
        struct psmodel_scores psmodel; /* the vocabulary model's, of the raw texts (the largest) */
        /* the structure of the node's markup and its worst script (pageshape.h), measured
         * over the raw text only (the normalised text is no longer the page) */
        struct pageshape page;
        struct jsshape jsb;
        /* the same for server-side scripts */
        struct webshape web;
        /* the vocabulary model's score of a server-side script, of the raw texts (the
         * largest) */
        struct webmodel_scores webmodel;
        /* the vocabulary model's score of a script or a page's scripts, of the raw texts (the
         * largest) */
        struct jsmodel_scores jsmodel;
};

/* An idle scanner of scope s's rules, or a new one; NULL when out of memory. */
static YR_SCANNER *scanner_take(const struct rules *r, int s)
{
        struct scanner_pool *pool = r->scanners;
        YR_SCANNER *scanner = NULL;

        pthread_mutex_lock(&pool->lock);
        if (pool->n_idle[s] > 0)
                scanner = pool->idle[s][--pool->n_idle[s]];
        pthread_mutex_unlock(&pool->lock);
        if (!scanner && yr_scanner_create(r->yara[s], &scanner) != ERROR_SUCCESS)
                return NULL;
        return scanner;
}

static void scanner_give(const struct rules *r, int s, YR_SCANNER *scanner)
{
        struct scanner_pool *pool = r->scanners;

        pthread_mutex_lock(&pool->lock);
        if (pool->n_idle[s] < MAX_IDLE_SCANNERS)
                pool->idle[s][pool->n_idle[s]++] = TAKE_PTR(scanner);
        pthread_mutex_unlock(&pool->lock);
        if (scanner)
                yr_scanner_destroy(scanner);
}

/* Scans data with scope s's rule set, adding a finding to node for every rule that matches and
 * has not matched before in this file. The scanner may have scanned before: every variable,
 * the callback and the timeout are set anew (a variable not measured for this text gets the
 * value it was compiled with, 0). */
static int scan_set(const struct rules *r, int s, const void *data, size_t size,
                    const struct scan_params *sp, struct analysis_result *node)
{
        YR_SCANNER *scanner;
        struct match_ctx m = {
                .node = node, .data = data, .size = size, .source = sp->source, .first = sp->first};
        const struct encoded_stats *es = sp->es;
        const struct literal_stats *ls = sp->ls;
        int k;

        scanner = scanner_take(r, s);
        if (!scanner)
                return -ENOMEM;
        yr_scanner_set_callback(scanner, yara_callback, &m);
        /* Fast mode: a string stops being searched after its first match; the rules count no
         * matches, and the evidence needs only one. */
        yr_scanner_set_flags(scanner, SCAN_FLAGS_REPORT_RULES_MATCHING | SCAN_FLAGS_FAST_MODE);
        yr_scanner_set_timeout(scanner, (int)sp->timeout_sec);
        yr_scanner_define_string_variable(scanner, "filename", sp->name ? sp->name : "");
        yr_scanner_define_string_variable(scanner, "file_type", sp->file_type);
        yr_scanner_define_string_variable(scanner, "mime", sp->mime ? sp->mime : "");
        yr_scanner_define_integer_variable(scanner, "normalised_changes", sp->normalised_changes);
        yr_scanner_define_integer_variable(scanner, "literal_run", ls ? ls->literal : 0);
        yr_scanner_define_integer_variable(scanner, "literal_digit_run",
                                           ls ? ls->literal_digits : 0);
        yr_scanner_define_integer_variable(scanner, "element_run", ls ? ls->element : 0);
        const int64_t *js = (const int64_t *)&sp->js;
        for (size_t i = 0; i < ELEMENTSOF(js_variables); i++)
                yr_scanner_define_integer_variable(scanner, js_variables[i], js[i]);
        const int64_t *ps = (const int64_t *)&sp->ps;
        for (size_t i = 0; i < ELEMENTSOF(ps_variables); i++)
                yr_scanner_define_integer_variable(scanner, ps_variables[i], ps[i]);
        const int64_t *psmodel = (const int64_t *)&sp->psmodel;
        for (size_t i = 0; i < ELEMENTSOF(psmodel_variables); i++)
                yr_scanner_define_integer_variable(scanner, psmodel_variables[i], psmodel[i]);
        const int64_t *page = (const int64_t *)&sp->page, *jsb = (const int64_t *)&sp->jsb;
        for (size_t i = 0; i < ELEMENTSOF(page_variables); i++)
                yr_scanner_define_integer_variable(scanner, page_variables[i], page[i]);
        for (size_t i = 0; i < ELEMENTSOF(jsb_variables); i++)
                yr_scanner_define_integer_variable(scanner, jsb_variables[i], jsb[i]);
        const int64_t *web = (const int64_t *)&sp->web;
        for (size_t i = 0; i < ELEMENTSOF(web_variables); i++)
                yr_scanner_define_integer_variable(scanner, web_variables[i], web[i]);
        const int64_t *webmodel = (const int64_t *)&sp->webmodel;
        for (size_t i = 0; i < ELEMENTSOF(webmodel_variables); i++)
                yr_scanner_define_integer_variable(scanner, webmodel_variables[i], webmodel[i]);
        const int64_t *jsmodel = (const int64_t *)&sp->jsmodel;
        for (size_t i = 0; i < ELEMENTSOF(jsmodel_variables); i++)
                yr_scanner_define_integer_variable(scanner, jsmodel_variables[i], jsmodel[i]);
        yr_scanner_define_integer_variable(scanner, "encoded_b64", es ? es->b64 : 0);
        yr_scanner_define_integer_variable(scanner, "encoded_numbers", es ? es->numbers : 0);
        yr_scanner_define_integer_variable(scanner, "encoded_escapes", es ? es->escapes : 0);
        yr_scanner_define_integer_variable(scanner, "encoded_header", es ? es->header : 0);
        yr_scanner_define_integer_variable(scanner, "encoded_assembly", es ? es->assembly : 0);
        k = yr_scanner_scan_mem(scanner, data, size);
        /* a scan that failed may have left it as no scan leaves it: not kept */
        if (k == ERROR_SUCCESS)
                scanner_give(r, s, scanner);
        else
                yr_scanner_destroy(scanner);
        if (m.error < 0)
                return m.error;
        if (k == ERROR_SCAN_TIMEOUT)
                return -ETIME;
        if (k != ERROR_SUCCESS && k != ERROR_TOO_MANY_MATCHES)
                return -EIO;
        return 0;
}

/* What every rule of the exploit scope (exploits.yar) needs beyond a page: a word of one of its
 * strings (any case), or a long literal. Each rule's condition names one of these or a test
 * below; a rule added to the scope must too (rules/README.md, scopes). */
enum page_word_kind {
        PAGE_WORD,   /* enough alone */
        PAGE_HIDDEN, /* exploit_kit_hidden_element_payload: a hidden element ($hidden)... */
        PAGE_READ,   /* ...read back ($read*) */
};

static const struct page_word {
        const char *word;
        enum page_word_kind kind;
} page_words[] = {
        {"res://", PAGE_WORD},   /* exploit_kit_res_probe */
        {"unescape", PAGE_WORD}, /* exploit_heap_spray, or a run of %uXXXX or \uXXXX */
        /* exploit_ie_vbscript_memory */
        {"redim", PAGE_WORD},
        {"class_terminate", PAGE_WORD},
        {"notsafemode", PAGE_WORD},
        /* exploit_activex_overflow, exploit_activex_insecure_method */
        {"activexobject", PAGE_WORD},
        {"classid", PAGE_WORD},
        {"createobject", PAGE_WORD},
        {"<iframe", PAGE_WORD}, /* exploit_kit_injected_iframe, exploit_kit_offscreen_iframe */
        {"hcp://", PAGE_WORD},  /* exploit_hcp_protocol */
        /* exploit_kit_plugin_encoded_params */
        {"flashvars", PAGE_WORD},
        {"initparams", PAGE_WORD},
        {"dashstyle", PAGE_WORD}, /* exploit_ie_vml_dashstyle */
        /* exploit_kit_hidden_redirect_injection; fromCharCode also the xor, shift and base64
         * stage decoders' (whose literal_run is shorter than 4000), atob the last's */
        {"\\x3c", PAGE_WORD},
        {"\\u003c", PAGE_WORD},
        {"%3c", PAGE_WORD},
        {"fromcharcode", PAGE_WORD},
        {"atob", PAGE_WORD},
        /* exploit_kit_base64_stage_eval's table */
        {"abcdefghijklmnopqrstuvwxyz0123456789+/", PAGE_WORD},
        /* exploit_kit_tea_decrypt_eval */
        {"2654435769", PAGE_WORD},
        {"0x9e3779b9", PAGE_WORD},
        {"-1640531527", PAGE_WORD},
        {"display", PAGE_HIDDEN},
        {"visibility", PAGE_HIDDEN},
        {"inner", PAGE_READ},
        {"textcontent", PAGE_READ},
        {"getelement", PAGE_READ},
};

/* For each byte, the page_words[] that start with it in either case (bit k: word k): the walk
 * compares only those; and each word's length. */
static uint32_t page_word_starts[256];
static size_t page_word_len[ELEMENTSOF(page_words)];
static pthread_once_t page_word_starts_once = PTHREAD_ONCE_INIT;

static void page_word_starts_init(void)
{
        _Static_assert(ELEMENTSOF(page_words) <= 32, "page_word_starts[] holds 32 words");
        for (size_t k = 0; k < ELEMENTSOF(page_words); k++) {
                uint8_t c = (uint8_t)page_words[k].word[0];
                page_word_starts[c] |= UINT32_C(1) << k;
                page_word_starts[toupper(c)] |= UINT32_C(1) << k;
                page_word_len[k] = strlen(page_words[k].word);
        }
}

/* word (lower case, len bytes) at p in any case; its first byte is known to match. The walk
 * asks at most bytes of a page: the second byte first, without a call. */
static bool word_at_nocase(const uint8_t *p, const uint8_t *end, const char *word, size_t len)
{
        return (size_t)(end - p) >= len && (len < 2 || tolower(p[1]) == word[1]) &&
               strncasecmp((const char *)p, word, len) == 0;
}

static bool is_js_ident(uint8_t c)
{
        return isalnum(c) || c == '_' || c == '$';
}

/* exploit_heap_spray's $shellcode and $shellcode_bs: 24 %uXXXX or \uXXXX in a row at p */
static bool unicode_escape_run(const uint8_t *p, const uint8_t *end)
{
        uint8_t lead = *p;

        for (int k = 0; k < 24; k++, p += 6)
                if (end - p < 6 || p[0] != lead || p[1] != 'u' || !isxdigit(p[2]) ||
                    !isxdigit(p[3]) || !isxdigit(p[4]) || !isxdigit(p[5]))
                        return false;
        return true;
}

/* exploit_kit_fragment_concat_sink's ten or more names joined by + (a superset: any names, in
 * any place); *next is where the walk goes on, past the names read. */
static bool joins_ten_names(const uint8_t *p, const uint8_t *end, const uint8_t **next)
{
        int names = 0;

        for (;;) {
                if (p >= end || !(isalpha(*p) || *p == '_' || *p == '$'))
                        break;
                while (p < end && is_js_ident(*p))
                        p++;
                *next = p;
                if (++names >= 10)
                        return true;
                while (p < end && isspace(*p))
                        p++;
                if (p >= end || *p != '+')
                        break;
                p++;
                while (p < end && isspace(*p))
                        p++;
        }
        return false;
}

/* Whether a rule of the exploit scope could match data, a page or a script (in_scope()): one pass
 * for the words, the \u runs and the joined names. */
static bool page_could_match(const uint8_t *d, size_t size, const struct literal_stats *ls)
{
        const uint8_t *end = d + size, *html_end = NULL, *names_end = d;
        bool hidden = false, read = false;

        /* exploit_kit_large_literal_eval, _obfuscated_eval_lookup and _encoded_landing; the
         * other rules that ask for a literal_run also need a word */
        if (ls->literal >= 4000 || ls->literal_digits >= 1000)
                return true;
        pthread_once(&page_word_starts_once, page_word_starts_init);
        for (const uint8_t *p = d; p < end; p++) {
                for (uint32_t m = page_word_starts[*p]; m; m &= m - 1) {
                        int k = __builtin_ctz(m);
                        const struct page_word *w = &page_words[k];
                        if (!word_at_nocase(p, end, w->word, page_word_len[k]))
                                continue;
                        if (w->kind == PAGE_WORD)
                                return true;
                        hidden = hidden || w->kind == PAGE_HIDDEN;
                        read = read || w->kind == PAGE_READ;
                        if (hidden && read)
                                return true;
                }
                if ((*p == '\\' || *p == '%') && unicode_escape_run(p, end))
                        return true;
                /* exploit_kit_script_before_page_start: a <script opening the file;
                 * exploit_kit_script_after_page_end: one after the page's </html> */
                if (*p == '<' && word_at_nocase(p, end, "<script", 7) && (p - d < 512 || html_end))
                        return true;
                if (*p == '<' && !html_end && word_at_nocase(p, end, "</html>", 7))
                        html_end = p;
                /* a chain starting at a name of the last one is part of it */
                if (p >= names_end && (p == d || !is_js_ident(p[-1])) &&
                    (isalpha(*p) || *p == '_' || *p == '$') && joins_ten_names(p, end, &names_end))
                        return true;
        }
        return false;
}

/* Scans data with every rule set whose scope it is in. */
static int scan_sets(const struct rules *r, const uint8_t *data, size_t size, bool text,
                     struct scan_params *sp, struct analysis_result *node)
{
        struct encoded_stats es = {0};
        struct literal_stats ls = {0};
        bool measured = false, measured_literal = false, measured_js = false, measured_ps = false;
        bool measured_page = false, measured_raw_script = false, measured_psmodel = false;
        int64_t ps_syntax = 0; /* psshape's count for this text */
        int markup = -1;
        bool measured_web = false, measured_webmodel = false, measured_jsmodel = false;
        int web_language = -1; /* webshape_measure()'s reading of the whole text, when it read it */

        for (int s = 0; s < N_SCOPES; s++) {
                if (!r->yara[s] || !in_scope(s, data, size, sp->file_type, &markup))
                        continue;
                /* Also content that libmagic calls data (a landing page with bytes of a
                 * binary cipher in its literal): the encoded_* stay 0 for it. */
                if ((r->uses_literal[s] || s == SCOPE_EXPLOIT) && !measured_literal) {
                        literal_runs(data, size, &ls);
                        measured_literal = true;
                }
                if (s == SCOPE_EXPLOIT && !page_could_match(data, size, &ls))
                        continue;
                /* The encoded-run measurements are taken once, for text, and only when a rule
                 * set that reads them is about to scan it (they cost as much as YARA's own
                 * pass over text). */
                if (text && r->uses_encoded[s] && !measured) {
                        encoded_stats(data, size, &es);
                        measured = true;
                }
                /* Scripts and the scripts of pages, once per text, into what the node's
                 * earlier texts showed (also for the page rules, which read them too). */
                if (text && (r->uses_js[s] || r->uses_page[s]) && !measured_js && !sp->python &&
                    !opens_as_php(data, size)) {
                        struct jsshape js;
                        jsshape_measure((const char *)data, size, !streq(sp->file_type, "script"),
                                        &js);
                        jsshape_merge(&sp->js, &js);
                        measured_js = true;
                }
                /* PowerShell's shape, once per text that is not prose, into what the node's
                 * earlier texts showed */
                if (text && r->uses_ps[s] && !measured_ps &&
                    !streq(sp->file_type, text_kind_name(TEXT_KIND_DOCUMENT)) &&
                    !opens_as_php(data, size)) {
                        struct psshape ps;
                        psshape_measure((const char *)data, size, &ps);
                        /* the normalised text is lower case: its names and words say
                         * nothing of how they were written */
                        if (sp->normalised_changes > 0)
                                ps.random_vars_pm = ps.random_case = 0;
                        psshape_merge(&sp->ps, &ps);
                        ps_syntax = ps.syntax;
                        measured_ps = true;
                }
                /* The vocabulary model, once per raw text that reads as PowerShell (psshape's
                 * own test: two tokens only PowerShell writes), into what the node's earlier
                 * texts scored. Not the normalised text: the model was trained on scripts as
                 * their authors wrote them, and the normaliser's lower-cased, decoded text
                 * (the C# of an Add-Type here-string among it) is another vocabulary. */
                if (text && r->uses_psmodel[s] && !measured_psmodel && ps_syntax >= 2 &&
                    sp->normalised_changes == 0) {
                        int64_t score = psmodel_score((const char *)data, size);
                        if (sp->psmodel.model == 0 || score > sp->psmodel.model)
                                sp->psmodel.model = score;
                        measured_psmodel = true;
                }
                /* Pages (also one that is mostly script, when it opens with a tag), once per
                 * text. The normalised text (its <style> and structure undone) adds only the
                 * iframes and sources that decoded strings write. */
                if (text && r->uses_page[s] && !measured_page && streq(sp->file_type, "script") &&
                    !sp->python && !opens_with_tag(data, size) && !opens_as_php(data, size) &&
                    !in_scope(SCOPE_MARKUP, data, size, NULL, &markup)) {
                        /* a script that is not a page: its worst line, once, over the raw
                         * text */
                        struct jsshape jsb;
                        if (sp->normalised_changes == 0 && sp->jsb.bytes == 0) {
                                pageshape_script_lines((const char *)data, size, &jsb);
                                sp->jsb = jsb;
                        }
                        measured_page = true;
                }
                if (text && r->uses_page[s] && !measured_page &&
                    (!streq(sp->file_type, "script") || opens_with_tag(data, size)) &&
                    !opens_as_php(data, size)) {
                        struct pageshape page;
                        struct jsshape jsb;
                        pageshape_measure((const char *)data, size, &page, &jsb);
                        if (sp->normalised_changes > 0) {
                                struct pageshape written = {
                                        .hidden_iframes = page.hidden_iframes,
                                        .ip_sources = page.ip_sources,
                                };
                                pageshape_merge(&sp->page, &written);
                        } else {
                                pageshape_merge(&sp->page, &page);
                                if (jsb.bytes > 0 && sp->jsb.bytes == 0)
                                        sp->jsb = jsb;
                        }
                        measured_page = true;
                }
                /* A script kept apart from its page (an injected .js): the referrer gate, the
                 * decoded literal run or written and the lists of shifted character codes that
                 * pageshape_measure() looks for in a page's blocks; and its edges, where code
                 * appended to or prepended before a library sits (also one whose strings hold
                 * markup, as a library's do). Once, over the raw text of a script that does not
                 * open with a tag: one test of it for both. */
                if (text && r->uses_page[s] && !measured_raw_script &&
                    streq(sp->file_type, "script") && !sp->python && sp->normalised_changes == 0 &&
                    !opens_with_tag(data, size) && !opens_as_php(data, size)) {
                        pageshape_script_injections((const char *)data, size, &sp->page);
                        if (sp->page.edge_bytes == 0)
                                pageshape_script_edges((const char *)data, size, &sp->page);
                        measured_raw_script = true;
                }
                /* Server-side scripts, once per text, into what the node's earlier texts
                 * showed (webshape_measure() leaves other text at 0 after a short look). */
                if (text && r->uses_web[s] && !measured_web) {
                        struct webshape web;
                        webshape_measure((const char *)data, size, &web);
                        webshape_merge(&sp->web, &web);
                        if (size <= WEBSHAPE_MAX_INPUT)
                                web_language = (int)web.language;
                        measured_web = true;
                }
                /* The vocabulary model, once per raw text that webshape reads as a server-side
                 * script, into what the node's earlier texts scored. Not the normalised text:
                 * the model was trained on scripts as their authors wrote them. Not bytes with
                 * a NUL in their first 4 KiB either: an OOXML or ODF package is "text" by its
                 * MIME type, and its compressed members hold a "<?" and words by chance. */
                if (text && r->uses_webmodel[s] && !measured_webmodel &&
                    sp->normalised_changes == 0 && !memchr(data, 0, size < 4096 ? size : 4096)) {
                        int language = web_language >= 0
                                               ? web_language
                                               : webshape_language((const char *)data, size);
                        if (language != WEBSHAPE_NONE) {
                                int64_t score = webmodel_score((const char *)data, size, language);
                                if (sp->webmodel.model == 0 || score > sp->webmodel.model)
                                        sp->webmodel.model = score;
                        }
                        measured_webmodel = true;
                }
                /* The vocabulary model of JavaScript, once per raw text: a script that does not
                 * open with a tag whole when it reads as JavaScript (not an XML document,
                 * VBScript, PowerShell or a batch file), a page (or a script that opens with a
                 * tag: an .hta, a .wsf) by each of its inline <script> bodies, the highest;
                 * into what the node's earlier texts scored. Not the normalised text (the model was
                 * trained on scripts as their authors wrote them), not PHP, Python or bytes with a
                 * NUL in their first 4 KiB. */
                if (text && r->uses_jsmodel[s] && !measured_jsmodel &&
                    sp->normalised_changes == 0 && !sp->python && !opens_as_php(data, size) &&
                    !memchr(data, 0, size < 4096 ? size : 4096)) {
                        size_t blocks = 1;
                        int64_t score;
                        if (!streq(sp->file_type, "script") || opens_with_tag(data, size)) {
                                score = jsmodel_score_page((const char *)data, size, &blocks);
                        } else if (jsmodel_reads_as_javascript((const char *)data, size)) {
                                score = jsmodel_score((const char *)data, size);
                        } else {
                                blocks = 0;
                                score = 0;
                        }
                        if (blocks > 0 && (sp->jsmodel.model == 0 || score > sp->jsmodel.model))
                                sp->jsmodel.model = score;
                        measured_jsmodel = true;
                }
                sp->es = text ? &es : NULL;
                sp->ls = measured_literal ? &ls : NULL;
                int k = scan_set(r, s, data, size, sp, node);
                if (k < 0)
                        return k;
        }
        return 0;
}

/* UTF-16LE text (a BOM, or nearly every high byte zero in the first 4 KiB): what Windows
 * tools and PowerShell's Out-File write. The rules are written for ASCII, so such a script is
 * also scanned as UTF-8. */
static bool is_utf16le_text(const uint8_t *d, size_t n)
{
        size_t pairs = 0, zeros = 0;

        if (n >= 2 && d[0] == 0xFF && d[1] == 0xFE)
                return true;
        for (size_t i = 0; i + 1 < n && i < 4096; i += 2) {
                pairs++;
                zeros += d[i + 1] == 0 && d[i] != 0;
        }
        return pairs >= 16 && zeros * 10 >= pairs * 9;
}

static int utf16le_to_utf8(const uint8_t *d, size_t n, char **ret, size_t *ret_len)
{
        size_t i = n >= 2 && d[0] == 0xFF && d[1] == 0xFE ? 2 : 0, len = 0;
        char *out = malloc(n / 2 * 3 + 1);

        if (!out)
                return -ENOMEM;
        for (; i + 1 < n; i += 2) {
                unsigned u = d[i] | (unsigned)d[i + 1] << 8;
                if (u >= 0xD800 && u < 0xE000)
                        u = '?'; /* a surrogate half: the rules read ASCII */
                if (u < 0x80) {
                        out[len++] = (char)u;
                } else if (u < 0x800) {
                        out[len++] = (char)(0xC0 | u >> 6);
                        out[len++] = (char)(0x80 | (u & 0x3F));
                } else {
                        out[len++] = (char)(0xE0 | u >> 12);
                        out[len++] = (char)(0x80 | (u >> 6 & 0x3F));
                        out[len++] = (char)(0x80 | (u & 0x3F));
                }
        }
        out[len] = 0;
        *ret = out;
        *ret_len = len;
        return 0;
}

/* Scripts are scanned twice: as they are, and normalised (normalise.h), so that one rule
 * matches every spelling; the findings of the second scan say so in their source. Text over
 * this size is not normalised (a script is smaller; a log or a data dump gains nothing). */
#define MAX_NORMALISED_SIZE (1u << 20)

/* A text's normalised form (normalise_script()): what the passes made of it, kept for the test
 * of its language after the scans. */
struct normalised {
        const void *of; /* the text normalised, NULL when none was */
        size_t of_len;
        int changes;
        char *text; /* when changes > 0 */
        size_t len;
        char *typed; /* a keystroke injector's typed text (ducky.h), which the passes read */
        size_t typed_len;
};

static void normalised_done(struct normalised *n)
{
        free(n->text);
        free(n->typed);
}

/* A Ducky Script payload (ducky.h): its typed text is scanned as a script, and the passes
 * after this one read it in the file's place. Sets *ret_typed (owned by norm) or leaves it. */
static int scan_typed(const struct rules *r, const void *data, size_t size, struct scan_params *sp,
                      struct analysis_result *node, struct normalised *norm)
{
        int k;

        if (!ducky_is_script(data, size))
                return 0;
        k = ducky_typed(data, size, &norm->typed, &norm->typed_len);
        if (k <= 0)
                return k;
        if (analysis_result_add_finding(node, "script.keystroke_injection", ANALYSIS_SEVERITY_INFO,
                                        "T1200",
                                        "a keystroke injector's payload (Ducky Script: USB "
                                        "Rubber Ducky, Bash Bunny, Flipper Zero BadUSB); its "
                                        "rules read the text it types",
                                        NULL, "yara") < 0)
                return -ENOMEM;
        sp->file_type = text_kind_name(TEXT_KIND_SCRIPT);
        sp->python = false;
        sp->source = "yara-typed";
        return scan_sets(r, (const uint8_t *)norm->typed, norm->typed_len, true, sp, node);
}

/* wide: the text read as UTF-8 when it is UTF-16LE (rules_scan converts it once), or NULL.
 * *ret_norm gets the normalised text, if one was made. */
static int rules_scan_passes(const struct rules *r, const void *data, size_t size, const char *wide,
                             size_t wide_len, const char *name, unsigned timeout_sec,
                             struct analysis_result *node, struct normalised *ret_norm)
{
        char hex[65];
        struct hash_rule key, *hit;

        if (r->n_hashes > 0 && node->sha256) {
                memcpy(key.sha256, node->sha256, sizeof(hex));
                hit = bsearch(&key, r->hashes, r->n_hashes, sizeof(*r->hashes), cmp_hash);
                /* Several lines may share a hash with different sizes: walk the run. */
                while (hit && hit > r->hashes && streq(hit[-1].sha256, key.sha256))
                        hit--;
                for (; hit && hit < r->hashes + r->n_hashes && streq(hit->sha256, key.sha256);
                     hit++) {
                        _cleanup_free_ char *rule = NULL, *ev = NULL;
                        if (hit->size >= 0 && (uint64_t)hit->size != size)
                                continue;
                        if (asprintf(&rule, "hash.%s", hit->name) < 0 ||
                            asprintf(&ev, "sha256 %s", node->sha256) < 0)
                                return -ENOMEM;
                        if (analysis_result_add_finding(node, rule, ANALYSIS_SEVERITY_CRITICAL,
                                                        NULL, "the file's SHA-256 is listed", ev,
                                                        "hash") < 0)
                                return -ENOMEM;
                }
        }

        bool text = is_text_mime(node->mime);
        enum text_kind kind = text ? text_kind_of(data, size, name) : TEXT_KIND_NONE;
        struct scan_params sp = {.name = name,
                                 .file_type = text_kind_name(kind),
                                 .mime = node->mime,
                                 .source = "yara",
                                 .first = node->n_findings,
                                 .timeout_sec = timeout_sec,
                                 .python = kind == TEXT_KIND_SCRIPT && text_is_python(data, size)};
        int k = scan_sets(r, data, size, text, &sp, node);
        if (k < 0 || !text)
                return k;

        if (wide) {
                data = wide;
                size = wide_len;
                kind = text_kind_of(data, size, name);
                sp.file_type = text_kind_name(kind);
                sp.python = kind == TEXT_KIND_SCRIPT && text_is_python(data, size);
                sp.source = "yara-decoded";
                k = scan_sets(r, data, size, true, &sp, node);
                if (k < 0)
                        return k;
        }
        k = scan_typed(r, data, size, &sp, node, ret_norm);
        if (k < 0)
                return k;
        if (ret_norm->typed) {
                data = ret_norm->typed;
                size = ret_norm->typed_len;
                kind = TEXT_KIND_SCRIPT;
        }
        if (kind == TEXT_KIND_DOCUMENT || size > MAX_NORMALISED_SIZE)
                return k;

        /* JScript.Encode/VBScript.Encode blocks (.jse, .vbe, encoded <script>s): the rules
         * read their text, and the normaliser works on it (scriptenc.h) */
        _cleanup_free_ char *decoded = NULL;
        size_t decoded_len = 0;
        if (script_is_encoded(data, size)) {
                k = script_decode(data, size, &decoded, &decoded_len, NULL);
                if (k > 0 && (analysis_result_add_finding(
                                      node, "script.encoded", ANALYSIS_SEVERITY_LOW, "T1027",
                                      "the script is encoded with the Windows Script Encoder "
                                      "(JScript.Encode, VBScript.Encode); its rules read it "
                                      "decoded",
                                      NULL, "yara") < 0))
                        return -ENOMEM;
                if (k > 0) {
                        sp.source = "yara-decoded";
                        sp.python =
                                sp.python && text_is_python((const uint8_t *)decoded, decoded_len);
                        k = scan_sets(r, (const uint8_t *)decoded, decoded_len, true, &sp, node);
                        if (k < 0)
                                return k;
                        data = decoded;
                        size = decoded_len;
                }
        }

        _cleanup_free_ char *norm = NULL;
        size_t norm_len;
        k = normalise_script(data, size, &norm, &norm_len);
        if (k < 0)
                return k;
        /* the file's own text (or its UTF-8 reading), not a decoded one */
        if (data != decoded) {
                ret_norm->of = data;
                ret_norm->of_len = size;
                ret_norm->changes = k;
        }
        if (k == 0)
                return 0;
        sp.source = "yara-normalised";
        sp.normalised_changes = k;
        k = scan_sets(r, (const uint8_t *)norm, norm_len, true, &sp, node);
        if (ret_norm->of) {
                ret_norm->text = TAKE_PTR(norm);
                ret_norm->len = norm_len;
        }
        return k;
}

/* Whether findings[first..] hold one that says the file does something (medium or worse, from
 * the rules) without saying that it runs through PowerShell. */
static bool lacks_powershell_id(const struct analysis_result *node, size_t first)
{
        for (size_t i = first; i < node->n_findings; i++) {
                const struct analysis_finding *f = &node->findings[i];
                if (f->severity >= ANALYSIS_SEVERITY_MEDIUM && startswith(f->source, "yara") &&
                    !strv_contains(f->attack, "T1059.001"))
                        return true;
        }
        return false;
}

/* Whether the text (UTF-8 already, when it was UTF-16LE) is PowerShell as it is, or once
 * normalised (an obfuscated one-liner shows its cmdlets only then). known: the normalised form
 * the scans made, used when it is of the same bytes. */
static int text_is_powershell(const uint8_t *data, size_t size, const char *name,
                              const struct normalised *known)
{
        _cleanup_free_ char *norm = NULL;
        size_t norm_len = 0;
        int k;

        if (pslang_is_powershell(data, size, name))
                return 1;
        /* normalising costs as much as the scan: only for text that could still be PowerShell */
        if (size > MAX_NORMALISED_SIZE || pslang_is_foreign(data, size))
                return 0;
        if (size > PSLANG_MAX_INPUT / 4)
                size = PSLANG_MAX_INPUT / 4;
        if (known->of == data && known->of_len == size)
                return known->changes > 0 &&
                       pslang_is_powershell((const uint8_t *)known->text, known->len, NULL);
        k = normalise_script(data, size, &norm, &norm_len);
        if (k <= 0)
                return k;
        return pslang_is_powershell((const uint8_t *)norm, norm_len, NULL);
}

/* The rules say what a script does; that a PowerShell script does it through PowerShell is
 * said here once, for every rule: each finding of medium or worse severity on PowerShell text
 * gets T1059.001 among its ids. Text of other languages keeps its ids as the rules wrote them. */
static int powershell_ids(struct analysis_result *node, size_t first, const void *data, size_t size,
                          const char *name, const struct normalised *known)
{
        int k;

        if (!is_text_mime(node->mime) || !lacks_powershell_id(node, first))
                return 0;
        k = text_is_powershell(data, size, name, known);
        if (k <= 0)
                return k;
        for (size_t i = first; i < node->n_findings; i++) {
                struct analysis_finding *f = &node->findings[i];
                if (f->severity < ANALYSIS_SEVERITY_MEDIUM || !startswith(f->source, "yara"))
                        continue;
                k = analysis_finding_add_attack(f, "T1059.001");
                if (k < 0)
                        return k;
        }
        return 0;
}

#define INFLATED_LAYERS 3

/* Scripts compressed into base64 for DeflateStream or GzipStream (psinflate.h): the rules read
 * the texts inside, as they are and normalised, and those inside them, INFLATED_LAYERS deep. */
static int scan_inflated(const struct rules *r, const uint8_t *data, size_t size,
                         struct scan_params *sp, struct analysis_result *node, int layer)
{
        _cleanup_free_ char *inner = NULL, *norm = NULL;
        size_t inner_len = 0, norm_len = 0;
        int k;

        if (layer >= INFLATED_LAYERS)
                return 0;
        k = psinflate_texts(data, size, &inner, &inner_len);
        if (k <= 0)
                return k;
        sp->source = "yara-decoded";
        sp->normalised_changes = 0;
        sp->python = false; /* the inflated text is PowerShell's, or measured as it was */
        k = scan_sets(r, (const uint8_t *)inner, inner_len, true, sp, node);
        if (k < 0)
                return k;
        k = normalise_script((const uint8_t *)inner, inner_len, &norm, &norm_len);
        if (k < 0)
                return k;
        if (k > 0) {
                sp->source = "yara-normalised";
                sp->normalised_changes = k;
                k = scan_sets(r, (const uint8_t *)norm, norm_len, true, sp, node);
                if (k < 0)
                        return k;
        }
        return scan_inflated(r, (const uint8_t *)inner, inner_len, sp, node, layer + 1);
}

/* The text of a file (UTF-8 already, when it was UTF-16LE) for the inflation pass. */
static int scan_inflated_file(const struct rules *r, const uint8_t *data, size_t size,
                              const char *name, unsigned timeout_sec, struct analysis_result *node,
                              size_t first)
{
        if (!is_text_mime(node->mime))
                return 0;
        struct scan_params sp = {.name = name,
                                 .file_type = text_kind_name(TEXT_KIND_SCRIPT),
                                 .mime = node->mime,
                                 .first = first,
                                 .timeout_sec = timeout_sec};
        return scan_inflated(r, data, size, &sp, node, 0);
}

int rules_scan(const struct rules *r, const void *data, size_t size, const char *name,
               unsigned timeout_sec, struct analysis_result *node)
{
        size_t first = node->n_findings, wide_len = 0;
        _cleanup_free_ char *wide = NULL;
        _cleanup_(normalised_done) struct normalised norm = {0};
        int k;

        /* UTF-16LE text is read as UTF-8 by every pass after the first scan: converted once */
        if (is_text_mime(node->mime) && is_utf16le_text(data, size)) {
                k = utf16le_to_utf8(data, size, &wide, &wide_len);
                if (k < 0)
                        return k;
        }
        k = rules_scan_passes(r, data, size, wide, wide_len, name, timeout_sec, node, &norm);
        if (k < 0)
                return k;
        const void *text = norm.typed ? norm.typed : wide ? wide : (const char *)data;
        size_t text_len = norm.typed ? norm.typed_len : wide ? wide_len : size;
        k = scan_inflated_file(r, text, text_len, name, timeout_sec, node, first);
        if (k < 0)
                return k;
        return powershell_ids(node, first, text, text_len, name, &norm) < 0 ? -ENOMEM : k;
}
