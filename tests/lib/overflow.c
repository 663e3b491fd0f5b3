/*
 * overflow.c - digging deep, and judging what happened (overflow.h).
 */
#define _POSIX_C_SOURCE 200809L
#include <signal.h>
#include <stdint.h>
#include <string.h>

#include "cu.h"
#include "overflow.h"

static void own_segv_handler(int sig)
{
    (void)sig;
}

void own_segv_handler_set(struct sigaction *was)
{
    struct sigaction mine = {.sa_handler = own_segv_handler};
    sigemptyset(&mine.sa_mask);
    sigaction(SIGSEGV, &mine, was);
}

bool own_segv_handler_in_place(void)
{
    struct sigaction now;
    sigaction(SIGSEGV, NULL, &now);
    return now.sa_handler == own_segv_handler;
}

static char *volatile dug;      /* so that each block must really exist */

/* Every byte of every block is written: a canary that a frame's bytes
 * skip over cannot see it.  The empty asm may read the block, so that a
 * compiler that sees the whole program (-flto) cannot drop the memset
 * as a write nobody reads; it did. */
__attribute__((noinline)) int dig(int kib)
{
    char block[1024];
    dug = block;
    memset(block, kib, sizeof block);
    __asm__ volatile("" : : "r"(block) : "memory");
    if (kib > 0)
        return dig(kib - 1) + block[kib % sizeof block];
    return block[0];
}

void dig_deep(void *arg)
{
    dig((int)(intptr_t)arg);
}

bool overflow_reported(void (*fn)(void *), const char *says)
{
    char err[512];
    int status = cu_in_child(fn, NULL, err, sizeof err);
    return cu_killed_by(status, SIGSEGV) && strstr(err, says) != NULL &&
           strstr(err, "not stopped") == NULL;
}
