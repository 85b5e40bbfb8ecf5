// SPDX-License-Identifier: LGPL-2.1-or-later
// Loaded with `node -r` before box-js's analyze.js when src/analysis/wsh.c detonates a Windows
// script inside `airlock run --net sinkhole`. It changes no file of box-js; it puts modules in
// node's require cache before analyze.js asks for them (docs/wsh.md, "Time"):
//
// - sync-request: used only for --download (detonation never downloads); loading it starts a
//   sync-rpc worker, which costs seconds. A stub that throws takes its place.
// - jsdom: analyze.js builds one JSDOM document at start-up and hands it to the sample as the
//   global `dom`, which no Windows script host has. Loading jsdom is more than half of box-js's
//   start-up (1.4 s of 2.4 s measured). A proxy stands in; the real jsdom is loaded the first
//   time a script touches `dom` (its time then counts against the script's own timeout).
// - emulator/WMI: parses a 4 MB process list at start-up, for GetObject("winmgmts:") only.
//   GetObject loads it on its first call.
// - VBScript: see below.
//
// analyze.js run alone (not forked by run.js) has no IPC channel; with --no-shell-error it
// reports each WScript.Shell.Run through process.send, so a stub stands in for that too.
"use strict";
const Module = require("module");
const path = require("path");

// argv[1] is .../node_modules/box-js/analyze.js
const boxjs = path.dirname(process.argv[1] || ".");

function resolve(name) {
        return require.resolve(name, { paths: [boxjs] });
}

function stub(file, exports) {
        const m = new Module(file);

        m.filename = file;
        m.loaded = true;
        m.exports = exports;
        require.cache[file] = m;
}

stub(resolve("sync-request"), function () {
        throw new Error("airlock: no network in detonation");
});

const jsdomFile = resolve("jsdom");
stub(jsdomFile, {
        JSDOM: function LazyJSDOM(...args) {
                let dom = null;
                const real = () => {
                        if (!dom) {
                                delete require.cache[jsdomFile];
                                dom = new (require(jsdomFile).JSDOM)(...args);
                        }
                        return dom;
                };

                // Before the first use there is nothing to list: vm2 lists the keys and
                // descriptors of every object put into the sandbox, and that must not load it.
                return new Proxy(
                        {},
                        {
                                get: (_, k) => Reflect.get(real(), k),
                                has: (_, k) => Reflect.has(real(), k),
                                set: (_, k, v) => Reflect.set(real(), k, v),
                                ownKeys: () => (dom ? Reflect.ownKeys(dom) : []),
                                getOwnPropertyDescriptor: (_, k) => {
                                        const d = dom && Reflect.getOwnPropertyDescriptor(dom, k);

                                        if (d)
                                                d.configurable = true;
                                        return d;
                                },
                        },
                );
        },
});

const wmiFile = path.join(boxjs, "emulator", "WMI.js");
let wmi = null;
stub(wmiFile, {
        GetObject: function GetObject(...args) {
                if (!wmi) {
                        delete require.cache[wmiFile];
                        wmi = require(wmiFile);
                }
                return wmi.GetObject.apply(this, args);
        },
});

// VBScript (AIRLOCK_WSH_VBSCRIPT=1): box-js has no VBScript engine; the sample is translated
// to JScript by wsh-vbs.js (beside this file) here, inside the sandbox, and box-js runs that.
if (process.env.AIRLOCK_WSH_VBSCRIPT === "1") {
        const fs = require("fs");
        const os = require("os");
        const vbs = require(path.join(__dirname, "vbs.js"));
        const js = path.join(fs.existsSync(os.tmpdir()) ? os.tmpdir() : process.argv[3],
                             "sample-" + process.pid + ".vbs.js");

        fs.writeFileSync(js, vbs.translate(fs.readFileSync(process.argv[2], "utf8")));
        process.argv[2] = js;
}

// Dates: box-js's patch.js (prepended to every sample) makes each Date a Proxy, but vm2 3.12
// takes Proxy out of its sandbox, so any `new Date()` of a sample ended the run ("Proxy is not
// a constructor"). Where the sandbox has no Proxy, a plain Date takes its place (Date.now still
// runs fast).
{
        const fs = require("fs");
        const patchFile = path.join(boxjs, "patch.js");
        const readFileSync = fs.readFileSync;

        fs.readFileSync = function (file, ...rest) {
                const data = readFileSync.call(this, file, ...rest);

                if (file !== patchFile || typeof data !== "string")
                        return data;
                return data.replace(
                        /(Date = function\(\) \{\s*return new )Proxy\(/,
                        "function $$$$dateProxy(t, h) { return typeof Proxy === \"function\" ? new Proxy(t, h) : " +
                                "new legacyDate(t._actualTime.getTime()); }\n$1$$$$dateProxy(",
                );
        };
}

if (typeof process.send !== "function")
        process.send = () => true;
