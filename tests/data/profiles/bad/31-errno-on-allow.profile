airlock-profile 1
seccomp-allow read=EPERM
