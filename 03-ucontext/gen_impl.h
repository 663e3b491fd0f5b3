/*
 * gen_impl.h - what gen.c keeps about each generator.  Private: only
 * the library and its tracer include it; programs use gen.h.
 */
#ifndef GEN_IMPL_H
#define GEN_IMPL_H

#include "ctx.h"
#include "gen.h"

enum gen_status {
    GEN_NEW,          /* made, not started */
    GEN_RUNNING,      /* on the CPU now */
    GEN_WAITING,      /* in gen_next(), running another generator */
    GEN_SUSPENDED,    /* stopped in gen_yield() */
    GEN_FINISHED,     /* its function returned */
};

/* One name per status, for the tracer and the error messages. */
extern const char *const gen_status_name[];

struct gen {
    char             name[16];  /* its label in drawings and messages */
    enum gen_status  status;    /* see above */
    gen_fn           fn;        /* what it runs... */
    void            *arg;       /* ...and with what */
    long             value;     /* the value gen_yield() hands over */
    struct ctx      *ctx;       /* where it stopped, and its stack */
    struct ctx      *caller;    /* where gen_next() was called: its
                                   consumer carries on from here */
    struct gen      *consumer;  /* the generator that called gen_next(),
                                   NULL for main or a coroutine */
    size_t           stack_size;/* how big its stack is */
    struct gen      *next;      /* the next one alive, in making order */
};

/* The tracer's view: the oldest generator alive (follow ->next), and
 * the one running now (NULL when no generator runs). */
const struct gen *gen_first(void);
const struct gen *gen_running(void);

#endif
