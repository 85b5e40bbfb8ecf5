airlock-profile 1
memory lots
