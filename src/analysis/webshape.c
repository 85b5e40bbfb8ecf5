/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The shape of a server-side script (analysis/webshape.h): one pass of a tokenizer over the code
 * of a PHP, ASP/ASPX, JSP or Perl file. Each name is looked up, lowercased, in one table of
 * request sources, sinks, callback runners, file writes, sanitizers and capabilities. The
 * calls open are kept on a small stack; a read of the request (or of a name assigned from it)
 * marks every sink call open around it, up to the innermost sanitizer, and the names the
 * statement assigns. Nothing is looked at twice. */
#include <ctype.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "analysis/webshape.h"
#include "analysis/shape.h"

#define ELEMENTS(a) (sizeof(a) / sizeof((a)[0]))
#define MAX_FRAMES  64
#define MAX_NAME    32
#define MAX_LHS     8
#define MAX_PARAMS  8
#define MAX_FUNCS   256 /* functions remembered: their summaries and calls */
#define FUNC_SLOTS  (MAX_FUNCS * 2)
#define MAX_TOUCHED 32

enum kind {
        K_NONE,
        K_EXEC,     /* a command runs its argument */
        K_EVAL,     /* code runs its argument */
        K_PREG,     /* preg_replace: code runs when its pattern ends in /e */
        K_PIPE,     /* Perl's open: a command runs when a literal of it holds '|' */
        K_CALLEE,   /* the argument arg is the function called */
        K_INCLUDE,  /* the file included runs */
        K_WRITE,    /* a file written: its argument arg (or any) */
        K_FOPEN,    /* a file opened: written when its mode is w, a, x or c */
        K_DYNAMIC,  /* a call through a variable: $f(...) */
        K_EXTRACT,  /* extract(): every name is the request's afterwards */
        K_SANITIZE, /* what it returns is checked, escaped or a number */
        K_SOURCE,   /* the request */
        K_INDEXED,  /* the request when its index is a header or the query: $_SERVER, getenv */
        K_REQUEST,  /* ASP's and JSP's request object: a source when read by a member below */
        K_CAP,      /* only a capability */
        K_CONNECT,  /* a database connection: its host, user, password or connection string */
        K_QUERY,    /* a database query: its text */
        K_SOCKREAD, /* a read of the handle arg: remote input when the handle is a socket */
        K_MAIL,     /* mail sent: to its argument arg, the recipients */
};

/* Languages a name is looked for in (1 << enum webshape_language). */
#define P   (1u << WEBSHAPE_PHP)
#define A   (1u << WEBSHAPE_ASP)
#define J   (1u << WEBSHAPE_JSP)
#define L   (1u << WEBSHAPE_PERL)
#define ALL (P | A | J | L)

/* Where a name counts: as a $variable (PHP, Perl), as a name called or read, or both. */
enum { AS_CALL = 1, AS_VAR = 2, AS_ANY = 3 };

struct entry {
        const char *name;
        uint8_t kind;
        int8_t arg; /* the argument that matters, -1 for any */
        uint8_t langs;
        uint8_t as;
        uint16_t cap;
};

