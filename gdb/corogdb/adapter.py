"""adapter.py - THE ADAPTER: everything the extension knows about the
kit's insides, and nothing else does.

The kit's private structs change as the kit is reshaped; when they do,
this file is the one to edit.  It reads the program's memory (never
calling into it) and answers in the neutral records of model.py; the
unwinding (view.py) and the commands (commands.py) know no kit names.

What it relies on, stage by stage (the names are the kit's):

  a context         stage 1: struct ctx (ctx.h): `regs`, a jmp_buf;
                    `fp`, the frame pointer where it stopped (the frame
                    of ctx_switch); `fresh`, not switched to yet.
                    stages 2-5: struct ctx is each back end's own, whole
                    only in its file (ctx_copy.c, ...) and read through
                    ctx_switch()'s parameter; it begins with `base`, a
                    struct ctx_base holding `fp` and `fresh`, and goes on
                    with the registers the back end saved:
      copy          `regs`, a jmp_buf; `copy`, `copy_size`, `copy_from`:
                    the frames saved on the heap
      asm           `sp`, with the registers ctx_swap pushed just above
                    it (switch_x86_64.S, switch_aarch64.S)
      sigstack      `regs`, a jmp_buf
      ucontext      `uc`, a ucontext_t
  the back end      stages 2-5: `ctx_mode`, a struct ctx_mode: `name`
                    ("copy", ...) and `first_frame`, the function at the
                    top of every coroutine's stack.  Stage 1 has none:
                    its back end is setjmp (it has ctx_carve()), and its
                    first frame carve_slice.
  stages 1-3        coro.c's `the`: `slot[]` (struct coro: `id`,
                    `status`, `fn`, `ctx`), `current`, `loop`, `in_run`;
                    `ctx` and `loop` are a struct ctx in stage 1, and a
                    pointer to one in stages 2 and 3 (a finished
                    coroutine's is NULL: its context is freed)
  stages 4-5        sched.c's `the`: `oldest` (then `newer`), `current`,
                    `runnable.first` (then `next`), `loop` (a pointer),
                    `in_run`; struct coro: `id`, `status`, `fn`, `ctx` (a
                    pointer), `joining`, `slept_ms`, `wake_at`,
                    `fell_asleep`, `fd`, `events`, `waiting`
  stage 5           chan.c: struct chan (`id`, `elem_size`, `cap`, `len`,
                    `head`, `buf`, `closed`, `senders`, `receivers`),
                    struct wait_queue (`first`), struct waiter (`who`,
                    `elem`, `queue`, `next`), struct select (`waiters`,
                    `n`); a select's cases are read from the arguments
                    of chan_select() on the blocked coroutine's stack
  generators        stages 3-5, gen.c's `the`: `first` (then `next`),
                    `running`; struct gen: `name`, `status`, `fn`, `ctx`
                    (NULL once its stack is freed), `caller` (pointers to
                    a struct ctx), `consumer`
  status names      stages 1-3: the table `coro_status_name[]`; stages
                    4-5: `coro_states[]`, each with its `name`;
                    generators: `gen_status_name[]`

The statuses are read by their enumerators' names (CORO_SUSPENDED...).
"""
import gdb

from . import machine
from .model import (Blocked, Channel, Context, Saved, Scheduler,
                    Sleeper, Snapshot, Wait)


# ---- reading the program ----------------------------------------------

def _static(file, name):
    """The static variable `name` of the source file `file`, or None."""
    try:
        return gdb.parse_and_eval("'%s'::%s" % (file, name))
    except gdb.error:
        return None


def _global(name):
    try:
        return gdb.parse_and_eval(name)
    except gdb.error:
        return None


def _has(value, field):
    return value is not None and any(
        f.name == field for f in value.type.strip_typedefs().fields())


def _addr(value):
    return int(value.cast(gdb.lookup_type("unsigned long")))


def _enum_name(value):
    """CORO_SUSPENDED for a status that is CORO_SUSPENDED."""
    return str(value)


def _status_text(value):
    """The kit's own word for a coroutine's status, from its table of
    names: coro_states[] (stages 4-5) or coro_status_name[] (1-3)."""
    states = _global("coro_states")
    if states is not None:
        return _name_in(states, value, "name")
    return _name_in(_global("coro_status_name"), value)


def _name_in(table, value, field=None):
    """table[value] (its field, if given) as a string; failing that, the
    enumerator's name: "suspended" for CORO_SUSPENDED."""
    try:
        entry = table[int(value)]
        return (entry[field] if field else entry).string()
    except (gdb.error, gdb.MemoryError, TypeError):
        return _enum_name(value).split("_", 1)[-1].lower()


