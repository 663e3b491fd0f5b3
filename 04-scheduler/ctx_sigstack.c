/*
 * ctx_sigstack.c - SWITCH=sigstack: a stack each, and not a line of
 * assembly (Ralf Engelschall's "signal stack trick", as GNU Pth did).
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
 *      stack, which calls the context's entry from there
 *
 * From then on, plain setjmp/longjmp switch between the stacks.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "ctx.h"
#include "tools.h"

struct ctx {
    struct ctx_base base;       /* first: see ctx.h */
    jmp_buf         regs;       /* its registers, from setjmp */
};

#define BOOT_ROOM 4096     /* bytes below boot()'s frame it may use */

const struct ctx_mode ctx_mode = {
    "sigstack", "boot", "the kernel's signal frame, left by boot()", true,
};

static struct {
    struct ctx *booting;        /* the context ctx_new is making */
    volatile sig_atomic_t booted;   /* did boot() run for it?  (Set in a
                                   signal handler: volatile, or the
                                   compiler may read it before raise()) */
    char       *boot_fp;        /* boot()'s frame on it */
} the;

/* Steps 3 and 5: runs on the new stack, once as a signal handler and
 * once more when the context is first switched to. */
/* == exercise sigstack (boot): the answer begins == */
static void boot(int signal)
{
    (void)signal;
    the.boot_fp = __builtin_frame_address(0);
    the.booted = true;
    if (setjmp(the.booting->regs) == 0)
        return;                 /* step 3: back to ctx_new */
    struct ctx *self = (struct ctx *)ctx_arrive(NULL);  /* step 5 */
    self->base.entry();
    ctx_leave(self, self->base.link);
}
/* == exercise sigstack (boot): the answer ends == */

/* Steps 1 to 4, with SIGUSR1 let through for the moment even if the
 * program blocks it: else raise() would deliver nothing.  true if boot()
 * ran on c's stack. */
/* == exercise sigstack (boot_on): the answer begins == */
static bool boot_on(struct ctx *c)
{
    stack_t ss = {.ss_sp = c->base.stack.lo,
                  .ss_size = (size_t)(c->base.stack.hi - c->base.stack.lo)};
    stack_t old_ss;
    struct sigaction sa = {.sa_handler = boot, .sa_flags = SA_ONSTACK};
    struct sigaction old_sa;
    sigset_t usr1, old_mask;
    sigemptyset(&sa.sa_mask);
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    the.booting = c;
    the.booted = false;
    if (sigaltstack(&ss, &old_ss) != 0)                 /* step 1 */
        return false;
    sigaction(SIGUSR1, &sa, &old_sa);
    pthread_sigmask(SIG_UNBLOCK, &usr1, &old_mask);
    raise(SIGUSR1);                                     /* steps 2, 3 */
    pthread_sigmask(SIG_SETMASK, &old_mask, NULL);
    sigaction(SIGUSR1, &old_sa, NULL);                  /* step 4 */
    sigaltstack(&old_ss, NULL);
    return the.booted;
}
/* == exercise sigstack (boot_on): the answer ends == */

struct ctx *ctx_new(size_t stack_size, void (*entry)(void), struct ctx *link)
{
    struct ctx *c = ctx_base_new(sizeof *c, stack_size, entry, link);
    if (c == NULL || entry == NULL)
        return c;
    if (!boot_on(c)) {
        ctx_free(c);
        return NULL;
    }
    /* valgrind saw a handler run on a stack it did not know, and calls
     * the bytes it used unusable now that it has returned: say that the
     * page boot() ran in may be used again, and that boot()'s frame and
     * the signal frame above it are still there.  (Not the whole stack:
     * whatever lies at its bottom, a canary say, keeps its bytes.) */
    char *used = the.boot_fp - BOOT_ROOM;
    STACK_BYTES_FREE(used > c->base.stack.lo ? used : c->base.stack.lo,
                     the.boot_fp);
    STACK_BYTES_KEPT(the.boot_fp, c->base.stack.hi);
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
    if (setjmp(from->regs) != 0) {
        ctx_arrive(from->base.fake_stack);
        return;                 /* somebody switched back to us */
    }
    ctx_depart(&from->base, &to->base, &from->base.fake_stack);
    longjmp(to->regs, 1);
}

void ctx_leave(struct ctx *from, struct ctx *to)
{
    ctx_depart(&from->base, &to->base, NULL);
    longjmp(to->regs, 1);
}

int ctx_begin(size_t stack_size) { (void)stack_size; return 0; }
void ctx_end(void) {}

void ctx_view(const struct ctx *c, struct ctx_view *v)
{
    ctx_base_view(&c->base, v);
}