static struct entry table[] = {
        /* commands */
        {"system", K_EXEC, -1, P | L, AS_CALL, WEBSHAPE_CAP_EXEC},
        {"exec", K_EXEC, -1, ALL, AS_CALL, WEBSHAPE_CAP_EXEC},
        {"passthru", K_EXEC, -1, P, AS_CALL, WEBSHAPE_CAP_EXEC},
        {"shell_exec", K_EXEC, -1, P, AS_CALL, WEBSHAPE_CAP_EXEC},
        {"popen", K_EXEC, -1, P, AS_CALL, WEBSHAPE_CAP_EXEC},
        {"proc_open", K_EXEC, -1, P, AS_CALL, WEBSHAPE_CAP_EXEC},
        {"pcntl_exec", K_EXEC, -1, P, AS_CALL, WEBSHAPE_CAP_EXEC},
        {"expect_popen", K_EXEC, -1, P, AS_CALL, WEBSHAPE_CAP_EXEC},
        {"run", K_EXEC, -1, A, AS_CALL, 0}, /* WScript.Shell's */
        {"shellexecute", K_EXEC, -1, A, AS_CALL, WEBSHAPE_CAP_EXEC},
        {"processstartinfo", K_EXEC, -1, A, AS_CALL, WEBSHAPE_CAP_EXEC},
        {"processbuilder", K_EXEC, -1, J, AS_CALL, WEBSHAPE_CAP_EXEC},
        {"open", K_PIPE, -1, L, AS_CALL, 0},
        /* code */
        {"eval", K_EVAL, -1, ALL, AS_CALL, WEBSHAPE_CAP_EVAL},
        {"assert", K_EVAL, -1, P, AS_CALL, WEBSHAPE_CAP_EVAL},
        {"create_function", K_EVAL, -1, P, AS_CALL, WEBSHAPE_CAP_EVAL},
        {"preg_replace", K_PREG, -1, P, AS_CALL, 0},
        {"execute", K_EVAL, -1, A, AS_CALL, 0},
        {"executeglobal", K_EVAL, -1, A, AS_CALL, WEBSHAPE_CAP_EVAL},
        {"defineclass", K_EVAL, -1, J, AS_CALL, WEBSHAPE_CAP_EVAL},
        /* callees */
        {"call_user_func", K_CALLEE, 0, P, AS_CALL, 0},
        {"call_user_func_array", K_CALLEE, 0, P, AS_CALL, 0},
        {"array_map", K_CALLEE, 0, P, AS_CALL, 0},
        {"usort", K_CALLEE, 1, P, AS_CALL, 0},
        {"uasort", K_CALLEE, 1, P, AS_CALL, 0},
        {"uksort", K_CALLEE, 1, P, AS_CALL, 0},
        {"array_filter", K_CALLEE, 1, P, AS_CALL, 0},
        {"array_walk", K_CALLEE, 1, P, AS_CALL, 0},
        {"array_walk_recursive", K_CALLEE, 1, P, AS_CALL, 0},
        {"array_reduce", K_CALLEE, 1, P, AS_CALL, 0},
        {"iterator_apply", K_CALLEE, 1, P, AS_CALL, 0},
        {"register_shutdown_function", K_CALLEE, 0, P, AS_CALL, 0},
        {"register_tick_function", K_CALLEE, 0, P, AS_CALL, 0},
        {"forward_static_call", K_CALLEE, 0, P, AS_CALL, 0},
        {"forward_static_call_array", K_CALLEE, 0, P, AS_CALL, 0},
        {"ob_start", K_CALLEE, 0, P, AS_CALL, 0},
        /* new ReflectionFunction($f), then ->invoke() */
        {"reflectionfunction", K_CALLEE, 0, P, AS_CALL, 0},
        {"header_register_callback", K_CALLEE, 0, P, AS_CALL, 0},
        {"preg_replace_callback", K_CALLEE, 1, P, AS_CALL, 0},
        {"forname", K_CALLEE, 0, J, AS_CALL, 0},
        {"getmethod", K_CALLEE, 0, J, AS_CALL, 0},
        {"getdeclaredmethod", K_CALLEE, 0, J, AS_CALL, 0},
        /* includes */
        {"include", K_INCLUDE, -1, P, AS_CALL, 0},
        {"include_once", K_INCLUDE, -1, P, AS_CALL, 0},
        {"require", K_INCLUDE, -1, P, AS_CALL, 0},
        {"require_once", K_INCLUDE, -1, P, AS_CALL, 0},
        /* file writes */
        {"file_put_contents", K_WRITE, -1, P, AS_CALL, WEBSHAPE_CAP_WRITE},
        {"fwrite", K_WRITE, 1, P, AS_CALL, WEBSHAPE_CAP_WRITE},
        {"fputs", K_WRITE, 1, P, AS_CALL, WEBSHAPE_CAP_WRITE},
        {"move_uploaded_file", K_WRITE, 1, P, AS_CALL, WEBSHAPE_CAP_UPLOAD},
        {"copy", K_WRITE, 1, P, AS_CALL, 0},
        {"fopen", K_FOPEN, 0, P, AS_CALL, 0},
        {"saveas", K_WRITE, 0, A, AS_CALL, WEBSHAPE_CAP_UPLOAD},
        {"createtextfile", K_WRITE, 0, A, AS_CALL, WEBSHAPE_CAP_WRITE},
        {"writealltext", K_WRITE, 0, A, AS_CALL, WEBSHAPE_CAP_WRITE},
        {"writeallbytes", K_WRITE, 0, A, AS_CALL, WEBSHAPE_CAP_WRITE},
        {"fileoutputstream", K_WRITE, 0, J, AS_CALL, WEBSHAPE_CAP_WRITE},
        {"filewriter", K_WRITE, 0, J, AS_CALL, WEBSHAPE_CAP_WRITE},
        {"extract", K_EXTRACT, 0, P, AS_CALL, 0},
        /* sanitizers: what they return is a check, a number, a digest or escaped text */
        {"escapeshellarg", K_SANITIZE, -1, P, AS_CALL, 0},
        {"escapeshellcmd", K_SANITIZE, -1, P, AS_CALL, 0},
        {"intval", K_SANITIZE, -1, P, AS_CALL, 0},
        {"floatval", K_SANITIZE, -1, P, AS_CALL, 0},
        {"boolval", K_SANITIZE, -1, P, AS_CALL, 0},
        {"isset", K_SANITIZE, -1, P, AS_CALL, 0},
        {"empty", K_SANITIZE, -1, P, AS_CALL, 0},
        {"is_numeric", K_SANITIZE, -1, P, AS_CALL, 0},
        {"is_array", K_SANITIZE, -1, P, AS_CALL, 0},
        {"is_string", K_SANITIZE, -1, P, AS_CALL, 0},
        {"in_array", K_SANITIZE, -1, P, AS_CALL, 0},
        {"array_key_exists", K_SANITIZE, -1, P, AS_CALL, 0},
        {"count", K_SANITIZE, -1, P, AS_CALL, 0},
        {"strlen", K_SANITIZE, -1, P, AS_CALL, 0},
        {"md5", K_SANITIZE, -1, P, AS_CALL, 0},
        {"sha1", K_SANITIZE, -1, P, AS_CALL, 0},
        {"crc32", K_SANITIZE, -1, P, AS_CALL, 0},
        {"hash", K_SANITIZE, -1, P, AS_CALL, 0},
        {"htmlspecialchars", K_SANITIZE, -1, P, AS_CALL, 0},
        {"htmlentities", K_SANITIZE, -1, P, AS_CALL, 0},
        {"strip_tags", K_SANITIZE, -1, P, AS_CALL, 0},
        {"basename", K_SANITIZE, -1, P, AS_CALL, 0},
        {"preg_match", K_SANITIZE, -1, P, AS_CALL, 0},
        {"preg_quote", K_SANITIZE, -1, P, AS_CALL, 0},
        {"addslashes", K_SANITIZE, -1, P, AS_CALL, 0},
        {"mysql_real_escape_string", K_SANITIZE, -1, P, AS_CALL, 0},
        {"mysqli_real_escape_string", K_SANITIZE, -1, P, AS_CALL, 0},
        {"urlencode", K_SANITIZE, -1, ALL, AS_CALL, 0},
        {"rawurlencode", K_SANITIZE, -1, P, AS_CALL, 0},
        {"json_encode", K_SANITIZE, -1, P, AS_CALL, 0},
        {"filter_var", K_SANITIZE, -1, P, AS_CALL, 0},
        {"ctype_digit", K_SANITIZE, -1, P, AS_CALL, 0},
        {"ctype_alnum", K_SANITIZE, -1, P, AS_CALL, 0},
        {"file_exists", K_SANITIZE, -1, P, AS_CALL, 0},
        {"is_file", K_SANITIZE, -1, P, AS_CALL, 0},
        {"is_dir", K_SANITIZE, -1, P, AS_CALL, 0},
        {"strcmp", K_SANITIZE, -1, P, AS_CALL, 0},
        {"hash_equals", K_SANITIZE, -1, P, AS_CALL, 0},
        {"password_verify", K_SANITIZE, -1, P, AS_CALL, 0},
        {"htmlencode", K_SANITIZE, -1, A, AS_CALL, 0},
        {"isnumeric", K_SANITIZE, -1, A, AS_CALL, 0},
        {"cint", K_SANITIZE, -1, A, AS_CALL, 0},
        {"clng", K_SANITIZE, -1, A, AS_CALL, 0},
        {"len", K_SANITIZE, -1, A, AS_CALL, 0},
        {"parseint", K_SANITIZE, -1, J | A, AS_CALL, 0},
        {"equals", K_SANITIZE, -1, J | A, AS_CALL, 0},
        {"equalsignorecase", K_SANITIZE, -1, J, AS_CALL, 0},
        {"isempty", K_SANITIZE, -1, J, AS_CALL, 0},
        {"escapehtml", K_SANITIZE, -1, J, AS_CALL, 0},
        {"quotemeta", K_SANITIZE, -1, P | L, AS_CALL, 0},
        /* sources */
        {"_get", K_SOURCE, -1, P, AS_VAR, 0},
        {"_post", K_SOURCE, -1, P, AS_VAR, 0},
        {"_request", K_SOURCE, -1, P, AS_VAR, 0},
        {"_cookie", K_SOURCE, -1, P, AS_VAR, 0},
        {"_files", K_SOURCE, -1, P, AS_VAR, WEBSHAPE_CAP_UPLOAD},
        {"http_raw_post_data", K_SOURCE, -1, P, AS_VAR, 0},
        {"http_get_vars", K_SOURCE, -1, P, AS_VAR, 0},
        {"http_post_vars", K_SOURCE, -1, P, AS_VAR, 0},
        {"http_cookie_vars", K_SOURCE, -1, P, AS_VAR, 0},
        {"http_post_files", K_SOURCE, -1, P, AS_VAR, WEBSHAPE_CAP_UPLOAD},
        {"getallheaders", K_SOURCE, -1, P, AS_CALL, 0},
        {"apache_request_headers", K_SOURCE, -1, P, AS_CALL, 0},
        {"_server", K_INDEXED, -1, P, AS_VAR, 0},
        {"http_server_vars", K_INDEXED, -1, P, AS_VAR, 0},
        {"getenv", K_INDEXED, -1, P, AS_CALL, 0},
        {"env", K_INDEXED, -1, L, AS_VAR, 0},
        {"param", K_SOURCE, -1, L, AS_CALL, 0},
        {"url_param", K_SOURCE, -1, L, AS_CALL, 0},
        {"request", K_REQUEST, -1, A | J, AS_ANY, 0},
        /* capabilities */
        {"opendir", K_CAP, -1, P | L, AS_CALL, WEBSHAPE_CAP_LIST},
        {"readdir", K_CAP, -1, P | L, AS_CALL, WEBSHAPE_CAP_LIST},
        {"scandir", K_CAP, -1, P, AS_CALL, WEBSHAPE_CAP_LIST},
        {"glob", K_CAP, -1, P, AS_CALL, WEBSHAPE_CAP_LIST},
        {"directoryiterator", K_CAP, -1, P, AS_CALL, WEBSHAPE_CAP_LIST},
        {"getfiles", K_CAP, -1, A, AS_CALL, WEBSHAPE_CAP_LIST},
        {"getdirectories", K_CAP, -1, A, AS_CALL, WEBSHAPE_CAP_LIST},
        {"getfolder", K_CAP, -1, A, AS_CALL, WEBSHAPE_CAP_LIST},
        {"subfolders", K_CAP, -1, A, AS_ANY, WEBSHAPE_CAP_LIST},
        {"listfiles", K_CAP, -1, J, AS_CALL, WEBSHAPE_CAP_LIST},
        {"postedfile", K_CAP, -1, A, AS_ANY, WEBSHAPE_CAP_UPLOAD},
        {"servletfileupload", K_CAP, -1, J, AS_ANY, WEBSHAPE_CAP_UPLOAD},
        {"diskfileitemfactory", K_CAP, -1, J, AS_ANY, WEBSHAPE_CAP_UPLOAD},
        {"mysql_query", K_QUERY, 0, P, AS_CALL, WEBSHAPE_CAP_SQL},
        {"mysqli_query", K_QUERY, 1, P, AS_CALL, WEBSHAPE_CAP_SQL},
        {"mysql_connect", K_CONNECT, -1, P, AS_CALL, WEBSHAPE_CAP_SQL},
        {"mysqli_connect", K_CONNECT, -1, P, AS_CALL, WEBSHAPE_CAP_SQL},
        {"pg_connect", K_CONNECT, -1, P, AS_CALL, WEBSHAPE_CAP_SQL},
        {"pg_query", K_QUERY, 1, P, AS_CALL, WEBSHAPE_CAP_SQL},
        {"mssql_connect", K_CONNECT, -1, P, AS_CALL, WEBSHAPE_CAP_SQL},
        {"mssql_query", K_QUERY, 0, P, AS_CALL, WEBSHAPE_CAP_SQL},
        {"sqlsrv_connect", K_CONNECT, -1, P, AS_CALL, WEBSHAPE_CAP_SQL},
        {"oci_connect", K_CONNECT, -1, P, AS_CALL, WEBSHAPE_CAP_SQL},
        {"sqlconnection", K_CONNECT, -1, A, AS_ANY, WEBSHAPE_CAP_SQL},
        {"oledbconnection", K_CONNECT, -1, A, AS_ANY, WEBSHAPE_CAP_SQL},
        {"odbcconnection", K_CONNECT, -1, A, AS_ANY, WEBSHAPE_CAP_SQL},
        {"mysqlconnection", K_CONNECT, -1, A, AS_ANY, WEBSHAPE_CAP_SQL},
        {"executereader", K_CAP, -1, A, AS_CALL, WEBSHAPE_CAP_SQL},
        {"getconnection", K_CAP, -1, J, AS_CALL, WEBSHAPE_CAP_SQL},
        {"executequery", K_CAP, -1, J, AS_CALL, WEBSHAPE_CAP_SQL},
        {"streamwriter", K_CAP, -1, A, AS_ANY, WEBSHAPE_CAP_WRITE},
        {"savetofile", K_CAP, -1, A, AS_CALL, WEBSHAPE_CAP_WRITE},
        {"unlink", K_CAP, -1, P | L, AS_CALL, WEBSHAPE_CAP_DELETE},
        {"rmdir", K_CAP, -1, P | L, AS_CALL, WEBSHAPE_CAP_DELETE},
        {"deletefile", K_CAP, -1, A, AS_CALL, WEBSHAPE_CAP_DELETE},
        {"deletefolder", K_CAP, -1, A, AS_CALL, WEBSHAPE_CAP_DELETE},
        {"chmod", K_CAP, -1, P | L, AS_CALL, WEBSHAPE_CAP_PERMS},
        {"chown", K_CAP, -1, P | L, AS_CALL, WEBSHAPE_CAP_PERMS},
        {"chgrp", K_CAP, -1, P, AS_CALL, WEBSHAPE_CAP_PERMS},
        {"touch", K_CAP, -1, P, AS_CALL, WEBSHAPE_CAP_PERMS},
        {"php_uname", K_CAP, -1, P, AS_CALL, WEBSHAPE_CAP_SYSINFO},
        {"posix_getpwuid", K_CAP, -1, P, AS_CALL, WEBSHAPE_CAP_SYSINFO},
        {"posix_geteuid", K_CAP, -1, P, AS_CALL, WEBSHAPE_CAP_SYSINFO},
        {"posix_getegid", K_CAP, -1, P, AS_CALL, WEBSHAPE_CAP_SYSINFO},
        {"disk_free_space", K_CAP, -1, P, AS_CALL, WEBSHAPE_CAP_SYSINFO},
        {"disk_total_space", K_CAP, -1, P, AS_CALL, WEBSHAPE_CAP_SYSINFO},
        {"getmyuid", K_CAP, -1, P, AS_CALL, WEBSHAPE_CAP_SYSINFO},
        {"get_current_user", K_CAP, -1, P, AS_CALL, WEBSHAPE_CAP_SYSINFO},
        {"machinename", K_CAP, -1, A, AS_ANY, WEBSHAPE_CAP_SYSINFO},
        {"fsockopen", K_CAP, -1, P, AS_CALL, WEBSHAPE_CAP_NET},
        {"pfsockopen", K_CAP, -1, P, AS_CALL, WEBSHAPE_CAP_NET},
        {"socket_create", K_CAP, -1, P, AS_CALL, WEBSHAPE_CAP_NET},
        {"stream_socket_client", K_CAP, -1, P, AS_CALL, WEBSHAPE_CAP_NET},
        {"stream_socket_server", K_CAP, -1, P, AS_CALL, WEBSHAPE_CAP_NET},
        {"socket", K_CAP, -1, J | L, AS_CALL, WEBSHAPE_CAP_NET},
        {"accept", K_CAP, -1, L, AS_CALL, WEBSHAPE_CAP_NET},
        {"socket_accept", K_CAP, -1, P, AS_CALL, WEBSHAPE_CAP_NET},
        {"stream_socket_accept", K_CAP, -1, P, AS_CALL, WEBSHAPE_CAP_NET},
        /* reads of a handle: what a socket sent, when it is one */
        {"fgets", K_SOCKREAD, 0, P, AS_CALL, 0},
        {"mail", K_MAIL, 0, P, AS_CALL, 0},
        {"fread", K_SOCKREAD, 0, P, AS_CALL, 0},
        {"socket_read", K_SOCKREAD, 0, P, AS_CALL, 0},
        {"stream_get_line", K_SOCKREAD, 0, P, AS_CALL, 0},
        {"tcpclient", K_CAP, -1, A, AS_ANY, WEBSHAPE_CAP_NET},
};

