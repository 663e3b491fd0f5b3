/*
 * scheduler.c - stage 4's scheduler, carried on into stage 5, with
 * every switch: the run queue, join, sleep, deadlock, misuse.  (Waiting
 * on descriptors: descriptors.c; very many coroutines: many.c; the
 * queues drawn: scheduler_drawn.c.)
 */
#define _GNU_SOURCE
#include <limits.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "coro_impl.h"
#include "cu.h"
#include "journal.h"
#include "kit.h"

static long long now_ms_here(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static long long now_ns_here(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000000000 + t.tv_nsec;
}

/* ---- the run queue ---------------------------------------------- */

static void yield_three_times(void *tag)
{
    for (int i = 1; i <= 3; i++) {
        note("%s%d ", (const char *)tag, i);
        coro_yield();
    }
}

static void the_queue_is_first_come_first_served(void)
{
    journal_clear();
    coro_spawn(yield_three_times, "a");
    coro_spawn(yield_three_times, "b");
    coro_spawn(yield_three_times, "c");
    CU_ASSERT_EQUAL(coro_run(), 0);
    CU_ASSERT_STRING_EQUAL(journal, "a1 b1 c1 a2 b2 c2 a3 b3 c3 ");
}

static void spawn_late(void *arg)
{
    (void)arg;
    note("p1 ");
    coro_spawn(yield_three_times, "n");
    coro_yield();
    note("p2 ");
}

static void a_new_coroutine_joins_the_back(void)
{
    journal_clear();
    coro_spawn(spawn_late, NULL);
    coro_spawn(yield_three_times, "o");
    coro_run();
    /* o was queued before n existed; p yields behind n */
    CU_ASSERT_STRING_EQUAL(journal, "p1 o1 n1 p2 o2 n2 o3 n3 ");
}

/* ---- join ------------------------------------------------------- */

static void sleep_then_note(void *arg)
{
    coro_sleep_ms(20);
    note("%s ", (const char *)arg);
}

static int target_id;

static void join_target(void *arg)
{
    note("wait-%s ", (const char *)arg);
    coro_join(target_id);
    note("woke-%s ", (const char *)arg);
}

static void join_waits_for_the_end(void)
{
    journal_clear();
    target_id = coro_spawn(sleep_then_note, "target-done");
    coro_spawn(join_target, "x");
    coro_spawn(join_target, "y");
    CU_ASSERT_EQUAL(coro_run(), 0);
    CU_ASSERT_STRING_EQUAL(journal, "wait-x wait-y target-done woke-x "
                                    "woke-y ");
}

static void quick(void *arg)
{
    (void)arg;
    note("quick ");
}

static void join_later(void *arg)
{
    (void)arg;
    coro_yield();                   /* quick finishes meanwhile */
    note("join ");
    coro_join(target_id);
    note("back ");
}

static void joining_a_finished_one_returns_at_once(void)
{
    journal_clear();
    target_id = coro_spawn(quick, NULL);
    coro_spawn(join_later, NULL);
    coro_spawn(yield_three_times, "z");
    coro_run();
    /* "back" comes before z2: the join did not yield */
    CU_ASSERT_STRING_EQUAL(journal, "quick z1 join back z2 z3 ");
}

static void exit_deep(int depth)
{
    if (depth > 0)
        exit_deep(depth - 1);
    coro_exit();
}

static void exits_from_deep(void *arg)
{
    (void)arg;
    coro_sleep_ms(5);
    exit_deep(8);
    note("never ");
}

static void exit_from_deep_wakes_the_joiners(void)
{
    journal_clear();
    target_id = coro_spawn(exits_from_deep, NULL);
    coro_spawn(join_target, "j");
    CU_ASSERT_EQUAL(coro_run(), 0);
    CU_ASSERT_STRING_EQUAL(journal, "wait-j woke-j ");
}

static const struct cu_test queue_tests[] = {
    {"the queue is first come, first served",
     the_queue_is_first_come_first_served, NULL},
    {"a new coroutine joins the back", a_new_coroutine_joins_the_back, NULL},
    {"join waits for the end", join_waits_for_the_end, NULL},
    {"joining a finished one returns at once",
     joining_a_finished_one_returns_at_once, NULL},
    {"exit from deep inside wakes the joiners",
     exit_from_deep_wakes_the_joiners, NULL},
    CU_TESTS_END,
};

/* ---- sleep ------------------------------------------------------ */

static void sleep_for(void *arg)
{
    long ms = (long)(intptr_t)arg;
    coro_sleep_ms(ms);
    note("%ld ", ms);
}

static void sleepers_wake_in_deadline_order(void)
{
    journal_clear();
    coro_spawn(sleep_for, (void *)(intptr_t)90);
    coro_spawn(sleep_for, (void *)(intptr_t)30);
    coro_spawn(sleep_for, (void *)(intptr_t)60);
    coro_spawn(sleep_for, (void *)(intptr_t)0);
    long long start = now_ms_here();
    CU_ASSERT_EQUAL(coro_run(), 0);
    CU_ASSERT_STRING_EQUAL(journal, "0 30 60 90 ");
    CU_ASSERT(now_ms_here() - start >= 90);
}

#define SLEEPERS 8

static char fell_asleep[SLEEPERS + 1], woke[SLEEPERS + 1];

static void add_letter(char *word, char letter)
{
    size_t len = strlen(word);
    word[len] = letter;
    word[len + 1] = '\0';
}

/* Coroutine i ('a' + i) yields a few turns first, so that they fall
 * asleep in an order of their own, not the order they were spawned in;
 * then all sleep as long, and wake within the same millisecond or so. */
static void sleep_in_turn(void *arg)
{
    int i = (int)(intptr_t)arg;
    for (int turn = 0; turn < i * 3 % SLEEPERS; turn++)
        coro_yield();
    add_letter(fell_asleep, (char)('a' + i));
    coro_sleep_ms(20);
    add_letter(woke, (char)('a' + i));
}

static void equal_deadlines_keep_their_order(void)
{
    fell_asleep[0] = woke[0] = '\0';
    for (intptr_t i = 0; i < SLEEPERS; i++)
        coro_spawn(sleep_in_turn, (void *)i);
    CU_ASSERT_EQUAL(coro_run(), 0);
    CU_ASSERT_STRING_EQUAL(fell_asleep, "adgbehcf");
    CU_ASSERT_STRING_EQUAL(woke, fell_asleep);
}

static double cpu_seconds(void)
{
    struct rusage u;
    getrusage(RUSAGE_SELF, &u);
    return u.ru_utime.tv_sec + u.ru_stime.tv_sec +
           (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

/* Not a timing of the library's speed: a check that waiting does not
 * burn the CPU.  A loop that spun would use about as much CPU as wall
 * time; one that sleeps in the kernel uses next to none. */
static void sleeping_does_not_spin(void)
{
    for (int i = 0; i < 3; i++)
        coro_spawn(sleep_for, (void *)(intptr_t)(100 * (i + 1)));
    double cpu = cpu_seconds();
    long long start = now_ms_here();
    coro_run();
    double wall = (now_ms_here() - start) / 1000.0;
    cpu = cpu_seconds() - cpu;
    CU_ASSERT(wall >= 0.3);
    CU_ASSERT(cpu < wall / 4);
}

/* Issue 9, defect 3: at 006d2c6 coro_sleep_ms(LONG_MAX) returned at
 * once (now + ms overflowed, and the deadline lay in the past); a time
 * past what the clock counts is for ever now.  After a short nap of its
 * own, nobody who asked for ages may be awake: the child leaves at once
 * with the verdict (the sleepers would sleep on). */
static int woke_early;

static void sleep_for_ages(void *arg)
{
    coro_sleep_ms(*(const long *)arg);
    woke_early++;
}

static void look_after_a_nap(void *arg)
{
    (void)arg;
    coro_sleep_ms(50);
    _exit(woke_early == 0 ? 0 : 1);
}

static void sleep_past_the_clock(void *arg)
{
    static const long ages[] = {LONG_MAX, LONG_MAX - 1000, LONG_MAX / 2,
                                (long)1 << 62};
    (void)arg;
    for (size_t i = 0; i < sizeof ages / sizeof ages[0]; i++)
        coro_spawn(sleep_for_ages, (void *)&ages[i]);
    coro_spawn(look_after_a_nap, NULL);
    coro_run();
    _exit(2);                       /* the run ended: they all woke */
}

static void a_sleep_past_the_clock_never_ends(void)
{
    char err[512];
    int status = cu_in_child(sleep_past_the_clock, NULL, err, sizeof err);
    bool ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    CU_ASSERT(ok);
    if (!ok)
        cu_tell("sleeps of LONG_MAX ms", status, err);
}

/* ...and at 006d2c6 a sleep could end up to a millisecond early: the
 * deadline was rounded down.  "At least ms" is the promise, measured on
 * a clock that only goes forward (a bound, not a timing of speed).  A
 * busy coroutine keeps the loop looking at the clock all the time,
 * instead of sleeping in poll(), which would round the wait up. */
static int early, slept;

static void sleep_and_measure(void *arg)
{
    (void)arg;
    for (int i = 0; i < 60; i++) {
        long ms = 1 + i % 3;
        long long start = now_ns_here();
        coro_sleep_ms(ms);
        early += now_ns_here() - start < ms * 1000000;
        slept++;
    }
}

static void keep_busy(void *arg)
{
    (void)arg;
    while (slept < 120)
        coro_yield();
}

static void a_sleep_never_ends_before_its_time(void)
{
    early = slept = 0;
    coro_spawn(sleep_and_measure, NULL);
    coro_spawn(sleep_and_measure, NULL);
    coro_spawn(keep_busy, NULL);
    CU_ASSERT_EQUAL(coro_run(), 0);
    CU_ASSERT_EQUAL(slept, 120);
    CU_ASSERT_EQUAL(early, 0);
}

static const struct cu_test sleep_tests[] = {
    {"sleepers wake in deadline order", sleepers_wake_in_deadline_order, NULL},
    {"equal deadlines keep their order", equal_deadlines_keep_their_order,
     NULL},
    {"sleeping does not spin", sleeping_does_not_spin, NULL},
    {"a sleep past the clock's end never ends",
     a_sleep_past_the_clock_never_ends, NULL},
    {"a sleep never ends before its time",
     a_sleep_never_ends_before_its_time, NULL},
    CU_TESTS_END,
};

/* ---- deadlock --------------------------------------------------- */

static int pair[2];

static void join_the_other(void *arg)
{
    int me = (int)(intptr_t)arg;
    coro_yield();                   /* both ids are known by now */
    coro_join(pair[1 - me]);
    note("never ");
}

static int deadlock_result;

static void run_into_deadlock(void *arg)
{
    (void)arg;
    pair[0] = coro_spawn(join_the_other, (void *)0);
    pair[1] = coro_spawn(join_the_other, (void *)1);
    deadlock_result = coro_run();
}

static void a_deadlock_is_reported(void)
{
    char err[1024], line[96];
    journal_clear();
    cu_catch_stderr(run_into_deadlock, NULL, err, sizeof err);
    CU_ASSERT_EQUAL(deadlock_result, -1);
    CU_ASSERT_STRING_EQUAL(journal, "");
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "coro_run: deadlock: 2 coroutines "
                                       "are blocked, and nothing can wake "
                                       "them:"));
    snprintf(line, sizeof line, "coro %d: blocked in coro_join, waiting for "
             "coro %d", pair[0], pair[1]);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, line));
    snprintf(line, sizeof line, "coro %d: blocked in coro_join, waiting for "
             "coro %d", pair[1], pair[0]);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, line));
    /* they are gone, and the scheduler works on */
    coro_spawn(quick, NULL);
    CU_ASSERT_EQUAL(coro_run(), 0);
    CU_ASSERT_STRING_EQUAL(journal, "quick ");
}

