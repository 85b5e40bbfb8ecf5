#!/bin/sh
# airlock-runtime's device cgroup (linux.resources.devices, issue 13): everything denied, the
# nodes of linux.devices allowed after the spec's last whole-table rule, the spec's rules in
# order, airlock's own /dev allowed last (as runc); on cgroup v1 in the container's own devices
# cgroup (checked here: a node allowed opens, one a rule denies is EPERM, the list is the
# kernel's), on v2 a BPF device program (tests/unit/resources/test-cgroup-devices.c). An allow
# rule beyond airlock's /dev is refused by name unless airlock.allow-privileged=true.
. "$AIRLOCK_SRC/tests/lib.sh"

. "$AIRLOCK_SRC/tests/integration/oci-runtime.lib"

B=$TEST_TMPDIR/bundle
oci_test_bundle "$B"
NAME=airlock-ocidev-$$

cfg "c['linux']['resources']['devices'] = [{'allow': False, 'access': 'rwm'},
        {'allow': True, 'type': 'c', 'major': 10, 'minor': 229, 'access': 'rwm'}]
c['process']['args'] = ['true']"
expect_grep "an allow rule beyond airlock's /dev is refused by name" \
        "linux\.resources\.devices\[1\]: a device beyond airlock's /dev" rt run --bundle "$B" dc-ref
expect_status "and no container is left" 1 rt state dc-ref

if ! is_root; then
        exit 0 # the rest makes a device node and a cgroup of root's
fi
if [ ! -w /sys/fs/cgroup/devices/devices.deny ] && [ ! -d /sys/fs/cgroup/devices ]; then
        skip "device cgroup v1" "no cgroup v1 devices hierarchy on this kernel (v2: the unit test)"
        exit 0
fi

# a node of the host's, bound by linux.devices: /dev/kmsg's numbers, writable by anyone (the
# container's root is 65534 outside); opening it for writing logs nothing
NODE=$TEST_TMPDIR/kmsg
mknod "$NODE" c 1 11 && chmod 666 "$NODE"
probe="exec 3>$NODE && echo opened; head -c 2 /dev/zero | od -An -tx1"
dev_cfg() { # dev_cfg EXTRA-RULES SHELL-TEXT
        cfg "c['linux']['cgroupsPath'] = '$NAME'
c['linux']['devices'] = [{'path': '$NODE', 'type': 'c', 'major': 1, 'minor': 11}]
c['linux']['resources']['devices'] = [{'allow': False, 'access': 'rwm'}$1]
c['process']['args'] = ['sh', '-c', '''$2''']"
}
dev_cfg "" "$probe"
expect_output "deny all: a node linux.devices binds opens, and airlock's own /dev" "opened
 00 00" rt run --bundle "$B" dc-ok
dev_cfg ", {'allow': False, 'type': 'c', 'major': 1, 'minor': 11, 'access': 'w'}" \
        "test -c $NODE && echo node; (exec 3>$NODE) 2>&1 | grep -o not.permitted"
expect_output "a rule denying it: there, and opening it for writing is EPERM" "node
not permitted" \
        rt run --bundle "$B" dc-deny

# the kernel's list in the container's cgroup, during create; under the annotation an allow
# rule beyond airlock's /dev is written too
dev_cfg ", {'allow': True, 'type': 'c', 'major': 10, 'minor': 229, 'access': 'rwm'}" 'sleep 60'
python3 - "$B/config.json" <<'EOF'
import json, sys
c = json.load(open(sys.argv[1]))
c['annotations'] = {'airlock.allow-privileged': 'true'}
json.dump(c, open(sys.argv[1], 'w'))
EOF
expect_status "create, with allow-privileged and fuse allowed" 0 rt create --bundle "$B" dc-list
list=$(cat "/sys/fs/cgroup/devices/$NAME/devices.list" 2>/dev/null | sort | tr '\n' ' ')
expect_eq "devices.list: the bound node, fuse, airlock's /dev; no 'a'" \
        "c 10:229 rwm c 136:* rwm c 1:11 rwm c 1:3 rwm c 1:5 rwm c 1:7 rwm c 1:8 rwm c 1:9 rwm c 5:0 rwm c 5:1 rwm c 5:2 rwm " \
        "$list"
expect_status "delete --force" 0 rt delete --force dc-list
expect_status "the cgroup is gone" 1 test -d "/sys/fs/cgroup/devices/$NAME"
rm -f "$NODE"
