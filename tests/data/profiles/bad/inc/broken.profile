airlock-profile 1
# fine so far
net sideways
