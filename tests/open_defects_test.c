/*
 * open_defects_test.c - the defects of issue 9 that live in the stacks,
 * the switches, coro.c, stage 1 and gen.c, each checked through the
 * public headers alone, in every stage (and mode) where its code is:
 *
 *   defect 4   a frame larger than the guard page (or than a canary, or
 *              a slice's paint) jumps over it into a neighbour's stack
 *   defect 5   stage 2's sigstack mode crashes when SIGUSR1 is blocked
 *   defect 6   coro_stack_size(SIZE_MAX), gen_stack_size(SIZE_MAX):
 *              the rounding to pages overflows
 *   defect 7   copy mode: a big shared stack taken with alloca,
 *              unchecked; the size applied at coro_run, not at spawn
 *   defect 10  a generator that calls coro_yield or coro_exit is not
 *              stopped
 *   defect 12  stage 1: a runaway recursion ends in a bare SIGSEGV
 *   defect 13  coro_run replaces the program's SIGSEGV handler and
 *              alternate signal stack, and never gives them back
 *
 * These fail until those fixes land; each failure says what the child
 * that ran the case did.  tests/Makefile tells KIT_STAGE (1 to 5) and
 * KIT_VARIANT (the mode or switch, "" if the stage has one).
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "coro.h"
#include "cu.h"
#if __has_include("gen.h")
#include "gen.h"
#define HAVE_GEN 1
#endif
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#else
#define RUNNING_ON_VALGRIND 0
#endif

#define COPY_MODE (strcmp(KIT_VARIANT, "copy") == 0)

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

/* Does text name coroutine id ("coro 12", not "coro 123")? */
static int names_coro(const char *text, int id)
{
    char name[32];
    int n = snprintf(name, sizeof name, "coro %d", id);
    for (const char *p = text; (p = strstr(p, name)) != NULL; p += n)
        if (p[n] < '0' || p[n] > '9')
            return 1;
    return 0;
}

static void *volatile escaped;  /* what the compiler must not keep in
                                   registers: another may change it */
static int ran;

static void mark_ran(void *arg)
{
    (void)arg;
    ran = 1;
}

/* ---- defect 4: a frame that jumps the guard --------------------- */

#define MARK_BYTES (8 * 1024)   /* the victim's frame near its top */
#define BIG_FRAME  (8 * 1024)   /* more than a guard page */

static size_t stack_bytes;      /* each coroutine's stack (or slice) */
static uintptr_t tops[2];       /* near the top of each duelist's stack */
static int attacked;            /* has the attacker called big_frame()? */

/* Holds a painted frame until the attacker has struck, then looks:
 * is the paint intact?  (It says so after its frame is gone: a line on
 * stderr takes more stack than is left beside the paint.) */
__attribute__((noinline)) static bool victim(void)
{
    unsigned char mark[MARK_BYTES];
    memset(mark, 0x5a, sizeof mark);
    escaped = mark;
    for (int turns = 0; !attacked && turns < 10; turns++)
        coro_yield();
    size_t intact = 0;
    while (intact < sizeof mark && mark[intact] == 0x5a)
        intact++;
    escaped = NULL;
    return intact == sizeof mark;
}

/* An ordinary function with a big array, which writes its far end
 * first, as any loop filling it from index 0 does. */
__attribute__((noinline)) static void big_frame(void)
{
    char big[BIG_FRAME];
    escaped = big;
    memset(big, 0xa5, 1024);
    escaped = NULL;
}

/* Go down the stack until about 2.5 KiB are left above lo, its end,
 * then call big_frame(), whose array reaches below that end. */
__attribute__((noinline)) static void descend(uintptr_t lo)
{
    char pad[256];
    escaped = pad;
    if ((intptr_t)((uintptr_t)pad - lo) > 3 * 1024)
        descend(lo);
    else
        big_frame();
    escaped = NULL;
}

static void attacker(uintptr_t top)
{
    fprintf(stderr, "attacker: %d\n", coro_self());
    coro_yield();               /* the victim paints its frame */
    descend(top - stack_bytes);
    attacked = 1;
}

