#!/bin/sh
# airlock-runtime's linux.resources cpu and memory settings (issue 13): each is written to the
# container's own cgroup and read back here from the kernel's files (cgroup v1 on this machine;
# on a v2 host the v2 files, mapped as runc and crun map them), the cpuset holds the program;
# what the kernel or the host refuses is an error naming the field, and leaves no cgroup
# behind. A user, whose cgroups here are root's, gets that error for any such setting.
. "$AIRLOCK_SRC/tests/lib.sh"

. "$AIRLOCK_SRC/tests/integration/oci-runtime.lib"

B=$TEST_TMPDIR/bundle
oci_test_bundle "$B"

NAME=airlock-ocires-$$
cg_dirs() { find /sys/fs/cgroup -maxdepth 6 -type d -name "$1" 2>/dev/null; }
# res_cfg CGROUPSPATH RESOURCES-PYTHON SHELL-TEXT
res_cfg() {
        cfg "c['linux']['cgroupsPath'] = '$1'
c['linux']['namespaces'] = [n for n in c['linux']['namespaces'] if n['type'] != 'cgroup']
c['linux']['resources'] = $2
c['process']['args'] = ['sh', '-c', '''$3''']"
}
# the whole first line of a cgroup file
cgf() { head -n 1 "/sys/fs/cgroup/$1" 2>/dev/null; }

V1=false
[ -d /sys/fs/cgroup/memory ] && [ -d /sys/fs/cgroup/cpu ] && [ -d /sys/fs/cgroup/cpuset ] && V1=true
ncpu=$(nproc)
last=$((ncpu - 1))

if is_root && $V1; then
        res_cfg "/$NAME" "{'memory': {'limit': 50593792, 'reservation': 40000000, 'swap': 60000000,
 'kernelTCP': 30000000, 'swappiness': 10, 'disableOOMKiller': True},
 'cpu': {'shares': 2048, 'period': 500000, 'quota': 200000, 'cpus': '$last', 'mems': '0'}}" \
                'grep Cpus_allowed_list /proc/self/status; exec sleep 60'
        expect_status "create with the cpu and memory settings" 0 rt create --bundle "$B" res-v1
        expect_eq "memory.limit -> memory.limit_in_bytes" 50593792 "$(cgf memory/$NAME/memory.limit_in_bytes)"
        expect_eq "memory.reservation -> memory.soft_limit_in_bytes" 39997440 \
                "$(cgf memory/$NAME/memory.soft_limit_in_bytes)" # the kernel rounds to pages
        expect_eq "memory.swap -> memory.memsw.limit_in_bytes" 59998208 \
                "$(cgf memory/$NAME/memory.memsw.limit_in_bytes)"
        expect_eq "memory.kernelTCP -> memory.kmem.tcp.limit_in_bytes" 29999104 \
                "$(cgf memory/$NAME/memory.kmem.tcp.limit_in_bytes)"
        expect_eq "memory.swappiness" 10 "$(cgf memory/$NAME/memory.swappiness)"
        expect_eq "memory.disableOOMKiller -> memory.oom_control" "oom_kill_disable 1" \
                "$(cgf memory/$NAME/memory.oom_control)"
        expect_eq "cpu.shares" 2048 "$(cgf cpu/$NAME/cpu.shares)"
        expect_eq "cpu.period, as given" 500000 "$(cgf cpu/$NAME/cpu.cfs_period_us)"
        expect_eq "cpu.quota, as given" 200000 "$(cgf cpu/$NAME/cpu.cfs_quota_us)"
        expect_eq "cpu.cpus -> cpuset.cpus" "$last" "$(cgf cpuset/$NAME/cpuset.cpus)"
        expect_eq "cpu.mems -> cpuset.mems" 0 "$(cgf cpuset/$NAME/cpuset.mems)"
        prog=$(rt ps --format json res-v1 | tr -d '[]' | tr ',' '\n' | tail -n 1)
        expect_grep "the program is in the container's cpuset" "cpuset:/$NAME\$" cat "/proc/$prog/cgroup"
        expect_grep "and runs on the spec's cpus only" "Cpus_allowed_list:[[:space:]]+$last\$" \
                grep Cpus_allowed_list "/proc/$prog/status"
        expect_status "delete --force" 0 rt delete --force res-v1
        expect_eq "delete removed it in every hierarchy, cpuset too" "" "$(cg_dirs "$NAME")"

        # realtime: the kernel's rt files of the cpu hierarchy, when it has them
        if [ -e /sys/fs/cgroup/cpu/cpu.rt_runtime_us ]; then
                res_cfg "/$NAME-rt" "{'cpu': {'realtimePeriod': 500000, 'realtimeRuntime': 0}}" \
                        'cat /sys/fs/cgroup/cpu/cpu.rt_period_us 2>/dev/null; exec sleep 60'
                expect_status "create with realtimePeriod" 0 rt create --bundle "$B" res-rt
                expect_eq "cpu.realtimePeriod -> cpu.rt_period_us" 500000 \
                        "$(cgf cpu/$NAME-rt/cpu.rt_period_us)"
                rt delete --force res-rt >/dev/null 2>&1
                res_cfg "/$NAME-rt" "{'cpu': {'realtimePeriod': 1000000, 'realtimeRuntime': 999999}}" 'true'
                expect_grep "a real-time runtime beyond what the host has is refused, named" \
                        "linux\\.resources\\.cpu\\.realtimeRuntime: cannot write 999999 to /sys/fs/cgroup/cpu/$NAME-rt/cpu\\.rt_runtime_us: Invalid argument" \
                        rt run --bundle "$B" res-rt
                expect_eq "and no cgroup is left" "" "$(cg_dirs "$NAME-rt")"
        else
                skip "realtime" "this kernel has no cpu.rt_runtime_us (CONFIG_RT_GROUP_SCHED)"
        fi

        # without cgroupsPath: the cgroup airlock names, the cpuset filled before the program
        # joins it
        cfg "c['linux']['resources'] = {'cpu': {'cpus': '0', 'shares': 512}}
