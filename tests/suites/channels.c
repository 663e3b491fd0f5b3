/*
 * channels.c - stage 5's channels: unbuffered and buffered, close,
 * first-come-first-served wake-ups, deadlock and misuse, and the waiters
 * drawn.  select is in select.c; whole programs over channels in
 * chan_programs.c.  A waiting coroutine's record and the variable it
 * receives into live in its frames, which copy mode moves to the heap:
 * with SWITCH=copy chan_new() refuses, and that is what is tested there.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chan.h"
#include "coro.h"
#include "cu.h"
#include "drawing.h"
#include "journal.h"
#include "kit.h"
#include "trace.h"

static chan *ch;        /* the channel most tests share */

/* ---- unbuffered ------------------------------------------------- */

static void send_three(void *arg)
{
    (void)arg;
    for (int i = 1; i <= 3; i++) {
        note("send%d ", i);
        chan_send(ch, &i);
        note("sent%d ", i);
    }
}

static void recv_three(void *arg)
{
    (void)arg;
    for (int i = 1; i <= 3; i++) {
        int v = 0;
        CU_ASSERT(chan_recv(ch, &v));
        note("got%d ", v);
    }
}

static void unbuffered_is_a_rendezvous(void)
{
    journal_clear();
    ch = chan_new(sizeof(int), 0);
    coro_spawn(send_three, NULL);
    coro_spawn(recv_three, NULL);
    CU_ASSERT_EQUAL(coro_run(), 0);
    /* a send returns only once a receiver has the value */
    CU_ASSERT_STRING_EQUAL(journal, "send1 got1 sent1 send2 sent2 send3 "
                                    "got2 got3 sent3 ");
    CU_ASSERT_EQUAL(chan_len(ch), 0);
    CU_ASSERT_EQUAL(chan_cap(ch), 0);
    chan_free(ch);
}

struct point {
    double x, y;
    char   name[24];
};

static void send_points(void *arg)
{
    (void)arg;
    struct point p = {1.5, -2.25, "first"};
    chan_send(ch, &p);
    p = (struct point){3, 4, "second"};
    chan_send(ch, &p);
}

static void recv_into(void *arg)
{
    struct point *got = arg;
    CU_ASSERT(chan_recv(ch, &got[0]));
    CU_ASSERT(chan_recv(ch, &got[1]));
}

static void any_element_size_travels(void)
{
    struct point got[2];
    ch = chan_new(sizeof(struct point), 0);
    coro_spawn(send_points, NULL);
    coro_spawn(recv_into, got);
    coro_run();
    CU_ASSERT_DOUBLE_EQUAL(got[0].y, -2.25, 0);
    CU_ASSERT_STRING_EQUAL(got[0].name, "first");
    CU_ASSERT_DOUBLE_EQUAL(got[1].x, 3, 0);
    CU_ASSERT_STRING_EQUAL(got[1].name, "second");
    chan_free(ch);
}

static const struct cu_test unbuffered_tests[] = {
    {"unbuffered is a rendezvous", unbuffered_is_a_rendezvous, NULL},
    {"any element size travels", any_element_size_travels, NULL},
    CU_TESTS_END,
};

/* ---- buffered --------------------------------------------------- */

static void fill_then_one_more(void *arg)
{
    (void)arg;
    for (int i = 1; i <= 3; i++) {
        chan_send(ch, &i);
        note("sent%d(len %zu) ", i, chan_len(ch));
    }
}

static void take_all(void *arg)
{
    (void)arg;
    note("taker ");
    for (int i = 1; i <= 3; i++) {
        int v;
        chan_recv(ch, &v);
        note("got%d ", v);
    }
}

static void buffered_blocks_only_when_full(void)
{
    journal_clear();
    ch = chan_new(sizeof(int), 2);
    CU_ASSERT_EQUAL(chan_cap(ch), 2);
    coro_spawn(fill_then_one_more, NULL);
    coro_spawn(take_all, NULL);
    coro_run();
    /* two go in at once; the third waits until the taker makes room */
    CU_ASSERT_STRING_EQUAL(journal, "sent1(len 1) sent2(len 2) taker got1 "
                                    "got2 got3 sent3(len 0) ");
    chan_free(ch);
}