/* What runs a command without a name of the table: PHP's and Perl's `...` and qx{...}, and
 * ASP.NET's Process.Start (a name too common alone). */
static const struct entry backticks = {"`", K_EXEC, -1, P | L, AS_CALL, WEBSHAPE_CAP_EXEC};
static const struct entry process_start = {"start", K_EXEC, -1, A, AS_CALL, WEBSHAPE_CAP_EXEC};
static const struct entry dynamic_call = {"$", K_DYNAMIC, -1, P, AS_CALL, 0};

/* Members of ASP's Request and JSP's request that return what the client sent. */
static const char *const request_members[] = {
        "binaryread",
        "cookies",
        "files",
        "form",
        "getcookies",
        "getheader",
        "getheaders",
        "getinputstream",
        "getparameter",
        "getparametermap",
        "getparametervalues",
        "getpart",
        "getparts",
        "getquerystring",
        "getreader",
        "headers",
        "inputstream",
        "item",
        "params",
        "querystring",
        "servervariables",
};

/* Literals naming what a shell reports of its host's PHP limits. */
static const char *const sysinfo_literals[] = {"safe_mode", "disable_functions", "open_basedir"};

static int entry_cmp(const void *a, const void *b)
{
        return strcmp(((const struct entry *)a)->name, ((const struct entry *)b)->name);
}

static pthread_once_t table_once = PTHREAD_ONCE_INIT;

static void table_init(void)
{
        qsort(table, ELEMENTS(table), sizeof(table[0]), entry_cmp);
}

/* The entry of the name [p, p+len) for language lang, or NULL. */
static const struct entry *lookup(const char *p, size_t len, int lang)
{
        char low[MAX_NAME];

        if (len < 2 || len >= sizeof(low))
                return NULL;
        for (size_t k = 0; k < len; k++)
                low[k] = (char)tolower((unsigned char)p[k]);
        low[len] = 0;
        struct entry key = {.name = low};
        const struct entry *e = bsearch(&key, table, ELEMENTS(table), sizeof(table[0]), entry_cmp);
        return e && (e->langs & 1u << lang) ? e : NULL;
}

static bool in_list(const char *p, size_t len, const char *const *list, size_t n)
{
        for (size_t k = 0; k < n; k++)
                if (strlen(list[k]) == len && !strncasecmp(p, list[k], len))
                        return true;
        return false;
}

enum tok { T_NONE, T_NAME, T_VAR, T_STRING, T_OPEN, T_CLOSE, T_ARROW, T_DOT, T_OTHER };

struct frame {
        const struct entry *sink; /* NULL: a plain parenthesis or bracket */
        int arg;                  /* the argument being read */
        bool statement;           /* opened by a name without '(': ends with the statement */
        bool tainted;
        bool pipe;        /* a literal inside holds '|' (Perl's open of a command) */
        bool preg_e;      /* preg_replace's first literal ends in a modifier list with e */
        bool write_mode;  /* fopen's mode literal writes */
        bool sql;         /* an ASP Execute() of SQL */
        bool closure;     /* a function written in the call: what its body reads is not the
                           * callee */
        bool tainted_any; /* the request is in some argument */
        bool direct;      /* ... read there, not through a name */
        bool in_function; /* opened inside a function's body */
        bool brace_index; /* a { that indexes: $x{0}, $ENV{QUERY_STRING} */
        const struct entry *callee_sink; /* the callee written as a literal naming a sink:
                                          * array_map('assert', ...) */
        bool of_taint;     /* a bracket that indexes the request: its ']' leaves it the operand */
        bool lookup;       /* a PHP bracket indexing a value not the request's: what its index
                            * reads picks an entry, the value is the array's */
        bool ptainted;     /* a parameter of the function read is in the argument that matters */
        bool ptainted_any; /* ... in some argument */
        uint8_t args_tainted; /* which of the first 8 arguments hold the request (a bit each) */
        bool socket_handle;   /* a read's handle is a socket */
        uint8_t call_len;     /* a call of a name not in the table (the file's own function?): */
        uint32_t call_at;     /* its name [call_at, call_at + call_len) */
};

/* What finds a name's or a function's slot: the hash of its name (0: the slot is free) and the
 * name in lower case. The first member of both slots, for slot_find(). */
struct slot_key {
        uint32_t hash;
        uint8_t len;
        char name[MAX_NAME];
};

struct name_slot {
        struct slot_key key;
        bool tainted;  /* its last assignment held the request */
        bool ptainted; /* ... a parameter of the function read (a local of its body) */
        bool pcleared; /* a parameter the body gave something else */
        bool socket;   /* a socket: assigned from fsockopen, IO::Socket, accept, or socket()'s
                        * and accept()'s handle */
};

/* What a function's parameters reach (struct func_slot.reaches). */
enum { REACH_EXEC = 1, REACH_EVAL = 2, REACH_WRITE = 4 };

/* A function of the file, by name: its summary once its body is read, and whether a call gave it
 * the request (a call may come before the body). */
struct func_slot {
        struct slot_key key;
        uint8_t reaches;     /* REACH_*: what its parameters reach */
        bool called_request; /* called with the request in an argument */
        uint16_t exec_kinds; /* which command sinks its parameters reach (exec_kind_bit()) */
};

struct state {
        const char *s;
        size_t n;
        int lang;
        bool vb;     /* VBScript: ' comments, statements end at the line's end */
        bool aspnet; /* an ASP.NET page (server controls), not classic ASP */
        struct webshape *m;
        struct frame frames[MAX_FRAMES];
        int depth;        /* frames open, possibly beyond MAX_FRAMES */
        bool all_tainted; /* after extract($_REQUEST) */
        /* the statement's assigned names, until its '=' */
        char lhs[MAX_LHS][MAX_NAME];
        uint8_t lhs_len[MAX_LHS];
        int n_lhs, lhs_depth;
        bool lhs_closed; /* its '=' was read: what follows is the value */
        bool rhs_tainted;
        bool lhs_compound; /* .= or += : the name keeps what it held */
        /* the parameters of the function whose head or body is read */
        char params[MAX_PARAMS][MAX_NAME];
        uint8_t params_len[MAX_PARAMS];
        int n_params;
        /* the token before */
        enum tok last;
        const struct entry *last_entry; /* the entry of the last name, if any */
        bool operand_tainted;           /* the last operand read is the request's */
        bool after_arrow;               /* a name after -> or . is a member */
        int pending_index;              /* an indexed source: its index is read next (tokens) */
        int pending_request;            /* request read: 1 after it, 2 after its '.' */
        bool process_member;            /* the last name was "process" and a '.' follows */
        bool after_new;                 /* the last name was "new" */
        int foreach_depth;              /* foreach (REQUEST as $k => $v): the names after "as"
                                         * at this depth hold the request (0: none) */
        bool var_after_new;             /* the last variable followed "new": new $class() */
        bool last_close_index;          /* the last ) ] } closed an index, not a call */
        int braces;                     /* { open */
        bool function_head;             /* "function" read, its body's { not yet */
        int function_body; /* braces open outside the function whose body is read, or -1 */
        int64_t code, strings, line;
        struct name_slot *names; /* WEBSHAPE_MAX_NAMES * 2 slots */
        int n_names;
        /* the function whose head or body is read, for its summary */
        bool fn_name_next; /* "function" read: the next name is the function's */
        uint32_t fn_at;    /* its name [fn_at, fn_at + fn_len), fn_len 0: none */
        uint8_t fn_len;
        bool rhs_ptainted; /* the statement's value holds a parameter */
        /* the slots the body marked (ptainted, pcleared), cleared when it ends; beyond
         * MAX_TOUCHED, every slot is */
        uint16_t touched[MAX_TOUCHED];
        int n_touched;
        uint32_t last_name_at; /* the last name read without a sigil, for a call of it */
        uint8_t last_name_len;
        struct func_slot *funcs; /* FUNC_SLOTS slots */
        int n_funcs;
        bool rhs_socket;      /* the statement's value opens or accepts a socket */
        bool socket_arg_next; /* Perl's socket( or accept( read: its next name is a socket */
        bool cast_next;       /* a cast to a number read: the next name is not the request's */
        uint32_t own_sources; /* superglobals' names the file assigns in other case (a bit of
                               * each's table index) */
};

static uint32_t name_hash(const char *p, size_t len)
{
        uint32_t h = 2166136261u;

        for (size_t k = 0; k < len; k++)
                h = (h ^ (uint8_t)tolower((unsigned char)p[k])) * 16777619u;
        return h ? h : 1;
}

#define NAME_SLOTS (WEBSHAPE_MAX_NAMES * 2)

/* The slot of the name [p, p + len) among n_slots slots of stride bytes, each opening with its
 * struct slot_key; with add, a free one is given the name while fewer than max_used are taken
 * (*used counts them). NULL when it is not there and cannot be added. */
static void *slot_find(void *slots, size_t stride, size_t n_slots, int *used, int max_used,
                       const char *p, size_t len, bool add)
{
        if (len == 0 || len >= MAX_NAME)
                return NULL;
        uint32_t h = name_hash(p, len);
        for (size_t k = 0, i = h % n_slots; k < n_slots; k++, i = (i + 1) % n_slots) {
                struct slot_key *key = (struct slot_key *)((char *)slots + i * stride);
                if (key->hash == 0) {
                        if (!add || *used >= max_used)
                                return NULL;
                        key->hash = h;
                        key->len = (uint8_t)len;
                        for (size_t c = 0; c < len; c++)
                                key->name[c] = (char)tolower((unsigned char)p[c]);
                        (*used)++;
                        return key;
                }
                if (key->hash == h && key->len == len && !strncasecmp(key->name, p, len))
                        return key;
        }
        return NULL;
}

static struct name_slot *name_find(struct state *st, const char *p, size_t len, bool add)
{
        return slot_find(st->names, sizeof(*st->names), NAME_SLOTS, &st->n_names,
                         WEBSHAPE_MAX_NAMES, p, len, add);
}

