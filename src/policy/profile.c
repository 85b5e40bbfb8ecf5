/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The profile language: read, check, expand and apply one directive a line through the run
 * option table. Every error names FILE:LINE:COLUMN, shows the line and says what was expected.
 * Nothing is applied from a line that fails; the caller throws the half-filled policy away. */
#include <ctype.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <limits.h>
#include <stdarg.h>

#include "basic/escape.h"
#include "basic/fileio.h"
#include "basic/hex.h"
#include "basic/log.h"
#include "basic/paths.h"
#include "basic/strv.h"
#include "config.h"
#include "profile.h"

#define MAX_TOKENS 4 /* a directive and up to two values; one more to report "too many" */

struct frame {
        char *path;       /* as named in messages */
        char *real;       /* resolved, for cycle detection */
        char *name;       /* basename without the suffix */
        int search_index; /* search folder it was found in, -1 when named by a path */
        unsigned line;
        const char *line_text; /* the line being applied, for include errors */
        size_t line_len;
        unsigned col; /* column of the value being applied */
        struct frame *parent;
};

struct loader {
        struct policy *p;
        struct frame *top;
        unsigned depth;
        char *app;
        bool logged; /* an error below was logged already */
};

static __thread struct loader *current;
static __thread char *last_app; /* ${APP} for command-line flags after the profile */

/* ---- variables ---- */

static int home_dir(char **ret)
{
        return user_home_dir(getuid(), ret);
}

/* XDG_DOWNLOAD_DIR from the environment or ~/.config/user-dirs.dirs, else ~/Downloads. */
static int downloads_dir(char **ret)
{
        _cleanup_free_ char *home = NULL, *conf = NULL, *dirs = NULL;
        const char *env = getenv("XDG_DOWNLOAD_DIR");
        int r;

        if (env && env[0] == '/') {
                *ret = strdup(env);
                return *ret ? 0 : -ENOMEM;
        }
        r = home_dir(&home);
        if (r < 0)
                return r;
        if (asprintf(&conf, "%s/.config/user-dirs.dirs", home) < 0)
                return -ENOMEM;
        if (read_full_file(conf, &dirs, NULL, 65536) >= 0) {
                const char *line = strstr(dirs, "XDG_DOWNLOAD_DIR=\"");

                if (line) {
                        const char *v = line + strlen("XDG_DOWNLOAD_DIR=\"");
                        size_t len = strcspn(v, "\"\n");

                        if (strneq(v, "$HOME/", 6) && len > 6)
                                r = asprintf(ret, "%s/%.*s", home, (int)(len - 6), v + 6);
                        else if (v[0] == '/')
                                r = asprintf(ret, "%.*s", (int)len, v);
                        else
                                r = asprintf(ret, "%s/Downloads", home);
                        return r < 0 ? -ENOMEM : 0;
                }
        }
        return asprintf(ret, "%s/Downloads", home) < 0 ? -ENOMEM : 0;
}

int profile_variable(const char *name, const char *app, char **ret)
{
        const char *rt;

        if (streq(name, "HOME"))
                return home_dir(ret);
        if (streq(name, "DOWNLOADS"))
                return downloads_dir(ret);
        if (streq(name, "RUNTIME_DIR")) {
                rt = getenv("XDG_RUNTIME_DIR");
                if (rt && rt[0] == '/')
                        *ret = strdup(rt);
                else if (asprintf(ret, "/run/user/%u", (unsigned)getuid()) < 0)
                        *ret = NULL;
                return *ret ? 0 : -ENOMEM;
        }
        if (streq(name, "APP")) {
                if (!app)
                        app = current ? current->app : last_app;
                *ret = strdup(app ?: "default");
                return *ret ? 0 : -ENOMEM;
        }
        if (streq(name, "CWD")) {
                *ret = get_current_dir_name();
                return *ret ? 0 : negative_errno();
        }
        if (streq(name, "SANDBOX_HOME")) {
                const char *h = current && current->p->home ? current->p->home : NULL;

                *ret = strdup(h ?: PROFILE_SANDBOX_HOME);
                return *ret ? 0 : -ENOMEM;
        }
        return -ENOENT;
}

/* ---- error messages ---- */

