/*
 * ctx.h - the seam between the coroutines and the way one context is
 * switched for another.  The same file in stages 2 to 5.
 *
 * A context is somewhere execution can stop and later carry on: main,
 * the run loop, a coroutine.  Behind this seam sit the back ends, each
 * one file with the same handful of functions, and SWITCH= picks one
 * when the kit is built:
 *
 *   ctx_copy.c      copy:     all run on one shared stack; a stopped
 *                             one keeps a copy of its frames on the heap
 *   ctx_asm.c       asm:      a stack each, and a switch written in
 *                             assembly (switch_x86_64.S, switch_aarch64.S)
 *   ctx_sigstack.c  sigstack: a stack each, first entered by a signal
 *                             handler, then switched by setjmp/longjmp
 *   ctx_ucontext.c  ucontext: a stack each, switched by the C library
 *                             (stage 3 on)
 *
 * What they share (ctx_common.c) is at the end of this file.
 */
#ifndef CTX_H
#define CTX_H

#include <stdbool.h>
#include <stddef.h>

#include "stack.h"

/* ---- the seam: what the library calls ------------------------------ */

struct ctx;     /* each back end's own: what it keeps while one is stopped */

/* A fresh context that will run entry() on a stack of stack_size bytes
 * and, if entry returns, carry on from link for good.  With entry NULL:
 * a context for the stack the caller runs on (main's), to switch away
 * from and back to.  NULL when there is no memory for it. */
struct ctx *ctx_new(size_t stack_size, void (*entry)(void), struct ctx *link);

/* Save where we are into from, and carry on from to. */
void ctx_switch(struct ctx *from, struct ctx *to);

/* The same, for the last time: from has finished, and may be freed as
 * soon as to runs. */
void ctx_leave(struct ctx *from, struct ctx *to) __attribute__((noreturn));

/* Free c and its stack.  Not while anybody runs on it.  NULL: nothing. */
void ctx_free(struct ctx *c);

/* The run loop begins, in its own frame, and ends.  Copy mode makes its
 * shared stack of stack_size bytes here, below the caller's frame: 0,
 * or -1 with a line on stderr when that does not fit.  The other back
 * ends have nothing to do. */
int ctx_begin(size_t stack_size);
void ctx_end(void);

/* ---- what the tracer and the overflow reports may see -------------- */

struct ctx_mode {
    const char *name;           /* "copy", "asm", "sigstack", "ucontext" */
    const char *first_frame;    /* the function at the top of a stack */
    const char *top_note;       /* what lies above it there, or NULL */
    bool        own_stacks;     /* does every context get a stack? */
};
extern const struct ctx_mode ctx_mode;

struct ctx_view {
    bool         fresh;         /* made, and not switched to yet */
    char        *fp;            /* its frame pointer where it stopped, in
                                   ctx_switch(): where a walk starts */
    struct stack stack;         /* the stack it runs on (lo NULL: main's) */
    char        *held_lo;       /* where its frames are now... */
    char        *held_hi;
    long         moved;         /* ...held_lo minus where they run (only
                                   copy mode's copies on the heap move) */
};
void ctx_view(const struct ctx *c, struct ctx_view *v);

/* ---- for the back ends: what they share (ctx_common.c) ------------- */

/* What every back end keeps first in its struct ctx. */
struct ctx_base {
    struct stack stack;         /* its own stack; none (lo NULL) for a
                                   context on the caller's stack */
    char        *fp;            /* frame pointer where it stopped */
    bool         fresh;         /* not switched to yet */
    void       (*entry)(void);  /* what it runs... */
    struct ctx  *link;          /* ...and where it goes when that returns */
    void        *fake_stack;    /* AddressSanitizer's, while it is away */
    const void  *host_lo;       /* the stack a context without one of its */
    size_t       host_size;     /* own was on when it left (ASan learns) */
};

/* A zeroed struct of size bytes that begins with a ctx_base, as
 * ctx_new() says; stack_size 0: a fresh context without a stack of its
 * own (copy mode's, which all run on the shared one). */
void *ctx_base_new(size_t size, size_t stack_size, void (*entry)(void),
                   struct ctx *link);
void ctx_base_free(struct ctx_base *b);

/* Around every jump from one context to another: just before, and
 * first thing after landing.  They keep the tools (AddressSanitizer,
 * valgrind; tools.h) in step with the stack we are on, and track the
 * context running.  fake_stack is NULL for a context leaving for good.
 * ctx_arrive() returns the context we landed in. */
void ctx_depart(struct ctx_base *from, struct ctx_base *to,
                void **fake_stack);
struct ctx_base *ctx_arrive(void *fake_stack);

/* The view of a context that runs on its own stack, if it has one. */
void ctx_base_view(const struct ctx_base *b, struct ctx_view *v);

#endif
