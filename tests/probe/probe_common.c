/*
 * probe_common.c - coro.h as every stage has it: spawn, yield, exit
 * and run (and, from stage 2 on, the stack size and the program's own
 * signals), fed the boundary and misuse inputs that mean the same in
 * every stage and are judged the same.  What differs (CORO_MAX in
 * stages 1 to 3, join, sleep and descriptors in 4 and 5, how stacks
 * are made) is probed in probe_coro.c and probe_sched.c, which borrow
 * the coroutines here (probe_common.h).  Every function runs in a
 * fresh child (see harness.c).
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <unistd.h>

#include "coro.h"
#include "probe.h"
#include "probe_common.h"

int ran, turns;
static void *seen_arg;

void count_run(void *arg)
{
    seen_arg = arg;
    ran++;
}

void count_turns(void *arg)
{
    long rounds = (long)(intptr_t)arg;
    for (long i = 0; i < rounds; i++) {
        turns++;
        coro_yield();
    }
}

void spawner(void *arg)
{
    long more = (long)(intptr_t)arg;
    for (long i = 0; i < more; i++)
        coro_spawn(count_run, NULL);
}

/* ---- coro_spawn --------------------------------------------------------- */

void spawn_in_order(long n)
{
    int last = 0;
    for (long i = 0; i < n; i++) {
        int id = coro_spawn(count_run, NULL);
        must(id > last, "spawn %ld gave id %d after %d", i, id, last);
        last = id;
    }
}

static void spawn_null(long arg)
{
    (void)arg;
    must(coro_spawn(NULL, NULL) == -1, "coro_spawn(NULL) did not give -1");
    must(coro_run() == 0, "coro_run after a refused spawn");
}

static void spawn_arg(long arg)
{
    void *given = (void *)(uintptr_t)arg;
    must(coro_spawn(count_run, given) > 0, "coro_spawn refused");
    must(coro_run() == 0 && ran == 1, "the coroutine did not run once");
    must(seen_arg == given, "arg %p came as %p", given, seen_arg);
}

/* ---- coro_yield, coro_exit, coro_self ----------------------------------- */

static void yield_outside(long arg)
{
    (void)arg;
    coro_yield();
}

static void exit_outside(long arg)
{
    (void)arg;
    coro_exit();
}

static void many_yields(long arg)
{
    arg = probe_scaled(arg);
    for (int i = 0; i < 3; i++)
        coro_spawn(count_turns, (void *)(intptr_t)arg);
    must(coro_run() == 0 && turns == 3 * arg, "%d turns of %ld", turns,
         3 * arg);
}

/* Calls itself depth deep, each frame with a local the compiler must
 * keep, and leaves with coro_exit from the deepest: it never returns. */
__attribute__((noinline)) static long exit_deep_down(int depth)
{
    volatile long here = depth;
    if (depth > 0)
        return exit_deep_down(depth - 1) + here;
    coro_exit();
    return here;
}

static int after_exit;      /* did exit_deep go on after coro_exit? */

static void exit_deep(void *arg)
{
    (void)arg;
    exit_deep_down(200);
    after_exit = 1;
}

static void exit_from_deep(long arg)
{
    (void)arg;
    int id = coro_spawn(exit_deep, NULL);
    coro_spawn(count_turns, (void *)3);
    must(coro_run() == 0 && !after_exit && turns == 3, "after coro_exit: "
         "%d, turns %d", after_exit, turns);
    must(id > 0, "no id");
}

static int self_seen;

static void note_self(void *arg)
{
    (void)arg;
    coro_yield();
    self_seen = coro_self();
}

void self_inside(long arg)
{
    (void)arg;
    must(coro_self() == 0, "coro_self() outside is %d", coro_self());
    int id = coro_spawn(note_self, NULL);
    coro_run();
    must(self_seen == id, "coro_self() said %d in coro %d", self_seen, id);
}

/* ---- coro_run ----------------------------------------------------------- */

void run_nothing(long arg)
{
    for (long i = 0; i < arg; i++)
        must(coro_run() == 0, "coro_run %ld with nothing to run", i);
}

static int inner_result = 1;

static void run_inside(void *arg)
{
    (void)arg;
    inner_result = coro_run();
    ran++;
}