/* The line as shown under an error: printable, and for long lines a window around col. */
static void show_line(FILE *f, unsigned lineno, const char *text, size_t len, unsigned col)
{
        size_t start = 0, end = len;
        char num[16];

        if (len > 100) {
                start = col > 50 ? col - 50 : 0;
                if (start > len)
                        start = len;
                end = start + 100 < len ? start + 100 : len;
        }
        snprintf(num, sizeof(num), "%u", lineno);
        fprintf(f, "\n %5s | %s", num, start > 0 ? "..." : "");
        for (size_t i = start; i < end; i++) {
                unsigned char c = (unsigned char)text[i];

                fputc(c == '\t' ? ' ' : (c < 0x20 || c == 0x7f) ? '?' : c, f);
        }
        fprintf(f, "%s\n %5s | %*s^", end < len ? "..." : "", "",
                (int)(col > start ? col - 1 - start + (start > 0 ? 3 : 0) : 0), "");
}

static int vlog_at(const struct frame *fr, const char *text, size_t len, unsigned lineno,
                   unsigned col, int error, const char *fmt, va_list ap)
{
        _cleanup_free_ char *msg = NULL, *buf = NULL;
        size_t size = 0;
        FILE *f;

        if (vasprintf(&msg, fmt, ap) < 0)
                return log_error_errno(error, "%s: out of memory", fr->path);
        f = open_memstream(&buf, &size);
        if (!f)
                return log_error_errno(error, "%s:%u:%u: %s", fr->path, lineno, col, msg);
        fprintf(f, "%s:%u:%u: %s", fr->path, lineno, col, msg);
        if (text)
                show_line(f, lineno, text, len, col);
        for (const struct frame *up = fr->parent; up; up = up->parent)
                fprintf(f, "\n  included from %s:%u", up->path, up->line);
        fclose(f);
        return log_error_errno(error, "%s", buf ?: msg);
}

_printf_(7, 8) static int log_at(struct loader *l, const char *text, size_t len, unsigned lineno,
                                 unsigned col, int error, const char *fmt, ...)
{
        va_list ap;
        int r;

        va_start(ap, fmt);
        r = vlog_at(l->top, text, len, lineno, col, error, fmt, ap);
        va_end(ap);
        l->logged = true;
        return r;
}

/* ---- tokens ---- */

struct token {
        char *text;
        unsigned col;
};

struct line_tokens {
        struct token t[MAX_TOKENS + 1];
        unsigned n;
};

static void line_tokens_clear(struct line_tokens *lt)
{
        for (unsigned i = 0; i < lt->n; i++)
                free(lt->t[i].text);
        lt->n = 0;
}

static const char variables_help[] =
        "expected ${HOME}, ${DOWNLOADS}, ${RUNTIME_DIR}, ${APP}, ${CWD} or ${SANDBOX_HOME}";

/* Expands ${NAME} at s (s[0] == '$') into f. Returns the bytes consumed or a negative errno
 * after logging. */
static int expand_variable(struct loader *l, const char *line, size_t len, unsigned lineno,
                           const char *s, FILE *f)
{
        unsigned col = (unsigned)(s - line) + 1;
        _cleanup_free_ char *value = NULL;
        const char *end;
        char name[32];
        int r;

        /* The line is not NUL-terminated at len: never look past it. */
        if (line + len - s < 2 || s[1] != '{')
                return log_at(l, line, len, lineno, col, -EINVAL,
                              "'$' starts a variable: %s (write \\$ for a dollar sign)",
                              variables_help);
        end = memchr(s + 2, '}', (size_t)(line + len - s - 2));
        if (!end || (size_t)(end - s - 2) >= sizeof(name) || end == s + 2)
                return log_at(l, line, len, lineno, col, -EINVAL, "bad variable: %s",
                              variables_help);
        memcpy(name, s + 2, (size_t)(end - s - 2));
        name[end - s - 2] = 0;
        r = profile_variable(name, NULL, &value);
        if (r == -ENOENT)
                return log_at(l, line, len, lineno, col, -EINVAL, "unknown variable ${%s}: %s",
                              name, variables_help);
        if (r < 0)
                return log_at(l, line, len, lineno, col, r, "cannot determine ${%s}: %s", name,
                              strerror(-r));
        fputs(value, f);
        return (int)(end - s + 1);
}

