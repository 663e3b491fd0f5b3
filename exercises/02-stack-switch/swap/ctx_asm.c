    /* == exercise swap (fresh_frame): the answer begins == */
    /* TODO (exercise swap): make the fresh stack, from c->base.stack.lo
     * up to c->base.stack.hi, look as if it had stopped in ctx_swap (the
     * picture at the top of this file): a struct swap_frame, zeroed but
     * for what START_AT(f, ctx_start) fills in, with c->sp pointing at
     * it.  Where exactly?  When ctx_swap jumps to ctx_start, the stack
     * must look as if ctx_start had just been called: on x86-64, rsp + 8
     * a multiple of 16; on aarch64, sp a multiple of 16.  stack.hi is a
     * multiple of 16.  Until then c->sp stays NULL, and the first switch
     * to c crashes. */
    (void)ctx_start;            /* where the first switch must land */
    /* == exercise swap (fresh_frame): the answer ends == */
