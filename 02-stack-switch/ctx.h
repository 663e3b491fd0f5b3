/*
 * ctx.h - the seam between the coroutines (coro.c) and the way one
 * context is switched for another.
 *
 * A context is somewhere execution can stop and later carry on: the
 * run loop in coro_run(), or a coroutine.  Stage 2 gives every
 * coroutine a stack of its own, in one of three ways (MODE= at build
 * time picks the file):
 *
 *   ctx_copy.c      copy:  all run on one shared stack; when one stops,
 *                          its frames are copied to the heap, and back
 *                          when it carries on
 *   ctx_asm.c       asm:   a mapped stack each, and a switch written in
 *                          assembly (switch_x86_64.S, switch_aarch64.S)
 *   ctx_sigstack.c  sigstack: a mapped stack each, first entered by a
 *                          signal handler running on it, then switched
 *                          with setjmp/longjmp
 */
#ifndef CTX_H
#define CTX_H

#include <setjmp.h>
#include <stdbool.h>
#include <stddef.h>

#include "stack.h"

struct ctx {
    void        *fp;        /* frame pointer where it stopped: the
                               tracer's start */
    bool         fresh;     /* not started: switching to it starts it */
    struct stack stack;     /* asm, sigstack: its own stack */
    void        *sp;        /* asm: stack pointer where it stopped, its
                               registers pushed just above */
    jmp_buf      regs;      /* copy, sigstack: registers from setjmp */
    char        *copy;      /* copy: its frames, saved on the heap... */
    size_t       copy_size; /* ...this many bytes of them... */
    char        *copy_from; /* ...which were at copy_from on the
                               shared stack */
    void        *fake_stack;/* AddressSanitizer's, while it is stopped */
};

/* Which mode this is: "copy", "asm" or "sigstack"; and for the tracer,
 * the function at the top of every coroutine's stack, and what lies
 * above it there, if anything. */
extern const char ctx_mode[];
extern const char ctx_first_frame[];
extern const char ctx_top_note[];

/* Make c a fresh context that will run entry (which must not return)
 * on a stack of stack_size bytes.  0, or -1 when there is no memory. */
int ctx_init(struct ctx *c, size_t stack_size, void (*entry)(void));

/* Free c's stack (or its copy).  Not while anybody runs on it. */
void ctx_free(struct ctx *c);

/* The run loop begins and ends: copy mode makes its shared stack below
 * the caller's frame. */
void ctx_begin(size_t stack_size);
void ctx_end(void);

/* Save where we are into from, and carry on from to. */
void ctx_switch(struct ctx *from, struct ctx *to);

/* The same, for the last time: from has finished and never goes on. */
void ctx_leave(struct ctx *from, struct ctx *to);

/* Is addr in the guard page below c's stack? */
bool ctx_guard_hit(const struct ctx *c, const void *addr);

/* For the tracer: the bytes that hold c's frames now (lo .. hi), and
 * how far they have moved from where their frame pointers say they are
 * (only a copy on the heap has moved).  false: it has none. */
bool ctx_frames(const struct ctx *c, char **lo, char **hi, long *moved);

/* Copy mode's shared stack, guard page included; false in other modes. */
bool ctx_shared(char **guard, char **lo, char **hi);

/* For asm and sigstack modes (ctx_stacks.c): say which context a switch
 * leaves, just before; and first thing after landing, tell the tools. */
void ctx_leaving(struct ctx *from);
void ctx_landed(void *fake_stack);

#endif