def _function(pointer):
    return machine.function_at(_addr(pointer)) or "??"


def _list(first, link):
    """The records of a linked list, from first along ->link."""
    node, seen = first, set()
    while _addr(node) != 0 and _addr(node) not in seen:
        seen.add(_addr(node))
        yield node.dereference()
        node = node.dereference()[link]


# ---- the back ends: a struct ctx, and how to unwind it ----------------

def back_end():
    """The back end's name ("copy", "asm", ...), or None if this is no
    program of the kit's."""
    mode = _global("ctx_mode")
    if _has(mode, "name"):
        return mode["name"].string()
    return "setjmp" if _global("ctx_carve") is not None else None


def first_frame(mode):
    """The function at the top of every coroutine's stack."""
    mode_struct = _global("ctx_mode")
    if _has(mode_struct, "first_frame"):
        return mode_struct["first_frame"].string()
    return {"setjmp": "carve_slice"}.get(mode)


def _ctx_type():
    """struct ctx as its back end defines it: elsewhere it is opaque.
    The back end's ctx_switch() takes one."""
    switch = gdb.lookup_global_symbol("ctx_switch")
    if switch is not None:
        params = switch.type.fields()
        if params and params[0].type.code == gdb.TYPE_CODE_PTR:
            return params[0].type.target()
    return gdb.lookup_type("struct ctx")


def _context(value):
    """The struct ctx that value is (stage 1) or points to (stages 2-5);
    None for a NULL pointer."""
    if value.type.strip_typedefs().code != gdb.TYPE_CODE_PTR:
        return value
    if _addr(value) == 0:
        return None
    return value.cast(_ctx_type().pointer()).dereference()


def _base(ctx):
    """The part of a struct ctx that every back end has: `fp`, `fresh`
    (stages 2-5 keep it in `base`, stage 1 has nothing else)."""
    return ctx["base"] if _has(ctx, "base") else ctx


def _from_jmp_buf(ctx, how):
    fp = _addr(_base(ctx)["fp"])
    regs = machine.jmp_buf_regs(ctx["regs"], fp)
    return Saved(fp=fp, regs=regs, how=how)


def _from_copy(ctx):
    saved = _from_jmp_buf(ctx, "its jmp_buf")
    copy = _addr(ctx["copy"])
    if copy != 0:
        lo = _addr(ctx["copy_from"])
        saved.moved = (lo, lo + int(ctx["copy_size"]), copy - lo)
    return saved


# The registers ctx_swap pushes, from the saved stack pointer up, as
# switch_x86_64.S and switch_aarch64.S draw them: (name, offset), and
# how many bytes the stack pointer climbs when ctx_swap returns.
_SWAP_FRAME = {
    "x86-64": ([("r15", 8), ("r14", 16), ("r13", 24), ("r12", 32),
                ("rbx", 40), ("fp", 48), ("pc", 56)], 64),
    "aarch64": ([("x%d" % (19 + i), 8 * i) for i in range(10)] +
                [("fp", 80), ("pc", 88)], 176),
}


def _from_swap_frame(ctx):
    sp = _addr(ctx["sp"])
    slots, size = _SWAP_FRAME[machine.arch().name]
    regs = {name: machine.read_word(sp + off) for name, off in slots}
    regs["sp"] = sp + size
    if machine.arch().link:
        regs[machine.arch().link] = regs["pc"]
    return Saved(fp=_addr(_base(ctx)["fp"]), regs=regs,
                 how="the registers ctx_swap pushed")


def _from_ucontext(ctx):
    return Saved(fp=_addr(_base(ctx)["fp"]),
                 regs=machine.ucontext_regs(ctx["uc"]), how="its ucontext_t")


_DECODE = {
    "setjmp": lambda ctx: _from_jmp_buf(ctx, "its jmp_buf"),
    "copy": _from_copy,
    "asm": _from_swap_frame,
    "sigstack": lambda ctx: _from_jmp_buf(ctx, "its jmp_buf"),
    "ucontext": _from_ucontext,
}


def fresh(ctx):
    """Made, and never switched to: no frames yet."""
    return ctx is not None and bool(_base(ctx)["fresh"])


