/*
 * chan.c - channels: a ring buffer, and two queues of coroutines
 * waiting on it, one to send and one to receive.
 *
 * A blocking channel operation is just "park this coroutine, wake that
 * one".  Whoever arrives second does the work: a sender that finds a
 * receiver waiting copies its element straight into the receiver's
 * variable and makes it runnable; a receiver that finds a sender
 * waiting takes the element and makes the sender runnable.  Nobody who
 * is woken has anything left to do but return.
 *
 *     chan 2:  buffer [ 7 | 8 | _ | _ ]      receivers: none
 *              senders: coro 4 (9) -> coro 6 (10)   (when it is full)
 *
 * A waiting coroutine's record (struct waiter) lives in its own frame,
 * on its own stack, which stays put while it is parked.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chan.h"
#include "coro_impl.h"
#include "show.h"

struct waiter {
    struct coro   *who;       /* the parked coroutine */
    void          *elem;      /* where to copy from (send) or to (recv) */
    bool           ok;        /* set by the waker: false if closed */
    bool           sends;     /* a send (or a receive), for reports */
    struct select *sel;       /* the select it belongs to, or NULL */
    int            index;     /* its case in that select */
    int            chan;      /* its channel's number (0: NULL), for what
                                 is said after waking, when its closer
                                 may have freed the channel */
    struct wait_queue  *queue;     /* the queue it is in, or NULL */
    struct waiter *prev, *next;
};

struct wait_queue {                /* a channel's senders or receivers */
    struct waiter *first, *last;   /* first come, first served */
};

struct select {
    struct waiter *waiters;   /* one per case: in the selector's frame,
                                 or for more than FEW_CASES malloc'd */
    int            n;
    int            fired;     /* the case that ran; -1 while waiting */
};

#define FEW_CASES 16          /* a select's waiters that fit its frame */

struct chan {
    int          id;          /* "chan 3" in messages and drawings */
    size_t       elem_size;   /* bytes per element */
    size_t       cap;         /* elements the buffer holds */
    size_t       len;         /* elements in it now */
    size_t       head;        /* the next one to receive */
    char        *buf;         /* cap * elem_size bytes; NULL if none */
    bool         closed;      /* no more sends */
    struct wait_queue senders;     /* waiting to send */
    struct wait_queue receivers;   /* waiting to receive */
};

static int last_chan_id;
static unsigned long chans_freed;   /* for chan_prefetch_send() */

/* ---- misuse ------------------------------------------------------ */

/* Say what went wrong, naming channel number id (0: none), and stop. */
_Noreturn static void stop(const char *call, const char *problem, int id)
{
    if (id != 0)
        coro_fail("%s: %s (chan %d)", call, problem, id);
    coro_fail("%s: %s", call, problem);
}

/* The same, naming channel c (NULL: none). */
_Noreturn static void misuse(const char *call, const char *problem,
                             const chan *c)
{
    stop(call, problem, chan_id(c));
}

static void need_channel(const char *call, const chan *c)
{
    if (c == NULL)
        misuse(call, "the channel is NULL", NULL);
}

/* An element to send must be there, unless the channel carries none. */
static void need_elem(const char *call, const chan *c, const void *elem)
{
    char problem[96];
    if (elem != NULL || c->elem_size == 0)
        return;
    snprintf(problem, sizeof problem, "elem is NULL, and the channel's "
             "elements are %zu bytes", c->elem_size);
    misuse(call, problem, c);
}

/* The caller is about to park: it must be a coroutine. */
static struct coro *need_coroutine(const char *call, const chan *c)
{
    struct coro *self = sched_current();
    if (self == NULL)
        misuse(call, "would block outside a coroutine", c);
    return self;
}

/* ---- queues of waiters ------------------------------------------ */

static void enqueue(struct wait_queue *q, struct waiter *w)
{
    w->queue = q;
    w->next = NULL;
    w->prev = q->last;
    if (q->last != NULL)
        q->last->next = w;
    else
        q->first = w;
    q->last = w;
}

