x = (function String.prototype.off() { var v = this; return v }, 1);
o('wscr'.off() + "ipt".off());
// WScript comment
/* block */ eval('var a = "x" + "y" + "z";');
