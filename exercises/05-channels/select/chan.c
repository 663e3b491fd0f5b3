/* == exercise select (pick_ready): the answer begins == */
static int pick_ready(const chan_case *cases, int n)
{
    /* TODO (exercise select): the index of one of the ready cases
     * (ready() says which are), each as likely as the others; -1 if
     * none is.  One pass, and no array: keep the k-th ready case with
     * probability 1/k (next_random() % k == 0), reservoir sampling.
     * Until then this stops the program with one line. */
    (void)cases;
    (void)n;
    (void)ready;
    (void)next_random;
    coro_fail("pick_ready: not written yet (exercise select)");
}
/* == exercise select (pick_ready): the answer ends == */
/* == exercise select (chan_select): the answer begins == */
KEEP_FRAME int chan_select(chan_case *cases, int n, bool block)
{
    /* TODO (exercise select): run one of the n cases (chan.h says it
     * all), and return its index.
     * - check_cases() first: misuse stops there;
     * - every receive case's ok starts false;
     * - a ready case (pick_ready): run it now (run_case), done;
     * - none, and !block: -1;
     * - else wait on all of them at once: wait_on() with a waiter per
     *   case (FEW_CASES of them in this frame, more malloc'd, and no
     *   memory is misuse: "no memory to wait on so many cases"); it
     *   returns the case that fired;
     * - that case's waiter says how: a send that was woken by a close
     *   (!ok) stops as chan_send does ("send on closed channel", with
     *   its channel's number); a receive's ok goes in the case.
     * Until then this stops the program with one line. */
    (void)cases;
    (void)n;
    (void)block;
    (void)check_cases;
    (void)run_case;
    (void)pick_ready;
    (void)wait_on;
    coro_fail("chan_select: not written yet (exercise select)");
}
/* == exercise select (chan_select): the answer ends == */
