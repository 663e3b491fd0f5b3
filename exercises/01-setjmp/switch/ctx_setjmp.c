/* == exercise switch (ctx_switch): the answer begins == */
__attribute__((noinline))
void ctx_switch(struct ctx *from, struct ctx *to)
{
    /* TODO (exercise switch): save where we are in from, and carry on
     * from wherever `to` stopped.
     * - first from->fp = __builtin_frame_address(0): the tracer starts
     *   its walk there, and ctx_overran() checks it;
     * - setjmp(from->regs) returns twice: 0 now, and again, not 0, when
     *   somebody longjmps to from.  Then we are back: call landed() (it
     *   tells valgrind about the bytes we come back to) and return;
     * - before jumping, the.landing = to->slice (landed() reads it);
     * - a fresh `to` has saved no registers yet: it starts at the top
     *   of its slice, the.start[to->slice]; clear to->fresh on the way;
     * - anyone else: longjmp(to->regs, 1).
     * Until then this stops the program with one line. */
    (void)from;
    (void)to;
    fflush(stdout);
    fprintf(stderr, "ctx_switch: not written yet (exercise switch)\n");
    abort();
}
/* == exercise switch (ctx_switch): the answer ends == */
