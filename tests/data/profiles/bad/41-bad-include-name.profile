airlock-profile 1
include ..hidden
