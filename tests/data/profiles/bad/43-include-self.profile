airlock-profile 1
include ./43-include-self.profile
