/*
 * sched_test.c - the scheduler of stages 4 and 5, with whichever switch
 * the library was built (SWITCH=ucontext or asm): the run queue, join,
 * sleep, waiting on descriptors, deadlock, misuse, many coroutines at
 * once, and the queues in the drawings.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "coro_impl.h"
#include "cu.h"
#include "stack.h"
#include "tools.h"
#include "trace.h"

#ifdef HAVE_ASAN     /* in both runtimes; only clang ships the header */
size_t __sanitizer_get_current_allocated_bytes(void);
#endif

/* ---- a log the coroutines write into ---------------------------- */

static char journal[8192];

static void note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void note(const char *fmt, ...)
{
    size_t len = strlen(journal);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(journal + len, sizeof journal - len, fmt, ap);
    va_end(ap);
}

static long long now_ms_here(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
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
    journal[0] = '\0';
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
    journal[0] = '\0';
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
    journal[0] = '\0';
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
    journal[0] = '\0';
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
    journal[0] = '\0';
    target_id = coro_spawn(exits_from_deep, NULL);
    coro_spawn(join_target, "j");
    CU_ASSERT_EQUAL(coro_run(), 0);
    CU_ASSERT_STRING_EQUAL(journal, "wait-j woke-j ");
}

static const CU_TestInfo queue_tests[] = {
    {"the queue is first come, first served", the_queue_is_first_come_first_served},
    {"a new coroutine joins the back", a_new_coroutine_joins_the_back},
    {"join waits for the end", join_waits_for_the_end},
    {"joining a finished one returns at once", joining_a_finished_one_returns_at_once},
    {"exit from deep inside wakes the joiners", exit_from_deep_wakes_the_joiners},
    CU_TEST_INFO_NULL,
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
    journal[0] = '\0';
    coro_spawn(sleep_for, (void *)(intptr_t)90);
    coro_spawn(sleep_for, (void *)(intptr_t)30);
    coro_spawn(sleep_for, (void *)(intptr_t)60);
    coro_spawn(sleep_for, (void *)(intptr_t)0);
    long long start = now_ms_here();
    CU_ASSERT_EQUAL(coro_run(), 0);
    CU_ASSERT_STRING_EQUAL(journal, "0 30 60 90 ");
    CU_ASSERT(now_ms_here() - start >= 90);
}

