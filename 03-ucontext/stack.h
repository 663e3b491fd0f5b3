/*
 * stack.h - stacks of their own for coroutines: mapped from the kernel,
 * with a guard page below each, so that running off the bottom stops
 * the program with a message instead of overwriting whatever is there.
 *
 *     hi ->  +-----------------+  the stack's top: frames start here
 *            |  the stack      |  and grow down
 *     lo ->  +-----------------+
 *            |  guard page     |  no access: touching it is SIGSEGV
 *            +-----------------+
 */
#ifndef STACK_H
#define STACK_H

#include <stdbool.h>
#include <stddef.h>

struct stack {
    char     *lo, *hi;   /* the usable bytes: lo .. hi */
    char     *guard;     /* the page below lo that nobody may touch */
    unsigned  tool_id;   /* valgrind's name for it */
};

/* Map a stack of size bytes (rounded up to pages) and its guard page.
 * 0, or -1 when the kernel says no. */
int stack_alloc(struct stack *s, size_t size);

/* Tell valgrind that s is a stack, so that it takes a jump between
 * stacks for what it is (see tools.h).  stack_free() un-tells it. */
void stack_register(struct stack *s);

/* Give it back: no longer in use, and nobody running on it. */
void stack_free(struct stack *s);

/* Is addr inside the guard page of s? */
bool stack_guard_hit(const struct stack *s, const void *addr);

/* From now on, a SIGSEGV calls report(address) on a stack of its own
 * (the faulting stack may be full), then ends the program as SIGSEGV
 * would.  report() decides whether to say anything. */
void stack_watch(void (*report)(const void *addr));

#endif
