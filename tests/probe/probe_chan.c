/*
 * probe_chan.c - chan.h of stage 5: channels, close, select, fed
 * boundary and misuse inputs.  Every function runs in a fresh child
 * (see harness.c), so the first channel made is chan 1.
 */
#define _GNU_SOURCE
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "chan.h"
#include "coro.h"
#include "probe.h"

static chan *ch;
static int ran;

/* ---- chan_new ----------------------------------------------------------- */

static const size_t sizes[][2] = {
    {0, 0}, {0, SIZE_MAX}, {SIZE_MAX, 1}, {1, SIZE_MAX},
    {SIZE_MAX / 2 + 1, 2}, {(size_t)PTRDIFF_MAX + 1, 1}, {1, (size_t)1 << 40},
    {4, 1000000}, {SIZE_MAX, 0},
};

/* sizes[arg]: a channel that works, or NULL (then a line). */
static void new_sized(long arg)
{
    size_t elem = sizes[arg][0], cap = sizes[arg][1];
    chan *c = chan_new(elem, cap);
    if (c == NULL)
        refused();
    must(chan_cap(c) == cap && chan_len(c) == 0, "cap %zu, len %zu",
         chan_cap(c), chan_len(c));
    if (cap > 0 && elem <= 4) {
        int v = 7, got = 0;
        chan_send(c, elem ? &v : NULL);
        must(chan_len(c) == 1, "a send left len %zu", chan_len(c));
        must(chan_recv(c, elem ? &got : NULL), "no element came back");
        must(elem == 0 || got == 7, "7 came back as %d", got);
    }
    chan_free(c);
}

static void ids_count_up(long arg)
{
    for (long i = 1; i <= arg; i++) {
        chan *c = probe_made(chan_new(1, 1), "chan_new");
        must(chan_id(c) == i, "channel %ld is chan %d", i, chan_id(c));
        chan_free(c);
    }
}

/* ---- chan_send and chan_recv -------------------------------------------- */

static void send_null_chan(long arg)
{
    int v = 1;
    chan_send(NULL, arg ? NULL : &v);
}

static void recv_null_chan(long arg)
{
    (void)arg;
    int v;
    chan_recv(NULL, &v);
}

static void send_null_elem(long arg)
{
    chan *c = probe_made(chan_new((size_t)arg, 1), "chan_new");
    chan_send(c, NULL);
    must(chan_len(c) == 1, "the send did not count");
    chan_free(c);
}

static void send_closed(long arg)
{
    (void)arg;
    chan *c = probe_made(chan_new(sizeof(int), 1), "chan_new");
    int v = 1;
    chan_close(c);
    chan_send(c, &v);
}

static void block_outside(long arg)
{
    chan *c = probe_made(chan_new(sizeof(int), 0), "chan_new");
    int v = 1;
    if (arg)
        chan_recv(c, &v);
    else
        chan_send(c, &v);
}

static void recv_drop_and_drained(long arg)
{
    (void)arg;
    chan *c = probe_made(chan_new(sizeof(long), 2), "chan_new");
    long v = 5, got = 9;
    chan_send(c, &v);
    chan_send(c, &v);
    must(chan_recv(c, NULL) && chan_len(c) == 1, "a dropped receive");
    chan_close(c);
    must(chan_recv(c, &got) && got == 5, "the last element");
    must(!chan_recv(c, &got) && got == 0, "closed and drained gave %ld",
         got);
    must(!chan_recv(c, NULL), "closed and drained, again");
    chan_free(c);
}

static void sender(void *arg)
{
    (void)arg;
    int v = 1;
    chan_send(ch, &v);
    ran++;
}

static void receiver(void *arg)
{
    (void)arg;
    int v = 3;
    bool ok = chan_recv(ch, &v);
    must(!ok && v == 0, "a receiver woken by close got %d, %d", ok, v);
    ran++;
}

static void close_and_free(void *arg)
{
    (void)arg;
    chan_close(ch);
    chan_free(ch);
}

