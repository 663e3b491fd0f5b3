/*
 * coro_impl.h - what the library keeps about each coroutine.  Private:
 * only the library and its tracer include it; programs use coro.h.
 */
#ifndef CORO_IMPL_H
#define CORO_IMPL_H

#include <stdbool.h>

#include "coro.h"
#include "ctx.h"

enum coro_status {
    CORO_RUNNABLE,    /* in the run queue */
    CORO_RUNNING,     /* on the CPU now */
    CORO_SLEEPING,    /* in coro_sleep_ms(), among the timers */
    CORO_WAITING_FD,  /* in coro_wait_fd(), among the pollers */
    CORO_JOINING,     /* in coro_join(), on another's joiners list */
    CORO_SENDING,     /* in chan_send(), on a channel's senders */
    CORO_RECEIVING,   /* in chan_recv(), on a channel's receivers */
    CORO_SELECTING,   /* in chan_select(), on several channels' queues */
    CORO_FINISHED,    /* returned or called coro_exit() */
};

/* Each status: its name in the drawings and messages ("blocked in
 * coro_join"), and what a coroutine does when it stops for it ("joins
 * another"), in the drawings' titles.  One table for all of them. */
struct coro_state {
    const char *name;
    const char *stops;
};
extern const struct coro_state coro_states[];

/* A first-come-first-served queue of coroutines, linked through their
 * ->next: a coroutine waits in one queue at a time. */
struct queue {
    struct coro *first, *last;
};

struct coro {
    int              id;        /* > 0; never reused */
    enum coro_status status;    /* see above */
    coro_fn          fn;        /* what it runs... */
    void            *arg;       /* ...and with what */
    struct ctx      *ctx;       /* where it stopped, and its stack */
    size_t           stack_size;/* how big it asked that stack to be */
    bool             canary;    /* has that stack a canary (many.c)? */
    struct coro     *next;      /* the next in whichever queue it is in */
    struct queue     joiners;   /* those waiting for it to finish */
    int              joining;   /* JOINING: the id it waits for */
    long             slept_ms;  /* SLEEPING: what it asked for... */
    long long        wake_at;   /* ...and when that is (now_ms()) */
    unsigned long    fell_asleep;/* ties at wake_at: first asleep first */
    int              fd;        /* WAITING_FD: which descriptor... */
    short            events;    /* ...for what... */
    short            revents;   /* ...and what poll() said */
    int              chan_id;   /* SENDING, RECEIVING: on which channel */
    int              select_cases; /* SELECTING: on how many cases */
    void            *waiting;   /* SENDING, RECEIVING, SELECTING: what
                                   chan.c needs to take it off the queues */
    void            *sent_on;   /* the channel of its last chan_send... */
    unsigned long    sent_on_frees; /* ...and chan_free()s by then: a
                                   hint for prefetching (chan.c) */
    struct coro     *older;     /* the list of all alive, by spawn */
    struct coro     *newer;
};

/* A queue: push at the back, pop from the front (NULL: empty). */
void queue_push(struct queue *q, struct coro *c);
struct coro *queue_pop(struct queue *q);

/* The scheduler's side (sched.c), for coro.c: */
struct coro *sched_current(void);        /* NULL outside coroutines */
bool  sched_add(struct coro *c);         /* give it an id, runnable;
                                            false: no memory */
void  sched_ready(struct coro *c);       /* to the back of the queue */
void  sched_park(enum coro_status why);  /* stop the caller until
                                            somebody readies it */
void  sched_done(void);                  /* the caller has finished */
void  sched_exit(void);                  /* ...and leaves its stack */
struct ctx *sched_loop(void);            /* the run loop's context */
struct coro *sched_find(int id);         /* alive, or NULL */
int   sched_last_id(void);               /* the newest id so far */

/* For the tracer: every coroutine alive, oldest first; the run loop's
 * context (NULL outside coro_run()); the run queue, front first. */
const struct coro *coro_oldest(void);
const struct ctx  *coro_loop(void);
const struct coro *coro_queue(void);
const struct coro *coro_current(void);

/* Take a blocked coroutine off every channel queue it waits in (chan.c):
 * the scheduler discards coroutines caught in a deadlock. */
void chan_forget(struct coro *c);

/* Prefetch what c's next send will touch, if it sends where it sent
 * last; ahead: 0 for the coroutine about to run, 1 and 2 for those
 * queued behind it (chan.c, for sched.c's prefetch_queued()). */
void chan_prefetch_send(const struct coro *c, int ahead);

/* The channels a coroutine blocked in chan_select() waits on, for the
 * deadlock report: "chan 3 (receive), chan 4 (send)" (chan.c). */
void chan_describe(const struct coro *c, char *text, size_t size);

/* The library's one voice for misuse and failure: a line on stderr,
 * after whatever stdout holds so far; coro_fail() then aborts. */
void coro_complain(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
_Noreturn void coro_fail(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

#endif
