// Web shells: a page that hands what the request carries to a command runner or to eval.
// Each rule needs both halves in one expression (or the request value in a variable that the
// runner gets in the same file), so that a page that runs a fixed command, or one that reads
// a parameter for anything else, is not one.

rule php_webshell
{
    meta:
        severity = "critical"
        attack = "T1505.003"
        description = "a PHP web shell: a request parameter handed to system, exec, eval, assert or the backtick operator"
    strings:
        $direct = /\b(system|exec|shell_exec|passthru|popen|proc_open|pcntl_exec|eval|assert|create_function)\s*\(\s*(@?\s*(base64_decode|gzinflate|str_rot13|urldecode|stripslashes|trim)\s*\(\s*)*@?\s*\$_(GET|POST|REQUEST|COOKIE|SERVER|FILES)\s*\[/ nocase
        // the parameter inside a double-quoted command string: shell_exec("($_GET[$p]) 2>&1")
        $interp = /\b(system|exec|shell_exec|passthru|popen|proc_open)\s*\(\s*"[^"]{0,40}\$_(GET|POST|REQUEST|COOKIE)\s*\[/ nocase
        // where an expression goes (not a doc comment quoting `$_POST['action']` as code)
        $tick = /(<\?=|<\?php\s|[=(.,;!]|\becho|\bprint|\breturn)\s*`\s*\$_(GET|POST|REQUEST|COOKIE)\s*\[[^\]]{1,40}\]\s*`/ nocase
        // a request header read with getenv: passthru(getenv("HTTP_ACCEPT_LANGUAGE"))
        $header = /\b(system|exec|shell_exec|passthru|popen|proc_open|eval|assert)\s*\(\s*@?\s*getenv\s*\(\s*["']HTTP_/ nocase
        // the request body included as PHP code
        $input = /\b(include|include_once|require|require_once)\s*\(?\s*["']php:\/\/input["']/ nocase
        // ...or read and evaluated: eval(file_get_contents('php://input'))
        $input_eval = /\b(eval|assert)\s*\(\s*@?\s*file_get_contents\s*\(\s*["']php:\/\/input["']/ nocase
        // a small page that copies a parameter into a variable and runs a variable
        // also as a conditional: $c = isset($_POST['c']) ? $_POST['c'] : ''; $c = empty(...) ? '' : ...
        $assign = /\$[a-z_][a-z0-9_]*\s*=\s*\(?\s*(!?\s*(isset|empty)\s*\(\s*\$_(GET|POST|REQUEST|COOKIE)\s*\[[^\]\n]{1,40}\]\s*\)\s*\?\s*([^:;\n]{0,40}:\s*)?)?@?\s*([a-z_][a-z0-9_]*\s*\(\s*([^;\n$]{0,40},\s*)?)?\$_(GET|POST|REQUEST|COOKIE)\s*\[/ nocase
        // ...and a runner of a variable: eval($code), popen('exec 2>&1; ' . $cmd, 'r'), or a
        // callback runner whose callback is a variable: array_walk($a, $f), call_user_func($f, ...)
        $run_var = /\b(system|shell_exec|passthru|popen|proc_open|eval|assert)\s*\(\s*(["'][^"'\n]{0,40}["']\s*\.\s*)?\$[a-z_][a-z0-9_]*\s*[,)]/ nocase
        // ...or eval of what a decoder makes of the variable: eval(base64_decode($ev))
        $run_decoded = /\b(eval|assert)\s*\(\s*@?\s*((base64_decode|gzinflate|gzuncompress|gzdecode|str_rot13|strrev|urldecode|rawurldecode|hex2bin|convert_uudecode)\s*\(\s*@?\s*){1,4}"?\$[a-z_][a-z0-9_]*"?\s*\)/ nocase
        // ...or eval of a string the variable is put in: eval("?>$code<?"); and exec's output
        // printed: print exec($cmd)
        $run_string = /\b(eval|assert)\s*\(\s*"[^"\n]{0,20}\{?\$[a-z_]/ nocase
        $run_print = /\b(echo|print)\s*\(?\s*@?exec\s*\(\s*\$[a-z_][a-z0-9_]*\s*\)/ nocase
        $run_cb1 = /\b(call_user_func(_array)?|array_map|register_shutdown_function)\s*\(\s*\$[a-z_][a-z0-9_]*\s*,/ nocase
        $run_cb2 = /\b(array_walk(_recursive)?|array_filter|usort|uasort|uksort|array_reduce)\s*\(\s*\$[a-z_][a-z0-9_]*\s*,\s*((base64_decode|str_rot13|strrev|urldecode)\s*\(\s*)?\$[a-z_][a-z0-9_]*\s*\)?\s*[,)]/ nocase
        // a variable made an SQL function, which the query then calls on a request value
        $run_cb3 = /->\s*(sqliteCreateFunction|createFunction)\s*\(\s*["'][^"'\n]{1,40}["']\s*,\s*\$[a-z_]/ nocase
        // the client's address and port (findsock), or a header, glued to a command
        // an application's class (CodeIgniter's router calls its route callbacks with
        // call_user_func_array and reads $_GET): a callback there is not the request's
        $class = /(^|\n)\s*(abstract\s+|final\s+)?class\s+[a-z_][a-z0-9_]*(\s+extends\s+[a-z_\\][a-z0-9_\\]*)?\s*\{/ nocase
        $method = /\b(public|protected|private)\s+(static\s+)?function\s+[a-z_]/ nocase
        $glued = /\b(system|exec|shell_exec|passthru|popen|proc_open)\s*\(\s*["'][^"'\n]{0,40}["']\s*\.\s*\$_(GET|POST|REQUEST|COOKIE|SERVER\s*\[\s*["'](REMOTE_ADDR|REMOTE_PORT|QUERY_STRING|HTTP_[A-Z0-9_]+)["']\s*\])/ nocase
        $php = /(<\?(php|=|\s|[$@]|(eval|assert|include|require)\b)|<script\s+language\s*=\s*["']?php)/ nocase
    condition:
        filesize < 2MB and $php and ($direct or $interp or $tick or $header or $input or $input_eval or $glued or
        (filesize < 20KB and $assign and ($run_var or $run_decoded or $run_string or $run_print or
        (($run_cb1 or $run_cb2) and not ($class and $method)) or $run_cb3)))
}

rule jsp_webshell
{
    meta:
        severity = "critical"
        attack = "T1505.003"
        description = "a JSP web shell: a request parameter handed to Runtime.exec or ProcessBuilder"
    strings:
        // nocase: Runtime.getruntime() runs, and the normalised text is in lower case
        $exec = /Runtime\s*\.\s*getRuntime\s*\(\s*\)\s*\.\s*exec\s*\(/ nocase
        $pb = /new\s+ProcessBuilder\s*\(/ nocase
        $param = /request\s*\.\s*(getParameter|getHeader)\s*\(/ nocase
        $jsp = /<%[@!=]?/
    condition:
        filesize < 2MB and $jsp and ($exec or $pb) and $param
}

rule asp_webshell
{
    meta:
        severity = "critical"
        attack = "T1505.003"
        description = "an ASP or ASP.NET web shell: a request value handed to eval, Execute, WScript.Shell or Process.Start"
    strings:
        $eval = /\b(eval|execute|executeglobal)\s*[\( ]\s*request\s*[\(.\[]/ nocase
        // the request value through string functions (StrReverse, Trim...) or inside the code
        // string executed: ExecuteGlobal(StrReverse(Request("b"))), Execute("eval request(""x"")"),
        // as the normaliser writes StrReverse/unescape/Replace of literals
        $eval_wrapped = /(^|[^.a-z0-9_])(eval|execute|executeglobal)\s*[\( ]\s*([a-z]{3,20}\s*\(\s*){1,3}request\s*[\(.\[]/ nocase
        $eval_string = /(^|[^.a-z0-9_])(eval|execute|executeglobal)\s*[\( ]\s*["']\s*(eval|execute|executeglobal)\s*[\( ]\s*request\s*[\(.\[]/ nocase
        $shell = /(WScript\.Shell|cmd(\.exe)?\s*\/c)/ nocase
        $req = /\brequest\s*(\.(form|querystring|item)\s*)?[\(\[]\s*["'][^"']{1,40}["']/ nocase
        $start = /Process\s*\.\s*Start\s*\(|ProcessStartInfo\s*\(/ nocase
        $tag = /<%|runat\s*=\s*["']?server/ nocase
    condition:
        filesize < 2MB and $tag and ($eval or $eval_wrapped or $eval_string or (($shell or $start) and $req))
}

rule asp_server_page_dropper
{
    meta:
        severity = "critical"
        attack = "T1505.003,T1105"
        description = "an ASP page that downloads a file with XMLHTTP and saves it with ADODB.Stream as a server page (.asp, .aspx, .asa, .cer, .cdx, .php, .jsp): it plants a web shell"
    strings:
        $tag = /<%|runat\s*=\s*["']?server/ nocase
        $http = /(XMLHTTP|WinHttpRequest)/ nocase
        $stream = "ADODB.Stream" nocase
        // the saved name is a literal server-script name: a CMS saving remote pictures names
        // them from the picture's URL, never with a literal script extension
        $save = /\.SaveToFile\s*\(?\s*(server\s*\.\s*mappath\s*\(\s*)?["'][^"'\r\n]{0,200}\.(asp|aspx|asa|cer|cdx|php|jsp)["']/ nocase
    condition:
        filesize < 2MB and $tag and $http and $stream and $save
}

rule ssi_exec
{
    meta:
        severity = "high"
        attack = "T1505.003"
        description = "a server-side include that runs a command on the web server (<!--#exec cmd=...-->)"
    strings:
        $exec = /<!--\s*#\s*exec\s+(cmd|cgi)\s*=/ nocase
    condition:
        filesize < 2MB and $exec
}

rule php_file_manager_webshell
{
    meta:
        severity = "high"
        attack = "T1505.003"
        description = "a PHP page that reads, writes or deletes the file a request parameter names, or moves an upload to a path the request gives (a file-manager web shell)"
    strings:
        $file_op = /\b(file_get_contents|readfile|fopen|file|show_source|highlight_file|unlink|file_put_contents|copy|rename)\s*\(\s*@?\s*(urldecode\s*\(\s*)?\$_(GET|POST|REQUEST|COOKIE)\s*\[/ nocase
        $upload = /move_uploaded_file\s*\(\s*\$_FILES\s*\[[^\]]{1,40}\]\s*\[\s*["']tmp_name["']\s*\]/ nocase
        $docroot = /\$_SERVER\s*\[\s*["']DOCUMENT_ROOT["']\s*\][^\n]{0,80}\$_FILES\s*\[/ nocase
        $php = /(<\?(php|=|\s|[$@]|(eval|assert|include|require)\b)|<script\s+language\s*=\s*["']?php)/ nocase
        // a big controller class of an application (phpMyAdmin, Joomla, Moodle...) serves files
        // the request names after its own checks: a file manager shell is a page, not a class
        $controller = /(^|\n)\s*(abstract\s+|final\s+)?class\s+[a-z_][a-z0-9_]*\s+extends\s+[a-z_\\][a-z0-9_\\]*controller\b/ nocase
        $namespace = /(^|\n)\s*namespace\s+[a-z_][a-z0-9_\\]*\s*;/ nocase
    condition:
        filesize < 2MB and $php and ($file_op or ($upload and $docroot)) and
        not (filesize > 24KB and ($controller or $namespace))
}

// A one-line PHP web shell, also as a script writes it (echo "<?php ... \$_REQUEST ... system(\$c)"):
// the request value and the runner on one line.
rule php_oneline_webshell
{
    meta:
        severity = "critical"
        attack = "T1505.003"
        description = "a one-line PHP web shell: a request parameter and a command runner or eval in one line of PHP"
    strings:
        $line = /<\?php[^\n]{0,200}\\?\$_(GET|POST|REQUEST|COOKIE)\s*\[[^\n]{0,200}\b(system|exec|shell_exec|passthru|popen|proc_open|eval|assert)\s*\(/ nocase
        $line2 = /<\?php[^\n]{0,200}\b(system|exec|shell_exec|passthru|popen|proc_open|eval|assert)\s*\([^\n]{0,40}\\?\$_(GET|POST|REQUEST|COOKIE)\s*\[/ nocase
    condition:
        filesize < 4MB and any of them
}

// Request values used as the function to call, or handed to a callback runner
// ($_POST['f']($_POST['a']), array_map($_GET['f'], ...), $f = $_GET['f']; $f(...)).
rule php_request_callable
{
    meta:
        severity = "critical"
        attack = "T1505.003"
        description = "a PHP web shell: a request value called as a function, handed to a callback runner (call_user_func, array_map, usort, register_shutdown_function...) or to a function a variable names, or a function made with create_function that evaluates its argument"
    strings:
        $call = /\$_(GET|POST|REQUEST|COOKIE)\s*\[[^\]\n]{1,40}\]\s*\(/ nocase
        // a function kept in an array element, called on a request value: $a[0]['f']($_POST['x'])
        $element = /\$[a-z_][a-z0-9_]*(\s*\[[^\]\n]{1,40}\])+\s*\(\s*@?\s*([a-z_][a-z0-9_]*\s*\(\s*)?\$_(GET|POST|REQUEST|COOKIE)\s*\[/ nocase
        // no quoted callback before the request value: array_map('escape', $_POST['rows'])
        // maps a fixed function over request data, which is what applications do
        $callback = /\b(call_user_func(_array)?|array_map|array_filter|array_walk|usort|uasort|uksort|register_shutdown_function|register_tick_function|forward_static_call(_array)?|iterator_apply|array_walk_recursive|array_(diff|intersect)_u(key|assoc)|array_u(diff|intersect)(_u?assoc)?)\s*\([^;\n"']{0,80}\$_(GET|POST|REQUEST|COOKIE)\s*\[/ nocase
        // also by a name the normaliser assembled: 'preg_replace'("/x/e", $_POST['h'], ...)
        $preg_e = /preg_replace["']?\s*\(\s*["'](.)[^"'\n]{0,80}\/[a-z]*e[a-z]*["']\s*,[^;\n]{0,80}\$_(GET|POST|REQUEST|COOKIE)/ nocase
        // mb_ereg_replace's 'e' option evaluates the replacement as preg_replace's /e did
        $ereg_e = /\bmb_eregi?_replace\s*\([^;\n]{0,80}\$_(GET|POST|REQUEST|COOKIE)[^;\n]{0,80},\s*["'][a-z]*e[a-z]*["']\s*\)/ nocase
        // a function whose name a variable holds, called on a request value: $_($_POST[1]),
        // ${c}($_POST[4]), $poc($_GET['a']) (not a method or a static call)
        $variable = /(^|[^\w>:$\\])@?\$\{?[a-z_][a-z0-9_]{0,30}\}?\s*\(\s*@?\$_(GET|POST|REQUEST|COOKIE)\s*\[/ nocase
        // a function made with create_function whose body evaluates or runs its argument, or
        // whose body is the request: create_function('$a', 'return assert($a);')
        $created = /create_function\s*\(\s*["'][^"'\n]{0,40}["']\s*,\s*["']\s*(return\s+)?@?\s*(assert|eval|system|passthru|shell_exec|exec|popen|proc_open|pcntl_exec)\s*\(\s*\$/ nocase
        $created_req = /create_function\s*\([^;\n]{0,80}\$_(GET|POST|REQUEST|COOKIE)/ nocase
        $php = /(<\?(php|=|\s|[$@]|(eval|assert|include|require)\b)|<script\s+language\s*=\s*["']?php)/ nocase
    condition:
        filesize < 4MB and $php and
        any of ($call, $element, $callback, $preg_e, $ereg_e, $variable, $created, $created_req)
}

// PHP that runs code it unpacks from a literal (eval(gzinflate(base64_decode('...')))): the
// packing of web shells and injected backdoors.
rule php_packed_eval
{
    meta:
        severity = "high"
        attack = "T1027,T1140,T1505.003"
        description = "PHP that evaluates code it decodes or inflates from a long literal (eval of base64_decode, gzinflate, str_rot13...)"
    strings:
        $eval = /\b(eval|assert)\s*\(\s*@?\s*((gzinflate|gzuncompress|gzdecode|str_rot13|base64_decode|strrev|convert_uudecode|rawurldecode|urldecode|hex2bin)\s*\(\s*@?\s*){1,6}\(*\s*["'$]/ nocase
        $php = /(<\?(php|=|\s|[$@]|(eval|assert|include|require)\b)|<script\s+language\s*=\s*["']?php)/ nocase
    condition:
        filesize < 8MB and $php and $eval and encoded_b64 >= 256
}

// The toolkit of a PHP file-manager and command shell: server fingerprint, disabled
// functions, free space, owner names, uploads and a command runner, in one page.
rule php_webshell_toolkit
{
    meta:
        severity = "high"
        attack = "T1505.003"
        description = "a PHP page with the toolkit of a web shell: server fingerprint, disabled functions, disk space, file owners and permissions, uploads and a command runner"
    strings:
        $t1 = /\bphp_uname\s*\(/ nocase
        $t2 = /\bposix_getpwuid\s*\(/ nocase
        $t3 = /\bdisk_(free|total)_space\s*\(/ nocase
        $t4 = /ini_get\s*\(\s*["'](disable_functions|safe_mode|open_basedir)["']/ nocase
        $t5 = /\bfileperms\s*\(/ nocase
        $t6 = /\bmove_uploaded_file\s*\(/ nocase
        $t7 = /\bgetmyuid\s*\(|\bget_current_user\s*\(/ nocase
        $run = /\b(system|shell_exec|passthru|proc_open|popen|exec)\s*\(\s*\$/ nocase
        $req = /\$_(GET|POST|REQUEST|COOKIE)\s*\[/ nocase
        // a page that quotes its commands' arguments builds its own commands (a file
        // manager's `file -bi` or `stat`): a shell runs the command it is given, spliced in
        // where a command goes (' && ' . $cmd), even when it quotes the echo of it
        $quoted = /\bescapeshellarg\s*\(/ nocase
        $spliced = /(&&|\|\||;)\s*["']\s*\.\s*\$[a-z_]/ nocase
        $php = /(<\?(php|=|\s|[$@]|(eval|assert|include|require)\b)|<script\s+language\s*=\s*["']?php)/ nocase
    condition:
        filesize < 8MB and $php and $run and $req and 4 of ($t*) and (not $quoted or $spliced)
}

// ASP.NET and JSP pages that decrypt the request body and load what it holds as code
// (Behinder, Godzilla, AntSword's encrypted shells).
rule webshell_encrypted_loader
{
    meta:
        severity = "critical"
        attack = "T1505.003,T1620"
        description = "a JSP or ASP.NET page that decrypts the request body and loads it as a class or an assembly"
    strings:
        $jsp = /<%[@!=]?/
        $define = /\bdefineClass\s*\(|Assembly\s*\.\s*Load\s*\(/
        $cipher = /Cipher\s*\.\s*getInstance\s*\(|RijndaelManaged|AesManaged|CreateDecryptor\s*\(/
        $body = /request\s*\.\s*(getReader|getInputStream|BinaryRead|InputStream|Form|getParameter)\b/ nocase
    condition:
        filesize < 2MB and $jsp and $define and $cipher and $body
}

// A JSP or ASP page that runs a command built from what the request carries, through a
// variable (cmd = request.getParameter("c"); Runtime.getRuntime().exec(cmd)).
rule server_page_command_runner
{
    meta:
        severity = "critical"
        attack = "T1505.003"
        description = "a JSP, ASP or ColdFusion page that reads a request value and runs a command (Runtime.exec, ProcessBuilder, WScript.Shell, cfexecute)"
    strings:
        // a server tag (<%, <%@, <%=, <%Response...), not a format string's "<%s" or "<%(name)s"
        $tag = /<%([^a-zA-Z(]|[a-zA-Z][a-zA-Z0-9_])|<cf[a-z]|<jsp:(root|scriptlet|declaration|expression)\b/ nocase
        $jreq = /request\s*\.\s*getParameter\s*\(/
        $jexec = /\.\s*exec\s*\(|new\s+ProcessBuilder\s*\(/
        $runtime = /Runtime\s*\.\s*getRuntime\s*\(\s*\)|getRuntime\b/
        $areq = /\brequest\s*(\.\s*(form|querystring|item)\s*)?[\(\[]/ nocase
        // the shell object and a call of it: a page's own JavaScript calls RegExp .exec() too
        $ashell = /(wscript\.shell|shell\.application)["'][^\n]{0,200}/ nocase
        $arun = /\.\s*(exec|run|shellexecute)\s*\(/ nocase
        $cfexec = /<cfexecute\b[^>]{0,200}(#\s*(url|form)\.|arguments\s*=\s*["']?#)/ nocase
    condition:
        filesize < 2MB and $tag and (($jreq and $runtime and $jexec) or ($areq and $ashell and $arun) or $cfexec)
}

// The runner's name kept in a variable ($a = 'assert'; $a($_POST['x'])), so that no call of
// eval or system is written.
rule php_variable_runner
{
    meta:
        severity = "critical"
        attack = "T1505.003"
        description = "a PHP web shell that stores a runner's name (assert, eval, system...) in a variable and calls the variable with a request value"
    strings:
        $name = /\$[a-z_][a-z0-9_]*\s*=\s*["'](assert|system|exec|shell_exec|passthru|popen|proc_open|create_function|pcntl_exec)["']\s*;/ nocase
        $call = /\$[a-z_][a-z0-9_]*\s*\(\s*@?\s*(base64_decode\s*\(\s*|str_rot13\s*\(\s*|gzinflate\s*\(\s*)*\$_(GET|POST|REQUEST|COOKIE)\s*\[/ nocase
        // ...or on a command line held in a variable: $fe("$cmd 2>&1")
        $call_cmd = /\$[a-z_][a-z0-9_]*\s*\(\s*["'][^"'\n]{0,40}\$[a-z_][a-z0-9_]*[^"'\n]{0,20}2>&1/ nocase
        // ...or, in a small page that reads the request, any call of a variable: the name
        // held where the call reassigns it ($f = 'create_function'; $f = $f('', $code); $f())
        $var_call = /(^|[^a-z0-9_>:$])@?\$[a-z_][a-z0-9_]*\s*\(/ nocase
        $req = /\$_(GET|POST|REQUEST|COOKIE)\s*\[/ nocase
        $php = /(<\?(php|=|\s|[$@]|(eval|assert|include|require)\b)|<script\s+language\s*=\s*["']?php)/ nocase
    condition:
        filesize < 4MB and $php and $name and ($call or $call_cmd or
        (filesize < 16KB and $req and $var_call))
}

// A JSP page that writes a file whose name or content the request gives (an upload shell).
rule jsp_file_writer
{
    meta:
        severity = "high"
        attack = "T1505.003"
        description = "a JSP page that writes a file named by a request parameter (FileOutputStream or FileWriter of request.getParameter)"
    strings:
        $jsp = /<%[@!=]?/
        $write = /new\s+(java\.io\.)?(FileOutputStream|FileWriter|RandomAccessFile)\s*\(\s*(new\s+File\s*\(\s*)?request\s*\.\s*getParameter\s*\(/
        $write2 = /new\s+(java\.io\.)?(FileOutputStream|FileWriter|RandomAccessFile)\s*\(\s*(application\s*\.\s*getRealPath\s*\(\s*)?[^;\n]{0,80}request\s*\.\s*getParameter\s*\(/
    condition:
        filesize < 2MB and $jsp and ($write or $write2)
}

// A PHP page that is a command console: an HTML form to type into and a command runner fed
// from a variable (system($cmd), `$cmd`), wherever the variable comes from ($_POST, the old
// $HTTP_POST_VARS, or register_globals, where a form field is a variable by itself). Mailers
// that pipe to sendmail with popen have no form; pages with forms run no command.
rule php_form_command_console
{
    meta:
        severity = "high"
        attack = "T1505.003"
        description = "a PHP page with an HTML form and a command runner fed from a variable (system, shell_exec, passthru, exec, proc_open or backticks)"
    strings:
        // system($cmd), system('cd ' . $dir), system("$cmd 2>&1")
        $run = /\b(system|shell_exec|passthru|exec|proc_open)\s*\(\s*(["'][^"'\n]{0,40}["']\s*\.\s*|"[^"$\n]{0,40})?\$[a-z_]/ nocase
        $tick = /=\s*`[^`\n]{0,40}\$[a-z_][^`\n]{0,80}`\s*;/ nocase
        // a pipe read from a command in a variable; a mailer writes to sendmail ('w')
        $pipe = /\bpopen\s*\(\s*(["'][^"'\n]{0,40}["']\s*\.\s*)?\$[a-z_][^;\n]{0,80},\s*["']r/ nocase
        $form = /<form\b/ nocase
        $input = /<(input|textarea)\b/ nocase
        // as in php_webshell_toolkit: arguments quoted with escapeshellarg are the page's own,
        // unless a variable is spliced in where a command goes
        $quoted = /\bescapeshellarg\s*\(/ nocase
        $spliced = /(&&|\|\||;)\s*["']\s*\.\s*\$[a-z_]/ nocase
        $php = /(<\?(php|=|\s|[$@]|(eval|assert|include|require)\b)|<script\s+language\s*=\s*["']?php)/ nocase
    condition:
        filesize < 4MB and $php and ($run or $tick or $pipe) and $form and $input and
        (not $quoted or $spliced)
}

// An ASP, ASP.NET or JSP file manager: a request value handed straight to a file operation
// (delete, copy, move, send the file, open it for writing), the other half of web shells.
rule server_page_file_manager
{
    meta:
        severity = "high"
        attack = "T1505.003"
        description = "an ASP, ASP.NET or JSP page that deletes, copies, moves, writes or sends the file that a request value names (a file-manager web shell)"
    strings:
        $tag = /<%([^a-zA-Z(]|[a-zA-Z][a-zA-Z0-9_])/
        $asp = /\b(File\s*\.\s*(Delete|Copy|Move|WriteAllText|WriteAllBytes|OpenWrite)|Directory\s*\.\s*Delete|Response\s*\.\s*(WriteFile|TransmitFile)|\.(DeleteFile|DeleteFolder|CopyFile|CopyFolder|MoveFile|MoveFolder|CreateTextFile|OpenTextFile))\s*\(?\s*Request\s*(\.\s*(QueryString|Form|Item)\s*)?[\(\[]/ nocase
        $jsp = /new\s+(File|FileInputStream|FileOutputStream|FileWriter|FileReader|RandomAccessFile)\s*\(\s*request\s*\.\s*getParameter\s*\(/
        // an uploaded file saved to the path a request value gives: Request.Files(0).SaveAs(Server.MapPath(Request("f")))
        $saveas = /\.\s*SaveAs\s*\(\s*(Server\s*\.\s*MapPath\s*\(\s*)?Request\s*(\.\s*(QueryString|Form|Item|Params)\s*)?[\(\[]/ nocase
    condition:
        filesize < 2MB and $tag and ($asp or $jsp or $saveas)
}

// PHP that hides the code it evaluates in escape sequences or behind a function name kept in
// escapes: eval("\x65\x76\x61\x6c..."), preg_replace("/.*/e", "\x65..."), or
// $f = "\x62\x61\163..."; eval($f(...)). An application has no reason to write the code it
// runs in character escapes; packers of web shells and injected backdoors do.
rule php_escaped_code_eval
{
    meta:
        severity = "high"
        attack = "T1027,T1140,T1505.003"
        description = "PHP that evaluates code written in character escapes, or code a function returns whose name is kept in escapes"
    strings:
        $eval_lit = /\b(eval|assert)\s*\(\s*"(\\x[0-9a-f]{2}|\\[0-7]{2,3}){16}/ nocase
        $preg_e = /preg_replace\s*\(\s*["'][^"'\n]{1,40}\/[a-z]*e[a-z]*["']\s*,\s*["'](\\x[0-9a-f]{2}|\\[0-7]{2,3}|[^"'\n]{0,20}\b(eval|base64_decode|gzinflate|str_rot13)\b)/ nocase
        $name = /\$[a-z_][a-z0-9_]*\s*=\s*["']([a-z0-9_]{0,4}(\\x[0-9a-f]{2}|\\[0-7]{2,3})){4}/ nocase
        $eval_call = /\b(eval|assert)\s*\(\s*\$[a-z_][a-z0-9_]*\s*\(/ nocase
        $php = /(<\?(php|=|\s|[$@]|(eval|assert|include|require)\b)|<script\s+language\s*=\s*["']?php)/ nocase
    condition:
        filesize < 8MB and $php and ($eval_lit or $preg_e or ($name and $eval_call))
}

// The Perl CGI form of a command console: a CGI script (CGI.pm's param, or QUERY_STRING read by
// hand) with an HTML form, that runs a command held in a variable (backticks, qx, system,
// exec, or a pipe opened on it).
rule perl_cgi_command_console
{
    meta:
        severity = "high"
        attack = "T1505.003"
        description = "a Perl CGI page with an HTML form that runs a command held in a variable (backticks, qx, system, or open of a pipe)"
    strings:
        $cgi1 = /\buse\s+CGI\b/
        $cgi2 = /\$ENV\s*\{\s*["']?(QUERY_STRING|REQUEST_METHOD|CONTENT_LENGTH)/
        $run1 = /`[^`\n]{0,40}\$[a-z_][^`\n]{0,80}`/ nocase
        $run2 = /\b(system|exec)\s*\(?\s*\$[a-z_]/ nocase
        $run3 = /\bqx\s*[({\/|][^\n]{0,40}\$[a-z_]/ nocase
        // the handle also quoted or lexical: open("COMH", "$command |"), open(my $fh, ...)
        $run4 = /\bopen\s*\(?\s*(["']?[A-Z_]+["']?|my\s+\$[a-z_][a-z0-9_]*)\s*,\s*["'][^"'\n]{0,40}\$[a-z_][^"'\n]{0,80}\|\s*["']/ nocase
        // also CGI.pm's start_form
        $form = /<form\b|\bstart_form\b/ nocase
        $input = /<(input|textarea)\b/ nocase
    condition:
        file_type != "document" and filesize < 2MB and any of ($cgi*) and any of ($run*) and
        $form and $input
}

// PHP that turns every request value into a variable of its own (register_globals by hand:
// foreach ($_POST as $k => $v) $$k = $v; extract($_POST)) and then calls a variable as a
// function: the function to run and its argument are both the request's.
rule php_request_variables_call
{
    meta:
        severity = "critical"
        attack = "T1505.003"
        description = "a small PHP page that makes request values into variables ($$key = value, extract) and calls a variable as a function"
    strings:
        $each = /foreach\s*\(\s*array\s*\(\s*["']_(POST|GET|REQUEST|COOKIE)["']/ nocase
        $vv = /\$(\$[a-z_][a-z0-9_]*|\{[^}\n]{1,40}\})\s*=\s*\$[a-z_][a-z0-9_]*\s*;/ nocase
        $extract = /\bextract\s*\(\s*\$_(POST|GET|REQUEST|COOKIE)\b/ nocase
        $old = /\$\$[a-z_][a-z0-9_]*\s*=\s*\$HTTP_(POST|GET)_VARS\s*\[/ nocase
        // $a($b), $para($_value), or a class whose constructor does it, made by reflection
        $varcall = /(^|[^a-z0-9_>:$])\$[a-z_][a-z0-9_]*\s*\(\s*\$[a-z_][a-z0-9_]*\s*\)\s*;/ nocase
        $php = /(<\?(php|=|\s|[$@]|(eval|assert|include|require)\b)|<script\s+language\s*=\s*["']?php)/ nocase
    condition:
        filesize < 8KB and $php and (($each and $vv) or $extract or $old) and $varcall
}

// PHP that decrypts the request body with a key (a XOR loop) and evaluates code, keeping it in
// the session between requests: the PHP form of Godzilla's and Behinder's encrypted shells.
rule php_encrypted_request_eval
{
    meta:
        severity = "critical"
        attack = "T1505.003,T1140"
        description = "a PHP page that XOR-decrypts a request value and evaluates code kept in the session (an encrypted web shell)"
    strings:
        $xor = /\$[a-z_][a-z0-9_]*\s*\[\s*\$[a-z_][a-z0-9_]*\s*\]\s*=\s*\$[a-z_][a-z0-9_]*\s*\[\s*\$[a-z_][a-z0-9_]*\s*\]\s*\^\s*\$[a-z_][a-z0-9_]*/ nocase
        $req = /\$_(POST|REQUEST|COOKIE|GET)\s*\[/ nocase
        $session = /\$_SESSION\s*\[[^\]\n]{1,40}\]\s*=/ nocase
        $eval = /\b(eval|assert)\s*\(\s*\$[a-z_]/ nocase
        $php = /(<\?(php|=|\s|[$@]|(eval|assert|include|require)\b)|<script\s+language\s*=\s*["']?php)/ nocase
    condition:
        filesize < 16KB and $php and $xor and $req and $session and $eval
}

// A function name and the code it gets both decoded at run time from hex literals by a
// function of the page: $_ = dec('6A76...'); $_(dec('6776...')). No name of a runner is written.
rule php_decoded_name_call
{
    meta:
        severity = "high"
        attack = "T1027,T1140,T1505.003"
        description = "PHP that calls a variable holding a function name decoded from a hex literal, on code decoded the same way"
    strings:
        $name = /\$[a-z_][a-z0-9_]*\s*=\s*[a-z_][a-z0-9_]*\s*\(\s*["'][0-9a-f]{6,40}["']/ nocase
        $call = /@?\$[a-z_][a-z0-9_]*\s*\(\s*[a-z_][a-z0-9_]*\s*\(\s*["'][0-9a-f]{24,}["']/ nocase
        $php = /(<\?(php|=|\s|[$@]|(eval|assert|include|require)\b)|<script\s+language\s*=\s*["']?php)/ nocase
    condition:
        filesize < 64KB and $php and $name and $call
}

// PHP written without letters or digits: variables named only with underscores, strings made
// from the XOR of error texts, and one of them called with another as its argument.
rule php_non_alphanumeric_call
{
    meta:
        severity = "high"
        attack = "T1027,T1505.003"
        description = "PHP code without letters (variables named with underscores only) that calls one of its computed values as a function"
    strings:
        $under = /\$_{2,}[^a-z0-9_]/ nocase
        $call = /\$_+\s*\[[^\]\n]{1,30}\]\s*\(\s*\$_+\s*\[/
        $php = /(<\?(php|=|\s|[$@]|(eval|assert|include|require)\b)|<script\s+language\s*=\s*["']?php)/ nocase
    condition:
        filesize < 64KB and $php and $call and #under >= 16
}

// The names of the functions a file manager calls, kept as hex in strings ("66696c655f7075745f
// 636f6e74656e7473" is file_put_contents) and decoded before the call: no application hides
// which functions it calls.
rule php_hex_function_names
{
    meta:
        severity = "high"
        attack = "T1027,T1505.003"
        description = "a PHP page that keeps the names of file, upload or command functions hex-encoded in strings and calls them by the decoded name"
    strings:
        $h1 = /["']66696c655f7075745f636f6e74656e7473["']/ nocase
        $h2 = /["']6d6f76655f75706c6f616465645f66696c65["']/ nocase
        $h3 = /["']7368656c6c5f65786563["']/ nocase
        $h4 = /["']7061737374687275["']/ nocase
        $h5 = /["']70726f635f6f70656e["']/ nocase
        $h6 = /["']7068705f756e616d65["']/ nocase
        $h7 = /["']66696c655f6765745f636f6e74656e7473["']/ nocase
        $h8 = /["']73797374656d["']/ nocase
        $h9 = /["']6261736536345f6465636f6465["']/ nocase
        $h10 = /["']636f7079["']/ nocase
        $h11 = /["']72656e616d65["']/ nocase
        $req = /\$_(GET|POST|REQUEST|COOKIE|FILES)\s*\[/ nocase
        $php = /(<\?(php|=|\s|[$@]|(eval|assert|include|require)\b)|<script\s+language\s*=\s*["']?php)/ nocase
    condition:
        filesize < 2MB and $php and $req and 3 of ($h*)
}

// An uploaded file moved to a server script name (.php, .asp, .jsp): a page that lets anyone
// plant code on the server.
rule php_upload_as_script
{
    meta:
        severity = "high"
        attack = "T1505.003,T1105"
        description = "a PHP page that moves an uploaded file to a fixed name with a server script extension (.php, .asp, .jsp)"
    strings:
        $move = /move_uploaded_file\s*\(\s*[^,;\n]{1,80},\s*["'][^"'\n$]{0,80}\.(php[3-7]?|phtml|asp|aspx|jsp)["']\s*\)/ nocase
        $php = /(<\?(php|=|\s|[$@]|(eval|assert|include|require)\b)|<script\s+language\s*=\s*["']?php)/ nocase
    condition:
        filesize < 2MB and $php and $move
}

// A small page that lists the directory or shows the file a request value names: a file
// browser over the whole server (PHP_KIT's list.php and its kind).
rule php_request_path_browser
{
    meta:
        severity = "high"
        attack = "T1505.003,T1083"
        description = "a small PHP page that copies a request value into a variable and opens that path as a directory to list or a file to show"
    strings:
        $assign = /\$[a-z_][a-z0-9_]*\s*=\s*@?\s*\$_(GET|POST|REQUEST)\s*\[/ nocase
        $dir = /\bopendir\s*\(\s*\$[a-z_][a-z0-9_]*\s*\)/ nocase
        $file = /\b(fopen|readfile|file_get_contents|highlight_file|show_source)\s*\(\s*\$[a-z_][a-z0-9_]*\s*[,)]/ nocase
        $php = /(<\?(php|=|\s|[$@]|(eval|assert|include|require)\b)|<script\s+language\s*=\s*["']?php)/ nocase
    condition:
        filesize < 8KB and $php and $assign and $dir and $file
}

// A JSP page that writes a file whose path a request parameter gives through a variable
// (String path = request.getParameter("path"); new PrintWriter(new File(path))), or that parses
// a multipart body by hand and writes what it carries: the upload half of JSP web shells.
rule jsp_request_file_writer
{
    meta:
        severity = "high"
        attack = "T1505.003,T1105"
        description = "a small JSP page that writes to a file whose path a request parameter gives, or that parses an upload itself and writes it to disk"
    strings:
        $jsp = /<%[@!=]?/
        $param = /String\s+[a-z_][a-z0-9_]*\s*=\s*request\s*\.\s*getParameter\s*\(/ nocase
        $file_var = /new\s+(java\.io\.)?File\s*\(\s*[a-z_][a-z0-9_]*\s*\)/ nocase
        $raw = /request\s*\.\s*getInputStream\s*\(\s*\)/
        $form = /<input[^>\n]{0,40}type\s*=\s*["']?file/ nocase
        $writer = /new\s+(java\.io\.)?(PrintWriter|FileOutputStream|FileWriter|RandomAccessFile)\s*\(/
    condition:
        filesize < 32KB and $jsp and $writer and (($param and $file_var) or ($raw and $form))
}

// An ASP.NET page that starts the program and arguments typed into its own text boxes
// (new ProcessStartInfo(xpath.Text); .Arguments = xcmd.Text): a command console.
rule aspnet_control_process
{
    meta:
        severity = "critical"
        attack = "T1505.003"
        description = "an ASP.NET page that starts a process whose program or arguments come from its form controls (.Text)"
    strings:
        $psi = /ProcessStartInfo\s*\(\s*[a-z_][a-z0-9_]*\s*\.\s*text\b/ nocase
        $args = /\.\s*(Arguments|FileName)\s*=\s*[a-z_][a-z0-9_]*\s*\.\s*text\b/ nocase
        $start = /\.\s*Start\s*\(/ nocase
        $server = /runat\s*=\s*["']?server/ nocase
    condition:
        filesize < 2MB and $server and $start and ($psi or $args)
}

// A JScript.NET page (Language=JScript) whose code is assembled from one-letter string
// fragments and evaluated: eval("e"+"v"+"a"+"l"+"("+"R"+"e"+"q"...), the "unsafe" eval of the
// request that China Chopper's ASP.NET server uses, hidden letter by letter.
rule aspnet_jscript_fragment_eval
{
    meta:
        severity = "high"
        attack = "T1027,T1505.003"
        description = "a JScript.NET page that evaluates code it assembles from one-letter string fragments"
    strings:
        $page = /<%@\s*Page\s+Language\s*=\s*["']?jscript/ nocase
        $eval = /\beval\s*\(/ nocase
        $frag = "\"+\""
    condition:
        filesize < 2MB and $page and $eval and #frag >= 12
}

// A runner called by a literal name ('assert'($x), array_map('assert', $_POST['x'])): how the
// normaliser writes PHP that builds the name from pieces, chr(), XOR of strings or a decoder,
// or keeps it in a variable ($a = 'as'.'sert'; $a(...)). Applications call assert and system
// by their names, and hand callback runners their own functions.
rule php_runner_by_literal_name
{
    meta:
        severity = "critical"
        attack = "T1505.003"
        description = "a PHP page that calls a command runner or eval-like function (assert, system, exec...) through a string holding its name, with request input in the page"
    strings:
        // not a method named by a variable ($this->$m(...) with $m = 'assert' is PHPUnit's)
        $direct = /(^|[^a-z0-9_>:])["'](assert|system|exec|shell_exec|passthru|popen|proc_open|pcntl_exec|create_function)["']\s*\(/ nocase
        // the runner as the callback: first argument of call_user_func, array_map, the
        // register_* and ob_start; second of array_filter, array_walk, usort and their kind
        $first = /\b(call_user_func(_array)?|array_map|register_shutdown_function|register_tick_function|forward_static_call(_array)?|ob_start)\s*\(\s*["'](assert|system|exec|shell_exec|passthru|popen|proc_open|pcntl_exec|create_function)["']/ nocase
        $second = /\b(array_filter|array_walk(_recursive)?|usort|uasort|uksort|array_reduce|iterator_apply|array_(diff|intersect)_u(key|assoc)|array_u(diff|intersect)(_u?assoc)?)\s*\([^,;()]{1,80}(\([^;()]{0,40}\)[^,;()]{0,20})?,\s*["'](assert|system|exec|shell_exec|passthru|popen|proc_open|pcntl_exec|create_function)["']/ nocase
        // ArrayObject's sorts and filter_var's FILTER_CALLBACK take the callback too
        $method = /->\s*u[ak]?sort\s*\(\s*["'](assert|system|exec|shell_exec|passthru|popen|proc_open|pcntl_exec|create_function)["']/ nocase
        $option = /["']options["']\s*=>\s*["'](assert|system|exec|shell_exec|passthru|popen|proc_open|pcntl_exec|create_function)["']/ nocase
        $req = /\$_(GET|POST|REQUEST|COOKIE|SERVER|FILES)\b|\bgetallheaders\s*\(|php:\/\/input|\$HTTP_RAW_POST_DATA/ nocase
        $php = /(<\?(php|=|\s|[$@]|(eval|assert|include|require)\b)|<script\s+language\s*=\s*["']?php)/ nocase
    condition:
        filesize < 4MB and $php and $req and ($direct or $first or $second or $method or $option)
}

// A JSP page that reads the request and reaches a process or code by a route no page needs:
// reflection on the process classes (Class.forName("java.lang.ProcessImpl"), getMethod("exec"),
// java.beans.Expression(Runtime, "exec")), a script engine's eval, BCEL or TemplatesImpl
// bytecode, or a class defined at run time: how JSP web shells avoid writing Runtime.exec.
rule jsp_indirect_runner
{
    meta:
        severity = "critical"
        attack = "T1505.003"
        description = "a JSP page that reads the request and runs a command or code through reflection on the process classes, a script engine, BCEL or TemplatesImpl bytecode, or defineClass"
    strings:
        $tag = /<%|<jsp:(root|scriptlet|declaration|expression|setProperty)\b/
        $req = /request\s*\.\s*(getParameter|getInputStream|getReader|getHeader)\s*\(/
        // nocase: the normaliser joins "e"+"x"+"e"+"c" in lower-case text
        $forname = /forName\s*\(\s*"java\.lang\.(Runtime|ProcessImpl|UNIXProcess|ProcessBuilder)"/ nocase
        $method = /get(Declared)?Method\s*\(\s*"(exec|start|forkAndExec|installClass|defineClass)"/ nocase
        $expression = /new\s+(java\.beans\.)?(Expression|Statement)\s*\([^;]{0,80}"(exec|start)"/ nocase
        // the class or method name kept as bytes: forName(new String(new byte[]{106, 97, ...}))
        $hidden = /(forName|get(Declared)?Method)\s*\(\s*new\s+String\s*\(\s*new\s+byte\s*\[\s*\]\s*\{\s*\d/
        // a class loaded from a URL and made with a request value
        $urlloader = /new\s+(java\.net\.)?URLClassLoader\s*\([^;]{0,200}\.\s*loadClass\s*\(/
        $engine = /getEngineBy(Name|Extension|MimeType)\s*\(/
        $eval = /\.\s*eval\s*\(/
        $bcel = "$$BCEL$$"
        $templates = /\bTemplatesImpl\b/
        $define = /\bdefineClass\s*\(/
    condition:
        filesize < 2MB and $tag and $req and ($forname or $method or $expression or ($engine and $eval) or
        $bcel or $templates or $define or $hidden or $urlloader)
}

// The ASP one-liner through variables: x1 = request("pass"): x2 = x1: eval x2. A small page that
// copies a request value into a variable and evaluates or executes a variable (not a method of
// an object: conn.Execute(sql) runs SQL).
rule asp_request_variable_eval
{
    meta:
        severity = "critical"
        attack = "T1505.003"
        description = "a small ASP page that copies a request value into a variable and evaluates or executes a variable (eval, Execute, ExecuteGlobal)"
    strings:
        $tag = /<%|runat\s*=\s*["']?server/ nocase
        // also the raw body: content = Request.BinaryRead(size), decrypted and executed
        $assign = /(^|[\s:;%])[a-z_][a-z0-9_]*\s*=\s*(trim\s*\(\s*)?request\s*(\.\s*(form|querystring|item|binaryread)\s*)?[\(\[]/ nocase
        // the runner's name whole: a call of a procedure ExecuteSql is not Execute Sql
        $run = /(^|[\s:;%>])(eval|execute|executeglobal)(\s*\(\s*|\s+)[a-z_][a-z0-9_]*\s*\)?\s*(\r?\n|:|;|%>|')/ nocase
    condition:
        filesize < 20KB and $tag and $assign and $run
}

// Code evaluated through a name the page assembles: after the normaliser, 'create_function'(...)
// or 'assert'(...) called as a literal. Nobody writes that call that way; packers of web shells
// make it from str_replace junk, XOR or pieces, and the request is read inside the packed code.
rule php_assembled_evaluator_call
{
    meta:
        severity = "high"
        attack = "T1027,T1505.003"
        description = "PHP that calls assert or create_function through a name it assembles (junk removed by str_replace, XOR of strings, pieces joined)"
    strings:
        $call = /(^|[^a-z0-9_>:])["'](assert|create_function)["']\s*\(/ nocase
        $php = /(<\?(php|=|\s|[$@]|(eval|assert|include|require)\b)|<script\s+language\s*=\s*["']?php)/ nocase
    condition:
        filesize < 4MB and $php and $call
}

// ASP's other routes from the request to eval: the value parked in the session and executed
// from there (Session("k") = Request("p") ... Execute(Session("k"))), eval asked for by name
// (eval("request")("p")), or JScript's eval kept in an object or returned by a function and
// called on a request value ({'E': eval}; o.E(Request.Form('z'))). No page needs eval as a value.
rule asp_request_eval_indirect
{
    meta:
        severity = "critical"
        attack = "T1505.003"
        description = "an ASP page that evaluates a request value through the session, through eval(\"request\") or through eval kept as a value"
    strings:
        $tag = /<%|runat\s*=\s*["']?server/ nocase
        $req = /\brequest\s*(\.\s*(form|querystring|item)\s*)?[\(\[]/ nocase
        $session_set = /\bsession\s*\(\s*["'][^"'\n]{1,40}["']\s*\)\s*=\s*request\s*(\.\s*(form|querystring|item)\s*)?[\(\[]/ nocase
        $session_run = /(^|[^.a-z0-9_])(eval|execute|executeglobal)\s*[\( ]\s*session\s*\(/ nocase
        $by_name = /\beval\s*\(\s*["']request["']\s*\)\s*\(/ nocase
        $value = /([{,]\s*["']?[a-z_][a-z0-9_]{0,20}["']?\s*:|\breturn)\s*eval\s*[},;\n]/ nocase
    condition:
        filesize < 64KB and $tag and (($session_set and $session_run) or $by_name or ($req and $value))
}

// The ASP upload half: a small page that writes what the request carries into a file whose
// path the request gives, or into a server script (.asp, .asa, .cer...): the "small horse" that
// plants the big one. FileSystemObject's CreateTextFile/OpenTextFile or ADODB.Stream's
// SaveToFile, with Write/WriteText of a request value.
rule asp_request_file_writer
{
    meta:
        severity = "high"
        attack = "T1505.003,T1105"
        description = "a small ASP page that writes a request value into a file named by the request or into a server script (CreateTextFile, OpenTextFile, ADODB.Stream SaveToFile)"
    strings:
        $tag = /<%|runat\s*=\s*["']?server/ nocase
        $assign = /(^|[\s:;])[a-z_][a-z0-9_]*\s*=\s*(trim\s*\(\s*)?request\s*(\.\s*(form|querystring|item)\s*)?[\(\[]/ nocase
        $write_req = /\.\s*(write|writeline|writetext)\s*[\( ]\s*(""\s*&\s*)?request\s*(\.\s*(form|querystring|item)\s*)?[\(\[]/ nocase
        $write_var = /\.\s*(write|writeline|writetext)\s*[\( ]\s*(""\s*&\s*)?[a-z_][a-z0-9_]*\s*(&\s*""\s*)?\)?\s*(\r?\n|:|%>)/ nocase
        $to_script = /\b(CreateTextFile|OpenTextFile|SaveToFile)\s*[\( ]\s*(server\s*\.\s*mappath\s*\(\s*)?["'][^"'\n]{0,60}\.(asp|aspx|asa|cer|cdx|ashx|php|jsp)["']/ nocase
        $to_req = /\b(CreateTextFile|OpenTextFile|SaveToFile)\s*[\( ]\s*(server\s*\.\s*mappath\s*\(\s*)?request\s*(\.\s*(form|querystring|item)\s*)?[\(\[]/ nocase
    condition:
        // a path in a variable is not enough: static-page generators write request data to
        // a file they name themselves
        // and a configuration editor writes request values into its own config.asp, built up
        // in a variable: a variable written to a fixed script is not enough either
        filesize < 8KB and $tag and
        (($write_req and ($to_script or $to_req)) or ($assign and $write_var and $to_req))
}

// The Python CGI form of a command console: the request read through cgi.FieldStorage or
// QUERY_STRING, and a command runner (os.popen, os.system, subprocess) handed a variable.
rule python_cgi_command_runner
{
    meta:
        severity = "high"
        attack = "T1505.003,T1059.006"
        description = "a Python CGI script that reads the request (cgi.FieldStorage, QUERY_STRING) and runs a command held in a variable (os.popen, os.system, subprocess)"
    strings:
        $cgi = /\bcgi\s*\.\s*FieldStorage\s*\(|\bos\s*\.\s*(environ\s*\[|getenv\s*\(|environ\s*\.\s*get\s*\()\s*["']QUERY_STRING["']/
        $run = /\b(os\s*\.\s*(popen|system)|subprocess\s*\.\s*(Popen|call|check_output|run|getoutput|getstatusoutput)|commands\s*\.\s*getoutput)\s*\(\s*[a-z_][a-z0-9_.]*\s*[,)]/
    condition:
        file_type != "document" and filesize < 1MB and $cgi and $run
}

// JScript.NET's eval with the "unsafe" option, which lets the code do anything the server
// may: China Chopper's ASP.NET server (eval(Request.Item["p"], "unsafe")), also with the
// option assembled from pieces or escapes, which the normaliser joins. No page needs it.
rule aspnet_jscript_unsafe_eval
{
    meta:
        severity = "critical"
        attack = "T1505.003"
        description = "an ASP.NET JScript page or handler that evaluates code with eval(..., \"unsafe\")"
    strings:
        $tag = /<%|runat\s*=\s*["']?server/ nocase
        $eval = /\beval\s*\(\s*[^,;\n]{1,120},\s*["']unsafe["']\s*\)/ nocase
        // "unsafe" in pieces over lines: eval\n(pay,"unsa"+\n"fe")
        $eval_split = /\beval\s*\(\s*[^,;]{1,120},\s*["'][unsafe]{1,5}["'](\s*\+\s*["'][unsafe]{1,5}["']){1,5}\s*\)/ nocase
    condition:
        filesize < 2MB and $tag and ($eval or $eval_split)
}

// An ASP.NET page that starts a process on what the request carries: the arguments or the
// program taken from Request (si.StartInfo.Arguments = "/c " + Request.Headers["x"]), or a
// shell (cmd.exe, powershell) started with "/c " and a variable in a page that reads the request.
rule aspnet_request_process
{
    meta:
        severity = "critical"
        attack = "T1505.003"
        description = "an ASP.NET page that starts a process (cmd.exe, ProcessStartInfo) with arguments taken from the request"
    strings:
        $tag = /<%|runat\s*=\s*["']?server/ nocase
        $args_req = /\.\s*(Arguments|FileName)\s*=\s*[^;\n]{0,80}\bRequest\s*(\.\s*(Headers|QueryString|Form|Item|Params)\s*)?[\[(]/ nocase
        $psi_req = /\b(ProcessStartInfo|Process\s*\.\s*Start)\s*\([^;\n]{0,80}\bRequest\s*(\.\s*(Headers|QueryString|Form|Item|Params)\s*)?[\[(]/ nocase
        $shell = /\.\s*FileName\s*=\s*@?["'][^"'\n]{0,40}(cmd|powershell)(\.exe)?["']/ nocase
        $slash_c = /\.\s*Arguments\s*=\s*@?["']\s*\/[ck]\s*["']\s*\+\s*[a-z_]/ nocase
        $req = /\bRequest\s*(\.\s*(Headers|QueryString|Form|Item|Params)\s*)?[\[(]/ nocase
    condition:
        filesize < 2MB and $tag and ($args_req or $psi_req or ($shell and $slash_c and $req))
}

// PHP's reflection as the runner: new ReflectionFunction($_GET['m']) or of a runner's name
// (assert, system...), then invoke()/invokeArgs() on a request value.
rule php_reflection_runner
{
    meta:
        severity = "critical"
        attack = "T1505.003"
        description = "a PHP page that makes a ReflectionFunction of a request value or of a runner (assert, system...) and invokes it"
    strings:
        $refl_req = /\bnew\s+ReflectionFunction\s*\(\s*@?\$_(GET|POST|REQUEST|COOKIE)\s*\[/ nocase
        $refl_name = /\bnew\s+ReflectionFunction\s*\(\s*["'](assert|system|exec|shell_exec|passthru|popen|proc_open|pcntl_exec|create_function)["']\s*\)/ nocase
        $invoke = /->\s*invoke(Args)?\s*\(/ nocase
        $req = /\$_(GET|POST|REQUEST|COOKIE)\s*\[/ nocase
        $php = /(<\?(php|=|\s|[$@]|(eval|assert|include|require)\b)|<script\s+language\s*=\s*["']?php)/ nocase
    condition:
        filesize < 2MB and $php and $invoke and ($refl_req or ($refl_name and $req))
}

// Session 13 (issue #16): classes of web shells the rules above missed on real collections.

// A request value called as a function: $_POST['f']($_POST['a']), ${'_'.$_}['_'](...). No
// application calls what the client names.
rule php_request_value_called
{
    meta:
        severity = "critical"
        attack = "T1505.003"
        description = "PHP that calls a request value as a function ($_POST['f'](...)): the client names the function to run"
    strings:
        $call = /\$_(GET|POST|REQUEST|COOKIE|SERVER)\s*\[[^\]\n]{1,40}\]\(/ nocase
        $call_var = /\$\{\s*["'][^"'\n]{0,10}["']\s*\.\s*\$[a-z_0-9]*\s*\}\s*\[[^\]\n]{1,20}\]\s*\(/ nocase
        $php = /(<\?(php|=|\s|[$@]|(eval|assert|include|require)\b)|<script\s+language\s*=\s*["']?php)/ nocase
    condition:
        filesize < 2MB and $php and ($call or $call_var)
}

// preg_replace's /e modifier (removed in PHP 7) over a pattern that matches anything: the
// replacement is evaluated as PHP. Applications that used /e matched something specific.
rule php_preg_eval_modifier
{
    meta:
        severity = "critical"
        attack = "T1505.003"
        description = "PHP that evaluates code through preg_replace's /e modifier with a pattern that matches anything, or with a pattern the request or a variable gives"
    strings:
        // (a name the normaliser read from a variable stays quoted: 'preg_replace'('/.*/e', ...))
        $any = /\b(preg_replace|preg_filter|mb_ereg_replace)["']?\s*\(\s*["'](\/|\||#|@|~|!)\^?\s*(\.\*|\.\+|\(\.\*\)|\^|\$|\[[^\]\n]{1,10}\][*+]?)\s*\$?\s*(\/|\||#|@|~|!)[imsxu]*e[imsxu]*["']/ nocase
        // ...the pattern in a variable set just before: $p = "/^.*$/e"; preg_replace($p, ...)
        $any_var = /(\/\^?\.[*+]\$?\/|\|\^?\.[*+]\$?\|)[imsxu]{0,4}e[imsxu]{0,4}["']\s*;/ nocase
        $yaml = /["'][^"'\n]{0,10}\|\.[+*]\|e["']/ nocase
        $req_pattern = /\b(preg_replace|preg_filter)\s*\(\s*\$_(GET|POST|REQUEST|COOKIE|SERVER)\s*\[/ nocase
        $php = /(<\?(php|=|\s|[$@]|(eval|assert|include|require)\b)|<script\s+language\s*=\s*["']?php)/ nocase
    condition:
        filesize < 2MB and $php and ($any or $req_pattern or (filesize < 64KB and ($any_var or $yaml)))
}

// Callback runners handed a request value as an argument, with the callback a variable or a
// string the page builds: forward_static_call_array($x."ert", array($_REQUEST[$p])),
// array_map($f, array($_POST['x'])). A callback named by a literal (array_map('trim', $_POST))
// is an application's; one that is assembled or passed around is a shell's.
rule php_callback_request_runner
{
    meta:
        severity = "critical"
        attack = "T1505.003"
        description = "PHP that hands a request value to a callback runner (call_user_func, array_map, usort, register_shutdown_function...) whose callback is a variable or an assembled string"
    strings:
        $cb = /\b(call_user_func(_array)?|forward_static_call(_array)?|array_map|array_filter|array_walk|array_walk_recursive|usort|uasort|uksort|register_shutdown_function|register_tick_function|iterator_apply|array_reduce|array_intersect_ukey|array_diff_ukey|array_udiff|array_uintersect)\s*\(\s*(\$[a-z_0-9]+\s*\.\s*["'][^"'\n]{1,10}["']|["'][^"'\n]{1,10}["']\s*\.\s*\$[a-z_0-9]+|\$[a-z_0-9]+(\[[^\]\n]{1,20}\])?)\s*,\s*(array\s*\(\s*|\[\s*)?@?\$_(GET|POST|REQUEST|COOKIE|SERVER)\s*\[/ nocase
        // ...or the request value first and the callback after it: usort($_POST, $f), array_filter(array($_POST['x']), $f)
        $cb_after = /\b(usort|uasort|uksort|array_filter|array_walk|array_reduce)\s*\(\s*(array\s*\(\s*|\[\s*)?\$_(GET|POST|REQUEST|COOKIE)\b[^;\n]{0,40}\)?\s*,\s*(\$[a-z_0-9]+|["'][a-z_]{0,10}["']\s*\.\s*\$[a-z_0-9]+|\$[a-z_0-9]+\s*\.\s*["'][a-z_]{0,10}["'])\s*\)/ nocase
        $php = /(<\?(php|=|\s|[$@]|(eval|assert|include|require)\b)|<script\s+language\s*=\s*["']?php)/ nocase
    condition:
        filesize < 2MB and $php and ($cb or (filesize < 64KB and $cb_after))
}

// Code fetched from a URL and evaluated: eval(gzinflate(base64_decode(file_get_contents('http...'))))
// or the fetched text kept in a variable that eval runs through a decoder.
rule php_remote_code_eval
{
    meta:
        severity = "critical"
        attack = "T1505.003,T1105"
        description = "PHP that downloads code from a URL and evaluates it"
    strings:
        $direct = /\b(eval|assert)\s*\(\s*@?\s*([a-z_0-9]{3,20}\s*\(\s*){0,5}(file_get_contents|curl_exec)\s*\(\s*["']https?:\/\//s nocase
        $fetch = /\$[a-z_0-9]+\s*=\s*@?(file_get_contents|implode\s*\(\s*["']*\s*,\s*file)\s*\(\s*["']https?:\/\/[^"'\n]{4,200}["']\s*\)\s*\)?\s*;/ nocase
        $run = /\b(eval|assert)\s*\(\s*@?\s*([a-z_0-9]{3,20}\s*\(\s*){1,6}\(?\$[a-z_0-9]+/ nocase
        $php = /(<\?(php|=|\s|[$@]|(eval|assert|include|require)\b)|<script\s+language\s*=\s*["']?php)/ nocase
    condition:
        filesize < 2MB and $php and ($direct or (filesize < 32KB and $fetch and $run))
}

// Evaluation of a decoder chain over a bare word: eval(base64_decode(ZXZhbC...)) (PHP reads an
// undefined constant as its name), and eval of gzinflate/str_rot13 chains over a long literal
// in a file too small for encoded_b64 to count.
rule php_eval_bareword_blob
{
    meta:
        severity = "high"
        attack = "T1027,T1140,T1505.003"
        description = "PHP that evaluates the decoding of a long unquoted base64 word or a short packed literal"
    strings:
        $bare = /\b(eval|assert)\s*\(\s*@?\s*((gzinflate|gzuncompress|gzdecode|str_rot13|base64_decode|strrev)\s*\(\s*@?\s*){1,6}[A-Za-z0-9+\/]{40}/ nocase
        $php = /(<\?(php|=|\s|[$@]|(eval|assert|include|require)\b)|<script\s+language\s*=\s*["']?php)/ nocase
    condition:
        filesize < 4MB and $php and $bare
}

// The encrypted PHP loaders of Godzilla, Behinder and AntSword: the request body or a parameter
// decrypted (XOR with a key, openssl_decrypt, base64) and the result evaluated, included or
// kept in the session as the payload.
rule php_encrypted_payload_loader
{
    meta:
        severity = "critical"
        attack = "T1505.003,T1140"
        description = "a PHP page that decrypts what the request carries (XOR with a key or openssl_decrypt) and evaluates it or keeps it in the session as a payload"
    strings:
        $body = /(php:\/\/input|\$_(POST|REQUEST|COOKIE)\s*\[)/ nocase
        $xor = /\]\s*(\^=\s*\$[a-z_0-9]+\s*\[|\^\s*\$[a-z_0-9]+\s*\[\s*\$[a-z_0-9]+\s*(\+\s*1\s*)?(&\s*15|%\s*strlen|%\s*\$))/ nocase
        $xor2 = /\^\s*\$[a-z_0-9]+\s*\[\s*\$[a-z_0-9]+\s*\+\s*1\s*&\s*15\s*\]/ nocase
        $ssl = /\bopenssl_decrypt\s*\(/ nocase
        $input = "php://input" nocase
        $sess = /\$_SESSION\s*\[\s*\$[a-z_0-9]+\s*\]\s*=\s*\$[a-z_0-9]+/ nocase
        $eval = /\b(eval|assert)\s*\(\s*@?\s*\$[a-z_0-9]+/ nocase
        $inc = /\b(include|require)(_once)?\s*\(?\s*["']?(data:\/\/|php:\/\/memory|\$)/ nocase
        $cf = /create_function\s*\(/ nocase
        $php = /(<\?(php|=|\s|[$@]|(eval|assert|include|require)\b)|<script\s+language\s*=\s*["']?php)/ nocase
    condition:
        filesize < 32KB and $php and $body and ($xor or $xor2 or ($ssl and $input)) and ($eval or $sess or $cf or $inc)
}

// ASP.NET pages that load an assembly from the request (Assembly.Load of Request.BinaryRead or of
// a base64 request value): the unencrypted Behinder/Godzilla style.
rule aspnet_request_assembly_load
{
    meta:
        severity = "critical"
        attack = "T1505.003,T1620"
        description = "an ASP.NET page that loads an assembly from bytes the request carries"
    strings:
        $load = /Assembly\s*\.\s*Load\s*\(\s*(Convert\s*\.\s*FromBase64String\s*\(\s*)?Request\s*(\.\s*(BinaryRead|Form|QueryString|Item|Params|Cookies)\s*)?[\(\[]/ nocase
        $load2 = /Assembly\s*\.\s*Load\s*\(\s*(Convert\s*\.\s*FromBase64String\s*\(\s*)?Request\s*\.\s*(BinaryRead|InputStream|Form|QueryString|Params|Cookies)/ nocase
        $tag = /<%|runat\s*=\s*["']?server|<%@\s*WebHandler/ nocase
    condition:
        filesize < 2MB and $tag and ($load or $load2)
}

// ASP whose code is hidden: UTF-7 pages (codepage 65000, whose +AC- sequences hide the quotes
// of eval request("x")), VBScript's ScriptControl fed request code, or Execute of what a
// decoding function of the page makes of a literal (Chr(... - k), StrReverse, Replace).
rule asp_hidden_code_execute
{
    meta:
        severity = "high"
        attack = "T1027,T1505.003"
        description = "an ASP page that hides the code it runs: a UTF-7 code page, ScriptControl given request code, or Execute of a page-defined decoder over a literal"
    strings:
        $tag = /<%/
        $utf7 = /<%\s*@\s*codepage\s*=\s*65000/ nocase
        $sc = /CreateObject\s*\(\s*["']?(MSScriptControl\.)?ScriptControl/ nocase
        $addcode = /\.addcode\s*\(?\s*(request|session)\b/ nocase
        // ...or code handed over in a variable, in a small page that reads the request
        $addcode_var = /\.addcode\s*\(?\s*[a-z_][a-z0-9_]*\s*\)?\s*(\r?\n|:|%>)/ nocase
        $req = /\brequest\s*(\.\s*(form|querystring|item)\s*)?[\(\[]/ nocase
        // also VBScript's call without parentheses: Execute (decode "li#uhtxhvw...")
        $exec_fn = /(^|[\s:;%>])(execute|executeglobal|eval)\s*(\(\s*|\s+)[a-z_][a-z0-9_]{1,30}\s*(\(\s*|\s+)"[^"\r\n]{8,}/ nocase
        $function = /\bfunction\s+[a-z_][a-z0-9_]*\s*\(/ nocase
        $decode = /\bchr[bw]?\s*\(|strreverse\s*\(|\bmid\s*\(/ nocase
    condition:
        filesize < 256KB and $tag and ($utf7 or ($sc and $addcode) or
        (filesize < 16KB and $sc and $addcode_var and $req) or ($exec_fn and $function and $decode))
}

// A small page that takes the function and its argument from the request through variables:
// $f = $_GET['f']; $a = $_GET['a']; $f($a), or extract($_REQUEST) and $ctime($atime).
rule php_request_variable_function
{
    meta:
        severity = "critical"
        attack = "T1505.003"
        description = "a small PHP page that copies request values into variables (or extracts the request into them) and calls a variable as a function on a variable: the client names the function and its argument"
    strings:
        $assign = /\$[a-z_][a-z0-9_]*\s*=\s*@?\s*\$_(GET|POST|REQUEST|COOKIE)\s*\[/ nocase
        $assign_vv = /\$\{\s*["'][a-z_0-9]{1,20}["']\s*\}\s*=\s*@?\s*\$_(GET|POST|REQUEST|COOKIE)\s*\[/ nocase
        $extract = /\b(extract|parse_str|import_request_variables)\s*\(\s*@?\s*\$_(GET|POST|REQUEST|COOKIE|SERVER)\b/ nocase
        $call = /(^|[;{}\s@(=?:])\$[a-z_][a-z0-9_]*\s*\(\s*@?\s*\$[a-z_][a-z0-9_]*(\s*\[[^\]\n]{1,30}\])?\s*\)/ nocase
        $php = /(<\?(php|=|\s|[$@]|(eval|assert|include|require)\b)|<script\s+language\s*=\s*["']?php)/ nocase
    condition:
        filesize < 8KB and $php and ($assign or $assign_vv or $extract) and $call
}

// PHP obfuscators that reach every variable through $GLOBALS with escaped names
// (${${"GL\x4fBALS"}["k"]}) around a command runner: the shape of encoded shells such as WSO's
// encoded releases. Read in the normalised text, where the escapes are undone.
rule php_globals_indirection_runner
{
    meta:
        severity = "high"
        attack = "T1027,T1505.003"
        description = "PHP that reaches its variables through ${${'GLOBALS'}[...]} dozens of times, an obfuscator's output, around a command runner"
    strings:
        $ind = /\$\{\s*\$\{\s*["']globals["']\s*\}\s*\[/ nocase
        $run = /\b(system|passthru|shell_exec|popen|proc_open|eval)\s*\(\s*\$\{/ nocase
        $php = /(<\?(php|=|\s|[$@]|(eval|assert|include|require)\b)|<script\s+language\s*=\s*["']?php)/ nocase
    condition:
        filesize < 4MB and $php and #ind >= 20 and $run
}
// A small JSP page that writes a file whose path or content the request gives, through
// variables (String path = new String(request.getParameter("path")...); new FileOutputStream(path)).
rule jsp_small_request_file_writer
{
    meta:
        severity = "high"
        attack = "T1505.003,T1105"
        description = "a small JSP page that writes a file whose path or content the request gives (an upload web shell)"
    strings:
        $jsp = /<%[@!=]?|<jsp:(scriptlet|root)/
        $assign = /\b[a-z_][a-z0-9_]*\s*=\s*(new\s+String\s*\(\s*)?request\s*\.\s*getParameter\s*\(/ nocase
        $inline = /new\s+(java\.io\.)?(FileOutputStream|FileWriter|RandomAccessFile)\s*\([^;\n]{0,80}request\s*\.\s*getParameter\s*\(/
        $writer = /new\s+(java\.io\.)?(FileOutputStream|FileWriter|RandomAccessFile|PrintWriter)\s*\(\s*(new\s+(java\.io\.)?File\s*\(\s*)?[a-z_][a-z0-9_]*\s*[,)]/
        $write = /\.\s*(write|print|println)\s*\(/
    condition:
        filesize < 8KB and $jsp and ($inline or ($assign and $writer and $write))
}

// A JSP page that loads a class (defineClass, URLClassLoader, loadClass) and instantiates it
// with a request value, or defines a class from bytes the request carries.
rule jsp_request_class_loader
{
    meta:
        severity = "critical"
        attack = "T1505.003,T1620"
        description = "a JSP page that loads a class at run time and hands it a request value or defines it from the request"
    strings:
        $jsp = /<%[@!=]?|<jsp:(scriptlet|root)/
        $load = /\bdefineClass\s*\(|new\s+(java\.net\.)?URLClassLoader\s*\(|\.\s*loadClass\s*\(/
        $inst = /\.\s*newInstance\s*\([^;\n]{0,60}request\s*\.\s*getParameter|getConstructor\s*\([^;\n]{0,60}\)\s*\.\s*newInstance\s*\(\s*request/
        $bytes = /(decodeBuffer|decode|getDecoder\s*\(\s*\)\s*\.\s*decode)\s*\(\s*request\s*\.\s*(getParameter|getReader|getInputStream)/
    condition:
        filesize < 64KB and $jsp and $load and ($inst or $bytes)
}
// An ASP.NET page that starts cmd.exe or PowerShell with arguments it glues to a value
// (psi.Arguments = "/c " + arg), a control's text or the request's: a command console.
rule aspnet_shell_process_arguments
{
    meta:
        severity = "critical"
        attack = "T1505.003"
        description = "an ASP.NET page that starts cmd.exe or PowerShell with arguments glued to a value the page receives"
    strings:
        $tag = /<%|runat\s*=\s*["']?server|<%@\s*(WebHandler|WebService)/ nocase
        $psi = /ProcessStartInfo\s*\(|Process\s*\.\s*Start\s*\(/ nocase
        $shell = /["'](cmd(\.exe)?|powershell(\.exe)?|\/bin\/(ba)?sh)["']/ nocase
        $args = /\.\s*Arguments\s*=\s*["'][^"'\r\n]{0,60}["']\s*(\+\s*["'][^"'\r\n]{0,60}["']\s*)*\+\s*[a-z_][a-z0-9_.]*/ nocase
        $start_args = /Process\s*\.\s*Start\s*\(\s*["'](cmd(\.exe)?|powershell(\.exe)?)["']\s*,\s*["'][^"'\r\n]{0,20}["']\s*\+\s*[a-z_]/ nocase
        $psi_vars = /new\s+ProcessStartInfo\s*\(\s*[a-z_][a-z0-9_.]*\s*,\s*[a-z_][a-z0-9_.]*\s*\)/ nocase
        $req = /\bRequest\s*(\.\s*(Form|QueryString|Item|Params)\s*)?[\[(]|\.Text\b/ nocase
    condition:
        filesize < 512KB and $tag and $psi and (($shell and ($args or $start_args)) or ($psi_vars and $req))
}

// The classic ASP "small horse": a page that writes what the request carries into a file
// (FileSystemObject's CreateTextFile/OpenTextFile or ADODB.Stream), through a variable.
rule asp_request_text_writer
{
    meta:
        severity = "high"
        attack = "T1505.003,T1105"
        description = "a small ASP page that writes a request value into a file with FileSystemObject or ADODB.Stream"
    strings:
        $tag = /<%/
        $fso = /Scripting\.FileSystemObject|ADODB\.Stream/ nocase
        $create = /\.\s*(CreateTextFile|OpenTextFile|SaveToFile)\b/ nocase
        $write_req = /\.\s*(Write|WriteLine|WriteText)\s*\(?\s*(""\s*&\s*)?request\s*(\.\s*(form|querystring|item)\s*)?[\(\[]/ nocase
        $assign = /(^|[\s:;%])[a-z_][a-z0-9_]*\s*=\s*(trim\s*\(\s*)?request\s*(\.\s*(form|querystring|item)\s*)?[\(\[]/ nocase
        $write_var = /\.\s*(Write|WriteLine|WriteText)\s*\(?\s*[a-z_][a-z0-9_]*\s*\)?\s*(\r?\n|:|%>)/ nocase
    condition:
        // a value the page reads and a variable it writes, not tied together: only in a page of
        // a few lines (a CMS's export or page generator reads an id and writes what it built)
        filesize < 16KB and $tag and $fso and $create and
        ($write_req or (filesize < 4KB and $assign and $write_var))
}

// The request evaluated in a fragment of ASP with no <% tag (what an uploader appends to a
// picture or a page saved as .asp, .asa or .cer): eval request("x"), ExecuteGlobal request(...).
rule asp_request_eval_fragment
{
    meta:
        severity = "critical"
        attack = "T1505.003"
        description = "a fragment of an ASP page (named .asp, .asa, .cer or .aspx) that evaluates or executes a request value"
    strings:
        $eval = /(^|[^.a-z0-9_])(eval|execute|executeglobal)\s*[\( ]\s*request\s*[\(.\[]/ nocase
    condition:
        filesize < 256KB and filename matches /\.(asp|asa|cer|cdx|aspx|ashx)$/i and $eval
}

// PHP whose names and code are made by bitwise operations on strings and bare words
// ($X='r0nw'&~Y0dTO1Wt; $A=FAPZB." "|HDAHH.'!'): an obfuscator's output that nobody writes
// by hand and no application ships.
rule php_bitwise_string_obfuscation
{
    meta:
        severity = "high"
        attack = "T1027,T1505.003"
        description = "PHP that builds its names and code from AND, OR and XOR of string literals and bare words, statement after statement"
    strings:
        $op_l = /\$[a-z0-9_]{1,16}\s*=\s*(\/\*[^*\n]{0,20}\*\/)?\s*['"][^'"\n]{1,40}['"](\s*\.\s*(['"][^'"\n]{0,40}['"]|[a-z0-9_]{1,20}))*\s*[&|^]\s*~?\s*(['"][^'"\n]{1,40}['"]|[a-z][a-z0-9_]{0,19}\s*[;.])/ nocase
        $op_r = /\$[a-z0-9_]{1,16}\s*=\s*(\/\*[^*\n]{0,20}\*\/)?\s*[a-z][a-z0-9_]{0,19}(\s*\.\s*(['"][^'"\n]{0,40}['"]|[a-z0-9_]{1,20}))*\s*[&|^]\s*~?\s*['"][^'"\n]{1,40}['"]/ nocase
        $php = /(<\?(php|=|\s|[$@]|(eval|assert|include|require)\b)|<script\s+language\s*=\s*["']?php)/ nocase
    condition:
        filesize < 256KB and $php and #op_l + #op_r >= 8
}

// Code spelled a character at a time through a variable holding chr: $c = 'chr' (or
// chr(99).chr(104).chr(114)); $code = $c(101).$c(118).$c(97)...
rule php_variable_chr_chain
{
    meta:
        severity = "high"
        attack = "T1027,T1505.003"
        description = "PHP that spells code one character at a time by calling a variable that holds chr"
    strings:
        $vchr = /\$[a-z0-9_]{1,16}\s*\(\s*\d{2,3}\s*\)\s*\.\s*\$[a-z0-9_]{1,16}\s*\(\s*\d{2,3}\s*\)/ nocase
        $php = /(<\?(php|=|\s|[$@]|(eval|assert|include|require)\b)|<script\s+language\s*=\s*["']?php)/ nocase
    condition:
        filesize < 256KB and $php and #vchr >= 6
}

// Inclusion of what the request names or uploads: include($_GET['f']), require of a variable
// copied from the request in a small page, include($_FILES['f']['tmp_name']).
rule php_request_include
{
    meta:
        severity = "high"
        attack = "T1505.003"
        description = "PHP that includes a file the request names or the file the request uploads"
    strings:
        $direct = /\b(include|include_once|require|require_once)\s*\(?\s*@?\s*\$_(GET|POST|REQUEST|COOKIE)\s*\[/ nocase
        $upload = /\b(include|include_once|require|require_once)\s*\(?\s*@?\s*\$_FILES\s*\[[^\]\n]{1,40}\]\s*\[\s*["']?tmp_name/ nocase
        $assign = /\$[a-z_][a-z0-9_]*\s*=\s*\(?\s*@?\s*\$_(GET|POST|REQUEST|COOKIE)\s*\[/ nocase
        $inc_var = /\b(include|include_once|require|require_once)\s*\(?\s*@?\s*\$[a-z_][a-z0-9_]*\s*\)?\s*;/ nocase
        $php = /(<\?(php|=|\s|[$@]|(eval|assert|include|require)\b)|<script\s+language\s*=\s*["']?php)/ nocase
    condition:
        filesize < 2MB and $php and ($upload or (filesize < 16KB and $direct) or (filesize < 2KB and $assign and $inc_var))
}

// A small uploader that saves the upload under the name the client gives, in the page's own
// folder (copy($_FILES['f']['tmp_name'], $_FILES['f']['name'])), or writes a file whose name and
// content come from request headers.
rule php_upload_as_client_name
{
    meta:
        severity = "high"
        attack = "T1505.003,T1105"
        description = "a small PHP page that saves an upload under the client's own file name beside itself, or writes a file named and filled by request headers"
    strings:
        $save = /\b(copy|move_uploaded_file)\s*\(\s*\$_FILES\s*\[[^\]\n]{1,40}\]\s*\[\s*["']?tmp_name["']?\s*\]\s*,\s*\$_FILES\s*\[[^\]\n]{1,40}\]\s*\[\s*["']?name["']?\s*\]\s*\)/ nocase
        $hdr = /\bfile_put_contents\s*\(\s*\$_(SERVER|GET|POST|REQUEST|COOKIE)\s*\[[^\]\n]{1,40}\]\s*,\s*\$_(SERVER|GET|POST|REQUEST|COOKIE)\s*\[/ nocase
        $php = /(<\?(php|=|\s|[$@]|(eval|assert|include|require)\b)|<script\s+language\s*=\s*["']?php)/ nocase
    condition:
        $php and ((filesize < 8KB and $save) or (filesize < 64KB and $hdr))
}

// JScript .NET pages, handlers and services (<%@ WebHandler Language="JScript" %>) that call
// eval and read the request: the "Spy" shells. JScript .NET's eval runs code; no current
// application is written in it.
rule aspnet_jscript_request_eval
{
    meta:
        severity = "high"
        attack = "T1505.003"
        description = "a JScript .NET page, handler or web service that evaluates code and reads the request"
    strings:
        $directive = /<%@\s*(page|webhandler|webservice|servicehost)\b[^>\n]{0,200}language\s*=\s*["']?jscript/ nocase
        $script = /<script\b[^>\n]{0,80}(runat\s*=\s*["']?server[^>\n]{0,80}language\s*=\s*["']?jscript|language\s*=\s*["']?jscript[^>\n]{0,80}runat\s*=\s*["']?server)/ nocase
        $eval = /(^|[^.a-z0-9_])eval\s*\(/ nocase
        $req = /\brequest\s*(\.\s*(form|querystring|item|params|inputstream|binaryread)\b|\[|\()|\.\s*Request\b/ nocase
    condition:
        filesize < 512KB and ($directive or $script) and $eval and $req
}

// eval or assert wrapped in a function of one parameter that runs that parameter and nothing
// else, in a small page that reads the request: function x($a) { @assert($a); } x($_POST['c']).
// Templating engines that evaluate compiled code do more around it and read no request.
rule php_eval_wrapper_function
{
    meta:
        severity = "critical"
        attack = "T1505.003"
        description = "a small PHP page with a function that only evaluates its parameter (eval, assert), and a request value to hand it"
    strings:
        $wrap = /function\s+[a-z_][a-z0-9_]*\s*\(\s*\$[a-z_][a-z0-9_]*\s*\)\s*\{\s*(return\s+)?@?\s*(eval|assert)\s*\(\s*\$[a-z_][a-z0-9_]*\s*\)\s*;?\s*\}/ nocase
        $req = /\$_(GET|POST|REQUEST|COOKIE)\s*\[/ nocase
        $php = /(<\?(php|=|\s|[$@]|(eval|assert|include|require)\b)|<script\s+language\s*=\s*["']?php)/ nocase
    condition:
        filesize < 64KB and $php and $wrap and $req
}

// Session 14 (issue #16, round 3): classes the rules above missed on real collections.

// A tiny uploader: a page of a few lines that keeps an upload under the name the client gave
// (through a variable or a path joined to it), with no test of its type, extension or size
// anywhere: what is dropped first to upload the real shell. An application's upload handler
// checks what it accepts.
rule php_unchecked_client_name_upload
{
    meta:
        severity = "high"
        attack = "T1505.003,T1105"
        description = "a small PHP page that saves an upload under the client's file name without checking its type, extension or size"
    strings:
        $name = /\$_FILES\s*\[[^\]\n]{1,40}\]\s*\[\s*["']name["']\s*\]/ nocase
        $save = /\b(move_uploaded_file|copy)\s*\(\s*(\$_FILES\s*\[|\$[a-z_][a-z0-9_]{0,30}\s*[,\[])/ nocase
        $check1 = /\b(pathinfo|getimagesize|exif_imagetype|finfo_|mime_content_type|in_array|preg_match|strrchr|explode|end|substr|strtolower|is_uploaded_file|filesize)\s*\(/ nocase
        $check2 = /\[\s*["'](type|size|error)["']\s*\]/ nocase
        $check3 = /\.(jpe?g|png|gif)\b/ nocase
        $php = /(<\?(php|=|\s|[$@]|(eval|assert|include|require)\b)|<script\s+language\s*=\s*["']?php)/ nocase
    condition:
        filesize < 3KB and $php and $name and $save and not any of ($check*)
}

// A database client by request (ASP, ASP.NET): the server and the credentials of the connection
// are what the page is given, and a text area takes the statements it runs. An application
// keeps its connection string in its configuration; an installer does not run what it is typed.
rule server_page_request_database_console
{
    meta:
        severity = "high"
        attack = "T1505.003"
        description = "an ASP or ASP.NET page that connects to the database server and credentials the request names and runs the statements typed into it"
    strings:
        $cs_vb = /(server|data source|host)\s*=\s*["']?\s*&\s*[a-z_][a-z0-9_.]{0,40}\s*&\s*["'][^"'\n]{0,40}(uid|user id|username)\s*=\s*["']?\s*&\s*[a-z_][a-z0-9_.(")]{0,40}\s*&\s*["'][^"'\n]{0,40}(pwd|password)\s*=\s*["']?\s*&/ nocase
        $cs_cs = /(server|data source|host)\s*=\s*["']?\s*\+\s*[a-z_][a-z0-9_.]{0,40}\s*\+\s*["'][^"'\n]{0,40}(uid|user id|username)\s*=\s*["']?\s*\+\s*[a-z_][a-z0-9_.]{0,40}\s*\+\s*["'][^"'\n]{0,40}(pwd|password)\s*=\s*["']?\s*\+/ nocase
        $cs_fmt = /(server|data source|host)\s*=\s*\{0\}\s*;\s*(uid|user id|username)\s*=\s*\{1\}\s*;\s*(pwd|password)\s*=\s*\{2\}/ nocase
        $cs_req = /\b(conn(ection)?_?str(ing)?|connstr|strconn|dbconnstring)\s*=\s*(trim\s*\(\s*)?request\s*(\.\s*(form|querystring|params)\s*)?[\[(]/ nocase
        $cs_new = /new\s+(System\.Data\.SqlClient\.)?(Sql|OleDb|Odbc|MySql)Connection\s*\(\s*Request\s*[.\[]/ nocase
        // the statements' text area (an installer shows its licence in one)
        $area = /<textarea[^>]{0,80}\b(name|id)\s*=\s*["']?[a-z_]{0,12}(sql|query|cmd|command|exec)/ nocase
        $run = /\.\s*(Execute(Reader|NonQuery|Scalar)?|Open)\b/ nocase
        $page = /<%|runat\s*=\s*["']?server/ nocase
    condition:
        filesize < 256KB and $page and $run and (any of ($cs_*)) and ($area or $cs_req or $cs_new)
}

// An ASP.NET command console whose program or arguments reach the process through a variable
// the page fills from its controls or the request (string cmd = txtCmd.Text; ...
// p.StartInfo.FileName = cmd), or that types a request value into cmd.exe's standard input.
rule aspnet_process_from_page_values
{
    meta:
        severity = "critical"
        attack = "T1505.003"
        description = "an ASP.NET page that starts a process with its output read back, the program, its arguments or its input taken from the request or the page's controls"
    strings:
        $tag = /<%|runat\s*=\s*["']?server|<%@\s*(WebHandler|WebService)/ nocase
        $assign = /\bstring\s+[a-z_][a-z0-9_]*\s*=\s*([a-z_][a-z0-9_]*\s*\.\s*text\s*;|(context\s*\.\s*)?Request\s*(\.\s*(Form|QueryString|Params|Item|Headers)\s*)?[\[(])/ nocase
        $psi_var = /\.\s*StartInfo\s*\.\s*(FileName|Arguments)\s*=\s*[a-z_][a-z0-9_]*\s*;/ nocase
        $stdin = /\.\s*StandardInput\s*\.\s*Write(Line)?\s*\(\s*[a-z_][a-z0-9_.]*\s*\)/ nocase
        $cmd = /\.\s*FileName\s*=\s*@?["'][^"'\n]{0,40}\b(cmd|powershell)(\.exe)?["']/ nocase
        $redirect = /RedirectStandardOutput\s*=\s*true/ nocase
    condition:
        filesize < 512KB and $tag and $assign and $redirect and ($psi_var or ($stdin and $cmd))
}

// Classic ASP that executes what a decoder function of its own returns: Execute(Dec(x)),
// or a variable it decoded, with a function in the file that rebuilds a string character by
// character (For i = 1 To Len(s) ... Chr(Asc(Mid(s, i, 1)) ...)).
rule asp_custom_decoder_execute
{
    meta:
        severity = "critical"
        attack = "T1505.003,T1027"
        description = "classic ASP that runs Execute or Eval over text a decoding function of the page rebuilds character by character"
    strings:
        $tag = /<%|runat\s*=\s*["']?server/ nocase
        $exec_fn = /(^|[\s:(=])(execute|executeglobal|eval)\s*\(?\s*[a-z_][a-z0-9_]{1,20}\s*\(\s*[a-z_][a-z0-9_]{0,20}\s*\)/ nocase
        $loop = /\bfor\s+[a-z_][a-z0-9_]*\s*=\s*1\s+to\s+len\s*\(/ nocase
        $chr = /\bchrw?\s*\(\s*(ascw?\s*\(|[a-z_][a-z0-9_]*\s*[-+xor^]{1,3}|\(\s*ascw?\s*\()/ nocase
        $mid = /\bmid\s*\(\s*[a-z_][a-z0-9_]*\s*,\s*[a-z_][a-z0-9_]*\s*,\s*\d\s*\)/ nocase
        $fn = /\bfunction\s+[a-z_][a-z0-9_]{0,20}\s*\(/ nocase
    condition:
        filesize < 512KB and $tag and $exec_fn and $fn and $loop and $chr and $mid
}

// PHP that evaluates what a decoding function of its own returns: eval(dec('...')) or
// eval(dec($x)), with a function in the file that rebuilds a string character by character
// (for ($i = 0; $i < strlen($s); $i++) ... chr(ord($s[$i]) ^ $k)). Template engines evaluate
// compiled code through a method ($this->compile()), never a character loop of their own.
rule php_custom_decoder_eval
{
    meta:
        severity = "critical"
        attack = "T1505.003,T1027"
        description = "PHP that evaluates text a decoding function of the file rebuilds character by character"
    strings:
        $eval = /\b(eval|assert)\s*\(\s*@?\s*[a-z_][a-z0-9_]{1,30}\s*\(\s*(["'][^"'\n]{16}|\$[a-z_][a-z0-9_]*\s*\)|[a-z_][a-z0-9_]{1,30}\s*\(\s*["'])/ nocase
        $fn = /\bfunction\s+[a-z_][a-z0-9_]{0,30}\s*\(\s*\$/ nocase
        $loop = /\bfor\s*\(\s*\$[a-z_][a-z0-9_]*\s*=\s*0\s*;\s*\$[a-z_][a-z0-9_]*\s*<\s*(strlen\s*\(|\$[a-z_][a-z0-9_]*\s*;)/ nocase
        $chr = /\bchr\s*\(\s*(ord\s*\(|\$[a-z_][a-z0-9_]*\s*[\^+\-%]|\(\s*ord\s*\()/ nocase
        $php = /(<\?(php|=|\s|[$@]|(eval|assert|include|require)\b)|<script\s+language\s*=\s*["']?php)/ nocase
    condition:
        filesize < 1MB and $php and $eval and $fn and $loop and $chr
}

// A dropper: PHP that writes a one-line shell (<?php eval($_POST[...]) ?>) into a file, or
// copies a page from a URL to a .php file of the site.
rule php_shell_dropper
{
    meta:
        severity = "critical"
        attack = "T1505.003,T1105"
        description = "PHP that writes a one-line web shell into a file, or fetches a remote page into a .php file"
    strings:
        $write = /\b(fputs|fwrite|file_put_contents)\s*\([^;\n]{0,160}<\?(php)?\s*@?\s*(eval|assert|system|passthru|shell_exec)\s*\(\s*(stripslashes\s*\(\s*)?\$_(post|get|request|cookie)\b/ nocase
        $copy = /\bcopy\s*\(\s*["']https?:\/\/[^"'\n]{4,200}["']\s*,\s*["'][^"'\n]{0,80}\.(php[3-7]?|phtml)["']\s*\)/ nocase
        $php = /(<\?(php|=|\s|[$@]|(eval|assert|include|require)\b)|<script\s+language\s*=\s*["']?php)/ nocase
    condition:
        filesize < 1MB and $php and ($write or $copy)
}
