/*
 * ctx_asm.c - SWITCH=asm: every context has a stack of its own
 * (stack.c), and ctx_swap (switch_x86_64.S, switch_aarch64.S) saves one
 * context's registers on its stack and loads the other's.  All this
 * back end keeps of a stopped context is its stack pointer.
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

struct ctx {
    struct ctx_base base;       /* first: see ctx.h */
    void           *sp;         /* where it stopped; its registers are
                                   pushed just above (struct swap_frame) */
};

const struct ctx_mode ctx_mode = {"asm", "ctx_start", NULL, true};

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
#error "SWITCH=asm has a switch for x86-64 and aarch64 only: try SWITCH=sigstack"
#endif

/* Where a fresh context's first switch lands: at the top of its stack.
 * When entry returns, on to the context's link, for good: ctx_leave()
 * written out here, so that the switch is made from this frame, which
 * nobody called.  The processor guesses where each `ret` goes from the
 * calls it saw (switch_x86_64.S): a switch from a call of ctx_leave
 * would leave that call unreturned, and the run loop's next returns
 * guessed wrong. */
static void ctx_start(void)
{
    struct ctx *self = (struct ctx *)ctx_arrive(NULL);
    self->base.entry();
    ctx_depart(&self->base, &self->base.link->base, NULL);
    ctx_swap(&self->sp, self->base.link->sp);
    abort();                    /* nobody switches back to it */
}

struct ctx *ctx_new(size_t stack_size, void (*entry)(void), struct ctx *link)
{
    struct ctx *c = ctx_base_new(sizeof *c, stack_size, entry, link);
    if (c == NULL || entry == NULL)
        return c;
    /* == exercise swap (fresh_frame): the answer begins == */
    struct swap_frame *f = (struct swap_frame *)(c->base.stack.hi -
                                                 sizeof *f);
    memset(f, 0, sizeof *f);
    START_AT(f, ctx_start);
    c->sp = f;
    /* == exercise swap (fresh_frame): the answer ends == */
    return c;
}

void ctx_free(struct ctx *c)
{
    ctx_base_free((struct ctx_base *)c);    /* the base comes first */
}

__attribute__((noinline))
void ctx_switch(struct ctx *from, struct ctx *to)
{
    from->base.fp = __builtin_frame_address(0);
    ctx_depart(&from->base, &to->base, &from->base.fake_stack);
    ctx_swap(&from->sp, to->sp);
    ctx_arrive(from->base.fake_stack);
}

void ctx_leave(struct ctx *from, struct ctx *to)
{
    ctx_depart(&from->base, &to->base, NULL);
    ctx_swap(&from->sp, to->sp);
    abort();                    /* nobody switches back to from */
}

int ctx_begin(size_t stack_size) { (void)stack_size; return 0; }
void ctx_end(void) {}

void ctx_view(const struct ctx *c, struct ctx_view *v)
{
    ctx_base_view(&c->base, v);
}
