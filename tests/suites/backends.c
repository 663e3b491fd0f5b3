/*
 * backends.c - what each switch (SWITCH=copy, asm, sigstack, ucontext;
 * the back ends behind ctx.h) does its own way: where a coroutine's
 * frames begin, copy mode's copies and the trap they set, and the
 * signal handler, mask and alternate stack that sigstack borrows to
 * make a context and must give back.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "coro.h"
#include "cu.h"
#include "frames.h"
#include "kit.h"
#include "show.h"

static void the_library_has_the_switch_asked_for(void)
{
    CU_ASSERT_STRING_EQUAL(ctx_mode.name, KIT_SWITCH);
    CU_ASSERT_EQUAL(ctx_mode.own_stacks, strcmp(KIT_SWITCH, "copy") != 0);
}

/* ---- where a coroutine's frames begin --------------------------- */

static struct frame seen[32];
static int seen_count, seen_to_first;

KEEP_FRAME static void walk_my_stack(void)
{
    struct stack s = kit_my_stack();
    char *fp = __builtin_frame_address(0);
    seen_count = frames_walk(fp, s.lo, s.hi, 0, NULL, seen, 32);
    seen_to_first = frames_walk(fp, s.lo, s.hi, 0, ctx_mode.first_frame,
                                seen, 32);
}

KEEP_FRAME static void walker(void *arg)
{
    (void)arg;
    walk_my_stack();
}

/* The tracer draws a stack from its first frame (ctx_mode.first_frame)
 * on: it must be the outermost of ours on the coroutine's stack.  Above
 * it lies at most what ctx_mode.top_note says: sigstack's boot() runs
 * below the kernel's signal frame, which on aarch64 holds a frame
 * record of its own. */
static void frames_begin_at_the_first_frame(void)
{
    seen_count = seen_to_first = 0;
    coro_spawn(walker, NULL);
    coro_run();
    CU_ASSERT_FATAL(seen_to_first >= 3);
    CU_ASSERT_STRING_EQUAL(seen[0].name, "walker");
    CU_ASSERT_STRING_EQUAL(seen[seen_to_first - 1].name,
                           ctx_mode.first_frame);
    CU_ASSERT(seen_count == seen_to_first ||
              (ctx_mode.top_note != NULL &&
               seen_count == seen_to_first + 1));
}

/* ---- copy mode's copies ----------------------------------------- */

static size_t copied[2];
static int copier_id[2];

KEEP_FRAME static void shallow(void *arg)
{
    (void)arg;
    coro_yield();
}

static char *volatile dug;      /* so that the block must really exist */

KEEP_FRAME static void deep(void *arg)
{
    char block[4096];
    dug = block;
    memset(block, (int)(intptr_t)arg, sizeof block);
    coro_yield();                   /* 4 KiB to the heap, and back */
    CU_ASSERT_EQUAL(block[0], 9);
    CU_ASSERT_EQUAL(block[4095], 9);
}

static size_t copy_size(int id)
{
    struct ctx_view v;
    ctx_view(kit_ctx_of(id), &v);
    return (size_t)(v.held_hi - v.held_lo);
}

KEEP_FRAME static void look_at_copies(void *arg)
{
    (void)arg;
    copied[0] = copy_size(copier_id[0]);
    copied[1] = copy_size(copier_id[1]);
}

static void a_copy_is_as_big_as_what_is_used(void)
{
    copier_id[0] = coro_spawn(shallow, NULL);
    copier_id[1] = coro_spawn(deep, (void *)9);
    coro_spawn(look_at_copies, NULL);
    coro_run();
    CU_ASSERT(copied[0] > 0 && copied[0] < 1024);
    CU_ASSERT(copied[1] > 4096 && copied[1] < 6 * 1024);
}

static volatile int *lent;
static int read_through;

