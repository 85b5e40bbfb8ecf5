// Web shells written in PHP: the rules whose every match needs PHP's own opening (the private
// rule php_opening: <?php, <?=, <? followed by code, or <script language=php). They are one rule
// set scanned only over text that holds such an opening (rules/README.md, scopes), so that their
// strings, some with atoms as short as "${" or "$$", are not searched for in every script,
// page and document. Every condition here starts "php_opening and" (after a size bound at
// most), which implies the scope's test; the other web shell rules are in webshells.yar.
// airlock-scope: php

// The opening, searched for once: as a string of every rule it was matched and its matches
// recorded 34 times over, 3.4 s a MB of text made of "<?php{" repeated.
private rule php_opening
{
    strings:
        $php = /(<\?(php|=|\s|[$@]|(eval|assert|include|require)\b)|<script\s+language\s*=\s*["']?php)/ nocase
    condition:
        $php
}

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
    condition:
        filesize < 2MB and php_opening and ($direct or $interp or $tick or $header or $input or $input_eval or $glued or
        (filesize < 20KB and $assign and ($run_var or $run_decoded or $run_string or $run_print or
        (($run_cb1 or $run_cb2) and not ($class and $method) and
         web_taint_callee + web_taint_dynamic + web_taint_eval + web_taint_exec >= 1) or $run_cb3)))
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
        // a big controller class of an application (phpMyAdmin, Joomla, Moodle...) serves files
        // the request names after its own checks: a file manager shell is a page, not a class
        $controller = /(^|\n)\s*(abstract\s+|final\s+)?class\s+[a-z_][a-z0-9_]*\s+extends\s+[a-z_\\][a-z0-9_\\]*controller\b/ nocase
        $namespace = /(^|\n)\s*namespace\s+[a-z_][a-z0-9_\\]*\s*;/ nocase
    condition:
        filesize < 2MB and php_opening and ($file_op or ($upload and $docroot)) and
        not (filesize > 24KB and ($controller or $namespace))
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
    condition:
        filesize < 4MB and php_opening and
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
    condition:
        filesize < 8MB and php_opening and $eval and encoded_b64 >= 256
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
    condition:
        filesize < 8MB and php_opening and $run and $req and 4 of ($t*) and (not $quoted or $spliced)
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
    condition:
        filesize < 4MB and php_opening and $name and ($call or $call_cmd or
        (filesize < 16KB and $req and $var_call))
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
    condition:
        filesize < 4MB and php_opening and ($run or $tick or $pipe) and $form and $input and
        (not $quoted or $spliced)
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
    condition:
        filesize < 8MB and php_opening and ($eval_lit or $preg_e or ($name and $eval_call))
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
        $vv = /(\$\$[a-z_][a-z0-9_]*|\$\{[^}\n]{1,40}\})\s*=\s*\$[a-z_][a-z0-9_]*\s*;/ nocase
        $extract = /\bextract\s*\(\s*\$_(POST|GET|REQUEST|COOKIE)\b/ nocase
        $old = /\$\$[a-z_][a-z0-9_]*\s*=\s*\$HTTP_(POST|GET)_VARS\s*\[/ nocase
        // $a($b), $para($_value), or a class whose constructor does it, made by reflection
        $varcall = /(^|[^a-z0-9_>:$])\$[a-z_][a-z0-9_]*\s*\(\s*\$[a-z_][a-z0-9_]*\s*\)\s*;/ nocase
    condition:
        filesize < 8KB and php_opening and (($each and $vv) or $extract or $old) and $varcall
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
    condition:
        filesize < 16KB and php_opening and $xor and $req and $session and $eval
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
    condition:
        filesize < 64KB and php_opening and $name and $call
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
    condition:
        filesize < 64KB and php_opening and $call and #under >= 16
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
    condition:
        filesize < 2MB and php_opening and $req and 3 of ($h*)
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
    condition:
        filesize < 2MB and php_opening and $move
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
    condition:
        filesize < 8KB and php_opening and $assign and $dir and $file
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
    condition:
        filesize < 4MB and php_opening and $req and ($direct or $first or $second or $method or $option)
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
    condition:
        filesize < 4MB and php_opening and $call
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
    condition:
        filesize < 2MB and php_opening and $invoke and ($refl_req or ($refl_name and $req))
}

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
    condition:
        filesize < 2MB and php_opening and ($call or $call_var)
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
    condition:
        filesize < 2MB and php_opening and ($any or $req_pattern or (filesize < 64KB and ($any_var or $yaml)))
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
    condition:
        filesize < 2MB and php_opening and ($cb or (filesize < 64KB and $cb_after))
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
    condition:
        filesize < 2MB and php_opening and ($direct or (filesize < 32KB and $fetch and $run))
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
    condition:
        filesize < 4MB and php_opening and $bare
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
    condition:
        filesize < 32KB and php_opening and $body and ($xor or $xor2 or ($ssl and $input)) and ($eval or $sess or $cf or $inc)
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
    condition:
        filesize < 8KB and php_opening and ($assign or $assign_vv or $extract) and $call
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
    condition:
        filesize < 4MB and php_opening and #ind >= 20 and $run
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
    condition:
        filesize < 256KB and php_opening and #op_l + #op_r >= 8
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
    condition:
        filesize < 256KB and php_opening and #vchr >= 6
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
    condition:
        filesize < 2MB and php_opening and ($upload or (filesize < 16KB and $direct) or (filesize < 2KB and $assign and $inc_var))
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
    condition:
        php_opening and ((filesize < 8KB and $save) or (filesize < 64KB and $hdr))
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
    condition:
        filesize < 64KB and php_opening and $wrap and $req
}

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
    condition:
        filesize < 3KB and php_opening and $name and $save and not any of ($check*)
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
    condition:
        filesize < 1MB and php_opening and $eval and $fn and $loop and $chr
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
    condition:
        filesize < 1MB and php_opening and ($write or $copy)
}