/* Two coroutines with stacks side by side (in whichever order the
 * library made them): the one above attacks the one below. */
static void duelist(void *arg)
{
    int me = (int)(intptr_t)arg;
    char top;
    tops[me] = (uintptr_t)&top;
    coro_yield();               /* both know where they are */
    if (tops[me] > tops[1 - me])
        attacker(tops[me]);
    else if (!victim())
        fprintf(stderr, "victim: its frame was overwritten\n");
}

/* Coroutines spawned first, to use up the stacks that finished ones
 * left (stage 4 keeps 64 for reuse), so that the duelists' come fresh,
 * one next to the other. */
#ifdef CORO_MAX
#define FILLERS (CORO_MAX - 2)
#else
#define FILLERS 100
#endif

static void duel(void *fillers)
{
#if KIT_STAGE >= 2
    coro_stack_size(stack_bytes);
#endif
    for (long i = 0; i < (long)(intptr_t)fillers; i++)
        if (coro_spawn(mark_ran, NULL) < 0)
            _exit(3);
    coro_spawn(duelist, (void *)0);
    coro_spawn(duelist, (void *)1);
    coro_run();
    _exit(0);
}

/* The program must stop, with a line that names the attacker, before
 * the victim runs on what is left of its frame. */
static void check_duel(long fillers, const char *what)
{
    char err[1024];
    int status = cu_in_child(duel, (void *)(intptr_t)fillers, err,
                             sizeof err);
    const char *said = strstr(err, "attacker: ");
    int ok = said != NULL && WIFSIGNALED(status) &&
             names_coro(err, atoi(said + strlen("attacker: "))) &&
             strstr(err, "overwritten") == NULL;
    CU_ASSERT(ok);
    if (!ok)
        tell(what, status, err);
}

#if KIT_STAGE == 1
static void a_frame_that_skips_the_paint_is_caught(void)
{
    stack_bytes = CORO_SLICE_SIZE;
    check_duel(FILLERS, "an 8 KiB frame at the end of a slice");
}
#else
static void a_frame_that_jumps_the_guard_page_is_caught(void)
{
    stack_bytes = 64 * 1024;
    check_duel(FILLERS, "an 8 KiB frame at the end of a stack");
}
#endif

#if KIT_STAGE >= 4
/* Stage 4 gives guard pages while a quarter of vm.max_map_count lasts
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
    return RUNNING_ON_VALGRIND && limit / 4 > 4096 ? 4096 : limit / 4;
}

static void a_frame_that_jumps_a_canary_is_caught(void)
{
    if (guard_budget() > 100000) {
        printf("\n    skipped: vm.max_map_count is too big to use up\n");
        return;
    }
    stack_bytes = 16 * 1024;
    check_duel(guard_budget() + 256,
               "an 8 KiB frame at the end of a canary stack");
}
#endif

static const CU_TestInfo frame_tests[] = {
#if KIT_STAGE == 1
    {"a frame that skips a slice's paint is caught", a_frame_that_skips_the_paint_is_caught},
#else
    {"a frame that jumps the guard page is caught", a_frame_that_jumps_the_guard_page_is_caught},
#endif
#if KIT_STAGE >= 4
    {"a frame that jumps a canary is caught", a_frame_that_jumps_a_canary_is_caught},
#endif
    CU_TEST_INFO_NULL,
};

#if KIT_STAGE == 1
/* ---- defect 12: stage 1's runaway recursion --------------------- */

static void runaway(void *arg)
{
    (void)arg;
    cu_dig(16 * 1024);          /* 16 MiB */
}

/* The id the next coroutine spawned will get, here or in a child forked
 * from now on (ids are never reused). */
static int next_id(void)
{
    int id = coro_spawn(mark_ran, NULL);
    coro_run();
    return id + 1;
}

static void run_away(void *arg)
{
    (void)arg;
    coro_spawn(runaway, NULL);
    coro_run();
    _exit(0);
}

