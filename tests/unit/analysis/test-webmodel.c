/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "analysis/webmodel.h"
#include "analysis/webshape.h"

struct seen {
        uint32_t h[64];
        size_t n;
};

static void record(void *userdata, uint32_t h)
{
        struct seen *x = userdata;

        if (x->n < 64)
                x->h[x->n++] = h;
}

/* The hashes of the tokens of s read as language, in order. */
static struct seen tokens(const char *s, int language, unsigned flags)
{
        struct seen x = {.n = 0};

        webmodel_tokens(s, strlen(s), language, flags, record, &x);
        return x;
}

static uint32_t h(const char *word)
{
        return vocab_hash(word, strlen(word));
}

static void expect(const char *s, int language, const char *const *want, size_t n)
{
        struct seen x = tokens(s, language, 0);

        for (size_t i = 0; i < x.n && i < n; i++)
                if (x.h[i] != h(want[i]))
                        fail_msg("token %zu of %s: want %s", i, s, want[i]);
        assert_int_equal(x.n, n);
}

#define EXPECT(s, language, ...)                                              \
        do {                                                                  \
                const char *const want_[] = {__VA_ARGS__};                    \
                expect(s, language, want_, sizeof(want_) / sizeof(want_[0])); \
        } while (0)

static void test_php(void **state)
{
        (void)state;
        /* variables without '$', names, words inside strings and the HTML around; comments
         * (//, #, block), a URL past its scheme, numbers and \x escapes left out */
        EXPECT("<title>File Manager</title><?php // by Someone Famous\n"
               "# banner line\n/* GPL licence */ $cmd = $_GET['cmd']; echo \"\\x41\\x42Out\";\n"
               "passthru($cmd . ' 2>&1'); $u = 'http://example.com/x.php?a=1'; ?>",
               WEBSHAPE_PHP, "title", "file", "manager", "title", "php", "cmd", "_get", "cmd",
               "echo", "out", "passthru", "cmd", "http");
        /* a '#' inside a string or after a word is no comment; CSS's color:#fff neither */
        EXPECT("<?php $a = '# not // either'; $b=c#d\n", WEBSHAPE_PHP, "php", "not", "either");
}

static void test_blob(void **state)
{
        (void)state;
        /* a long base64 run is left out whole, the calls around it stay; a short one with '/'
         * is words */
        EXPECT("<?php eval(gzinflate(base64_decode('7X1rcxs5kuBnzq/AcHqbVLdEkZRk2ZIl"
               "t0P9mJ7pdq3d27M7sR1BkUWJ/a4t+jiX+z=='))); $p = 'usr/bin'; ?>",
               WEBSHAPE_PHP, "php", "eval", "gzinflate", "base64_decode", "usr", "bin");
}

static void test_asp_perl_jsp(void **state)
{
        (void)state;
        /* VBScript: ' opens a comment (not inside a word), "" is a quote inside a string */
        EXPECT("<% ' written by nobody\nSet o = Server.CreateObject(\"WScript.Shell\") "
               "' run\nResponse.Write \"say \"\"hi\"\" don't\" %>",
               WEBSHAPE_ASP, "set", "server", "createobject", "wscript", "shell", "response",
               "write", "say", "hi", "don");
        /* C#'s characters are no comments */
        EXPECT("<% char c = 'x'; char d = '\\n'; Process.Start(\"cmd\"); %>", WEBSHAPE_ASP, "char",
               "char", "process", "start", "cmd");
        /* Perl: POD, # comments, $#array is no comment, :: splits */
        EXPECT("#!/usr/bin/perl\nuse IO::Socket;\n=head1 NAME\nauthor banner\n=cut\n"
               "my $n = $#ARGV; # count\nprint $sock \"PRIVMSG #chan\";\n",
               WEBSHAPE_PERL, "use", "io", "socket", "my", "argv", "print", "sock", "privmsg",
               "chan");
        /* JSP: <%-- --%> and <!-- --> comments */
        EXPECT("<%-- by me --%><!-- hidden --><% Runtime.getRuntime().exec(request."
               "getParameter(\"c\")); %>",
               WEBSHAPE_JSP, "runtime", "getruntime", "exec", "request", "getparameter");
}

