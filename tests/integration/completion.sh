#!/bin/sh
# Shell completion: the bash completion offers the commands, each command's options (read
# from its --help, so a new option is completed without touching the script), profile names
# and the program after "--"; the zsh completion parses.
. "$AIRLOCK_SRC/tests/lib.sh"

comp=$AIRLOCK_SRC/packaging/completions
cat >"$TEST_TMPDIR/c.bash" <<EOT
. "$comp/airlock.bash"
airlock() { "$AIRLOCK" "\$@"; }
comp() { COMP_WORDS=("\$@"); COMP_CWORD=\$((\${#COMP_WORDS[@]} - 1)); _airlock; printf '%s ' "\${COMPREPLY[@]}"; }
comp "\$@"
EOT
completes() { # NAME EXPECTED-WORD WORDS...
        _n=$1 _w=$2
        shift 2
        _got=$(bash "$TEST_TMPDIR/c.bash" "$@" 2>&1)
        case " $_got " in
        *" $_w "*) pass "$_n" ;;
        *) fail "$_n" "'$*' completed to '$(printf %s "$_got" | head -c 300)', expected $_w among them" ;;
        esac
}
completes "completion: commands" run airlock r
completes "completion: run's options from its --help" --ro-bind-try airlock run --ro-bind-t
completes "completion: analyze's options" --detonate-timeout airlock analyze --detonate-
completes "completion: mail scan's options" --json airlock mail scan --js
completes "completion: profile names after -p" chromium airlock run -p chrom
completes "completion: --net values" sinkhole airlock run --net si
completes "completion: profile sub-commands" lint airlock profile li
completes "completion: the program after --" bash airlock run --net none -- bas
completes "completion: quarantine actions" restore airlock quarantine --store /q rest
if command -v zsh >/dev/null 2>&1; then
        expect_status "completion: the zsh completion parses" 0 zsh -n "$comp/_airlock"
else
        fail "completion: the zsh completion parses" "zsh is not installed (scripts/deps.sh installs it)"
fi
