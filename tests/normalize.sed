# What may differ between compilers, optimisation levels, sanitizers
# and machines: frame sizes and depths, and the values longjmp may or
# may not restore.  The frames, their names and their order may not.
s/+0x[0-9a-f][0-9a-f]*/+0x#/g
s/0x[0-9a-f]\{6,\}/0x#/g
s/[0-9][0-9.]* \(B\|KiB\)/# \1/g
s/frame #[0-9]*/frame #/g
s/[0-9][0-9]* more /# more /g
s/plain = [0-9]/plain = #/g
s/=\{3,\}$/===/
s/ \{2,\}/ /g
# qemu's own words when the program it runs aborts
/^qemu: uncaught target signal/d
# AddressSanitizer's one-time note on any use of makecontext/swapcontext
# (a note, not a finding: real findings say ERROR and fail the run)
/WARNING: ASan doesn't fully support makecontext\/swapcontext functions/d
