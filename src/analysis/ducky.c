/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Ducky Script's typed text (analysis/ducky.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/ducky.h"
#include "basic/textbuf.h"

#define DUCKY_MIN_LINES 3
/* payloads are a few kilobytes; logs and dumps are not read */
#define DUCKY_MAX_SIZE (256u * 1024)
/* stray lines tolerated before the ratio of commands is applied */
#define DUCKY_STRAY_LINES 10
#define DUCKY_MAX_DEFINES 32

/* The first words of Ducky Script 1.0 and 3.0 lines (and the Flipper's additions) that the
 * test of the language counts; keys and modifiers joined by '-' (CTRL-ALT) are read word by
 * word. */
static const char *const ducky_commands[] = {
        "REM",
        "REM_BLOCK",
        "END_REM",
        "DELAY",
        "DEFAULT_DELAY",
        "DEFAULTDELAY",
        "DEFAULTCHARDELAY",
        "STRING",
        "STRINGLN",
        "END_STRING",
        "END_STRINGLN",
        "STRING_DELAY",
        "STRINGDELAY",
        "GUI",
        "WINDOWS",
        "COMMAND",
        "ENTER",
        "CTRL",
        "CONTROL",
        "ALT",
        "SHIFT",
        "OPTION",
        "TAB",
        "ESC",
        "ESCAPE",
        "SPACE",
        "DELETE",
        "DEL",
        "BACKSPACE",
        "MENU",
        "APP",
        "UP",
        "DOWN",
        "LEFT",
        "RIGHT",
        "UPARROW",
        "DOWNARROW",
        "LEFTARROW",
        "RIGHTARROW",
        "HOME",
        "END",
        "INSERT",
        "PAGEUP",
        "PAGEDOWN",
        "CAPSLOCK",
        "NUMLOCK",
        "SCROLLLOCK",
        "PRINTSCREEN",
        "PAUSE",
        "BREAK",
        "REPEAT",
        "REPLAY",
        "DEFINE",
        "VAR",
        "IF",
        "END_IF",
        "ELSE",
        "WHILE",
        "END_WHILE",
        "FUNCTION",
        "END_FUNCTION",
        "ATTACKMODE",
        "LED",
        "LED_R",
        "LED_G",
        "LED_OFF",
        "HOLD",
        "RELEASE",
        "WAIT_FOR_BUTTON_PRESS",
        "BUTTON_DEF",
        "END_BUTTON",
        "ID",
        "DUCKY_LANG",
        "ALTCHAR",
        "ALTSTRING",
        "ALTCODE",
        "SYSRQ",
        "F1",
        "F2",
        "F3",
        "F4",
        "F5",
        "F6",
        "F7",
        "F8",
        "F9",
        "F10",
        "F11",
        "F12",
        "RETURN",
        "SAVE_HOST_KEYBOARD_LOCK_STATE",
        "RESTORE_HOST_KEYBOARD_LOCK_STATE",
        "HIDE_PAYLOAD",
        "RESTORE_PAYLOAD",
        "RANDOM_CHAR",
};

struct line {
        const char *p; /* past the indentation */
        size_t len;    /* without the line break */
};

static bool next_line(const char *data, size_t size, size_t *pos, struct line *ret)
{
        if (*pos >= size)
                return false;
        const char *s = data + *pos, *nl = memchr(s, '\n', size - *pos);
        size_t len = nl ? (size_t)(nl - s) : size - *pos;
        *pos += len + (nl ? 1 : 0);
        if (len > 0 && s[len - 1] == '\r')
                len--;
        while (len > 0 && (*s == ' ' || *s == '\t')) {
                s++;
                len--;
        }
        *ret = (struct line){s, len};
        return true;
}

/* The length of the line's first word (to a blank or '-'). */
static size_t first_word(const struct line *l)
{
        size_t n = 0;
        while (n < l->len && l->p[n] != ' ' && l->p[n] != '\t' && l->p[n] != '-')
                n++;
        return n;
}

static bool word_is(const struct line *l, size_t n, const char *word)
{
        return strlen(word) == n && memcmp(l->p, word, n) == 0;
}

static bool is_command(const struct line *l)
{
        size_t n = first_word(l);

        /* Ducky Script writes its commands in capitals; prose that opens with "Delete" or
         * "Tab" does not count */
        if (n == 0 || l->p[0] < 'A' || l->p[0] > 'Z')
                return false;
        for (size_t i = 0; i < sizeof(ducky_commands) / sizeof(ducky_commands[0]); i++)
                if (word_is(l, n, ducky_commands[i]))
                        return true;
        return false;
}