def saved(value, mode):
    """Where the context value (a struct ctx, or a pointer to one)
    stopped; None if it is fresh, or gone."""
    ctx = _context(value)
    if ctx is None or fresh(ctx) or _addr(_base(ctx)["fp"]) == 0:
        return None
    try:
        result = _DECODE[mode](ctx)
    except (gdb.error, gdb.MemoryError, KeyError):
        result = Saved(fp=_addr(_base(ctx)["fp"]))
    return result


# ---- coroutines: in slots (stages 1-3) or the scheduler's (4-5) -------

def _slot_coroutines(the):
    slots = the["slot"]
    low, high = slots.type.strip_typedefs().range()
    for i in range(low, high + 1):
        c = slots[i]
        if _enum_name(c["status"]) != "CORO_FREE":
            yield c


def _coroutines():
    """(the coroutines, the current one's address, the run loop's ctx or
    None) from whichever layout this stage has."""
    the = _static("coro.c", "the")
    if _has(the, "slot"):
        found = list(_slot_coroutines(the))
    else:
        the = _static("sched.c", "the")
        if not _has(the, "oldest"):
            return None
        found = list(_list(the["oldest"], "newer"))
    loop = the["loop"] if bool(the["in_run"]) else None
    return found, _addr(the["current"]), loop


def _coroutine(c, current, mode, first):
    running = _addr(c.address) == current
    finished = _enum_name(c["status"]) == "CORO_FINISHED"
    stopped = not running and not finished
    return Context(key=str(int(c["id"])), label="coro %d" % int(c["id"]),
                   state=_status_text(c["status"]),
                   runs=_function(c["fn"]), running=running,
                   saved=saved(c["ctx"], mode) if stopped else None,
                   first_frame=first, idle=_idle(c["ctx"], finished))


def _idle(value, finished):
    """Why a context has no frames to show, or None if it has some."""
    if finished:
        return "finished"
    return "not started" if fresh(_context(value)) else None


# ---- generators (stage 3 on) ------------------------------------------

def _generators(mode, first):
    """The generators' contexts, and the context of whoever called
    gen_next() on the outermost one running (main or a coroutine), which
    that generator keeps: (contexts, that Saved or None)."""
    the = _static("gen.c", "the")
    if not _has(the, "first"):
        return [], None
    gens = list(_list(the["first"], "next"))
    running, outer = _addr(the["running"]), None
    found = []
    for n, g in enumerate(gens, 1):
        status = _enum_name(g["status"])
        ctx = None
        if status == "GEN_SUSPENDED":
            ctx = g["ctx"]
        elif status == "GEN_WAITING":   # stopped in gen_next(): its
            ctx = _callee(gens, g)["caller"]   # callee keeps where
        if status in ("GEN_RUNNING", "GEN_WAITING") and \
                _addr(g["consumer"]) == 0:
            outer = saved(g["caller"], mode)
        found.append(Context(
            key="g%d" % n, label='generator "%s"' % g["name"].string(),
            state=_name_in(_global("gen_status_name"), g["status"]),
            runs=_function(g["fn"]),
            running=_addr(g.address) == running and status == "GEN_RUNNING",
            saved=saved(ctx, mode) if ctx is not None else None,
            first_frame=first,
            idle=_idle(g["ctx"], status == "GEN_FINISHED")))
    return found, outer


def _callee(gens, g):
    return next(h for h in gens if _addr(h["consumer"]) == _addr(g.address))


# ---- main, and everything together --------------------------------------

def snapshot(frame_args):
    """Everything at this stop, or None for a program that is not one of
    the kit's.  frame_args(context, function) gives the arguments of
    that function's frame on a context's stack (view.py unwinds);
    None leaves the scheduler's view out."""
    mode = back_end()
    found = _coroutines()
    if mode is None or found is None:
        return None
    coros, current, loop = found
    first = first_frame(mode)
    contexts = [_coroutine(c, current, mode, first) for c in coros]
    gens, gen_caller = _generators(mode, first)
    main = Context(key="0", label="main", state="running", runs="main",
                   running=current == 0, first_frame="main")
    if current != 0 and loop is not None:
        main.state, main.saved = "suspended", saved(loop, mode)
    if gen_caller is not None:          # a generator runs: its caller
        caller = main if current == 0 else _running(contexts)
        caller.state, caller.saved = "waiting in gen_next", gen_caller
        caller.running = False
    snap = Snapshot(contexts=[main] + contexts + gens)
    the = _static("sched.c", "the")
    if _has(the, "runnable") and frame_args is not None:
        snap.scheduler = _scheduler(the, coros, snap.contexts, frame_args)
    return snap


