"""machine.py - what the CPU and the C library decide, not the kit:
the registers' names, and how glibc keeps registers in a jmp_buf and a
ucontext_t.

A register set here is a dict: "pc", "sp" and "fp" by those generic
names, the other callee-saved registers by gdb's names ("rbx", "x19").
"""
import gdb

MASK = (1 << 64) - 1


class Arch:
    """One CPU's names for the registers an unwinder needs."""

    def __init__(self, name, pc, sp, fp, link, callee_saved,
                 fp_records_at):
        self.name = name
        self.pc, self.sp, self.fp = pc, sp, fp
        # the link register, where a call leaves its return address: at
        # a stop just after a call returned, it holds that pc
        self.link = link
        self.callee_saved = callee_saved
        # where a frame record (caller's fp, return address) sits
        # relative to the caller's stack pointer: see caller_of()
        self.fp_records_at = fp_records_at

    def gdb_name(self, reg):
        return {"pc": self.pc, "sp": self.sp, "fp": self.fp}.get(reg, reg)


X86_64 = Arch("x86-64", "rip", "rsp", "rbp", None,
              ("rbx", "r12", "r13", "r14", "r15"), "top")
AARCH64 = Arch("aarch64", "pc", "sp", "x29", "x30",
               tuple("x%d" % n for n in range(19, 29)), "bottom")


def arch():
    """The program's CPU, or None for one the extension does not know."""
    name = gdb.selected_inferior().architecture().name()
    if name == "i386:x86-64":
        return X86_64
    if name.startswith("aarch64"):
        return AARCH64
    return None


# ---- memory --------------------------------------------------------

def read_word(addr):
    data = gdb.selected_inferior().read_memory(addr, 8)
    return int.from_bytes(bytes(data), "little")


def read_bytes(addr, n):
    return bytes(gdb.selected_inferior().read_memory(addr, n))


def function_at(pc):
    """The name of the function that holds pc, from the symbol table
    (works without debug info, as for the C library); None if none."""
    try:
        text = gdb.execute("info symbol 0x%x" % pc, to_string=True)
    except gdb.error:
        return None
    if text.startswith("No symbol"):
        return None
    return text.split()[0]


def has_symbol(pc):
    """Is pc in a function the symbol table knows?  (Cheap enough for an
    unwinder to ask of every frame.)"""
    return "<" in gdb.format_address(pc)


def caller_of(fp, read=read_word):
    """The registers of the caller of the frame whose frame pointer is
    fp, from its frame record alone: the fall-back when a back end's
    saved registers are not known.  Exact on x86-64, where the record
    sits just under the caller's stack pointer; on aarch64 gcc puts it at
    the bottom of the frame, and the caller's stack pointer is taken to
    be its own frame pointer, as gcc's frames have it at -O0."""
    a = arch()
    caller_fp, ret = read(fp), read(fp + 8)
    sp = fp + 16 if a.fp_records_at == "top" else caller_fp
    regs = {"pc": ret, "sp": sp, "fp": caller_fp}
    if a.link:
        regs[a.link] = ret
    return regs


# ---- glibc's jmp_buf -------------------------------------------------
#
# glibc stores some of a jmp_buf's registers "mangled", so that nobody
# can aim a longjmp by writing one: on x86-64 rbp, rsp and pc are xored
# with a per-process secret, the pointer guard, and rotated left by 17
# bits; on aarch64 sp and the link register are xored with it (x29 is
# stored as it is).  The guard lives in the thread's control block on
# x86-64 (%fs:0x30), and in a variable of the C library on aarch64.

def _ror(x, n):
    return ((x >> n) | (x << (64 - n))) & MASK


def pointer_guard():
    """The process's pointer guard, or None if it cannot be read."""
    if arch() is X86_64:
        try:
            fs_base = int(gdb.parse_and_eval("$fs_base"))
            return read_word(fs_base + 0x30)
        except (gdb.error, gdb.MemoryError):
            return None
    for name in ("__pointer_chk_guard_local", "__pointer_chk_guard"):
        try:
            return int(gdb.parse_and_eval(
                "*(unsigned long *) &'%s'" % name)) & MASK
        except (gdb.error, gdb.MemoryError):
            continue
    return None


def jmp_buf_regs(jmp_buf, fp):
    """The registers in a jmp_buf (a gdb.Value of glibc's jmp_buf), as
    they will be when longjmp makes setjmp return again; fp, the frame
    pointer known to be in it, checks the pointer guard.  None if the
    mangled ones cannot be read back."""
    words = [int(w) & MASK for w in _jmp_buf_words(jmp_buf)]
    guard = pointer_guard()
    if guard is None:
        return None
    if arch() is X86_64:
        def plain(w):
            return _ror(w, 17) ^ guard
        regs = {"rbx": words[0], "fp": plain(words[1]),
                "r12": words[2], "r13": words[3], "r14": words[4],
                "r15": words[5], "sp": plain(words[6]),
                "pc": plain(words[7])}
    else:
        x29 = words[10] if words[10] == fp else words[10] ^ guard
        regs = {"x%d" % (19 + i): words[i] for i in range(10)}
        regs.update(fp=x29, pc=words[11] ^ guard, sp=words[13] ^ guard)
        regs[AARCH64.link] = regs["pc"]
    # a wrong guard shows: the frame pointer is not the one the kit
    # kept, or the pc is in no function
    if regs["fp"] != fp or not has_symbol(regs["pc"]):
        return None
    return regs


def _jmp_buf_words(jmp_buf):
    buf = jmp_buf[0]["__jmpbuf"]
    low, high = buf.type.strip_typedefs().range()
    return [buf[i] for i in range(low, high + 1)]


# ---- glibc's ucontext_t ----------------------------------------------

# x86-64: the order of uc_mcontext.gregs[] (REG_R8 .. REG_RIP)
_GREGS = ("r8 r9 r10 r11 r12 r13 r14 r15 rdi rsi rbp rbx rdx rax rcx "
          "rsp rip").split()


def _member(value, name):
    """value.name; strict ISO C builds name glibc's fields value.__name."""
    try:
        return value[name]
    except gdb.error:
        return value["__" + name]


def ucontext_regs(uc):
    """The registers in a ucontext_t that swapcontext filled in, as they
    will be when swapcontext returns there."""
    m = uc["uc_mcontext"]
    if arch() is X86_64:
        gregs = _member(m, "gregs")
        g = {name: int(gregs[i]) & MASK for i, name in enumerate(_GREGS)}
        regs = {r: g[r] for r in X86_64.callee_saved}
        regs.update(pc=g["rip"], sp=g["rsp"], fp=g["rbp"])
        return regs
    x = [int(_member(m, "regs")[i]) & MASK for i in range(31)]
    regs = {"x%d" % n: x[n] for n in range(19, 29)}
    pc = int(_member(m, "pc")) & MASK
    # glibc's aarch64 swapcontext saves a pc inside itself, whose two
    # instructions put x1 back into the link register and return: the
    # caller's return address is in regs[1].
    if (function_at(pc) or "").endswith("swapcontext"):
        pc = x[1]
    regs.update(pc=pc, sp=int(_member(m, "sp")) & MASK, fp=x[29])
    regs[AARCH64.link] = pc
    return regs