static const struct cu_test deadlock_tests[] = {
    {"a deadlock is reported", a_deadlock_is_reported, NULL},
    CU_TESTS_END,
};

/* ---- misuse ----------------------------------------------------- */

static void join_myself(void *arg)
{
    (void)arg;
    coro_join(coro_self());
}

static void run_join_myself(void *arg)
{
    (void)arg;
    coro_spawn(join_myself, NULL);
    coro_run();
}

static void joining_oneself_aborts(void)
{
    char err[256];
    int status = cu_in_child(run_join_myself, NULL, err, sizeof err);
    CU_ASSERT(cu_aborted(status));
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "coro_join: coro "));
    CU_ASSERT_PTR_NOT_NULL(strstr(err, " cannot wait for itself to "
                                       "finish"));
}

static void join_nobody(void *arg)
{
    (void)arg;
    coro_join(sched_last_id() + 1000);
    coro_join(-3);
    note("went on ");
}

static void run_join_nobody(void *arg)
{
    (void)arg;
    coro_spawn(join_nobody, NULL);
    coro_run();
}

static void joining_an_unknown_id_returns(void)
{
    char err[256];
    journal_clear();
    cu_catch_stderr(run_join_nobody, NULL, err, sizeof err);
    CU_ASSERT_STRING_EQUAL(journal, "went on ");
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "coro_join: there is no coroutine "));
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "coro_join: there is no coroutine "
                                       "-3"));
}