bool ducky_is_script(const char *data, size_t size)
{
        size_t pos = 0, commands = 0, others = 0, strings = 0;
        bool in_block = false;
        struct line l;

        if (!data || size == 0 || size > DUCKY_MAX_SIZE ||
            memchr(data, 0, size < 4096 ? size : 4096))
                return false;
        while (next_line(data, size, &pos, &l)) {
                size_t n = first_word(&l);
                if (l.len == 0 || l.p[0] == '#' || (l.len >= 2 && l.p[0] == '/' && l.p[1] == '/'))
                        continue;
                if (in_block) {
                        in_block = !(word_is(&l, n, "END_STRING") ||
                                     word_is(&l, n, "END_STRINGLN") || word_is(&l, n, "END_REM"));
                        continue;
                }
                if (!is_command(&l)) {
                        /* a text of another kind shows it within its first lines: stop there */
                        if (++others > DUCKY_STRAY_LINES && others * 10 > commands)
                                return false;
                        continue;
                }
                commands++;
                if (word_is(&l, n, "STRING") || word_is(&l, n, "STRINGLN") ||
                    word_is(&l, n, "ALTSTRING"))
                        strings++;
                /* a block: STRING alone on its line (to END_STRING), REM_BLOCK to END_REM */
                if ((word_is(&l, n, "STRING") || word_is(&l, n, "STRINGLN")) && n == l.len)
                        in_block = true;
                if (word_is(&l, n, "REM_BLOCK"))
                        in_block = true;
        }
        /* nine in ten lines are commands: a payload's stray text (a comment without REM) is
         * let through, a document quoting a few commands is not */
        return strings > 0 && commands >= DUCKY_MIN_LINES && others * 10 <= commands;
}

struct define {
        const char *name, *value;
        size_t name_len, value_len;
};

/* Appends text with each DEFINEd name (a whole word, '#' included) replaced by its value. */
static void put_expanded(struct textbuf *b, const char *s, size_t n, const struct define *defs,
                         size_t n_defs)
{
        size_t i = 0, from = 0;

        while (i < n) {
                bool hit = false;
                for (size_t d = 0; d < n_defs && !hit; d++) {
                        const struct define *def = &defs[d];
                        if (def->name_len == 0 || def->name_len > n - i ||
                            memcmp(s + i, def->name, def->name_len) != 0)
                                continue;
                        textbuf_put(b, s + from, i - from);
                        textbuf_put(b, def->value, def->value_len);
                        i += def->name_len;
                        from = i;
                        hit = true;
                }
                if (!hit)
                        i++;
        }
        textbuf_put(b, s + from, n - from);
}

/* The argument of a command line: past the command word and one blank. */
static void argument(const struct line *l, size_t n, const char **ret, size_t *ret_len)
{
        size_t skip = n < l->len ? n + 1 : n;
        *ret = l->p + skip;
        *ret_len = l->len - skip;
}

int ducky_typed(const char *data, size_t size, char **ret, size_t *ret_size)
{
        struct textbuf b = {0};
        struct define defs[DUCKY_MAX_DEFINES];
        size_t n_defs = 0, pos = 0;
        int strings = 0;
        enum { NONE, STRING_BLOCK, STRINGLN_BLOCK, REM_BLOCK } block = NONE;
        struct line l;

        while (next_line(data, size, &pos, &l)) {
                size_t n = first_word(&l);
                const char *arg;
                size_t arg_len;

                if (block == REM_BLOCK) {
                        if (word_is(&l, n, "END_REM"))
                                block = NONE;
                        continue;
                }
                if (block != NONE) {
                        if (word_is(&l, n, "END_STRING") || word_is(&l, n, "END_STRINGLN")) {
                                block = NONE;
                                continue;
                        }
                        put_expanded(&b, l.p, l.len, defs, n_defs);
                        if (block == STRINGLN_BLOCK)
                                textbuf_put(&b, "\n", 1);
                        continue;
                }
                argument(&l, n, &arg, &arg_len);
                if (word_is(&l, n, "STRING") || word_is(&l, n, "STRINGLN") ||
                    word_is(&l, n, "ALTSTRING")) {
                        strings++;
                        if (n == l.len && !word_is(&l, n, "ALTSTRING")) {
                                block = word_is(&l, n, "STRING") ? STRING_BLOCK : STRINGLN_BLOCK;
                                continue;
                        }
                        put_expanded(&b, arg, arg_len, defs, n_defs);
                        if (word_is(&l, n, "STRINGLN"))
                                textbuf_put(&b, "\n", 1);
                } else if (word_is(&l, n, "ENTER") || word_is(&l, n, "RETURN")) {
                        textbuf_put(&b, "\n", 1);
                } else if (word_is(&l, n, "REM_BLOCK")) {
                        block = REM_BLOCK;
                } else if (word_is(&l, n, "DEFINE") && n_defs < DUCKY_MAX_DEFINES) {
                        /* DEFINE NAME value (NAME: to the next blank) */
                        size_t k = 0;
                        while (k < arg_len && arg[k] != ' ' && arg[k] != '\t')
                                k++;
                        if (k > 0 && k < arg_len)
                                defs[n_defs++] =
                                        (struct define){arg, arg + k + 1, k, arg_len - k - 1};
                }
        }
        if (b.oom) {
                free(b.p);
                return -ENOMEM;
        }
        if (strings == 0 || !b.p) {
                free(b.p);
                return 0;
        }
        *ret = b.p;
        *ret_size = b.len;
        return strings;
}
