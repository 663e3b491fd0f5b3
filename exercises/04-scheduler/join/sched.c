    /* == exercise join (wake_joiners): the answer begins == */
    /* TODO (exercise join): self has finished: make every coroutine in
     * self->joiners runnable again (sched_ready), first come, first
     * woken (queue_pop). */
    /* == exercise join (wake_joiners): the answer ends == */
