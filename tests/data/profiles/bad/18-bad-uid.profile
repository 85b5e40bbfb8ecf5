airlock-profile 1
uid 0
