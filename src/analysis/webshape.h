/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The shape of a server-side script (PHP, ASP/ASPX, JSP, Perl CGI), measured in one pass of a
 * tokenizer that knows literals, comments, names and punctuation and nothing of the grammar: where
 * the request's input goes. A name assigned from the request ($_GET, Request.Form,
 * request.getParameter, param()) is remembered, by name, through the file; a call of an execution
 * sink (system, eval, Process.Start, Runtime.exec, Perl's system...), a file write or an include
 * whose argument holds the request, directly, through a decoder or through such a name, is
 * counted, and so is a call whose callee the request chooses ($f(...) with $f from the request,
 * call_user_func($_GET['f'], ...)). Also which capabilities of a file-manager or console shell the
 * file names (listing, upload, exec, eval, SQL, writes, deletes, permissions, system information,
 * sockets) and a few measures of its structure. A web shell is the request handed to a sink; an
 * application checks, escapes or compares what it reads first (the common sanitizers stop the
 * flow here). */

#include <stddef.h>
#include <stdint.h>

/* The bytes read: scripts beyond are measured over their first 4 MiB only. */
#define WEBSHAPE_MAX_INPUT (4u << 20)
/* Names remembered as holding the request: beyond, new names are not remembered. */
#define WEBSHAPE_MAX_NAMES 512

enum webshape_language {
        WEBSHAPE_NONE = 0,
        WEBSHAPE_PHP = 1,
        WEBSHAPE_ASP = 2, /* classic ASP, ASPX (VBScript, C#, JScript.NET) */
        WEBSHAPE_JSP = 3,
        WEBSHAPE_PERL = 4,
};

/* Capabilities a file names (struct webshape.caps bits). */
enum {
        WEBSHAPE_CAP_LIST = 1 << 0,    /* opendir, scandir, glob, GetFiles, listFiles */
        WEBSHAPE_CAP_UPLOAD = 1 << 1,  /* move_uploaded_file, $_FILES, SaveAs, PostedFile */
        WEBSHAPE_CAP_EXEC = 1 << 2,    /* a command run: system, Process.Start, Runtime.exec */
        WEBSHAPE_CAP_EVAL = 1 << 3,    /* code run: eval, assert, create_function, Execute */
        WEBSHAPE_CAP_SQL = 1 << 4,     /* mysql_query, mysqli_connect, SqlCommand, JDBC */
        WEBSHAPE_CAP_WRITE = 1 << 5,   /* fwrite, file_put_contents, FileWriter, CreateTextFile */
        WEBSHAPE_CAP_DELETE = 1 << 6,  /* unlink, rmdir, DeleteFile, DeleteFolder */
        WEBSHAPE_CAP_PERMS = 1 << 7,   /* chmod, chown, touch (a file's times set back) */
        WEBSHAPE_CAP_SYSINFO = 1 << 8, /* php_uname, posix_getpwuid, disk_free_space,
                                        * "safe_mode", "disable_functions" */
        WEBSHAPE_CAP_NET = 1 << 9,     /* fsockopen, socket_create, new Socket, IO::Socket */
};

struct webshape {
        int64_t language;        /* enum webshape_language */
        int64_t sources;         /* reads of the request ($_GET..., Request.Form, getParameter) */
        int64_t taint_exec;      /* command sinks given the request: system, exec, passthru,
                                  * shell_exec, popen, proc_open, backticks, Process.Start,
                                  * Runtime.exec, ProcessBuilder, WScript.Shell Run/Exec, Perl
                                  * system/exec/qx/open of a pipe */
        int64_t taint_eval;      /* code sinks given the request: eval, assert, create_function,
                                  * preg_replace /e, Execute(Global), defineClass, ScriptEngine */
        int64_t taint_callee;    /* calls whose function the request names: $f(...),
                                  * $_GET['f'](...), call_user_func/array_map/usort... callee,
                                  * Class.forName, getMethod */
        int64_t taint_dynamic;   /* calls through a variable given the request: $f($_GET['x'])
                                  * with $f not the request's */
        int64_t taint_include;   /* include/require of a path the request gives */
        int64_t taint_write;     /* file_put_contents, fwrite, move_uploaded_file's target, copy's
                                  * target, fopen for writing given the request */
        int64_t extract_request; /* extract() or parse_str() of the request: every name is the
                                  * request's afterwards */
        int64_t var_calls;       /* $name(...): a call through a variable */
        int64_t sink_calls;      /* command and code sinks called, whatever their argument */
        int64_t caps;            /* WEBSHAPE_CAP_* named in the file */
        int64_t cap_count;       /* how many of them */
        int64_t bytes;           /* code bytes (comments and text outside the tags excluded) */
        int64_t string_pm;       /* ‰ of them in string literals */
        int64_t longest_literal; /* bytes of the longest literal */
        int64_t max_line;        /* bytes of the longest line of code */
        /* Through the file's own functions (PHP): a function whose parameter reaches a sink,
         * called with the request in an argument (function run($c) { system($c); } ...
         * run($_GET['c'])), wherever it is defined */
        int64_t fn_exec;       /* ... a command sink */
        int64_t fn_eval;       /* ... a code sink */
        int64_t fn_write;      /* ... a file write */
        int64_t fn_exec_kinds; /* the most distinct command sinks (system, exec, passthru,
                                * shell_exec, popen, proc_open, backticks...) that the
                                * parameters of one function reach: a wrapper that tries
                                * each in turn */
        int64_t write_both;    /* file writes whose target and data are both the request's
                                * (file_put_contents, fwrite of a handle opened on its path,
                                * WriteAllText) */
        int64_t taint_connect; /* database connections to a host, user, password or
                                * connection string the request gives (mysqli_connect,
                                * SqlConnection, .ConnectionString =) */
        int64_t taint_query;   /* database queries given the request (mysql_query...) */
        int64_t socket_reads;  /* reads of what a socket the script opened sent (fgets of an
                                * fsockopen handle, Perl's <$sock>): remote input, followed
                                * to the sinks as the request's is */
        int64_t taint_mail;    /* mail() sent to recipients the request gives (a contact form
                                * writes to its own address) */
};

/* Measures the text s (n bytes) when it is a server-side script (its language by its content:
 * a PHP opening, ASP/JSP's <% or runat="server", a Perl #! line or Perl's pragmas); every field
 * stays 0 otherwise. Never fails; bounded by n and WEBSHAPE_MAX_INPUT. */
void webshape_measure(const char *s, size_t n, struct webshape *ret);

/* Merges b into a, field by field the larger: what a script's raw text and its normalised text
 * show of it together (caps: the union). */
void webshape_merge(struct webshape *a, const struct webshape *b);

/* Returns the language of text s (n bytes), by its content (enum webshape_language). */
int webshape_language(const char *s, size_t n);