/* Escapes inside double quotes: \\ \" \$ \n \t \r \xHH. Returns bytes consumed or -EINVAL. */
static int quoted_escape(const char *s, const char *end, FILE *f)
{
        int hi, lo;

        if (s + 1 >= end)
                return -EINVAL;
        switch (s[1]) {
        case '\\':
        case '"':
        case '$':
                fputc(s[1], f);
                return 2;
        case 'n':
                fputc('\n', f);
                return 2;
        case 't':
                fputc('\t', f);
                return 2;
        case 'r':
                fputc('\r', f);
                return 2;
        case 'x':
                if (s + 4 > end)
                        return -EINVAL;
                hi = hex_digit(s[2]);
                lo = hex_digit(s[3]);
                if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
                        return -EINVAL;
                fputc(hi * 16 + lo, f);
                return 4;
        default:
                return -EINVAL;
        }
}

/* Reads one word starting at *pos. Returns 0 with the word in *ret, or a negative errno after
 * logging. */
static int read_word(struct loader *l, const char *line, size_t len, unsigned lineno, size_t *pos,
                     char **ret)
{
        _cleanup_free_ char *buf = NULL;
        size_t size = 0, i = *pos;
        FILE *f = open_memstream(&buf, &size);
        char quote = 0;
        size_t quote_start = 0;
        int r = 0;

        if (!f)
                return -ENOMEM;
        while (i < len) {
                char c = line[i];

                if (!quote && (c == ' ' || c == '\t'))
                        break;
                if (!quote && (c == '"' || c == '\'')) {
                        quote = c;
                        quote_start = i;
                        i++;
                        continue;
                }
                if (quote && c == quote) {
                        quote = 0;
                        i++;
                        continue;
                }
                if (quote == '\'') {
                        fputc(c, f);
                        i++;
                        continue;
                }
                if (c == '$') {
                        r = expand_variable(l, line, len, lineno, line + i, f);
                        if (r < 0)
                                goto out;
                        i += (size_t)r;
                        continue;
                }
                if (c == '\\') {
                        if (quote)
                                r = quoted_escape(line + i, line + len, f);
                        else if (i + 1 < len && strchr(" \t\"'$#\\", line[i + 1])) {
                                fputc(line[i + 1], f);
                                r = 2;
                        } else
                                r = -EINVAL;
                        if (r < 0) {
                                r = log_at(l, line, len, lineno, (unsigned)i + 1, -EINVAL,
                                           "unknown escape: expected %s",
                                           quote ? "\\\\, \\\", \\$, \\n, \\t, \\r or \\xHH "
                                                   "inside double quotes"
                                                 : "\\ followed by a space, tab, quote, $, # "
                                                   "or \\");
                                goto out;
                        }
                        i += (size_t)r;
                        continue;
                }
                fputc(c, f);
                i++;
        }
        if (quote) {
                r = log_at(l, line, len, lineno, (unsigned)quote_start + 1, -EINVAL,
                           "unterminated quote: expected a closing %c on the same line", quote);
                goto out;
        }
        r = 0;
out:
        fclose(f);
        if (r < 0)
                return r;
        if (!buf)
                return -ENOMEM;
        *pos = i;
        *ret = TAKE_PTR(buf);
        return 0;
}

/* Splits a line into words; stops at a '#' that starts a word. */
static int tokenize(struct loader *l, const char *line, size_t len, unsigned lineno,
                    struct line_tokens *ret)
{
        size_t i = 0;
        int r;

        ret->n = 0;
        for (;;) {
                while (i < len && (line[i] == ' ' || line[i] == '\t'))
                        i++;
                if (i >= len || line[i] == '#')
                        return 0;
                if (ret->n == ELEMENTSOF(ret->t))
                        return log_at(l, line, len, lineno, (unsigned)i + 1, -EINVAL,
                                      "too many values: a directive takes at most two");
                ret->t[ret->n].col = (unsigned)i + 1;
                r = read_word(l, line, len, lineno, &i, &ret->t[ret->n].text);
                if (r < 0)
                        return r;
                ret->n++;
        }
}

/* ---- text checks ---- */

size_t profile_utf8_length(const unsigned char *s, size_t left)
{
        return utf8_sequence_length(s, left, NULL);
}

