# tests/gdb/normalize.sed - what may differ between two gdb sessions at
# the same stop of the same demo, and is taken away before comparing
# them: addresses (the stack's move with the environment, the heap's
# with the C library, the program's with the CPU and the linker), line
# numbers (they move whenever a stage's code does), sizes, and times.
# The contexts, their states, the functions, their order and the values
# printed may not differ.
s/0x[0-9a-f]\{5,\}/0x#/g
s/<\([A-Za-z_][A-Za-z0-9_.]*\)+[0-9]*>/<\1+#>/g
s/\.c:[0-9][0-9]*/.c:#/g
s/^[0-9][0-9]*\t/#\t/
s/[0-9][0-9]* bytes/# bytes/g
s/t=[0-9]* ms/t=# ms/g
s/ (in [0-9]* ms)//g
s/ ([0-9]* ms late)//g
# makecontext passes a pointer as two ints, its high and low halves
s/\(_hi\|_lo\)=-\{0,1\}[0-9]*/\1=#/g
s/ \{2,\}/ /g
# The C library's own frames (printf) are named and placed as its build
# says: its version, its debugging information, its source paths.
s/^\(#[0-9]* *\)\(0x# in \)\{0,1\}__*printf (.*$/\1printf (...)/
s/^Breakpoint [0-9]*, __*printf (.*$/Breakpoint #, printf (...)/
s/^Breakpoint [0-9]* at 0x#: .*printf.*$/Breakpoint # at 0x#: printf/
