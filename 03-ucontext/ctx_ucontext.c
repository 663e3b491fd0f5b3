/*
 * ctx_ucontext.c - stage 3: a mapped stack each (stack.c), switched by
 * the C library instead of by hand.
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
#include <string.h>

#include "ctx.h"
#include "tools.h"

const char ctx_mode[] = "ucontext";
const char ctx_first_frame[] = "ctx_start";
const char ctx_top_note[] = "";

static unsigned long switches;  /* how many so far */

/*
 * makecontext passes its arguments as int, whatever the function says:
 * a 64-bit pointer does not fit in one.  So the two halves of each
 * pointer travel separately, and are put back together here.
 */
#define HALVES(p) (int)(uint32_t)((uintptr_t)(p) >> 32), \
                  (int)(uint32_t)(uintptr_t)(p)

static void *whole(int hi, int lo)
{
    return (void *)(((uintptr_t)(uint32_t)hi << 32) | (uint32_t)lo);
}

/* Where a fresh context starts.  Returning goes on to uc_link. */
static void ctx_start(int entry_hi, int entry_lo, int link_hi, int link_lo)
{
    void (*entry)(void) = (void (*)(void))whole(entry_hi, entry_lo);
    struct ctx *link = whole(link_hi, link_lo);
    ctx_landed(NULL);
    entry();
    switches++;
    ctx_leaving(NULL);          /* it has finished, and may be freed */
    FIBER_START(NULL, link->stack.lo, (size_t)(link->stack.hi -
                                               link->stack.lo));
}

int ctx_init(struct ctx *c, size_t stack_size, void (*entry)(void),
             struct ctx *link)
{
    memset(c, 0, sizeof *c);
    if (stack_alloc(&c->stack, stack_size) != 0)
        return -1;
    stack_register(&c->stack);
    getcontext(&c->uc);
    c->uc.uc_stack.ss_sp = c->stack.lo;
    c->uc.uc_stack.ss_size = (size_t)(c->stack.hi - c->stack.lo);
    c->uc.uc_link = &link->uc;
    /* getcontext saved our frame pointer too: a frame walk from the new
     * context would climb out into our dead frames.  End the chain. */
#if defined(__x86_64__)
    c->uc.uc_mcontext.gregs[REG_RBP] = 0;
#elif defined(__aarch64__)
    c->uc.uc_mcontext.regs[29] = 0;
#endif
    makecontext(&c->uc, (void (*)(void))ctx_start, 4, HALVES(entry),
                HALVES(link));
    c->fresh = true;
    return 0;
}

__attribute__((noinline))
void ctx_switch(struct ctx *from, struct ctx *to)
{
    from->fp = __builtin_frame_address(0);
    to->fresh = false;
    ctx_leaving(from);
    switches++;
    FIBER_START(&from->fake_stack, to->stack.lo,
                (size_t)(to->stack.hi - to->stack.lo));
    swapcontext(&from->uc, &to->uc);
    ctx_landed(from->fake_stack);
}

void ctx_leave(struct ctx *from, struct ctx *to)
{
    ctx_leaving(from);
    switches++;
    FIBER_START(NULL, to->stack.lo, (size_t)(to->stack.hi - to->stack.lo));
    setcontext(&to->uc);
    abort();                    /* setcontext does not return */
}

unsigned long ctx_switches(void)
{
    return switches;
}
