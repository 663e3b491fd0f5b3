/* == exercise sieve (filter): the answer begins == */
KEEP_FRAME static void filter(void *arg)
{
    /* TODO (exercise sieve): the coroutine of one prime, f->prime (arg
     * is its struct filter, malloc'd by sieve()).  Take numbers from
     * f->in as long as it is open: one the prime divides is dropped
     * (and dropped_by[] says by whom), any other goes on to f->out.
     * When f->in closes: free it (nobody else holds it), close f->out,
     * so that the next filter ends too, and free f.
     * Until then this stops the program with one line. */
    (void)arg;
    fflush(stdout);
    fprintf(stderr, "filter: not written yet (exercise sieve)\n");
    abort();
}
/* == exercise sieve (filter): the answer ends == */
/* == exercise sieve (sieve): the answer begins == */
KEEP_FRAME static void sieve(void *arg)
{
    /* TODO (exercise sieve): the head of the chain.
     * - an unbuffered channel of ints, and generate() spawned to send
     *   2, 3, 4... down it;
     * - every number that comes out of the chain is prime: note it in
     *   dropped_by[] (a prime is dropped by itself), and give it a
     *   filter: a struct filter (malloc) from the end of the chain to
     *   a new channel, and a coroutine running filter() on it; the new
     *   channel is now the end of the chain;
     * - once the prime 7 has its filter, call draw_the_chain();
     * - when the chain closes, free its last channel.
     * Until then this stops the program with one line. */
    (void)arg;
    (void)generate;
    (void)filter;
    (void)draw_the_chain;
    fflush(stdout);
    fprintf(stderr, "sieve: not written yet (exercise sieve)\n");
    abort();
}
/* == exercise sieve (sieve): the answer ends == */
