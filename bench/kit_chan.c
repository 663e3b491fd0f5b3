/*
 * kit_chan.c - a stage's channels through coro.h and chan.h alone:
 *
 *     kit_chan pingpong       a number sent over an unbuffered channel
 *                             and back over another: ns per round trip
 *     kit_chan buffered CAP   a producer sends numbers through a channel
 *                             with room for CAP, a consumer takes them:
 *                             ns per element
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "chan.h"
#include "coro.h"
#include "harness.h"

static struct plan plan;
static chan *there, *back;      /* pingpong: out and back; buffered:
                                   there alone */
static batch_fn *batch;         /* what the driver measures */

static void pingpong_batch(long iters, void *arg)
{
    (void)arg;
    for (long i = 0; i < iters; i++) {
        chan_send(there, &i);
        chan_recv(back, NULL);
    }
}

static void echo(void *arg)
{
    (void)arg;
    same_fp_control();
    long v;
    while (chan_recv(there, &v))
        chan_send(back, &v);
}

static void produce_batch(long iters, void *arg)
{
    (void)arg;
    for (long i = 0; i < iters; i++)
        chan_send(there, &i);
}

static void consume(void *arg)
{
    (void)arg;
    same_fp_control();
    while (chan_recv(there, NULL))
        ;
}

/* The coroutine that drives the batches; it closes the channel when
 * done, so the other finishes too. */
static void driver(void *arg)
{
    (void)arg;
    same_fp_control();
    measure(&plan, batch, NULL, 1);
    chan_close(there);
}

int main(int argc, char **argv)
{
    int i = plan_parse(&plan, argc, argv);
    same_fp_control();
    if (strcmp(argv[i], "pingpong") == 0) {
        there = chan_or_skip(sizeof(long), 0);
        back = chan_or_skip(sizeof(long), 0);
        batch = pingpong_batch;
        coro_spawn(driver, NULL);
        coro_spawn(echo, NULL);
    } else if (strcmp(argv[i], "buffered") == 0) {
        long cap = number_arg(argc, argv, i + 1, "capacity");
        there = chan_or_skip(sizeof(long), (size_t)cap);
        batch = produce_batch;
        coro_spawn(driver, NULL);
        coro_spawn(consume, NULL);
    } else {
        fprintf(stderr, "kit_chan: no such measurement: %s\n", argv[i]);
        return 2;
    }
    return coro_run() == 0 ? 0 : 1;
}
