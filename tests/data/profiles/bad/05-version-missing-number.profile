airlock-profile
