/* == exercise sleep (coro_sleep_ms): the answer begins == */
KEEP_FRAME void coro_sleep_ms(long ms)
{
    /* TODO (exercise sleep): sleep ms milliseconds, at least.
     * - only a coroutine can sleep: must_be_in_coroutine("coro_sleep_ms");
     * - a negative ms: say "coro_sleep_ms: %ld ms is negative; not
     *   sleeping" (coro_complain) and return;
     * - note ms in self->slept_ms, and add self to the timers
     *   (timers_add; false: coro_fail("coro_sleep_ms: no memory for a
     *   timer"));
     * - park as CORO_SLEEPING: the run loop's timers_expire() makes it
     *   runnable when its time comes.
     * Until then this stops the program with one line. */
    (void)ms;
    coro_fail("coro_sleep_ms: not written yet (exercise sleep)");
}
/* == exercise sleep (coro_sleep_ms): the answer ends == */
