/*
 * probe_sched.c - coro.h of stages 4 and 5, with a scheduler and no
 * CORO_MAX: spawn, yield, self, join, sleep, waiting on descriptors,
 * run and the stack size, fed the boundary and misuse inputs that are
 * theirs alone.  The inputs every stage is fed are in probe_common.c.
 * Every function runs in a fresh child (see harness.c).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "coro.h"
#include "probe.h"
#include "probe_common.h"

/* ---- coro_spawn --------------------------------------------------------- */

static void spawn_many(long arg)
{
    arg = probe_scaled(arg);
    spawn_in_order(arg);
    must(coro_run() == 0 && ran == arg, "%d of %ld ran", ran, arg);
}

static void spawn_inside(long arg)
{
    coro_spawn(spawner, (void *)(intptr_t)arg);
    must(coro_run() == 0 && ran == arg, "%d of %ld ran", ran, arg);
}

/* ---- coro_yield ---------------------------------------------------------- */

static char order[64];

static void note_turns(void *arg)
{
    for (int i = 0; i < 3; i++) {
        size_t len = strlen(order);
        order[len] = *(const char *)arg;
        coro_yield();
    }
}

static void yield_in_order(long arg)
{
    (void)arg;
    coro_spawn(note_turns, "a");
    coro_spawn(note_turns, "b");
    coro_spawn(note_turns, "c");
    must(coro_run() == 0, "coro_run failed");
    must(strcmp(order, "abcabcabc") == 0, "turns went %s", order);
}

/* ---- coro_join ---------------------------------------------------------- */

static void join_outside(long arg)
{
    (void)arg;
    coro_join(1);
}

static long join_target;
static int joined;

static void join_it(void *arg)
{
    (void)arg;
    coro_join((int)join_target);
    joined++;
}

/* Join arg, which is no coroutine: a line, and it returns. */
static void join_nobody(long arg)
{
    join_target = arg;
    coro_spawn(join_it, NULL);
    must(coro_run() == 0 && joined == 1, "the joiner did not go on");
}

static void join_next(long arg)
{
    (void)arg;
    int id = coro_spawn(join_it, NULL);
    join_target = id + 1;       /* not spawned yet */
    must(coro_run() == 0 && joined == 1, "the joiner did not go on");
}

static void join_self_now(void *arg)
{
    (void)arg;
    coro_join(coro_self());
}

static void join_self(long arg)
{
    (void)arg;
    coro_spawn(join_self_now, NULL);
    coro_run();
}

static void join_finished(long arg)
{
    (void)arg;
    join_target = coro_spawn(count_run, NULL);
    coro_run();
    coro_spawn(join_it, NULL);
    must(coro_run() == 0 && joined == 1, "joining a finished one");
}

static void sleep_a_little(void *arg)
{
    coro_sleep_ms((long)(intptr_t)arg);
    ran++;
}

static void many_joiners(long arg)
{
    arg = probe_scaled(arg);
    join_target = coro_spawn(sleep_a_little, (void *)5);
    for (long i = 0; i < arg; i++)
        coro_spawn(join_it, NULL);
    must(coro_run() == 0 && joined == arg && ran == 1, "%d of %ld joiners "
         "went on", joined, arg);
}

static int cycle[2];

static void join_the_other(void *arg)
{
    int me = (int)(intptr_t)arg;
    coro_yield();
    coro_join(cycle[1 - me]);
}

static void join_cycle(long arg)
{
    (void)arg;
    cycle[0] = coro_spawn(join_the_other, (void *)0);
    cycle[1] = coro_spawn(join_the_other, (void *)1);
    must(coro_run() == -1, "a join cycle did not deadlock");
    coro_spawn(count_run, NULL);
    must(coro_run() == 0 && ran == 1, "coro_run after a deadlock");
}

/* ---- coro_sleep_ms ------------------------------------------------------ */

static void sleep_outside(long arg)
{
    (void)arg;
    coro_sleep_ms(1);
}

static double slept_for;

static void sleep_measured(void *arg)
{
    long ms = (long)(intptr_t)arg;
    double start = probe_now_ms();
    coro_sleep_ms(ms);
    slept_for = probe_now_ms() - start;
    ran++;
}

