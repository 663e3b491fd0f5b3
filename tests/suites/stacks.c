/*
 * stacks.c - a stack for every coroutine, as stages 2 to 5 give them:
 * each keeps its locals, the size can be chosen, stacks do not pile up,
 * and a coroutine that runs off the end of one is stopped with a
 * message.  In copy mode all run on one shared stack, and the same
 * promises hold for it.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "coro.h"
#include "cu.h"
#include "kit.h"
#include "overflow.h"
#include "show.h"

#define LOCALS 4                /* coroutines that keep a local */

/* ---- each keeps its locals -------------------------------------- */

static struct {
    volatile int *where;        /* a local of each coroutine */
    struct stack  stack;        /* the stack it ran on */
} local_of[LOCALS];
static int values_seen_wrong;

KEEP_FRAME static void keep_a_local(void *arg)
{
    volatile int mine = (int)(intptr_t)arg;
    local_of[mine].where = &mine;
    local_of[mine].stack = kit_my_stack();
    for (int i = 0; i < 3; i++) {
        coro_yield();
        if (mine != (int)(intptr_t)arg)
            values_seen_wrong++;
    }
}

static bool on_stack(const struct stack *s, const volatile void *p)
{
    return s->lo != NULL && (const char *)p >= s->lo &&
           (const char *)p < s->hi;
}

static bool overlap(const struct stack *a, const struct stack *b)
{
    return a->lo < b->hi && b->lo < a->hi;
}

static void each_coroutine_keeps_its_locals(void)
{
    values_seen_wrong = 0;
    for (intptr_t i = 0; i < LOCALS; i++)
        coro_spawn(keep_a_local, (void *)i);
    CU_ASSERT_EQUAL(coro_run(), 0);
    CU_ASSERT_EQUAL(values_seen_wrong, 0);
    for (int i = 0; i < LOCALS; i++) {
        CU_ASSERT(on_stack(&local_of[i].stack, local_of[i].where));
        for (int j = 0; j < i && ctx_mode.own_stacks; j++)
            CU_ASSERT(!overlap(&local_of[i].stack, &local_of[j].stack));
        if (i > 0 && !ctx_mode.own_stacks) {    /* one shared stack */
            CU_ASSERT_PTR_EQUAL(local_of[i].stack.lo, local_of[0].stack.lo);
            CU_ASSERT_PTR_EQUAL(local_of[i].where, local_of[0].where);
        }
    }
}

/* ---- sizes ------------------------------------------------------ */

static size_t stack_seen;       /* the last measure_stack() saw */

KEEP_FRAME static void measure_stack(void *arg)
{
    (void)arg;
    struct stack s = kit_my_stack();
    stack_seen = (size_t)(s.hi - s.lo);
}

static size_t stack_of(size_t bytes)
{
    coro_stack_size(bytes);
    coro_spawn(measure_stack, NULL);
    coro_run();
    coro_stack_size(CORO_STACK_SIZE);
    return stack_seen;
}

static void the_stack_size_can_be_chosen(void)
{
    CU_ASSERT_EQUAL(stack_of(32 * 1024), 32 * 1024);
    CU_ASSERT_EQUAL(stack_of(1000), 16 * 1024);     /* the minimum */
    CU_ASSERT_EQUAL(stack_of(CORO_STACK_SIZE), CORO_STACK_SIZE);
}

static void ask_too_much(void *bytes)
{
    coro_stack_size(32 * 1024);
    coro_stack_size(*(const size_t *)bytes);
}

/* Issue 9, defect 6: at 006d2c6 coro_stack_size(SIZE_MAX) was taken,
 * and rounding it up to whole pages overflowed: asm and ucontext crashed
 * in coro_spawn, sigstack ran the coroutine on main's stack, copy mode
 * reported an overflow that was not; 16 TiB (defect 7) gave copy mode a
 * bare SIGSEGV.  Each is refused now, with a line, and the size stays. */
static void more_than_the_most_is_refused(void)
{
    static const size_t sizes[] = {CORO_STACK_MAX + 1, SIZE_MAX,
                                   SIZE_MAX - 4095, SIZE_MAX / 2 + 1,
                                   (size_t)16 << 40};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        char err[256], says[160];
        cu_catch_stderr(ask_too_much, (void *)&sizes[i], err, sizeof err);
        snprintf(says, sizeof says, "coro_stack_size: %zu bytes is more "
                 "than the 1073741824 a stack may have; it stays 32768\n",
                 sizes[i]);
        CU_ASSERT_STRING_EQUAL(err, says);
        coro_spawn(measure_stack, NULL);
        coro_run();
        coro_stack_size(CORO_STACK_SIZE);
        CU_ASSERT_EQUAL(stack_seen, 32 * 1024);
    }
}

/* Copy mode: the shared stack is as big as the biggest asked for by
 * those alive when coro_run() starts.  (Issue 9, defect 7: at 006d2c6
 * it took the size asked for last, when coro_run() started: here 32
 * KiB, while the coroutine spawned with 40 KiB was promised 40.) */
