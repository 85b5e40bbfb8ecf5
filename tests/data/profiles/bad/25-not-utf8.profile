airlock-profile 1
hostname café
