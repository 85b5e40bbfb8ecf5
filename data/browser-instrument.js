/* SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Installed by airlock's page detonation (src/analysis/browser.c) with
 * Page.addScriptToEvaluateOnNewDocument, so that it runs in every frame before any script of
 * the page. It records what a page hands to the browser as a file: the bytes given to Blob and
 * File, what URL.createObjectURL, navigator.msSaveOrOpenBlob, a[download] clicks, window.open,
 * navigations and fetch() of data: URLs point at. Each record goes to the driver through the
 * binding __airlockRecord (Runtime.addBinding) as JSON: {api, name, type, url, size, data},
 * data being the bytes in base64. */
(function () {
        "use strict";
        const binding = self.__airlockRecord;
        if (typeof binding !== "function")
                return;
        try {
                delete self.__airlockRecord;
        } catch (e) {}
        const LIMIT = 16 * 1024 * 1024;
        const OrigBlob = self.Blob, OrigFile = self.File, OrigURL = self.URL;
        const encoder = new TextEncoder();
        const blobBytes = new WeakMap();
        const urlBytes = new Map();
        const stringify = JSON.stringify, fromCharCode = String.fromCharCode, btoa_ = self.btoa;
        const atob_ = self.atob;
        const readBlob = OrigBlob.prototype.arrayBuffer;

        function partBytes(p) {
                if (p instanceof ArrayBuffer)
                        return new Uint8Array(p.slice(0));
                if (ArrayBuffer.isView(p))
                        return new Uint8Array(p.buffer.slice(p.byteOffset, p.byteOffset + p.byteLength));
                if (p instanceof OrigBlob)
                        return blobBytes.get(p) || null;
                return encoder.encode(String(p));
        }
        function collect(parts) {
                if (!parts || typeof parts[Symbol.iterator] !== "function")
                        return new Uint8Array(0);
                const list = [];
                let size = 0;
                for (const p of parts) {
                        const b = partBytes(p);
                        if (!b)
                                return null;
                        size += b.length;
                        if (size > LIMIT)
                                return null;
                        list.push(b);
                }
                const out = new Uint8Array(size);
                let at = 0;
                for (const b of list) {
                        out.set(b, at);
                        at += b.length;
                }
                return out;
        }
        function base64(u8) {
                let s = "";
                for (let i = 0; i < u8.length; i += 0x8000)
                        s += fromCharCode.apply(null, u8.subarray(i, i + 0x8000));
                return btoa_(s);
        }
        function send(api, bytes, name, type, url) {
                try {
                        binding(stringify({
                                api: api,
                                name: name ? String(name) : "",
                                type: type ? String(type) : "",
                                url: url ? String(url).slice(0, 2048) : "",
                                size: bytes ? bytes.length : -1,
                                data: bytes ? base64(bytes) : "",
                        }));
                } catch (e) {}
        }
        /* The bytes of a data: URL, or null. */
        function dataUrlBytes(url) {
                const m = /^data:([^,]*?),/is.exec(url);
                if (!m)
                        return null;
                const body = url.slice(m[0].length);
                try {
                        if (/;base64$/i.test(m[1])) {
                                const s = atob_(decodeURIComponent(body).replace(/\s+/g, ""));
                                const u8 = new Uint8Array(s.length);
                                for (let i = 0; i < s.length; i++)
                                        u8[i] = s.charCodeAt(i);
                                return u8;
                        }
                        return encoder.encode(decodeURIComponent(body));
                } catch (e) {
                        return encoder.encode(body);
                }
        }
        function mimeOf(url) {
                const m = /^data:([^;,]*)/i.exec(url);
                return m ? m[1] : "";
        }
        /* What url points at: a recorded blob: URL or a data: URL; null otherwise. */
        function bytesOf(url) {
                url = String(url);
                if (url.startsWith("blob:"))
                        return urlBytes.has(url) ? urlBytes.get(url) : null;
                if (/^data:/i.test(url))
                        return dataUrlBytes(url);
                return null;
        }
        function recordUrl(api, url, name) {
                url = String(url);
                if (!/^(blob|data):/i.test(url)) {
                        send(api, null, name, "", url);
                        return;
                }
                send(api, bytesOf(url), name, mimeOf(url), url);
        }
        function wrapConstructor(Orig, withName) {
                return new Proxy(Orig, {
                        construct(target, args, newTarget) {
                                const obj = Reflect.construct(target, args, newTarget);
                                const bytes = collect(args[0]);
                                if (bytes)
                                        blobBytes.set(obj, bytes);
                                if (withName && bytes && bytes.length)
                                        send("File", bytes, args[1], obj.type, "");
                                return obj;
                        },
                });
        }
        self.Blob = wrapConstructor(OrigBlob, false);
        if (OrigFile)
                self.File = wrapConstructor(OrigFile, true);
        const origSlice = OrigBlob.prototype.slice;
        OrigBlob.prototype.slice = function () {
                const out = origSlice.apply(this, arguments);
                const bytes = blobBytes.get(this);
                if (bytes) {
                        const size = bytes.length;
                        let start = arguments[0] === undefined ? 0 : Number(arguments[0]);
                        let end = arguments[1] === undefined ? size : Number(arguments[1]);
                        if (start < 0)
                                start = Math.max(size + start, 0);
                        if (end < 0)
                                end = Math.max(size + end, 0);
                        blobBytes.set(out, bytes.slice(Math.min(start, size), Math.min(end, size)));
                }
                return out;
        };

        /* A blob the instrumentation did not see made (fetch().blob(), canvas...) is read
         * asynchronously. */
        function withBlob(blob, fn) {
                const bytes = blobBytes.get(blob);
                if (bytes) {
                        fn(bytes);
                        return;
                }
                try {
                        readBlob.call(blob).then((ab) => {
                                const u8 = new Uint8Array(ab);
                                blobBytes.set(blob, u8);
                                fn(u8);
                        }, () => fn(null));
                } catch (e) {
                        fn(null);
                }
        }
        const origCreate = OrigURL.createObjectURL;
        OrigURL.createObjectURL = function (obj) {
                const url = origCreate.apply(this, arguments);
                if (obj instanceof OrigBlob) {
                        const name = OrigFile && obj instanceof OrigFile ? obj.name : "";
                        withBlob(obj, (bytes) => {
                                if (bytes)
                                        urlBytes.set(url, bytes);
                                send("URL.createObjectURL", bytes, name, obj.type, url);
                        });
                }
                return url;
        };

        /* The Internet Explorer branch of a page runs too. */
        function msSave(api) {
                return function (blob, name) {
                        if (blob instanceof OrigBlob)
                                withBlob(blob, (bytes) => send(api, bytes, name, blob.type, ""));
                        return true;
                };
        }
        try {
                Object.defineProperty(Navigator.prototype, "msSaveOrOpenBlob",
                                      {value: msSave("navigator.msSaveOrOpenBlob"), configurable: true});
                Object.defineProperty(Navigator.prototype, "msSaveBlob",
                                      {value: msSave("navigator.msSaveBlob"), configurable: true});
        } catch (e) {}

        /* a[download] clicks: by click() (also on an anchor outside the document), by a
         * dispatched event, or by a real click. */
        function anchorClicked(a) {
                try {
                        if (!(a instanceof HTMLAnchorElement) && !(self.SVGAElement && a instanceof SVGAElement))
                                return;
                        const href = a.href && a.href.baseVal !== undefined ? a.href.baseVal : a.href;
                        if (!href)
                                return;
                        if (a.hasAttribute("download") || /^(blob|data):/i.test(href))
                                recordUrl(a.hasAttribute("download") ? "a[download]" : "a.click", href,
                                          a.getAttribute("download") || "");
                } catch (e) {}
        }
        const origClick = HTMLElement.prototype.click;
        HTMLElement.prototype.click = function () {
                anchorClicked(this);
                return origClick.apply(this, arguments);
        };
        const origDispatch = EventTarget.prototype.dispatchEvent;
        EventTarget.prototype.dispatchEvent = function (ev) {
                if (ev && ev.type === "click" && !(this.isConnected))
                        anchorClicked(this);
                return origDispatch.apply(this, arguments);
        };
        self.addEventListener("click", (ev) => {
                for (let n = ev.target; n; n = n.parentNode)
                        if (n instanceof HTMLAnchorElement || (self.SVGAElement && n instanceof SVGAElement)) {
                                anchorClicked(n);
                                break;
                        }
        }, true);

        const origOpen = self.open;
        self.open = function (url) {
                if (url !== undefined && url !== "")
                        recordUrl("window.open", new OrigURL(String(url), document.baseURI).href, "");
                return origOpen.apply(this, arguments);
        };
        /* location changes, assigned or followed, in this frame. */
        if (self.navigation && self.navigation.addEventListener)
                self.navigation.addEventListener("navigate", (ev) => {
                        try {
                                recordUrl("location", ev.destination.url, "");
                        } catch (e) {}
                });
        const origFetch = self.fetch;
        self.fetch = function (input) {
                try {
                        const url = input instanceof Request ? input.url : String(input);
                        if (/^data:/i.test(url))
                                recordUrl("fetch", url, "");
                } catch (e) {}
                return origFetch.apply(this, arguments);
        };
})();