def _running(contexts):
    return next(c for c in contexts if c.running)


# ---- the scheduler's view (stages 4-5) ----------------------------------

def _scheduler(the, coros, contexts, frame_args):
    by_key = {c.key: c for c in contexts}
    queue = ["coro %d" % int(c["id"])
             for c in _list(the["runnable"]["first"], "next")]
    sleepers = sorted(
        (c for c in coros if _enum_name(c["status"]) == "CORO_SLEEPING"),
        key=lambda c: (int(c["wake_at"]), int(c["fell_asleep"])))
    asleep = [Sleeper("coro %d" % int(c["id"]), int(c["slept_ms"]),
                      int(c["wake_at"])) for c in sleepers]
    blocked = [_blocked(c, by_key[str(int(c["id"]))], frame_args)
               for c in coros]
    return Scheduler(run_queue=queue, sleepers=asleep,
                     blocked=[b for b in blocked if b is not None])


_POLL = {1: "POLLIN", 2: "POLLPRI", 4: "POLLOUT"}
_CHAN_CALL = {"CORO_SENDING": "chan_send", "CORO_RECEIVING": "chan_recv",
              "CORO_SELECTING": "chan_select"}


def _blocked(c, context, frame_args):
    status, who = _enum_name(c["status"]), "coro %d" % int(c["id"])
    if status == "CORO_JOINING":
        return Blocked(who, "coro_join", "waits for coro %d to finish"
                       % int(c["joining"]))
    if status == "CORO_WAITING_FD":
        events = int(c["events"])
        names = [n for bit, n in _POLL.items() if events & bit]
        return Blocked(who, "coro_wait_fd", "fd %d, for %s"
                       % (int(c["fd"]), "|".join(names) or hex(events)))
    if status in _CHAN_CALL:
        return Blocked(who, _CHAN_CALL[status],
                       waits=_waits(c, status, context, frame_args))
    return None


# ---- channels (stage 5) ---------------------------------------------

def _waits(c, status, context, frame_args):
    """What a coroutine blocked on channels waits to do, case by case:
    its waiters (in its frame) say on which queue; a plain send or
    receive says which side, and a select's cases say it for each."""
    sel = c["waiting"].cast(gdb.lookup_type("struct select").pointer())
    n = int(sel["n"])
    if status == "CORO_SELECTING":
        cases = (frame_args(context, "chan_select") or {}).get("cases")
        ops = [_enum_name(cases[i]["op"]) if cases is not None else None
               for i in range(n)]
    else:
        ops = ["CHAN_SEND" if status == "CORO_SENDING" else "CHAN_RECV"]
    waits = []
    for i, op in enumerate(ops):
        w = sel["waiters"][i]
        chan = _chan_of(w["queue"], op)
        if chan is not None:
            send = op == "CHAN_SEND"
            waits.append(Wait("send" if send else "receive", _channel(chan),
                              _elem(chan, w["elem"]) if send else None))
    return waits


def _chan_of(queue, op):
    """The channel whose senders (or receivers) queue this is."""
    if _addr(queue) == 0 or op not in ("CHAN_SEND", "CHAN_RECV"):
        return None
    chan_t = gdb.lookup_type("struct chan")
    side = "senders" if op == "CHAN_SEND" else "receivers"
    offset = next(f.bitpos // 8 for f in chan_t.fields() if f.name == side)
    return gdb.Value(_addr(queue) - offset).cast(
        chan_t.pointer()).dereference()


def _elem(chan, pointer):
    size = int(chan["elem_size"])
    if size == 0 or _addr(pointer) == 0:
        return None
    return machine.read_bytes(_addr(pointer), size)


def _channel(chan):
    size, cap = int(chan["elem_size"]), int(chan["cap"])
    head, length = int(chan["head"]), int(chan["len"])
    buf = _addr(chan["buf"])
    buffer = [machine.read_bytes(buf + ((head + i) % cap) * size, size)
              if size else b"" for i in range(length)]
    senders = [("coro %d" % int(w["who"]["id"]), _elem(chan, w["elem"]))
               for w in _list(chan["senders"]["first"], "next")]
    receivers = ["coro %d" % int(w["who"]["id"])
                 for w in _list(chan["receivers"]["first"], "next")]
    return Channel(label="chan %d" % int(chan["id"]), cap=cap,
                   elem_size=size, closed=bool(chan["closed"]),
                   buffer=buffer, senders=senders, receivers=receivers)