/* A line must be text: no NUL or control characters (tab allowed), valid UTF-8. */
static int check_text(struct loader *l, const char *line, size_t len, unsigned lineno)
{
        for (size_t i = 0; i < len;) {
                unsigned char c = (unsigned char)line[i];
                size_t n;

                if (c == 0)
                        return log_at(l, line, len, lineno, (unsigned)i + 1, -EBADMSG,
                                      "binary data (a NUL byte): expected a text file");
                if ((c < 0x20 && c != '\t') || c == 0x7f)
                        return log_at(l, line, len, lineno, (unsigned)i + 1, -EBADMSG,
                                      "control character 0x%02x: expected printable text", c);
                n = profile_utf8_length((const unsigned char *)line + i, len - i);
                if (n == 0)
                        return log_at(l, line, len, lineno, (unsigned)i + 1, -EBADMSG,
                                      "byte 0x%02x is not UTF-8: expected a text file", c);
                i += n;
        }
        return 0;
}

/* ---- directives ---- */

static unsigned edit_distance(const char *a, const char *b)
{
        size_t la = strlen(a), lb = strlen(b);
        unsigned row[64];

        if (la >= 63 || lb >= 63)
                return 99;
        for (size_t j = 0; j <= lb; j++)
                row[j] = (unsigned)j;
        for (size_t i = 1; i <= la; i++) {
                unsigned prev = row[0];

                row[0] = (unsigned)i;
                for (size_t j = 1; j <= lb; j++) {
                        unsigned cur = row[j];
                        unsigned best = prev + (a[i - 1] != b[j - 1]);

                        if (row[j] + 1 < best)
                                best = row[j] + 1;
                        if (row[j - 1] + 1 < best)
                                best = row[j - 1] + 1;
                        row[j] = best;
                        prev = cur;
                }
        }
        return row[lb];
}

static const char *closest_directive(const char *name)
{
        const char *best = NULL;
        unsigned best_d = 3;

        for (size_t i = 0; i < policy_options_count; i++) {
                unsigned d;

                if (policy_options[i].flags & OPTION_CLI_ONLY)
                        continue;
                d = edit_distance(name, policy_options[i].name);
                if (d < best_d) {
                        best_d = d;
                        best = policy_options[i].name;
                }
        }
        return best;
}

static int apply_directive(struct loader *l, const char *line, size_t len, unsigned lineno,
                           struct line_tokens *lt)
{
        const char *name = lt->t[0].text;
        const struct option_def *def = options_find(policy_options, policy_options_count, name);
        char *args[2] = {NULL, NULL};
        const char *reason = NULL;
        unsigned col;
        int r;

        if (!def || (def->flags & OPTION_CLI_ONLY)) {
                const char *near = closest_directive(name);

                if (def)
                        return log_at(
                                l, line, len, lineno, lt->t[0].col, -EINVAL,
                                "'%s' is a command-line option only: expected a profile directive "
                                "(see airlock-profile(5))",
                                name);
                return log_at(l, line, len, lineno, lt->t[0].col, -EINVAL,
                              "unknown directive '%s': expected %s%s%s (see airlock-profile(5))",
                              name, near ? "'" : "a directive such as ro-bind, net or include",
                              near ?: "", near ? "'" : "");
        }
        if (lt->n - 1 < def->n_args)
                return log_at(l, line, len, lineno,
                              lt->t[lt->n - 1].col + (unsigned)strlen(lt->t[lt->n - 1].text),
                              -EINVAL, "%s needs a value: expected %s", def->name,
                              def->args_help ?: "a value");
        if (lt->n - 1 > def->n_args)
                return log_at(l, line, len, lineno, lt->t[def->n_args + 1].col, -EINVAL,
                              "unexpected value: %s takes %s", def->name,
                              def->n_args == 0 ? "no value" : (def->args_help ?: "one value"));
        for (unsigned i = 0; i < def->n_args; i++)
                args[i] = lt->t[i + 1].text;
        col = lt->t[def->n_args].col;
        l->top->line_text = line;
        l->top->line_len = len;
        l->top->col = col;
        l->logged = false;
        r = def->handler(l->p, def, args, &reason);
        if (r >= 0 || l->logged)
                return r;
        if (def->n_args == 0)
                return log_at(l, line, len, lineno, col, r, "%s: %s", def->name,
                              reason ?: strerror(-r));
        return log_at(l, line, len, lineno, col, r, "invalid value '%s' for %s: %s",
                      args[def->n_args - 1], def->name, reason ?: strerror(-r));
}