/* A sleep of arg ms (negative: a line, and at once). */
static void sleep_for(long arg)
{
    coro_spawn(sleep_measured, (void *)(intptr_t)arg);
    must(coro_run() == 0 && ran == 1, "the sleeper did not finish");
    if (arg > 0)
        must(slept_for >= arg, "a sleep of %ld ms ended after %.3f ms",
             arg, slept_for);
}

static void look_after_a_nap(void *arg)
{
    (void)arg;
    coro_sleep_ms(30);
    must(ran == 0, "a sleep of ages ended within 30 ms");
    exit(0);        /* the sleepers sleep on: nothing more to see */
}

static void sleep_ages(long arg)
{
    coro_spawn(sleep_measured, (void *)(intptr_t)arg);
    coro_spawn(look_after_a_nap, NULL);
    coro_run();
    must(0, "coro_run returned with a sleeper of ages");
}

static int early;

static void sleep_often(void *arg)
{
    (void)arg;
    for (int i = 0; i < 40; i++) {
        long ms = 1 + i % 3;
        double start = probe_now_ms();
        coro_sleep_ms(ms);
        early += probe_now_ms() - start < ms;
        ran++;
    }
}

static void keep_busy(void *arg)
{
    (void)arg;
    while (ran < 80)
        coro_yield();
}

/* Sleeps while another keeps the run loop busy, looking at the clock
 * all the time: none may end early. */
static void sleep_while_busy(long arg)
{
    (void)arg;
    coro_spawn(sleep_often, NULL);
    coro_spawn(sleep_often, NULL);
    coro_spawn(keep_busy, NULL);
    must(coro_run() == 0, "coro_run failed");
    must(early == 0, "%d of 80 sleeps ended early", early);
}

static void sleep_and_check(void *arg)
{
    long ms = (long)(intptr_t)arg;
    double start = probe_now_ms();
    coro_sleep_ms(ms);
    early += probe_now_ms() - start < ms;
    ran++;
}

static void many_sleepers(long arg)
{
    arg = probe_scaled(arg);
    for (long i = 0; i < arg; i++)
        coro_spawn(sleep_and_check, (void *)(intptr_t)((i * 7919) % 20));
    must(coro_run() == 0 && ran == arg, "%d of %ld woke", ran, arg);
    must(early == 0, "%d of %ld sleeps ended early", early, arg);
}

/* ---- coro_wait_fd ------------------------------------------------------- */

static void wait_fd_outside(long arg)
{
    (void)arg;
    coro_wait_fd(0, POLLIN);
}

static long wait_fd, wait_events;
static int wait_result;

static void wait_once(void *arg)
{
    (void)arg;
    wait_result = coro_wait_fd((int)wait_fd, (short)wait_events);
    ran++;
}

/* Wait on descriptor arg for POLLIN: it is no descriptor. */
static void wait_on_nothing(long arg)
{
    wait_fd = arg;
    wait_events = POLLIN;
    coro_spawn(wait_once, NULL);
    must(coro_run() == 0 && ran == 1, "the waiter did not finish");
    if (arg >= 0)
        must(wait_result == POLLNVAL, "waiting on fd %ld gave %#x", arg,
             (unsigned)wait_result);
    else
        must(wait_result == -1, "waiting on fd %ld gave %d", arg,
             wait_result);
}

static void wait_no_events(long arg)
{
    (void)arg;
    int fds[2];
    must(pipe(fds) == 0, "no pipe");
    wait_fd = fds[0];
    wait_events = 0;
    coro_spawn(wait_once, NULL);
    must(coro_run() == 0 && wait_result == -1, "no events gave %d",
         wait_result);
}

static void wait_all_events(long arg)
{
    (void)arg;
    int fds[2];
    must(pipe(fds) == 0 && write(fds[1], "x", 1) == 1, "no pipe");
    wait_fd = fds[0];
    wait_events = -1;           /* every bit */
    coro_spawn(wait_once, NULL);
    must(coro_run() == 0, "coro_run failed");
    must(wait_result > 0 && (wait_result & POLLIN), "gave %#x",
         (unsigned)wait_result);
}

static int pipe_fds[2];

static void close_it(void *arg)
{
    (void)arg;
    coro_sleep_ms(5);
    close(pipe_fds[1]);
}