static void a_buffer_works_outside_coroutines(void)
{
    ch = chan_new(sizeof(int), 3);
    for (int i = 10; i < 13; i++)
        chan_send(ch, &i);
    CU_ASSERT_EQUAL(chan_len(ch), 3);
    int v;
    for (int i = 10; i < 13; i++) {
        CU_ASSERT(chan_recv(ch, &v));
        CU_ASSERT_EQUAL(v, i);
    }
    CU_ASSERT_EQUAL(chan_len(ch), 0);
    chan_free(ch);
}

static void signals_carry_nothing(void)
{
    ch = chan_new(0, 1);
    chan_send(ch, NULL);
    CU_ASSERT_EQUAL(chan_len(ch), 1);
    CU_ASSERT(chan_recv(ch, NULL));
    chan_close(ch);
    CU_ASSERT(!chan_recv(ch, NULL));
    chan_free(ch);
}

static const struct cu_test buffered_tests[] = {
    {"buffered blocks only when full", buffered_blocks_only_when_full, NULL},
    {"a buffer works outside coroutines", a_buffer_works_outside_coroutines,
     NULL},
    {"signals carry nothing", signals_carry_nothing, NULL},
    CU_TESTS_END,
};

/* ---- close ------------------------------------------------------ */

static void close_drains_then_says_false(void)
{
    ch = chan_new(sizeof(int), 4);
    for (int i = 1; i <= 2; i++)
        chan_send(ch, &i);
    chan_close(ch);
    int v = -1;
    CU_ASSERT(chan_recv(ch, &v) && v == 1);
    CU_ASSERT(chan_recv(ch, &v) && v == 2);
    CU_ASSERT(!chan_recv(ch, &v));
    CU_ASSERT_EQUAL(v, 0);          /* zeroed */
    CU_ASSERT(!chan_recv(ch, &v));  /* and again, at once */
    chan_free(ch);
}

static int false_receipts;

static void wait_for_anything(void *arg)
{
    (void)arg;
    int v = 99;
    if (!chan_recv(ch, &v) && v == 0)
        false_receipts++;
}

static void closer_after_them(void *arg)
{
    (void)arg;
    note("closing ");
    chan_close(ch);
}

static void close_wakes_every_receiver(void)
{
    journal_clear();
    false_receipts = 0;
    ch = chan_new(sizeof(int), 0);
    for (int i = 0; i < 3; i++)
        coro_spawn(wait_for_anything, NULL);
    coro_spawn(closer_after_them, NULL);
    CU_ASSERT_EQUAL(coro_run(), 0);
    CU_ASSERT_EQUAL(false_receipts, 3);
    chan_free(ch);
}

static void send_after_close(void *arg)
{
    (void)arg;
    chan *c = chan_new(sizeof(int), 1);
    chan_close(c);
    int v = 1;
    chan_send(c, &v);
}

static void close_twice(void *arg)
{
    (void)arg;
    chan *c = chan_new(sizeof(int), 0);
    chan_close(c);
    chan_close(c);
}

static void blocked_sender(void *arg)
{
    (void)arg;
    int v = 5;
    chan_send(ch, &v);
}

static void sender_then_close(void *arg)
{
    (void)arg;
    ch = chan_new(sizeof(int), 0);
    coro_spawn(blocked_sender, NULL);
    coro_spawn(closer_after_them, NULL);
    coro_run();
}