static bool name_tainted(struct state *st, const char *p, size_t len)
{
        struct name_slot *slot = name_find(st, p, len, false);

        for (int k = 0; k < st->n_params; k++)
                if (st->params_len[k] == len && !strncasecmp(st->params[k], p, len))
                        return false;

        return st->all_tainted || (slot && slot->tainted);
}

/* A name is assigned: it holds the request from here on when the value did, and no longer when
 * a plain assignment gave it something else ($file = escapeshellarg($file)). */
static void name_assign(struct state *st, const char *p, size_t len, bool tainted)
{
        struct name_slot *slot = name_find(st, p, len, tainted);

        if (slot)
                slot->tainted = tainted;
}

static struct func_slot *func_find(struct state *st, const char *p, size_t len, bool add)
{
        return slot_find(st->funcs, sizeof(*st->funcs), FUNC_SLOTS, &st->n_funcs, MAX_FUNCS, p, len,
                         add);
}

/* Whether the code read is a named function's body (its summary is being made). */
static bool in_named_body(const struct state *st)
{
        return st->fn_len > 0 && st->function_body >= 0;
}

static bool is_param(const struct state *st, const char *p, size_t len)
{
        for (int k = 0; k < st->n_params; k++)
                if (st->params_len[k] == len && !strncasecmp(st->params[k], p, len))
                        return true;
        return false;
}

/* Whether the $name [p, p+len) read in a function's body holds one of its parameters: it is one,
 * or a local the body assigned from one. */
static bool name_holds_param(struct state *st, const char *p, size_t len)
{
        if (!in_named_body(st))
                return false;
        struct name_slot *slot = name_find(st, p, len, false);
        if (slot && slot->ptainted)
                return true;
        return !(slot && slot->pcleared) && is_param(st, p, len);
}

/* The body's end: its locals no longer hold its parameters, and the next function is another. */
static void function_end(struct state *st)
{
        if (st->n_touched > MAX_TOUCHED)
                for (size_t i = 0; i < NAME_SLOTS; i++)
                        st->names[i].ptainted = st->names[i].pcleared = false;
        else
                for (int k = 0; k < st->n_touched; k++)
                        st->names[st->touched[k]].ptainted = st->names[st->touched[k]].pcleared =
                                false;
        st->n_touched = 0;
        st->fn_len = 0;
}

/* Which command sink e is, as a bit of struct func_slot.exec_kinds (0: not one). */
static uint16_t exec_kind_bit(const struct entry *e)
{
        static const char *const kinds[] = {
                "system", "exec",       "passthru",     "shell_exec",   "popen", "proc_open",
                "`",      "pcntl_exec", "expect_popen", "shellexecute", "start"};

        for (size_t k = 0; k < ELEMENTS(kinds); k++)
                if (!strcmp(e->name, kinds[k]))
                        return (uint16_t)(1u << k);
        return 0;
}

static struct frame *top(struct state *st)
{
        return st->depth > 0 && st->depth <= MAX_FRAMES ? &st->frames[st->depth - 1] : NULL;
}

/* The request (or a name holding it) is read here: every sink open around it, out to the
 * innermost sanitizer, is given it, and so is the statement's assignment. */
static void taint_from(struct state *st, bool direct)
{
        int blocked = -1;

        st->operand_tainted = true;
        for (int i = (st->depth < MAX_FRAMES ? st->depth : MAX_FRAMES) - 1; i >= 0; i--) {
                struct frame *f = &st->frames[i];
                if ((f->sink && f->sink->kind == K_SANITIZE) || f->lookup) {
                        blocked = i;
                        break;
                }
                if (f->sink && (f->sink->arg < 0 || f->sink->arg == f->arg))
                        f->tainted = true;
                if (f->arg < 8)
                        f->args_tainted |= (uint8_t)(1u << f->arg);
                f->tainted_any = true;
                f->direct = f->direct || direct;
        }
        if (st->lhs_closed && blocked < st->lhs_depth)
                st->rhs_tainted = true;
}

static void taint(struct state *st)
{
        taint_from(st, false);
}

/* A parameter of the function whose body is read (or a local holding one) is read here: the sinks
 * open around it, out to the innermost sanitizer, are given it, and so is the assignment. */
static void taint_param(struct state *st)
{
        int blocked = -1;

        for (int i = (st->depth < MAX_FRAMES ? st->depth : MAX_FRAMES) - 1; i >= 0; i--) {
                struct frame *f = &st->frames[i];
                if (f->sink && f->sink->kind == K_SANITIZE) {
                        blocked = i;
                        break;
                }
                if (f->sink && (f->sink->arg < 0 || f->sink->arg == f->arg))
                        f->ptainted = true;
                f->ptainted_any = true;
        }
        if (st->lhs_closed && blocked < st->lhs_depth)
                st->rhs_ptainted = true;
}

static void source(struct state *st)
{
        st->m->sources++;
        taint_from(st, true);
}

static void count_sink(struct state *st, const struct frame *f)
{
        struct webshape *m = st->m;

        if (!f->sink)
                return;
        switch (f->sink->kind) {
        case K_EXEC:
                m->sink_calls++;
                m->caps |= WEBSHAPE_CAP_EXEC;
                m->taint_exec += f->tainted;
                break;
        case K_PIPE:
                if (f->pipe) {
                        m->sink_calls++;
                        m->caps |= WEBSHAPE_CAP_EXEC;
                        m->taint_exec += f->tainted;
                }
                break;
        case K_EVAL:
                if (f->sql)
                        break;
                m->sink_calls++;
                m->caps |= WEBSHAPE_CAP_EVAL;
                m->taint_eval += f->tainted;
                break;
        case K_PREG:
                if (f->preg_e) {
                        m->sink_calls++;
                        m->caps |= WEBSHAPE_CAP_EVAL;
                        m->taint_eval += f->tainted;
                }
                break;
        case K_CALLEE:
                /* call_user_func('assert', $_POST['x']): the sink the literal names */
                if (f->callee_sink && f->tainted_any) {
                        struct frame named = {.sink = f->callee_sink, .tainted = true};
                        count_sink(st, &named);
                        break;
                }
                if (f->closure)
                        break;
                m->taint_callee += f->tainted;
                break;
        case K_INCLUDE:
                m->taint_include += f->tainted;
                break;
        case K_WRITE:
                m->taint_write += f->tainted;
                break;
        case K_FOPEN:
                if (f->write_mode) {
                        m->caps |= WEBSHAPE_CAP_WRITE;
                        m->taint_write += f->tainted;
                }
                break;
        case K_DYNAMIC:
                /* in a function's body, only the request read in the call itself: names are
                 * followed file-wide, and a parameter may share one with the request's copy
                 * elsewhere */
                if (f->in_function && !f->direct)
                        break;
                m->taint_dynamic += f->tainted;
                break;
        case K_EXTRACT:
                /* one argument: EXTR_PREFIX_ALL and EXTR_SKIP keep the file's names */
                if (f->tainted && f->arg == 0) {
                        m->extract_request++;
                        st->all_tainted = true;
                }
                break;
        default:
                break;
        }
}

/* A sink call in a function's body closes: what its parameters reach goes into the function's
 * summary. */
static void count_param_sink(struct state *st, const struct frame *f)
{
        const struct entry *e = f->sink;
        uint8_t reach = 0;

        if (!e || !f->ptainted || !in_named_body(st))
                return;
        if (e->kind == K_CALLEE && f->callee_sink)
                e = f->callee_sink;
        if (e->kind == K_EXEC || (e->kind == K_PIPE && f->pipe))
                reach = REACH_EXEC;
        else if ((e->kind == K_EVAL && !f->sql) || (e->kind == K_PREG && f->preg_e))
                reach = REACH_EVAL;
        else if (e->kind == K_WRITE || (e->kind == K_FOPEN && f->write_mode))
                reach = REACH_WRITE;
        if (!reach)
                return;
        struct func_slot *fn = func_find(st, st->s + st->fn_at, st->fn_len, true);
        if (!fn)
                return;
        fn->reaches |= reach;
        if (reach == REACH_EXEC)
                fn->exec_kinds |= exec_kind_bit(e);
}

/* A call of one of the file's own functions closes: it was given the request, or (in another
 * function's body) that function's parameters, which then reach what the callee's do. */
static void count_user_call(struct state *st, const struct frame *f)
{
        if (!f->call_len || !(f->tainted_any || f->ptainted_any))
                return;
        struct func_slot *fn = func_find(st, st->s + f->call_at, f->call_len, true);
        if (!fn)
                return;
        if (f->tainted_any)
                fn->called_request = true;
        if (f->ptainted_any && in_named_body(st) && fn->reaches) {
                struct func_slot *cur = func_find(st, st->s + st->fn_at, st->fn_len, true);
                if (cur && cur != fn) {
                        cur->reaches |= fn->reaches;
                        cur->exec_kinds |= fn->exec_kinds;
                }
        }
}

/* A file write whose target and data are both the request's (file_put_contents, fwrite of a handle
 * opened on the request's path, WriteAllText), a database connection to the host, user or
 * connection string the request gives, a query of its text, mail to the recipients it gives:
 * what a shell's file editor, SQL console and mass mailer do. */
static void count_request_write_connect(struct state *st, const struct frame *f)
{
        static const char *const data_writes[] = {"file_put_contents", "fwrite", "fputs",
                                                  "writealltext", "writeallbytes"};
        const struct entry *e = f->sink;

        if (!e)
                return;
        if (e->kind == K_CONNECT && f->tainted_any)
                st->m->taint_connect++;
        if (e->kind == K_QUERY && f->tainted)
                st->m->taint_query++;
        if (e->kind == K_MAIL && f->tainted)
                st->m->taint_mail++;
        if (e->kind == K_WRITE && (f->args_tainted & 3) == 3 &&
            in_list(e->name, strlen(e->name), data_writes, ELEMENTS(data_writes)))
                st->m->write_both++;
}

/* What a socket sent is read: remote input, as the request's (an IRC bot's or a back door's
 * commands). */
static void socket_source(struct state *st)
{
        st->m->socket_reads++;
        taint_from(st, true);
}

/* ASP and JSP aside, the names the statement assigns a socket to are sockets. */
static void assign_socket(struct state *st)
{
        if (!st->lhs_closed || !st->rhs_socket)
                return;
        for (int k = 0; k < st->n_lhs; k++) {
                struct name_slot *slot = name_find(st, st->lhs[k], st->lhs_len[k], true);
                if (slot)
                        slot->socket = true;
        }
}

