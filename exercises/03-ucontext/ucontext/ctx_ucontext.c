    /* == exercise ucontext (make_context): the answer begins == */
    /* TODO (exercise ucontext): make c->uc a context that will run
     * ctx_start(c) on c's own stack, and go on to link when it returns.
     * - getcontext(&c->uc) first: makecontext() edits a context that
     *   getcontext() filled in;
     * - its stack: c->uc.uc_stack.ss_sp and ss_size, from c->base.stack
     *   (lo is its lowest address, hi its end);
     * - where it carries on when ctx_start returns: c->uc.uc_link, the
     *   ucontext_t of link;
     * - getcontext() saved our frame pointer too, and a frame walk from
     *   the new context would climb out into our frames: zero it
     *   (uc_mcontext.gregs[REG_RBP] on x86-64, .regs[29] on aarch64);
     * - makecontext(): ctx_start with its 2 arguments, HALVES(c), as
     *   makecontext() passes only ints.
     * Until then c->uc is all zeros, and the first switch to c
     * crashes. */
    (void)ctx_start;
    /* == exercise ucontext (make_context): the answer ends == */
/* == exercise ucontext (ctx_switch): the answer begins == */
__attribute__((noinline))
void ctx_switch(struct ctx *from, struct ctx *to)
{
    /* TODO (exercise ucontext): save where we are in from->uc, and
     * carry on from to->uc: one call does both.  Around it, as every
     * back end does (ctx_asm.c): keep our frame pointer in
     * from->base.fp for the tracer, ctx_depart() just before the
     * switch, ctx_arrive() first thing after it.
     * Until then abort() stops the program here. */
    (void)from;
    (void)to;
    abort();
}
/* == exercise ucontext (ctx_switch): the answer ends == */
/* == exercise ucontext (ctx_leave): the answer begins == */
void ctx_leave(struct ctx *from, struct ctx *to)
{
    /* TODO (exercise ucontext): carry on from to->uc for good: from is
     * finished, and nothing need be saved.  ctx_depart() first, with
     * NULL for the fake stack: from leaves for good.
     * Until then abort() stops the program here. */
    (void)from;
    (void)to;
    abort();
}
/* == exercise ucontext (ctx_leave): the answer ends == */