static void misuse_of_close_aborts(void)
{
    static const struct {
        void (*fn)(void *);
        const char *message;
    } cases[] = {
        {send_after_close, "chan_send: send on closed channel (chan "},
        {close_twice, "chan_close: close of closed channel (chan "},
        {sender_then_close, "chan_send: send on closed channel (chan "},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        CU_ASSERT(cu_aborts_with(cases[i].fn, NULL, cases[i].message));
}

static const struct cu_test close_tests[] = {
    {"close drains, then says false", close_drains_then_says_false, NULL},
    {"close wakes every receiver", close_wakes_every_receiver, NULL},
    {"misuse of close aborts", misuse_of_close_aborts, NULL},
    CU_TESTS_END,
};

/* ---- first come, first served ----------------------------------- */

static void receiver_named(void *arg)
{
    int v;
    chan_recv(ch, &v);
    note("%s:%d ", (const char *)arg, v);
}

static void send_one_two_three(void *arg)
{
    (void)arg;
    for (int i = 1; i <= 3; i++)
        chan_send(ch, &i);
}

static void receivers_are_served_in_order(void)
{
    journal_clear();
    ch = chan_new(sizeof(int), 0);
    coro_spawn(receiver_named, "r1");
    coro_spawn(receiver_named, "r2");
    coro_spawn(receiver_named, "r3");
    coro_spawn(send_one_two_three, NULL);
    coro_run();
    CU_ASSERT_STRING_EQUAL(journal, "r1:1 r2:2 r3:3 ");
    chan_free(ch);
}

static void sender_of(void *arg)
{
    int v = (int)(intptr_t)arg;
    chan_send(ch, &v);
}

static void receive_all(void *arg)
{
    (void)arg;
    int v;
    for (int i = 0; i < 3; i++) {
        chan_recv(ch, &v);
        note("%d ", v);
    }
}

static void senders_are_served_in_order(void)
{
    journal_clear();
    ch = chan_new(sizeof(int), 1);
    for (intptr_t i = 1; i <= 3; i++)
        coro_spawn(sender_of, (void *)i);
    coro_spawn(receive_all, NULL);
    coro_run();
    CU_ASSERT_STRING_EQUAL(journal, "1 2 3 ");
    chan_free(ch);
}

static const struct cu_test fifo_tests[] = {
    {"receivers are served in order", receivers_are_served_in_order, NULL},
    {"senders are served in order", senders_are_served_in_order, NULL},
    CU_TESTS_END,
};

/* ---- deadlock and misuse ---------------------------------------- */

static int stuck_id, stuck_result;

static void recv_forever(void *arg)
{
    (void)arg;
    int v;
    chan_recv(ch, &v);
}

static void run_stuck(void *arg)
{
    (void)arg;
    stuck_id = coro_spawn(recv_forever, NULL);
    stuck_result = coro_run();
}

static void a_channel_deadlock_is_reported(void)
{
    char err[512], line[96];
    ch = chan_new(sizeof(int), 0);
    cu_catch_stderr(run_stuck, NULL, err, sizeof err);
    CU_ASSERT_EQUAL(stuck_result, -1);
    snprintf(line, sizeof line, "coro %d: blocked in chan_recv on chan %d",
             stuck_id, chan_id(ch));
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "coro_run: deadlock: 1 coroutine is "
                                       "blocked, and nothing can wake it:"));
    CU_ASSERT_PTR_NOT_NULL(strstr(err, line));
    chan_free(ch);                  /* its waiter was discarded */
}

static void recv_null(void *arg) { (void)arg; chan_recv(NULL, NULL); }
static void send_null(void *arg) { (void)arg; chan_send(NULL, NULL); }
static void close_null(void *arg) { (void)arg; chan_close(NULL); }

static void recv_in_main(void *arg)
{
    (void)arg;
    int v;
    chan_recv(chan_new(sizeof(int), 0), &v);
}

static void closer_free(void *arg)
{
    (void)arg;
    chan_free(ch);
}

static void free_while_waited_on(void *arg)
{
    (void)arg;
    ch = chan_new(sizeof(int), 0);
    coro_spawn(recv_forever, NULL);
    coro_spawn(closer_free, NULL);
    coro_run();
}

