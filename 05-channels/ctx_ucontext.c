/*
 * ctx_ucontext.c - SWITCH=ucontext: a mapped stack each (stack.c),
 * switched by the C library instead of by hand.
 *
 *   getcontext(&uc)           save the registers we have now in uc
 *   makecontext(&uc, fn, n)   make uc, once given a stack, start fn
 *   swapcontext(&from, &to)   save into from, load to: the switch
 *
 * uc_link says where to carry on when the function makecontext started
 * returns.  And swapcontext saves and restores the signal mask too,
 * which costs a system call (rt_sigprocmask) on every switch: stage 2's
 * hand-written switch needed none.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdlib.h>
#include <ucontext.h>

#include "ctx.h"

struct ctx {
    struct ctx_base base;       /* first: see ctx.h */
    ucontext_t      uc;         /* its registers, and its signal mask */
};

const struct ctx_mode ctx_mode = {"ucontext", "ctx_start", NULL, true};

/*
 * makecontext passes its arguments as int, whatever the function says:
 * a 64-bit pointer does not fit in one.  So the two halves of the
 * pointer travel separately, and are put back together here.
 */
#define HALVES(p) (int)(uint32_t)((uintptr_t)(p) >> 32), \
                  (int)(uint32_t)(uintptr_t)(p)

static void *whole(int hi, int lo)
{
    return (void *)(((uintptr_t)(uint32_t)hi << 32) | (uint32_t)lo);
}

/* Where a fresh context starts.  Returning goes on to uc_link. */
static void ctx_start(int self_hi, int self_lo)
{
    struct ctx *self = whole(self_hi, self_lo);
    ctx_arrive(NULL);
    self->base.entry();
    ctx_depart(&self->base, &self->base.link->base, NULL);  /* for good */
}

struct ctx *ctx_new(size_t stack_size, void (*entry)(void), struct ctx *link)
{
    struct ctx *c = ctx_base_new(sizeof *c, stack_size, entry, link);
    if (c == NULL || entry == NULL)
        return c;
    /* == exercise ucontext (make_context): the answer begins == */
    getcontext(&c->uc);
    c->uc.uc_stack.ss_sp = c->base.stack.lo;
    c->uc.uc_stack.ss_size = (size_t)(c->base.stack.hi - c->base.stack.lo);
    c->uc.uc_link = &link->uc;
    /* getcontext saved our frame pointer too: a frame walk from the new
     * context would climb out into our dead frames.  End the chain. */
#if defined(__x86_64__)
    c->uc.uc_mcontext.gregs[REG_RBP] = 0;
#elif defined(__aarch64__)
    c->uc.uc_mcontext.regs[29] = 0;
#endif
    makecontext(&c->uc, (void (*)(void))ctx_start, 2, HALVES(c));
    /* == exercise ucontext (make_context): the answer ends == */
    return c;
}

void ctx_free(struct ctx *c)
{
    ctx_base_free((struct ctx_base *)c);    /* the base comes first */
}

/* == exercise ucontext (ctx_switch): the answer begins == */
__attribute__((noinline))
void ctx_switch(struct ctx *from, struct ctx *to)
{
    from->base.fp = __builtin_frame_address(0);
    ctx_depart(&from->base, &to->base, &from->base.fake_stack);
    swapcontext(&from->uc, &to->uc);
    ctx_arrive(from->base.fake_stack);
}
/* == exercise ucontext (ctx_switch): the answer ends == */

/* == exercise ucontext (ctx_leave): the answer begins == */
void ctx_leave(struct ctx *from, struct ctx *to)
{
    ctx_depart(&from->base, &to->base, NULL);
    setcontext(&to->uc);
    abort();                    /* setcontext does not return */
}
/* == exercise ucontext (ctx_leave): the answer ends == */

int ctx_begin(size_t stack_size) { (void)stack_size; return 0; }
void ctx_end(void) {}

void ctx_view(const struct ctx *c, struct ctx_view *v)
{
    ctx_base_view(&c->base, v);
}
