/*
 * ctx.h - the seam between the coroutines (coro.c) and the way one
 * context is switched for another.
 *
 * A context is somewhere execution can stop and later carry on: the
 * run loop in coro_run(), or a coroutine.  Every coroutine has a mapped
 * stack of its own (stack.c), and SWITCH= at build time picks who
 * switches between them:
 *
 *   ctx_ucontext.c  ucontext: the C library, as in stage 3
 *   ctx_asm.c       asm: stage 2's hand-written switch (switch_*.S)
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
    ucontext_t   uc;        /* ucontext: its registers, while stopped */
    void        *sp;        /* asm: its stack pointer, while stopped,
                               its registers pushed just above */
    void       (*entry)(void); /* what a fresh one runs... */
    struct ctx  *link;      /* ...and where it goes after that */
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

/* How many switches so far. */
unsigned long ctx_switches(void);

/* For the back ends (ctx_tools.c): what each switch tells the tools,
 * just before the jump, and first thing after landing. */
void ctx_depart(struct ctx *from, struct ctx *to, void **fake_stack);
void ctx_arrive(void *fake_stack);

#endif
