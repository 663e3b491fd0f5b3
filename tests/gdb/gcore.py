"""gcore.py - `gcore-whole FILE`: gdb's gcore, and then what it left out.

gdb 13's gcore copies each mapping into the core file a megabyte at a
time, and at the first piece it cannot read whole it gives up on the
rest of that mapping ("Memory read failed for corefile section"): those
bytes read back as zeros.  Stages 4 and 5 carve stacks out of slabs with
a guard region below each (madvise MADV_GUARD_INSTALL, Linux 6.13 on),
which cannot be read: a slab's stacks all go missing, while a core the
kernel writes has every page but the guards.  So that tests/gdb/run
checks the extension on a core file that holds what the program had,
this writes into the core, after gcore, every page of every mapping
that gcore had to read, page by page where a piece does not read whole.
(x86-64 and 64-bit ELF only: the aarch64 legs use qemu's own core.)
"""
import struct

import gdb

PIECE = 1 << 20
PAGE = 4096
PT_LOAD = 1


def _loads(core):
    """(file offset, address, size in the file) of each PT_LOAD."""
    head = core.read(64)
    if head[:4] != b"\x7fELF" or head[4] != 2 or head[5] != 1:
        raise gdb.GdbError("gcore-whole: not a 64-bit little-endian ELF")
    phoff, = struct.unpack_from("<Q", head, 0x20)
    size, count = struct.unpack_from("<HH", head, 0x36)
    for i in range(count):
        core.seek(phoff + i * size)
        kind, _, offset, addr, _, filesz = struct.unpack(
            "<IIQQQQ", core.read(40))
        if kind == PT_LOAD and filesz > 0:
            yield offset, addr, filesz


def _read(addr, size):
    try:
        return bytes(gdb.selected_inferior().read_memory(addr, size))
    except gdb.MemoryError:
        return None


def _fill(core, offset, addr, size):
    """Write what can be read of addr .. addr + size at offset."""
    for at in range(0, size, PIECE):
        n = min(PIECE, size - at)
        data = _read(addr + at, n)
        if data is not None:
            core.seek(offset + at)
            core.write(data)
            continue
        for page in range(at, at + n, PAGE):
            data = _read(addr + page, min(PAGE, at + n - page))
            if data is not None:
                core.seek(offset + page)
                core.write(data)


class GcoreWhole(gdb.Command):
    """gcore FILE, then every readable page of the program's mappings
    written into FILE, past the pieces gdb 13's gcore could not read."""

    def __init__(self):
        super().__init__("gcore-whole", gdb.COMMAND_FILES)

    def invoke(self, argument, from_tty):
        path = argument.strip()
        gdb.execute("gcore %s" % path, to_string=True)
        with open(path, "r+b") as core:
            for offset, addr, size in list(_loads(core)):
                _fill(core, offset, addr, size)


GcoreWhole()
