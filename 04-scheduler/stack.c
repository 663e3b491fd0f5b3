/*
 * stack.c - stacks for coroutines: with guard pages while the budget of
 * mappings lasts, 64 to a mapping with canaries after that, and a free
 * list to reuse them (see stack.h).
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "stack.h"
#include "tools.h"

#define POOL_MAX    64      /* free stacks kept ready, at most */
#define SLAB_STACKS 64      /* stacks per mapping once guards run out */
#define CANARY_SIZE 64      /* bytes painted at the bottom of those */
#define PAINT       0xA5

static struct {
    struct stack  pool[POOL_MAX];  /* free stacks, ready to reuse */
    int           pooled;
    struct stack *spare;        /* free canary stacks, pages given back */
    size_t        spares, spare_room;
    char         *slab, *slab_end; /* the rest of the newest slab */
    size_t        slab_size;    /* the size of its stacks */
    long          guarded;      /* stacks with guard pages mapped now */
    long          budget;       /* how many may be: max_map_count / 4 */
} the;

static size_t page_size(void)
{
    return (size_t)sysconf(_SC_PAGESIZE);
}

static size_t size_of(const struct stack *s)
{
    return (size_t)(s->hi - s->lo);
}

/* A quarter of the kernel's limit on mappings: two per guarded stack
 * leaves half of it for everything else in the program. */
static long guard_budget(void)
{
    long limit = 65530;
    FILE *f = fopen("/proc/sys/vm/max_map_count", "r");
    if (f != NULL) {
        if (fscanf(f, "%ld", &limit) != 1)
            limit = 65530;
        fclose(f);
    }
    if (UNDER_VALGRIND && limit / 4 > 4096)
        return 4096;
    return limit / 4;
}

/* A fresh stack with a guard page, in a mapping of its own. */
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
    the.guarded++;
    return 0;
}

/* A slab: SLAB_STACKS stacks side by side, above one guard page.  A
 * stack that overflows runs into the one below it (its canary tells),
 * or, the lowest, into the guard page. */
static int new_slab(size_t size)
{
    size_t page = page_size();
    char *slab = mmap(NULL, page + SLAB_STACKS * size, PROT_READ |
                      PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK,
                      -1, 0);
    if (slab == MAP_FAILED)
        return -1;
    if (mprotect(slab, page, PROT_NONE) != 0) {
        munmap(slab, page + SLAB_STACKS * size);
        return -1;
    }
    the.slab = slab + page;
    the.slab_end = the.slab + SLAB_STACKS * size;
    the.slab_size = size;
    return 0;
}

/* A fresh stack carved from a slab, with a canary at its bottom. */
static int carve(struct stack *s, size_t size)
{
    if ((the.slab == NULL || the.slab_size != size ||
         the.slab + size > the.slab_end) && new_slab(size) != 0)
        return -1;
    s->guard = NULL;
    s->lo = the.slab;
    s->hi = the.slab + size;
    the.slab += size;
    return 0;
}

/* A stack of this size from those given back, if there is one. */
static bool reuse(struct stack *s, size_t size)
{
    for (int i = the.pooled - 1; i >= 0; i--) {
        if (size_of(&the.pool[i]) == size) {
            *s = the.pool[i];
            the.pool[i] = the.pool[--the.pooled];
            return true;
        }
    }
    if (the.spares > 0 && size_of(&the.spare[the.spares - 1]) == size) {
        *s = the.spare[--the.spares];
        return true;
    }
    return false;
}

int stack_alloc(struct stack *s, size_t size)
{
    size_t page = page_size();
    size = (size + page - 1) / page * page;
    s->tool_id = 0;
    if (the.budget == 0)
        the.budget = guard_budget();
    if (reuse(s, size)) {
        /* its last owner's frames were abandoned, not returned from:
         * AddressSanitizer still guards their red zones */
        STACK_UNPOISON(s->lo, size);
    } else {
        int made = the.guarded < the.budget ? map_guarded(s, size)
                                            : carve(s, size);
        if (made != 0)
            return -1;
    }
    if (s->guard == NULL)
        memset(s->lo, PAINT, CANARY_SIZE);
    return 0;
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

/* A canary stack past the pool: its pages go back, its place stays. */
static void spare(struct stack *s)
{
    madvise(s->lo, size_of(s), MADV_DONTNEED);
    if (the.spares == the.spare_room) {
        size_t room = the.spare_room ? 2 * the.spare_room : 64;
        struct stack *more = realloc(the.spare, room * sizeof *more);
        if (more == NULL)
            return;             /* forget it: a little address space lost */
        the.spare = more;
        the.spare_room = room;
    }
    the.spare[the.spares++] = *s;
}

void stack_free(struct stack *s)
{
    if (s->lo == NULL)
        return;
    stack_deregister(s);
    if (the.pooled < POOL_MAX) {
        the.pool[the.pooled++] = *s;
    } else if (s->guard != NULL) {
        munmap(s->guard, (size_t)(s->hi - s->guard));
        the.guarded--;
    } else {
        spare(s);
    }
    memset(s, 0, sizeof *s);
}

bool stack_guard_hit(const struct stack *s, const void *addr)
{
    const char *a = addr;       /* the page just below: a guard page, or
                                   the slab's, or mapped (no fault) */
    return s->lo != NULL && a < s->lo && a >= s->lo - page_size();
}

bool stack_intact(const struct stack *s)
{
    if (s->guard != NULL || s->lo == NULL)
        return true;
    for (int i = 0; i < CANARY_SIZE; i++)
        if ((unsigned char)s->lo[i] != PAINT)
            return false;
    return true;
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