static void the_biggest_asked_for_counts(void)
{
    coro_stack_size(24 * 1024);
    coro_spawn(measure_stack, NULL);
    coro_stack_size(40 * 1024);
    coro_spawn(measure_stack, NULL);
    coro_stack_size(CORO_STACK_SIZE / 2);
    coro_spawn(measure_stack, NULL);
    coro_run();
    coro_stack_size(CORO_STACK_SIZE);
    CU_ASSERT_EQUAL(stack_seen, 40 * 1024);
}

/* ---- stacks come back ------------------------------------------- */

static void yield_twice(void *arg)
{
    (void)arg;
    coro_yield();
    coro_yield();
}

static void spawn_and_run(int n)
{
    for (int i = 0; i < n; i++)
        coro_spawn(yield_twice, NULL);
    coro_run();
}

/* Given back to the kernel (stages 2-3), or kept for the next spawns
 * (4-5, many.c): either way, running more does not take more. */
static void finished_stacks_do_not_pile_up(void)
{
    spawn_and_run(16);          /* warm up: stdio, the tracer, a pool */
    long before = cu_mappings();
    for (int round = 0; round < 50; round++)
        spawn_and_run(16);
    CU_ASSERT(cu_mappings() - before <= kit_mappings_slack());
}

/* ---- running off the end ---------------------------------------- */

static void overflow_small_stack(void *arg)
{
    (void)arg;
    coro_stack_size(16 * 1024);
    coro_spawn(dig_deep, (void *)(intptr_t)64);
    coro_run();
    fprintf(stderr, "not stopped\n");
}

static void running_off_a_stack_is_caught(void)
{
    const char *says = ctx_mode.own_stacks
        ? " overflowed its 16 KiB stack into the guard page; give it more "
          "with coro_stack_size()"
        : " overflowed the shared 16 KiB stack into the guard page; give "
          "it more with coro_stack_size()";
    CU_ASSERT(overflow_reported(overflow_small_stack, says));
}

static void a_deep_call_that_fits_runs(void)
{
    coro_spawn(dig_deep, (void *)(intptr_t)(CORO_STACK_SIZE / 1024 / 2));
    CU_ASSERT_EQUAL(coro_run(), 0);
}

/* Issue 9, defect 13: the kit's watch is in place while coro_run()
 * runs, even when the program handles SIGSEGV itself (whose handler
 * would leave with exit status 7). */
static void own_segv(int sig)
{
    (void)sig;
    _exit(7);
}

static void overflow_with_a_handler_of_our_own(void *arg)
{
    struct sigaction sa = {.sa_handler = own_segv};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, NULL);
    overflow_small_stack(arg);
}

static void the_watch_holds_over_the_programs_handler(void)
{
    CU_ASSERT(overflow_reported(overflow_with_a_handler_of_our_own,
                                " overflowed "));
}

/* ---- a frame bigger than the guard page ------------------------- */

/* Issue 9, defect 4: a function whose frame is bigger than the guard
 * page, called near the end of a stack, could step over the guard and
 * write into whatever lay below: at 006d2c6 the tests (like the stages
 * and the programs built with them) were built without
 * -fstack-clash-protection, and such a frame overwrote the next
 * coroutine's stack unseen.  Built with it, the frame touches every
 * page on its way down, the guard page first. */
#define BIG_FRAME (8 * 1024)            /* two pages and more */
#define BIG_FRAME_STACK (68 * 1024)     /* a size no other test asks for */

static char *volatile far_end;  /* so that the frames must exist */

/* An ordinary function with a big array, which writes its far end
 * first, as any loop that fills it from index 0 does. */
__attribute__((noinline)) static void big_frame(void)
{
    char big[BIG_FRAME];
    far_end = big;
    memset(big, 0xa5, 1024);
    __asm__ volatile("" : : "r"(big) : "memory");  /* the bytes are read */
    far_end = NULL;
}

/* Go down the stack until about 3 KiB are left above lo, its end, then
 * call big_frame(), whose array reaches 5 KiB below that end. */
__attribute__((noinline)) static void go_down_to(const char *lo)
{
    char pad[256];
    far_end = pad;
    if (pad - lo > 3 * 1024)
        go_down_to(lo);
    else
        big_frame();
    far_end = NULL;
}

static void frame_at_the_end(void *arg)
{
    struct stack s = kit_my_stack();
    (void)arg;
    if (s.guard == NULL) {      /* stages 4-5: a canary, which cannot */
        fprintf(stderr, "no guard page below this stack\n");
        return;
    }
    go_down_to(s.lo);
}

static void big_frame_at_the_end(void *arg)
{
    (void)arg;
    coro_stack_size(BIG_FRAME_STACK);
    coro_spawn(frame_at_the_end, NULL);
    coro_run();
    fprintf(stderr, "not stopped\n");
}

static const char *needs_stack_clash_protection(void)
{
#ifdef KIT_STACK_CLASH
    return NULL;
#else
    return "the compiler has no -fstack-clash-protection: a frame bigger "
           "than a page may step over the guard page";
#endif
}

