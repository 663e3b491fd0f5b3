"""coroutines.py - gdb sees the coroutine kit's coroutines.

Load it into gdb with

    gdb -x gdb/coroutines.py PROGRAM          (from the top of the kit)
    (gdb) source /path/to/the/kit/gdb/coroutines.py

and then, at any stop of a program built from one of the stages (with
-g), or on a core file of one:

    info coroutines            main, every coroutine and generator: id,
                               state, what it runs, where it stopped; and
                               the scheduler's view (stages 4 and 5)
    coroutine 2 bt             coroutine 2's backtrace
    coroutine 2 frame 1        look at its frame #1: `info locals`,
                               `print`, `up`, `down` work there
    coroutine all bt           every backtrace
    coroutine off              back to the program's own frames

It never calls into the program: it reads memory, and unwinds each
stopped coroutine from the registers the kit's switch saved.  The parts:

    corogdb/adapter.py    THE ADAPTER: all it knows of the kit's structs
    corogdb/machine.py    the CPU's registers; glibc's jmp_buf, ucontext_t
    corogdb/view.py       a frame unwinder that shows gdb a stopped context
    corogdb/frames.py     a context's frames, walked with it
    corogdb/commands.py   the commands, and their output
"""
import os
import sys

import gdb

sys.path.insert(0, os.path.dirname(os.path.abspath(
    os.path.expanduser(__file__))))
sys.dont_write_bytecode = True  # no __pycache__ in the kit's tree

import corogdb.commands  # noqa: E402 (the path first)

corogdb.commands.install()
