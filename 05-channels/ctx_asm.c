/*
 * ctx_asm.c - SWITCH=asm: every coroutine has a stack of its own
 * (stack.c), and ctx_swap (switch_x86_64.S, switch_aarch64.S), stage 2's
 * hand-written switch, saves one context's registers on its stack and
 * loads the other's.
 *
 * A fresh stack is made to look as if it had stopped in ctx_swap, so
 * that the first switch to it "returns" into ctx_start():
 *
 *     hi ->  | (none)             |  ctx_start()'s return address (x86-64)
 *            | ctx_start          |  where ctx_swap returns to
 *            | frame pointer = 0  |  the end of the chain of frame records
 *            | other registers: 0 |
 *     sp ->  | FP control words   |  the ABI's defaults
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ctx.h"
#include "tools.h"

const char ctx_mode[] = "asm";
const char ctx_first_frame[] = "ctx_start";
const char ctx_top_note[] = "";

void ctx_swap(void **save_sp, void *load_sp);   /* switch_<arch>.S */

#if defined(__x86_64__)
struct swap_frame {             /* switch_x86_64.S, from sp up */
    uint32_t mxcsr;             /* sp + 0   SSE control */
    uint16_t x87_control;       /* sp + 4   x87 control word */
    uint16_t spare;             /* sp + 6 */
    uint64_t r15, r14, r13, r12, rbx;   /* sp + 8 .. sp + 40 */
    uint64_t rbp;               /* sp + 48  frame pointer */
    void   (*ret)(void);        /* sp + 56  where it carries on */
    void    *start_returns_to;  /* sp + 64  ctx_start()'s return address */
};
#define START_AT(f, fn) ((f)->ret = (fn), (f)->mxcsr = 0x1f80, \
                         (f)->x87_control = 0x037f)
#elif defined(__aarch64__)
struct swap_frame {             /* switch_aarch64.S, from sp up */
    uint64_t x19_x28[10];       /* sp + 0 .. sp + 72 */
    uint64_t x29;               /* sp + 80  frame pointer */
    void   (*x30)(void);        /* sp + 88  where it carries on */
    uint64_t d8_d15[8];         /* sp + 96 .. sp + 152 */
    uint64_t fpcr, spare;       /* sp + 160 FP control; sp + 168 */
};
#define START_AT(f, fn) ((f)->x30 = (fn))
#else
#error "asm mode has a switch for x86-64 and aarch64 only: try MODE=sigstack"
#endif

static struct ctx *starting;    /* the context a switch goes to */

/* Where a fresh context's first switch lands: at the top of its stack.
 * When entry returns, on to the context's link, for good. */
static void ctx_start(void)
{
    struct ctx *self = starting;
    ctx_arrive(NULL);
    self->entry();
    ctx_leave(self, self->link);
}

int ctx_init(struct ctx *c, size_t stack_size, void (*entry)(void),
             struct ctx *link)
{
    memset(c, 0, sizeof *c);
    if (stack_alloc(&c->stack, stack_size) != 0)
        return -1;
    c->entry = entry;
    c->link = link;
    struct swap_frame *f = (struct swap_frame *)(c->stack.hi - sizeof *f);
    memset(f, 0, sizeof *f);
    START_AT(f, ctx_start);
    c->sp = f;
    c->fresh = true;
    return 0;
}

__attribute__((noinline))
void ctx_switch(struct ctx *from, struct ctx *to)
{
    from->fp = __builtin_frame_address(0);
    to->fresh = false;
    starting = to;
    ctx_depart(from, to, &from->fake_stack);
    ctx_swap(&from->sp, to->sp);
    ctx_arrive(from->fake_stack);
}

void ctx_leave(struct ctx *from, struct ctx *to)
{
    starting = to;
    ctx_depart(from, to, NULL);
    ctx_swap(&from->sp, to->sp);
    abort();                    /* nobody switches back to from */
}