/* A name read: a socket handed to a read, or Perl's socket()'s or accept()'s new handle. */
static void socket_name(struct state *st, const char *p, size_t len)
{
        struct frame *f = top(st);

        if (st->socket_arg_next) {
                struct name_slot *slot = name_find(st, p, len, true);
                if (slot)
                        slot->socket = true;
                st->socket_arg_next = false;
                return;
        }
        if (f && f->sink && f->sink->kind == K_SOCKREAD && f->arg == 0) {
                struct name_slot *slot = name_find(st, p, len, false);
                if (slot && slot->socket)
                        f->socket_handle = true;
        }
}

static void push(struct state *st, const struct entry *sink, bool statement)
{
        if (st->depth < MAX_FRAMES)
                st->frames[st->depth] = (struct frame){.sink = sink,
                                                       .statement = statement,
                                                       .in_function = st->function_body >= 0};
        st->depth++;
}

/* Braces, for whether code is inside a named function's body: its parameters are names of its
 * own, which the file-wide names may share. */
static void function_brace(struct state *st, char c)
{
        if (c == '{') {
                if (st->function_head && st->function_body < 0)
                        st->function_body = st->braces;
                st->function_head = false;
                st->braces++;
        } else if (c == ';' && st->function_head) {
                st->function_head = false; /* a declaration without a body */
                if (st->function_body < 0)
                        st->n_params = 0;
        } else if (c == '}' && st->braces > 0) {
                st->braces--;
                if (st->braces == st->function_body) {
                        st->function_body = -1;
                        st->n_params = 0;
                        function_end(st);
                }
        }
}

/* In a function's body, the names the statement assigns hold its parameters when the value did,
 * and no longer when a plain assignment gave them something else. */
static void assign_params(struct state *st)
{
        if (!in_named_body(st) || !st->lhs_closed || (!st->rhs_ptainted && st->lhs_compound))
                return;
        for (int k = 0; k < st->n_lhs; k++) {
                /* a slot for a parameter given something else or a local given one */
                struct name_slot *slot =
                        name_find(st, st->lhs[k], st->lhs_len[k],
                                  st->rhs_ptainted || is_param(st, st->lhs[k], st->lhs_len[k]));
                if (!slot)
                        continue;
                if (!slot->ptainted && !slot->pcleared && st->n_touched <= MAX_TOUCHED) {
                        if (st->n_touched < MAX_TOUCHED)
                                st->touched[st->n_touched] = (uint16_t)(slot - st->names);
                        st->n_touched++;
                }
                slot->ptainted = st->rhs_ptainted;
                slot->pcleared = !st->rhs_ptainted;
        }
}

/* ASP.NET: conn.ConnectionString = <the request's> */
static void assign_connection_string(struct state *st)
{
        if (st->lang != WEBSHAPE_ASP || !st->lhs_closed || !st->rhs_tainted)
                return;
        for (int k = 0; k < st->n_lhs; k++)
                if (st->lhs_len[k] == 16 && !strncasecmp(st->lhs[k], "connectionstring", 16)) {
                        st->m->taint_connect++;
                        return;
                }
}

static void finish_lhs(struct state *st)
{
        if (st->lhs_closed && (st->rhs_tainted || !st->lhs_compound))
                for (int k = 0; k < st->n_lhs; k++)
                        name_assign(st, st->lhs[k], st->lhs_len[k], st->rhs_tainted);
        assign_params(st);
        assign_connection_string(st);
        assign_socket(st);
        st->rhs_socket = false;
        st->n_lhs = 0;
        st->lhs_closed = st->rhs_tainted = st->lhs_compound = st->rhs_ptainted = false;
        st->lhs_depth = st->depth;
}

static void pop(struct state *st)
{
        if (st->depth == 0)
                return;
        struct frame *f = top(st);
        bool from_socket = f && f->sink && f->sink->kind == K_SOCKREAD && f->socket_handle;
        if (f) {
                count_sink(st, f);
                count_param_sink(st, f);
                count_user_call(st, f);
                count_request_write_connect(st, f);
        }
        st->depth--;
        if (from_socket)
                socket_source(st);
        if (st->depth < st->foreach_depth)
                st->foreach_depth = 0;
        if (st->depth < st->lhs_depth || (st->lhs_closed && st->depth < st->lhs_depth))
                finish_lhs(st);
}

/* The statement ends (';', a brace, a VBScript line): the sinks it opened without '(' take what
 * they read, and its assignment is made. */
static void end_statement(struct state *st)
{
        struct frame *f;

        while ((f = top(st)) && f->statement)
                pop(st);
        if (st->depth <= st->lhs_depth)
                finish_lhs(st);
        st->lhs_depth = st->depth;
        st->pending_index = 0;
        st->pending_request = 0;
}

static void set_last(struct state *st, enum tok t)
{
        st->after_new = false;
        if (t != T_VAR && t != T_CLOSE)
                st->operand_tainted = false;
        st->after_arrow = t == T_ARROW || t == T_DOT;
        st->last = t;
}

static void name_token_in(struct state *st, size_t a, size_t b, bool var);

/* A name [a, b): var when written with a sigil ($x, @x) in PHP or Perl. */
static void name_token(struct state *st, size_t a, size_t b, bool var)
{
        bool after_new = st->after_new, member = st->after_arrow;

        if (!var) {
                st->last_name_at = (uint32_t)a;
                st->last_name_len = b - a < MAX_NAME ? (uint8_t)(b - a) : 0;
        }
        name_token_in(st, a, b, var);
        /* new $class(...) and $obj->$method(...): not a function the request names */
        st->var_after_new = var && (after_new || member);
        st->after_new = b - a == 3 && !strncasecmp(st->s + a, "new", 3);
}

/* The end of a cast to a number or a boolean at s[i] ('(' int ')', also integer, float,
 * double, bool, boolean), or 0. */
static size_t php_scalar_cast(const char *s, size_t i, size_t end)
{
        static const char *const types[] = {"int", "integer", "float", "double", "bool", "boolean"};
        size_t a = i + 1, b;

        while (a < end && (s[a] == ' ' || s[a] == '\t'))
                a++;
        for (b = a; b < end && b - a < 8 && isalpha((unsigned char)s[b]); b++)
                ;
        size_t k = b;
        while (k < end && (s[k] == ' ' || s[k] == '\t'))
                k++;
        if (k >= end || s[k] != ')' || b == a)
                return 0;
        for (size_t t = 0; t < ELEMENTS(types); t++)
                if (strlen(types[t]) == b - a && !strncasecmp(s + a, types[t], b - a))
                        return k + 1;
        return 0;
}

/* Whether the name ending at b is assigned: '=' follows, not '==' or '=>'. */
static bool assigned_here(const struct state *st, size_t b)
{
        size_t k = b;

        while (k < st->n && (st->s[k] == ' ' || st->s[k] == '\t'))
                k++;
        return k + 1 < st->n && st->s[k] == '=' && st->s[k + 1] != '=' && st->s[k + 1] != '>';
}

/* No lower-case letter in [p, p + len). */
static bool all_upper(const char *p, size_t len)
{
        for (size_t k = 0; k < len; k++)
                if (p[k] >= 'a' && p[k] <= 'z')
                        return false;
        return true;
}

