/*
 * wrap.c - the allocation-failure sweep's hand on every allocation.
 *
 * The probe program is linked with
 *     -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=mmap,
 *     --wrap=mprotect,--wrap=madvise
 * so that every call to these from the library (and from the probes,
 * which allocate nothing themselves in a sweep) lands here first.  The
 * C library's own calls inside libc are not redirected: stdio's buffers
 * are not the kit's business.
 *
 * Counting and failing happen only in a child that called wrap_start.
 * The count lives in a page shared with the harness, which reads it
 * after the child is gone.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/mman.h>
#include <sys/types.h>

#include "probe.h"

void *__real_malloc(size_t size);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t size);
void *__real_mmap(void *addr, size_t len, int prot, int flags, int fd,
                  off_t off);
int __real_mprotect(void *addr, size_t len, int prot);

struct shared {
    long count;             /* allocations seen in the child */
    bool failed;            /* did one fail on purpose */
};

static struct {
    struct shared *shared;  /* in a page the harness sees too */
    bool           on;      /* counting in this process */
    long           fail_at; /* the call that fails (0: none) */
} the;

/* The page is made once, before the first child: afterwards parent and
 * children share it. */
static struct shared *shared(void)
{
    if (the.shared == NULL) {
        void *page = __real_mmap(NULL, sizeof *the.shared,
                                 PROT_READ | PROT_WRITE,
                                 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
        if (page == MAP_FAILED)
            return NULL;
        the.shared = page;
    }
    return the.shared;
}

void wrap_init(void)
{
    shared();
}

void wrap_start(long fail_at)
{
    struct shared *s = shared();
    if (s == NULL)
        return;
    s->count = 0;
    s->failed = false;
    the.fail_at = fail_at;
    the.on = true;
}

long wrap_count(void)
{
    return shared() ? the.shared->count : 0;
}

bool wrap_failed(void)
{
    return shared() && the.shared->failed;
}

/* Is this allocation the one to fail? */
static bool fail_now(void)
{
    if (!the.on)
        return false;
    if (++the.shared->count != the.fail_at)
        return false;
    the.shared->failed = true;
    errno = ENOMEM;
    return true;
}

void *__wrap_malloc(size_t size)
{
    return fail_now() ? NULL : __real_malloc(size);
}

void *__wrap_calloc(size_t n, size_t size)
{
    return fail_now() ? NULL : __real_calloc(n, size);
}

void *__wrap_realloc(void *p, size_t size)
{
    return fail_now() ? NULL : __real_realloc(p, size);
}

void *__wrap_mmap(void *addr, size_t len, int prot, int flags, int fd,
                  off_t off)
{
    return fail_now() ? MAP_FAILED
                      : __real_mmap(addr, len, prot, flags, fd, off);
}

/* madvise(MADV_GUARD_INSTALL) refused, as a kernel before 6.13 does,
 * once wrap_no_guard_regions() has been called. */
int __real_madvise(void *addr, size_t len, int advice);

#ifndef MADV_GUARD_INSTALL
#define MADV_GUARD_INSTALL 102
#endif

static bool no_guard_regions;

void wrap_no_guard_regions(void)
{
    no_guard_regions = true;
}

int __wrap_madvise(void *addr, size_t len, int advice)
{
    if (no_guard_regions && advice == MADV_GUARD_INSTALL) {
        errno = EINVAL;
        return -1;
    }
    return __real_madvise(addr, len, advice);
}

/* Only a guard page being made can fail for want of memory (a mapping
 * split in two); giving access back is not an allocation. */
int __wrap_mprotect(void *addr, size_t len, int prot)
{
    if (prot == PROT_NONE && fail_now())
        return -1;
    return __real_mprotect(addr, len, prot);
}
