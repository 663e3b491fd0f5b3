/* == exercise deadlock (report_deadlock): the answer begins == */
static void report_deadlock(void)
{
    /* TODO (exercise deadlock): nobody can ever run again.  Say so,
     * then forget them all, and coro_run() returns -1.
     * - first, with coro_complain(), the line (the.alive coroutines):
     *       coro_run: deadlock: 2 coroutines are blocked, and nothing
     *       can wake them:
     *   all on one line; with one: "1 coroutine is blocked ... wake it:";
     * - then a line each on stderr, oldest first (the.oldest, ->newer):
     *       "  coro 1: blocked in coro_join, waiting for coro 2"
     *   coro_states[c->status].name says what it is blocked in, and
     *   c->joining whom it waits for;
     * - then release() every one of them: coro_run() goes on while
     *   any is alive.
     * Until then this stops the program with one line. */
    coro_fail("report_deadlock: not written yet (exercise deadlock)");
}
/* == exercise deadlock (report_deadlock): the answer ends == */