static void unlink_waiter(struct waiter *w)
{
    struct wait_queue *q = w->queue;
    if (q == NULL)
        return;
    if (w->prev != NULL)
        w->prev->next = w->next;
    else
        q->first = w->next;
    if (w->next != NULL)
        w->next->prev = w->prev;
    else
        q->last = w->prev;
    w->queue = NULL;
}

/*
 * w's operation has been done for it: take it out of its queue, and if
 * it was one case of a select, take the select's other cases out of
 * theirs too, before anybody else can pick one of them.  Then wake it.
 * (inline: see try_send().)
 */
static inline void fire(struct waiter *w)
{
    unlink_waiter(w);
    if (w->sel != NULL) {
        w->sel->fired = w->index;
        for (int i = 0; i < w->sel->n; i++)
            unlink_waiter(&w->sel->waiters[i]);
    }
    sched_ready(w->who);
}

/* ---- elements ---------------------------------------------------- */

static void copy_elem(const chan *c, void *to, const void *from)
{
    if (c->elem_size == 0 || to == NULL)
        return;
    if (c->elem_size == sizeof(long))   /* the usual size: a memcpy of */
        memcpy(to, from, sizeof(long)); /* a size known here is one move */
    else                                /* instead of a call */
        memcpy(to, from, c->elem_size);
}

static void zero_elem(const chan *c, void *elem)
{
    if (c->elem_size > 0 && elem != NULL)
        memset(elem, 0, c->elem_size);
}

/* Element i of the buffer, counting from the next to receive.  A
 * channel for signals only has no buffer, just a count. */
static void *slot(const chan *c, size_t i)
{
    if (c->buf == NULL)
        return NULL;
    return c->buf + ((c->head + i) % c->cap) * c->elem_size;
}

/* ---- the two halves of every operation -------------------------- */

/* Every chan_send() and chan_recv() begins with one of these two, so
 * they, and fire(), are `inline`: at -O2 gcc then folds them into their
 * callers, which takes about an eighth off a round trip (BENCHMARKS.md).
 * Without the word it leaves them calls, as each has several callers.
 * At -O0 nothing is folded, and the drawings are the same either way:
 * they show the frames of KEEP_FRAME functions alone. */

/* Send without waiting, if that can be done: true if it was. */
static inline bool try_send(chan *c, const void *elem, const char *call)
{
    if (c->closed)
        misuse(call, "send on closed channel", c);
    struct waiter *r = c->receivers.first;
    if (r != NULL) {                /* hand it over */
        copy_elem(c, r->elem, elem);
        r->ok = true;
        fire(r);
        return true;
    }
    if (c->len < c->cap) {          /* into the buffer */
        copy_elem(c, slot(c, c->len), elem);
        c->len++;
        return true;
    }
    return false;
}

/* Receive without waiting, if that can be done: true if it was, with
 * *ok false if the channel is closed and drained. */
/* == exercise recv (try_recv): the answer begins == */
static inline bool try_recv(chan *c, void *elem, bool *ok)
{
    struct waiter *s = c->senders.first;
    *ok = true;
    if (c->len > 0) {               /* from the buffer... */
        copy_elem(c, elem, slot(c, 0));
        c->head = (c->head + 1) % c->cap;
        c->len--;
        if (s != NULL) {            /* ...which a waiting sender refills */
            copy_elem(c, slot(c, c->len), s->elem);
            c->len++;
            s->ok = true;
            fire(s);
        }
        return true;
    }
    if (s != NULL) {                /* straight from a sender */
        copy_elem(c, elem, s->elem);
        s->ok = true;
        fire(s);
        return true;
    }
    if (c->closed) {
        zero_elem(c, elem);
        *ok = false;
        return true;
    }
    return false;
}
/* == exercise recv (try_recv): the answer ends == */

/*
 * Park the caller on the queues of all n cases of a select at once;
 * whoever fires one of them does its work, takes the others out of
 * their queues, and wakes us.  The waiters live in the caller's frame.
 * Returns the case that fired.
 */
