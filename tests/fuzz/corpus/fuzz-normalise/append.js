var s = ''; function a() { s += 'WScr'; }; function b() { s += 'ipt.Sh'; }; function c() { s += 'ell'; };
function e() { p += 'ev'; }; function g() { p += 'al'; };
a(); b(); c(); e(); g(); this[p](s);
s += 'x'; s += "y";
s += 'z'; t += 'w';
