/*
 * chan.h - Go-style channels between coroutines.
 *
 * A channel carries elements of one size from senders to receivers, in
 * order.  Unbuffered (capacity 0), a send waits until a receiver takes
 * the element, and a receive until a sender gives one: each unblocks
 * when somebody is on the other end.  Buffered, a send waits only while
 * the buffer is full, a receive only while it is empty.  Coroutines
 * waiting on a channel are served first come, first served.
 *
 * Misuse prints one line naming the call and the problem, then aborts:
 * sending on a closed channel, closing one twice, a NULL channel (except
 * in a select), a NULL element to send on a channel whose elements have
 * a size, blocking outside a coroutine, freeing a channel that
 * coroutines still wait on, a select's cases that are not cases (see
 * chan_select).
 */
#ifndef CHAN_H
#define CHAN_H

#include <stdbool.h>
#include <stddef.h>

typedef struct chan chan;

/* A channel for elements of elem_size bytes (0: a channel for signals
 * only, which keeps a count and no buffer, whatever its capacity), with
 * room for capacity of them (0: unbuffered).  NULL, with a message, when
 * there is no memory, when capacity * elem_size bytes are more than any
 * object can be (PTRDIFF_MAX), or with SWITCH=copy: a waiting
 * coroutine's record and the variable it receives into live in its
 * frames, which copy mode moves to the heap while it waits. */
chan *chan_new(size_t elem_size, size_t capacity);

/* Send a copy of *elem; wait while nobody can take it.  elem may be
 * NULL only on a channel for signals only. */
void chan_send(chan *c, const void *elem);

/* Receive into *elem (NULL: drop it); wait while there is nothing.
 * false once c is closed and drained: then *elem is zeroed. */
bool chan_recv(chan *c, void *elem);

/* No more sends: receivers drain what is buffered, then get false at
 * once.  Receivers waiting now wake with false; senders waiting now
 * wake, and abort as senders on a closed channel (naming it by its
 * number: it may have been freed by then). */
void chan_close(chan *c);

/* Free c (NULL: nothing).  Nobody may be waiting on it. */
void chan_free(chan *c);

/* Elements buffered now, and room for how many (0 for NULL). */
size_t chan_len(const chan *c);
size_t chan_cap(const chan *c);

/* Its number, as messages and drawings call it ("chan 3"). */
int chan_id(const chan *c);

enum chan_op { CHAN_SEND, CHAN_RECV };

typedef struct {
    chan        *c;     /* NULL: never ready, as a nil channel in Go */
    enum chan_op op;    /* send *elem, or receive into *elem */
    void        *elem;  /* the element (a receive may give NULL) */
    bool         ok;    /* a receive that ran: false if c was closed */
} chan_case;

/* Run one of the n cases: one that is ready, chosen at random when
 * several are, so that none starves.  If none is ready, wait for one
 * when block is true; return -1 at once when it is false.  Returns the
 * index of the case that ran.
 *
 * With no cases (n == 0; cases may then be NULL), or none but NULL
 * channels, nothing is ever ready: a blocking select waits for ever (a
 * deadlock, if nothing else can run).  n < 0, cases NULL when n > 0, an
 * op that is neither CHAN_SEND nor CHAN_RECV, or a send case with a
 * NULL elem on a channel whose elements have a size: a message, then
 * abort().  So is a lack of memory to wait on more than 16 cases. */
int chan_select(chan_case *cases, int n, bool block);

#endif