KEEP_FRAME static int wait_on(chan_case *cases, int n,
                              struct waiter *waiters, const char *call,
                              enum coro_status why)
{
    struct coro *self = need_coroutine(call, why == CORO_SELECTING ? NULL
                                                                : cases[0].c);
    struct select sel = {.waiters = waiters, .n = n, .fired = -1};
    int queued = 0;
    for (int i = 0; i < n; i++) {
        waiters[i] = (struct waiter){.who = self, .elem = cases[i].elem,
                                     .sel = &sel, .index = i,
                                     .sends = cases[i].op == CHAN_SEND};
        if (cases[i].c == NULL)
            continue;               /* a NULL channel: never ready */
        waiters[i].chan = cases[i].c->id;
        enqueue(cases[i].op == CHAN_SEND ? &cases[i].c->senders
                                         : &cases[i].c->receivers,
                &waiters[i]);
        queued++;
    }
    self->chan_id = why == CORO_SELECTING ? 0 : cases[0].c->id;
    self->select_cases = n;
    /* Waiting on no channel at all, nobody will ever look at sel: leave
     * it unnamed, as copy mode moves this frame away while we wait. */
    self->waiting = queued > 0 ? &sel : NULL;
    sched_park(why);
    self->waiting = NULL;
    return sel.fired;
}

/*
 * A plain send or receive that must wait: wait_on() for one case, with
 * no select around it (w.sel is NULL), so that firing it wakes us and
 * does nothing more.  A fast path: wait_on() would do, at about twice
 * the cost, and every blocking chan_send and chan_recv comes here.
 */
KEEP_FRAME static bool wait_one(chan *c, void *elem,
                                enum coro_status why, const char *call)
{
    struct coro *self = need_coroutine(call, c);
    struct waiter w = {.who = self, .elem = elem, .chan = c->id,
                       .sends = why == CORO_SENDING};
    struct select one = {.waiters = &w, .n = 1, .fired = -1};
    enqueue(w.sends ? &c->senders : &c->receivers, &w);
    self->chan_id = c->id;
    self->waiting = &one;           /* for chan_forget() */
    sched_park(why);
    self->waiting = NULL;
    return w.ok;
}

void chan_forget(struct coro *c)
{
    struct select *sel = c->waiting;
    for (int i = 0; sel != NULL && i < sel->n; i++)
        unlink_waiter(&sel->waiters[i]);
    if (sel != NULL && sel->n > FEW_CASES)
        free(sel->waiters);     /* its select will never get to */
    c->waiting = NULL;
}

void chan_describe(const struct coro *c, char *text, size_t size)
{
    const struct select *sel = c->waiting;
    int named = 0, n = sel != NULL ? sel->n : 0;
    size_t len = 0;
    text[0] = '\0';
    for (int i = 0; i < n; i++) {
        const struct waiter *w = &sel->waiters[i];
        if (w->chan == 0)
            continue;           /* a NULL channel: nothing to wait for */
        if (len + 48 > size) {  /* room for the end of the line */
            snprintf(text + len, size - len, ", ... (%d cases)", n);
            return;
        }
        len += (size_t)snprintf(text + len, size - len, "%schan %d (%s)",
                                named++ > 0 ? ", " : "", w->chan,
                                w->sends ? "send" : "receive");
    }
    if (named == 0)
        snprintf(text, size, c->select_cases == 0 ? "no cases"
                                                  : "NULL channels only");
}

/* ---- a hint for the scheduler: skip on a first reading ---------- */

/*
 * A coroutine in a pipeline sends where it sent last time: a filter of
 * the sieve sends every number it keeps down the same channel.  That
 * send reads the channel, the waiting receiver's record (on the
 * receiver's stack), and writes the receiver's struct coro and its
 * variable; in a chain of thousands of coroutines none of that is in
 * the cache any more, and each line waits for the one before.  So
 * sched.c, as it prefetches the coroutines queued to run, asks here for
 * one link of that chain too: the channel for the third in the queue,
 * the receiver's record for the second, the receiver itself for the
 * one about to run.  Each reads only what is alive now.
 *
 * The hint points at a channel that may have been freed since: then
 * chans_freed has moved on, and the hint is dropped until the next
 * send.  (Clearing every hint on the channel would mean finding them.)
 */
