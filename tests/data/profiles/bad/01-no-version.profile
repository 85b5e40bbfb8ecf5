# a comment
net none
