airlock-profile 1
net none
ro-bnd /usr /usr