static int parse_version(struct loader *l, const char *line, size_t len, unsigned lineno,
                         const struct line_tokens *lt)
{
        if (!streq(lt->t[0].text, "airlock-profile"))
                return log_at(l, line, len, lineno, lt->t[0].col, -EINVAL,
                              "expected the version line 'airlock-profile %d' before any "
                              "directive",
                              PROFILE_VERSION);
        if (lt->n != 2)
                return log_at(l, line, len, lineno, lt->n < 2 ? lt->t[0].col + 15 : lt->t[2].col,
                              -EINVAL, "expected 'airlock-profile %d'", PROFILE_VERSION);
        if (!streq(lt->t[1].text, "1"))
                return log_at(l, line, len, lineno, lt->t[1].col, -EPROTONOSUPPORT,
                              "unsupported profile version '%s': expected %d", lt->t[1].text,
                              PROFILE_VERSION);
        return 0;
}

static int parse_text(struct loader *l, const char *text, size_t size)
{
        bool have_version = false;
        unsigned lineno = 0;
        size_t pos = 0;

        while (pos < size) {
                const char *line = text + pos;
                const char *nl = memchr(line, '\n', size - pos);
                size_t len = nl ? (size_t)(nl - line) : size - pos;
                struct line_tokens lt = {.n = 0};
                int r;

                pos += len + (nl ? 1 : 0);
                lineno++;
                l->top->line = lineno;
                if (len > 0 && line[len - 1] == '\r')
                        len--;
                if (len > PROFILE_MAX_LINE)
                        return log_at(l, line, len, lineno, PROFILE_MAX_LINE + 1, -E2BIG,
                                      "line is longer than %d bytes: expected one short directive "
                                      "a line",
                                      PROFILE_MAX_LINE);
                r = check_text(l, line, len, lineno);
                if (r < 0)
                        return r;
                r = tokenize(l, line, len, lineno, &lt);
                if (r >= 0 && lt.n > 0) {
                        if (!have_version) {
                                r = parse_version(l, line, len, lineno, &lt);
                                have_version = true;
                        } else if (streq(lt.t[0].text, "airlock-profile"))
                                r = log_at(l, line, len, lineno, lt.t[0].col, -EINVAL,
                                           "a second version line: expected it once, first");
                        else
                                r = apply_directive(l, line, len, lineno, &lt);
                }
                line_tokens_clear(&lt);
                if (r < 0)
                        return r;
        }
        if (!have_version)
                return log_at(l, NULL, 0, lineno ?: 1, 1, -EINVAL,
                              "no version line: expected 'airlock-profile %d' first",
                              PROFILE_VERSION);
        return 0;
}

/* ---- files and the search path ---- */

const char *profile_origin_to_string(enum profile_origin o)
{
        switch (o) {
        case PROFILE_ORIGIN_PATH:
                return "path";
        case PROFILE_ORIGIN_USER:
                return "user";
        case PROFILE_ORIGIN_SYSTEM:
                return "system";
        case PROFILE_ORIGIN_SHIPPED:
                return "shipped";
        }
        return "?";
}

static int push_dir(char ***dirs, enum profile_origin **origins, size_t *n, char *dir,
                    enum profile_origin o)
{
        enum profile_origin *no;
        int r;

        if (!dir)
                return -ENOMEM;
        if (strv_contains(*dirs, dir)) {
                free(dir);
                return 0;
        }
        no = realloc(*origins, (*n + 1) * sizeof(**origins));
        if (!no) {
                free(dir);
                return -ENOMEM;
        }
        *origins = no;
        r = strv_push(dirs, dir);
        if (r < 0) {
                free(dir);
                return r;
        }
        no[(*n)++] = o;
        return 0;
}

