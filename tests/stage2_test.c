/*
 * stage2_test.c - stage 2 (02-stack-switch), in whichever mode the
 * library was built (copy, asm, sigstack): the coroutine API, stacks of
 * their own, guard pages, the registers a switch must keep, copy mode's
 * dangling pointers, and the tracer's boxes.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "coro_impl.h"
#include "cu.h"
#include "stacks_test.h"
#include "switch_test.h"
#include "tools.h"
#include "trace.h"

void coro_api_suite(void);

static bool mode_is(const char *mode)
{
    return strcmp(ctx_mode, mode) == 0;
}

/* ---- stacks ----------------------------------------------------- */

static volatile int *local_of[CORO_MAX];    /* a local of each */
static int values_seen_wrong;

KEEP_FRAME static void keep_a_local(void *arg)
{
    volatile int mine = (int)(intptr_t)arg;
    local_of[mine] = &mine;
    for (int i = 0; i < 3; i++) {
        coro_yield();
        if (mine != (int)(intptr_t)arg)
            values_seen_wrong++;
    }
}

/* Which coroutine's stack holds p?  -1: none. */
static int owner(const volatile int *p)
{
    for (int i = 0; i < CORO_MAX; i++) {
        const struct stack *s = &coro_slot(i)->ctx.stack;
        if (s->lo != NULL && (const char *)p >= s->lo &&
            (const char *)p < s->hi)
            return i;
    }
    return -1;
}

KEEP_FRAME static void check_owners(void *arg)
{
    (void)arg;
    for (int i = 0; i < 4; i++)
        CU_ASSERT_EQUAL(owner(local_of[i]), i);
}

static void each_keeps_its_locals(void)
{
    values_seen_wrong = 0;
    for (intptr_t i = 0; i < 4; i++)
        coro_spawn(keep_a_local, (void *)i);
    if (!mode_is("copy"))
        coro_spawn(check_owners, NULL);
    CU_ASSERT_EQUAL(coro_run(), 0);
    CU_ASSERT_EQUAL(values_seen_wrong, 0);
    if (mode_is("copy")) {          /* one shared stack: same addresses */
        CU_ASSERT_PTR_EQUAL(local_of[0], local_of[1]);
        CU_ASSERT_PTR_EQUAL(local_of[1], local_of[3]);
    } else {                        /* a stack each */
        CU_ASSERT_PTR_NOT_EQUAL(local_of[0], local_of[1]);
    }
}

static const struct coro *slot_of(int id)
{
    for (int i = 0; i < CORO_MAX; i++)
        if (coro_slot(i)->id == id)
            return coro_slot(i);
    return NULL;
}

static void overflow_shared_stack(void *arg)
{
    (void)arg;
    coro_spawn(dig_deep, (void *)(intptr_t)(CORO_STACK_SIZE / 1024 + 16));
    coro_run();
    fprintf(stderr, "not stopped\n");
}

static void running_off_the_shared_stack_is_caught(void)
{
    if (!mode_is("copy"))
        return;
    CU_ASSERT(overflow_reported(overflow_shared_stack, " overflowed its 64 "
                                "KiB stack into the guard page"));
}

static const CU_TestInfo stack_tests[] = {
    {"each coroutine keeps its locals", each_keeps_its_locals},
    {"running off the shared stack is caught", running_off_the_shared_stack_is_caught},
    CU_TEST_INFO_NULL,
};

/* ---- copy mode -------------------------------------------------- */

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

KEEP_FRAME static void look_at_copies(void *arg)
{
    (void)arg;
    copied[0] = slot_of(copier_id[0])->ctx.copy_size;
    copied[1] = slot_of(copier_id[1])->ctx.copy_size;
}

