/*
 * many.c - stacks for very many coroutines.  Skip it on a first
 * reading: it changes how fast stacks come and how many there can be,
 * not what the scheduler does with them.
 *
 * A mapping of its own per stack, with a guard page (stack.c), is the
 * clear way, and at scale a slow and a limited one: every spawn costs
 * system calls, and a guard page splits its mapping in two, while the
 * kernel allows a process vm.max_map_count mappings (65,530 unless
 * raised).  So, here:
 *
 *   - a finished coroutine's stack waits in a pool for the next spawn,
 *     and spawning is no system call at all;
 *   - new stacks come SLAB_STACKS to a mapping, each above a guard page
 *     made with madvise(MADV_GUARD_INSTALL), which does not split the
 *     mapping (Linux 6.13 on);
 *   - an older kernel gives stacks mappings of their own while a budget
 *     of a quarter of vm.max_map_count lasts (a few thousand under
 *     valgrind, which keeps a smaller table of its own), then slabs with
 *     a painted canary at the bottom of each stack instead of a guard
 *     page, checked after every switch.  A canary cannot see a frame
 *     bigger than itself that skips over it, writes into the stack
 *     below and returns before its coroutine stops; a guard page (with
 *     -fstack-clash-protection) can.
 *
 *     one slab:  | guard | stack 0 | guard | stack 1 | ... | stack 63 |
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "many.h"
#include "tools.h"

#ifndef MADV_GUARD_INSTALL
#define MADV_GUARD_INSTALL 102  /* Linux 6.13 */
#endif

#define POOL_MAX    1024    /* free stacks kept ready, at most */
#define SLAB_STACKS 64      /* stacks per mapping */
#define CANARY_SIZE 64      /* bytes painted at the bottom of a stack */
#define PAINT       0xA5

static struct {
    struct stack  pool[POOL_MAX]; /* free stacks, ready to reuse */
    int           pooled;
    struct stack *spare;        /* free slab stacks, pages given back */
    size_t        spares, spare_room;
    char         *slab, *slab_end;  /* the rest of the newest slab */
    size_t        slab_size;    /* the size of its stacks */
    int           guard_regions;/* 1: the kernel makes them; -1: not;
                                   0: not asked yet */
    long          budget;       /* stacks of their own mapping allowed */
    long          mapped;       /* and made so far */
    bool          canaries;     /* has any stack a canary? */
} the;

static size_t page_size(void)
{
    return (size_t)sysconf(_SC_PAGESIZE);
}

static size_t size_of(const struct stack *s)
{
    return (size_t)(s->hi - s->lo);
}

/* Is p's page a guard region?  Then the kernel cannot read it either:
 * writing a byte of it into a pipe fails with EFAULT.  (Not into
 * /dev/null, which reads nothing.  An emulator may say yes to madvise
 * and guard nothing: qemu-user does.) */
static bool guarded(const char *p)
{
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0)
        return false;
    bool faults = write(fds[1], p, 1) < 0 && errno == EFAULT;
    close(fds[0]);
    close(fds[1]);
    return faults;
}

/* Does this kernel make guard regions?  Asked once, on a page.  Not
 * under valgrind, which cannot see them: its leak check at exit would
 * fault on every one. */
