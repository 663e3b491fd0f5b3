"""model.py - what the extension knows about a program's coroutines,
in words that do not depend on how the kit lays out its structs.

The adapter (adapter.py) fills these in from the program's memory; the
unwinding (view.py) and the commands (commands.py) read only these.
"""
from dataclasses import dataclass, field


@dataclass
class Saved:
    """Where a stopped context will carry on: enough to unwind it."""
    fp: int             # its frame pointer there (the frame of the switch)
    regs: dict = None   # registers as they will be when it carries on:
                        # "pc", "sp", "fp" and any callee-saved ones by
                        # gdb's names; None: only fp is known
    how: str = ""       # where they came from, for the output
    moved: tuple = None # (lo, hi, delta): the bytes of lo .. hi (its
                        # frames) are now at lo + delta (a heap copy)


@dataclass
class Context:
    """Main, a coroutine or a generator: something that runs and stops."""
    key: str            # what `coroutine KEY ...` takes: "0", "2", "g1"
    label: str          # "main", "coro 2", 'generator "first tree"'
    state: str          # "suspended", "blocked in chan_recv", ...
    runs: str           # the function it runs
    running: bool       # on the CPU now: the thread's own registers
    saved: Saved = None # None: not stopped (new, running, finished)
    first_frame: str = None  # the outermost function of its stack
    idle: str = None    # why it has no frames: "not started", ...


@dataclass
class Sleeper:
    label: str
    slept_ms: int       # what it asked for
    wake_at: int        # when it is due, in ms of CLOCK_MONOTONIC


@dataclass
class Channel:
    label: str          # "chan 3"
    cap: int            # 0: unbuffered
    elem_size: int      # 0: carries no value, a signal
    closed: bool
    buffer: list        # the elements in it, oldest first (bytes)
    senders: list       # (label, bytes or None) waiting to send
    receivers: list     # labels waiting to receive


@dataclass
class Wait:
    """One channel operation a blocked coroutine waits to do."""
    op: str             # "send" or "receive"
    channel: Channel
    elem: bytes = None  # what it sends


@dataclass
class Blocked:
    label: str
    call: str           # where it waits: "coro_join", "chan_send", ...
    detail: str = ""    # "waits for coro 2 to finish", "fd 3, for POLLIN"
    waits: list = field(default_factory=list)   # of Wait


@dataclass
class Scheduler:
    run_queue: list     # labels, the front first
    sleepers: list      # of Sleeper, earliest first
    blocked: list       # of Blocked


@dataclass
class Snapshot:
    """Everything at one stop of the program."""
    contexts: list      # of Context: main first
    scheduler: Scheduler = None   # stages with a scheduler only
