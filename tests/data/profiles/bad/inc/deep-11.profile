airlock-profile 1
include deep-12
