airlock-profile 1
include /etc