static void test_pairs_and_features(void **state)
{
        (void)state;
        struct webmodel_features f;
        struct seen x = tokens("<?php system($cmd);", WEBSHAPE_PHP, WEBMODEL_PAIRS);

        /* three tokens and two pairs */
        assert_int_equal(x.n, 5);
        assert_int_equal(x.h[0], h("php"));
        assert_int_equal(x.h[1], h("system"));
        assert_true(x.h[2] != h("php") && x.h[2] != h("system") && x.h[2] != h("cmd"));
        const char *twice = "<?php system($cmd); system($CMD);";
        webmodel_features(twice, strlen(twice), WEBSHAPE_PHP, 0, &f);
        assert_int_equal(f.tokens, 5);
        size_t set = 0;
        for (size_t w = 0; w < WEBMODEL_BUCKETS / 64; w++)
                set += (size_t)__builtin_popcountll(f.bits[w]);
        assert_int_equal(set, 3);
        uint32_t b = h("system") & (WEBMODEL_BUCKETS - 1);
        assert_true(f.bits[b / 64] >> (b % 64) & 1);
}

static void test_bounded(void **state)
{
        (void)state;
        /* unterminated strings, comments and escapes end with the text */
        const char *open[] = {"'abc",  "\"ab\\", "/* abc", "<!-- ab", "<%-- ab", "=pod\nx",
                              "\"\\x", "\"\\u4", "a://",   "#",       "'",       "ab/"};
        for (int lang = WEBSHAPE_NONE; lang <= WEBSHAPE_PERL; lang++)
                for (size_t i = 0; i < sizeof(open) / sizeof(open[0]); i++) {
                        struct webmodel_features f;
                        webmodel_features(open[i], strlen(open[i]), lang, WEBMODEL_PAIRS, &f);
                        assert_true(f.tokens <= 1);
                }
}

/* The trained table ranks a web shell's vocabulary above an application's. */
static void test_model_ranks(void **state)
{
        (void)state;
        const char *shell =
                "<?php error_reporting(0); set_time_limit(0);\n"
                "echo 'Uname: ' . php_uname() . '<br>Safe mode: ' . (ini_get('safe_mode') ? 'ON' "
                ": 'OFF') . '<br>Disabled: ' . ini_get('disable_functions');\n"
                "if (isset($_POST['cmd'])) { echo '<pre>'; passthru($_POST['cmd']); }\n"
                "if (!empty($_FILES['f'])) { move_uploaded_file($_FILES['f']['tmp_name'], "
                "$_POST['dir'] . '/' . $_FILES['f']['name']); echo 'Upload done'; }\n"
                "echo '<form method=post><input name=cmd><input type=submit value=Execute>"
                "</form>'; ?>\n";
        const char *app = "<?php\nnamespace App\\Http\\Controllers;\n"
                          "use Illuminate\\Http\\Request;\n"
                          "class ProfileController extends Controller {\n"
                          "    public function update(Request $request) {\n"
                          "        $validated = $request->validate(['name' => 'required']);\n"
                          "        $request->user()->fill($validated)->save();\n"
                          "        return redirect()->route('profile.edit')->with('status', "
                          "'profile-updated');\n    }\n}\n";

        assert_true(webmodel_score(shell, strlen(shell), WEBSHAPE_PHP) > 0);
        assert_true(webmodel_score(app, strlen(app), WEBSHAPE_PHP) < 0);
        assert_true(webmodel_score("", 0, WEBSHAPE_PHP) == webmodel_bias);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_php),          cmocka_unit_test(test_blob),
                cmocka_unit_test(test_asp_perl_jsp), cmocka_unit_test(test_pairs_and_features),
                cmocka_unit_test(test_bounded),      cmocka_unit_test(test_model_ranks),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