static void equal_deadlines_keep_their_order(void)
{
    journal[0] = '\0';
    for (long i = 0; i < 5; i++)
        coro_spawn(sleep_for, (void *)(intptr_t)0);
    coro_run();
    CU_ASSERT_STRING_EQUAL(journal, "0 0 0 0 0 ");
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

static const CU_TestInfo sleep_tests[] = {
    {"sleepers wake in deadline order", sleepers_wake_in_deadline_order},
    {"equal deadlines keep their order", equal_deadlines_keep_their_order},
    {"sleeping does not spin", sleeping_does_not_spin},
    CU_TEST_INFO_NULL,
};

/* ---- file descriptors ------------------------------------------- */

static int pipe_fds[2];
static int revents_seen;
static char read_back[32];

static void pipe_reader(void *arg)
{
    (void)arg;
    note("reader waits ");
    revents_seen = coro_wait_fd(pipe_fds[0], POLLIN);
    ssize_t n = read(pipe_fds[0], read_back, sizeof read_back - 1);
    read_back[n > 0 ? n : 0] = '\0';
    note("reader got it ");
}

static void pipe_writer(void *arg)
{
    (void)arg;
    coro_sleep_ms(20);
    note("writer writes ");
    CU_ASSERT(coro_wait_fd(pipe_fds[1], POLLOUT) & POLLOUT);
    CU_ASSERT_EQUAL(write(pipe_fds[1], "hello", 5), 5);
}

static void a_pipe_wakes_its_reader(void)
{
    journal[0] = '\0';
    CU_ASSERT_FATAL(pipe(pipe_fds) == 0);
    coro_spawn(pipe_reader, NULL);
    coro_spawn(pipe_writer, NULL);
    CU_ASSERT_EQUAL(coro_run(), 0);
    CU_ASSERT_STRING_EQUAL(journal, "reader waits writer writes "
                                    "reader got it ");
    CU_ASSERT(revents_seen & POLLIN);
    CU_ASSERT_STRING_EQUAL(read_back, "hello");
    close(pipe_fds[0]);
    close(pipe_fds[1]);
}

static void wait_for_hangup(void *arg)
{
    (void)arg;
    revents_seen = coro_wait_fd(pipe_fds[0], POLLIN);
}

static void close_writer(void *arg)
{
    (void)arg;
    coro_sleep_ms(5);
    close(pipe_fds[1]);
}

static void a_closed_pipe_reports_hangup(void)
{
    CU_ASSERT_FATAL(pipe(pipe_fds) == 0);
    revents_seen = 0;
    coro_spawn(wait_for_hangup, NULL);
    coro_spawn(close_writer, NULL);
    coro_run();
    CU_ASSERT(revents_seen & POLLHUP);
    close(pipe_fds[0]);
}

static int listener, port_number;
static char server_saw[64], client_saw[64];

static void loop_server(void *arg)
{
    (void)arg;
    CU_ASSERT(coro_wait_fd(listener, POLLIN) & POLLIN);
    int fd = accept4(listener, NULL, NULL, SOCK_NONBLOCK);
    CU_ASSERT_FATAL(fd >= 0);
    coro_wait_fd(fd, POLLIN);
    ssize_t n = read(fd, server_saw, sizeof server_saw - 1);
    server_saw[n > 0 ? n : 0] = '\0';
    CU_ASSERT_EQUAL(write(fd, "pong", 4), 4);
    close(fd);
}

static void loop_client(void *arg)
{
    (void)arg;
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    struct sockaddr_in at = {.sin_family = AF_INET,
                             .sin_port = htons((uint16_t)port_number),
                             .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    int r = connect(fd, (struct sockaddr *)&at, sizeof at);
    CU_ASSERT(r == 0 || errno == EINPROGRESS);
    CU_ASSERT(coro_wait_fd(fd, POLLOUT) & POLLOUT);
    CU_ASSERT_EQUAL(write(fd, "ping", 4), 4);
    coro_wait_fd(fd, POLLIN);
    ssize_t n = read(fd, client_saw, sizeof client_saw - 1);
    client_saw[n > 0 ? n : 0] = '\0';
    close(fd);
}

static void loopback_sockets_talk(void)
{
    struct sockaddr_in at = {.sin_family = AF_INET,
                             .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t size = sizeof at;
    listener = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    CU_ASSERT_FATAL(listener >= 0);
    CU_ASSERT_FATAL(bind(listener, (struct sockaddr *)&at, size) == 0);
    CU_ASSERT_FATAL(listen(listener, 4) == 0);
    getsockname(listener, (struct sockaddr *)&at, &size);
    port_number = ntohs(at.sin_port);
    coro_spawn(loop_server, NULL);
    coro_spawn(loop_client, NULL);
    CU_ASSERT_EQUAL(coro_run(), 0);
    CU_ASSERT_STRING_EQUAL(server_saw, "ping");
    CU_ASSERT_STRING_EQUAL(client_saw, "pong");
    close(listener);
}

static const CU_TestInfo fd_tests[] = {
    {"a pipe wakes its reader", a_pipe_wakes_its_reader},
    {"a closed pipe reports hangup", a_closed_pipe_reports_hangup},
    {"loopback sockets talk", loopback_sockets_talk},
    CU_TEST_INFO_NULL,
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
    journal[0] = '\0';
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

static const CU_TestInfo deadlock_tests[] = {
    {"a deadlock is reported", a_deadlock_is_reported},
    CU_TEST_INFO_NULL,
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
    journal[0] = '\0';
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
    journal[0] = '\0';
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

static const CU_TestInfo misuse_tests[] = {
    {"joining oneself aborts", joining_oneself_aborts},
    {"joining an unknown id returns", joining_an_unknown_id_returns},
    {"bad arguments are refused", bad_arguments_are_refused},
    {"blocking outside a coroutine aborts", blocking_outside_a_coroutine_aborts},
    CU_TEST_INFO_NULL,
};

/* ---- many ------------------------------------------------------- */

#define ALIVE 100000

static long alive_now, alive_most, finished;

static void stay_a_while(void *arg)
{
    (void)arg;
    if (++alive_now > alive_most)
        alive_most = alive_now;
    coro_yield();                   /* everyone else starts meanwhile */
    coro_sleep_ms(0);
    alive_now--;
    finished++;
}

static void a_hundred_thousand_at_once(void)
{
    alive_now = alive_most = finished = 0;
    coro_stack_size(16 * 1024);
    int spawned = 0;
    while (spawned < ALIVE && coro_spawn(stay_a_while, NULL) > 0)
        spawned++;
    CU_ASSERT_EQUAL(spawned, ALIVE);
    CU_ASSERT_EQUAL(coro_run(), 0);
    CU_ASSERT_EQUAL(alive_most, ALIVE);
    CU_ASSERT_EQUAL(finished, ALIVE);
    coro_stack_size(CORO_STACK_SIZE);
}

/* Memory in use, in KiB: what is resident.  Under AddressSanitizer,
 * which keeps freed memory aside for a while to catch use after free,
 * the bytes allocated, and a page per mapping, instead. */
static long in_use_kib(void)
{
#ifdef HAVE_ASAN
    return (long)(__sanitizer_get_current_allocated_bytes() / 1024) +
           cu_mappings() * 4;
#else
    long pages = 0, resident = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (f != NULL) {
        if (fscanf(f, "%ld %ld", &pages, &resident) != 2)
            resident = 0;
        fclose(f);
    }
    return resident * (sysconf(_SC_PAGESIZE) / 1024);
#endif
}

static long memory_at[2], maps_at[2];

static void child_of(void *arg)
{
    (void)arg;
    finished++;
}

/* Spawn and join n children, one after the other; measure memory
 * after the first tenth and at the end. */
static void one_after_another(void *arg)
{
    long n = (long)(intptr_t)arg;
    for (long i = 1; i <= n; i++) {
        coro_join(coro_spawn(child_of, NULL));
        if (i == n / 10) {
            memory_at[0] = in_use_kib();
            maps_at[0] = cu_mappings();
        }
    }
    memory_at[1] = in_use_kib();
    maps_at[1] = cu_mappings();
}

static void a_long_sequence_stays_flat(void)
{
    long n = UNDER_VALGRIND ? 100000 : 1000000;
    finished = 0;
    coro_spawn(one_after_another, (void *)(intptr_t)n);
    CU_ASSERT_EQUAL(coro_run(), 0);
    CU_ASSERT_EQUAL(finished, n);
    CU_ASSERT(memory_at[0] > 0);
    CU_ASSERT(memory_at[1] - memory_at[0] < 1024);  /* under 1 MiB more */
    CU_ASSERT(maps_at[1] - maps_at[0] <= 2);        /* no stacks kept */
}

static const CU_TestInfo many_tests[] = {
    {"a hundred thousand at once", a_hundred_thousand_at_once},
    {"a long sequence stays flat", a_long_sequence_stays_flat},
    CU_TEST_INFO_NULL,
};

/* ---- stacks ----------------------------------------------------- */

static void digger(void *arg)
{
    cu_dig((int)(intptr_t)arg);
}

static void overflow_guarded(void *arg)
{
    (void)arg;
    coro_stack_size(16 * 1024);
    coro_spawn(digger, (void *)(intptr_t)64);
    coro_run();
    fprintf(stderr, "not stopped\n");
}

static void running_into_a_guard_page_is_caught(void)
{
    char err[512];
    int status = cu_in_child(overflow_guarded, NULL, err, sizeof err);
    CU_ASSERT(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, " overflowed its 16 KiB stack into "
                                       "the guard page"));
    CU_ASSERT_PTR_NULL(strstr(err, "not stopped"));
}

static void a_canary_stack_tells_on_its_user(void)
{
    struct stack s;
    int tries = 0;
    /* take guarded stacks until the budget runs out */
    static struct stack taken[20000];
    do {
        CU_ASSERT_FATAL(stack_alloc(&s, 16 * 1024) == 0);
        taken[tries++] = s;
    } while (s.guard != NULL && tries < 20000);
    CU_ASSERT_PTR_NULL(s.guard);
    CU_ASSERT(stack_intact(&s));
    s.lo[3] = 0;                    /* what an overflow would do */
    CU_ASSERT(!stack_intact(&s));
    for (int i = 0; i < tries; i++)
        stack_free(&taken[i]);
}

/* A coroutine with a canary stack that sits right above another in
 * its slab: its overflow runs into that one, not into a guard page. */
static int spawn_until_canary(void)
{
    const struct coro *below = NULL;
    for (;;) {
        int id = coro_spawn(digger, (void *)(intptr_t)0);
        const struct coro *c = sched_find(id);
        if (c->ctx.stack.guard == NULL && below != NULL &&
            below->ctx.stack.hi == c->ctx.stack.lo)
            return id;
        below = c->ctx.stack.guard == NULL ? c : NULL;
    }
}

static void overflow_canary(void *arg)
{
    (void)arg;
    coro_stack_size(16 * 1024);
    struct coro *c = sched_find(spawn_until_canary());
    c->arg = (void *)(intptr_t)20;  /* 20 KiB deep in 16 KiB */
    coro_run();
    fprintf(stderr, "not stopped\n");
}

static void running_over_a_canary_is_caught(void)
{
    char err[512];
    int status = cu_in_child(overflow_canary, NULL, err, sizeof err);
    CU_ASSERT(cu_aborted(status));
    CU_ASSERT_PTR_NOT_NULL(strstr(err, " overflowed its 16 KiB stack (it "
                                       "wrote over the canary below it)"));
    CU_ASSERT_PTR_NULL(strstr(err, "not stopped"));
}

static const CU_TestInfo stack_tests[] = {
    {"running into a guard page is caught", running_into_a_guard_page_is_caught},
    {"a canary stack tells on its user", a_canary_stack_tells_on_its_user},
    {"running over a canary is caught", running_over_a_canary_is_caught},
    CU_TEST_INFO_NULL,
};

/* ---- the drawing ------------------------------------------------ */

static char *drawing;
static size_t drawing_size;

static void draw_now(void *arg)
{
    (void)arg;
    coro_yield();                   /* let the others settle */
    trace_stacks("the queues");
}

static void draw_with_queues(void)
{
    free(drawing);
    FILE *out = open_memstream(&drawing, &drawing_size);
    trace_output(out);
    int sleeper = coro_spawn(sleep_for, (void *)(intptr_t)40);
    int sleeper2 = coro_spawn(sleep_for, (void *)(intptr_t)20);
    target_id = sleeper;
    int joiner = coro_spawn(join_target, "q");
    int artist = coro_spawn(draw_now, NULL);
    int runner = coro_spawn(yield_three_times, "r");
    coro_run();
    trace_output(NULL);
    fclose(out);
    char line[160];
    snprintf(line, sizeof line, "run queue:  coro %d\n", runner);
    CU_ASSERT_PTR_NOT_NULL(strstr(drawing, line));
    snprintf(line, sizeof line, "sleeping:   coro %d for 20 ms, coro %d "
             "for 40 ms\n", sleeper2, sleeper);
    CU_ASSERT_PTR_NOT_NULL(strstr(drawing, line));
    snprintf(line, sizeof line, "blocked:    coro %d in coro_join(%d)\n",
             joiner, sleeper);
    CU_ASSERT_PTR_NOT_NULL(strstr(drawing, line));
    snprintf(line, sizeof line, "coro %d, running", artist);
    CU_ASSERT_PTR_NOT_NULL(strstr(drawing, line));
    snprintf(line, sizeof line, "coro %d, sleeping in coro_sleep_ms",
             sleeper);
    CU_ASSERT_PTR_NOT_NULL(strstr(drawing, line));
}

static void the_drawing_shows_the_queues(void)
{
    journal[0] = '\0';
    draw_with_queues();
}

static const CU_TestInfo trace_tests[] = {
    {"the drawing shows the queues", the_drawing_shows_the_queues},
    CU_TEST_INFO_NULL,
};

void scheduler_suites(void)
{
    static char name[64];
    snprintf(name, sizeof name, "scheduler (%s switch): the run queue",
             ctx_mode);
    cu_add(name, queue_tests);
    cu_add("scheduler: sleep", sleep_tests);
    cu_add("scheduler: file descriptors", fd_tests);
    cu_add("scheduler: deadlock", deadlock_tests);
    cu_add("scheduler: misuse", misuse_tests);
    cu_add("scheduler: stacks", stack_tests);
    cu_add("scheduler: many", many_tests);
    cu_add("scheduler: the tracer", trace_tests);
}