static void a_runaway_recursion_is_named(void)
{
    char err[1024];
    int id = next_id();
    int status = cu_in_child(run_away, NULL, err, sizeof err);
    int ok = WIFSIGNALED(status) && names_coro(err, id);
    CU_ASSERT(ok);
    if (!ok)
        tell("16 MiB of recursion in a coroutine", status, err);
}

static const CU_TestInfo runaway_tests[] = {
    {"a runaway recursion is named", a_runaway_recursion_is_named},
    CU_TEST_INFO_NULL,
};
#endif

#if KIT_STAGE >= 2
static int exited_with(int status, int code)
{
    return WIFEXITED(status) && WEXITSTATUS(status) == code;
}

/* ---- defect 5: SIGUSR1 blocked ---------------------------------- */

static void own_handler(int sig)
{
    (void)sig;
}

static void with_sigusr1_blocked(void *arg)
{
    (void)arg;
    sigset_t usr1, now;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    sigprocmask(SIG_BLOCK, &usr1, NULL);
    struct sigaction own = {.sa_handler = own_handler}, after;
    sigaction(SIGUSR1, &own, NULL);
    ran = 0;
    coro_spawn(mark_ran, NULL);
    int result = coro_run();
    sigprocmask(SIG_BLOCK, NULL, &now);
    sigaction(SIGUSR1, NULL, &after);
    _exit(result == 0 && ran && sigismember(&now, SIGUSR1) &&
          after.sa_handler == own_handler ? 0 : 1);
}

static void sigusr1_blocked_changes_nothing(void)
{
    char err[1024];
    int status = cu_in_child(with_sigusr1_blocked, NULL, err, sizeof err);
    CU_ASSERT(exited_with(status, 0));
    if (!exited_with(status, 0))
        tell("a coroutine with SIGUSR1 blocked", status, err);
}

static const CU_TestInfo sigusr1_tests[] = {
    {"SIGUSR1 blocked changes nothing", sigusr1_blocked_changes_nothing},
    CU_TEST_INFO_NULL,
};

/* ---- defect 6: absurd stack sizes ------------------------------- */

static uintptr_t main_local;
static bool on_main_stack;

static void note_stack(void *arg)
{
    (void)arg;
    char here;
    uintptr_t below = main_local - (uintptr_t)&here;
    on_main_stack = below < 1024 * 1024;    /* (mapped stacks are far
                                               away, or above it) */
    ran = 1;
}

enum { WORKED = 0, WRONG = 1, SPAWN_REFUSED = 10, RUN_REFUSED = 11 };

/* Spawn with a stack of *arg bytes and run: what happened? */
static void spawn_with(void *arg)
{
    char here;
    main_local = (uintptr_t)&here;
    coro_stack_size(*(const size_t *)arg);
    if (coro_spawn(note_stack, NULL) < 0)
        _exit(SPAWN_REFUSED);
    if (coro_run() != 0)
        _exit(RUN_REFUSED);
    /* copy mode runs coroutines on a stack carved below main's */
    _exit(ran && (COPY_MODE || !on_main_stack) ? WORKED : WRONG);
}

/* A line from the call that refused, or from coro_stack_size. */
static bool said_why(const char *err)
{
    return strstr(err, "coro_spawn: ") || strstr(err, "coro_run: ") ||
           strstr(err, "coro_stack_size: ");
}

/* It works, or it is refused with a line naming the call that refused;
 * never a crash, a false overflow, or main's stack used silently.  A
 * size no stack can have (must_say) cannot work without a word. */
static int worked_or_refused(int status, const char *err, bool must_say)
{
    if (strstr(err, "overflow") != NULL)
        return 0;
    if (exited_with(status, WORKED))
        return !must_say || said_why(err);
    if (exited_with(status, SPAWN_REFUSED))
        return strstr(err, "coro_spawn: ") || strstr(err, "coro_stack_size: ");
    if (exited_with(status, RUN_REFUSED) || cu_aborted(status))
        return strstr(err, "coro_spawn: ") || strstr(err, "coro_run: ") ||
               strstr(err, "coro_stack_size: ");
    return 0;
}

