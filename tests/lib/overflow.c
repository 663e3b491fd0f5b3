/*
 * overflow.c - digging deep, and judging what happened (overflow.h).
 */
#include <signal.h>
#include <stdint.h>
#include <string.h>

#include "cu.h"
#include "overflow.h"

static char *volatile dug;      /* so that each block must really exist */

__attribute__((noinline)) int dig(int kib)
{
    char block[1024];
    dug = block;
    memset(block, kib, sizeof block);
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
