airlock-profile 1
allow-userns yes