static bool kernel_guards(void)
{
    if (the.guard_regions == 0 && UNDER_VALGRIND)
        the.guard_regions = -1;
    if (the.guard_regions == 0) {
        size_t page = page_size();
        char *p = mmap(NULL, page, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        the.guard_regions = p != MAP_FAILED &&
                            madvise(p, page, MADV_GUARD_INSTALL) == 0 &&
                            guarded(p) ? 1 : -1;
        if (p != MAP_FAILED)
            munmap(p, page);
    }
    return the.guard_regions > 0;
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

/* A freed stack of this size, if there is one. */
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

/* A new slab: room for SLAB_STACKS stacks of size bytes, each with the
 * page below it kept for its guard. */
static int new_slab(size_t size)
{
    size_t page = page_size(), bytes = SLAB_STACKS * (page + size);
    char *slab = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE |
                      MAP_ANONYMOUS | MAP_STACK | MAP_NORESERVE, -1, 0);
    if (slab == MAP_FAILED)
        return -1;
    the.slab = slab;
    the.slab_end = slab + bytes;
    the.slab_size = size;
    return 0;
}

/* The next stack of the slab: a guard page (or a canary), then the stack. */
static int carve(struct stack *s, size_t size)
{
    size_t page = page_size();
    if ((the.slab == NULL || the.slab_size != size ||
         the.slab + page + size > the.slab_end) && new_slab(size) != 0)
        return -1;
    s->lo = the.slab + page;
    s->hi = s->lo + size;
    s->guard = NULL;
    if (kernel_guards() && madvise(the.slab, page, MADV_GUARD_INSTALL) == 0)
        s->guard = the.slab;
    the.slab += page + size;
    return 0;
}

int many_alloc(struct stack *s, size_t size)
{
    if (reuse(s, size)) {
        /* its last owner's frames were abandoned, not returned from:
         * AddressSanitizer still guards their red zones */
        STACK_UNPOISON(s->lo, size);
    } else if (!kernel_guards()) {
        if (the.budget == 0)
            the.budget = guard_budget();
        if (the.mapped < the.budget) {
            the.mapped++;
            return -1;          /* a mapping of its own, with a guard */
        }
        if (carve(s, size) != 0)
            return -1;
    } else if (carve(s, size) != 0) {
        return -1;
    }
    if (s->guard == NULL) {
        memset(s->lo, PAINT, CANARY_SIZE);
        the.canaries = true;
    }
    return 0;
}

/* A slab stack past the pool: its pages go back, its place stays. */
static bool spare(struct stack *s)
{
    madvise(s->lo, size_of(s), MADV_DONTNEED);
    if (the.spares == the.spare_room) {
        size_t room = the.spare_room ? 2 * the.spare_room : 64;
        struct stack *more = realloc(the.spare, room * sizeof *more);
        if (more == NULL)
            return true;        /* forget it: a little address space lost */
        the.spare = more;
        the.spare_room = room;
    }
    the.spare[the.spares++] = *s;
    return true;
}

/* Is s a stack of its own mapping (stack.c's)?  Its guard page is the
 * mapping's first page, just below it; in a slab it is a guard region,
 * or there is none. */
static bool own_mapping(const struct stack *s)
{
    return s->guard != NULL && the.guard_regions < 0;
}

bool many_free(struct stack *s)
{
    if (the.pooled < POOL_MAX) {
        the.pool[the.pooled++] = *s;
        return true;
    }
    if (own_mapping(s)) {
        the.mapped--;
        return false;           /* stack.c unmaps it */
    }
    return spare(s);
}

/* Read on purpose: a coroutine that went past the canary left its bytes
 * "not in use" to valgrind and poisoned to AddressSanitizer. */
NO_ASAN static bool canary_intact(const struct stack *s)
{
    STACK_BYTES_KEPT(s->lo, s->lo + CANARY_SIZE);
    for (int i = 0; i < CANARY_SIZE; i++)
        if ((unsigned char)s->lo[i] != PAINT)
            return false;
    return true;
}

bool many_has_canary(const struct ctx *c)
{
    struct ctx_view v;
    if (!the.canaries || c == NULL)
        return false;           /* guard pages watch every stack */
    ctx_view(c, &v);
    return v.stack.guard == NULL && v.stack.lo != NULL;
}

bool many_intact(const struct ctx *c)
{
    struct ctx_view v;
    if (!many_has_canary(c))
        return true;
    ctx_view(c, &v);
    return canary_intact(&v.stack) && (v.fp == NULL || v.fp >= v.stack.lo);
}
