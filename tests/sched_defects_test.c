/*
 * sched_defects_test.c - stages 4 and 5: the scheduler's defects that
 * probing the public API found (issue 9), each checked through coro.h
 * alone:
 *
 *   defect 3  coro_sleep_ms(LONG_MAX) returned at once (the deadline
 *             overflowed), and a sleep could end up to 1 ms early
 *   defect 9  more coroutines waiting on descriptors than RLIMIT_NOFILE
 *             stopped coro_run with "poll failed; giving up"
 */
#define _GNU_SOURCE
#include <limits.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "coro.h"
#include "cu.h"

static long long now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000000000 + t.tv_nsec;
}

/* A child's ending and what it said, when a check on it fails. */
static void tell(const char *what, int status, const char *err)
{
    printf("\n    %s: the child ended with %s, saying:%s\n    ", what,
           cu_ending(status), err[0] ? "" : " (nothing)");
    for (const char *p = err; *p; p++) {
        putchar(*p);
        if (*p == '\n' && p[1])
            printf("    ");
    }
}

/* ---- defect 3: sleeps ------------------------------------------- */

static int woke_early;

static void sleep_long(void *arg)
{
    coro_sleep_ms(*(const long *)arg);
    woke_early++;
}

/* After a short nap, nobody who asked for ages may be awake: leave the
 * child at once, with the verdict (the sleepers would sleep on). */
static void look_after_a_nap(void *arg)
{
    (void)arg;
    coro_sleep_ms(50);
    _exit(woke_early == 0 ? 0 : 1);
}

static void sleep_past_the_clock(void *arg)
{
    (void)arg;
    static const long ages[] = {LONG_MAX, LONG_MAX - 1000, LONG_MAX / 2,
                                (long)1 << 62};
    for (size_t i = 0; i < sizeof ages / sizeof ages[0]; i++)
        coro_spawn(sleep_long, (void *)&ages[i]);
    coro_spawn(look_after_a_nap, NULL);
    coro_run();
    _exit(2);                       /* the run ended: they all woke */
}

static void a_sleep_past_the_clock_never_ends(void)
{
    char err[1024];
    int status = cu_in_child(sleep_past_the_clock, NULL, err, sizeof err);
    int ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    CU_ASSERT(ok);
    if (!ok)
        tell("sleeps of LONG_MAX ms", status, err);
}

static int early, slept;

static void sleep_and_measure(void *arg)
{
    (void)arg;
    for (int i = 0; i < 60; i++) {
        long ms = 1 + i % 3;
        long long start = now_ns();
        coro_sleep_ms(ms);
        early += now_ns() - start < ms * 1000000;
        slept++;
    }
}

/* Keeps the run loop busy, so that it looks at the clock all the time
 * instead of sleeping in poll() (which would round the wait up). */
static void keep_busy(void *arg)
{
    (void)arg;
    while (slept < 120)
        coro_yield();
}

/* Not a timing of the library's speed: "at least ms milliseconds" is
 * its promise, and the clock it is measured on only goes forward. */
static void a_sleep_never_ends_before_its_time(void)
{
    early = slept = 0;
    coro_spawn(sleep_and_measure, NULL);
    coro_spawn(sleep_and_measure, NULL);
    coro_spawn(keep_busy, NULL);
    CU_ASSERT_EQUAL(coro_run(), 0);
    CU_ASSERT_EQUAL(slept, 120);
    CU_ASSERT_EQUAL(early, 0);
    if (early != 0)
        printf("\n    %d of %d sleeps ended early\n", early, slept);
}

static const CU_TestInfo sleep_tests[] = {
    {"a sleep past the clock's end never ends", a_sleep_past_the_clock_never_ends},
    {"a sleep never ends before its time", a_sleep_never_ends_before_its_time},
    CU_TEST_INFO_NULL,
};

/* ---- defect 9: descriptors -------------------------------------- */

/* Lower the soft limit on open files (valgrind keeps the hard one). */
static bool fewer_files(rlim_t files)
{
    struct rlimit r;
    if (getrlimit(RLIMIT_NOFILE, &r) != 0)
        return false;
    r.rlim_cur = files;
    return setrlimit(RLIMIT_NOFILE, &r) == 0;
}

#define WAITERS 100