static void name_token_in(struct state *st, size_t a, size_t b, bool var)
{
        const char *p = st->s + a;
        size_t len = b - a;
        bool member = st->after_arrow;
        char next = 0;

        for (size_t k = b; k < st->n && k < b + 16; k++)
                if (st->s[k] != ' ' && st->s[k] != '\t') {
                        next = st->s[k];
                        break;
                }
        /* a property read through -> is a name the file assigns like a variable */
        if (st->lang == WEBSHAPE_PHP && member && st->last == T_ARROW && next != '(')
                var = true;
        if (st->lang == WEBSHAPE_ASP || st->lang == WEBSHAPE_JSP)
                var = var || next != '(';

        if (st->pending_request == 2) {
                st->pending_request = 0;
                if (in_list(p, len, request_members, ELEMENTS(request_members))) {
                        source(st);
                        st->last_entry = NULL;
                        set_last(st, T_NAME);
                        st->operand_tainted = true;
                        return;
                }
        }
        st->pending_request = 0;
        if (st->pending_index > 0 && (st->lang == WEBSHAPE_PERL)) {
                /* $ENV{QUERY_STRING}: a bare word index */
                if ((len > 5 && !strncasecmp(p, "http_", 5)) ||
                    (len == 12 && !strncasecmp(p, "query_string", 12)) ||
                    (len == 11 && !strncasecmp(p, "request_uri", 11)))
                        source(st);
        }

        /* function NAME(...): the summary made of its body is NAME's */
        if (st->fn_name_next && !var && len < MAX_NAME) {
                st->fn_at = (uint32_t)a;
                st->fn_len = (uint8_t)len;
        }
        st->fn_name_next = false;
        if (!var && st->lang == WEBSHAPE_PHP &&
            ((len == 8 && !strncasecmp(p, "function", 8)) ||
             (len == 2 && !strncasecmp(p, "fn", 2)))) {
                if (top(st)) {
                        top(st)->closure = true;
                } else {
                        st->function_head = true;
                        if (st->function_body < 0) {
                                st->n_params = 0;
                                function_end(st);
                                st->fn_name_next = true;
                        }
                }
        }
        const struct entry *e = lookup(p, len, st->lang);
        /* PHP and Perl say which names are variables; in the others any name may be either */
        if (e && (st->lang == WEBSHAPE_PHP || st->lang == WEBSHAPE_PERL) &&
            !(e->as & (var ? AS_VAR : AS_CALL)))
                e = NULL;
        /* PHP's variable names keep their case: $this->_post, and $_post once the file assigns
         * it, are the file's own names, not the superglobal (WordPress's $_post =
         * get_post($id)). The normaliser writes names in lower case, so a $_get the file never
         * assigns is still the request. */
        if (e && e->kind == K_SOURCE && st->lang == WEBSHAPE_PHP && var) {
                uint32_t bit = 1u << ((size_t)(e - table) % 32);
                if (!all_upper(p, len) && assigned_here(st, b))
                        st->own_sources |= bit;
                if (member || (!all_upper(p, len) && (st->own_sources & bit)))
                        e = NULL;
        }
        /* (int) $_GET['n'], (bool) $x: the cast's operand is a number, whatever it was */
        if (st->cast_next) {
                st->cast_next = false;
                if (var && (!e || e->kind == K_SOURCE || e->kind == K_INDEXED)) {
                        set_last(st, T_VAR);
                        st->operand_tainted = false;
                        st->last_entry = NULL;
                        return;
                }
        }
        /* a method of that name is another thing: PDO's ->exec() and ADO's .Execute() run SQL,
         * DataBinder.Eval() reads a field */
        if (e && member && e->kind != K_CAP && e->kind != K_REQUEST && e->kind != K_SOURCE &&
            (st->lang == WEBSHAPE_PHP || st->lang == WEBSHAPE_PERL ||
             (st->lang == WEBSHAPE_ASP && e->kind == K_EVAL)))
                e = NULL;
        /* WScript.Shell's .Run and .Exec are methods; a bare exec is a page's own variable */
        if (e && !member && st->lang == WEBSHAPE_ASP && e->kind == K_EXEC &&
            (!strcmp(e->name, "run") || !strcmp(e->name, "exec")))
                e = NULL;
        bool process_member = st->process_member;
        st->process_member = false;
        if (e)
                st->m->caps |= e->cap;
        if (e && (e->cap & WEBSHAPE_CAP_NET) && st->lhs_closed &&
            (st->lang == WEBSHAPE_PHP || st->lang == WEBSHAPE_PERL))
                st->rhs_socket = true;
        if (!e || var)
                socket_name(st, p, len);
        /* $this->cmd = ...: the property, not the object */
        if (var && st->lhs_depth == st->depth && !st->lhs_closed && st->n_lhs < MAX_LHS &&
            len < MAX_NAME && !(len == 4 && !strncasecmp(p, "this", 4))) {
                memcpy(st->lhs[st->n_lhs], p, len);
                st->lhs_len[st->n_lhs++] = (uint8_t)len;
        }
        st->last_entry = e;
        if (e && e->kind == K_SOURCE) {
                source(st);
                set_last(st, var ? T_VAR : T_NAME);
                st->operand_tainted = true;
                return;
        }
        if (e && e->kind == K_INDEXED) {
                /* $r = $_SERVER: the whole array, headers and all */
                if (var && next != '[' && next != '{') {
                        source(st);
                        set_last(st, T_VAR);
                        st->operand_tainted = true;
                        return;
                }
                st->pending_index = 4;
                set_last(st, var ? T_VAR : T_NAME);
                return;
        }
        if (e && e->kind == K_REQUEST) {
                if (next == '(' || next == '[') {
                        source(st);
                        set_last(st, T_NAME);
                        st->operand_tainted = true;
                        return;
                }
                st->pending_request = next == '.' ? 1 : 0;
                set_last(st, T_NAME);
                return;
        }
        /* ASP.NET's Process.Start */
        if (!e && process_member && len == 5 && !strncasecmp(p, "start", 5))
                st->last_entry = e = &process_start;
        if (st->lang == WEBSHAPE_ASP && len == 7 && !strncasecmp(p, "process", 7) && next == '.')
                st->process_member = true;
        /* ASP.NET's server controls (TextBox.Text, and HtmlInputText's or HiddenField's .Value)
         * hold what the client posted */
        if (st->lang == WEBSHAPE_ASP && member && next != '=' &&
            ((len == 4 && !strncasecmp(p, "text", 4)) ||
             (st->aspnet && len == 5 && !strncasecmp(p, "value", 5)))) {
                source(st);
                set_last(st, T_NAME);
                st->operand_tainted = true;
                return;
        }
        if (st->lang == WEBSHAPE_PHP && !var && len == 2 && !strncasecmp(p, "as", 2) &&
            st->operand_tainted) {
                st->foreach_depth = st->depth;
                set_last(st, T_NAME);
                return;
        }
        if (var && st->foreach_depth > 0 && st->foreach_depth == st->depth)
                name_assign(st, p, len, true);
        /* a function's parameters are names of its own, in its body */
        if (var && st->function_head && st->depth > 0 && st->n_params < MAX_PARAMS &&
            len < MAX_NAME) {
                memcpy(st->params[st->n_params], p, len);
                st->params_len[st->n_params++] = (uint8_t)len;
        }
        if (var && !e && name_tainted(st, p, len)) {
                taint(st);
                set_last(st, T_VAR);
                st->operand_tainted = true;
                return;
        }
        if (var && !e && name_holds_param(st, p, len))
                taint_param(st);
        if (e && e->kind != K_CAP && e->kind != K_SANITIZE && next != '(' && next != '=' &&
            (e->kind == K_INCLUDE || (st->lang == WEBSHAPE_PERL && e->kind != K_CALLEE) || st->vb))
                push(st, e, true);
        set_last(st, var ? T_VAR : T_NAME);
}

/* The call just opened is of the last name read, which is not in the table: one of the file's
 * own functions, maybe (the words of the language that open a parenthesis are not). */
static void mark_user_call(struct state *st)
{
        static const char *const words[] = {
                "if",     "elseif", "while", "for",     "foreach", "switch", "array", "list",
                "return", "and",    "or",    "xor",     "print",   "echo",   "die",   "exit",
                "catch",  "unset",  "match", "declare", "use",     "new",    "clone", "not"};
        struct frame *f = top(st);

        if (st->lang != WEBSHAPE_PHP || st->function_head || !f || st->last_name_len == 0 ||
            in_list(st->s + st->last_name_at, st->last_name_len, words, ELEMENTS(words)))
                return;
        f->call_at = st->last_name_at;
        f->call_len = st->last_name_len;
}

static bool starts_sql(const char *p, size_t len)
{
        static const char *const verbs[] = {"select ", "update ", "delete ", "insert ",
                                            "create ", "drop ",   "alter "};

        while (len > 0 && isspace((unsigned char)*p))
                p++, len--;
        for (size_t k = 0; k < ELEMENTS(verbs); k++)
                if (len >= strlen(verbs[k]) && !strncasecmp(p, verbs[k], strlen(verbs[k])))
                        return true;
        return false;
}

/* A literal's body [a, b) (with its quotes at a - 1 and b when closed). */
static void literal_token(struct state *st, size_t a, size_t b)
{
        struct webshape *m = st->m;
        const char *p = st->s + a;
        size_t len = b - a;
        struct frame *f = top(st);

        if ((int64_t)len > m->longest_literal)
                m->longest_literal = (int64_t)len;
        if (in_list(p, len, sysinfo_literals, ELEMENTS(sysinfo_literals)))
                m->caps |= WEBSHAPE_CAP_SYSINFO;
        if (len >= 11 && !strncasecmp(p, "php://input", 11))
                source(st);
        if (st->pending_index > 0 && ((len > 5 && !strncasecmp(p, "http_", 5)) ||
                                      (len == 12 && !strncasecmp(p, "query_string", 12)) ||
                                      (len == 11 && !strncasecmp(p, "request_uri", 11)) ||
                                      (len == 9 && !strncasecmp(p, "path_info", 9)))) {
                st->pending_index = 0;
                source(st);
        }
        if (f && len > 0 && memchr(p, '|', len))
                f->pipe = true;
        /* ADO's Execute("UPDATE ...") of a page's own sub: SQL, not VBScript */
        if (f && f->sink && f->sink->kind == K_EVAL && st->lang == WEBSHAPE_ASP && f->arg == 0 &&
            starts_sql(p, len))
                f->sql = true;
        if (f && f->sink && f->sink->kind == K_CALLEE && f->arg == f->sink->arg) {
                const struct entry *e = lookup(p, len, st->lang);
                if (e && (e->kind == K_EXEC || e->kind == K_EVAL))
                        f->callee_sink = e;
        }
        if (f && f->sink && f->sink->kind == K_FOPEN && f->arg == 1 && len > 0 &&
            strchr("waxc", tolower((unsigned char)p[0])))
                f->write_mode = true;
        if (f && f->sink && f->sink->kind == K_PREG && f->arg == 0 && len >= 3) {
                /* the modifiers after the pattern's closing delimiter */
                char d = p[0] == '(' ? ')' : p[0] == '{' ? '}' : p[0] == '[' ? ']' : p[0];
                const char *close = NULL;
                for (const char *q = p + len - 1; q > p; q--)
                        if (*q == d) {
                                close = q;
                                break;
                        }
                if (close && memchr(close + 1, 'e', (size_t)(p + len - close - 1)))
                        f->preg_e = true;
        }
}

/* A double-quoted literal, heredoc or backtick body of PHP or Perl [a, b): the $names written
 * in it are read. */
static void interpolated(struct state *st, size_t a, size_t b)
{
        for (size_t i = a; i < b; i++) {
                if (st->s[i] == '\\') {
                        i++;
                        continue;
                }
                if (st->s[i] != '$')
                        continue;
                size_t j = i + 1;
                if (j < b && st->s[j] == '{')
                        j++;
                size_t k = j;
                while (k < b && (isalnum((unsigned char)st->s[k]) || st->s[k] == '_'))
                        k++;
                if (k > j) {
                        bool lhs_closed = st->lhs_closed;
                        st->lhs_closed = true; /* a name in a literal is read, never assigned */
                        int n_lhs = st->n_lhs;
                        name_token(st, j, k, true);
                        st->n_lhs = n_lhs;
                        st->lhs_closed = lhs_closed || st->lhs_closed;
                        /* "$_SERVER[HTTP_X]" */
                        if (st->pending_index > 0 && k + 6 < b && st->s[k] == '[' &&
                            !strncasecmp(st->s + k + 1, "http_", 5))
                                source(st);
                        st->pending_index = 0;
                }
                i = k - 1;
        }
}

static void line_bytes(struct state *st, size_t a, size_t b)
{
        for (size_t k = a; k < b; k++) {
                if (st->s[k] == '\n') {
                        st->line = 0;
                        continue;
                }
                if (++st->line > st->m->max_line)
                        st->m->max_line = st->line;
        }
}

/* Where a quoted literal opening at i ends (after its closing quote); one-line quotes end at the
 * line's end unclosed. VBScript doubles its quote instead of escaping it. */
static size_t skip_quoted(const struct state *st, size_t i, size_t end, bool one_line)
{
        const char *s = st->s;
        char q = s[i++];

        while (i < end) {
                if (s[i] == q) {
                        if (st->vb && i + 1 < end && s[i + 1] == q) {
                                i += 2;
                                continue;
                        }
                        return i + 1;
                }
                if (s[i] == '\\' && !st->vb)
                        i++;
                else if (s[i] == '\n' && one_line)
                        return i;
                i++;
        }
        return end;
}

/* PHP's heredoc or nowdoc: <<<ID, <<<"ID", <<<'ID' ... ID. Returns its end, or 0 when i does
 * not open one. */
