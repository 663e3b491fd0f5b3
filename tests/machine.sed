# tests/machine.sed - what a demo's output owes to the machine rather
# than to the kit: the CPU, the kernel or the C library.  Applied before
# every golden comparison, on every leg, the reference leg included.
#
# Stage 2's sigstack mode leaves the kernel's signal frame at the top of
# every coroutine's stack.  It holds the CPU's whole register state
# (XSAVE), so its size goes with the CPU: 1344 bytes on one AMD EPYC,
# 2944 on another, 3328 on an Intel Xeon with AVX-512.  Every frame
# below it in that box moves with it, and the free bytes shrink with it;
# the frames' names, order and sizes do not change, and stay compared.
/ the kernel's signal frame/,/^   v$/{
s/[0-9][0-9.]* \(B\|KiB\) the kernel's signal frame/# B the kernel's signal frame/
s/+0x[0-9a-f][0-9a-f]*/+0x#/g
s/[0-9][0-9.]* \(B\|KiB\) free$/# KiB free/
}
