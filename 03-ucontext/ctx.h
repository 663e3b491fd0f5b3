/*
 * ctx.h - the seam between the coroutines (coro.c) and the way one
 * context is switched for another.
 *
 * A context is somewhere execution can stop and later carry on: the
 * run loop in coro_run(), or a coroutine.  Stage 3 gives every
 * coroutine a mapped stack of its own, as stage 2's asm mode did, and
 * lets the C library switch between them (ctx_ucontext.c): a
 * ucontext_t holds the registers, getcontext/makecontext prepare a
 * fresh one, swapcontext switches.
 */
#ifndef CTX_H
#define CTX_H

#include <stdbool.h>
#include <stddef.h>
#include <ucontext.h>

#include "stack.h"

struct ctx {
    void        *fp;        /* frame pointer where it stopped: the
                               tracer's start */
    bool         fresh;     /* not started yet */
    struct stack stack;     /* its own stack (none for the run loop) */
    ucontext_t   uc;        /* its registers, while it is stopped */
    void        *fake_stack;/* AddressSanitizer's, while it is stopped */
};

/* Which switch this is; and for the tracer, the function at the top of
 * every coroutine's stack, and what lies above it there, if anything. */
extern const char ctx_mode[];
extern const char ctx_first_frame[];
extern const char ctx_top_note[];

/* Make c a fresh context that will run entry on a stack of stack_size
 * bytes, and carry on from link when entry returns.  0, or -1 when
 * there is no memory. */
int ctx_init(struct ctx *c, size_t stack_size, void (*entry)(void),
             struct ctx *link);

/* Free c's stack.  Not while anybody runs on it. */
void ctx_free(struct ctx *c);

/* Save where we are into from, and carry on from to. */
void ctx_switch(struct ctx *from, struct ctx *to);

/* The same, for the last time: from has finished and never goes on. */
void ctx_leave(struct ctx *from, struct ctx *to);

/* Is addr in the guard page below c's stack? */
bool ctx_guard_hit(const struct ctx *c, const void *addr);

/* For the tracer: the bytes that hold c's frames (lo .. hi).  false:
 * it has none. */
bool ctx_frames(const struct ctx *c, char **lo, char **hi);

/* For the switch (ctx_stacks.c): say which context a switch leaves
 * (NULL: one that has finished), just before; and first thing after
 * landing, tell the tools. */
void ctx_leaving(struct ctx *from);
void ctx_landed(void *fake_stack);

/* How many switches so far (the demo prints the cost of each). */
unsigned long ctx_switches(void);

#endif
