airlock-profile 1
include deep-7
