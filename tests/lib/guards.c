/*
 * guards.c - madvise() as the test program sees it (guards.h).
 *
 * A program's own definition of a C library function comes before the
 * library's, for the program and the libraries it links alike: the
 * stage library's calls to madvise() land here, and go on to the
 * kernel by syscall(), except the one this test plays refused.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cu.h"
#include "guards.h"

#ifndef MADV_GUARD_INSTALL
#define MADV_GUARD_INSTALL 102  /* Linux 6.13 */
#endif

static bool refused;

void guards_refuse(bool refuse)
{
    refused = refuse;
}

int madvise(void *addr, size_t length, int advice)
{
    if (refused && advice == MADV_GUARD_INSTALL) {
        errno = EINVAL;
        return -1;
    }
    return (int)syscall(SYS_madvise, addr, length, advice);
}

/* In a child: read the page at p, which should be the end of it. */
static void read_the_page(void *p)
{
    signal(SIGSEGV, SIG_DFL);       /* not a sanitizer's report */
    if (*(volatile char *)p == 0)
        _exit(0);
}

bool guards_pretend(void)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    char err[128];
    char *p = mmap(NULL, page, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return false;
    bool said_yes = madvise(p, page, MADV_GUARD_INSTALL) == 0;
    bool pretends = said_yes &&
        !cu_killed_by(cu_in_child(read_the_page, p, err, sizeof err),
                      SIGSEGV);
    munmap(p, page);
    return pretends;
}
