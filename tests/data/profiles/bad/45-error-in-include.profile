airlock-profile 1
include inc/broken.profile