static void note_send(chan *c)
{
    struct coro *self = sched_current();
    if (self != NULL) {
        self->sent_on = c;
        self->sent_on_frees = chans_freed;
    }
}

void chan_prefetch_send(const struct coro *c, int ahead)
{
    const chan *ch = c->sent_on;
    if (ch == NULL || c->sent_on_frees != chans_freed)
        return;
    if (ahead == 2) {
        __builtin_prefetch(ch);
        __builtin_prefetch(&ch->receivers.last);
        return;
    }
    const struct waiter *r = ch->receivers.first;
    if (r == NULL)
        return;                 /* the send will not hand over */
    if (ahead == 1) {
        __builtin_prefetch(r);
        __builtin_prefetch(&r->next);
        return;
    }
    __builtin_prefetch(r->who);         /* sched_ready() writes its */
    __builtin_prefetch(&r->who->next);  /* status and next */
    __builtin_prefetch(r->elem);
}

/* ---- the interface ---------------------------------------------- */

chan *chan_new(size_t elem_size, size_t capacity)
{
    if (!ctx_mode.own_stacks) {     /* see chan.h */
        coro_complain("chan_new: with SWITCH=%s a stopped coroutine's "
                      "frames move to the heap, and a channel hands "
                      "elements over in them", ctx_mode.name);
        return NULL;
    }
    /* No object may be larger than PTRDIFF_MAX bytes: refuse before
     * asking (a sanitizer would stop the program on such a request). */
    if (elem_size > 0 && capacity > PTRDIFF_MAX / elem_size) {
        coro_complain("chan_new: %zu elements of %zu bytes are more than "
                      "any buffer can hold", capacity, elem_size);
        return NULL;
    }
    chan *c = calloc(1, sizeof *c);
    if (c != NULL && capacity > 0 && elem_size > 0) {   /* signals: a
                                                           count only */
        c->buf = calloc(capacity, elem_size);
        if (c->buf == NULL) {
            free(c);
            c = NULL;
        }
    }
    if (c == NULL) {
        coro_complain("chan_new: no memory for %zu elements of %zu "
                      "bytes", capacity, elem_size);
        return NULL;
    }
    c->id = ++last_chan_id;
    c->elem_size = elem_size;
    c->cap = capacity;
    return c;
}

KEEP_FRAME void chan_send(chan *c, const void *elem)
{
    need_channel("chan_send", c);
    need_elem("chan_send", c, elem);
    note_send(c);
    if (try_send(c, elem, "chan_send"))
        return;
    int id = c->id;                 /* its closer may free it */
    if (!wait_one(c, (void *)elem, CORO_SENDING, "chan_send"))
        stop("chan_send", "send on closed channel", id);
}

KEEP_FRAME bool chan_recv(chan *c, void *elem)
{
    bool ok;
    need_channel("chan_recv", c);
    if (try_recv(c, elem, &ok))
        return ok;
    return wait_one(c, elem, CORO_RECEIVING, "chan_recv");
}

void chan_close(chan *c)
{
    need_channel("chan_close", c);
    if (c->closed)
        misuse("chan_close", "close of closed channel", c);
    c->closed = true;
    while (c->receivers.first != NULL) {
        struct waiter *r = c->receivers.first;
        zero_elem(c, r->elem);
        r->ok = false;
        fire(r);
    }
    while (c->senders.first != NULL) {
        struct waiter *s = c->senders.first;
        s->ok = false;
        fire(s);
    }
}

