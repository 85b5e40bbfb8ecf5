airlock-profile 1
env "A=\xff\xc3 ok \\ \xe2\x82\xac"
hostname "h\x7fx"
memory max
pids max
reset memory
tmpfs-size 1
