/*
 * ctx_tools.c - what the two back ends share: what every switch tells
 * AddressSanitizer and valgrind (see tools.h), and how the rest of the
 * library sees a context's stack.
 *
 *   ctx_depart(from, to, ...)  just before the jump
 *   ctx_arrive(...)            first thing after landing
 *
 * AddressSanitizer hears of every jump to another stack.  valgrind is
 * told only of the stack we jump to, and forgets the one we left as
 * soon as we have left it: it looks stacks up one by one, and with a
 * hundred thousand of them registered every switch would crawl.
 */
#include "ctx.h"
#include "tools.h"

static struct {
    struct ctx   *from;         /* the context the last switch left */
    const void   *main_lo;      /* main's stack, as ASan told us */
    size_t        main_size;
    unsigned long switches;     /* how many so far */
} the;

void ctx_depart(struct ctx *from, struct ctx *to, void **fake_stack)
{
    const void *lo = to->stack.lo ? to->stack.lo : the.main_lo;
    size_t size = to->stack.lo ? (size_t)(to->stack.hi - to->stack.lo)
                               : the.main_size;
    if (to->stack.lo != NULL)
        stack_register(&to->stack);
    the.from = from;
    the.switches++;
    FIBER_START(fake_stack, lo, size);
}

void ctx_arrive(void *fake_stack)
{
    const void *lo;
    size_t size;
    FIBER_FINISH(fake_stack, &lo, &size);
    if (the.from == NULL)
        return;
    if (the.from->stack.lo == NULL) {
        if (lo != NULL && the.main_lo == NULL) {
            the.main_lo = lo;   /* we came from main's stack */
            the.main_size = size;
        }
    } else {
        stack_deregister(&the.from->stack);
    }
    the.from = NULL;            /* it may be freed from now on */
}

unsigned long ctx_switches(void)
{
    return the.switches;
}

void ctx_free(struct ctx *c)
{
    stack_free(&c->stack);
}

bool ctx_guard_hit(const struct ctx *c, const void *addr)
{
    return stack_guard_hit(&c->stack, addr);
}

bool ctx_frames(const struct ctx *c, char **lo, char **hi)
{
    *lo = c->stack.lo;
    *hi = c->stack.hi;
    return c->stack.lo != NULL && !c->fresh;
}
