"""commands.py - the gdb commands, and how they print.

    info coroutines            every context: main, each coroutine and
                               generator; and the scheduler's view
    coroutine                  which context gdb's frames show now
    coroutine ID [bt [N]]      ID's backtrace (its innermost N frames)
    coroutine ID frame K       look at ID's frame K: then `info locals`,
                               `print`, `up`, `down` work there
    coroutine all bt           every context's backtrace
    coroutine off              back to the program's own frames
"""
import struct
import time

import gdb

from . import adapter, frames, machine, view


class Problem(Exception):
    """One line for the user: what is wrong, and nothing else done."""


def snapshot(scheduler=True):
    try:
        gdb.newest_frame()
    except gdb.error:
        raise Problem("the program is not running, and no core file is "
                      "loaded")
    if machine.arch() is None:
        raise Problem("this CPU (%s) is not one the kit runs on" %
                      gdb.selected_inferior().architecture().name())
    snap = adapter.snapshot(frames.frame_args if scheduler else None)
    if snap is None:
        raise Problem("not a program of the kit's (or built without -g)")
    return snap


def find(snap, key):
    for context in snap.contexts:
        if context.key == key:
            return context
    keys = ", ".join(c.key for c in snap.contexts)
    raise Problem("there is no coroutine %s here; there are: %s" %
                  (key, keys))


# ---- info coroutines ----------------------------------------------------

def where(context):
    found = frames.of(context, limit=1)
    if found:
        return _place(found[0])
    if context.saved is not None and frames.missing(context.saved):
        return "its stack is missing"
    return context.idle or "-"


def _place(frame):
    at = " at %s:%d" % (frame.file, frame.line) if frame.file else ""
    return "%s()%s" % (frame.function, at)


def state(context):
    saved = context.saved
    if saved is not None and saved.moved is not None:
        return context.state + ", frames on the heap"
    return context.state


def print_table(snap):
    rows = [(c.key, state(c), c.runs + "()", where(c), c.running)
            for c in snap.contexts]
    wide = [max(len(r[i]) for r in rows + [("Id", "State", "Runs")])
            for i in range(3)]
    print("  %-*s  %-*s  %-*s  %s" % (wide[0], "Id", wide[1], "State",
                                      wide[2], "Runs", "Where"))
    for key, st, runs, at, running in rows:
        print("%s %-*s  %-*s  %-*s  %s" % ("*" if running else " ",
                                           wide[0], key, wide[1], st,
                                           wide[2], runs, at))
    if view.in_view():
        print("gdb's frames from #1 are %s's now (`coroutine off` ends "
              "that)" % view.in_view())


def print_scheduler(sched):
    _lines("run queue:", _wrapped(sched.run_queue) or ["nobody"])
    now = _now_ms()
    _lines("sleeping:", [_sleeper(s, now) for s in sched.sleepers]
           or ["nobody"])
    _lines("blocked:", [_blocked(b) for b in sched.blocked] or ["nobody"])
    chans = {}
    for b in sched.blocked:
        for w in b.waits:
            chans.setdefault(w.channel.label, w.channel)
    if chans:
        _lines("channels:", [line for c in sorted(chans.values(),
                                                  key=_chan_number)
                             for line in _fitted(_channel(c))])


def _wrapped(items, width=76 - 13):
    """Items joined by commas, in lines of at most width columns."""
    lines = []
    for item in items:
        if lines and len(lines[-1]) + 2 + len(item) <= width:
            lines[-1] += ", " + item
        else:
            if lines:
                lines[-1] += ","
            lines.append(item)
    return lines


def _lines(title, items):
    for i, item in enumerate(items):
        print("%-12s %s" % (title if i == 0 else "", item))


def _now_ms():
    """Now on the clock the kit's timers use, CLOCK_MONOTONIC: only when
    gdb runs the program itself, on this machine."""
    connection = gdb.selected_inferior().connection
    if connection is None or connection.type != "native":
        return None
    return int(time.monotonic() * 1000)


def _sleeper(s, now):
    text = "%s for %d ms, due at t=%d ms" % (s.label, s.slept_ms,
                                            s.wake_at)
    if now is not None:
        late = now - s.wake_at
        text += " (%s)" % ("in %d ms" % -late if late < 0
                           else "%d ms late" % late)
    return text


def _blocked(b):
    what = b.detail or ", or ".join(
        "%s%s on %s" % (w.op, "" if w.elem is None else " " + elem(w.elem),
                        w.channel.label) for w in b.waits)
    return "%s in %s: %s" % (b.label, b.call, what)


def _channel(c):
    if c.cap == 0:
        kind = "unbuffered"
    else:
        slots = [elem(e) for e in c.buffer] + ["_"] * (c.cap - len(c.buffer))
        kind = "buffer [ %s ]" % " | ".join(slots)
    if c.elem_size == 0:
        kind += ", signals only"
    if c.closed:
        kind += ", closed"
    sides = []
    if c.senders:
        sides.append("senders: " + ", ".join(
            who if e is None else "%s (%s)" % (who, elem(e))
            for who, e in c.senders))
    if c.receivers:
        sides.append("receivers: " + ", ".join(c.receivers))
    return "%s: %s; %s" % (c.label, kind,
                           "; ".join(sides) or "nobody waits")


def _fitted(text, width=76 - 13):
    """A channel's line, or two if it is too long: the receivers go on
    the second."""
    if len(text) <= width or "; receivers:" not in text:
        return [text]
    first, rest = text.split("; receivers:")
    return [first + ";", "  receivers:" + rest]


def _chan_number(c):
    return int(c.label.split()[-1])


