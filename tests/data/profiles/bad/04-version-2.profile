airlock-profile 2
