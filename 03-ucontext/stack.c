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

#include "stack.h"
#include "tools.h"

static size_t page_size(void)
{
    return (size_t)sysconf(_SC_PAGESIZE);
}

int stack_alloc(struct stack *s, size_t size)
{
    size_t page = page_size();
    size = (size + page - 1) / page * page;
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

void stack_register(struct stack *s)
{
    s->tool_id = STACK_REGISTER(s->lo, s->hi);
}

void stack_free(struct stack *s)
{
    if (s->guard == NULL)
        return;
    if (s->tool_id != 0)
        STACK_DEREGISTER(s->tool_id);
    munmap(s->guard, (size_t)(s->hi - s->guard));
    memset(s, 0, sizeof *s);
}

bool stack_guard_hit(const struct stack *s, const void *addr)
{
    return s->guard != NULL && (const char *)addr >= s->guard &&
           (const char *)addr < s->lo;
}

/* ---- the watch -------------------------------------------------- */

static void (*reporter)(const void *addr);
static char watch_stack[64 * 1024];     /* the SIGSEGV handler runs here */

static void on_segv(int sig, siginfo_t *info, void *context)
{
    (void)context;
    reporter(info->si_addr);
    signal(sig, SIG_DFL);   /* returning retries the access: it kills */
}

void stack_watch(void (*report)(const void *addr))
{
    bool first = reporter == NULL;
    reporter = report;
    if (!first)
        return;
    stack_t ss = {.ss_sp = watch_stack, .ss_size = sizeof watch_stack};
    sigaltstack(&ss, NULL);
    struct sigaction sa = {.sa_sigaction = on_segv,
                           .sa_flags = SA_SIGINFO | SA_ONSTACK};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, NULL);
}
