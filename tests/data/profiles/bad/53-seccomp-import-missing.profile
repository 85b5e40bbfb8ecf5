airlock-profile 1
seccomp-import no-such-file.json