static void channel_misuse_aborts(void)
{
    static const struct {
        void (*fn)(void *);
        const char *message;
    } cases[] = {
        {recv_null, "chan_recv: the channel is NULL"},
        {send_null, "chan_send: the channel is NULL"},
        {close_null, "chan_close: the channel is NULL"},
        {recv_in_main, "chan_recv: would block outside a coroutine (chan "},
        {free_while_waited_on, "chan_free: coroutines are still waiting on "
                               "it (chan "},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        CU_ASSERT(cu_aborts_with(cases[i].fn, NULL, cases[i].message));
}

static const struct cu_test misuse_tests[] = {
    {"a channel deadlock is reported", a_channel_deadlock_is_reported, NULL},
    {"channel misuse aborts", channel_misuse_aborts, NULL},
    CU_TESTS_END,
};

/* ---- the drawing ------------------------------------------------ */

static void draw_channel_waiters(void *arg)
{
    (void)arg;
    trace_stacks("who waits on which channel");
}

static chan *ch2;

static void blocked_sender_two(void *arg)
{
    (void)arg;
    int v = 4;
    chan_send(ch2, &v);
}

static void take_from_two(void *arg)
{
    (void)arg;
    int v;
    chan_recv(ch2, &v);
}

static chan *nobody;             /* nobody ever sends on it */

static void select_on_two(void *arg)
{
    (void)arg;
    int v;
    chan_case cases[] = {{ch, CHAN_RECV, &v, false},
                         {nobody, CHAN_RECV, &v, false}};
    chan_select(cases, 2, true);    /* until ch closes */
}

static int waiter_ids[3];

static void run_the_waiters(void *arg)
{
    (void)arg;
    waiter_ids[0] = coro_spawn(recv_forever, NULL);
    waiter_ids[1] = coro_spawn(blocked_sender_two, NULL);
    waiter_ids[2] = coro_spawn(select_on_two, NULL);
    coro_spawn(draw_channel_waiters, NULL);
    coro_spawn(closer_after_them, NULL);    /* frees the receivers */
    coro_spawn(take_from_two, NULL);        /* and the sender */
    coro_run();
}

static void the_drawing_names_the_channels(void)
{
    char line[128];
    ch = chan_new(sizeof(int), 0);
    ch2 = chan_new(sizeof(int), 0);
    nobody = chan_new(sizeof(int), 0);
    const char *d = drawn_while(run_the_waiters, NULL, false);
    snprintf(line, sizeof line, "coro %d in chan_recv(chan %d)",
             waiter_ids[0], chan_id(ch));
    CU_ASSERT_PTR_NOT_NULL(strstr(d, line));
    snprintf(line, sizeof line, "coro %d in chan_send(chan %d)",
             waiter_ids[1], chan_id(ch2));
    CU_ASSERT_PTR_NOT_NULL(strstr(d, line));
    snprintf(line, sizeof line, "coro %d in chan_select(2 cases)",
             waiter_ids[2]);
    CU_ASSERT_PTR_NOT_NULL(strstr(d, line));
    snprintf(line, sizeof line, "coro %d, blocked in chan_recv",
             waiter_ids[0]);
    CU_ASSERT_PTR_NOT_NULL(strstr(d, line));
    chan_free(ch);
    chan_free(ch2);
    chan_free(nobody);
}

static const struct cu_test trace_tests[] = {
    {"the drawing names the channels", the_drawing_names_the_channels, NULL},
    CU_TESTS_END,
};

/* ---- with SWITCH=copy -------------------------------------------- */

static void make_one(void *result)
{
    *(chan **)result = chan_new(sizeof(int), 1);
}

static void chan_new_refuses_copy_mode(void)
{
    char err[256];
    chan *c = (chan *)1;
    cu_catch_stderr(make_one, &c, err, sizeof err);
    CU_ASSERT_PTR_NULL(c);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "chan_new: with SWITCH=copy a "
                                       "stopped coroutine's frames move to "
                                       "the heap, and a channel hands "
                                       "elements over in them"));
}

static const struct cu_test copy_tests[] = {
    {"chan_new refuses copy mode", chan_new_refuses_copy_mode, NULL},
    CU_TESTS_END,
};

void channels_suites(void)
{
    cu_suite("channels: unbuffered", unbuffered_tests, needs_channels);
    cu_suite("channels: buffered", buffered_tests, needs_channels);
    cu_suite("channels: close", close_tests, needs_channels);
    cu_suite("channels: first come, first served", fifo_tests,
             needs_channels);
    cu_suite("channels: deadlock and misuse", misuse_tests, needs_channels);
    cu_suite("the tracer: channels", trace_tests, needs_channels);
    cu_suite("channels: copy mode refused", copy_tests, needs_copy);
}
