airlock-profile 1
net