static size_t skip_heredoc(const char *s, size_t i, size_t end, size_t *ret_body,
                           size_t *ret_body_end)
{
        size_t k = i + 3, a, b;

        while (k < end && (s[k] == ' ' || s[k] == '\t'))
                k++;
        if (k < end && (s[k] == '"' || s[k] == '\''))
                k++;
        a = k;
        while (k < end && (isalnum((unsigned char)s[k]) || s[k] == '_'))
                k++;
        b = k;
        if (b == a || b - a > 64)
                return 0;
        const char *nl = memchr(s + b, '\n', end - b);
        if (!nl)
                return 0;
        *ret_body = (size_t)(nl - s) + 1;
        for (size_t p = *ret_body; p < end;) {
                const char *q = memchr(s + p, '\n', end - p);
                size_t line_end = q ? (size_t)(q - s) : end;
                size_t t = p;
                while (t < line_end && (s[t] == ' ' || s[t] == '\t'))
                        t++;
                if (line_end - t >= b - a && !memcmp(s + t, s + a, b - a) &&
                    (t + (b - a) == line_end || !isalnum((unsigned char)s[t + (b - a)]))) {
                        *ret_body_end = p;
                        return t + (b - a);
                }
                p = line_end + 1;
        }
        *ret_body_end = end;
        return end;
}

static bool comment_at(const struct state *st, size_t i, size_t end)
{
        const char *s = st->s;
        char c = s[i];

        if (st->vb)
                return c == '\'';
        if (c == '/' && i + 1 < end && (s[i + 1] == '/' || s[i + 1] == '*'))
                return true;
        if (c == '#')
                return st->lang == WEBSHAPE_PERL ||
                       (st->lang == WEBSHAPE_PHP && !(i + 1 < end && s[i + 1] == '['));
        return false;
}

static size_t skip_comment(const struct state *st, size_t i, size_t end)
{
        const char *s = st->s;

        if (s[i] == '/' && s[i + 1] == '*') {
                const char *close = memmem(s + i + 2, end - i - 2, "*/", 2);
                return close ? (size_t)(close - s) + 2 : end;
        }
        for (; i < end && s[i] != '\n'; i++)
                if (st->lang == WEBSHAPE_PHP && s[i] == '?' && i + 1 < end && s[i + 1] == '>')
                        return i;
        return i;
}

/* Perl's <$h> or <H> at i: what a socket sent when h is one. Returns where it ends, or 0. */
static size_t perl_readline(struct state *st, size_t i, size_t end)
{
        const char *s = st->s;
        size_t j = i + 1;

        if (j < end && s[j] == '$')
                j++;
        size_t a = j;
        while (j < end && (isalnum((unsigned char)s[j]) || s[j] == '_'))
                j++;
        if (j == a || j >= end || s[j] != '>' || j - a >= MAX_NAME)
                return 0;
        struct name_slot *slot = name_find(st, s + a, j - a, false);
        bool from_socket = slot && slot->socket;
        if (from_socket) {
                socket_source(st);
                /* while (<$sock>) { ... $_ ... } */
                if (!st->lhs_closed)
                        name_assign(st, "_", 1, true);
        }
        st->code += (int64_t)(j + 1 - i);
        line_bytes(st, i, j + 1);
        set_last(st, T_VAR);
        st->operand_tainted = from_socket;
        return j + 1;
}

/* The code of one region [i, end): PHP between its tags, the whole text of the others. Returns
 * where it stopped: end, or a PHP closing tag ?> read as code. */
static size_t measure_region(struct state *st, size_t i, size_t end)
{
        const char *s = st->s;

        while (i < end) {
                unsigned char c = (unsigned char)s[i];
                size_t j;

                if (c == '\n') {
                        st->line = 0;
                        if (st->vb && st->last != T_OTHER)
                                end_statement(st);
                        i++;
                        continue;
                }
                if (isspace(c)) {
                        i++;
                        continue;
                }
                if (comment_at(st, i, end)) {
                        i = skip_comment(st, i, end);
                        continue;
                }
                if (c == '"' || c == '\'' || c == '`') {
                        bool one_line = st->lang != WEBSHAPE_PHP && st->lang != WEBSHAPE_PERL;
                        j = skip_quoted(st, i, end, one_line);
                        size_t body_end = j > i + 1 && s[j - 1] == (char)c ? j - 1 : j;
                        if (body_end < i + 1)
                                body_end = i + 1;
                        st->strings += (int64_t)(j - i);
                        st->code += (int64_t)(j - i);
                        line_bytes(st, i, j);
                        bool interp = c != '\'' &&
                                      (st->lang == WEBSHAPE_PHP || st->lang == WEBSHAPE_PERL);
                        /* a command in backticks is one line without quotes: what spans
                         * quotes and lines is a pairing lost (SQL's `name` quoting in a
                         * literal the normaliser rewrote) */
                        bool ticks = c == '`' && interp && body_end > i + 1 &&
                                     !memchr(s + i + 1, '\n', body_end - i - 1) &&
                                     !memchr(s + i + 1, '"', body_end - i - 1) &&
                                     !memchr(s + i + 1, '\'', body_end - i - 1);
                        if (ticks)
                                push(st, &backticks, false);
                        literal_token(st, i + 1, body_end);
                        if (interp)
                                interpolated(st, i + 1, body_end);
                        if (ticks)
                                pop(st);
                        /* 'assert'(...): a name called as a literal, as the normaliser writes
                         * what a variable held */
                        const struct entry *e = NULL;
                        if (j < end && s[j] == '(' && body_end > i + 1)
                                e = lookup(s + i + 1, body_end - i - 1, st->lang);
                        set_last(st, T_STRING);
                        st->last_entry = e && (e->as & AS_CALL) ? e : NULL;
                        i = j;
                        continue;
                }
                if (st->lang == WEBSHAPE_PHP && c == '<' && i + 3 < end && s[i + 1] == '<' &&
                    s[i + 2] == '<') {
                        size_t body, body_end;
                        j = skip_heredoc(s, i, end, &body, &body_end);
                        if (j > 0) {
                                /* the body without the line break before the closing name */
                                if (body_end > body && s[body_end - 1] == '\n')
                                        body_end--;
                                if (body_end < body)
                                        body_end = body;
                                st->strings += (int64_t)(j - i);
                                st->code += (int64_t)(j - i);
                                line_bytes(st, i, j);
                                literal_token(st, body, body_end);
                                interpolated(st, body, body_end);
                                set_last(st, T_STRING);
                                i = j;
                                continue;
                        }
                }
                bool sigil = (c == '$' || (c == '@' && st->lang == WEBSHAPE_PERL) ||
                              (c == '%' && st->lang == WEBSHAPE_PERL && st->last != T_VAR &&
                               st->last != T_NAME && st->last != T_CLOSE)) &&
                             i + 1 < end && (isalpha((unsigned char)s[i + 1]) || s[i + 1] == '_');
                if (sigil)
                        i++, st->code++;
                if (isalpha((unsigned char)s[i]) || s[i] == '_' || (unsigned char)s[i] >= 0x80) {
                        j = i + 1;
                        while (j < end && (isalnum((unsigned char)s[j]) || s[j] == '_' ||
                                           (unsigned char)s[j] >= 0x80))
                                j++;
                        st->code += (int64_t)(j - i);
                        line_bytes(st, i, j);
                        /* Perl's qx{...} runs a command */
                        if (st->lang == WEBSHAPE_PERL && j - i == 2 && !strncmp(s + i, "qx", 2) &&
                            j < end && strchr("{([/|!'\"", s[j])) {
                                char open = s[j];
                                char close = open == '{'   ? '}'
                                             : open == '(' ? ')'
                                             : open == '[' ? ']'
                                                           : open;
                                const char *q = memchr(s + j + 1, close, end - j - 1);
                                size_t k = q ? (size_t)(q - s) : end;
                                push(st, &backticks, false);
                                interpolated(st, j + 1, k);
                                pop(st);
                                line_bytes(st, j, k < end ? k + 1 : end);
                                st->strings += (int64_t)(k - j);
                                st->code += (int64_t)(k - j);
                                set_last(st, T_STRING);
                                i = k < end ? k + 1 : end;
                                continue;
                        }
                        name_token(st, i, j, sigil);
                        i = j;
                        continue;
                }
                if (isdigit(c)) {
                        j = i + 1;
                        while (j < end && (isalnum((unsigned char)s[j]) || s[j] == '.'))
                                j++;
                        st->code += (int64_t)(j - i);
                        line_bytes(st, i, j);
                        set_last(st, T_OTHER);
                        st->last = T_NAME; /* a value: ends a VBScript statement */
                        i = j;
                        continue;
                }
                if (c == '<' && st->lang == WEBSHAPE_PERL && (j = perl_readline(st, i, end)) > 0) {
                        i = j;
                        continue;
                }
                /* PHP's casts to a number or a boolean: what follows is no longer the
                 * request's text ((int) $_GET['num'] as intval) */
                if (c == '(' && st->lang == WEBSHAPE_PHP &&
                    (j = php_scalar_cast(st->s, i, end)) > 0) {
                        st->code += (int64_t)(j - i);
                        line_bytes(st, i, j);
                        set_last(st, T_OTHER);
                        st->cast_next = true;
                        i = j;
                        continue;
                }
                /* punctuation */
                st->code++;
                line_bytes(st, i, i + 1);
                if (st->pending_index > 0)
                        st->pending_index--;
                if (c == '(') {
                        const struct entry *e =
                                st->last == T_NAME || st->last == T_STRING ? st->last_entry : NULL;
                        bool var_call = st->lang == WEBSHAPE_PHP && !st->var_after_new &&
                                        (st->last == T_VAR ||
                                         (st->last == T_CLOSE && st->last_close_index &&
                                          st->operand_tainted));
                        if (st->lang == WEBSHAPE_PHP && st->last == T_VAR)
                                st->m->var_calls++;
                        if (var_call && st->operand_tainted)
                                st->m->taint_callee++;
                        if (e && (e->kind == K_CAP || e->kind == K_SOURCE))
                                e = NULL;
                        if (var_call && !st->operand_tainted)
                                e = &dynamic_call;
                        push(st, e, false);
                        if (!e && st->last == T_NAME && !var_call)
                                mark_user_call(st);
                        st->socket_arg_next = st->lang == WEBSHAPE_PERL && st->last == T_NAME &&
                                              st->last_entry &&
                                              (!strcmp(st->last_entry->name, "socket") ||
                                               !strcmp(st->last_entry->name, "accept"));
                        st->fn_name_next = false;
                        st->pending_request = 0;
                        set_last(st, T_OPEN);
                } else if (c == '[' ||
                           (c == '{' && (st->lang == WEBSHAPE_PHP || st->lang == WEBSHAPE_PERL) &&
                            (st->last == T_VAR || (st->last == T_CLOSE && st->last_close_index)))) {
                        /* an index: $_GET['x'], $ENV{QUERY_STRING}, Request["x"] */
                        bool of_taint = st->operand_tainted;
                        if (st->pending_request == 1 || st->pending_request == 2) {
                                source(st);
                                of_taint = true;
                        }
                        bool lookup = st->lang == WEBSHAPE_PHP && !of_taint && c == '[' &&
                                      st->pending_index == 0 &&
                                      (st->last == T_VAR || st->last == T_CLOSE);
                        push(st, NULL, false);
                        if (top(st)) {
                                top(st)->of_taint = of_taint;
                                top(st)->brace_index = c == '{';
                                top(st)->lookup = lookup;
                        }
                        st->last = T_OPEN;
                        st->after_arrow = false;
                        st->operand_tainted = false;
                } else if (c == ')' || c == ']' || (c == '}' && top(st) && top(st)->brace_index)) {
                        while (top(st) && top(st)->statement)
                                pop(st);
                        bool of_taint = top(st) && top(st)->of_taint;
                        pop(st);
                        set_last(st, T_CLOSE);
                        st->operand_tainted = of_taint;
                        st->last_close_index = c != ')';
                } else if (c == ';' || c == '{' || c == '}') {
                        function_brace(st, c);
                        end_statement(st);
                        set_last(st, T_OTHER);
                } else if (c == ',') {
                        struct frame *f = top(st);
                        if (f)
                                f->arg++;
                        set_last(st, T_OTHER);
                } else if (c == '-' && i + 1 < end && s[i + 1] == '>') {
                        set_last(st, T_ARROW);
                        i++;
                        st->code++;
                } else if (c == '.' && st->lang != WEBSHAPE_PHP && st->lang != WEBSHAPE_PERL) {
                        if (st->pending_request == 1)
                                st->pending_request = 2;
                        bool pm = st->process_member;
                        set_last(st, T_DOT);
                        st->process_member = pm;
                } else if (c == '=' || ((c == '.' || c == '+') && i + 1 < end && s[i + 1] == '=')) {
                        bool compare = c == '=' && i + 1 < end &&
                                       (s[i + 1] == '=' || s[i + 1] == '>' || s[i + 1] == '~');
                        if (c != '=')
                                i++, st->code++;
                        if (compare) {
                                i++, st->code++;
                        } else if (!st->lhs_closed && st->depth == st->lhs_depth) {
                                st->lhs_closed = true;
                                st->rhs_tainted = false;
                                st->lhs_compound = c != '=';
                        }
                        set_last(st, T_OTHER);
                } else if (c == '?' && st->lang == WEBSHAPE_PHP && i + 1 < end && s[i + 1] == '>') {
                        return i; /* the caller ends the region at ?> */
                } else if (c == '?' && i + 1 < end && s[i + 1] != '?' && s[i + 1] != '-' &&
                           s[i + 1] != ':') {
                        /* a ternary: what the request decided between is the literals after it,
                         * not the request ($f = $_GET['x'] ? 'strcmp' : 'strpos') */
                        if (st->lhs_closed && st->depth == st->lhs_depth)
                                st->rhs_tainted = false;
                        set_last(st, T_OTHER);
                } else if (c == '%' && i + 1 < end && s[i + 1] == '>') {
                        end_statement(st);
                        set_last(st, T_OTHER);
                        i++;
                } else {
                        /* an operator: a VBScript line that ends in one (or in its '_')
                         * goes on */
                        set_last(st, T_OTHER);
                }
                i++;
        }
        return end;
}

