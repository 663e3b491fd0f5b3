/*
 * syscount.h - how many system calls of one kind does a piece of code
 * make?  Counted for real, the way strace does it: the code runs in a
 * child process, and this one stops it at every system call (ptrace).
 * Stage 3 once carried it; now only the tests count.
 */
#ifndef SYSCOUNT_H
#define SYSCOUNT_H

/* Run fn(arg) in a child process that this one traces, and count the
 * child's entries into system call number nr (SYS_rt_sigprocmask...).
 * -1 where that cannot be done: under valgrind or qemu-user, which
 * make or refuse the system calls themselves, where ptrace is not
 * allowed (a container may forbid it), or before Linux 5.3. */
long syscalls_made(long nr, void (*fn)(void *), void *arg);

#endif
