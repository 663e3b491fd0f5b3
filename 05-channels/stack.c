/*
 * stack.c - mapped stacks with guard pages, and the watch for anybody
 * who runs into one.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "many.h"
#include "stack.h"
#include "tools.h"

static size_t page_size(void)
{
    return (size_t)sysconf(_SC_PAGESIZE);
}

/* A mapping of its own: the guard page, then size bytes of stack. */
static int map_guarded(struct stack *s, size_t size)
{
    size_t page = page_size();
    char *base = mmap(NULL, page + size, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
    if (base == MAP_FAILED)
        return -1;
    if (mprotect(base, page, PROT_NONE) != 0) {
        munmap(base, page + size);
        return -1;
    }
    s->guard = base;
    s->lo = base + page;
    s->hi = s->lo + size;
    return 0;
}

int stack_alloc(struct stack *s, size_t size)
{
    size_t page = page_size();
    memset(s, 0, sizeof *s);
    if (size > STACK_MAX)
        return -1;              /* and rounding it up cannot overflow */
    size = (size + page - 1) / page * page;
    if (many_alloc(s, size) == 0)   /* many.c: for very many coroutines */
        return 0;
    return map_guarded(s, size);
}

void stack_free(struct stack *s)
{
    if (s->lo == NULL)
        return;
    stack_deregister(s);
    if (!many_free(s))
        munmap(s->guard, (size_t)(s->hi - s->guard));
    memset(s, 0, sizeof *s);
}

void stack_register(struct stack *s)
{
    if (s->tool_id == 0)
        s->tool_id = STACK_REGISTER(s->lo, s->hi);
}

void stack_deregister(struct stack *s)
{
    if (s->tool_id != 0)
        STACK_DEREGISTER(s->tool_id);
    s->tool_id = 0;
}

bool stack_guard_hit(const struct stack *s, const void *addr)
{
    return s->guard != NULL && (const char *)addr >= s->guard &&
           (const char *)addr < s->lo;
}

int stack_guard(struct stack *s, char *lo, char *hi)
{
    size_t page = page_size();
    memset(s, 0, sizeof *s);
    s->guard = (char *)((uintptr_t)lo / page * page - page);
    s->lo = lo;
    s->hi = hi;
    return mprotect(s->guard, page, PROT_NONE);
}

void stack_unguard(struct stack *s)
{
    if (s->guard != NULL)
        mprotect(s->guard, page_size(), PROT_READ | PROT_WRITE);
    memset(s, 0, sizeof *s);
}

/* ---- the watch -------------------------------------------------- */

#define WATCH_MOST 32           /* watches remembered at once */

static struct {
    void (*report[WATCH_MOST])(const void *addr);  /* oldest first */
    int              kept;      /* of them in report[] */
    int              depth;     /* watches begun and not ended */
    struct sigaction old_action;/* the program's own, put back at the end */
    stack_t          old_stack;
    char             stack[64 * 1024];  /* the handler runs here */
} watch;

/* Every watch hears of the fault, the newest first; the one whose
 * stack it is says so. */
static void on_segv(int sig, siginfo_t *info, void *context)
{
    (void)context;
    for (int i = watch.kept; i > 0; i--)
        watch.report[i - 1](info->si_addr);
    signal(sig, SIG_DFL);   /* returning retries the access: it kills */
}

void stack_watch(void (*report)(const void *addr))
{
    if (watch.kept < WATCH_MOST)
        watch.report[watch.kept++] = report;
    if (watch.depth++ > 0)
        return;
    stack_t ss = {.ss_sp = watch.stack, .ss_size = sizeof watch.stack};
    sigaltstack(&ss, &watch.old_stack);
    struct sigaction sa = {.sa_sigaction = on_segv,
                           .sa_flags = SA_SIGINFO | SA_ONSTACK};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, &watch.old_action);
}

/* Watches need not end in the order they began (a generator's lasts
 * while generators exist, a run's while coro_run runs): the newest
 * watch with this report ends. */
void stack_unwatch(void (*report)(const void *addr))
{
    if (watch.depth == 0)
        return;
    for (int i = watch.kept - 1; i >= 0; i--)
        if (watch.report[i] == report) {
            memmove(&watch.report[i], &watch.report[i + 1],
                    (size_t)(watch.kept - 1 - i) * sizeof watch.report[0]);
            watch.kept--;
            break;
        }
    if (--watch.depth > 0)
        return;
    sigaction(SIGSEGV, &watch.old_action, NULL);
    sigaltstack(&watch.old_stack, NULL);
}