/* arg 0: a sender waits, 1: 100 receivers wait; then close, free. */
static void close_free_waiting(long arg)
{
    ch = probe_made(chan_new(sizeof(int), 0), "chan_new");
    for (int i = 0; i < (arg ? 100 : 1); i++)
        coro_spawn(arg ? receiver : sender, NULL);
    coro_spawn(close_and_free, NULL);
    coro_run();
    must(arg && ran == 100, "%d receivers went on", ran);
}

/* ---- chan_close, chan_free, len, cap, id -------------------------------- */

static void close_null(long arg)
{
    (void)arg;
    chan_close(NULL);
}

static void close_twice(long arg)
{
    (void)arg;
    chan *c = probe_made(chan_new(0, 0), "chan_new");
    chan_close(c);
    chan_close(c);
}

static void free_null(long arg)
{
    (void)arg;
    chan_free(NULL);
    must(chan_len(NULL) == 0 && chan_cap(NULL) == 0 && chan_id(NULL) == 0,
         "NULL's len, cap or id is not 0");
}

static void waiter_then_free(void *arg)
{
    (void)arg;
    chan_free(ch);
}

static void free_waited_on(long arg)
{
    (void)arg;
    ch = probe_made(chan_new(sizeof(int), 0), "chan_new");
    coro_spawn(sender, NULL);
    coro_spawn(waiter_then_free, NULL);
    coro_run();
}

/* ---- chan_select -------------------------------------------------------- */

static void select_empty(long arg)
{
    (void)arg;
    must(chan_select(NULL, 0, false) == -1, "no cases did not give -1");
}

static void select_nothing_blocks(void *arg)
{
    chan_case none[] = {{NULL, CHAN_RECV, NULL, false},
                        {NULL, CHAN_SEND, NULL, false}};
    chan_select(arg ? none : NULL, (int)(intptr_t)arg, true);
    must(0, "a select on nothing returned");
}

/* A blocking select on nothing (arg cases, all NULL): a deadlock. */
static void select_blocks_forever(long arg)
{
    coro_spawn(select_nothing_blocks, (void *)(intptr_t)arg);
    must(coro_run() == -1, "no deadlock");
}

static void select_outside(long arg)
{
    (void)arg;
    chan_select(NULL, 0, true);
}

static void select_null_cases(long arg)
{
    chan_select(NULL, (int)arg, false);
}

static void select_bad_n(long arg)
{
    chan *c = probe_made(chan_new(sizeof(int), 1), "chan_new");
    chan_case k[] = {{c, CHAN_RECV, NULL, false}};
    chan_select(k, (int)arg, false);
}

static void select_bad_op(long arg)
{
    chan *c = probe_made(chan_new(sizeof(int), 1), "chan_new");
    chan_case k[] = {{c, (enum chan_op)arg, NULL, false}};
    chan_select(k, 1, false);
}

static void select_send_null_elem(long arg)
{
    (void)arg;
    chan *c = probe_made(chan_new(sizeof(int), 1), "chan_new");
    chan_case k[] = {{c, CHAN_SEND, NULL, false}};
    chan_select(k, 1, false);
}

static void select_nulls_not_ready(long arg)
{
    chan_case k[] = {{NULL, CHAN_RECV, NULL, false},
                     {NULL, CHAN_SEND, NULL, false}};
    must(chan_select(k, (int)arg, false) == -1, "a NULL channel was ready");
}

static void select_many(long arg)
{
    static chan_case k[1000];
    chan *c = probe_made(chan_new(sizeof(int), 1), "chan_new");
    int v = 4, got = 0;
    for (long i = 0; i < arg; i++)
        k[i] = (chan_case){NULL, CHAN_RECV, &got, false};
    k[arg / 2] = (chan_case){c, CHAN_RECV, &got, false};
    chan_send(c, &v);
    must(chan_select(k, (int)arg, false) == arg / 2 && got == 4 &&
         k[arg / 2].ok, "the one ready case of %ld did not run", arg);
    chan_free(c);
}

static void select_waits(void *arg)
{
    long n = (long)(intptr_t)arg;
    static chan_case k[100];
    for (long i = 0; i < n; i++)
        k[i] = (chan_case){ch, CHAN_RECV, NULL, false};
    chan_select(k, (int)n, true);
    must(0, "the select returned");
}

/* A select of arg cases is caught in a deadlock: the report names its
 * channel, and its waiters are freed (leak checks look). */
