airlock-profile 1
timeout soon
