airlock-profile 1
net none
include cycle-a