static void a_copy_is_as_big_as_what_is_used(void)
{
    if (!mode_is("copy"))
        return;
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
 * frames points into the shared stack, which now holds somebody else's.
 * (Not run under AddressSanitizer, which rightly objects to the read.) */
static void a_pointer_into_a_stopped_coroutine(void)
{
#ifdef HAVE_ASAN
    return;
#endif
    coro_spawn(lender, NULL);
    coro_spawn(borrower, NULL);
    coro_run();
    if (mode_is("copy"))
        CU_ASSERT_EQUAL(read_through, 7)    /* the borrower's own local */
    else
        CU_ASSERT_EQUAL(read_through, 42);  /* the lender's, on its stack */
}

static const CU_TestInfo copy_tests[] = {
    {"a copy is as big as what is used", a_copy_is_as_big_as_what_is_used},
    {"a pointer into a stopped coroutine", a_pointer_into_a_stopped_coroutine},
    CU_TEST_INFO_NULL,
};

/* ---- the drawings ----------------------------------------------- */

static char *drawing;
static size_t drawing_size;

KEEP_FRAME static void three_(void) { coro_yield(); }
KEEP_FRAME static void two_(void) { three_(); }
KEEP_FRAME static void one_(void *arg) { (void)arg; two_(); }

KEEP_FRAME static void artist(void *arg)
{
    (void)arg;
    trace_stacks("the artist draws");
}

static void draw_one_and_artist(void)
{
    free(drawing);
    FILE *out = open_memstream(&drawing, &drawing_size);
    trace_output(out);
    coro_spawn(one_, NULL);
    coro_spawn(artist, NULL);
    coro_run();
    trace_output(NULL);
    fclose(out);
}

static void a_suspended_coroutine_is_drawn(void)
{
    draw_one_and_artist();
    const char *box = strstr(drawing, "suspended in coro_yield()");
    CU_ASSERT_FATAL(box != NULL);
    CU_ASSERT(cu_line_has(box, mode_is("copy") ? "B copied to the heap"
                                            : ": its own 64 KiB stack"));
    const char *a = strstr(box, "| one_()");
    const char *b = a ? strstr(a, "| two_()") : NULL;
    const char *c = b ? strstr(b, "| three_()") : NULL;
    const char *y = c ? strstr(c, "| coro_yield()") : NULL;
    CU_ASSERT_FATAL(y != NULL);
    CU_ASSERT(cu_line_has(y, "<- saved sp"));
    CU_ASSERT(!cu_line_has(y, " 0 B"));
}

static void the_running_coroutine_is_drawn(void)
{
    draw_one_and_artist();
    const char *me = strstr(drawing, "| artist()");
    CU_ASSERT_FATAL(me != NULL);
    CU_ASSERT(cu_line_has(me, "<- sp"));
    const char *main_box = strstr(drawing, "main's stack");
    CU_ASSERT_FATAL(main_box != NULL);
    if (mode_is("copy"))            /* on the shared stack, in main's box */
        CU_ASSERT(strstr(drawing, "the shared stack: coro") < me)
    else                            /* in its own box, after main's */
        CU_ASSERT(main_box < me);
    const char *guard = strstr(me, "guard page: no access");
    CU_ASSERT_PTR_NOT_NULL(guard);
}

static const CU_TestInfo trace_tests[] = {
    {"a suspended coroutine is drawn", a_suspended_coroutine_is_drawn},
    {"the running coroutine is drawn", the_running_coroutine_is_drawn},
    CU_TEST_INFO_NULL,
};

static void stage2_suites(void)
{
    static char name[64];
    snprintf(name, sizeof name, "stage 2 (%s mode)", ctx_mode);
    cu_add(name, stack_tests);
    cu_add("stage 2: copy mode", copy_tests);
    cu_add("stage 2: the tracer", trace_tests);
}

void open_defect_suites(void);

int main(void)
{
    static const cu_suite_fn suites[] = {coro_api_suite, switch_suite,
                                         stacks_suite, stage2_suites,
                                         open_defect_suites, NULL};
    return cu_main(suites);
}
