/* == exercise sigstack (boot): the answer begins == */
static void boot(int signal)
{
    /* TODO (exercise sigstack): steps 3 and 5 of the comment at the top.
     * - as a signal handler (step 3): note boot()'s frame in the.boot_fp
     *   (ctx_new() needs it), set the.booted, and setjmp into the
     *   context being made, the.booting->regs; setjmp returns 0 now:
     *   return, and the kernel takes us back to boot_on();
     * - when somebody first longjmps to those regs (step 5), setjmp
     *   returns again, not 0: we are on the new stack, for good.  Run
     *   the context as ctx_asm.c's ctx_start() does: ctx_arrive(NULL)
     *   gives the context, then its base.entry(), then ctx_leave() to
     *   its base.link. */
    (void)signal;
}
/* == exercise sigstack (boot): the answer ends == */
/* == exercise sigstack (boot_on): the answer begins == */
static bool boot_on(struct ctx *c)
{
    /* TODO (exercise sigstack): steps 1 to 4 of the comment at the top.
     * - the.booting = c and the.booted = false, for boot();
     * - step 1: sigaltstack() with c's stack (c->base.stack.lo, its size
     *   up to stack.hi), and sigaction() to make boot() the SIGUSR1
     *   handler, with SA_ONSTACK; keep the old stack and the old
     *   handler, to put them back;
     * - steps 2 and 3: raise(SIGUSR1), with SIGUSR1 unblocked for the
     *   moment (pthread_sigmask; put the old mask back after);
     * - step 4: the old handler and alternate stack back, as they were;
     * - true if boot() ran (the.booted).
     * Until then no context can be made: coro_spawn() says "no memory". */
    (void)c;
    (void)boot;
    return false;
}
/* == exercise sigstack (boot_on): the answer ends == */
