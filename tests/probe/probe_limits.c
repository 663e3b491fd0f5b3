/*
 * probe_limits.c - the library under resource limits (open files,
 * address space, stack) and under signal storms (a timer's, and another
 * process's, with handlers installed and SA_RESTART off).
 *
 * Sleeps must never end early, descriptor waits must still see their
 * descriptors, switches must keep every value, and a limit that is hit
 * must be said in a line, never met with a crash.  The address-space
 * limit is not tried under AddressSanitizer, valgrind or qemu, which
 * need the address space for themselves.
 */
#define _GNU_SOURCE
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "coro.h"
#include "probe.h"
#if PROBE_STAGE == 5
#include "chan.h"
#endif
#ifdef HAVE_GEN
#include "gen.h"
#endif

static int ran, turns;

/* Lower the soft limit only: valgrind keeps the hard limit on files.
 * The old one comes back at exit, for the leak checkers, which need
 * descriptors and address space of their own. */
static struct rlimit before[RLIM_NLIMITS];

static void give_back(void)
{
    for (int resource = 0; resource < RLIM_NLIMITS; resource++)
        if (before[resource].rlim_max != 0)
            setrlimit(resource, &before[resource]);
}

static void set_limit(int resource, rlim_t value)
{
    struct rlimit r;
    must(getrlimit(resource, &r) == 0, "getrlimit(%d) failed", resource);
    before[resource] = r;
    atexit(give_back);
    r.rlim_cur = value;
    must(setrlimit(resource, &r) == 0, "setrlimit(%d, %lu) failed",
         resource, (unsigned long)value);
}

static void count_turns(void *arg)
{
    long rounds = (long)(intptr_t)arg;
    for (long i = 0; i < rounds; i++) {
        turns++;
        coro_yield();
    }
    ran++;
}

/* ---- open files --------------------------------------------------------- */

/* No descriptor left at all, and the drawings on: stdout is open. */
static void no_files_left(long arg)
{
    (void)arg;
    setenv("CORO_TRACE", "1", 1);
    set_limit(RLIMIT_NOFILE, 3);
    coro_spawn(count_turns, (void *)3);
    coro_spawn(count_turns, (void *)3);
    must(coro_run() == 0 && turns == 6, "%d turns", turns);
}

#if PROBE_STAGE >= 4
static int pipe_fds[2], woke;

static void wait_for_input(void *arg)
{
    (void)arg;
    woke += (coro_wait_fd(pipe_fds[0], POLLIN) & POLLIN) != 0;
}

static void write_a_byte(void *arg)
{
    (void)arg;
    coro_sleep_ms(5);
    must(write(pipe_fds[1], "x", 1) == 1, "no write");
}

/* More waiters on one pipe than the limit on open files. */
static void many_waiters_one_fd(long arg)
{
    must(pipe(pipe_fds) == 0, "no pipe");
    set_limit(RLIMIT_NOFILE, 32);
    for (long i = 0; i < arg; i++)
        coro_spawn(wait_for_input, NULL);
    coro_spawn(write_a_byte, NULL);
    must(coro_run() == 0 && woke == arg, "%d of %ld woke", woke, arg);
}

static void wait_on_a_stranger(void *arg)
{
    int fd = 4000 + (int)(intptr_t)arg;         /* not open */
    woke += (coro_wait_fd(fd, POLLIN) & POLLNVAL) != 0;
}

/* More different descriptors than the limit on open files. */
static void many_fds(long arg)
{
    set_limit(RLIMIT_NOFILE, 16);
    for (long i = 0; i < arg; i++)
        coro_spawn(wait_on_a_stranger, (void *)(intptr_t)i);
    must(coro_run() == 0 && woke == arg, "%d of %ld woke", woke, arg);
}
#endif

/* ---- address space ------------------------------------------------------ */

/* The address space in use now, plus headroom. */
static rlim_t room(size_t headroom)
{
    unsigned long pages = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    must(f != NULL && fscanf(f, "%lu", &pages) == 1, "no /proc/self/statm");
    fclose(f);
    return (rlim_t)pages * (rlim_t)sysconf(_SC_PAGESIZE) + headroom;
}

/* Spawn until refused, under an address-space limit; those spawned run
 * to the end. */
static void spawn_until_refused(long arg)
{
#if PROBE_STAGE >= 2
    coro_stack_size((size_t)arg);
#else
    (void)arg;
#endif
    set_limit(RLIMIT_AS, room((size_t)64 << 20));
    int spawned = 0;
    while (spawned < 100000 && coro_spawn(count_turns, (void *)2) > 0)
        spawned++;
    if (coro_run() != 0)        /* copy mode: no room for the shared one */
        refused();
    must(ran == spawned, "%d of %d ran", ran, spawned);
    if (spawned < 100000)
        refused();
}