static void a_frame_bigger_than_the_guard_is_caught(void)
{
    CU_ASSERT(overflow_reported(big_frame_at_the_end,
                                ctx_mode.own_stacks
                                ? " overflowed its 68 KiB stack into the "
                                  "guard page"
                                : " overflowed the shared 68 KiB stack "
                                  "into the guard page"));
}

/* ---- copy mode: a shared stack bigger than what main has left --- */

/* Issue 9, defect 7: at 006d2c6 copy mode took its shared stack from
 * main's with alloca() without looking: 32 MiB, with main's limited to
 * 8 MiB, gave a bare SIGSEGV.  coro_run() refuses it now, with a line,
 * and returns -1. */
static void share_32_mib(void *arg)
{
    struct rlimit r;
    (void)arg;
    getrlimit(RLIMIT_STACK, &r);
    if (r.rlim_cur == RLIM_INFINITY || r.rlim_cur > (rlim_t)8 << 20)
        r.rlim_cur = (rlim_t)8 << 20;
    setrlimit(RLIMIT_STACK, &r);
    coro_stack_size((size_t)32 << 20);
    coro_spawn(measure_stack, NULL);
    _exit(coro_run() == -1 ? 0 : 1);
}

static void a_shared_stack_bigger_than_mains_is_refused(void)
{
    char err[512];
    int status = cu_in_child(share_32_mib, NULL, err, sizeof err);
    bool ok = WIFEXITED(status) && WEXITSTATUS(status) == 0 &&
              cu_line_has(err, "coro_run: copy mode's shared stack of "
                               "32768 KiB does not fit in what is left "
                               "of main's stack");
    CU_ASSERT(ok);
    if (!ok)
        cu_tell("a shared stack of 32 MiB, main's of 8 MiB", status, err);
}

/* ---- the watch for overflows (stack.h) ---------------------------- */

static void say_inner(const void *addr)
{
    (void)addr;
    if (write(STDERR_FILENO, "inner ", 6) < 0)
        return;
}

static void say_outer(const void *addr)
{
    (void)addr;
    if (write(STDERR_FILENO, "outer ", 6) < 0)
        return;
}

/* Touch a guard page under two watches; arg non-NULL: the older one
 * has ended first. */
static void touch_a_guard_page(void *arg)
{
    struct stack s;
    if (stack_alloc(&s, 16 * 1024) != 0 || s.guard == NULL) {
        fprintf(stderr, "no guard page\n");
        return;
    }
    stack_watch(say_outer);
    stack_watch(say_inner);
    if (arg != NULL)
        stack_unwatch(say_outer);
    *(volatile char *)s.guard = 1;
    fprintf(stderr, "not stopped\n");
}

/* Watches overlap: a fault is told to each, the newest first; they
 * may end in any order, and the last one's end puts the program's own
 * handler back. */
static void watches_overlap(void)
{
    char err[256];
    int status = cu_in_child(touch_a_guard_page, NULL, err, sizeof err);
    CU_ASSERT(cu_killed_by(status, SIGSEGV));
    CU_ASSERT_EQUAL(strncmp(err, "inner outer ", 12), 0);  /* qemu adds */
    CU_ASSERT_PTR_NULL(strstr(err, "not stopped"));         /* a line */
    status = cu_in_child(touch_a_guard_page, "outer ended", err,
                         sizeof err);
    CU_ASSERT(cu_killed_by(status, SIGSEGV));
    CU_ASSERT_EQUAL(strncmp(err, "inner ", 6), 0);
    CU_ASSERT_PTR_NULL(strstr(err, "outer"));       /* it has ended */
    struct sigaction was;
    own_segv_handler_set(&was);
    stack_watch(say_outer);
    stack_watch(say_inner);
    stack_unwatch(say_outer);                   /* the older one first */
    CU_ASSERT_FALSE(own_segv_handler_in_place());   /* still watched */
    stack_unwatch(say_inner);
    CU_ASSERT(own_segv_handler_in_place());     /* the program's again */
    sigaction(SIGSEGV, &was, NULL);
}

static const struct cu_test tests[] = {
    {"each coroutine keeps its locals", each_coroutine_keeps_its_locals,
     NULL},
    {"the stack size can be chosen", the_stack_size_can_be_chosen, NULL},
    {"more than the most is refused", more_than_the_most_is_refused, NULL},
    {"the shared stack is the biggest asked for",
     the_biggest_asked_for_counts, needs_copy},
    {"finished stacks do not pile up", finished_stacks_do_not_pile_up,
     NULL},
    {"running off a stack is caught", running_off_a_stack_is_caught, NULL},
    {"a deep call that fits runs", a_deep_call_that_fits_runs, NULL},
    {"the watch holds over the program's own handler",
     the_watch_holds_over_the_programs_handler, NULL},
    {"a frame bigger than the guard page is caught",
     a_frame_bigger_than_the_guard_is_caught, needs_stack_clash_protection},
    {"a shared stack bigger than main's is refused",
     a_shared_stack_bigger_than_mains_is_refused, needs_copy},
    {"watches overlap, and end in any order", watches_overlap, NULL},
    CU_TESTS_END,
};

void stacks_suites(void)
{
    cu_suite("stacks: one for each coroutine", tests, NULL);
}