c['process']['args'] = ['sh', '-c', 'grep Cpus_allowed_list /proc/self/status']"
        expect_grep "in airlock's own cgroup the program runs on the spec's cpus" \
                "Cpus_allowed_list:[[:space:]]+0\$" rt run --bundle "$B" res-own

        # the kernel refuses: a cpu the machine does not have
        res_cfg "/$NAME-bad" "{'cpu': {'cpus': '$ncpu'}}" 'true'
        expect_grep "a cpu the host lacks is refused, named, with the kernel's cause" \
                "linux\\.resources\\.cpu\\.cpus: cannot write \"$ncpu\" to .*cpuset\\.cpus: Numerical result out of range" \
                rt run --bundle "$B" res-bad
        expect_eq "and no cgroup is left" "" "$(cg_dirs "$NAME-bad")"
        res_cfg "/$NAME-bad" "{'memory': {'limit': 50593792, 'kernel': 50593792}}" 'true'
        expect_grep "memory.kernel runs, with a notice that the kernel ignores it" \
                "linux\\.resources\\.memory\\.kernel: .*Linux 6\\.1 and later ignore it" \
                rt run --bundle "$B" res-kmem
elif is_root; then
        skip "cgroup v1 read-back" "this host has no v1 memory, cpu and cpuset hierarchies (v2 mapping: tests/unit/resources/test-cgroup.c)"
else
        res_cfg "$NAME" "{'cpu': {'shares': 2048}}" 'true'
        expect_grep "a user's cpu.shares, which no cgroup here can hold, is an error naming it" \
                "linux\\.resources\\.cpu\\.shares: " rt run --bundle "$B" res-user
        cfg "c['linux']['resources'] = {'memory': {'limit': 50593792, 'swappiness': 10}}
c['process']['args'] = ['true']"
        expect_grep "without cgroupsPath too: never dropped" \
                "linux\\.resources\\.memory\\.swappiness: no cgroup can be made for it" \
                rt run --bundle "$B" res-user
fi

# refused while reading the spec, before any cgroup is made
res_cfg "/$NAME-x" "{'cpu': {'shares': 1}}" 'true'
expect_grep "cpu.shares out of the kernel's range is refused by name" \
        "linux\\.resources\\.cpu\\.shares: 1 is out of range \\(2-262144\\)" rt run --bundle "$B" res-x
res_cfg "/$NAME-x" "{'cpu': {'period': 100}}" 'true'
expect_grep "cpu.period below 1 ms is refused by name" \
        "linux\\.resources\\.cpu\\.period: 100 is out of range" rt run --bundle "$B" res-x
res_cfg "/$NAME-x" "{'memory': {'swappiness': 101}}" 'true'
expect_grep "swappiness above 100 is refused by name" \
        "linux\\.resources\\.memory\\.swappiness: 101 is out of range \\(0-100\\)" rt run --bundle "$B" res-x
res_cfg "/$NAME-x" "{'memory': {'limit': 50593792, 'swap': 1000}}" 'true'
expect_grep "memory + swap below the memory limit is refused by name" \
        "linux\\.resources\\.memory\\.swap: memory \\+ swap must be -1 or at least memory\\.limit" \
        rt run --bundle "$B" res-x
res_cfg "/$NAME-x" "{'cpu': {'cpus': 'all'}}" 'true'
expect_grep "a cpus list that is not one is refused by name" \
        "linux\\.resources\\.cpu\\.cpus: expected a list of numbers" rt run --bundle "$B" res-x
res_cfg "/$NAME-x" "{'blockIO': {'weight': 10}}" 'true'
expect_grep "what airlock does not carry out is still refused by name" \
        "linux\\.resources\\.blockIO" rt run --bundle "$B" res-x
expect_eq "no cgroup was made for any of them" "" "$(cg_dirs "$NAME-x")"
expect_status "no container is left" 1 rt state res-x
