/*
 * ctx_sigstack.c - stage 2, sigstack mode: a stack each, and not a line
 * of assembly (Ralf Engelschall's "signal stack trick", as GNU Pth did).
 *
 * setjmp/longjmp can only take us to a stack that already holds a
 * jmp_buf, and a fresh stack holds none.  We cannot write one by hand:
 * glibc keeps the stack pointer in a jmp_buf mangled (xor a secret
 * value, then rotated), so that nobody can.  But the kernel will put us
 * on a stack of our choosing: a signal handler runs on the alternate
 * signal stack.  So, to make a context:
 *
 *   1. sigaltstack(): make the new stack the alternate signal stack,
 *      and install boot() as the SIGUSR1 handler, to run there
 *   2. raise(SIGUSR1): the kernel runs boot() on the new stack
 *   3. boot() does setjmp, and returns: the kernel takes us back
 *   4. put the old alternate stack and handler back
 *   5. later, longjmp to that jmp_buf: we are in boot(), on the new
 *      stack, which calls the coroutine's entry from there
 *
 * From then on, plain setjmp/longjmp switch between the stacks.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "ctx.h"
#include "tools.h"

const char ctx_mode[] = "sigstack";
const char ctx_first_frame[] = "boot";
const char ctx_top_note[] = "the kernel's signal frame, left by boot()";

static struct {
    void      (*entry)(void);   /* what a fresh context runs */
    struct ctx *booting;        /* the context ctx_init is making */
    char       *boot_fp;        /* boot()'s frame on it */
} the;

/* Steps 3 and 5: runs on the new stack, once as a signal handler and
 * once more when the context is first switched to. */
static void boot(int signal)
{
    (void)signal;
    the.boot_fp = __builtin_frame_address(0);
    if (setjmp(the.booting->regs) == 0)
        return;                 /* step 3: back to ctx_init */
    ctx_landed(NULL);               /* step 5: somebody switched to us */
    the.entry();
    abort();                    /* entry leaves by ctx_leave, not return */
}

int ctx_init(struct ctx *c, size_t stack_size, void (*entry)(void))
{
    memset(c, 0, sizeof *c);
    if (stack_alloc(&c->stack, stack_size) != 0)
        return -1;
    the.entry = entry;
    the.booting = c;
    stack_t ss = {.ss_sp = c->stack.lo,
                  .ss_size = (size_t)(c->stack.hi - c->stack.lo)};
    stack_t old_ss;
    struct sigaction sa = {.sa_handler = boot, .sa_flags = SA_ONSTACK};
    struct sigaction old_sa;
    sigemptyset(&sa.sa_mask);
    sigaltstack(&ss, &old_ss);              /* step 1 */
    sigaction(SIGUSR1, &sa, &old_sa);
    raise(SIGUSR1);                         /* steps 2 and 3 */
    sigaction(SIGUSR1, &old_sa, NULL);      /* step 4 */
    sigaltstack(&old_ss, NULL);
    /* valgrind may know it as a stack only now: with a handler running on
     * a stack it knew, it lost track of the main stack on the way back.
     * And since the handler returned, it calls those bytes unused: say
     * that boot()'s frame and the signal frame above it are still there. */
    stack_register(&c->stack);
    STACK_BYTES_FREE(c->stack.lo, c->stack.hi);
    STACK_BYTES_KEPT(the.boot_fp, c->stack.hi);
    c->fresh = true;
    return 0;
}

__attribute__((noinline))
void ctx_switch(struct ctx *from, struct ctx *to)
{
    from->fp = __builtin_frame_address(0);
    if (setjmp(from->regs) != 0) {
        ctx_landed(from->fake_stack);
        return;                 /* somebody switched back to us */
    }
    to->fresh = false;
    ctx_leaving(from);
    FIBER_START(&from->fake_stack, to->stack.lo,
                (size_t)(to->stack.hi - to->stack.lo));
    longjmp(to->regs, 1);
}

void ctx_leave(struct ctx *from, struct ctx *to)
{
    ctx_leaving(from);
    FIBER_START(NULL, to->stack.lo, (size_t)(to->stack.hi - to->stack.lo));
    longjmp(to->regs, 1);
}
