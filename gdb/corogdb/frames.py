"""frames.py - a context's frames, as gdb unwinds them through view.py.

The frames start where the kit's tracer starts, at the caller of the
switch (the switch's own frames are left out), and end at the first
function of the context's stack, as the tracer's drawings do.

A copy mode coroutine's frames are not at home: they wait on the heap
until they are copied back (Saved.moved).  There gdb is shown one frame
at a time, moved to where its bytes are now, and each caller's registers
are moved back to where they will be: see _walk_moved().
"""
from contextlib import contextmanager
from dataclasses import dataclass

import gdb

from . import machine, view

MAX_FRAMES = 64         # a walk stops here, whatever it finds


@dataclass
class Frame:
    """One frame of a context, as the commands print it."""
    function: str
    args: list          # (name, text)
    file: str
    line: int
    regs: dict          # its registers, at home: to show it again
    level: int          # gdb's level for it while its context is in view
    cfa: int = 0        # the address of the frame (its top), at home


def of(context, limit=MAX_FRAMES):
    """The frames of a context, innermost first, from where the kit's
    tracer starts (the caller of the switch) to the first function of
    its stack.  [] if it has none."""
    first = context.first_frame
    if context.running:
        with view.looking_at(None):
            found = list(_walk(gdb.newest_frame(), 0, first, limit))
        return found[:limit]
    saved = context.saved
    if saved is None or missing(saved) is not None:
        return []
    regs = _start(saved)
    if saved.moved is None:
        with view.looking_at(regs):
            found = list(_walk(gdb.newest_frame().older(), 1, first,
                               limit + 8))
    else:
        found = list(_walk_moved(regs, saved.moved, first, limit + 8))
    if _saved_registers(saved):
        found = _after_switch(found, saved.fp)
    return found[:limit]


def missing(saved):
    """Where a stopped context's stack should be, if it is not there:
    the frame of its switch, at saved.fp, holds no return address.  (A
    core file can leave a stack out: gdb 13's gcore drops any mapping
    it cannot read whole, such as a slab of stacks with guard pages in
    it; the bytes then read as zeros.)  None if it is there."""
    read = _reader(saved.moved)
    try:
        if read(saved.fp + 8) != 0:
            return None
    except gdb.MemoryError:
        pass
    return saved.fp


class UnwindFrom(gdb.Parameter):
    """How a stopped context is unwound: from the registers its switch
saved (registers, the default), or from the frame pointer the kit keeps
in every context, along the chain of frame records (frame-pointer)."""

    set_doc = "Set how stopped coroutines are unwound."
    show_doc = "Show how stopped coroutines are unwound."

    def __init__(self):
        super().__init__("coroutines-unwind", gdb.COMMAND_STACK,
                         gdb.PARAM_ENUM, ["registers", "frame-pointer"])
        self.value = "registers"

    def get_show_string(self, value):
        return "Stopped coroutines are unwound from their %s." % (
            "saved registers" if value == "registers" else "frame pointer")


_unwind_from = None


def install():
    global _unwind_from
    _unwind_from = UnwindFrom()


def _saved_registers(saved):
    """The registers the switch saved, if they are known and wanted."""
    if _unwind_from is not None and _unwind_from.value != "registers":
        return None
    return saved.regs


def _start(saved):
    """The registers to unwind from: those the switch saved, or else
    those the frame record at fp gives for the switch's caller."""
    return _saved_registers(saved) or machine.caller_of(
        saved.fp, _reader(saved.moved))


def how(saved):
    """Where a context's registers come from, for the output."""
    return saved.how if _saved_registers(saved) else "its frame pointer"


def frame_args(context, function):
    """{name: value} of the arguments of the innermost frame of
    `function` on the context's stack, or None."""
    for frame in of(context):
        if frame.function == function:
            with _showing(context, frame) as f:
                values = {s.print_name: s.value(f) for s in _arguments(f)}
                for value in values.values():
                    value.fetch_lazy()
                return values
    return None


def show(context, frame):
    """Leave gdb looking at this frame of the context; return gdb's
    level for it."""
    regs, level = _view_of(context, frame)
    if regs is None:
        view.stop_looking()     # the running one: the thread's frames
    else:
        view.keep_looking_at(regs, context.label)
    selected = gdb.newest_frame()
    for _ in range(level):
        selected = selected.older()
    selected.select()
    return level


@contextmanager
def _showing(context, frame):
    regs, level = _view_of(context, frame)
    with view.looking_at(regs):
        f = gdb.newest_frame()
        for _ in range(level):
            f = f.older()
        yield f


