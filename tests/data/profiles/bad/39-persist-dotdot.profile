airlock-profile 1
persist /a/../b
