#!/bin/sh
# airlock-runtime's linux.devices (issue 13): a user namespace cannot mknod, so a device is the
# host's node of the same path bound in (as rootless runc and crun do), when its type, major
# and minor are the spec's; any other is refused with the device named.
. "$AIRLOCK_SRC/tests/lib.sh"

. "$AIRLOCK_SRC/tests/integration/oci-runtime.lib"

B=$TEST_TMPDIR/bundle
oci_test_bundle "$B"

# /dev/zero is in airlock's own /dev too; /dev/fuse (10:229, where the kernel has fuse) and
# /dev/net/tun (10:200) are not: they are there only because the spec names them
devs="{'path': '/dev/zero', 'type': 'c', 'major': 1, 'minor': 5}"
want="1,5 c"
for d in fuse:10:229 net/tun:10:200; do
        node=/dev/${d%%:*}
        mm=${d#*:}
        if [ -c "$node" ] && [ "$(stat -c '%t:%T' "$node")" = "$(printf '%x:%x' "${mm%:*}" "${mm#*:}")" ]; then
                devs="$devs, {'path': '$node', 'type': 'c', 'major': ${mm%:*}, 'minor': ${mm#*:}, 'fileMode': 438, 'uid': 0, 'gid': 0}"
                want="$want
${mm%:*},${mm#*:} c"
        fi
done
show='for d in /dev/zero /dev/fuse /dev/net/tun; do [ -e $d ] && echo $(stat -c "%t %T %F" $d); done'
cfg "c['linux']['devices'] = [$devs]
c['process']['args'] = ['sh', '-c', '''$show | while read a b t; do echo \$((0x\$a)),\$((0x\$b)) \$(echo \$t | cut -c1); done; head -c 3 /dev/zero | od -An -tx1''']"
expect_output "linux.devices: the host's nodes are there with the spec's numbers, and work" \
        "$want
 00 00 00" rt run --bundle "$B" dv-ok
expect_status "and no container is left" 1 rt state dv-ok

# refused, each with the device named: numbers that differ from the host's node, a node the
# host lacks, a block device where the host's is a character one, a FIFO, a link
refuse() { # refuse NAME REGEX DEVICE-JSON
        cfg "c['linux']['devices'] = [$3]"
        expect_grep "$1" "$2" rt run --bundle "$B" dv-no
        expect_status "$1: no container is left" 1 rt state dv-no
}
refuse "other numbers than the host's node are refused" \
        'linux\.devices\[0\]: /dev/zero: the spec says 1:6, the host.s node is 1:5' \
        "{'path': '/dev/zero', 'type': 'c', 'major': 1, 'minor': 6}"
refuse "a device the host lacks is refused" \
        'linux\.devices\[0\]: /dev/airlock-no-such-device: the host has no such device' \
        "{'path': '/dev/airlock-no-such-device', 'type': 'c', 'major': 1, 'minor': 3}"
refuse "a block device where the host has a character one is refused" \
        'linux\.devices\[0\]: /dev/null: the host.s node is not a block device' \
        "{'path': '/dev/null', 'type': 'b', 'major': 1, 'minor': 3}"
refuse "a FIFO is refused by name" 'linux\.devices\[0\]: only character .* and block' \
        "{'path': '/dev/null', 'type': 'p'}"
ln -s /dev/null "$TEST_TMPDIR/null-link"
refuse "a link on the host is refused" \
        "linux\\.devices\\[0\\]: $TEST_TMPDIR/null-link: on the host it is a link to /dev/null" \
        "{'path': '$TEST_TMPDIR/null-link', 'type': 'c', 'major': 1, 'minor': 3}"
refuse "a relative path is refused" 'linux\.devices\[0\]: expected an absolute path' \
        "{'path': 'dev/null', 'type': 'c', 'major': 1, 'minor': 3}"
