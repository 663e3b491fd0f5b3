/* == exercise gen (gen_next): the answer begins == */
KEEP_FRAME
bool gen_next(gen *g, long *value)
{
    /* TODO (exercise gen): run g until it yields a value or returns.
     * - what resumable() refuses, and a finished g: false at once;
     * - g's values go to whoever runs now: g->consumer = the.running
     *   (another generator, or NULL for main or a coroutine);
     * - the tracer's title, word for word:
     *       SHOW_SWITCH("%s %s generator %s", consumer_name(g),
     *                   g->status == GEN_NEW ? "starts" : "resumes",
     *                   g->name);
     * - enter(g), switch from g->caller (where we are: the context g
     *   goes back to) to g->ctx, and leave(g) once back;
     * - back here, g has yielded (its value is in g->value), or its
     *   function has returned (g->status says which): hand the value
     *   over, unless value is NULL.
     * Until then this stops the program with one line. */
    (void)g;
    (void)value;
    (void)resumable;
    (void)enter;
    (void)leave;
    coro_fail("gen_next: not written yet (exercise gen)");
}
/* == exercise gen (gen_next): the answer ends == */
/* == exercise gen (gen_yield): the answer begins == */
KEEP_FRAME
void gen_yield(long value)
{
    /* TODO (exercise gen): hand value to the consumer, and stop here
     * until the next gen_next().
     * - the generator yielding is the one running, the.running; none:
     *   coro_fail("gen_yield: called outside a generator");
     * - keep value in it, and mark it GEN_SUSPENDED;
     * - the tracer's title, word for word:
     *       SHOW_SWITCH("%s yields %ld to %s", self->name, value,
     *                   consumer_name(self));
     * - switch from its context to its caller's (self->caller): the
     *   next gen_next() switches back, and this call returns.
     * Until then this stops the program with one line. */
    (void)value;
    coro_fail("gen_yield: not written yet (exercise gen)");
}
/* == exercise gen (gen_yield): the answer ends == */