/* The other end goes away while it waits: a hangup. */
static void wait_then_hangup(long arg)
{
    (void)arg;
    must(pipe(pipe_fds) == 0, "no pipe");
    wait_fd = pipe_fds[0];
    wait_events = POLLIN;
    coro_spawn(wait_once, NULL);
    coro_spawn(close_it, NULL);
    must(coro_run() == 0, "coro_run failed");
    must(wait_result & POLLHUP, "a hangup gave %#x", (unsigned)wait_result);
}

static void close_mine(void *arg)
{
    (void)arg;
    coro_sleep_ms(5);
    close(pipe_fds[0]);
}

/* Its own descriptor is closed while it waits. */
static void wait_then_closed(long arg)
{
    (void)arg;
    must(pipe(pipe_fds) == 0, "no pipe");
    wait_fd = pipe_fds[0];
    wait_events = POLLIN;
    coro_spawn(wait_once, NULL);
    coro_spawn(close_mine, NULL);
    must(coro_run() == 0, "coro_run failed");
    must(wait_result & POLLNVAL, "a closed fd gave %#x",
         (unsigned)wait_result);
}

/* ---- the stacks --------------------------------------------------------- */

static void dig_some(void *arg)
{
    probe_dig((int)(intptr_t)arg);
    ran = 1;
}

/* A stack of arg bytes, then a coroutine that uses 8 KiB of it. */
static void stack_size_then_use(long arg)
{
    coro_stack_size((size_t)arg);
    if (coro_spawn(dig_some, (void *)8) < 0)
        refused();
    must(coro_run() == 0 && ran, "the coroutine did not run");
}

#ifndef PROBE_COPY  /* copy mode: one shared stack, carved from main's */
static void big_frame_in_stack(long arg)
{
    coro_stack_size((size_t)arg);
    probe_duel((size_t)arg, 100);
}

/* Where the kernel makes no guard regions (before Linux 6.13, and as
 * wrap_no_guard_regions() plays it), stage 4 gives stacks mappings of
 * their own, with guard pages, while a quarter of vm.max_map_count lasts
 * (4096 under valgrind), then canary stacks carved from slabs. */
static long guard_budget(void)
{
    long limit = 65530;
    FILE *f = fopen("/proc/sys/vm/max_map_count", "r");
    if (f != NULL) {
        if (fscanf(f, "%ld", &limit) != 1)
            limit = 65530;
        fclose(f);
    }
    bool valgrind = getenv("PROBE_TOOL") != NULL &&
                    strcmp(getenv("PROBE_TOOL"), "valgrind") == 0;
    return valgrind && limit / 4 > 4096 ? 4096 : limit / 4;
}

static void overflow_canary(long arg)
{
    (void)arg;
    wrap_no_guard_regions();
    coro_stack_size(16 * 1024);
    for (long i = 0; i < guard_budget() + 256; i++)
        coro_spawn(probe_nothing, NULL);
    probe_culprit("coro %d", coro_spawn(overflow_it, NULL));
    coro_run();
}
#endif

#define EITHER_LINE "coro_spawn: |coro_stack_size: |coro_run: "

