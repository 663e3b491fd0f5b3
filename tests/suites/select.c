/*
 * select.c - stage 5's chan_select: the ready case runs, none ready is
 * -1 or a wait, NULL and closed channels, no case starves, a select
 * that fired leaves the other queues, and one that waits to send.
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

/* ---- select ----------------------------------------------------- */

static void select_takes_the_ready_case(void)
{
    chan *empty = chan_new(sizeof(int), 1), *full = chan_new(sizeof(int), 1);
    int v = 7, got = 0;
    chan_send(full, &v);
    chan_case cases[] = {{empty, CHAN_RECV, &got, false},
                         {full, CHAN_RECV, &got, false},
                         {full, CHAN_SEND, &v, false}};  /* full: not ready */
    CU_ASSERT_EQUAL(chan_select(cases, 3, false), 1);
    CU_ASSERT_EQUAL(got, 7);
    CU_ASSERT(cases[1].ok);
    chan_free(empty);
    chan_free(full);
}

static void without_block_nothing_ready_is_minus_one(void)
{
    chan *a = chan_new(sizeof(int), 0);
    int v = 1;
    chan_case cases[] = {{a, CHAN_RECV, &v, false}, {a, CHAN_SEND, &v, false},
                         {NULL, CHAN_RECV, &v, false}};
    CU_ASSERT_EQUAL(chan_select(cases, 3, false), -1);
    CU_ASSERT_EQUAL(chan_select(NULL, 0, false), -1);
    chan_free(a);
}

static void a_null_channel_is_never_ready(void)
{
    chan *a = chan_new(sizeof(int), 1);
    int v = 3;
    chan_case cases[] = {{NULL, CHAN_SEND, &v, false},
                         {a, CHAN_SEND, &v, false},
                         {NULL, CHAN_RECV, &v, false}};
    for (int i = 0; i < 20; i++) {
        CU_ASSERT_EQUAL(chan_select(cases, 3, false), 1);
        CU_ASSERT(chan_recv(a, &v));
    }
    chan_free(a);
}

static void a_closed_channel_is_ready_with_ok_false(void)
{
    chan *a = chan_new(sizeof(int), 0);
    int v = 9;
    chan_close(a);
    chan_case cases[] = {{a, CHAN_RECV, &v, true}};
    CU_ASSERT_EQUAL(chan_select(cases, 1, false), 0);
    CU_ASSERT(!cases[0].ok);
    CU_ASSERT_EQUAL(v, 0);
    chan_free(a);
}

/* Not a timing: over many selects with two cases always ready, each is
 * chosen about half the time, so neither starves. */
static void ready_cases_are_chosen_fairly(void)
{
    chan *a = chan_new(sizeof(int), 1), *b = chan_new(sizeof(int), 1);
    int v = 0, chosen[2] = {0, 0};
    chan_case cases[] = {{a, CHAN_RECV, &v, false}, {b, CHAN_RECV, &v, false}};
    for (int i = 0; i < 10000; i++) {
        chan_send(a, &i);
        chan_send(b, &i);
        int k = chan_select(cases, 2, false);
        chosen[k]++;
        chan_recv(k == 0 ? b : a, &v);
    }
    CU_ASSERT(chosen[0] > 4500 && chosen[1] > 4500);
    chan_free(a);
    chan_free(b);
}

static chan *ca, *cb;
static int select_result, select_value;

static void select_both(void *arg)
{
    (void)arg;
    chan_case cases[] = {{ca, CHAN_RECV, &select_value, false},
                         {cb, CHAN_RECV, &select_value, false}};
    select_result = chan_select(cases, 2, true);
}

static int try_b_result;

static void send_a_then_try_b(void *arg)
{
    (void)arg;
    int v = 11;
    chan_send(ca, &v);              /* wakes the select */
    chan_case to_b = {cb, CHAN_SEND, &v, false};
    try_b_result = chan_select(&to_b, 1, false);   /* nobody on cb now */
}

static void a_fired_select_leaves_the_other_queues(void)
{
    ca = chan_new(sizeof(int), 0);
    cb = chan_new(sizeof(int), 0);
    select_result = -2;
    coro_spawn(select_both, NULL);
    coro_spawn(send_a_then_try_b, NULL);
    CU_ASSERT_EQUAL(coro_run(), 0);
    CU_ASSERT_EQUAL(select_result, 0);
    CU_ASSERT_EQUAL(select_value, 11);
    CU_ASSERT_EQUAL(try_b_result, -1);  /* the select no longer waits */
    chan_free(ca);
    chan_free(cb);
}

static void select_send(void *arg)
{
    (void)arg;
    int v = 21;
    chan_case cases[] = {{ca, CHAN_SEND, &v, false},
                         {cb, CHAN_RECV, &select_value, false}};
    select_result = chan_select(cases, 2, true);
}

static void take_from_a(void *arg)
{
    (void)arg;
    coro_yield();
    chan_recv(ca, &select_value);
}

static void a_select_can_wait_to_send(void)
{
    ca = chan_new(sizeof(int), 0);
    cb = chan_new(sizeof(int), 0);
    select_result = -2;
    select_value = 0;
    coro_spawn(select_send, NULL);
    coro_spawn(take_from_a, NULL);
    coro_run();
    CU_ASSERT_EQUAL(select_result, 0);
    CU_ASSERT_EQUAL(select_value, 21);
    chan_free(ca);
    chan_free(cb);
}

static const struct cu_test select_tests[] = {
    {"select takes the ready case", select_takes_the_ready_case, NULL},
    {"without block, nothing ready is -1",
     without_block_nothing_ready_is_minus_one, NULL},
    {"a NULL channel is never ready", a_null_channel_is_never_ready, NULL},
    {"a closed channel is ready, with ok false",
     a_closed_channel_is_ready_with_ok_false, NULL},
    {"ready cases are chosen fairly", ready_cases_are_chosen_fairly, NULL},
    {"a fired select leaves the other queues",
     a_fired_select_leaves_the_other_queues, NULL},
    {"a select can wait to send", a_select_can_wait_to_send, NULL},
    CU_TESTS_END,
};

void select_suites(void)
{
    cu_suite("channels: select", select_tests, needs_channels);
}
