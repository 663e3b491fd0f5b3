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
#include <stddef.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

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