const struct probe sched_probes[] = {
    {"coro_spawn", "10,000 alive at once", spawn_many, WORKS, NULL, 0,
     10000},
    {"coro_spawn", "1,000 from a coroutine", spawn_inside, WORKS, NULL, 0,
     1000},
    {"coro_yield", "three coroutines take turns", yield_in_order, WORKS,
     NULL, 0, 0},
    {"coro_self", "outside and inside", self_inside, WORKS, NULL, 0, 0},
    {"coro_join", "outside a coroutine", join_outside, ABORTS,
     "coro_join: ", 0, 0},
    {"coro_join", "id 0", join_nobody, SAYS, "coro_join: ", 0, 0},
    {"coro_join", "id -1", join_nobody, SAYS, "coro_join: ", 0, -1},
    {"coro_join", "id INT_MIN", join_nobody, SAYS, "coro_join: ", 0,
     INT_MIN},
    {"coro_join", "id INT_MAX", join_nobody, SAYS, "coro_join: ", 0,
     INT_MAX},
    {"coro_join", "an id not spawned yet", join_next, SAYS, "coro_join: ",
     0, 0},
    {"coro_join", "itself", join_self, ABORTS, "coro_join: ", 0, 0},
    {"coro_join", "one that has finished", join_finished, WORKS, NULL, 0,
     0},
    {"coro_join", "1,000 joiners on one sleeper", many_joiners, WORKS,
     NULL, 0, 1000},
    {"coro_join", "two that join each other", join_cycle, DEADLOCKS,
     "blocked in coro_join", 0, 0},
    {"coro_sleep_ms", "outside a coroutine", sleep_outside, ABORTS,
     "coro_sleep_ms: ", 0, 0},
    {"coro_sleep_ms", "-1", sleep_for, SAYS, "coro_sleep_ms: ", 0, -1},
    {"coro_sleep_ms", "LONG_MIN", sleep_for, SAYS, "coro_sleep_ms: ", 0,
     LONG_MIN},
    {"coro_sleep_ms", "0", sleep_for, WORKS, NULL, 0, 0},
    {"coro_sleep_ms", "1, measured", sleep_for, WORKS, NULL, 0, 1},
    {"coro_sleep_ms", "LONG_MAX", sleep_ages, WORKS, NULL, 3, LONG_MAX},
    {"coro_sleep_ms", "LONG_MAX - 1000", sleep_ages, WORKS, NULL, 3,
     LONG_MAX - 1000},
    {"coro_sleep_ms", "2^62", sleep_ages, WORKS, NULL, 0, 1L << 62},
    {"coro_sleep_ms", "80 short ones beside a busy loop", sleep_while_busy,
     WORKS, NULL, 0, 0},
    {"coro_sleep_ms", "1,000 sleepers, 0-19 ms", many_sleepers, WORKS,
     NULL, 0, 1000},
    {"coro_wait_fd", "outside a coroutine", wait_fd_outside, ABORTS,
     "coro_wait_fd: ", 0, 0},
    {"coro_wait_fd", "fd -1", wait_on_nothing, SAYS, "coro_wait_fd: ", 0,
     -1},
    {"coro_wait_fd", "fd INT_MIN", wait_on_nothing, SAYS, "coro_wait_fd: ",
     0, INT_MIN},
    {"coro_wait_fd", "fd 1000, not open", wait_on_nothing, WORKS, NULL, 0,
     1000},
    {"coro_wait_fd", "fd INT_MAX", wait_on_nothing, WORKS, NULL, 0,
     INT_MAX},
    {"coro_wait_fd", "no events", wait_no_events, SAYS, "coro_wait_fd: ",
     0, 0},
    {"coro_wait_fd", "every event bit", wait_all_events, WORKS, NULL, 0,
     0},
    {"coro_wait_fd", "the other end closes", wait_then_hangup, WORKS, NULL,
     0, 0},
    {"coro_wait_fd", "its fd closed while it waits", wait_then_closed,
     WORKS, NULL, 0, 0},
    {"coro_run", "nothing spawned, three times", run_nothing, WORKS, NULL,
     0, 3},
    {"coro_stack_size", "0", stack_size_then_use, WORKS, NULL, 0, 0},
    {"coro_stack_size", "1", stack_size_then_use, WORKS, NULL, 0, 1},
    {"coro_stack_size", "SIZE_MAX", stack_size_then_use, REFUSES,
     EITHER_LINE, 6, (long)SIZE_MAX},
    {"coro_stack_size", "SIZE_MAX - 4095", stack_size_then_use, REFUSES,
     EITHER_LINE, 6, (long)(SIZE_MAX - 4095)},
    {"coro_stack_size", "SIZE_MAX / 2 + 1", stack_size_then_use, REFUSES,
     EITHER_LINE, 6, (long)(SIZE_MAX / 2 + 1)},
    /* more than the most a stack may have: said, and the size stays */
    {"coro_stack_size", "1 TiB", stack_size_then_use, SAYS,
     "coro_stack_size: ", 0, 1L << 40},
#ifndef PROBE_COPY
    {"coro_stack_size", "64 KiB, an 8 KiB frame at the end",
     big_frame_in_stack, OVERFLOWS, NULL, 4, 64 * 1024},
    {"coro_stack_size", "a canary stack, 64 KiB of recursion",
     overflow_canary, OVERFLOWS, NULL, 0, 0},
    /* No frame that skips a canary: many.c says what a canary cannot
     * see (issue 9, defect 4). */
#endif
    {NULL, NULL, NULL, WORKS, NULL, 0, 0},
};
