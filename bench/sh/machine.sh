# machine.sh - the machine a run was measured on, as the tables name it
# (sourced by bench/run).

have() { command -v "$1" >/dev/null 2>&1; }

cpu_model() {
    local cpu
    cpu=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo)
    [ -n "$cpu" ] || cpu=$(lscpu 2>/dev/null |
                           awk -F': *' '/^Model name/ { print $2; exit }')
    echo "${cpu:-unknown}"
}

# Which CPU it is, beyond its name (a virtual machine may name only
# the vendor): "family 25, model 17" on x86, where /proc/cpuinfo says.
cpu_kind() {
    awk -F': *' '/^cpu family/ { f = $2 } /^model[ \t]*:/ { m = $2 }
                 f != "" && m != "" { printf "family %s, model %s", f, m
                                      exit }' /proc/cpuinfo
}

# The data caches one core sees, as the kernel lists them: "L1d 32K,
# L2 1024K, L3 32768K".  Two machines of one name can differ here, and
# the sieve's ratios with them (BENCHMARKS.md).
cpu_caches() {
    local d level out=''
    for d in /sys/devices/system/cpu/cpu0/cache/index*; do
        [ -r "$d/size" ] || continue
        level=L$(cat "$d/level")
        case $(cat "$d/type") in
        Instruction) continue ;;
        Data) level=${level}d ;;
        esac
        out="$out${out:+, }$level $(cat "$d/size")"
    done
    echo "${out:-not listed}"
}

# "gcc (Debian 12.2.0-14+deb12u1) 12.2.0", even when it is called cc
compiler() {
    local line
    line=$($CC --version | head -n 1)
    case $line in
    cc\ *) $CC -v 2>&1 | grep -q '^gcc version' && line="gcc ${line#cc }" ;;
    esac
    echo "$line"
}

boost_version() {
    local v
    v=$(sed -n 's/^#define BOOST_LIB_VERSION "\(.*\)"/\1/p' \
        /usr/include/boost/version.hpp 2>/dev/null)
    echo "${v:-none}" | tr _ .
}

version_of() {
    case $1 in
    go) have go && go version | cut -d' ' -f3 ;;
    valgrind) have valgrind && valgrind --version ;;
    strace) have strace && strace -V | head -n 1 | awk '{ print $NF }' ;;
    esac || echo none
}

# What the biggest scale runs may take: three quarters of the memory
# available now less 2 GiB, at most 12 GiB (and at least 256 MiB).
memory_budget_mib() {
    awk '/^MemAvailable/ {
             m = int($2 / 1024 * 3 / 4) - 2048
             print (m > 12288 ? 12288 : m < 256 ? 256 : m) }' /proc/meminfo
}

# The machine, as a Markdown list.
machine() {
    local virt='' ram
    grep -qw hypervisor /proc/cpuinfo && virt=", in a virtual machine"
    ram=$(awk '/^MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo)
    local kind
    kind=$(cpu_kind)
    echo "- CPU: $(cpu_model) ($(uname -m)${kind:+, $kind}), $(nproc)" \
         "cores$virt, $ram RAM; caches: $(cpu_caches)"
    echo "- compiler: $(compiler); C library:" \
         "$(getconf GNU_LIBC_VERSION 2>/dev/null || echo unknown);" \
         "kernel: $(uname -sr)"
    echo "- Go: $(version_of go) (GOMAXPROCS=1); Boost: $(boost_version);" \
         "valgrind: $(version_of valgrind); strace: $(version_of strace)"
    echo "- load average when the run began: $LOAD (other work on the" \
         "machine makes the times noisier; ratios within one run hold" \
         "up best)"
    echo "- vm.max_map_count: $(cat /proc/sys/vm/max_map_count); memory" \
         "budget of the scale runs: $BUDGET_MIB MiB (three quarters of" \
         "what was available, less 2 GiB, at most 12 GiB)"
}