int profile_search_dirs(char ***ret_dirs, enum profile_origin **ret_origins)
{
        _cleanup_strv_free_ char **dirs = NULL;
        _cleanup_free_ enum profile_origin *origins = NULL;
        _cleanup_free_ char *home = NULL;
        const char *xdg = getenv("XDG_CONFIG_HOME");
        char *d = NULL, *shipped = NULL;
        size_t n = 0;
        int r;

        if (xdg && xdg[0] == '/') {
                if (asprintf(&d, "%s/airlock/profiles", xdg) < 0)
                        d = NULL;
                r = push_dir(&dirs, &origins, &n, d, PROFILE_ORIGIN_USER);
                if (r < 0)
                        return r;
        } else if (home_dir(&home) >= 0) {
                if (asprintf(&d, "%s/.config/airlock/profiles", home) < 0)
                        d = NULL;
                r = push_dir(&dirs, &origins, &n, d, PROFILE_ORIGIN_USER);
                if (r < 0)
                        return r;
        }
        r = push_dir(&dirs, &origins, &n, strdup("/etc/airlock/profiles"), PROFILE_ORIGIN_SYSTEM);
        if (r < 0)
                return r;
        r = push_dir(&dirs, &origins, &n, strdup(AIRLOCK_SYSCONFDIR "/profiles"),
                     PROFILE_ORIGIN_SYSTEM);
        if (r < 0)
                return r;
        if (data_path("profiles", &shipped) >= 0) {
                r = push_dir(&dirs, &origins, &n, shipped, PROFILE_ORIGIN_SHIPPED);
                if (r < 0)
                        return r;
        }
        *ret_dirs = TAKE_PTR(dirs);
        *ret_origins = TAKE_PTR(origins);
        return 0;
}

static bool valid_profile_name(const char *name)
{
        if (!name[0] || name[0] == '.' || strlen(name) > 64)
                return false;
        for (const char *c = name; *c; c++)
                if (!isalnum((unsigned char)*c) && !strchr("._-+", *c))
                        return false;
        return true;
}

/* Finds NAME.profile in the search folders from index first on. */
static int find_in_path(const char *name, int first, char **ret_path, int *ret_index,
                        enum profile_origin *ret_origin)
{
        _cleanup_strv_free_ char **dirs = NULL;
        _cleanup_free_ enum profile_origin *origins = NULL;
        int r = profile_search_dirs(&dirs, &origins);

        if (r < 0)
                return r;
        for (int i = first; dirs[i]; i++) {
                char *path;

                if (asprintf(&path, "%s/%s" PROFILE_SUFFIX, dirs[i], name) < 0)
                        return -ENOMEM;
                if (access(path, F_OK) == 0) {
                        *ret_path = path;
                        if (ret_index)
                                *ret_index = i;
                        if (ret_origin)
                                *ret_origin = origins[i];
                        return 0;
                }
                free(path);
        }
        return -ENOENT;
}

int profile_find(const char *name_or_path, char **ret_path, enum profile_origin *ret_origin)
{
        if (strchr(name_or_path, '/')) {
                if (access(name_or_path, F_OK) < 0)
                        return negative_errno();
                *ret_path = strdup(name_or_path);
                if (ret_origin)
                        *ret_origin = PROFILE_ORIGIN_PATH;
                return *ret_path ? 0 : -ENOMEM;
        }
        if (!valid_profile_name(name_or_path))
                return -EINVAL;
        return find_in_path(name_or_path, 0, ret_path, NULL, ret_origin);
}

static char *name_of_path(const char *path)
{
        const char *base = strrchr(path, '/');
        size_t len;

        base = base ? base + 1 : path;
        len = strlen(base);
        if (len > strlen(PROFILE_SUFFIX) &&
            streq(base + len - strlen(PROFILE_SUFFIX), PROFILE_SUFFIX))
                len -= strlen(PROFILE_SUFFIX);
        return strndup(base, len);
}

static void frame_free(struct frame *f)
{
        free(f->path);
        free(f->real);
        free(f->name);
}

static int load_text_frame(struct loader *l, struct frame *fr, const char *text, size_t size)
{
        int r;

        fr->parent = l->top;
        l->top = fr;
        l->depth++;
        r = strv_extend(&l->p->profiles_loaded, fr->path);
        if (r >= 0)
                r = parse_text(l, text, size);
        l->top = fr->parent;
        l->depth--;
        return r;
}

