airlock-profile 1
pass-fd 3
