/*
 * ctx.h - the seam between the coroutines (coro.c) and the way one
 * context is switched for another (ctx_setjmp.c).
 *
 * A context is somewhere execution can stop and later carry on: the
 * run loop in coro_run(), or a coroutine.  Stage 1 saves one with
 * setjmp and carries on with longjmp; every coroutine's frames live
 * in a slice of the one C stack that ctx_carve() reserves.
 */
#ifndef CTX_H
#define CTX_H

#include <setjmp.h>
#include <stdbool.h>

struct ctx {
    jmp_buf regs;   /* registers saved by setjmp where it stopped */
    void   *fp;     /* its frame pointer there: the tracer's start */
    int     slice;  /* the slice it runs on; -1 for the run loop */
    bool    fresh;  /* not started: switching to it starts entry */
};

/* Reserve CORO_MAX slices of stack below the caller's frame, leaving
 * room above them for the caller's own calls.  entry is what a fresh
 * context runs; it must never return.  0; or -1, with a line on stderr,
 * when the slices do not fit in what is left of the C stack. */
int ctx_carve(void (*entry)(void));

/* Make c a fresh context that will run entry on the given slice. */
void ctx_init(struct ctx *c, int slice);

/* Save where we are into from, and carry on from to. */
void ctx_switch(struct ctx *from, struct ctx *to);

/* Has c's coroutine gone past the bottom of its slice: written over
 * the paint there, or stopped below it?  (A frame bigger than the paint
 * that skips over it, writes into the next slice and returns before the
 * coroutine stops is not seen: only a guard page would catch it, and
 * stage 2 brings those.) */
bool ctx_overran(const struct ctx *c);

/* Where things are, for the tracer: the room coro_run() keeps for its
 * own calls, and slice i: from the top of its carve_slice() frame down
 * to the bottom of its CORO_SLICE_SIZE bytes.  false before carving. */
bool ctx_room(char **lo, char **hi);
bool ctx_slice(int i, char **lo, char **hi);

#endif
