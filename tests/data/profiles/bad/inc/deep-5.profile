airlock-profile 1
include deep-6
