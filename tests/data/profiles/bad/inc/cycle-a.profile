airlock-profile 1
include cycle-b
