/* == exercise sleep (sift_up): the answer begins == */
static void sift_up(long i)
{
    /* TODO (exercise sleep): the heap's element i may be earlier than
     * its parent, (i - 1) / 2: swap it up until it is not, or is at the
     * top.  earlier() and swap() are above.
     * Until then this stops the program with one line. */
    (void)i;
    coro_fail("sift_up: not written yet (exercise sleep)");
}
/* == exercise sleep (sift_up): the answer ends == */
/* == exercise sleep (sift_down): the answer begins == */
static void sift_down(long i)
{
    /* TODO (exercise sleep): the heap's element i may be later than one
     * of its children, 2 * i + 1 and 2 * i + 2 (those below the.count):
     * swap it with the earlier child until it is earlier than both.
     * Until then this stops the program with one line. */
    (void)i;
    (void)earlier;
    (void)swap;
    coro_fail("sift_down: not written yet (exercise sleep)");
}
/* == exercise sleep (sift_down): the answer ends == */
/* == exercise sleep (timers_add): the answer begins == */
bool timers_add(struct coro *c)
{
    /* TODO (exercise sleep): add c to the heap.
     * - room first: the.heap holds the.capacity; when full, realloc it
     *   to twice as many (64 the first time); no memory: false;
     * - when c wakes: c->wake_at = deadline(c->slept_ms); and ties at
     *   the same wake_at go first come, first served: c->fell_asleep
     *   = the.falls++ (earlier() looks at both);
     * - at the end of the heap, then sift_up() to its place; true.
     * Until then this stops the program with one line. */
    (void)c;
    (void)deadline;
    (void)sift_up;
    coro_fail("timers_add: not written yet (exercise sleep)");
}
/* == exercise sleep (timers_add): the answer ends == */
/* == exercise sleep (timers_expire): the answer begins == */
void timers_expire(void)
{
    /* TODO (exercise sleep): make runnable (sched_ready) every sleeper
     * whose wake_at has come (<= now_ms()), earliest first: take the
     * top, heap[0], put the last one in its place, and sift_down(0).
     * Until then this stops the program with one line. */
    (void)sift_down;
    coro_fail("timers_expire: not written yet (exercise sleep)");
}
/* == exercise sleep (timers_expire): the answer ends == */
