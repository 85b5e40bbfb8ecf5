airlock-profile 1
ro-bind /usr