/* Reads a regular file only: a FIFO or device named by an include must not block or flood. */
static int read_profile_file(const char *path, char **ret, size_t *ret_size)
{
        _cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
        struct stat st;

        if (fd < 0)
                return negative_errno();
        if (fstat(fd, &st) < 0)
                return negative_errno();
        if (!S_ISREG(st.st_mode))
                return -EISDIR;
        if (st.st_size > PROFILE_MAX_SIZE)
                return -EFBIG;
        return read_full_fd(fd, ret, ret_size, PROFILE_MAX_SIZE);
}

/* Loads a file as the next frame. The caller has logged nothing; errors about the file itself
 * are logged at the include line (or without a location for the top level). */
static int load_file(struct loader *l, char *path, int search_index)
{
        struct frame fr = {.path = path, .search_index = search_index};
        _cleanup_free_ char *text = NULL;
        size_t size;
        int r;

        fr.real = realpath(path, NULL);
        fr.name = name_of_path(path);
        if (!fr.name) {
                r = -ENOMEM;
                goto out;
        }
        r = read_profile_file(path, &text, &size);
        if (r < 0) {
                const struct frame *inc = l->top;
                const char *why = r == -EFBIG    ? "larger than 1 MiB: expected a profile"
                                  : r == -EISDIR ? "not a regular file: expected a profile"
                                                 : strerror(-r);

                if (inc)
                        r = log_at(l, inc->line_text, inc->line_len, inc->line, inc->col, r,
                                   "cannot read profile %s: %s", path, why);
                else {
                        r = log_error_errno(r, "cannot read profile %s: %s", path, why);
                        l->logged = true;
                }
                goto out;
        }
        r = load_text_frame(l, &fr, text, size);
out:
        frame_free(&fr);
        return r;
}

static int include_at(struct loader *l, const char *name_or_path)
{
        struct frame *inc = l->top;
        _cleanup_free_ char *path = NULL, *real = NULL, *dir = NULL;
        int index = -1, r;

        if (l->depth >= PROFILE_MAX_DEPTH)
                return log_at(l, inc->line_text, inc->line_len, inc->line, inc->col, -ELOOP,
                              "includes nested deeper than %d: expected a shorter include chain",
                              PROFILE_MAX_DEPTH);
        if (strchr(name_or_path, '/')) {
                if (name_or_path[0] == '/')
                        path = strdup(name_or_path);
                else {
                        const char *slash = strrchr(inc->path, '/');

                        dir = slash ? strndup(inc->path, (size_t)(slash - inc->path)) : strdup(".");
                        if (dir && asprintf(&path, "%s/%s", dir, name_or_path) < 0)
                                path = NULL;
                }
                if (!path)
                        return -ENOMEM;
                if (access(path, F_OK) < 0)
                        return log_at(l, inc->line_text, inc->line_len, inc->line, inc->col,
                                      -ENOENT, "cannot include %s: %m", path);
        } else {
                /* A profile that includes its own name extends the next one down the search
                 * path (a user's "default" on top of the shipped "default"). */
                int first = inc->search_index >= 0 && streq(inc->name, name_or_path)
                                    ? inc->search_index + 1
                                    : 0;

                if (!valid_profile_name(name_or_path))
                        return log_at(l, inc->line_text, inc->line_len, inc->line, inc->col,
                                      -EINVAL,
                                      "bad profile name '%s': expected letters, digits, '.', "
                                      "'_', '-' or '+', or a path",
                                      name_or_path);
                r = -ENOENT;
                if (inc->search_index < 0 && !streq(inc->name, name_or_path)) {
                        /* A profile named by its path finds its siblings first. */
                        const char *slash = strrchr(inc->path, '/');

                        if (asprintf(&path, "%.*s/%s" PROFILE_SUFFIX,
                                     slash ? (int)(slash - inc->path) : 1, slash ? inc->path : ".",
                                     name_or_path) < 0)
                                return -ENOMEM;
                        r = access(path, F_OK) == 0 ? 0 : -ENOENT;
                        if (r < 0)
                                path = mfree(path);
                }
                if (r == -ENOENT)
                        r = find_in_path(name_or_path, first, &path, &index, NULL);
                if (r == -ENOENT)
                        return log_at(l, inc->line_text, inc->line_len, inc->line, inc->col,
                                      -ENOENT,
                                      "cannot find profile '%s' to include: expected a file "
                                      "%s" PROFILE_SUFFIX " in the profile search path (see "
                                      "airlock profile list)",
                                      name_or_path, name_or_path);
                if (r < 0)
                        return r;
        }
        real = realpath(path, NULL);
        for (const struct frame *f = inc; f && real; f = f->parent)
                if (f->real && streq(f->real, real)) {
                        _cleanup_free_ char *chain = NULL;
                        size_t size = 0;
                        FILE *m = open_memstream(&chain, &size);

                        if (!m)
                                return -ENOMEM;
                        fputs(real, m);
                        for (const struct frame *g = inc; g; g = g->parent) {
                                fprintf(m, " <- %s", g->path);
                                if (g == f)
                                        break;
                        }
                        fclose(m);
                        return log_at(l, inc->line_text, inc->line_len, inc->line, inc->col, -ELOOP,
                                      "include cycle: %s", chain ?: real);
                }
        return load_file(l, TAKE_PTR(path), index);
}

