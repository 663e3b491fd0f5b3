/*
 * poller.h - the coroutines waiting in coro_wait_fd(), and poll(2).
 */
#ifndef POLLER_H
#define POLLER_H

#include <stdbool.h>

struct coro;

/* c waits for c->events on c->fd. */
void poller_add(struct coro *c);

/* How many wait. */
long poller_count(void);

/* Ask the kernel which descriptors are ready, waiting up to timeout_ms
 * (-1: as long as it takes, 0: not at all), and make the coroutines
 * waiting on them runnable.  false when there is no memory to ask. */
bool poller_wait(int timeout_ms);

#endif
