/*
 * scheduler_drawn.c - the scheduler's queues under the tracer's boxes
 * (stage 4, carried on into 5): who is runnable, who sleeps and for how
 * long, who waits and for what; and each coroutine's state in its box.
 */
#define _GNU_SOURCE
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "coro.h"
#include "cu.h"
#include "drawing.h"
#include "trace.h"

static void draw_the_queues(void *arg)
{
    (void)arg;
    coro_yield();                   /* let the others settle */
    trace_stacks("the queues");
}

static void sleep_for(void *arg)
{
    coro_sleep_ms((long)(intptr_t)arg);
}

static void join(void *id)
{
    coro_join(*(int *)id);
}

static void yield_three_times(void *arg)
{
    (void)arg;
    for (int i = 0; i < 3; i++)
        coro_yield();
}

static int fds[2];

static void wait_for_input(void *arg)
{
    (void)arg;
    coro_wait_fd(fds[0], POLLIN);
}

static void write_late(void *arg)
{
    (void)arg;
    coro_sleep_ms(60);
    if (write(fds[1], "x", 1) != 1)
        fprintf(stderr, "write failed\n");
}

static int sleeper, sleeper2, joiner, artist, runner, reader, writer;

static void run_them_all(void *arg)
{
    (void)arg;
    sleeper = coro_spawn(sleep_for, (void *)(intptr_t)40);
    sleeper2 = coro_spawn(sleep_for, (void *)(intptr_t)20);
    joiner = coro_spawn(join, &sleeper);
    reader = coro_spawn(wait_for_input, NULL);
    writer = coro_spawn(write_late, NULL);
    artist = coro_spawn(draw_the_queues, NULL);
    runner = coro_spawn(yield_three_times, NULL);
    coro_run();
}

/* "coro 12 for 20 ms" and such, made from fmt and up to two numbers,
 * in one of eight places that stay until the next eight calls. */
static const char *item(const char *fmt, int a, int b)
{
    static char items[8][64];
    static int next;
    char *s = items[next++ % 8];
    snprintf(s, sizeof items[0], fmt, a, b);
    return s;
}

/* A queue's line wraps at 78 columns: its items are looked for one
 * after the other, not as one line. */
static void the_drawing_shows_the_queues(void)
{
    CU_ASSERT_FATAL(pipe(fds) == 0);
    const char *d = drawn_while(run_them_all, NULL, false);
    const char *q = strstr(d, "\n   run queue:  ");
    CU_ASSERT_FATAL(q != NULL);
    CU_ASSERT(cu_line_has(q + 1, item("run queue:  coro %d\n", runner, 0)));
    CU_ASSERT_PTR_NOT_NULL(in_order(q, "\n   sleeping:   ",
                                    item("coro %d for 20 ms", sleeper2, 0),
                                    item("coro %d for 40 ms", sleeper, 0),
                                    item("coro %d for 60 ms", writer, 0),
                                    "\n   blocked:    ",
                                    item("coro %d in coro_join(%d)",
                                         joiner, sleeper),
                                    item("coro %d in coro_wait_fd(fd %d)",
                                         reader, fds[0]), NULL));
    CU_ASSERT(strstr(d, item("coro %d, running", artist, 0)) < q);
    CU_ASSERT(strstr(d, item("coro %d, sleeping in coro_sleep_ms",
                             sleeper, 0)) < q);
    close(fds[0]);
    close(fds[1]);
}

static const struct cu_test tests[] = {
    {"the drawing shows the queues", the_drawing_shows_the_queues, NULL},
    CU_TESTS_END,
};

void scheduler_drawn_suites(void)
{
    cu_suite("the tracer: the scheduler's queues", tests, NULL);
}