static void check_size(size_t size, bool must_say, const char *what)
{
    char err[1024];
    int status = cu_in_child(spawn_with, &size, err, sizeof err);
    int ok = worked_or_refused(status, err, must_say);
    CU_ASSERT(ok);
    if (!ok)
        tell(what, status, err);
}

static void absurd_stack_sizes_are_refused(void)
{
    check_size(SIZE_MAX, true, "coro_stack_size(SIZE_MAX)");
    check_size(SIZE_MAX - 4096, true, "coro_stack_size(SIZE_MAX - 4096)");
    check_size(SIZE_MAX / 2 + 1, true, "coro_stack_size(SIZE_MAX / 2 + 1)");
}

#ifdef HAVE_GEN
static void yield_one(void *arg)
{
    (void)arg;
    gen_yield(1);
}

static void gen_with(void *arg)
{
    gen_stack_size(*(const size_t *)arg);
    gen *g = gen_new(yield_one, NULL, "huge");
    if (g == NULL)
        _exit(SPAWN_REFUSED);
    long v = 0;
    bool got = gen_next(g, &v);
    gen_free(g);
    _exit(got && v == 1 ? WORKED : WRONG);
}

static void absurd_generator_stacks_are_refused(void)
{
    static const size_t sizes[] = {SIZE_MAX, SIZE_MAX - 4096,
                                   SIZE_MAX / 2 + 1};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        char err[1024];
        int status = cu_in_child(gen_with, (void *)&sizes[i], err,
                                 sizeof err);
        bool said = strstr(err, "gen_new: ") ||
                    strstr(err, "gen_stack_size: ");
        int ok = said && (exited_with(status, WORKED) ||
                          exited_with(status, SPAWN_REFUSED));
        CU_ASSERT(ok);
        if (!ok)
            tell("gen_stack_size of an absurd size", status, err);
    }
}
#endif

static const CU_TestInfo size_tests[] = {
    {"absurd stack sizes are refused", absurd_stack_sizes_are_refused},
#ifdef HAVE_GEN
    {"absurd generator stacks are refused", absurd_generator_stacks_are_refused},
#endif
    CU_TEST_INFO_NULL,
};

/* ---- defect 7: copy mode's shared stack ------------------------- */

static void big_shared_stacks_work_or_are_refused(void)
{
    check_size((size_t)32 << 20, false, "copy mode, coro_stack_size(32 MiB)");
    check_size((size_t)16 << 40, true, "copy mode, coro_stack_size(16 TiB)");
}

static void dig_40_kib(void *arg)
{
    (void)arg;
    cu_dig(40);
    ran = 1;
}

static void size_then_shrink(void *arg)
{
    (void)arg;
    coro_stack_size(64 * 1024);
    coro_spawn(dig_40_kib, NULL);
    coro_stack_size(16 * 1024);     /* for later spawns only */
    ran = 0;
    coro_run();
    _exit(ran ? 0 : 1);
}

static void a_stack_size_holds_from_spawn(void)
{
    char err[1024];
    int status = cu_in_child(size_then_shrink, NULL, err, sizeof err);
    int ok = exited_with(status, 0) && strstr(err, "overflow") == NULL;
    CU_ASSERT(ok);
    if (!ok)
        tell("40 KiB deep in a coroutine spawned with 64 KiB", status, err);
}

static const CU_TestInfo copy_tests[] = {
    {"big shared stacks work or are refused", big_shared_stacks_work_or_are_refused},
    {"a stack size holds from spawn", a_stack_size_holds_from_spawn},
    CU_TEST_INFO_NULL,
};

/* ---- defect 13: the program's own SIGSEGV handling -------------- */

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

static void overflow(void *arg)
{
    (void)arg;
    cu_dig(256);                /* 256 KiB deep in 64 KiB */
}

/* The program handles SIGSEGV itself, and a coroutine overflows: while
 * coro_run runs, the kit's watch must be in place to name it. */
