/*
 * coro_impl.h - what coro.c keeps about each coroutine.  Private: only
 * the library and its tracer include it; programs use coro.h.
 */
#ifndef CORO_IMPL_H
#define CORO_IMPL_H

#include <stdbool.h>

#include "coro.h"
#include "ctx.h"

enum coro_status {
    CORO_FREE,        /* slot unused */
    CORO_NEW,         /* spawned, not started */
    CORO_RUNNING,     /* on the CPU now */
    CORO_SUSPENDED,   /* stopped in coro_yield() */
    CORO_FINISHED,    /* returned or called coro_exit() */
};

/* One name per status, for the tracer and the messages. */
extern const char *const coro_status_name[];

struct coro {
    int              id;      /* > 0 once spawned; never reused */
    enum coro_status status;  /* see above */
    coro_fn          fn;      /* what it runs... */
    void            *arg;     /* ...and with what */
    struct ctx       ctx;     /* where it stopped; slot i uses slice i */
};

/* The tracer's view: slot i (0 <= i < CORO_MAX), the one running now
 * (NULL in the run loop), and the run loop's own context (NULL when
 * coro_run() is not running). */
const struct coro *coro_slot(int i);
const struct coro *coro_current(void);
const struct ctx  *coro_loop(void);

/* The library's one voice for misuse and failure: a line on stderr,
 * after whatever stdout holds so far; coro_fail() then aborts. */
void coro_complain(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
_Noreturn void coro_fail(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

#endif
