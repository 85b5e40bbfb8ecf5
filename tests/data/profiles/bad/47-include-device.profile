airlock-profile 1
include /dev/zero
