# Helpers for the tests that detonate web pages (sourced after tests/lib.sh).

# need_chromium: Debian's Chromium, which scripts/deps.sh installs when it is missing (as
# root); otherwise a failed check, and status 1.
need_chromium() {
        command -v chromium >/dev/null 2>&1 && return 0
        is_root && sh "$AIRLOCK_SRC/scripts/deps.sh" >/dev/null 2>&1
        command -v chromium >/dev/null 2>&1 && return 0
        fail "chromium" "not installed and scripts/deps.sh could not install it"
        return 1
}

# page_corpus DIR: detonate-pages.py's smuggling pages in DIR/mal and benign ones in DIR/ben,
# their payload a tiny program built in DIR, the manifest (one smuggling page a line) in
# DIR/manifest.
page_corpus() {
        mkdir -p "$1/mal" "$1/ben"
        printf 'int main(void) { return 0; }\n' >"$1/tiny.c"
        cc -Os -s -o "$1/tiny" "$1/tiny.c" || fail "cc" "cannot build the tiny payload program"
        "${PY:-python3}" "$AIRLOCK_SRC/tests/integration/detonate-pages.py" "$1/mal" "$1/ben" \
                "$1/tiny" >"$1/manifest" || fail "corpus" "detonate-pages.py failed"
}
