/*
 * ctx_copy.c - SWITCH=copy: every coroutine runs on one shared stack,
 * and while it is stopped it keeps only a copy of its frames on the
 * heap.  No assembly: setjmp, longjmp and a copy loop.
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
#define _GNU_SOURCE
#include <alloca.h>
#include <assert.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctx.h"
#include "tools.h"

#define ROOM_SIZE (64 * 1024)   /* for coro_run()'s calls: printf, tracer */

struct ctx {
    struct ctx_base base;       /* first: see ctx.h */
    jmp_buf         regs;       /* its registers, from setjmp */
    char           *copy;       /* its frames, saved on the heap... */
    size_t          copy_size;  /* ...this many bytes of them... */
    char           *copy_from;  /* ...which were at copy_from on the
                                   shared stack */
};

const struct ctx_mode ctx_mode = {"copy", "ctx_start", NULL, false};

static struct {
    jmp_buf      start;         /* at the top of the shared stack */
    char        *room;          /* kept free above it, for the run loop */
    struct stack shared;        /* the shared stack and its guard page */
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

/* Where a fresh coroutine starts, at the top of the shared stack. */
__attribute__((noinline))      /* its frame begins every coroutine's */
static void ctx_start(void)
{
    struct ctx *self = (struct ctx *)ctx_arrive(NULL);
    self->base.entry();
    ctx_leave(self, self->base.link);
}

/* Reserve the shared stack below the caller, as stage 1 carved its
 * slices: setjmp first, then alloca, so that a longjmp to start puts
 * the stack pointer back at the top of the alloca'd bytes. */
__attribute__((noinline))
static void carve(size_t size)
{
    if (setjmp(the.start) != 0) {
        landed();
        ctx_start();            /* a fresh coroutine runs from here */
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
        fflush(stdout);
        fprintf(stderr, "coro_run: cannot protect a guard page below the "
                        "shared stack\n");
        abort();
    }
}

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
int ctx_begin(size_t stack_size)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size_t left = stack_left();
    size_t need = ROOM_SIZE + 4 * page;
    if (stack_size > STACK_MAX || left < need || stack_size > left - need) {
        fflush(stdout);
        fprintf(stderr, "coro_run: copy mode's shared stack of %zu KiB "
                "does not fit in what is left of main's stack (%zu KiB; "
                "`ulimit -s` sets it)\n", stack_size / 1024, left / 1024);
        return -1;
    }
    the.room = alloca(ROOM_SIZE);   /* stored, or -O2 drops it */
    carve(stack_size);
    return 0;
}

void ctx_end(void)
{
    stack_unguard(&the.shared);
}

struct ctx *ctx_new(size_t stack_size, void (*entry)(void), struct ctx *link)
{
    (void)stack_size;           /* the shared stack's size counts */
    return ctx_base_new(sizeof(struct ctx), 0, entry, link);
}

void ctx_free(struct ctx *c)
{
    if (c != NULL)
        free(c->copy);
    ctx_base_free((struct ctx_base *)c);    /* the base comes first */
}

/* Copy stack bytes, a word at a time: a saved stack pointer and the top
 * of the shared stack are both on 16-byte boundaries, so a copy is whole
 * words.  Not memcpy: AddressSanitizer would object to reading the
 * poisoned red zones between the frames' variables, and the volatile
 * keeps the compiler from turning this back into memcpy. */
NO_ASAN static void copy_bytes(char *to, const char *from, size_t n)
{
    volatile uintptr_t *t = (volatile uintptr_t *)(void *)to;
    const volatile uintptr_t *f = (const volatile void *)from;
    assert(n % sizeof *t == 0);
    for (size_t i = 0; i < n / sizeof *t; i++)
        t[i] = f[i];
}

/* An address a little below the caller's stack pointer. */
__attribute__((noinline)) static char *below_caller(void)
{
    return __builtin_frame_address(0);
}

/* A coroutine stops: copy its frames, from just below ctx_switch's
 * frame up to the top of the shared stack, to the heap. */
/* == exercise copy (save): the answer begins == */
static void save(struct ctx *c, char *sp)
{
    size_t n = (size_t)(the.shared.hi - sp);
    char *copy = realloc(c->copy, n);
    if (copy == NULL) {
        fflush(stdout);
        fprintf(stderr, "SWITCH=copy: no memory to keep the %zu bytes of "
                        "a stopped coroutine's frames\n", n);
        abort();
    }
    copy_bytes(copy, sp, n);
    c->copy = copy;
    c->copy_size = n;
    c->copy_from = sp;
}
/* == exercise copy (save): the answer ends == */

/* The run loop lets a coroutine go on: its frames go back in place. */
/* == exercise copy (restore): the answer begins == */
static void restore(struct ctx *c)
{
    STACK_BYTES_FREE(c->copy_from, the.shared.hi);
    STACK_UNPOISON(c->copy_from, c->copy_size);
    copy_bytes(c->copy_from, c->copy, c->copy_size);
    free(c->copy);
    c->copy = NULL;
}
/* == exercise copy (restore): the answer ends == */

static bool on_shared_stack(const void *p)
{
    return (const char *)p >= the.shared.lo && (const char *)p < the.shared.hi;
}

/* Carry on as to: from the top of the shared stack if it is fresh,
 * else with its frames put back where they were. */
__attribute__((noreturn))
static void go_to(struct ctx *to, bool fresh)
{
    if (fresh) {
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
    from->base.fp = __builtin_frame_address(0);
    if (setjmp(from->regs) != 0) {
        landed();
        ctx_arrive(NULL);
        return;                 /* somebody switched back to us */
    }
    if (on_shared_stack(from->base.fp))
        save(from, below_caller());
    bool fresh = to->base.fresh;
    ctx_depart(&from->base, &to->base, NULL);
    go_to(to, fresh);
}

void ctx_leave(struct ctx *from, struct ctx *to)
{
    bool fresh = to->base.fresh;
    ctx_depart(&from->base, &to->base, NULL);
    go_to(to, fresh);
}

void ctx_view(const struct ctx *c, struct ctx_view *v)
{
    v->fresh = c->base.fresh;
    v->fp = c->base.fp;
    v->stack = the.shared;
    v->held_lo = c->copy ? c->copy : the.shared.lo;
    v->held_hi = c->copy ? c->copy + c->copy_size : the.shared.hi;
    v->moved = c->copy ? (long)(c->copy - c->copy_from) : 0;
}
