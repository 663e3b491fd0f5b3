/*
 * guards.h - play a kernel without guard regions (guards.c).
 *
 * Stages 4 and 5 carve coroutine stacks from slabs (many.c).  Where the
 * kernel makes guard regions (madvise(MADV_GUARD_INSTALL), Linux 6.13
 * on), each stack sits above one; elsewhere, once the budget of stacks
 * with mappings of their own is spent, above a painted canary instead.
 * Both ways must work, and a test machine has only one kernel.
 */
#ifndef GUARDS_H
#define GUARDS_H

#include <stdbool.h>

/* From now on, while refuse is true, madvise(MADV_GUARD_INSTALL) fails
 * as an older kernel's does (EINVAL); every other call goes through. */
void guards_refuse(bool refuse);

/* Does madvise(MADV_GUARD_INSTALL) say yes, and then not guard?  So it
 * does under qemu-user, which takes advice it does not know as done.
 * Asked of a page of its own, in a child process. */
bool guards_pretend(void);

#endif
