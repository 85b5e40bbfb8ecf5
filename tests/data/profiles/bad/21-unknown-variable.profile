airlock-profile 1
bind ${SECRET} /x