static void own_handling_then_overflow(void *arg)
{
    (void)arg;
    handle_segv_ourselves();
    coro_stack_size(64 * 1024);
    coro_spawn(overflow, NULL);
    coro_run();
    _exit(0);
}

/* ...and once coro_run has returned, the program's own are back. */
static void own_handling_kept(void *arg)
{
    (void)arg;
    stack_t now;
    struct sigaction after;
    handle_segv_ourselves();
    coro_spawn(mark_ran, NULL);
    coro_run();
    sigaltstack(NULL, &now);
    sigaction(SIGSEGV, NULL, &after);
    _exit(after.sa_handler == own_segv && now.ss_sp == own_stack &&
          now.ss_size == sizeof own_stack ? 0 : 1);
}

static void coro_run_watches_and_gives_back(void)
{
    char err[1024];
    int status = cu_in_child(own_handling_then_overflow, NULL, err,
                             sizeof err);
    int ok = WIFSIGNALED(status) && strstr(err, "overflowed") != NULL;
    CU_ASSERT(ok);
    if (!ok)
        tell("an overflow in coro_run, with the program's own handler",
             status, err);
    status = cu_in_child(own_handling_kept, NULL, err, sizeof err);
    CU_ASSERT(exited_with(status, 0));
    if (!exited_with(status, 0))
        tell("the handler and stack after coro_run", status, err);
}

static const CU_TestInfo segv_tests[] = {
    {"coro_run watches, and gives back", coro_run_watches_and_gives_back},
    CU_TEST_INFO_NULL,
};
#endif

#ifdef HAVE_GEN
/* ---- defect 10: a generator that stops its consumer ------------- */

static void yields_the_coroutine(void *arg)
{
    (void)arg;
    coro_yield();
}

static void exits_the_coroutine(void *arg)
{
    (void)arg;
    coro_exit();
}

static const struct rogue {
    gen_fn      fn;         /* the generator's function */
    const char *message;    /* what must stop it */
    const char *what;
} rogues[] = {
    {yields_the_coroutine, "coro_yield: ", "a generator calls coro_yield"},
    {exits_the_coroutine, "coro_exit: ", "a generator calls coro_exit"},
};

static void consume(void *rogue)
{
    gen *g = gen_new(((const struct rogue *)rogue)->fn, NULL, "rogue");
    gen_next(g, NULL);
    gen_free(g);
}

static void consume_in_a_coroutine(void *rogue)
{
    coro_spawn(consume, rogue);
    coro_run();
    _exit(0);
}

static void a_generator_may_not_stop_its_coroutine(void)
{
    for (size_t i = 0; i < sizeof rogues / sizeof rogues[0]; i++) {
        char err[1024];
        int status = cu_in_child(consume_in_a_coroutine,
                                 (void *)&rogues[i], err, sizeof err);
        int ok = cu_aborted(status) && strstr(err, rogues[i].message);
        CU_ASSERT(ok);
        if (!ok)
            tell(rogues[i].what, status, err);
    }
}

static const CU_TestInfo gen_tests[] = {
    {"a generator may not stop its coroutine", a_generator_may_not_stop_its_coroutine},
    CU_TEST_INFO_NULL,
};
#endif

void open_defect_suites(void)
{
    if (!COPY_MODE)             /* its one stack is carved from main's */
        cu_add("issue 9, defect 4: a frame that jumps the guard",
               frame_tests);
#if KIT_STAGE == 1
    cu_add("issue 9, defect 12: a runaway recursion", runaway_tests);
#else
    cu_add("issue 9, defect 5: SIGUSR1 blocked", sigusr1_tests);
    cu_add("issue 9, defect 6: absurd stack sizes", size_tests);
    if (COPY_MODE)
        cu_add("issue 9, defect 7: copy mode's shared stack", copy_tests);
    cu_add("issue 9, defect 13: the program's SIGSEGV handling", segv_tests);
#endif
#ifdef HAVE_GEN
    cu_add("issue 9, defect 10: a generator that stops its coroutine",
           gen_tests);
#endif
}