static void run_from_inside(long arg)
{
    (void)arg;
    coro_spawn(run_inside, NULL);
    must(coro_run() == 0, "coro_run failed");
    must(inner_result == -1 && ran == 1, "coro_run inside gave %d",
         inner_result);
}

/* ---- the stacks and the program's signals (from stage 2) ---------------- */

/* From stage 2 on: stacks the library maps itself, of the size
 * coro_stack_size says, watched by its SIGSEGV handler.  Stage 1 carves
 * slices out of main's stack instead; probe_coro.c overruns those. */
#if PROBE_STAGE >= 2
/* The culprit is noted before it runs: on a stack of 16 KiB with a
 * signal frame at its top (sigstack; big on aarch64), a line printed
 * from the coroutine could be what runs off its end. */
void overflow_it(void *arg)
{
    (void)arg;
    probe_dig(64);
}

static void overflow_small(long arg)
{
    (void)arg;
    coro_stack_size(16 * 1024);
    probe_culprit("coro %d", coro_spawn(overflow_it, NULL));
    coro_run();
}

static void sigusr1_blocked(long arg)
{
    (void)arg;
    sigset_t usr1, now;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    sigprocmask(SIG_BLOCK, &usr1, NULL);
    coro_spawn(count_turns, (void *)3);
    must(coro_run() == 0 && turns == 3, "%d turns", turns);
    sigprocmask(SIG_BLOCK, NULL, &now);
    must(sigismember(&now, SIGUSR1), "SIGUSR1 is no longer blocked");
}

static char own_stack[64 * 1024];

static void own_segv(int sig)
{
    (void)sig;
    _exit(7);                   /* the program's own way out */
}

static void handle_segv_ourselves(void)
{
    stack_t own = {.ss_sp = own_stack, .ss_size = sizeof own_stack};
    struct sigaction handler = {.sa_handler = own_segv,
                                .sa_flags = SA_ONSTACK};
    sigaltstack(&own, NULL);
    sigaction(SIGSEGV, &handler, NULL);
}

static void own_segv_kept(long arg)
{
    (void)arg;
    stack_t now;
    struct sigaction after;
    handle_segv_ourselves();
    coro_spawn(count_turns, (void *)3);
    coro_run();
    sigaltstack(NULL, &now);
    sigaction(SIGSEGV, NULL, &after);
    must(after.sa_handler == own_segv, "coro_run left its own SIGSEGV "
         "handler in place of the program's");
    must(now.ss_sp == own_stack, "coro_run left its own alternate signal "
         "stack in place of the program's");
}

static void own_segv_then_overflow(long arg)
{
    handle_segv_ourselves();
    overflow_small(arg);
}
#endif

const struct probe common_probes[] = {
    {"coro_spawn", "fn NULL", spawn_null, SAYS, "coro_spawn: ", 0, 0},
    {"coro_spawn", "arg NULL", spawn_arg, WORKS, NULL, 0, 0},
    {"coro_spawn", "arg (void *)UINTPTR_MAX", spawn_arg, WORKS, NULL, 0,
     (long)UINTPTR_MAX},
    {"coro_yield", "outside a coroutine", yield_outside, ABORTS,
     "coro_yield: ", 0, 0},
    {"coro_yield", "10,000 times in each of 3", many_yields, WORKS, NULL,
     0, 10000},
    {"coro_exit", "outside a coroutine", exit_outside, ABORTS,
     "coro_exit: ", 0, 0},
    {"coro_exit", "200 calls deep", exit_from_deep, WORKS, NULL, 0, 0},
    {"coro_run", "from a coroutine", run_from_inside, SAYS, "coro_run: ",
     0, 0},
#if PROBE_STAGE >= 2
    {"coro_run", "SIGUSR1 blocked by the program", sigusr1_blocked, WORKS,
     NULL, 5, 0},
    {"coro_run", "the program's own SIGSEGV handler and stack",
     own_segv_kept, WORKS, NULL, 13, 0},
    {"coro_run", "an overflow, with the program's own SIGSEGV handler",
     own_segv_then_overflow, OVERFLOWS, NULL, 13, 0},
    {"coro_stack_size", "16 KiB, 64 KiB of recursion", overflow_small,
     OVERFLOWS, NULL, 0, 0},
#endif
    {NULL, NULL, NULL, WORKS, NULL, 0, 0},
};