void chan_free(chan *c)
{
    if (c == NULL)
        return;
    if (c->senders.first != NULL || c->receivers.first != NULL)
        misuse("chan_free", "coroutines are still waiting on it", c);
    free(c->buf);
    free(c);
    chans_freed++;              /* every sent_on is suspect now */
}

size_t chan_len(const chan *c)
{
    return c ? c->len : 0;
}

size_t chan_cap(const chan *c)
{
    return c ? c->cap : 0;
}

int chan_id(const chan *c)
{
    return c ? c->id : 0;
}

/* ---- select ----------------------------------------------------- */

/* A small random number generator (xorshift), seeded the same in every
 * run, so that a program's choices can be replayed. */
static unsigned next_random(void)
{
    static uint32_t x = 2463534242u;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return x;
}

static bool ready(const chan_case *k)
{
    const chan *c = k->c;
    if (c == NULL)
        return false;
    if (k->op == CHAN_SEND)
        return c->closed || c->receivers.first != NULL || c->len < c->cap;
    return c->len > 0 || c->senders.first != NULL || c->closed;
}

/* Run case k, which is ready. */
static void run_case(chan_case *k)
{
    if (k->op == CHAN_SEND)
        try_send(k->c, k->elem, "chan_select");
    else
        try_recv(k->c, k->elem, &k->ok);
}

/* Pick one of the ready cases, each as likely: -1 if none is. */
/* == exercise select (pick_ready): the answer begins == */
static int pick_ready(const chan_case *cases, int n)
{
    int seen = 0, chosen = -1;
    for (int i = 0; i < n; i++)     /* reservoir sampling: one pass */
        if (ready(&cases[i]) && next_random() % (unsigned)++seen == 0)
            chosen = i;
    return chosen;
}
/* == exercise select (pick_ready): the answer ends == */

/* Can a select run these n cases?  If not, say which rule they
 * break, and stop. */
static void check_cases(const chan_case *cases, int n)
{
    char problem[112];
    if (n < 0) {
        snprintf(problem, sizeof problem, "n is negative (%d)", n);
        misuse("chan_select", problem, NULL);
    }
    if (cases == NULL && n > 0) {
        snprintf(problem, sizeof problem, "cases is NULL (n is %d)", n);
        misuse("chan_select", problem, NULL);
    }
    for (int i = 0; i < n; i++) {
        const chan_case *k = &cases[i];
        if (k->op != CHAN_SEND && k->op != CHAN_RECV) {
            snprintf(problem, sizeof problem, "case %d's op is neither "
                     "CHAN_SEND nor CHAN_RECV", i);
            misuse("chan_select", problem, NULL);
        }
        if (k->op == CHAN_SEND && k->c != NULL && k->elem == NULL &&
            k->c->elem_size > 0) {
            snprintf(problem, sizeof problem, "case %d's elem is NULL, and "
                     "the channel's elements are %zu bytes", i,
                     k->c->elem_size);
            misuse("chan_select", problem, k->c);
        }
    }
}

/* == exercise select (chan_select): the answer begins == */
KEEP_FRAME int chan_select(chan_case *cases, int n, bool block)
{
    check_cases(cases, n);
    for (int i = 0; i < n; i++)
        if (cases[i].op == CHAN_RECV)
            cases[i].ok = false;
    int i = pick_ready(cases, n);
    if (i >= 0) {
        run_case(&cases[i]);
        return i;
    }
    if (!block)
        return -1;
    struct waiter few[FEW_CASES];
    struct waiter *waiters = n <= FEW_CASES ? few
                                            : malloc((size_t)n * sizeof *few);
    if (waiters == NULL)
        misuse("chan_select", "no memory to wait on so many cases", NULL);
    i = wait_on(cases, n, waiters, "chan_select", CORO_SELECTING);
    chan_case *k = &cases[i];
    if (k->op == CHAN_SEND && !waiters[i].ok)
        stop("chan_select", "send on closed channel", waiters[i].chan);
    k->ok = waiters[i].ok;
    if (waiters != few)
        free(waiters);
    return i;
}
/* == exercise select (chan_select): the answer ends == */
