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
 *
 * A guard page catches a frame that touches it.  A frame bigger than a
 * page could step over it and land in whatever lies below, unless the
 * compiler touches every page of a big frame as it makes it: the kit
 * builds with -fstack-clash-protection where the compiler has it.
 */
#ifndef STACK_H
#define STACK_H

#include <stdbool.h>
#include <stddef.h>

struct stack {
    char     *lo, *hi;   /* the usable bytes: lo .. hi */
    char     *guard;     /* the page below lo that nobody may touch */
    unsigned  tool_id;   /* valgrind's name for it, while it knows it */
};

/* The biggest stack anybody may ask for. */
#define STACK_MAX ((size_t)1 << 30)

/* Map a stack of size bytes (rounded up to pages) and its guard page.
 * 0, or -1 when size is above STACK_MAX or the kernel says no. */
int stack_alloc(struct stack *s, size_t size);

/* Give it back: nobody runs on it any more.  An empty one: nothing. */
void stack_free(struct stack *s);

/* Tell valgrind that s is a stack, so that it takes a jump to it for
 * what it is (see tools.h), or that it need not know any more. */
void stack_register(struct stack *s);
void stack_deregister(struct stack *s);

/* Is addr inside the guard page of s? */
bool stack_guard_hit(const struct stack *s, const void *addr);

/* Make lo .. hi a stack in memory we already own and have touched (a
 * piece of the C stack, in copy mode), with a guard page at the first
 * page boundary below lo (lo itself need not be on one).  0, or -1 if
 * the page cannot be protected.  stack_unguard() gives it back. */
int stack_guard(struct stack *s, char *lo, char *hi);
void stack_unguard(struct stack *s);

/* From now until stack_unwatch(report), a SIGSEGV calls
 * report(address) on a stack of its own (the faulting stack may be
 * full), then ends the program as SIGSEGV would; report() decides
 * whether to say anything.  Watches may overlap, in any order, and each
 * one's report() is called, the newest first; when the last one ends,
 * the program's own SIGSEGV handler and alternate signal stack are put
 * back. */
void stack_watch(void (*report)(const void *addr));
void stack_unwatch(void (*report)(const void *addr));

#endif