/* PHP's code: between each opening (<?php, <?=, <? but not <?xml) and its ?>, or to the end. */
static void measure_php(struct state *st)
{
        const char *s = st->s;
        size_t n = st->n;

        for (size_t i = 0; i + 2 <= n;) {
                const char *lt = memmem(s + i, n - i, "<?", 2);
                if (!lt)
                        break;
                size_t a = (size_t)(lt - s) + 2;
                if (a + 3 <= n && !strncasecmp(s + a, "xml", 3)) {
                        i = a;
                        continue;
                }
                if (a + 3 <= n && !strncasecmp(s + a, "php", 3))
                        a += 3;
                else if (a < n && s[a] == '=')
                        a++;
                size_t stop = measure_region(st, a, n);
                end_statement(st);
                i = stop + 2;
        }
}

static bool contains(const char *s, size_t n, const char *word)
{
        return memmem(s, n, word, strlen(word)) != NULL;
}

/* Whether s holds runat="server" (any case, blanks around "=", either quote or none: ASP.NET's
 * code blocks, as the rules' regex /runat\s*=\s*["']?server/ reads it), found from each "=":
 * memchr() is fast and "=" rare enough in text. */
static bool runat_server(const char *s, size_t n)
{
        const char *end = s + n;

        for (const char *eq = s; (eq = memchr(eq, '=', (size_t)(end - eq))); eq++) {
                const char *k = eq, *v = eq + 1;

                while (k > s && (k[-1] == ' ' || k[-1] == '\t'))
                        k--;
                if (k - s < 5 || strncasecmp(k - 5, "runat", 5))
                        continue;
                while (v < end && (*v == ' ' || *v == '\t'))
                        v++;
                if (v < end && (*v == '"' || *v == '\''))
                        v++;
                if ((size_t)(end - v) >= 6 && !strncasecmp(v, "server", 6))
                        return true;
        }
        return false;
}

/* The language a page declares: <%@ Page Language="C#" %>, <%@ language=vbscript %>. */
static bool declares_vbscript(const char *s, size_t n)
{
        const char *p = find_nocase(s, n, "language");

        if (!p)
                return !find_nocase(s, n, "<%@"); /* classic ASP: VBScript by default */
        p += 8;
        while (p < s + n && (*p == ' ' || *p == '=' || *p == '"' || *p == '\''))
                p++;
        return (size_t)(s + n - p) >= 2 && !strncasecmp(p, "vb", 2);
}

/* Whether s is a JSP document (JSPX): the XML syntax, its code in jsp:scriptlet,
 * jsp:declaration and jsp:expression elements. One walk over the text for "<jsp:" (any case),
 * the element's name read where it stands: webshape_language() runs over every text. */
static bool jsp_document(const char *s, size_t n)
{
        static const char *const elements[] = {"scriptlet", "declaration", "expression"};

        for (const char *p = s, *end = s + n; (p = find_nocase(p, (size_t)(end - p), "<jsp:"));) {
                p += 5;
                for (size_t k = 0; k < ELEMENTS(elements); k++) {
                        size_t len = strlen(elements[k]);
                        if ((size_t)(end - p) >= len && !strncasecmp(p, elements[k], len))
                                return true;
                }
        }
        return false;
}

int webshape_language(const char *s, size_t n)
{
        size_t head = n < 4096 ? n : 4096;

        if (head >= 2 && s[0] == '#' && s[1] == '!') {
                const char *nl = memchr(s, '\n', head);
                size_t first = nl ? (size_t)(nl - s) : head;
                if (memmem(s, first, "perl", 4))
                        return WEBSHAPE_PERL;
        }
        for (const char *p = s, *end = s + n;
             p + 2 <= end && (p = memmem(p, (size_t)(end - p), "<?", 2)); p += 2) {
                char c = p + 2 < end ? (char)tolower((unsigned char)p[2]) : 0;
                if (c == 'p' || c == '=' || c == '$' || c == '@' || isspace((unsigned char)c))
                        return WEBSHAPE_PHP;
        }
        if (contains(s, n, "<%") || runat_server(s, n)) {
                if (find_nocase(s, n, "getparameter(") || find_nocase(s, n, "import=\"java") ||
                    find_nocase(s, n, "language=\"java\"") || find_nocase(s, n, "<jsp:") ||
                    find_nocase(s, n, "getruntime()"))
                        return WEBSHAPE_JSP;
                return WEBSHAPE_ASP;
        }
        if (jsp_document(s, n))
                return WEBSHAPE_JSP;
        if (contains(s, head, "use strict;") || contains(s, head, "use Socket;") ||
            contains(s, head, "use IO::Socket") || contains(s, head, "use CGI"))
                return WEBSHAPE_PERL;
        return WEBSHAPE_NONE;
}

/* The file read: the functions called with the request whose parameters reach a sink, and the
 * widest command wrapper. */
static void function_summaries(struct state *st)
{
        struct webshape *m = st->m;

        for (size_t i = 0; i < FUNC_SLOTS; i++) {
                const struct func_slot *fn = &st->funcs[i];
                if (fn->key.hash == 0)
                        continue;
                if (fn->called_request) {
                        m->fn_exec += (fn->reaches & REACH_EXEC) != 0;
                        m->fn_eval += (fn->reaches & REACH_EVAL) != 0;
                        m->fn_write += (fn->reaches & REACH_WRITE) != 0;
                }
                int kinds = __builtin_popcount(fn->exec_kinds);
                if (kinds > m->fn_exec_kinds)
                        m->fn_exec_kinds = kinds;
        }
}

void webshape_measure(const char *s, size_t n, struct webshape *ret)
{
        struct webshape m = {0};
        struct name_slot names[NAME_SLOTS];
        struct func_slot funcs[FUNC_SLOTS];
        struct state st = {.s = s,
                           .n = n > WEBSHAPE_MAX_INPUT ? WEBSHAPE_MAX_INPUT : n,
                           .m = &m,
                           .function_body = -1};

        *ret = m;
        st.lang = webshape_language(s, st.n);
        if (st.lang == WEBSHAPE_NONE)
                return;
        pthread_once(&table_once, table_init);
        memset(names, 0, sizeof(names));
        memset(funcs, 0, sizeof(funcs));
        st.names = names;
        st.funcs = funcs;
        m.language = st.lang;
        st.vb = st.lang == WEBSHAPE_ASP && declares_vbscript(s, st.n);
        st.aspnet = st.lang == WEBSHAPE_ASP &&
                    (runat_server(s, st.n) || find_nocase(s, st.n, "<%@ page"));
        if (st.lang == WEBSHAPE_PHP)
                measure_php(&st);
        else
                measure_region(&st, 0, st.n);
        end_statement(&st);
        while (st.depth > 0)
                pop(&st);
        function_summaries(&st);
        m.bytes = st.code;
        if (st.code > 0)
                m.string_pm = st.strings * 1000 / st.code;
        m.cap_count = __builtin_popcountll((unsigned long long)m.caps);
        *ret = m;
}

void webshape_merge(struct webshape *a, const struct webshape *b)
{
        int64_t caps = a->caps | b->caps;

        shape_merge_max(a, b, sizeof(*a));
        a->caps = caps;
        a->cap_count = __builtin_popcountll((unsigned long long)a->caps);
}