// Packed PHP whose decoder is a function of the file: eval(f($blob, $map)) where f maps the
// blob's characters through a table or a loop and returns a decoder's output (return
// base64_decode($s), also through a variable the normaliser reads as the decoder's name), and
// a long encoded literal beside it (web_longest_literal: see php_packed_code_string_eval).
// Applications decode data, never code they hand to eval.
rule php_decoding_function_eval
{
    meta:
        severity = "critical"
        attack = "T1505.003,T1027,T1140"
        description = "PHP that evaluates what a decoding function of the file returns (return base64_decode/gzinflate/str_rot13 of its argument) over a long encoded literal"
    strings:
        $eval = /\b(eval|assert)\s*(\/\*[^*\n]{0,60}\*\/\s*)?\(\s*@?\s*[a-z_][a-z0-9_]{1,30}\s*\(\s*[$"']/ nocase
        $ret = /\breturn\s*\(?\s*@?\s*["']?(base64_decode|gzinflate|gzuncompress|gzdecode|str_rot13|convert_uudecode)["']?\s*\(\s*\$/ nocase
        $fn = /\bfunction\s+[a-z_][a-z0-9_]{0,30}\s*\(\s*\$/ nocase
    condition:
        filesize < 2MB and php_opening and $eval and $ret and $fn and web_longest_literal >= 512
}

// A packed shell run through create_function: the body the file glues together evaluates a
// decoder of the function's parameter ('ev'.'al'.'(gz'.'inflate(base64_decode($x)))', joined
// by the normaliser), or eval of a string that assigns a decoded blob ("\$x=gzinflate(...)")
// and then eval("?>".$x). Either hands a long encoded literal to code it unpacks. The long
// literal by web_longest_literal (the raw text's and the normalised text's, which joins the
// pieces), not encoded_b64: the normalised text is in lower case, which base64 runs are not.
rule php_packed_code_string_eval
{
    meta:
        severity = "critical"
        attack = "T1505.003,T1027,T1140"
        description = "PHP that builds code unpacking a long encoded literal inside a string and runs it (create_function whose body evaluates gzinflate/base64_decode of its parameter, eval of \"$x=gzinflate(base64_decode(...))\")"
    strings:
        $cf = /\bcreate_function\s*\(\s*['"][^'"\n]{0,40}['"]\s*,\s*['"][^'"\n]{0,120}\b(eval|assert)\s*\([^\n]{0,80}\b(gzinflate|gzuncompress|gzdecode|base64_decode|str_rot13)\s*\(\s*\$/ nocase
        $es = /\b(eval|assert)\s*\(\s*["']\\?\$[a-z_][a-z0-9_]*\s*=\s*@?\s*(gzinflate|gzuncompress|gzdecode|base64_decode|str_rot13)\s*\(/ nocase
    condition:
        filesize < 2MB and php_opening and ($cf or $es) and web_longest_literal >= 512
}

// Object injection made into a back door: a class whose magic method (__destruct, __wakeup,
// __toString...) runs code or a command from one of its own properties, in the same file that
// unserializes what the request sent or reads the request into that property. Libraries'
// magic methods close handles and free memory; none evaluates a property.
rule php_magic_method_runner
{
    meta:
        severity = "critical"
        attack = "T1505.003"
        description = "PHP whose magic method (__destruct, __wakeup, __toString...) evaluates or executes one of the object's properties, beside an unserialize or a read of the request"
    strings:
        $magic = /\bfunction\s+__(destruct|wakeup|tostring|call|get|set|invoke|unserialize)\s*\([^)]{0,60}\)\s*\{[^}]{0,400}\b(eval|assert|system|passthru|shell_exec|exec|popen|proc_open|call_user_func|call_user_func_array)\s*\(\s*@?\s*(\$this\s*->|\$_(get|post|request|cookie)\b)/ nocase
        $unser = /\bunserialize\s*\(\s*(base64_decode\s*\(\s*|stripslashes\s*\(\s*|urldecode\s*\(\s*)?\$_(get|post|request|cookie)\b/ nocase
        $req = /\$_(get|post|request|cookie)\s*\[/ nocase
    condition:
        filesize < 1MB and php_opening and $magic and ($unser or $req)
}

// Code kept in a string: a literal that reads the request ('($_POST[h])'), beside eval or assert
// of a variable (the string glued to a runner's name it rebuilt: $a = strrev('lave'); assert($a.$b)).
// A page that reads the request reads it in code, not in a literal it hands to eval.
rule php_request_code_literal_eval
{
    meta:
        severity = "high"
        attack = "T1505.003,T1027"
        description = "PHP that keeps a read of the request inside a string literal ('($_POST[x])') and evaluates a variable (eval/assert of glued or rebuilt code)"
    strings:
        $lit = /["'][^"'\n]{0,40}\(\s*\$_(post|get|request|cookie)\s*\[[^"'\n]{0,20}\]\s*\)[^"'\n]{0,10}["']/ nocase
        $run = /\b(eval|assert)\s*\(\s*@?\s*\$[a-z_][a-z0-9_]*\s*[.)]/ nocase
    condition:
        filesize < 256KB and php_opening and $lit and $run
}

// Packed PHP whose decoder is a function of the file, run through a variable: $code =
// f($blob); eval($code), where f returns base64_decode/gzinflate of its argument (also when the
// decoder's name is a variable the normaliser reads: $g = strrev('etalfnizg'); return @$g($x)),
// beside a long encoded literal. The fake WordPress "default-filters" shells of
// adilhyz/WebShell (web8's training side) keep their blob in an <img src="data:..."> string.
rule php_decoding_function_variable_eval
{
    meta:
        severity = "critical"
        attack = "T1505.003,T1027,T1140"
        description = "PHP that evaluates a variable holding what a decoding function of the file returns (return base64_decode/gzinflate/str_rot13 of its argument) over a long encoded literal"
    strings:
        $ret = /\breturn\s*\(?\s*@?\s*["']?(base64_decode|gzinflate|gzuncompress|gzdecode|str_rot13|convert_uudecode)["']?\s*\(\s*\$/ nocase
        $fn = /\bfunction\s+[a-z_][a-z0-9_]{0,30}\s*\(\s*\$/ nocase
        $call = /\$[a-z_][a-z0-9_]*\s*=\s*@?\s*[a-z_][a-z0-9_]{1,30}\s*\(\s*\$[a-z_][a-z0-9_]*\s*[,)]/ nocase
        $eval = /\b(eval|assert)\s*\(\s*@?\s*\$[a-z_][a-z0-9_]*\s*\)/ nocase
    condition:
        filesize < 2MB and php_opening and $ret and $fn and $call and $eval and web_longest_literal >= 512
}

// A shell summoner: PHP that fetches a remote .php or .txt file (a literal URL naming one, read
// with file_get_contents, fopen, file or curl) and runs it (eval("?>" . $page)) or writes it
// into a .php file of the site. Installers download archives and packages, not PHP pages they
// run or save as pages.
rule php_remote_code_fetch
{
    meta:
        severity = "critical"
        attack = "T1505.003,T1105"
        description = "PHP that fetches a remote .php or .txt page and runs it (eval of \"?>\" and the page) or saves it as a .php file of the site"
    strings:
        $url = /["']https?:\/\/[^"'\s]{4,200}\.(php[3-7]?|phtml|txt|inc)["']/ nocase
        $fetch = /\b(file_get_contents|fopen|file|curl_init)\s*\(\s*(["']https?:\/\/|\$[a-z_])/ nocase
        $run = /\b(eval|assert)\s*\(\s*["']\?>["']\s*\./ nocase
        $put = /\b(fwrite|fputs|file_put_contents)\s*\(/ nocase
        $localphp = /(\$[a-z_][a-z0-9_]*\s*=\s*["'][^"'\/\\\n]{1,60}\.php[3-7]?["']\s*;|\bfopen\s*\(\s*["'][^"'\n]{1,80}\.php[3-7]?["']\s*,\s*["'][wa])/ nocase
    condition:
        filesize < 256KB and php_opening and $url and $fetch and ($run or ($put and $localphp))
}

// An injected loader: include or require of an image or icon file (@include "\057...\056ico"),
// which PHP runs as code whatever its name. Applications include .php files.
rule php_include_image
{
    meta:
        severity = "critical"
        attack = "T1505.003,T1027"
        description = "PHP that includes a file named as an image or icon (.ico, .png, .jpg, .gif, .bmp): code hidden under a picture's name"
    strings:
        $inc = /\b(include|require)(_once)?\s*\(?\s*["'][^"'\n]{1,300}\.(ico|png|jpe?g|gif|bmp)["']\s*\)?\s*;/ nocase
    condition:
        filesize < 2MB and php_opening and $inc
}

// Names spelled one character at a time from a scrambled alphabet: $a = 's4;bqduoan6...';
// $f = $a{0} . $a{26} . $a{15} ...; $O0 = $OO{3}.$OO{6}.$OO{33} (the "O0" obfuscator of
// WSO copies and injected droppers). Three chains of six picks glued by '.' at least;
// applications index arrays, they do not spell words from them.
rule php_char_pick_names
{
    meta:
        severity = "critical"
        attack = "T1505.003,T1027"
        description = "PHP that spells its function names one character at a time from a scrambled alphabet string ($a{0} . $a{26} . $a{15} ...), as obfuscated shells and injected droppers do"
    strings:
        $chain = /(\$[a-z_][a-z0-9_]*\s*[\[{]\s*\d{1,3}\s*[\]}]\s*\.\s*){6}/ nocase
    condition:
        filesize < 2MB and php_opening and #chain >= 3
}
