/*
 * coro.h - coroutines that each own a stack.
 *
 * A coroutine is a function that can stop in the middle (coro_yield)
 * and carry on later from the same spot.  Here every coroutine's frames
 * live on a stack of their own, which the coroutine keeps while others
 * run: mapped for it alone, or, in copy mode, copied to the heap while
 * it is stopped (see ctx.h).
 */
#ifndef CORO_H
#define CORO_H

#include <stddef.h>

#define CORO_MAX        16           /* coroutines alive at once */
#define CORO_STACK_SIZE (64 * 1024)  /* default bytes of stack for each */
#define CORO_STACK_MAX  ((size_t)1 << 30)   /* the most one may have */

typedef void (*coro_fn)(void *arg);

/* Make a coroutine that will run fn(arg) once coro_run() reaches it.
 * Returns its id (> 0, never reused), or -1 with a message on stderr
 * when fn is NULL, CORO_MAX are alive, or there is no memory for its
 * stack.  Callable from main or from a coroutine. */
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
 * Called from a coroutine: a message, then -1.  In copy mode, when the
 * shared stack does not fit in what is left of main's: a message, then
 * -1, and the coroutines stay for a later call.  While it runs, a
 * SIGSEGV is the kit's to report; the program's own SIGSEGV handler and
 * alternate signal stack come back when it returns. */
int coro_run(void);

/* The stack size for coroutines spawned from now on: at least 16 KiB,
 * rounded up to whole pages.  More than CORO_STACK_MAX: a message, and
 * the size stays as it was.  A coroutine that runs past its stack is
 * stopped with a message that names it; give it more with this.  In
 * copy mode all run on one shared stack, as big as the biggest that the
 * coroutines alive when coro_run() starts asked for. */
void coro_stack_size(size_t bytes);

#endif
