/*
 * ctx_stacks.c - every coroutine has a mapped stack of its own
 * (stack.c), and each switch tells AddressSanitizer where it goes (see
 * tools.h).
 */
#include "ctx.h"
#include "tools.h"

static struct ctx *left;        /* the context the last switch left;
                                   NULL once it finished (uc_link) */

void ctx_leaving(struct ctx *from)
{
    left = from;
}

/* First thing after every switch lands: tell AddressSanitizer, and
 * learn the main stack's bounds from it the first time. */
void ctx_landed(void *fake_stack)
{
    const void *lo;
    size_t size;
    FIBER_FINISH(fake_stack, &lo, &size);
    if (lo != NULL && left != NULL && left->stack.lo == NULL) {
        left->stack.lo = (char *)lo;
        left->stack.hi = (char *)lo + size;
    }
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
    return c->stack.guard != NULL && !c->fresh;
}
