/*
 * coro.h - coroutines with a scheduler.
 *
 * A coroutine is a function that can stop in the middle and carry on
 * later.  Here they no longer hand the CPU round by hand: a scheduler
 * runs whichever is ready, first come first served, and a coroutine can
 * wait for time to pass, for a file descriptor to be ready, or for
 * another coroutine to finish, without holding anybody else up.
 *
 * Misuse prints one line on stderr naming the call and the problem;
 * what happens then is said below, call by call.
 */
#ifndef CORO_H
#define CORO_H

#include <stddef.h>

#define CORO_STACK_SIZE (64 * 1024)  /* default bytes of stack for each */
#define CORO_STACK_MAX  ((size_t)1 << 30)   /* the most one may have */

typedef void (*coro_fn)(void *arg);

/* Make a coroutine that will run fn(arg), at the back of the queue.
 * Returns its id (> 0, never reused in this process), or -1 with a
 * message when fn is NULL or there is no memory for it.  Callable from
 * main or from a coroutine. */
int coro_spawn(coro_fn fn, void *arg);

/* Go to the back of the queue and let the others run. */
void coro_yield(void);

/* Finish the calling coroutine now (returning from fn does the same). */
void coro_exit(void);

/* Wait until coroutine id has finished; return at once if it already
 * has.  An id that was never spawned: a message, and it returns at once.
 * Joining oneself: a message, then abort(). */
void coro_join(int id);

/* The caller's id; 0 outside coroutines. */
int coro_self(void);

/* Sleep for at least ms milliseconds while the others run, whatever
 * signals arrive meanwhile; a time past what the clock can count (such
 * as LONG_MAX) is for ever.  A negative ms: a message, and it returns
 * at once. */
void coro_sleep_ms(long ms);

/* Wait until poll(2) reports any of events (POLLIN, POLLOUT) on fd, and
 * return the events it reported (which may include POLLERR, POLLHUP,
 * POLLNVAL).  Any number of coroutines may wait on one fd.  fd < 0 or
 * no events: a message, and -1. */
int coro_wait_fd(int fd, short events);

/* Run every coroutine until all have finished: 0.  If every one left is
 * blocked and nothing can wake them (none sleeps or waits on a file
 * descriptor), report them on stderr, discard them, and return -1.
 * Callable again afterwards for newly spawned coroutines.  Called from
 * a coroutine: a message, and -1.  In copy mode, when the shared stack
 * does not fit in what is left of main's: a message, and -1.  If poll(2)
 * cannot watch the descriptors waited on (no memory for the question,
 * or more different descriptors than the limit on open files,
 * RLIMIT_NOFILE): a message saying which, then abort().  While it runs,
 * a SIGSEGV is the kit's to report; the program's own SIGSEGV handler
 * and alternate signal stack come back when it returns. */
int coro_run(void);

/* The stack size for coroutines spawned from now on: at least 16 KiB,
 * rounded up to whole pages.  More than CORO_STACK_MAX: a message, and
 * the size stays as it was.  In copy mode all run on one shared stack,
 * as big as the biggest that the coroutines alive when coro_run()
 * starts asked for. */
void coro_stack_size(size_t bytes);

/* coro_yield, coro_exit, coro_join, coro_sleep_ms and coro_wait_fd are
 * for coroutines: called outside one, a message, then abort(). */

#endif
