// WSH droppers and scripts injected into web pages by their vocabulary. JScript droppers
// (.js, .jse, .wsf, .hta) and the loaders, redirectors and hidden-frame writers injected into
// compromised pages change their strings and their obfuscation with every campaign, and
// jsshape.c's walk loses their sinks behind indirection, but they name together what
// libraries and sites' own scripts rarely name together: ActiveXObject, WScript, Shell, Run,
// ExpandEnvironmentStrings, TEMP, responseBody, SaveToFile, charCodeAt, fromCharCode,
// referrer, cookie, iframe, visibility, the _0x names of obfuscator.io... js_model is a linear
// model's logit (in thousandths) over the script's tokens, comments, URLs, numbers and base64
// blobs left out (src/analysis/jsmodel.c), trained by tools/train-jsmodel.py on malicious
// JavaScript collections and offensive WSH templates against Debian's JavaScript libraries and
// node modules, real sites' scripts and WSH admin tools, split by source; measured over the
// raw text of a script, or each inline <script> body of a page (the highest).
// The threshold was set on the training side alone (tools/train-jsmodel.py --validate: a third
// of the trained sources held out): at 2500, 1 of 3,472 of their benign scripts and pages over it
// (Debian libraries, node modules, real sites' scripts, WSH admin tools) and 97% of their
// malicious ones (at 2000: the same benign file, 97.3%; at 4000: 88.6%).
// The technique says the id: Windows Script Host's objects (or no browser object at all: a
// standalone script that names neither is run by WSH) make a dropper (T1059.007); a script
// that names the browser's objects and none of WSH's is an injected page script (T1189).
// No strings: the rules read variables only, so they cost nothing in YARA's search.
// airlock-scope: page

rule jsmodel_wsh_dropper_vocabulary
{
    meta:
        severity = "high"
        attack = "T1059.007"
        description = "JScript dropper vocabulary: a script that names together what Windows Script Host droppers name (shell and file objects, environment paths, downloads saved to disk and run, string decoders) and libraries rarely do"
    condition:
        js_model >= 2500 and (js_sink_wsh > 0 or js_browser_names == 0)
}

rule jsmodel_injected_script_vocabulary
{
    meta:
        severity = "high"
        attack = "T1189"
        description = "injected page script vocabulary: a browser script that names together what injected loaders, redirectors and hidden-frame writers name (referrer and cookie gates, written or created script and iframe elements, hidden styles, character-code decoders) and sites' own scripts rarely do"
    condition:
        js_model >= 2500 and js_sink_wsh == 0 and js_browser_names > 0
}