static void select_deadlocked(long arg)
{
    ch = probe_made(chan_new(sizeof(int), 0), "chan_new");
    coro_spawn(select_waits, (void *)(intptr_t)arg);
    must(coro_run() == -1, "no deadlock");
    chan_free(ch);
}

static void select_send_closed(long arg)
{
    (void)arg;
    chan *c = probe_made(chan_new(sizeof(int), 0), "chan_new");
    int v = 1;
    chan_close(c);
    chan_case k[] = {{c, CHAN_SEND, &v, false}};
    chan_select(k, 1, false);
}

static void select_sender(void *arg)
{
    (void)arg;
    int v = 1;
    chan_case k[] = {{NULL, CHAN_RECV, NULL, false},
                     {ch, CHAN_SEND, &v, false}};
    chan_select(k, 2, true);
}

static void select_close_free(long arg)
{
    (void)arg;
    ch = probe_made(chan_new(sizeof(int), 0), "chan_new");
    coro_spawn(select_sender, NULL);
    coro_spawn(close_and_free, NULL);
    coro_run();
}

static int got_from_self;

static void select_same_twice(void *arg)
{
    (void)arg;
    int v = 6;
    chan_case k[] = {{ch, CHAN_SEND, &v, false},
                     {ch, CHAN_RECV, &got_from_self, false}};
    must(chan_select(k, 2, true) == 0, "the send did not run");
}

static void take_one(void *arg)
{
    (void)arg;
    int v = 0;
    must(chan_recv(ch, &v) && v == 6, "got %d", v);
    ran++;
}

/* One channel in two cases of a select, to send and to receive: it
 * must not meet itself. */
static void select_one_channel_twice(long arg)
{
    (void)arg;
    ch = probe_made(chan_new(sizeof(int), 0), "chan_new");
    coro_spawn(select_same_twice, NULL);
    coro_spawn(take_one, NULL);
    must(coro_run() == 0 && ran == 1 && got_from_self == 0,
         "the select met itself");
    chan_free(ch);
}

#define NEW_LINE "chan_new: "

