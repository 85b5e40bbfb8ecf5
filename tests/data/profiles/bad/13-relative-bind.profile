airlock-profile 1
bind /tmp tmp
