/*
 * syscount.c - count a child's system calls with ptrace (syscount.h).
 * A test helper: the stages themselves count nothing.
 *
 * The child asks to be traced and stops itself; from then on
 * PTRACE_SYSCALL lets it run to the next system call's entry or exit,
 * and PTRACE_GET_SYSCALL_INFO says which it is.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kit.h"
#include "syscount.h"

#define UNTRACEABLE 3           /* the child's exit status if so */

static void traced_child(void (*fn)(void *), void *arg)
{
    if (ptrace(PTRACE_TRACEME, 0, NULL, NULL) != 0)
        _exit(UNTRACEABLE);
    kill(getpid(), SIGSTOP);    /* until the parent is ready */
    fn(arg);
    _exit(0);                   /* no atexit work: nothing to count */
}

/* Is the child stopped at the entry of system call nr?  1 or 0; -1
 * if the kernel cannot say (before Linux 5.3). */
static int entering(pid_t pid, long nr)
{
    struct __ptrace_syscall_info info;
    if (ptrace(PTRACE_GET_SYSCALL_INFO, pid, (void *)sizeof info,
               &info) <= 0)
        return -1;
    return info.op == PTRACE_SYSCALL_INFO_ENTRY &&
           (long)info.entry.nr == nr;
}

/* Let the child run from system call to system call until it exits,
 * counting the entries into nr.  -1 if it does not exit cleanly (and
 * then it is gone too). */
static long count_until_exit(pid_t pid, long nr)
{
    long calls = 0;
    int status, pass_on = 0, entry = 0;
    while (entry >= 0 &&
           ptrace(PTRACE_SYSCALL, pid, NULL, (void *)(long)pass_on) == 0 &&
           waitpid(pid, &status, 0) == pid) {
        pass_on = 0;
        if (WIFEXITED(status))
            return WEXITSTATUS(status) == 0 ? calls : -1;
        if (WIFSIGNALED(status))
            return -1;
        if (WSTOPSIG(status) == (SIGTRAP | 0x80)) {
            entry = entering(pid, nr);
            calls += entry > 0;
        } else {
            pass_on = WSTOPSIG(status);     /* a signal of its own */
        }
    }
    kill(pid, SIGKILL);                     /* tracing failed */
    waitpid(pid, &status, 0);
    return -1;
}

long syscalls_made(long nr, void (*fn)(void *), void *arg)
{
    if (kit_under_valgrind())
        return -1;              /* valgrind makes the calls itself */
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0)
        traced_child(fn, arg);
    int status;
    if (waitpid(pid, &status, 0) != pid || !WIFSTOPPED(status))
        return -1;              /* it could not be traced */
    ptrace(PTRACE_SETOPTIONS, pid, NULL,
           (void *)(PTRACE_O_TRACESYSGOOD | PTRACE_O_EXITKILL));
    return count_until_exit(pid, nr);
}
