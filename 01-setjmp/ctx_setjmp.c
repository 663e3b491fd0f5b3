/*
 * ctx_setjmp.c - stage 1's switch: setjmp/longjmp between slices of
 * the one C stack.
 *
 * Before it starts anything, coro_run() calls ctx_carve(), which grows
 * the stack by recursion and alloca, and remembers a jmp_buf at the
 * top of every slice:
 *
 *     high addresses                          the stack grows down
 *     | main()            |
 *     | coro_run()        |  the run loop
 *     | ctx_carve()       |
 *     |   room            |  kept free for coro_run()'s own calls
 *     | carve_slice()     |  setjmp here: coroutine 1 starts here...
 *     |   slice 0         |  ...and its frames fill this slice
 *     | carve_slice()     |
 *     |   slice 1         |
 *     v   ...             v  low addresses
 *
 * Then the recursion returns, and to the C standard the frames of
 * carve_slice() are gone: a longjmp into them is undefined behaviour.
 * In practice their bytes stay where they are, because nothing else
 * ever uses this part of the stack.  That is the whole trick.
 */
#define _GNU_SOURCE
#include <alloca.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coro.h"
#include "ctx.h"
#include "tools.h"

#define ROOM_SIZE  (64 * 1024) /* for coro_run()'s calls: printf, tracer */
#define GUARD_SIZE 256         /* bytes painted at the bottom of a slice */
#define PAINT      0xA5        /* what they are painted with */

static struct {
    jmp_buf start[CORO_MAX];   /* where a fresh coroutine on slice i starts */
    char   *lo[CORO_MAX];      /* slice i: lo[i] .. lo[i] + CORO_SLICE_SIZE */
    char   *room_lo, *room_hi; /* the room above slice 0 */
    void  (*entry)(void);      /* what a fresh coroutine runs */
    int     landing;           /* the slice a switch is jumping to */
} the;

/* We have just longjmp'd into slice the.landing: the bytes above this
 * frame are the frames we left there (see tools.h).  Our callers'
 * locals may not be read before this, so it uses only globals. */
__attribute__((noinline))
static void landed(void)
{
    int i = the.landing;
    if (i >= 0)
        STACK_BYTES_KEPT(__builtin_frame_address(0),
                         i > 0 ? the.lo[i - 1] : the.room_lo);
}

/*
 * Carve slice i and, recursively, the ones below it.  The setjmp comes
 * before the alloca on purpose: a longjmp back to start[i] restores the
 * stack pointer to above the alloca'd bytes, so the coroutine's frames
 * land in them.
 */
/* == exercise carve (carve_slice): the answer begins == */
__attribute__((noinline))
static void carve_slice(int i)
{
    if (setjmp(the.start[i]) != 0) {
        landed();
        the.entry();            /* a fresh coroutine runs from here */
        abort();                /* and leaves by ctx_switch, not return */
    }
    char *slice = alloca(CORO_SLICE_SIZE);
    the.lo[i] = slice;
    memset(slice, PAINT, GUARD_SIZE);
    if (i + 1 < CORO_MAX)
        carve_slice(i + 1);
}
/* == exercise carve (carve_slice): the answer ends == */

/* How many bytes of the C stack are left below here. */
static size_t stack_left(void)
{
    pthread_attr_t a;
    void *lo;
    size_t size;
    if (pthread_getattr_np(pthread_self(), &a) != 0)
        return SIZE_MAX;        /* we cannot tell: try */
    pthread_attr_getstack(&a, &lo, &size);
    pthread_attr_destroy(&a);
    return (size_t)((char *)__builtin_frame_address(0) - (char *)lo);
}

__attribute__((noinline))
int ctx_carve(void (*entry)(void))
{
    size_t need = ROOM_SIZE + (size_t)CORO_MAX * (CORO_SLICE_SIZE + 256);
    size_t left = stack_left();
    if (left < need) {
        fflush(stdout);
        fprintf(stderr, "coro_run: %d slices of %d KiB do not fit in what "
                "is left of the C stack (%zu KiB; `ulimit -s` sets it)\n",
                CORO_MAX, CORO_SLICE_SIZE / 1024, left / 1024);
        return -1;
    }
    the.room_hi = __builtin_frame_address(0);
    the.room_lo = alloca(ROOM_SIZE);
    the.entry = entry;
    carve_slice(0);
    return 0;
}

void ctx_init(struct ctx *c, int slice)
{
    c->slice = slice;
    c->fresh = true;
    c->fp = NULL;
}

/*
 * setjmp returns twice: 0 now, after saving our registers in from, and
 * 1 later, when somebody longjmps to from.  In between we longjmp to
 * wherever `to` stopped, or to the top of its slice if it is fresh.
 */
/* == exercise switch (ctx_switch): the answer begins == */
__attribute__((noinline))
void ctx_switch(struct ctx *from, struct ctx *to)
{
    from->fp = __builtin_frame_address(0);
    if (setjmp(from->regs) != 0) {
        landed();
        return;                 /* somebody switched back to us */
    }
    the.landing = to->slice;
    if (to->fresh) {
        to->fresh = false;
        longjmp(the.start[to->slice], 1);
    }
    longjmp(to->regs, 1);
}
/* == exercise switch (ctx_switch): the answer ends == */

bool ctx_overran(const struct ctx *c)
{
    const char *guard = the.lo[c->slice];
    if (c->fp != NULL && (char *)c->fp < guard)
        return true;            /* it stopped below its slice */
    STACK_BYTES_KEPT(guard, guard + GUARD_SIZE);
    for (int i = 0; i < GUARD_SIZE; i++)
        if ((unsigned char)guard[i] != PAINT)
            return true;
    return false;
}

bool ctx_room(char **lo, char **hi)
{
    *lo = the.room_lo;
    *hi = the.room_hi;
    return the.room_lo != NULL;
}

bool ctx_slice(int i, char **lo, char **hi)
{
    *lo = the.lo[i];
    *hi = i > 0 ? the.lo[i - 1] : the.room_lo;
    return the.lo[i] != NULL;
}
