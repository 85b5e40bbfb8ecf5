airlock-profile 1
require magic