def elem(data):
    """An element's bytes, read as the ints the kit's demos send."""
    if data is None or len(data) == 0:
        return "-"
    if len(data) % 4 == 0 and len(data) <= 16:
        ints = struct.unpack("<%di" % (len(data) // 4), data)
        return str(ints[0]) if len(ints) == 1 else \
            "{%s}" % ", ".join(map(str, ints))
    return " ".join("%02x" % b for b in data)


# ---- coroutine ID bt --------------------------------------------------

def heading(context):
    saved = context.saved
    if context.running:
        return "%s, running: the thread's own frames" % context.label
    if saved is None:
        idle = context.idle if context.idle not in (None, context.state) \
            else None
        return "%s, %s: no frames to show%s" % (
            context.label, context.state, " (%s)" % idle if idle else "")
    lost = frames.missing(saved)
    if lost is not None:
        return ("%s, %s:\n  nothing where its stack should be (0x%x): a "
                "core file without it?" % (context.label, context.state,
                                           lost))
    text = "%s, %s: unwound from %s" % (context.label, context.state,
                                       frames.how(saved))
    if saved.moved is not None:
        lo, hi, delta = saved.moved
        text += (";\n  its %d bytes of frames wait on the heap at 0x%x: "
                 "shown at the\n  addresses they get back on the shared "
                 "stack" % (hi - lo, lo + delta))
    return text


def print_backtrace(context, limit):
    print(heading(context))
    found = frames.of(context, limit=limit)
    moved = context.saved is not None and context.saved.moved is not None
    for k, frame in enumerate(found):
        args = ", ".join("%s=%s" % a for a in frame.args)
        at = " at %s:%d" % (frame.file, frame.line) if frame.file else ""
        where_ = "frame at 0x%x: " % frame.cfa if moved else ""
        print("#%-3d%s%s (%s)%s" % (k, where_, frame.function, args, at))
    return found


def select_frame(context, k):
    found = frames.of(context)
    if not found:
        raise Problem(heading(context))
    if not 0 <= k < len(found):
        raise Problem("%s has frames #0 to #%d" % (context.label,
                                                   len(found) - 1))
    if context.running:
        view.stop_looking()
    level = frames.show(context, found[k])
    print("%s, frame #%d: gdb's frame #%d%s" % (
        context.label, k, level, "" if context.running else " now"))
    if context.saved is not None and context.saved.moved is not None:
        print("  gdb reads it from the copy on the heap: the addresses "
              "of its locals\n  are the copy's; `up` and `down` would "
              "leave the copy: move with\n  `coroutine %s frame K`"
              % context.key)
    gdb.execute("frame")


# ---- the commands ------------------------------------------------------

class InfoCoroutines(gdb.Command):
    """Every context of a coroutine kit program: main, each coroutine
and generator: id, state, the function it runs, and where it stopped.
The running one is marked with *.  With a scheduler (stages 4 and 5),
also its run queue, the sleepers, and what each blocked one waits on.
Reads memory only: works on a core file as on a live process."""

    def __init__(self):
        super().__init__("info coroutines", gdb.COMMAND_STATUS)

    def invoke(self, argument, from_tty):
        try:
            snap = snapshot()
            print_table(snap)
            if snap.scheduler is not None:
                print()
                print_scheduler(snap.scheduler)
        except Problem as e:
            print("info coroutines: %s" % e)


class Coroutine(gdb.Command):
    """Look at a stopped coroutine's frames.
coroutine ID bt [N]    its backtrace (N: only its innermost N frames)
coroutine ID frame K   gdb's frame commands go to its frame K, so that
                       `info locals`, `print`, `up` and `down` work there
coroutine ID           the same as `coroutine ID frame 0`
coroutine all bt       every context's backtrace
coroutine off          back to the program's own frames
coroutine              which context gdb's frames show
IDs are those of `info coroutines`: 0 is main."""

    def __init__(self):
        super().__init__("coroutine", gdb.COMMAND_STACK)

    def invoke(self, argument, from_tty):
        words = argument.split()
        try:
            self.run(words)
        except Problem as e:
            print("coroutine: %s" % e)

    def run(self, words):
        if not words:
            print("gdb's frames are %s" % (
                "%s's from #1" % view.in_view() if view.in_view()
                else "the program's own"))
            return
        if words == ["off"]:
            label = view.stop_looking()
            print("gdb's frames are the program's own again" if label
                  else "no coroutine was in view")
            return
        key, rest = words[0], words[1:]
        if key == "all":
            return self.all(rest)
        context = find(snapshot(scheduler=False), key)
        if not rest:
            return select_frame(context, 0)
        if rest[0] in ("bt", "backtrace") and len(rest) <= 2:
            print_backtrace(context, _count(rest[1:], "bt N"))
        elif rest[0] == "frame" and len(rest) == 2:
            select_frame(context, _count(rest[1:], "frame K"))
        else:
            raise Problem("usage: coroutine ID [bt [N] | frame K]")

    def all(self, rest):
        if rest[:1] not in (["bt"], ["backtrace"]):
            raise Problem("usage: coroutine all bt")
        for i, context in enumerate(snapshot(scheduler=False).contexts):
            if i:
                print()
            print_backtrace(context, _count(rest[1:], "bt N"))


def _count(words, what):
    if not words:
        return frames.MAX_FRAMES
    try:
        return max(0, int(words[0]))
    except ValueError:
        raise Problem("%s: %s is not a number" % (what, words[0]))


def install():
    view.install()
    frames.install()
    InfoCoroutines()
    Coroutine()
