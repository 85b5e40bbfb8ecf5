airlock-profile 1
net none
airlock-profile 1
