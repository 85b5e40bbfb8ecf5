// SPDX-License-Identifier: LGPL-2.1-or-later
// A small VBScript-to-JScript translator for detonation (docs/wsh.md, "VBScript"). box-js has no
// VBScript engine and none exists on npm, so src/analysis/wsh.c runs a .vbs (or the VBScript
// of an HTA/WSF) as the JScript this file makes of it, in box-js, inside the sandbox: the
// hostile text is parsed only there. It covers what droppers use, not the whole language:
// statements (Dim/Const/ReDim, Set, assignments, calls with and without parentheses, Call,
// If/ElseIf/Else, For/For Each/Next, Do/Loop/While/Wend, Select Case with Is and To,
// Function/Sub, With, Exit, On Error Resume Next/GoTo 0 (per procedure), ReDim Preserve, Class
// with Property Get/Let/Set and methods, as a constructor function), expressions (#date#
// literals, (&, comparison with =, <>, And/Or/Not/Mod,
// &H numbers, array indexing with parentheses), the string and conversion functions
// (Chr, Mid, Replace, Split, StrReverse...), CreateObject/GetObject, and Execute,
// ExecuteGlobal and Eval, which translate their argument at run time (this translator is
// included in the script it makes). Identifiers are lowercased: VBScript ignores case, and
// so do box-js's emulated objects. An HTA or WSF with both languages comes as one text whose
// JScript blocks sit between a line "\x1ejscript" and a line "\x1e" (src/analysis/wsh.c): they
// are kept as they are, in document order, and their top-level functions are given the
// VBScript names too.
"use strict";

