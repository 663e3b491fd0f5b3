/*
 * stack.h - stacks of their own for coroutines, as many as are asked.
 *
 * Each stack is mapped from the kernel with a guard page below it, so
 * that running off the bottom stops the program with a message instead
 * of overwriting whatever is there:
 *
 *     hi ->  +-----------------+  the stack's top: frames start here
 *            |  the stack      |  and grow down
 *     lo ->  +-----------------+
 *            |  guard page     |  no access: touching it is SIGSEGV
 *            +-----------------+
 *
 * But a guard page splits the mapping in two, and the kernel allows a
 * process only so many mappings (vm.max_map_count, 65530 by default).
 * Past a budget of a quarter of that (and of 4096 under valgrind, which
 * keeps a smaller table of its own), stacks come 64 to a mapping with
 * one guard page under them all, and a painted canary at the bottom of
 * each, which the scheduler looks at after every switch (stack_intact).
 *
 * Freed stacks are kept for reuse, up to a point; past it, a guarded
 * stack goes back to the kernel, and a canary stack gives its pages back
 * (madvise) but keeps its place.
 */
#ifndef STACK_H
#define STACK_H

#include <stdbool.h>
#include <stddef.h>

struct stack {
    char     *lo, *hi;   /* the usable bytes: lo .. hi */
    char     *guard;     /* the page below lo nobody may touch, or NULL
                            for a stack with a canary instead */
    unsigned  tool_id;   /* valgrind's name for it */
};

/* A stack of size bytes (rounded up to pages): 0, or -1 when the
 * kernel says no. */
int stack_alloc(struct stack *s, size_t size);

/* Tell valgrind that s is a stack, so that it takes a jump to it for
 * what it is (see tools.h), or that it need not know any more.  It
 * looks stacks up one by one, so the switch tells it only about the
 * stack it is jumping to, and forgets the one it left. */
void stack_register(struct stack *s);
void stack_deregister(struct stack *s);

/* Give it back: nobody is running on it any more. */
void stack_free(struct stack *s);

/* Is addr in the page just below s (its guard page, or its slab's)? */
bool stack_guard_hit(const struct stack *s, const void *addr);

/* Is the canary of s (if it has one) still as painted? */
bool stack_intact(const struct stack *s);

/* From now on, a SIGSEGV calls report(address) on a stack of its own
 * (the faulting stack may be full), then ends the program as SIGSEGV
 * would.  report() decides whether to say anything. */
void stack_watch(void (*report)(const void *addr));

#endif
