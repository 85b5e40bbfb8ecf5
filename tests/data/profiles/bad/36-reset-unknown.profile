airlock-profile 1
reset everything
