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

frames.py walks a context's frames with it.
"""
from contextlib import contextmanager

import gdb
from gdb.FrameDecorator import FrameDecorator
from gdb.unwinder import Unwinder, register_unwinder

from . import machine

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
        self.walking = False    # the extension walks frames: end them
                                # where the symbols end

    def __call__(self, pending):
        if gdb.selected_thread() != self.thread:
            return None
        if self.regs is None:   # the thread's own frames
            if self.walking and pending.level() > 0:
                return self._end_in_the_unknown(pending)
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
        frame that qemu laid out as the kernel's: gdb 13 fails at that
        on a live process ("Invalid vector length in signal frame"), and
        does not finish on a core file that qemu wrote.  gdb looks one
        frame ahead, so this matters even to a walk that stops at the
        first frame (boot)."""
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
    walking, _trampoline.walking = _trampoline.walking, True
    _point(regs)
    _past_main(regs is not None)
    try:
        yield
    finally:
        _trampoline.walking = walking
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
