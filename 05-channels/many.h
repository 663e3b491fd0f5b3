/*
 * many.h - stacks for very many coroutines (many.c).  The scheduler
 * works the same without it; it is here so that a hundred thousand
 * coroutines, or two million, can be alive at once.  stack.c asks it
 * first; the scheduler asks it to look at a stack after every switch.
 */
#ifndef MANY_H
#define MANY_H

#include <stdbool.h>

#include "ctx.h"
#include "stack.h"

/* A stack of size bytes (already whole pages), from the pool of freed
 * ones or carved from a slab: 0; or -1 when a stack of its own mapping
 * (stack.c) is the better choice, or there is no memory. */
int many_alloc(struct stack *s, size_t size);

/* Keep s for a later spawn, or take it back into its slab: true; false
 * when it is stack.c's to unmap. */
bool many_free(struct stack *s);

/* Has c's stack a canary, no guard page?  So it stays while c lives:
 * the scheduler asks once, and looks at the canary only where there is
 * one. */
bool many_has_canary(const struct ctx *c);

/* Is c's stack whole?  A stack without a guard page has a canary at its
 * bottom instead: false if that is no longer as painted, or c stopped
 * below its stack.  Asked after every switch away from a context (the
 * scheduler for coroutines, gen.c for generators), which say whose. */
bool many_intact(const struct ctx *c);

#endif