#if defined(HAVE_GEN) && !defined(PROBE_COPY)
static void count_two(void *arg)
{
    (void)arg;
    gen_yield(1);
    gen_yield(2);
}

static void gens_until_refused(long arg)
{
    static gen *g[10000];
    gen_stack_size((size_t)arg);
    set_limit(RLIMIT_AS, room((size_t)64 << 20));
    int made = 0;
    while (made < 10000 && (g[made] = gen_new(count_two, NULL, NULL)))
        made++;
    for (int i = 0; i < made; i++) {
        long v = 0;
        must(gen_next(g[i], &v) && v == 1, "generator %d", i);
        gen_free(g[i]);
    }
    if (made < 10000)
        refused();
}
#endif

#if PROBE_STAGE == 5 && !defined(PROBE_COPY)
static void big_channel(long arg)
{
    set_limit(RLIMIT_AS, room((size_t)64 << 20));
    chan *c = chan_new(1, (size_t)arg);
    if (c == NULL)
        refused();
    chan_free(c);
}
#endif

/* A small limit on main's stack: stage 1 carves its slices from it,
 * copy mode its shared stack. */
static void small_main_stack(long arg)
{
    set_limit(RLIMIT_STACK, (rlim_t)arg);
    coro_spawn(count_turns, (void *)3);
    coro_spawn(count_turns, (void *)3);
    if (coro_run() != 0)
        refused();
    must(turns == 6, "%d turns", turns);
}

/* ---- signal storms ------------------------------------------------------ */

static volatile sig_atomic_t caught;
static pid_t stormer;

static void on_signal(int sig)
{
    (void)sig;
    caught++;
}

/* Signals from a timer (how 0) or from another process (how 1), every
 * 200 microseconds or so, with a handler and without SA_RESTART. */
static void storm_start(long how)
{
    struct sigaction sa = {.sa_handler = on_signal};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGALRM, &sa, NULL);
    sigaction(SIGUSR2, &sa, NULL);
    long every = 200 * probe_slowness();
    if (how == 0) {
        struct itimerval it = {{0, every}, {0, every}};
        setitimer(ITIMER_REAL, &it, NULL);
        return;
    }
    pid_t target = getpid();
    stormer = fork();
    if (stormer == 0) {         /* only while the target lives */
        close(STDERR_FILENO);   /* the harness waits for its end */
        while (getppid() == target && kill(target, SIGUSR2) == 0)
            usleep((useconds_t)every);
        _exit(0);
    }
}

static void storm_stop(void)
{
    struct itimerval off = {{0, 0}, {0, 0}};
    setitimer(ITIMER_REAL, &off, NULL);
    if (stormer > 0) {
        kill(stormer, SIGKILL);
        waitpid(stormer, NULL, 0);
    }
    must(caught > 0, "no signal came: there was no storm");
}

static void switch_a_lot(void *arg)
{
    long me = (long)(intptr_t)arg, sum = 0, n = probe_scaled(20000);
    for (long i = 0; i < n; i++) {
        sum += i * me;
        coro_yield();
    }
    must(sum == me * (n * (n - 1) / 2), "coro %d summed %ld", coro_self(),
         sum);
    ran++;
}

/* Switches, and (stages 2-3) spawns, while signals rain. */
static void storm_switches(long how)
{
    storm_start(how);
    for (int round = 0; round < 5; round++) {
        for (long i = 1; i <= 3; i++)
            must(coro_spawn(switch_a_lot, (void *)i) > 0, "spawn refused");
        must(coro_run() == 0, "coro_run failed");
    }
    storm_stop();
    must(ran == 15, "%d of 15 finished", ran);
}

#if PROBE_STAGE >= 4
static int early;

static void sleep_measured(void *arg)
{
    for (int i = 0; i < 15; i++) {
        long ms = 1 + ((long)(intptr_t)arg + i) % 5;
        double start = probe_now_ms();
        coro_sleep_ms(ms);
        early += probe_now_ms() - start < ms;
    }
    ran++;
}

static void storm_sleeps(long how)
{
    storm_start(how);
    for (long i = 0; i < 3; i++)
        coro_spawn(sleep_measured, (void *)(intptr_t)i);
    must(coro_run() == 0 && ran == 3, "coro_run failed");
    storm_stop();
    must(early == 0, "%d of 45 sleeps ended early", early);
}

static int pair[2], rounds_read;

static void read_rounds(void *arg)
{
    (void)arg;
    for (int i = 0; i < 20; i++) {
        char c;
        int seen = coro_wait_fd(pair[0], POLLIN);
        must(seen & POLLIN, "round %d: the wait gave %#x", i,
             (unsigned)seen);
        must(read(pair[0], &c, 1) == 1 && c == 'a' + i, "round %d", i);
        rounds_read++;
    }
}

