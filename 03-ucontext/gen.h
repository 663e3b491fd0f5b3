/*
 * gen.h - generators: coroutines that hand values to whoever asks.
 *
 * A generator runs a function on a stack of its own.  Its consumer
 * asks for the next value with gen_next(); the generator runs until it
 * calls gen_yield(value), which stops it right there, however deep in
 * its own calls, and hands value back.  The next gen_next() carries on
 * from that spot.  When the function returns, the generator is done.
 *
 *     gen *g = gen_new(count, &n, "count");
 *     long v;
 *     while (gen_next(g, &v))       // runs count() until it yields
 *         printf("%ld\n", v);
 *     gen_free(g);
 *
 * Asymmetric, like Lua's coroutine.resume and coroutine.yield: a
 * generator always goes back to whoever called gen_next() last: main,
 * a coroutine, or another generator.
 */
#ifndef GEN_H
#define GEN_H

#include <stdbool.h>
#include <stddef.h>

#define GEN_STACK_SIZE (64 * 1024)  /* default bytes of stack for each */

typedef struct gen gen;
typedef void (*gen_fn)(void *arg);

/* A generator that will run fn(arg) at the first gen_next().  name
 * (up to 15 characters kept; NULL: "gen N") labels it in the drawings
 * and messages.  NULL, with a message on stderr, when fn is NULL, when
 * there is no memory, or with SWITCH=copy, where there is only the one
 * shared stack. */
gen *gen_new(gen_fn fn, void *arg, const char *name);

/* Run g until it yields a value (true, and the value in *value unless
 * value is NULL) or its function returns (false).  Once g has finished,
 * false at once, every time.  Callable from main, from a coroutine or
 * from another generator.  A NULL g, or one that is running already
 * (itself, or one waiting for the caller), is refused: a message, then
 * false, and nothing changes. */
bool gen_next(gen *g, long *value);

/* Hand value to the consumer and stop here until the next gen_next().
 * Outside a generator it is a mistake: a message, then abort(). */
void gen_yield(long value);

/* Free g, finished or not.  A suspended generator is simply abandoned:
 * its function never returns, its frames are never unwound, and
 * whatever they hold is not freed.  NULL: nothing.  A generator that is
 * running (or waiting for another) cannot be freed: a message, then
 * abort().  While any generator is alive, a SIGSEGV is the kit's to
 * report; the program's own SIGSEGV handler and alternate signal stack
 * come back when the last one is freed. */
void gen_free(gen *g);

/* The stack size for generators made from now on: at least 16 KiB,
 * rounded up to whole pages.  More than CORO_STACK_MAX (coro.h): a
 * message, and the size stays as it was.  A generator that runs past
 * its stack is stopped with a message that names it; give it more with
 * this. */
void gen_stack_size(size_t bytes);

/* A generator's function must not call coro_yield() or coro_exit():
 * those would stop its consumer's coroutine from the generator's stack.
 * They refuse, with a message, then abort().  It may run generators of
 * its own, and free them. */

#endif
