airlock-profile 1
include no-such-profile-here
