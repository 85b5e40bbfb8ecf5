airlock-profile 1
bind ${HOME /x
