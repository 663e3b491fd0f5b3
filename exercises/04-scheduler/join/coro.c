/* == exercise join (coro_join): the answer begins == */
KEEP_FRAME void coro_join(int id)
{
    /* TODO (exercise join): wait until coroutine id has finished.
     * - only a coroutine can wait: must_be_in_coroutine("coro_join");
     * - an id never given out (id <= 0, or past sched_last_id()): say
     *   "coro_join: there is no coroutine %d" (coro_complain) and
     *   return;
     * - sched_find(id) is NULL once it has finished: return at once;
     * - waiting for oneself would never end: coro_fail("coro_join:
     *   coro %d cannot wait for itself to finish", id);
     * - else note whom we wait for in self->joining (the deadlock
     *   report names it), join the back of the target's joiners
     *   (queue_push), and park as CORO_JOINING until it finishes.
     * Until then this stops the program with one line. */
    (void)id;
    coro_fail("coro_join: not written yet (exercise join)");
}
/* == exercise join (coro_join): the answer ends == */
