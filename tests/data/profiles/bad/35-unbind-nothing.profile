airlock-profile 1
unbind /never
