"""view.py - letting gdb unwind a context that is not running.

gdb unwinds a thread from its registers, and a stopped coroutine's
registers are not in the thread: they are wherever the kit's switch
saved them (model.Saved).  Registers cannot be assigned on a core file,
so instead a frame unwinder claims the thread's innermost frame (gdb's
frame #0) and says that its caller is the stopped context.  From frame
#1 on, gdb's own unwinder walks that context's frames from its debug
information, so `frame`, `info locals` and `print` work there, on a live
process and on a core file alike.  Nothing in the program changes.

While a context is "in view", gdb's frame #0 is still where the program
stopped, and the context's frames follow it from #1.

A copy mode coroutine's frames are not at home: they wait on the heap
until they are copied back (Saved.moved).  There gdb is shown one frame
at a time, moved to where its bytes are now, and each caller's registers
are moved back to where they will be; see frames().
"""
from contextlib import contextmanager
from dataclasses import dataclass

import gdb
from gdb.FrameDecorator import FrameDecorator
from gdb.unwinder import Unwinder, register_unwinder

from . import machine

MAX_FRAMES = 64         # a walk stops here, whatever it finds


class _FrameId:
    """What gdb.unwinder wants as a frame's identity: sp and pc."""

    def __init__(self, sp, pc):
        self.sp = _word(sp)
        self.pc = pc


def _word(n):
    return gdb.Value(n & machine.MASK).cast(gdb.lookup_type("unsigned long"))


class _Trampoline(Unwinder):
    """Claims frame #0 of the thread while a context is in view, and
    gives it that context's registers as its caller's.  Its identity
    uses the context's stack pointer, which lies below every frame of
    the context: gdb insists that callers are outer than callees."""

    def __init__(self):
        super().__init__("coroutines")
        self.regs = None        # the context in view, or None
        self.thread = None      # the thread it is seen from

    def __call__(self, pending):
        if self.regs is None or gdb.selected_thread() != self.thread:
            return None
        if pending.level() == 0:
            return self._context_as_caller(pending)
        if pending.level() > 1:
            return self._end_in_the_unknown(pending)
        return None

    def _context_as_caller(self, pending):
        a = machine.arch()
        info = pending.create_unwind_info(
            _FrameId(self.regs["sp"], pending.read_register(a.pc)))
        for name, value in self.regs.items():
            info.add_saved_register(a.gdb_name(name), _word(value))
        return info

    @staticmethod
    def _end_in_the_unknown(pending):
        """Past the context's first frame lies whatever called it: on a
        sigstack coroutine's stack, the signal frame that booted it.  A
        frame in code without a symbol (as qemu's signal trampoline is)
        ends the context's frames, rather than let gdb read a signal
        frame that qemu laid out as the kernel's: gdb 13 does not finish
        doing that on a core file that qemu wrote."""
        a = machine.arch()
        pc = pending.read_register(a.pc)
        if machine.has_symbol(int(pc)):
            return None
        sp = pending.read_register(a.sp)
        info = pending.create_unwind_info(_FrameId(int(sp), pc))
        info.add_saved_register(a.pc, _word(0))
        info.add_saved_register(a.sp, _word(int(sp)))
        return info


class _Signpost(FrameDecorator):
    """Frame #0 in a backtrace while a context is in view: not a frame
    of that context, but where the program stopped; say so."""

    def function(self):
        return "[%s from #1 on; the program stopped in %s()]" % (
            _in_view["label"], self.inferior_frame().name() or "??")

    def address(self):
        return None

    def frame_args(self):
        return None

    def filename(self):
        return None

    def line(self):
        return None


class _Unknown(FrameDecorator):
    """A frame without a symbol, named as gdb names it without filters."""

    def function(self):
        return "??"


class _Signposts:
    """The frame filter that puts the signpost on frame #0.  It is on
    only while a context is in view, and leaves gdb's output alone the
    rest of the time."""

    def __init__(self):
        self.name = "coroutines"
        self.priority = 100
        self.enabled = False

    def filter(self, frames):
        for decorator in frames:
            frame = decorator.inferior_frame()
            if frame.level() == 0:
                yield _Signpost(decorator)
            elif frame.name() is None:
                yield _Unknown(decorator)
            else:
                yield decorator


_trampoline = _Trampoline()
_signposts = _Signposts()
_in_view = {"label": None, "past_main": None}


def install():
    global _unwind_from
    _unwind_from = UnwindFrom()
    register_unwinder(None, _trampoline, replace=True)
    gdb.frame_filters["coroutines"] = _signposts
    gdb.events.cont.connect(lambda event: _forget())
    gdb.events.exited.connect(lambda event: _forget())


def _forget():
    """The program moves on: the view is stale."""
    _trampoline.regs = None
    _signposts.enabled = False
    _in_view["label"] = None


def _point(regs):
    _trampoline.regs = regs
    _trampoline.thread = gdb.selected_thread()
    gdb.invalidate_cached_frames()


def _past_main(on):
    """A frame #0 inside main() would end every backtrace there."""
    gdb.execute("set backtrace past-main %s" % ("on" if on else "off"),
                to_string=True)


@contextmanager
def looking_at(regs):
    """gdb's frames from #1 are those of the context with these
    registers (None: the program's own), until the block ends."""
    before = _trampoline.regs
    level = _selected_level()
    was = gdb.parameter("backtrace past-main")
    _point(regs)
    _past_main(regs is not None)
    try:
        yield
    finally:
        _point(before)
        _past_main(was)
        _select_level(level)


def keep_looking_at(regs, label):
    """Leave the context in view after the command: gdb's frame commands
    see it, until `coroutine off` or the program goes on."""
    if _in_view["label"] is None:
        _in_view["past_main"] = gdb.parameter("backtrace past-main")
    _point(regs)
    _past_main(True)
    _in_view["label"] = label
    _signposts.enabled = True


def stop_looking():
    label = _in_view["label"]
    if label is not None:
        _point(None)
        _past_main(_in_view["past_main"])
        _in_view["label"] = None
        _signposts.enabled = False
    return label


def in_view():
    return _in_view["label"]


def _selected_level():
    try:
        return gdb.selected_frame().level()
    except gdb.error:
        return None


def _select_level(level):
    if level is None:
        return
    try:
        frame = gdb.newest_frame()
        for _ in range(level):
            frame = frame.older() or frame
        frame.select()
    except gdb.error:
        pass


# ---- a context's frames ----------------------------------------------

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


def frames(context, limit=MAX_FRAMES):
    """The frames of a context, innermost first, from where the kit's
    tracer starts (the caller of the switch) to the first function of
    its stack.  [] if it has none."""
    first = context.first_frame
    if context.running:
        with looking_at(None):
            found = list(_walk(gdb.newest_frame(), 0, first, limit))
        return found[:limit]
    saved = context.saved
    if saved is None:
        return []
    regs = _start(saved)
    if saved.moved is None:
        with looking_at(regs):
            found = list(_walk(gdb.newest_frame().older(), 1, first,
                               limit + 8))
    else:
        found = list(_walk_moved(regs, saved.moved, first, limit + 8))
    if _saved_registers(saved):
        found = _after_switch(found, saved.fp)
    return found[:limit]


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
    for frame in frames(context):
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
    keep_looking_at(regs, context.label)
    selected = gdb.newest_frame()
    for _ in range(level):
        selected = selected.older()
    selected.select()
    return level


@contextmanager
def _showing(context, frame):
    regs, level = _view_of(context, frame)
    with looking_at(regs):
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
        with looking_at(_relocate(regs, moved)):
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
