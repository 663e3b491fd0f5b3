/*
 * timers.h - the coroutines asleep in coro_sleep_ms(), earliest first.
 */
#ifndef TIMERS_H
#define TIMERS_H

#include <stdbool.h>

struct coro;

/* Milliseconds on a clock that only goes forward. */
long long now_ms(void);

/* c sleeps for at least c->slept_ms from now (for ever, if that is past
 * what the clock can count): true, or false with no memory. */
bool timers_add(struct coro *c);

/* How many sleep. */
long timers_count(void);

/* Milliseconds until the earliest wakes (0 if it is due), -1 if none. */
int timers_next(void);

/* Make every sleeper whose time has come runnable, earliest first. */
void timers_expire(void);

#endif
