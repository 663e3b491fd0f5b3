/*
 * coro.h - coroutines that take turns on the one C stack.
 *
 * A coroutine is a function that can stop in the middle (coro_yield)
 * and carry on later from the same spot.  Here every coroutine runs
 * on its own slice of the program's one stack, and setjmp/longjmp
 * jump between the slices.
 */
#ifndef CORO_H
#define CORO_H

#define CORO_MAX        16           /* coroutines alive at once */
#define CORO_SLICE_SIZE (64 * 1024)  /* bytes of stack each one gets */

typedef void (*coro_fn)(void *arg);

/* Make a coroutine that will run fn(arg) once coro_run() reaches it.
 * Returns its id (> 0, never reused), or -1 with a message on stderr
 * when fn is NULL or all CORO_MAX slices are taken.  Callable from
 * main or from a coroutine. */
int coro_spawn(coro_fn fn, void *arg);

/* Stop here, let the others run, and carry on when our turn comes.
 * Outside a coroutine it is a mistake: a message, then abort(). */
void coro_yield(void);

/* Finish the calling coroutine now (returning from fn does the same).
 * Outside a coroutine: a message, then abort(). */
void coro_exit(void);

/* The caller's id; 0 outside coroutines. */
int coro_self(void);

/* Run every coroutine, turn by turn, until all have finished: 0.
 * Called from a coroutine, or when the slices do not fit in what is
 * left of the C stack: a message, then -1.  A coroutine that runs
 * past its slice is stopped with a message that names it; one that runs
 * off the end of the whole C stack too (SIGSEGV: the kit handles it
 * while coro_run() runs, then puts the program's own handler back). */
int coro_run(void);

#endif
