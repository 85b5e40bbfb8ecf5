// Server-side scripts that hand what the request sent to something that runs it: the measurement
// of src/analysis/webshape.c (the web_* variables of rules/README.md), one pass of a tokenizer
// over a PHP, ASP/ASPX, JSP or Perl file that follows the request's input by name through the
// file (a variable assigned from $_GET, Request.Form, request.getParameter or param() holds it;
// decoders and string functions pass it on; isset, intval, escapeshellarg, htmlspecialchars and
// the other sanitizers stop it) to a command, code, callee or file sink. A web shell is the
// request handed to a sink whatever it is called and however it is spelled; the normalised scan
// sees the sinks the normaliser revealed ('assert'(...) of a variable that held the name).
// Measured on 43,299 benign server-side files (Drupal core, Yii, CakePHP, Kanboard, FreshRSS,
// Adminer, elFinder, Tiny File Manager, Matomo, phpBB, Laravel, DokuWiki, Roundcube, OpenCart,
// 18 Chinese PHP applications, Tomcat examples, ASP/ASPX/JSP application sets, installed PHP and
// Perl): the four rules together pass 2, both of which run request input (App Engine's
// development setup.php evaluates php://input; an obfuscated licence check calls what the
// request names). The command rule leaves JSP to webshells.yar (a JSP file manager in a benign
// set hands request paths to its own exec helper). No strings: the rules read only the
// variables, so they cost nothing in YARA's search.

rule webshape_request_to_code
{
    meta:
        severity = "critical"
        attack = "T1505.003"
        description = "a PHP page hands what the request sent to code it runs (eval, assert, create_function, preg_replace /e), directly, through a decoder or through a variable"
    condition:
        web_language == 1 and web_taint_eval >= 1
}

rule webshape_request_to_command
{
    meta:
        severity = "critical"
        attack = "T1505.003,T1059"
        description = "a server-side script hands what the request sent to a command (system, exec, passthru, backticks, Process.Start, WScript.Shell, Perl's system or a piped open), directly, through a decoder or through a variable"
    condition:
        web_taint_exec >= 1 and web_language != 3
}

rule webshape_request_callee
{
    meta:
        severity = "critical"
        attack = "T1505.003"
        description = "a PHP page calls a function the request names ($_GET['f'](...), $f(...) with $f from the request, call_user_func/array_map/usort of a request value), or a variable function with the request's input"
    condition:
        web_language == 1 and (web_taint_callee >= 1 or web_taint_dynamic >= 1)
}

rule webshape_request_extract
{
    meta:
        severity = "high"
        attack = "T1505.003"
        description = "a PHP page makes every request parameter a variable (extract of the request) and runs code or commands"
    condition:
        web_language == 1 and web_extract_request >= 1 and web_sink_calls >= 1
}

// Through the file's own functions (web_fn_*: a summary of each PHP function, which sinks its
// parameters reach through its locals, decoders and the functions defined before it; a call with
// the request counts wherever the function is defined). Measured on the same 43,299 benign
// server-side files: the three rules pass none. A function whose parameters reach three or more
// command sinks is a wrapper trying each in turn behind function_exists checks, which a shell
// writes to survive disable_functions; an application runs one. A function that writes what it
// is given (fwrite, fputs) is common, and called with the request in uploaders and database tools:
// only with sockets in the same file (the SMTP and IRC clients of mass mailers and bots, fed from
// the request: two reads of it at least) does it count. What a socket the script opened sent is
// followed as the request's input is (web_socket_reads), so an IRC bot's commands handed to its own
// command function count here too.

rule webshape_command_wrapper
{
    meta:
        severity = "critical"
        attack = "T1505.003,T1059"
        description = "a PHP page has a function that hands its parameter to three or more command sinks (exec, system, passthru, shell_exec, popen, proc_open...), a wrapper trying each in turn as web shells do"
    condition:
        web_language == 1 and web_fn_exec_kinds >= 3
}

rule webshape_request_function_code
{
    meta:
        severity = "critical"
        attack = "T1505.003"
        description = "a PHP page hands what the request sent to a function of its own whose parameter reaches code it runs (eval, assert, create_function, preg_replace /e)"
    condition:
        web_language == 1 and web_fn_eval >= 1
}

rule webshape_request_function_socket
{
    meta:
        severity = "high"
        attack = "T1505.003"
        description = "a PHP page that opens sockets hands what the request (or its socket) sent to a function of its own that runs it as a command or writes it out (a mailer's or bot's SMTP or IRC client)"
    condition:
        web_language == 1 and (web_caps & 512) != 0 and
        (web_fn_exec >= 1 or (web_fn_write >= 1 and web_sources >= 2))
}

// A file editor and a database console by the request alone (web_write_both,
// web_taint_connect, web_taint_query). A small page that writes what the request sent to the
// path the request names is a dropper's stub (a file manager's editor does the same in a page of
// tens of kilobytes, so only pages under 3,000 bytes of code count); a connection to the host,
// user or connection string the request gives, and in PHP a query whose text is the request's, is
// a SQL console. An installer also connects with what the form gave and creates the database it
// names, but it writes its configuration file; a console writes no file. On the benign set: none.

rule webshape_request_file_dropper
{
    meta:
        severity = "high"
        attack = "T1505.003"
        description = "a small server-side page writes what the request sent to a file the request names (file_put_contents, fwrite of a handle opened on the request's path, WriteAllText)"
    condition:
        web_write_both >= 1 and web_bytes < 3000 and web_language != 0
}

rule webshape_request_sql_console
{
    meta:
        severity = "high"
        attack = "T1505.003"
        description = "a server-side page connects to the database host, user or connection string the request gives and (in PHP) runs the query the request sends, writing no file: a SQL console"
    condition:
        (web_language == 2 and web_taint_connect >= 1) or
        (web_language == 1 and web_taint_connect >= 1 and web_taint_query >= 1 and
         (web_caps & 32) == 0)
}

// A mass mailer: mail() sent to the recipients the request gives (web_taint_mail), the list a
// spammer pastes into the page's form. A contact form or a notification writes to the site's own
// address with the visitor's subject and text. On the benign set: none.

rule webshape_request_mass_mailer
{
    meta:
        severity = "high"
        attack = "T1505.003"
        description = "a PHP page sends mail to the recipients the request gives (mail() of a request-supplied address or list), as mass mailers planted on web servers do"
    condition:
        web_language == 1 and web_taint_mail >= 1
}

// ASP's code sinks (VBScript's Execute and ExecuteGlobal, JScript's eval; not ADO's .Execute nor
// an Execute of SQL) given the request, through any function that passes it on
// (ExecuteGlobal(StrReverse(Request(...)))): webshape_request_to_code reads PHP only.
rule webshape_asp_request_to_code
{
    meta:
        severity = "critical"
        attack = "T1505.003"
        description = "an ASP page hands what the request sent to code it runs (Execute, ExecuteGlobal, eval), directly, through a string function or through a variable"
    condition:
        web_language == 2 and web_taint_eval >= 1
}
