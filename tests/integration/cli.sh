#!/bin/sh
# The command line itself: help, version, unknown commands.
. "$AIRLOCK_SRC/tests/lib.sh"

expect_grep "help lists run" '^  run ' "$AIRLOCK" --help
expect_grep "version" '^airlock [0-9]+\.[0-9]+' "$AIRLOCK" --version
expect_status "unknown command is status 2" 2 "$AIRLOCK" frobnicate
expect_grep "unknown command is named" "unknown command 'frobnicate'" "$AIRLOCK" frobnicate