static void bad_arguments(void *arg)
{
    (void)arg;
    coro_sleep_ms(-5);
    CU_ASSERT_EQUAL(coro_wait_fd(-1, POLLIN), -1);
    CU_ASSERT_EQUAL(coro_wait_fd(0, 0), -1);
    note("went on ");
}

static void run_bad_arguments(void *arg)
{
    (void)arg;
    coro_spawn(bad_arguments, NULL);
    coro_run();
}

static void bad_arguments_are_refused(void)
{
    char err[512];
    journal_clear();
    cu_catch_stderr(run_bad_arguments, NULL, err, sizeof err);
    CU_ASSERT_STRING_EQUAL(journal, "went on ");
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "coro_sleep_ms: -5 ms is negative"));
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "coro_wait_fd: fd is negative"));
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "coro_wait_fd: no events to wait "
                                       "for"));
}

static void call_sleep(void *arg) { (void)arg; coro_sleep_ms(1); }
static void call_wait_fd(void *arg) { (void)arg; coro_wait_fd(0, POLLIN); }
static void call_join(void *arg) { (void)arg; coro_join(1); }

static void blocking_outside_a_coroutine_aborts(void)
{
    static const struct {
        void (*fn)(void *);
        const char *message;
    } calls[] = {
        {call_sleep, "coro_sleep_ms: called outside a coroutine"},
        {call_wait_fd, "coro_wait_fd: called outside a coroutine"},
        {call_join, "coro_join: called outside a coroutine"},
    };
    for (size_t i = 0; i < sizeof calls / sizeof calls[0]; i++)
        CU_ASSERT(cu_aborts_with(calls[i].fn, NULL, calls[i].message));
}

static const struct cu_test misuse_tests[] = {
    {"joining oneself aborts", joining_oneself_aborts, NULL},
    {"joining an unknown id returns", joining_an_unknown_id_returns, NULL},
    {"bad arguments are refused", bad_arguments_are_refused, NULL},
    {"blocking outside a coroutine aborts",
     blocking_outside_a_coroutine_aborts, NULL},
    CU_TESTS_END,
};

void scheduler_suites(void)
{
    cu_suite("the scheduler: the run queue and join", queue_tests, NULL);
    cu_suite("the scheduler: sleep", sleep_tests, NULL);
    cu_suite("the scheduler: deadlock", deadlock_tests, NULL);
    cu_suite("the scheduler: misuse", misuse_tests, NULL);
}
