airlock-profile 1
env "A=\xff\xc3 ok \\ \xe2\x82\xac"
hostname "h\x7fx"
memory 0
tmpfs-size 0
reset memory
