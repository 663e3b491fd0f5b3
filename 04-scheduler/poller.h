/*
 * poller.h - the coroutines waiting in coro_wait_fd(), and poll(2).
 */
#ifndef POLLER_H
#define POLLER_H

#include <stdbool.h>

struct coro;

/* c waits for c->events on c->fd (any number may wait on one fd). */
void poller_add(struct coro *c);

/* How many wait. */
long poller_count(void);

/* Ask the kernel which descriptors are ready, waiting up to timeout_ms
 * (-1: as long as it takes, 0: not at all), and make the coroutines
 * waiting on them runnable.  0, also when a signal cut the wait short;
 * or why it could not ask: ENOMEM (no memory for the question), EINVAL
 * (more descriptors than RLIMIT_NOFILE), or poll()'s own errno. */
int poller_wait(int timeout_ms);

#endif
