airlock-profile 1
seccomp-deny read=EWHATEVER