const struct probe chan_probes[] = {
    {"chan_new", "(0, 0)", new_sized, CHAN(WORKS, NULL), 0, 0},
    {"chan_new", "(0, SIZE_MAX): signals need no buffer", new_sized,
     CHAN(WORKS, NULL), 14, 1},
    {"chan_new", "(SIZE_MAX, 1)", new_sized, REFUSES, NEW_LINE, 14, 2},
    {"chan_new", "(1, SIZE_MAX)", new_sized, REFUSES, NEW_LINE, 14, 3},
    {"chan_new", "(SIZE_MAX / 2 + 1, 2): the product overflows", new_sized,
     REFUSES, NEW_LINE, 0, 4},
    {"chan_new", "(PTRDIFF_MAX + 1, 1)", new_sized, REFUSES, NEW_LINE, 14,
     5},
    {"chan_new", "(1, 1 TiB)", new_sized, CHAN(EITHER, NEW_LINE), 0, 6},
    {"chan_new", "(4, 1,000,000)", new_sized, CHAN(WORKS, NULL), 0, 7},
    {"chan_new", "(SIZE_MAX, 0)", new_sized, CHAN(WORKS, NULL), 0, 8},
    {"chan_id", "1,000 channels count up", ids_count_up, CHAN(WORKS, NULL),
     0, 1000},
    {"chan_send", "c NULL", send_null_chan, ABORTS,
     "chan_send: the channel is NULL", 0, 0},
    {"chan_send", "c NULL, elem NULL", send_null_chan, ABORTS,
     "chan_send: the channel is NULL", 0, 1},
    {"chan_send", "elem NULL, 4-byte elements", send_null_elem,
     CHAN(ABORTS, "chan_send: elem is NULL"), 10, 4},
    {"chan_send", "elem NULL, signals only", send_null_elem,
     CHAN(WORKS, NULL), 0, 0},
    {"chan_send", "on a closed channel", send_closed,
     CHAN(ABORTS, "chan_send: send on closed channel (chan 1)"), 0, 0},
    {"chan_send", "blocking, outside a coroutine", block_outside,
     CHAN(ABORTS, "chan_send: would block outside a coroutine (chan 1)"),
     0, 0},
    {"chan_send", "waiting; then close and free", close_free_waiting,
     CHAN(ABORTS, "chan_send: send on closed channel (chan 1)"), 8, 0},
    {"chan_recv", "c NULL", recv_null_chan, ABORTS,
     "chan_recv: the channel is NULL", 0, 0},
    {"chan_recv", "blocking, outside a coroutine", block_outside,
     CHAN(ABORTS, "chan_recv: would block outside a coroutine (chan 1)"),
     0, 1},
    {"chan_recv", "elem NULL; closed and drained", recv_drop_and_drained,
     CHAN(WORKS, NULL), 0, 0},
    {"chan_recv", "100 waiting; then close and free", close_free_waiting,
     CHAN(WORKS, NULL), 0, 1},
    {"chan_close", "c NULL", close_null, ABORTS,
     "chan_close: the channel is NULL", 0, 0},
    {"chan_close", "twice", close_twice,
     CHAN(ABORTS, "chan_close: close of closed channel (chan 1)"), 0, 0},
    {"chan_free", "NULL, and len, cap, id of NULL", free_null, WORKS, NULL,
     0, 0},
    {"chan_free", "while a coroutine waits on it", free_waited_on,
     CHAN(ABORTS, "chan_free: coroutines are still waiting on it (chan 1)"),
     0, 0},
    {"chan_select", "no cases, not blocking", select_empty, WORKS, NULL, 0,
     0},
    {"chan_select", "no cases, blocking, in a coroutine",
     select_blocks_forever, DEADLOCKS, "blocked in chan_select", 0, 0},
    {"chan_select", "no cases, blocking, outside a coroutine",
     select_outside, ABORTS, "chan_select: would block outside a "
     "coroutine", 0, 0},
    {"chan_select", "cases NULL, n 2", select_null_cases, ABORTS,
     "chan_select: cases is NULL", 10, 2},
    {"chan_select", "n -1", select_bad_n, CHAN(ABORTS, "chan_select: n is "
     "negative"), 10, -1},
    {"chan_select", "n INT_MIN", select_bad_n, CHAN(ABORTS, "chan_select: "
     "n is negative"), 10, INT_MIN},
    {"chan_select", "op 7", select_bad_op, CHAN(ABORTS, "chan_select: case "
     "0's op"), 10, 7},
    {"chan_select", "op -1", select_bad_op, CHAN(ABORTS, "chan_select: "
     "case 0's op"), 10, -1},
    {"chan_select", "a send case, elem NULL", select_send_null_elem,
     CHAN(ABORTS, "chan_select: case 0's elem is NULL"), 10, 0},
    {"chan_select", "one NULL channel, blocking", select_blocks_forever,
     DEADLOCKS, "blocked in chan_select", 2, 1},
    {"chan_select", "two NULL channels, blocking", select_blocks_forever,
     DEADLOCKS, "blocked in chan_select", 0, 2},
    {"chan_select", "one NULL channel, not blocking",
     select_nulls_not_ready, WORKS, NULL, 0, 1},
    {"chan_select", "1,000 cases, one ready", select_many,
     CHAN(WORKS, NULL), 0, 1000},
    {"chan_select", "2 cases in a deadlock", select_deadlocked,
     CHAN(DEADLOCKS, "blocked in chan_select on chan 1 (receive), chan 1 "
     "(receive)"), 15, 2},
    {"chan_select", "20 cases in a deadlock", select_deadlocked,
     CHAN(DEADLOCKS, "blocked in chan_select on chan 1"), 11, 20},
    {"chan_select", "a send case on a closed channel", select_send_closed,
     CHAN(ABORTS, "chan_select: send on closed channel (chan 1)"), 0, 0},
    {"chan_select", "waiting to send; then close and free",
     select_close_free, CHAN(ABORTS, "chan_select: send on closed channel "
     "(chan 1)"), 8, 0},
    {"chan_select", "one channel to send and to receive",
     select_one_channel_twice, CHAN(WORKS, NULL), 0, 0},
    {NULL, NULL, NULL, WORKS, NULL, 0, 0},
};
