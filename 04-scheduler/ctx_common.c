/*
 * ctx_common.c - what every back end of the seam shares: the part of a
 * context that is not about registers, and what each jump tells the
 * tools (tools.h) and the tracer.
 *
 * AddressSanitizer hears of every jump to another stack, and has to be
 * told where that stack is.  A context on the caller's stack (main's,
 * or whoever called a generator) has none of its own: the first time we
 * leave it, AddressSanitizer tells us where we were, and we keep that.
 * valgrind is told only of the stack we jump to, and forgets the one we
 * left as soon as we have left it: it looks stacks up one by one, and
 * with a hundred thousand of them registered every switch would crawl.
 */
#include <stdlib.h>

#include "ctx.h"
#include "tools.h"

static struct {
    struct ctx_base *leaving;   /* the context the jump under way leaves */
    struct ctx_base *running;   /* the one it goes to, and then runs */
    bool             told_asan; /* did the jump tell AddressSanitizer? */
    int              valgrind;  /* 1: we run under it; -1: not; 0: ask */
} the;

void *ctx_base_new(size_t size, size_t stack_size, void (*entry)(void),
                   struct ctx *link)
{
    struct ctx_base *b = calloc(1, size);
    if (b == NULL || entry == NULL)
        return b;               /* a context on the caller's stack */
    if (stack_size > 0 && stack_alloc(&b->stack, stack_size) != 0) {
        free(b);
        return NULL;
    }
    b->entry = entry;
    b->link = link;
    b->fresh = true;
    return b;
}

void ctx_base_free(struct ctx_base *b)
{
    if (b == NULL)
        return;
    stack_free(&b->stack);
    free(b);
}

/* Where a context's stack is, as far as anybody knows: NULL if not. */
static const void *stack_of(const struct ctx_base *b, size_t *size)
{
    if (b->stack.lo != NULL) {
        *size = (size_t)(b->stack.hi - b->stack.lo);
        return b->stack.lo;
    }
    *size = b->host_size;
    return b->host_lo;
}

/* Is a tool watching?  AddressSanitizer is built in, or not; valgrind
 * is asked once.  Without them a switch tells nobody anything. */
static bool tools_watch(void)
{
#ifdef HAVE_ASAN
    return true;
#else
    if (the.valgrind == 0)
        the.valgrind = UNDER_VALGRIND ? 1 : -1;
    return the.valgrind > 0;
#endif
}

static void tell_tools_we_go(struct ctx_base *from, struct ctx_base *to,
                             void **fake_stack)
{
    size_t size;
    const void *lo = stack_of(to, &size);
    if (to->stack.lo != NULL)
        stack_register(&to->stack);
    /* copy mode: no context has a stack of its own, nor learns one */
    the.told_asan = lo != NULL || from->stack.lo != NULL;
    if (the.told_asan)
        FIBER_START(fake_stack, lo, size);
}

static void tell_tools_we_came(void *fake_stack)
{
    const void *lo = NULL;
    size_t size = 0;
    if (the.told_asan)
        FIBER_FINISH(fake_stack, &lo, &size);
    struct ctx_base *left = the.leaving;
    if (left != NULL && left->stack.lo == NULL && lo != NULL) {
        left->host_lo = lo;     /* where it was: we go back there */
        left->host_size = size;
    }
    if (left != NULL)
        stack_deregister(&left->stack);
}

void ctx_depart(struct ctx_base *from, struct ctx_base *to,
                void **fake_stack)
{
    to->fresh = false;
    the.leaving = from;
    the.running = to;
    if (tools_watch())
        tell_tools_we_go(from, to, fake_stack);
}

struct ctx_base *ctx_arrive(void *fake_stack)
{
    if (tools_watch())
        tell_tools_we_came(fake_stack);
    the.leaving = NULL;         /* it may be freed from now on */
    return the.running;
}

void ctx_base_view(const struct ctx_base *b, struct ctx_view *v)
{
    v->fresh = b->fresh;
    v->fp = b->fp;
    v->stack = b->stack;
    v->held_lo = b->stack.lo;
    v->held_hi = b->stack.hi;
    v->moved = 0;
}