def _view_of(context, frame):
    """The registers to look at and the level at which gdb shows frame."""
    if context.running:
        return None, frame.level
    moved = context.saved.moved
    if moved is not None:
        return _relocate(frame.regs, moved), 1
    return _start(context.saved), frame.level


def _after_switch(found, fp):
    """Leave out the switch's own frames: those up to the one whose
    frame pointer the kit kept in the context."""
    for i, frame in enumerate(found[:8]):
        if frame.regs["fp"] == fp:
            return found[i + 1:]
    return found


def _walk(frame, level, first, limit):
    """gdb's frames from `frame` outwards, as Frames, until the one
    named first, or limit of them."""
    for _ in range(limit):
        if frame is None:
            return
        described = _describe(frame, level, None)
        yield described
        if frame.pc() == 0 or described.function == first:
            return
        try:
            frame = frame.older()
        except gdb.error:
            return
        level += 1


def _walk_moved(regs, moved, first, limit):
    """A moved context's frames, one at a time: each is shown to gdb
    where its bytes are now, and its caller's registers are moved back
    to where the frames will be when they are copied home."""
    for _ in range(limit):
        with view.looking_at(_relocate(regs, moved)):
            frame = gdb.newest_frame().older()
            if frame is None:
                return
            described = _describe(frame, 1, moved)
            caller = None
            if frame.pc() != 0 and described.function != first:
                caller = frame.older()
            regs = _registers(caller, moved) if caller else None
        yield described
        if regs is None or regs["pc"] == 0:
            return


def _describe(frame, level, moved):
    sal = frame.find_sal()
    regs = _registers(frame, moved)
    return Frame(function=frame.name() or "??",
                 args=[(s.print_name, _arg_text(s, frame))
                       for s in _arguments(frame)],
                 file=sal.symtab.filename if sal.symtab else None,
                 line=sal.line, regs=regs, level=level,
                 cfa=_frame_address(frame, moved) if moved else 0)


def _frame_address(frame, moved):
    """Where a moved frame begins (its caller's stack pointer), at home.
    Only asked of moved frames: unwinding past the first frame of a
    stack can take gdb long (aarch64, past a signal frame qemu left)."""
    try:
        older = frame.older()
        if older is not None:
            return _home(int(older.read_register(machine.arch().sp)), moved)
    except gdb.error:
        pass
    return _registers(frame, moved)["sp"]


def _arguments(frame):
    try:
        block = frame.block()
    except RuntimeError:
        return []
    while block is not None and block.function is None:
        block = block.superblock
    return [s for s in block if s.is_argument] if block else []


def _arg_text(symbol, frame):
    """An argument as gdb's backtrace shows it: scalars in full, and
    "..." for a struct, a union or an array."""
    try:
        value = symbol.value(frame)
        code = value.type.strip_typedefs().code
        if code in (gdb.TYPE_CODE_STRUCT, gdb.TYPE_CODE_UNION,
                    gdb.TYPE_CODE_ARRAY):
            return "..."
        return str(value)
    except (gdb.error, gdb.MemoryError) as e:
        return "<%s>" % e


def _registers(frame, moved):
    a = machine.arch()
    regs = {"pc": frame.read_register(a.pc),
            "sp": frame.read_register(a.sp),
            "fp": frame.read_register(a.fp)}
    for name in a.callee_saved:
        regs[name] = frame.read_register(name)
    regs = {k: int(v) & machine.MASK for k, v in regs.items()
            if not v.is_optimized_out}
    regs["sp"], regs["fp"] = _home(regs["sp"], moved), _home(regs["fp"],
                                                              moved)
    if a.link:
        regs[a.link] = regs["pc"]
    return regs


# ---- moved frames ----------------------------------------------------

def _relocate(regs, moved):
    """The registers, with stack addresses moved to where the bytes are
    now (on the heap)."""
    lo, hi, delta = moved
    out = dict(regs)
    for name in ("sp", "fp"):
        if lo <= out[name] <= hi:
            out[name] += delta
    return out


def _home(addr, moved):
    """An address in the moved bytes, moved back to where they belong."""
    if moved is not None:
        lo, hi, delta = moved
        if lo + delta <= addr <= hi + delta:
            return addr - delta
    return addr


def _reader(moved):
    """Read a word at an address where the frames belong."""
    def read(addr):
        if moved is not None and moved[0] <= addr < moved[1]:
            addr += moved[2]
        return machine.read_word(addr)
    return read