static int pipe_fds[2], woke_with_input;

static void wait_for_input(void *arg)
{
    (void)arg;
    woke_with_input += (coro_wait_fd(pipe_fds[0], POLLIN) & POLLIN) != 0;
}

static void write_a_byte(void *arg)
{
    (void)arg;
    coro_sleep_ms(20);
    if (write(pipe_fds[1], "x", 1) != 1)
        _exit(3);
}

static void more_waiters_than_files(void *arg)
{
    (void)arg;
    if (pipe(pipe_fds) != 0 || !fewer_files(32))
        _exit(4);
    for (int i = 0; i < WAITERS; i++)
        coro_spawn(wait_for_input, NULL);
    coro_spawn(write_a_byte, NULL);
    int result = coro_run();
    _exit(result == 0 && woke_with_input == WAITERS ? 0 : 1);
}

static void more_waiters_on_one_fd_than_rlimit_nofile(void)
{
    char err[1024];
    int status = cu_in_child(more_waiters_than_files, NULL, err,
                             sizeof err);
    int ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    CU_ASSERT(ok);
    if (!ok)
        tell("100 waiters on one pipe, RLIMIT_NOFILE 32", status, err);
}

static int pair[2], in_seen, out_seen;

static void wants_input(void *arg)
{
    (void)arg;
    in_seen = coro_wait_fd(pair[0], POLLIN);
}

static void wants_room(void *arg)
{
    (void)arg;
    out_seen = coro_wait_fd(pair[0], POLLOUT);
    CU_ASSERT_EQUAL(write(pair[1], "x", 1), 1);
}

/* Two coroutines on one descriptor share its poll entry: each must
 * still hear only of what it asked for. */
static void each_waiter_hears_its_own_events(void)
{
    CU_ASSERT_FATAL(socketpair(AF_UNIX, SOCK_STREAM, 0, pair) == 0);
    in_seen = out_seen = 0;
    coro_spawn(wants_input, NULL);
    coro_spawn(wants_room, NULL);
    CU_ASSERT_EQUAL(coro_run(), 0);
    CU_ASSERT_EQUAL(in_seen, POLLIN);
    CU_ASSERT_EQUAL(out_seen, POLLOUT);
    close(pair[0]);
    close(pair[1]);
}

#define STRANGERS 40

static int invalid_seen;

static void wait_on_a_stranger(void *arg)
{
    int fd = 4000 + (int)(intptr_t)arg;      /* not open */
    invalid_seen += (coro_wait_fd(fd, POLLIN) & POLLNVAL) != 0;
}

static void more_descriptors_than_files(void *arg)
{
    (void)arg;
    if (!fewer_files(16))
        _exit(4);
    for (int i = 0; i < STRANGERS; i++)
        coro_spawn(wait_on_a_stranger, (void *)(intptr_t)i);
    int result = coro_run();
    _exit(result == 0 && invalid_seen == STRANGERS ? 0 : 1);
}

/* 40 different descriptors with room for 16 open files: poll(2)
 * refuses them.  Working (each told POLLNVAL) or saying so plainly
 * are both kept promises; "poll failed" is not. */
static void too_many_descriptors_is_said_plainly(void)
{
    char err[1024];
    int status = cu_in_child(more_descriptors_than_files, NULL, err,
                             sizeof err);
    int ok = (WIFEXITED(status) && WEXITSTATUS(status) == 0) ||
             (cu_aborted(status) &&
              cu_line_has(err, "coro_run: poll(2) refuses") &&
              cu_line_has(err, "RLIMIT_NOFILE"));
    CU_ASSERT(ok);
    if (!ok)
        tell("40 descriptors, RLIMIT_NOFILE 16", status, err);
}

static const CU_TestInfo fd_tests[] = {
    {"more waiters on one fd than RLIMIT_NOFILE", more_waiters_on_one_fd_than_rlimit_nofile},
    {"each waiter hears its own events", each_waiter_hears_its_own_events},
    {"too many descriptors is said plainly", too_many_descriptors_is_said_plainly},
    CU_TEST_INFO_NULL,
};

void sched_defect_suites(void)
{
    cu_add("issue 9, defect 3: sleeps", sleep_tests);
    cu_add("issue 9, defect 9: descriptors", fd_tests);
}
