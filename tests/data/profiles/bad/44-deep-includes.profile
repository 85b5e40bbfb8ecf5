airlock-profile 1
include inc/deep-1.profile
