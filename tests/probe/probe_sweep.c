/*
 * probe_sweep.c - the programs of the allocation-failure sweep: one per
 * stage, using every part of the library that allocates, and checking
 * its own results.  A call the library refuses (-1, NULL, with its
 * line) is tolerated where the program can do without: the rest must
 * still come out right, and then the program says it was refused.
 * The probes allocate nothing themselves here: every allocation counted
 * is the library's.
 */
#define _GNU_SOURCE
#include <poll.h>
#include <stdint.h>
#include <unistd.h>

#include "coro.h"
#include "probe.h"
#if PROBE_STAGE == 5
#include "chan.h"
#endif
#ifdef HAVE_GEN
#include "fringe.h"
#include "gen.h"
#endif

#if PROBE_STAGE >= 2           /* stage 1 allocates nothing */
#define WORKERS 40              /* past 32 alive, stage 4's table grows */

static bool was_refused;        /* the library refused a call */
static long done[WORKERS];      /* what each worker did */
static int ids[WORKERS];

/* Nested calls, so that copy mode has stacks worth saving. */
__attribute__((noinline)) static long nest(int depth, long n)
{
    volatile long here = n + depth;
    if (depth > 0)
        return nest(depth - 1, n) + here;
    coro_yield();
    return here;
}

static void worker(void *arg)
{
    long n = (long)(intptr_t)arg;
    done[n] = nest(10, n) + nest(5, n);
}

static long expected(long n)
{
    long sum = 0;
    for (int d = 0; d <= 10; d++)
        sum += n + d;
    for (int d = 0; d <= 5; d++)
        sum += n + d;
    return sum;
}

/* Spawn `count` workers from index `first` on; note who was refused. */
static void spawn_workers(int first, int count, coro_fn fn)
{
    for (int i = first; i < first + count; i++) {
        ids[i] = coro_spawn(fn, (void *)(intptr_t)i);
        was_refused |= ids[i] < 0;
    }
}

static void check_workers(int count)
{
    for (int i = 0; i < count; i++)
        if (ids[i] > 0)
            must(done[i] == expected(i), "worker %d did %ld", i, done[i]);
}
#endif

#if PROBE_STAGE == 2 || PROBE_STAGE == 3
static void coroutines(long arg)
{
    (void)arg;
    spawn_workers(0, 4, worker);
    must(coro_run() == 0, "coro_run failed");
    check_workers(4);
    if (was_refused)
        refused();
}
#endif

#if defined(HAVE_GEN) && !defined(PROBE_COPY)
static void count_to(void *arg)
{
    for (long i = 1; i <= (long)(intptr_t)arg; i++)
        gen_yield(i);
}

static void consume(void *arg)
{
    long n = (long)(intptr_t)arg;
    gen *g = gen_new(count_to, (void *)4, NULL);
    if (g == NULL) {
        was_refused = true;
        return;
    }
    long v;
    while (gen_next(g, &v)) {
        done[n] += v;
        coro_yield();
    }
    gen_free(g);
}

static void generators(long arg)
{
    (void)arg;
    spawn_workers(0, 3, consume);
    must(coro_run() == 0, "coro_run failed");
    for (int i = 0; i < 3; i++)
        must(ids[i] < 0 || done[i] == 10 || was_refused, "consumer %d got "
             "%ld", i, done[i]);
    struct tree *a = tree_parse("(((1 2) 3) (4 5))");
    struct tree *b = tree_parse("(1 ((2 3) (4 5)))");
    bool same = a != NULL && b != NULL && same_fringe(a, b, NULL);
    tree_free(a);
    tree_free(b);
    if (!same)                  /* refused, or wrong: it said which */
        refused();
    if (was_refused)
        refused();
}
#endif

#if PROBE_STAGE >= 4
static int pipe_fds[2];

static void sleeper(void *arg)
{
    coro_sleep_ms(1);
    worker(arg);
}

static void fd_waiter(void *arg)
{
    must(coro_wait_fd(pipe_fds[0], POLLIN) & POLLIN, "no input");
    worker(arg);
}

static void writer(void *arg)
{
    coro_sleep_ms(2);
    must(write(pipe_fds[1], "x", 1) == 1, "no write");
    worker(arg);
}

static void joiner(void *arg)
{
    long n = (long)(intptr_t)arg;
    if (ids[n - 10] > 0)
        coro_join(ids[n - 10]);
    worker(arg);
}

/* 40 coroutines: sleepers, waiters on one pipe, its writer, joiners. */
static void scheduler(long arg)
{
    (void)arg;
    must(pipe(pipe_fds) == 0, "no pipe");
    spawn_workers(0, 10, sleeper);
    spawn_workers(10, 10, fd_waiter);
    spawn_workers(20, 1, writer);
    if (ids[20] < 0)            /* or the waiters would wait for ever */
        must(write(pipe_fds[1], "x", 1) == 1, "no write");
    spawn_workers(21, 19, joiner);
    must(coro_run() == 0, "coro_run failed");
    check_workers(WORKERS);
    if (was_refused)
        refused();
}
#endif

#if PROBE_STAGE == 5 && !defined(PROBE_COPY)
static chan *numbers, *picks;

static void produce(void *arg)
{
    (void)arg;
    for (long i = 1; i <= 10; i++)
        chan_send(numbers, &i);
    chan_close(numbers);
}

static void consume_numbers(void *arg)
{
    long n = (long)(intptr_t)arg, v;
    while (chan_recv(numbers, &v))
        done[n] += v;
}

static void select_many(void *arg)
{
    long n = (long)(intptr_t)arg, v = 0;
    chan_case k[20];
    for (int i = 0; i < 20; i++)
        k[i] = (chan_case){picks, CHAN_RECV, &v, false};
    int got = chan_select(k, 20, true);
    done[n] = got >= 0 ? v : -1;
}

static void give_pick(void *arg)
{
    (void)arg;
    long v = 42;
    chan_send(picks, &v);
}

/* A producer and two consumers on an unbuffered channel; a select of
 * 20 cases on a buffered one. */
static void channels(long arg)
{
    (void)arg;
    numbers = chan_new(sizeof(long), 0);
    picks = chan_new(sizeof(long), 2);
    if (numbers == NULL || picks == NULL)
        refused();
    spawn_workers(0, 1, produce);
    spawn_workers(1, 2, consume_numbers);
    spawn_workers(3, 1, select_many);
    spawn_workers(4, 1, give_pick);
    int result = coro_run();
    if (was_refused)            /* someone missing: maybe a deadlock */
        refused();
    must(result == 0, "coro_run failed");
    must(done[1] + done[2] == 55, "the consumers got %ld", done[1] +
         done[2]);
    must(done[3] == 42, "the select got %ld", done[3]);
    chan_free(numbers);
    chan_free(picks);
}
#endif

/* With SWITCH=copy there are no generators or channels to sweep: each
 * is refused at once (the probes of gen.h and chan.h check how). */
void sweep_probes(void)
{
#if PROBE_STAGE == 2 || PROBE_STAGE == 3
    probe_sweep("coroutines", coroutines);
#endif
#if defined(HAVE_GEN) && !defined(PROBE_COPY)
    probe_sweep("generators", generators);
#endif
#if PROBE_STAGE >= 4
    probe_sweep("scheduler", scheduler);
#endif
#if PROBE_STAGE == 5 && !defined(PROBE_COPY)
    probe_sweep("channels", channels);
#endif
}
