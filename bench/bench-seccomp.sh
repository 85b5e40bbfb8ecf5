#!/bin/sh
# The seccomp layer: compile time, cache load time and syscall overhead, beside libseccomp
# compiling the same Docker profile (what crun and runc do at every start).
set -u
build=$(dirname "${AIRLOCK:?}")
src=${AIRLOCK_SRC:?}
exec "$build/tests/unit/sandbox/seccomp-bench" "$src/tests/data/seccomp/docker-default.json"