function vbs2js(src) {
        const KEYOPS = { and: "&&", or: "||", not: "!", mod: "%", xor: "^", is: "==", eqv: "==" };
        const CONSTS = { true: "true", false: "false", nothing: "null", null: "null", empty: "undefined" };
        const ZERO_ARG = ["now", "timer", "rnd", "date", "time", "randomize"];
        let uid = 0;

        function tokenize(line) {
                const t = [];
                let i = 0;

                while (i < line.length) {
                        const c = line[i];
                        let m;

                        if (c === " " || c === "\t" || c === "\r") {
                                i++;
                        } else if (c === "'") {
                                break;
                        } else if (c === '"') {
                                let s = "";

                                i++;
                                while (i < line.length) {
                                        if (line[i] === '"') {
                                                if (line[i + 1] === '"') {
                                                        s += '"';
                                                        i += 2;
                                                        continue;
                                                }
                                                break;
                                        }
                                        s += line[i++];
                                }
                                i++;
                                t.push({ k: "str", v: JSON.stringify(s) });
                        } else if ((m = /^#([^#"]+)#/.exec(line.slice(i)))) {
                                t.push({ k: "num", v: "(new Date(" + JSON.stringify(m[1].trim()) + "))" });
                                i += m[0].length;
                        } else if ((m = /^&h([0-9a-f]+)&?/i.exec(line.slice(i)))) {
                                t.push({ k: "num", v: String(parseInt(m[1], 16)) });
                                i += m[0].length;
                        } else if ((m = /^&o([0-7]+)&?/i.exec(line.slice(i)))) {
                                t.push({ k: "num", v: String(parseInt(m[1], 8)) });
                                i += m[0].length;
                        } else if ((m = /^[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?[#!@&%]?/.exec(line.slice(i)))) {
                                t.push({ k: "num", v: m[0].replace(/[#!@&%]$/, "") });
                                i += m[0].length;
                        } else if ((m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(line.slice(i)))) {
                                const w = m[0].toLowerCase();

                                i += m[0].length;
                                if (w === "rem" && (t.length === 0 || t[t.length - 1].v === ":"))
                                        break;
                                t.push({ k: "id", v: w });
                        } else if ((m = /^\[([^\]]*)\]/.exec(line.slice(i)))) {
                                t.push({ k: "id", v: m[1].toLowerCase().replace(/[^a-z0-9_]/g, "_") });
                                i += m[0].length;
                        } else if ((m = /^(<>|<=|>=|=<|=>)/.exec(line.slice(i)))) {
                                t.push({ k: "op", v: m[0] });
                                i += 2;
                        } else {
                                t.push({ k: "op", v: c });
                                i++;
                        }
                }
                return t;
        }

        // the lines: continuations joined (a '_' that ends a line and no name); then statements
        // split on ':'; a JScript block of an HTA is one statement of kind "raw"
        const stmts = [], lines = [];
        let raw = null;
        for (const l of String(src).split(/\r?\n|\r/)) {
                if (raw !== null) {
                        if (l === "\x1e") {
                                stmts.push([{ k: "raw", v: raw }]);
                                raw = null;
                        } else
                                raw += l + "\n";
                        continue;
                }
                if (l === "\x1ejscript") {
                        vbsLines(lines.splice(0));
                        raw = "";
                        continue;
                }
                lines.push(l);
        }
        vbsLines(lines);
        if (raw !== null)
                stmts.push([{ k: "raw", v: raw }]);

        function vbsLines(ls) {
                const joined = [];

                for (let j = 0; j < ls.length; j++) {
                        let l = ls[j];

                        while (/(^|[^A-Za-z0-9_])_[ \t]*$/.test(l) && j + 1 < ls.length)
                                l = l.replace(/_[ \t]*$/, " ") + ls[++j];
                        joined.push(l);
                }
                joined.forEach(vbsLine);
        }

        function vbsLine(line) {
                let cur = [];

                for (const tok of tokenize(line)) {
                        if (tok.k === "op" && tok.v === ":") {
                                if (cur.length)
                                        stmts.push(cur);
                                cur = [];
                        } else
                                cur.push(tok);
                }
                if (cur.length)
                        stmts.push(cur);
        }

        // names: user functions (called without parentheses too), arrays (indexed with them)
        // methods: the Functions of classes, which obj.Name without parentheses calls
        const funcs = new Set(), arrays = new Set(), methods = new Set();
        let inClass = false;
        for (const s of stmts) {
                let j = 0;

                if (s[0].v === "class" || (s[0].v === "end" && s[1] && s[1].v === "class"))
                        inClass = s[0].v === "class";
                while (j < s.length && (s[j].v === "public" || s[j].v === "private" || s[j].v === "default"))
                        j++;
                if (s[j] && (s[j].v === "function" || s[j].v === "sub") && s[j + 1]) {
                        funcs.add(s[j + 1].v);
                        if (inClass && s[j].v === "function")
                                methods.add(s[j + 1].v);
                }
                if (["dim", "redim", "private", "public"].includes(s[0].v) &&
                    !(s[j] && ["function", "sub", "property", "const"].includes(s[j].v)))
                        for (const part of split_commas(s.slice(s[1] && s[1].v === "preserve" ? 2 : 1)))
                                if (part[0] && part[0].k === "id" && part[1] && part[1].v === "(")
                                        arrays.add(part[0].v);
                for (let k = 0; k + 2 < s.length; k++)
                        if (s[k].k === "id" && s[k + 1].v === "=" && s[k + 2].k === "id" &&
                            ["array", "split"].includes(s[k + 2].v))
                                arrays.add(s[k].v);
        }

        const withs = [];
        // an expression; cmp: '=' compares
        function expr(t, cmp = true) {
                let out = "";
                const close = [], starts = [0];

                // a & b & c, with nothing weaker at the top: $$cat(a, b, c), where Empty is ""
                if (cmp && find(t, "&") >= 0 &&
                    ["=", "<>", "<", ">", "<=", ">=", "and", "or", "not", "xor", "is"].every((o) => find(t, o) < 0)) {
                        const parts = [];
                        let k, from = 0;

                        while ((k = find(t, "&", from)) >= 0) {
                                parts.push(t.slice(from, k));
                                from = k + 1;
                        }
                        parts.push(t.slice(from));
                        return "$$cat(" + parts.map((p) => expr(p)).join(", ") + ")";
                }

                for (let k = 0; k < t.length; k++) {
                        const x = t[k], prev = t[k - 1], next = t[k + 1];

                        if (x.k === "str" || x.k === "num") {
                                starts[starts.length - 1] = out.length;
                                out += x.v;
                        } else if (x.k === "id") {
                                const member = prev && prev.v === ".";

                                if (!member)
                                        starts[starts.length - 1] = out.length;
                                if (member && cmp && !(next && next.v === "(") && methods.has(x.v)) {
                                        // obj.Method, a class's Function called without parentheses
                                        const at = starts[starts.length - 1];

                                        out = out.slice(0, at) + "$$get(" + out.slice(at, -1) + ", " + JSON.stringify(x.v) + ")";
                                } else if (!member && x.v in KEYOPS)
                                        out += " " + KEYOPS[x.v] + " ";
                                else if (!member && x.v in CONSTS)
                                        out += CONSTS[x.v];
                                else if (!member && x.v === "new")
                                        out += "new ";
                                else {
                                        out += member ? x.v : "$" + x.v;
                                        if (!member && cmp && !(next && next.v === "(") &&
                                            (funcs.has(x.v) || ZERO_ARG.includes(x.v)))
                                                out += "()";
                                }
                        } else if (x.v === "(") {
                                const index = prev && prev.k === "id" && arrays.has(prev.v) &&
                                        !(t[k - 2] && t[k - 2].v === ".");

                                close.push(index ? "]" : ")");
                                out += index ? "[" : "(";
                                starts.push(out.length);
                        } else if (x.v === ")") {
                                out += close.pop() || ")";
                                if (starts.length > 1)
                                        starts.pop();
                        } else if (x.v === ".") {
                                // a With's member: at the start, after an operator or a keyword
                                if (!prev || (prev.k === "op" && prev.v !== ")") || (prev.k === "id" && prev.v in KEYOPS)) {
                                        starts[starts.length - 1] = out.length;
                                        out += withs.length ? withs[withs.length - 1] : "";
                                }
                                out += ".";
                        } else if (x.v === "," && x.k === "op") {
                                // f(a, , b): a missing argument
                                if (!prev || (prev.k === "op" && (prev.v === "(" || prev.v === ",")))
                                        out += "undefined";
                                out += " , ";
                                if (!next || (next.k === "op" && next.v === ")"))
                                        out += "undefined";
                        } else if (x.v === "&") {
                                out += ' + "" + ';
                        } else if (x.v === "=") {
                                out += cmp ? " == " : " = ";
                        } else if (x.v === "<>") {
                                out += " != ";
                        } else if (x.v === "=<" || x.v === "=>") {
                                out += x.v === "=<" ? " <= " : " >= ";
                        } else if (x.v === "\\") {
                                out += " / ";
                        } else if (x.v === "^") {
                                out += " ** ";
                        } else {
                                out += " " + x.v + " ";
                        }
                }
                return out;
        }

        // the index of the first top-level token with value v, or -1
        function find(t, v, from = 0) {
                let depth = 0;

                for (let k = from; k < t.length; k++) {
                        if (depth === 0 && t[k].v === v && (t[k].k === "id" || t[k].k === "op"))
                                return k;
                        if (t[k].v === "(")
                                depth++;
                        else if (t[k].v === ")")
                                depth--;
                }
                return -1;
        }

        function split_commas(t) {
                const parts = [];
                let k, from = 0;

                while ((k = find(t, ",", from)) >= 0) {
                        parts.push(t.slice(from, k));
                        from = k + 1;
                }
                parts.push(t.slice(from));
                return parts;
        }

        // funcstack: per procedure, what it returns and the caller's On Error; classes: per
        // Class being translated, what its constructor exports at End Class
        const out = [], funcstack = [], selects = [], classes = [];
        let resume = false;

        // an assignment or a call
        function simple(t) {
                let k = 0, group = -1;

                // the target: a name (or a With's .member), then members and parenthesized
                // arguments or indexes
                if (t[k] && t[k].v === ".")
                        k++;
                if (t[k] && t[k].k === "id")
                        k++;
                for (;;) {
                        if (t[k] && t[k].v === "(") {
                                let depth = 0;

                                group = k;
                                for (; k < t.length; k++) {
                                        if (t[k].v === "(")
                                                depth++;
                                        else if (t[k].v === ")" && --depth === 0) {
                                                k++;
                                                break;
                                        }
                                }
                        } else if (t[k] && t[k].v === "." && t[k + 1] && t[k + 1].k === "id") {
                                k += 2;
                                group = -1;
                        } else
                                break;
                }
                if (t[k] && t[k].v === "=") {
                        const value = expr(t.slice(k + 1));

                        // obj.Item(key) = v: a property with arguments, which JScript cannot
                        // assign; x(i) = v of an array not declared as one: an index
                        if (group > 0 && t[k - 1].v === ")" && t[group - 1].k === "id") {
                                const args = split_commas(t.slice(group + 1, k - 1)).map((a) => expr(a));

                                if (group >= 3 && t[group - 2].v === ".")
                                        return "$$set(" + expr(t.slice(0, group - 2), false) + ", " +
                                               JSON.stringify(t[group - 1].v) + ", [" + args.join(", ") + "], " + value + ");";
                                if (!arrays.has(t[group - 1].v))
                                        return expr(t.slice(0, group), false) + "[" + args.join("][") + "] = " + value + ";";
                        }
                        return expr(t.slice(0, k), false) + " = " + value + ";";
                }
                // a call: f, f x, y, f(x, y), obj.m x, obj.m (x), y
                if (group >= 0 && k < t.length)
                        k = group;
                const callee = t.slice(0, k), rest = t.slice(k);

                if (!rest.length && group >= 0)
                        return expr(callee, false) + ";";
                if (!rest.length)
                        return expr(callee, false) + "();";
                return expr(callee, false) + "(" + split_commas(rest).map((a) => (a.length ? expr(a) : "undefined")).join(", ") + ");";
        }

        function emit(line) {
                out.push(line);
        }

        // a procedure's start: function NAME(PARAMS) {, with a local for a Function's value
        function procedure(name, t, ret) {
                const open = find(t, "(");
                const params = open >= 0 ? split_commas(t.slice(open + 1, t.length - 1))
                        .filter((p) => p.length)
                        .map((p) => "$" + p.filter((x) => x.k === "id" && !["byval", "byref", "optional"].includes(x.v))[0].v)
                        : [];

                // On Error is per procedure: none at its start, the caller's again after it
                funcstack.push({ ret: ret ? "$" + ret : "", resume });
                resume = false;
                return emit("function " + name + "(" + params.join(", ") + ") {" + (ret ? " var $" + ret + ";" : ""));
        }

        function procedureEnd() {
                const f = funcstack.pop() || { ret: "", resume: false };

                resume = f.resume;
                return emit((f.ret ? "return " + f.ret + "; " : "") + "}");
        }

        function statement(t) {
                const w = t[0].v, w1 = t[1] && t[1].v;
                const cls = classes[classes.length - 1];

                if (t[0].k === "raw") {
                        // an HTA's JScript block; its functions under their VBScript names too
                        const names = new Set();

                        for (const m of t[0].v.matchAll(/^[ \t]*function[ \t]+([A-Za-z_][A-Za-z0-9_]*)/gm))
                                names.add(m[1]);
                        return emit(t[0].v + [...names].map((n) => "if (typeof $" + n.toLowerCase() +
                                                                 ' === "undefined") var $' + n.toLowerCase() + " = " + n + ";").join("\n"));
                }
                if (w === "option" || w === "randomize" || (w === "on" && w1 === "error" && !resume && t[2] && t[2].v === "goto"))
                        return;
                if (w === "on" && w1 === "error") {
                        resume = t[2] && t[2].v === "resume";
                        return;
                }
                if ((w === "public" || w === "private" || w === "default") && t[1] &&
                    ["function", "sub", "const", "property", "default"].includes(w1)) {
                        if (cls && w === "private" && w1 !== "default")
                                cls.priv.add(t[2] && t[2].v === "property" ? t[3] && t[3].v : t[2] && t[2].v);
                        return statement(t.slice(1));
                }
                if (w === "redim") {
                        const preserve = w1 === "preserve";

                        // ReDim [Preserve] a(n): an array of n + 1 (JScript's grow as needed)
                        for (const part of split_commas(t.slice(preserve ? 2 : 1))) {
                                const open = find(part, "(");

                                if (open < 1)
                                        continue;
                                const name = expr(part.slice(0, open), false);
                                const n = expr(split_commas(part.slice(open + 1, part.length - 1))[0]);

                                emit(name + " = " + (preserve ? "$$redim(" + name + ", " : "$$dim(") + n + ");");
                        }
                        return;
                }
                if (w === "dim" || w === "public" || w === "private" || w === "const") {
                        for (const part of split_commas(t.slice(1))) {
                                if (!part.length)
                                        continue;
                                const name = "$" + part[0].v;

                                if (cls && w !== "private" && w !== "const" && funcstack.length === cls.depth)
                                        cls.vars.push(part[0].v);
                                if (w === "const" && part[1] && part[1].v === "=")
                                        emit("var " + name + " = " + expr(part.slice(2)) + ";");
                                else if (part[1] && part[1].v === "(")
                                        emit("var " + name + " = " + (part[2] && part[2].v !== ")" ? "$$dim(" +
                                             expr(split_commas(part.slice(2, part.length - 1))[0]) + ")" : "[]") + ";");
                                else
                                        emit("var " + name + ";");
                        }
                        return;
                }
                if (w === "set")
                        return statement(t.slice(1));
                if (w === "call")
                        return emit(simple(t.slice(1)));
                if (w === "if") {
                        const th = find(t, "then");
                        const cond = expr(t.slice(1, th < 0 ? t.length : th));

                        if (th >= 0 && th + 1 < t.length) {
                                const body = t.slice(th + 1), el = find(body, "else");

                                if (el >= 0)
                                        return emit("if (" + cond + ") { " + block(body.slice(0, el)) + " } else { " +
                                                    block(body.slice(el + 1)) + " }");
                                return emit("if (" + cond + ") { " + block(body) + " }");
                        }
                        return emit("if (" + cond + ") {");
                }
                if (w === "elseif") {
                        const th = find(t, "then");

                        return emit("} else if (" + expr(t.slice(1, th < 0 ? t.length : th)) + ") {");
                }
                if (w === "else")
                        return emit("} else {");
                if (w === "end") {
                        if (w1 === "function" || w1 === "sub" || w1 === "property")
                                return procedureEnd();
                        if (w1 === "class") {
                                // the constructor's end: its public members on the object
                                classes.pop();
                                if (!cls)
                                        return emit("}");
                                for (const v of cls.vars)
                                        emit("Object.defineProperty($me, " + JSON.stringify(v) + ", { get: function () { return $" + v +
                                             "; }, set: function ($$v) { $" + v + " = $$v; }, enumerable: true });");
                                for (const m of cls.methods)
                                        if (!cls.priv.has(m))
                                                emit("$me." + m + " = $" + m + ";");
                                for (const [p, a] of Object.entries(cls.props)) {
                                        if (a.get && a.get.n > 0) {
                                                emit("$me." + p + " = $$pget_" + p + ";");
                                                continue;
                                        }
                                        const set = a.let || a.set;

                                        emit("Object.defineProperty($me, " + JSON.stringify(p) + ", { " +
                                             (a.get ? "get: $$pget_" + p + ", " : "") +
                                             (set ? "set: " + (a.let ? "$$plet_" : "$$pset_") + p + ", " : "") + "enumerable: true });");
                                }
                                if (cls.methods.includes("class_initialize"))
                                        emit("$class_initialize();");
                                return emit("}");
                        }
                        if (w1 === "with") {
                                withs.pop();
                                return;
                        }
                        if (w1 === "select") {
                                selects.pop();
                                return emit("}");
                        }
                        if (!t[1])
                                return emit("WScript.Quit();");
                        return emit("}");
                }
                if (w === "for" && w1 === "each") {
                        const inn = find(t, "in"), v = expr(t.slice(2, inn), false), n = ++uid;

                        return emit("for (var $$e" + n + " = $$each(" + expr(t.slice(inn + 1)) + "), $$i" + n + " = 0; $$i" +
                                    n + " < $$e" + n + ".length; $$i" + n + "++) { " + v + " = $$e" + n + "[$$i" + n + "];");
                }
                if (w === "for") {
                        const eq = find(t, "="), to = find(t, "to"), st = find(t, "step");
                        const v = expr(t.slice(1, eq), false), n = ++uid;
                        const step = st >= 0 ? expr(t.slice(st + 1)) : "1";

                        return emit("for (var $$s" + n + " = " + step + ", " + v + " = " + expr(t.slice(eq + 1, to)) +
                                    ", $$t" + n + " = " + expr(t.slice(to + 1, st >= 0 ? st : t.length)) + "; $$s" + n +
                                    " >= 0 ? " + v + " <= $$t" + n + " : " + v + " >= $$t" + n + "; " + v + " += $$s" + n + ") {");
                }
                if (w === "next" || w === "wend")
                        return emit("}");
                if (w === "do" || w === "while") {
                        const c = w === "while" ? t.slice(1) : t.slice(2);

                        if (w === "do" && w1 === "until")
                                return emit("while (!(" + expr(c) + ")) {");
                        if (w === "while" || w1 === "while")
                                return emit("while (" + expr(c) + ") {");
                        return emit("while (true) {");
                }
                if (w === "loop") {
                        if (w1 === "while")
                                return emit("if (!(" + expr(t.slice(2)) + ")) break; }");
                        if (w1 === "until")
                                return emit("if (" + expr(t.slice(2)) + ") break; }");
                        return emit("}");
                }
                if (w === "exit") {
                        if (w1 === "function" || w1 === "sub" || w1 === "property") {
                                const f = funcstack[funcstack.length - 1];

                                return emit("return " + (f ? f.ret : "") + ";");
                        }
                        return emit("break;");
                }
                if (w === "function" || w === "sub") {
                        if (cls)
                                cls.methods.push(t[1].v);
                        return procedure("$" + t[1].v, t, w === "function" ? t[1].v : null);
                }
                if (w === "property" && ["get", "let", "set"].includes(w1) && t[2] && cls) {
                        // Property Get/Let/Set NAME: $$pget_NAME..., made accessors at End Class
                        const name = t[2].v, p = cls.props[name] || (cls.props[name] = {});
                        const open = find(t, "(");

                        p[w1] = { n: open >= 0 ? split_commas(t.slice(open + 1, t.length - 1)).filter((x) => x.length).length : 0 };
                        return procedure("$$p" + w1 + "_" + name, t, w1 === "get" ? name : null);
                }
                if (w === "class" && w1) {
                        // a constructor; Me is the object, members are its locals
                        classes.push({ vars: [], methods: [], props: {}, priv: new Set(), depth: funcstack.length });
                        return emit("function $" + w1 + "() { var $me = this;");
                }
                if (w === "with") {
                        const n = "$$w" + ++uid;

                        emit("var " + n + " = " + expr(t.slice(1)) + ";");
                        withs.push(n);
                        return;
                }
                if (w === "select" && w1 === "case") {
                        const n = "$$c" + ++uid;

                        selects.push({ n, first: true });
                        return emit("var " + n + " = " + expr(t.slice(2)) + "; if (false) {");
                }
                if (w === "case") {
                        const s = selects[selects.length - 1];

                        if (!s)
                                return;
                        if (w1 === "else")
                                return emit("} else {");
                        // Case a, b | Case Is > a | Case a To b
                        return emit("} else if (" + split_commas(t.slice(1)).map((p) => {
                                const to = find(p, "to");

                                if (p[0].v === "is" && p[1])
                                        return s.n + " " + ({ "=": "==", "<>": "!=", "=<": "<=", "=>": ">=" }[p[1].v] || p[1].v) +
                                               " (" + expr(p.slice(2)) + ")";
                                if (to > 0)
                                        return "(" + s.n + " >= (" + expr(p.slice(0, to)) + ") && " + s.n + " <= (" + expr(p.slice(to + 1)) + "))";
                                return s.n + " == (" + expr(p) + ")";
                        }).join(" || ") + ") {");
                }
                if (w === "execute" || w === "executeglobal")
                        return emit("eval($$vbs2js(" + expr(t.slice(1)) + "));");
                if (w === "stop" || (w === "goto" && t.length === 2))
                        return;
                const s = simple(t);

                emit(resume ? "try { " + s + " } catch ($$x) { $err.$$catch($$x); }" : s);
        }

        // the statements of a one-line If
        function block(t) {
                const saved = out.length;

                statement(t);
                return out.splice(saved).join(" ");
        }

        for (const s of stmts) {
                try {
                        statement(s);
                } catch (e) {
                        emit("/* not translated: " + s.map((x) => x.v).join(" ").replace(/\*\//g, "* /") + " */");
                }
        }
        return out.join("\n");
}

// What the translated script runs on: VBScript's functions, lowercased and prefixed with '$'
// as the translator writes every name that is not a member.
const RUNTIME = `
var $wscript = WScript, $wsh = WScript;
var $self = { close: function () {} }, $window = $self;
var $document = { write: function () {}, writeln: function () {} };
function $createobject(n) { return new ActiveXObject(n); }
function $getobject(n, c) { return c === undefined ? GetObject(n) : new ActiveXObject(c); }
function $chr(n) { return String.fromCharCode(n); }
var $chrw = $chr, $chrb = $chr;
function $asc(s) { return String(s).charCodeAt(0); }
var $ascw = $asc, $ascb = $asc;
function $len(s) { return s === undefined || s === null ? 0 : String(s).length; }
function $mid(s, a, n) { s = String(s); return n === undefined ? s.substr(a - 1) : s.substr(a - 1, n); }
function $left(s, n) { return String(s).substr(0, n); }
function $right(s, n) { s = String(s); return n >= s.length ? s : s.substr(s.length - n); }
function $replace(s, a, b) { return String(s).split(String(a)).join(String(b)); }
function $split(s, d) { return String(s).split(d === undefined ? " " : String(d)); }
function $join(a, d) { return a.join(d === undefined ? " " : d); }
function $strreverse(s) { return String(s).split("").reverse().join(""); }
function $lcase(s) { return String(s).toLowerCase(); }
function $ucase(s) { return String(s).toUpperCase(); }
function $trim(s) { return String(s).trim(); }
function $ltrim(s) { return String(s).replace(/^\\s+/, ""); }
function $rtrim(s) { return String(s).replace(/\\s+$/, ""); }
function $space(n) { return new Array(n + 1).join(" "); }
function $string(n, c) { return new Array(n + 1).join(typeof c === "number" ? String.fromCharCode(c) : String(c)[0]); }
function $cstr(x) { return String(x); }
function $$num(x) { var m = /^\\s*&h([0-9a-f]+)\\s*$/i.exec(String(x)); return m ? parseInt(m[1], 16) : Number(x); }
function $cint(x) { return Math.round($$num(x)); }
var $clng = $cint, $cbyte = $cint;
function $cdbl(x) { return $$num(x); }
var $csng = $cdbl;
function $cbool(x) { return !!x; }
function $int(x) { return Math.floor(Number(x)); }
function $fix(x) { return Math.trunc(Number(x)); }
function $abs(x) { return Math.abs(x); }
function $sgn(x) { return Math.sign(x); }
function $sqr(x) { return Math.sqrt(x); }
function $round(x, n) { var p = Math.pow(10, n || 0); return Math.round(x * p) / p; }
function $hex(x) { return Number(x).toString(16).toUpperCase(); }
function $oct(x) { return Number(x).toString(8); }
function $instr(a, b, c) { if (c === undefined) return String(a).indexOf(String(b)) + 1; return String(b).indexOf(String(c), a - 1) + 1; }
function $instrrev(a, b) { return String(a).lastIndexOf(String(b)) + 1; }
function $array() { return Array.prototype.slice.call(arguments); }
function $ubound(a) { return a.length - 1; }
function $lbound(a) { return 0; }
function $isobject(x) { return typeof x === "object" && x !== null; }
function $isempty(x) { return x === undefined || x === ""; }
function $isnull(x) { return x === null; }
function $isarray(x) { return Array.isArray(x); }
function $isnumeric(x) { return !isNaN(parseFloat(x)); }
function $typename(x) { return Array.isArray(x) ? "Variant()" : typeof x === "string" ? "String" : typeof x === "number" ? "Double" : "Object"; }
function $vartype(x) { return typeof x === "string" ? 8 : typeof x === "number" ? 5 : 9; }
function $rnd() { return Math.random(); }
function $now() { return new Date(); }
var $date = $now, $time = $now;
function $year(d) { return new Date(d).getFullYear(); }
function $month(d) { return new Date(d).getMonth() + 1; }
function $day(d) { return new Date(d).getDate(); }
function $weekday(d) { return new Date(d).getDay() + 1; }
function $hour(d) { return new Date(d).getHours(); }
function $minute(d) { return new Date(d).getMinutes(); }
function $second(d) { return new Date(d).getSeconds(); }
function $cdate(d) { return new Date(d); }
function $isdate(d) { return !isNaN(new Date(d).getTime()); }
function $timer() { return (Date.now() % 86400000) / 1000; }
function $escape(s) { return escape(s); }
function $unescape(s) { return unescape(s); }
function $msgbox(s) { return 1; }
function $inputbox(s) { return ""; }
function $sleep(n) {}
function $eval(s) { return eval($$vbs2js(s)); }
function $execute(s) { return eval($$vbs2js(s)); }
var $executeglobal = $execute;
function $$dim(n) { var a = []; for (var i = 0; i <= n; i++) a.push(undefined); return a; }
function $$redim(a, n) { if (!Array.isArray(a)) a = []; while (a.length <= n) a.push(undefined); a.length = n + 1; return a; }
function $$get(o, m) { var v = o[m]; return typeof v === "function" ? v.call(o) : v; }
var $err = {
  number: 0, description: "", source: "",
  clear: function () { this.number = 0; this.description = ""; },
  raise: function (n, s, d) { this.number = n; this.description = d || ""; throw new Error(this.description || "error " + n); },
  $$catch: function (x) { this.number = (x && x.number) || 1; this.description = String((x && x.message) || x); }
};
function $$cat() { var s = ""; for (var i = 0; i < arguments.length; i++) s += arguments[i] === undefined || arguments[i] === null ? "" : String(arguments[i]); return s; }
function $$set(o, m, a, v) {
  // (box-js's objects end the run on a member they lack: "in" asks without reading it)
  if (m === "item" && o && typeof o === "object" && "add" in o) { o.add(a[0], v); return; }
  try { o[m] = v; } catch (x) {}
}
function $$each(c) {
  if (Array.isArray(c)) return c;
  var r = [];
  try { for (var e = new Enumerator(c); !e.atEnd(); e.moveNext()) r.push(e.item()); } catch (x) {}
  return r;
}
var $vbcrlf = "\\r\\n", $vbcr = "\\r", $vblf = "\\n", $vbtab = "\\t", $vbnullstring = "", $vbnullchar = "\\0";
var $vbhide = 0, $vbnormalfocus = 1, $vbtrue = -1, $vbfalse = 0, $vbbinarycompare = 0, $vbtextcompare = 1;
`;

// The whole script box-js runs: the runtime, the translator (for Execute), the translation.
function translate(src) {
        return "var $$vbs2js = " + vbs2js.toString() + ";\n" + RUNTIME + "\n" + vbs2js(src) + "\n";
}

module.exports = { vbs2js, translate };