static void write_rounds(void *arg)
{
    (void)arg;
    for (int i = 0; i < 20; i++) {
        char c = (char)('a' + i);
        coro_sleep_ms(1);
        must(write(pair[1], &c, 1) == 1, "no write");
    }
}

static void storm_waits(long how)
{
    must(pipe(pair) == 0, "no pipe");
    storm_start(how);
    coro_spawn(read_rounds, NULL);
    coro_spawn(write_rounds, NULL);
    must(coro_run() == 0, "coro_run failed");
    storm_stop();
    must(rounds_read == 20, "%d of 20 rounds read", rounds_read);
}
#endif

/* Copy mode keeps a stopped coroutine's frames on the heap: with no
 * memory for them, it says so and aborts (ctx_copy.c). */
#ifdef PROBE_COPY
#define NO_COPY "|SWITCH=copy: "
#else
#define NO_COPY ""
#endif

void limit_probes(void)
{
    static const struct probe nofile[] = {
        {"coro_run", "RLIMIT_NOFILE 3, drawing on", no_files_left, WORKS,
         NULL, 0, 0},
#if PROBE_STAGE >= 4
        {"coro_wait_fd", "RLIMIT_NOFILE 32, 100 waiters on one pipe",
         many_waiters_one_fd, WORKS, NULL, 9, 100},
        {"coro_wait_fd", "RLIMIT_NOFILE 16, 40 descriptors",
         many_fds, EITHER, "coro_run: ", 9, 40},
#endif
        {NULL, NULL, NULL, WORKS, NULL, 0, 0},
    };
    for (const struct probe *p = nofile; p->function; p++)
        if (probe(p))
            probe_count_limit("RLIMIT_NOFILE");
    static const struct probe as[] = {
#if PROBE_STAGE == 1
        {"coro_spawn", "RLIMIT_AS: 64 MiB to spare", spawn_until_refused,
         EITHER, "coro_spawn: ", 0, 0},
#elif PROBE_STAGE <= 3
        {"coro_spawn", "RLIMIT_AS: 64 MiB to spare, 16 MiB stacks",
         spawn_until_refused, EITHER, "coro_spawn: |coro_run: " NO_COPY,
         7, 16 << 20},
#else
        {"coro_spawn", "RLIMIT_AS: 64 MiB to spare, 1 MiB stacks",
         spawn_until_refused, EITHER, "coro_spawn: " NO_COPY, 0, 1 << 20},
#endif
#if defined(HAVE_GEN) && !defined(PROBE_COPY)
        {"gen_new", "RLIMIT_AS: 64 MiB to spare, 16 MiB stacks",
         gens_until_refused, EITHER, "gen_new: ", 0, 16 << 20},
#endif
#if PROBE_STAGE == 5 && !defined(PROBE_COPY)
        {"chan_new", "RLIMIT_AS: 64 MiB to spare, a 256 MiB buffer",
         big_channel, EITHER, "chan_new: ", 0, 256 << 20},
#endif
        {NULL, NULL, NULL, WORKS, NULL, 0, 0},
    };
    for (const struct probe *p = as; p->function && !probe_under_tool();
         p++)
        if (probe(p))
            probe_count_limit("RLIMIT_AS");
#if PROBE_STAGE == 1 || defined(PROBE_COPY)
    static const struct probe small_stack = {
        "coro_run", "RLIMIT_STACK 256 KiB", small_main_stack, EITHER,
        "coro_run: |coro_spawn: ", 0, 256 * 1024};
    if (!probe_under_tool() && probe(&small_stack))
        probe_count_limit("RLIMIT_STACK");
#else
    (void)small_main_stack;
#endif
    static const struct probe storms[] = {
        {"coro_yield", "a timer's signal storm", storm_switches, WORKS,
         NULL, 0, 0},
        {"coro_yield", "another process's signal storm", storm_switches,
         WORKS, NULL, 0, 1},
#if PROBE_STAGE >= 4
        {"coro_sleep_ms", "a timer's signal storm", storm_sleeps, WORKS,
         NULL, 0, 0},
        {"coro_sleep_ms", "another process's signal storm", storm_sleeps,
         WORKS, NULL, 0, 1},
        {"coro_wait_fd", "a timer's signal storm", storm_waits, WORKS,
         NULL, 0, 0},
        {"coro_wait_fd", "another process's signal storm", storm_waits,
         WORKS, NULL, 0, 1},
#endif
        {NULL, NULL, NULL, WORKS, NULL, 0, 0},
    };
    for (const struct probe *p = storms; p->function; p++)
        if (probe(p))
            probe_count_storm();
}