KEEP_FRAME static void lender(void *arg)
{
    volatile int mine = 42;
    (void)arg;
    lent = &mine;
    coro_yield();
    CU_ASSERT_EQUAL(mine, 42);
}

KEEP_FRAME static void borrower(void *arg)
{
    volatile int mine = 7;
    (void)arg;
    read_through = *lent + mine - mine;
}

/* The trap of copy mode, shown: a pointer into a stopped coroutine's
 * frames points into the shared stack, which now holds somebody else's. */
static void a_pointer_into_a_stopped_coroutine(void)
{
    coro_spawn(lender, NULL);
    coro_spawn(borrower, NULL);
    coro_run();
    if (ctx_mode.own_stacks)
        CU_ASSERT_EQUAL(read_through, 42)   /* the lender's, on its stack */
    else
        CU_ASSERT_EQUAL(read_through, 7);   /* the borrower's own local */
}

static const char *the_read_is_allowed(void)
{
    if (kit_under_asan() && !ctx_mode.own_stacks)
        return "SWITCH=copy under AddressSanitizer, which rightly stops "
               "the read";
    return NULL;
}

/* ---- what sigstack borrows -------------------------------------- */

static volatile sig_atomic_t usr1_seen;

static void on_usr1(int sig)
{
    (void)sig;
    usr1_seen++;
}

static void spawned(void *arg)
{
    (void)arg;
    coro_yield();
}

/* sigstack makes each context by raising SIGUSR1 onto its stack, with
 * a handler, a mask and an alternate stack of its own for the moment;
 * every switch must leave the program's own as they were.  (Issue 9,
 * defect 5: at 006d2c6, with SIGUSR1 blocked by the program, raise()
 * delivered nothing, and sigstack longjmp'd into a jmp_buf never
 * filled: a crash at the first spawn.) */
static void the_program_keeps_its_signals(void)
{
    static char alt[64 * 1024];
    stack_t mine = {.ss_sp = alt, .ss_size = sizeof alt}, old, now;
    struct sigaction sa = {.sa_handler = on_usr1}, was, is;
    sigset_t usr1, mask;
    sigemptyset(&sa.sa_mask);
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    sigaltstack(&mine, &old);
    sigaction(SIGUSR1, &sa, &was);
    sigprocmask(SIG_BLOCK, &usr1, NULL);
    usr1_seen = 0;
    for (int i = 0; i < 3; i++)
        coro_spawn(spawned, NULL);
    coro_run();
    sigaltstack(NULL, &now);
    sigaction(SIGUSR1, NULL, &is);
    sigprocmask(SIG_BLOCK, NULL, &mask);
    CU_ASSERT_PTR_EQUAL(now.ss_sp, alt);
    CU_ASSERT_PTR_EQUAL(is.sa_handler, on_usr1);
    CU_ASSERT(sigismember(&mask, SIGUSR1));
    CU_ASSERT_EQUAL(usr1_seen, 0);
    raise(SIGUSR1);                     /* pending, until unblocked */
    sigprocmask(SIG_UNBLOCK, &usr1, NULL);
    CU_ASSERT_EQUAL(usr1_seen, 1);
    sigaction(SIGUSR1, &was, NULL);
    sigaltstack(&old, NULL);
}

static const struct cu_test tests[] = {
    {"the library has the switch asked for",
     the_library_has_the_switch_asked_for, NULL},
    {"frames begin at the first frame", frames_begin_at_the_first_frame,
     NULL},
    {"a copy is as big as what is used", a_copy_is_as_big_as_what_is_used,
     needs_copy},
    {"a pointer into a stopped coroutine",
     a_pointer_into_a_stopped_coroutine, the_read_is_allowed},
    {"the program keeps its signals", the_program_keeps_its_signals, NULL},
    CU_TESTS_END,
};

void backends_suites(void)
{
    static char name[48];
    snprintf(name, sizeof name, "the back end: SWITCH=%s", KIT_SWITCH);
    cu_suite(name, tests, NULL);
}
