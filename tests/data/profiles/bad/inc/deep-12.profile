airlock-profile 1
