var f = this["\x65\166\x61\154"];
f("new ActiveXObject(\"\127\123cript.\123hell\")");
var r = /(a)\1/; var t = "\1014\033\377\400\3";
