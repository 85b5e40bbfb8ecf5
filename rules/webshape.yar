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