static int load_top(struct policy *p, const char *name_or_path)
{
        struct loader l = {.p = p}, *outer;
        _cleanup_free_ char *path = NULL;
        enum profile_origin origin;
        int index = -1, r;

        if (strchr(name_or_path, '/')) {
                r = profile_find(name_or_path, &path, &origin);
                if (r < 0)
                        return log_error_errno(r, "cannot open profile %s: %m", name_or_path);
        } else {
                if (!valid_profile_name(name_or_path))
                        return log_error_errno(-EINVAL,
                                               "bad profile name '%s': expected letters, digits, "
                                               "'.', '_', '-' or '+', or a path (with a '/')",
                                               name_or_path);
                r = find_in_path(name_or_path, 0, &path, &index, &origin);
                if (r == -ENOENT)
                        return log_error_errno(r,
                                               "profile '%s' not found: expected a file "
                                               "%s" PROFILE_SUFFIX
                                               " in the profile search path (see airlock "
                                               "profile list)",
                                               name_or_path, name_or_path);
                if (r < 0)
                        return log_error_errno(r, "cannot look up profile '%s': %m", name_or_path);
        }
        l.app = name_of_path(path);
        if (!l.app)
                return -ENOMEM;
        if (!p->profile_name) {
                p->profile_name = strdup(name_or_path);
                if (!p->profile_name) {
                        free(l.app);
                        return -ENOMEM;
                }
        }
        outer = current;
        current = &l;
        r = load_file(&l, TAKE_PTR(path), index);
        current = outer;
        if (r >= 0) {
                free(last_app);
                last_app = TAKE_PTR(l.app);
        }
        free(l.app);
        return r;
}

int profile_set_app(const char *name)
{
        char *copy = strdup(name);

        if (!copy)
                return -ENOMEM;
        if (current) {
                free(current->app);
                current->app = copy;
        } else {
                free(last_app);
                last_app = copy;
        }
        return 0;
}

int profile_current_dir(char **ret)
{
        const char *path, *slash;

        if (!current || !current->top)
                return -ENOENT;
        path = current->top->path;
        slash = strrchr(path, '/');
        *ret = slash ? strndup(path, (size_t)(slash - path) ?: 1) : strdup(".");
        return *ret ? 0 : -ENOMEM;
}

int profile_load_into(struct policy *p, const char *name_or_path)
{
        if (current)
                return profile_include(p, name_or_path);
        return load_top(p, name_or_path);
}

int profile_include(struct policy *p, const char *name_or_path)
{
        if (current && current->p == p && current->top)
                return include_at(current, name_or_path);
        return load_top(p, name_or_path);
}

int profile_load_string(struct policy *p, const char *text, size_t size, const char *filename)
{
        struct loader l = {.p = p};
        struct frame fr = {.search_index = -1};
        int r = -ENOMEM;

        if (current)
                return -EBUSY;
        fr.path = strdup(filename);
        fr.name = name_of_path(filename);
        l.app = fr.name ? strdup(fr.name) : NULL;
        if (!fr.path || !fr.name || !l.app)
                goto out;
        if (size > PROFILE_MAX_SIZE) {
                r = log_error_errno(-EFBIG, "%s: larger than 1 MiB: expected a profile", filename);
                goto out;
        }
        current = &l;
        r = load_text_frame(&l, &fr, text, size);
        current = NULL;
out:
        free(l.app);
        frame_free(&fr);
        return r;
}
