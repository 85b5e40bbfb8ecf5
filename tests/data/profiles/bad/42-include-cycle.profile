airlock-profile 1
include inc/cycle-a.profile
