/*
 * ctx_copy.c - stage 2, copy mode: every coroutine runs on one shared
 * stack, and while it is stopped it keeps only a copy of its frames on
 * the heap.  No assembly: setjmp, longjmp and a copy loop.
 *
 *     | main()          |
 *     | coro_run()      |  the run loop
 *     |   room          |  for the run loop's own calls
 *     | carve()         |  setjmp here: a fresh coroutine starts here
 *     |=================|  hi: the top of the shared stack (carve's
 *                             frame pointer)
 *     | coro_entry()    |  the running coroutine's frames
 *     | coro1() ...     |
 *     |   free          |
 *     |=================|  lo
 *     | guard page      |  no access
 *     v                 v
 *
 *     on the heap:  coro 2's frames, hi - sp bytes, saved when it stopped
 *
 * When a coroutine stops, ctx_switch copies its frames, from its stack
 * pointer up to hi, into a heap buffer of just that size.  To let it go
 * on, the run loop copies them back to the very same addresses (the
 * frames point at each other, so nowhere else would do) and longjmps.
 */
#include <alloca.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctx.h"
#include "tools.h"

#define ROOM_SIZE (64 * 1024)   /* for coro_run()'s calls: printf, tracer */

const char ctx_mode[] = "copy";
const char ctx_first_frame[] = "coro_entry";
const char ctx_top_note[] = "";

static struct {
    jmp_buf      start;         /* at the top of the shared stack */
    char        *room;          /* kept free above it, for the run loop */
    struct stack shared;        /* the shared stack and its guard page */
    void       (*entry)(void);  /* what a fresh context runs */
} the;

/* We have just longjmp'd somewhere.  If it was down onto the shared
 * stack, the bytes above this frame are the frames we left or put
 * there (see tools.h). */
__attribute__((noinline))
static void landed(void)
{
    char *here = __builtin_frame_address(0);
    if (here >= the.shared.lo && here < the.shared.hi)
        STACK_BYTES_KEPT(here, the.shared.hi);
}

/* Reserve the shared stack below the caller, as stage 1 carved its
 * slices: setjmp first, then alloca, so that a longjmp to start puts
 * the stack pointer back at the top of the alloca'd bytes. */
__attribute__((noinline))
static void carve(size_t size)
{
    if (setjmp(the.start) != 0) {
        landed();
        the.entry();            /* a fresh coroutine runs from here */
        abort();                /* and leaves by ctx_leave, not return */
    }
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    char *bytes = alloca(size + 2 * page);   /* and room for the guard */
    char *top = __builtin_frame_address(0);  /* where frames will begin */
    memset(bytes, 0, size + 2 * page);       /* the kernel maps the C
                                                stack as it is touched */
    char *lo = top - size;
    if (lo < bytes + 2 * page)               /* a big frame (sanitizers) */
        lo = bytes + 2 * page;
    if (stack_guard(&the.shared, lo, top) != 0) {
        fprintf(stderr, "coro_run: cannot protect a guard page below the "
                        "shared stack\n");
        abort();
    }
}

__attribute__((noinline))
void ctx_begin(size_t stack_size)
{
    the.room = alloca(ROOM_SIZE);   /* stored, or -O2 drops it */
    carve(stack_size);
}

void ctx_end(void)
{
    stack_unguard(&the.shared);
}

int ctx_init(struct ctx *c, size_t stack_size, void (*entry)(void))
{
    (void)stack_size;           /* the shared stack's size counts */
    memset(c, 0, sizeof *c);
    the.entry = entry;
    c->fresh = true;
    return 0;
}

void ctx_free(struct ctx *c)
{
    free(c->copy);
    c->copy = NULL;
}

/* Copy stack bytes.  Not memcpy: AddressSanitizer would object to
 * reading the poisoned red zones between the frames' variables, and
 * the volatile keeps the compiler from turning this back into memcpy. */
NO_ASAN static void copy_bytes(char *to, const char *from, size_t n)
{
    volatile char *t = to;
    const volatile char *f = from;
    for (size_t i = 0; i < n; i++)
        t[i] = f[i];
}

/* An address a little below the caller's stack pointer. */
__attribute__((noinline)) static char *below_caller(void)
{
    return __builtin_frame_address(0);
}

/* A coroutine stops: copy its frames, from just below ctx_switch's
 * frame up to the top of the shared stack, to the heap. */
static void save(struct ctx *c, char *sp)
{
    size_t n = (size_t)(the.shared.hi - sp);
    char *copy = realloc(c->copy, n);
    if (copy == NULL) {
        fprintf(stderr, "ctx_switch: no memory to save %zu bytes of "
                        "stack\n", n);
        abort();
    }
    copy_bytes(copy, sp, n);
    c->copy = copy;
    c->copy_size = n;
    c->copy_from = sp;
}

/* The run loop lets a coroutine go on: its frames go back in place. */
static void restore(struct ctx *c)
{
    STACK_BYTES_FREE(c->copy_from, the.shared.hi);
    STACK_UNPOISON(c->copy_from, c->copy_size);
    copy_bytes(c->copy_from, c->copy, c->copy_size);
    free(c->copy);
    c->copy = NULL;
}

static bool on_shared_stack(const void *p)
{
    return (const char *)p >= the.shared.lo && (const char *)p < the.shared.hi;
}

static void go_to(struct ctx *to)
{
    if (to->fresh) {
        to->fresh = false;
        STACK_UNPOISON(the.shared.lo, (size_t)(the.shared.hi - the.shared.lo));
        longjmp(the.start, 1);
    }
    if (to->copy != NULL)
        restore(to);
    longjmp(to->regs, 1);
}

__attribute__((noinline))
void ctx_switch(struct ctx *from, struct ctx *to)
{
    from->fp = __builtin_frame_address(0);
    if (setjmp(from->regs) != 0) {
        landed();
        return;                 /* somebody switched back to us */
    }
    if (on_shared_stack(from->fp))
        save(from, below_caller());
    go_to(to);
}

void ctx_leave(struct ctx *from, struct ctx *to)
{
    (void)from;
    go_to(to);
}

bool ctx_guard_hit(const struct ctx *c, const void *addr)
{
    (void)c;
    return stack_guard_hit(&the.shared, addr);
}

bool ctx_frames(const struct ctx *c, char **lo, char **hi, long *moved)
{
    if (c->copy == NULL)
        return false;           /* running, or no frames yet */
    *lo = c->copy;
    *hi = c->copy + c->copy_size;
    *moved = (long)(c->copy - c->copy_from);
    return true;
}

bool ctx_shared(char **guard, char **lo, char **hi)
{
    *guard = the.shared.guard;
    *lo = the.shared.lo;
    *hi = the.shared.hi;
    return the.shared.lo != NULL;
}
