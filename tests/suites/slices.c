/*
 * slices.c - stage 1: every coroutine on a slice of the one C stack,
 * what happens when one outgrows its slice, and the slices drawn.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coro_impl.h"
#include "cu.h"
#include "drawing.h"
#include "overflow.h"
#include "show.h"

/* ---- slices ----------------------------------------------------- */

static char *where[CORO_MAX];   /* an address inside each coroutine */

static void remember_where(void *slot)
{
    char here;
    where[*(int *)slot] = &here;
    coro_yield();
}

static bool inside_slice(int i, const char *p)
{
    char *lo, *hi;
    return ctx_slice(i, &lo, &hi) && p >= lo && p < hi;
}

static void each_coroutine_runs_on_its_own_slice(void)
{
    static int slot[CORO_MAX];
    for (int i = 0; i < CORO_MAX; i++) {
        slot[i] = i;
        coro_spawn(remember_where, &slot[i]);
    }
    coro_run();
    char here;
    for (int i = 0; i < CORO_MAX; i++) {
        CU_ASSERT(inside_slice(i, where[i]));
        CU_ASSERT(where[i] < &here);    /* all below the run loop */
        if (i > 0)                      /* and each below the last */
            CU_ASSERT(where[i] < where[i - 1] - CORO_SLICE_SIZE / 2);
    }
}

static int slot_zero = 0, slot_one = 1;

static void spawn_a_lot(void *result)
{
    int *last = result;
    for (int i = 0; i <= CORO_MAX; i++)
        *last = coro_spawn(remember_where, &slot_zero);
}

static void one_past_the_maximum_is_refused(void)
{
    char err[256];
    int last = 0;
    cu_catch_stderr(spawn_a_lot, &last, err, sizeof err);
    CU_ASSERT_EQUAL(last, -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "coro_spawn: all 16 slices are taken"));
    CU_ASSERT_EQUAL(coro_run(), 0);     /* the 16 that fit still run */
    CU_ASSERT(coro_spawn(remember_where, &slot_zero) > 0);
    CU_ASSERT_EQUAL(coro_run(), 0);     /* and their slices are free */
}

static char *volatile dug;      /* so that each block must really exist */

/* 1 KiB of locals per call: enough calls run past the slice.  It stops
 * at the bottom, so that the run loop sees it there. */
static int dig_and_stop(int calls)
{
    char block[1024];
    dug = block;
    memset(block, calls, sizeof block);
    if (calls > 0)
        return dig_and_stop(calls - 1) + block[calls % sizeof block];
    coro_yield();
    return block[0];
}

static void digger(void *arg)
{
    (void)arg;
    coro_yield();
    dig_and_stop(CORO_SLICE_SIZE / 1024 + 16);
}

static void overflow(void *arg)
{
    (void)arg;
    coro_spawn(digger, NULL);
    coro_spawn(remember_where, &slot_one);
    coro_run();
    fprintf(stderr, "not stopped\n");
}

static void outgrowing_a_slice_is_stopped(void)
{
    char err[512];
    int status = cu_in_child(overflow, NULL, err, sizeof err);
    CU_ASSERT(cu_aborted(status));
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "coro_run: coro "));
    CU_ASSERT_PTR_NOT_NULL(strstr(err, " overran its 64 KiB slice into "
                                       "the stack below; stopping"));
    CU_ASSERT_PTR_NULL(strstr(err, "not stopped"));
}

/* Issue 9, defect 12: at 006d2c6 a coroutine that recursed 16 MiB deep,
 * through every slice below its own and off the end of the C stack,
 * ended the program with a bare SIGSEGV that named nobody. */
static void run_away(void *arg)
{
    (void)arg;
    dig(16 * 1024);
}

static void a_runaway(void *arg)
{
    (void)arg;
    fprintf(stderr, "spawned %d\n", coro_spawn(run_away, NULL));
    coro_run();
    fprintf(stderr, "not stopped\n");
}

static void a_runaway_recursion_is_named(void)
{
    char err[512], says[128];
    int id = 0;
    int status = cu_in_child(a_runaway, NULL, err, sizeof err);
    CU_ASSERT_EQUAL(sscanf(err, "spawned %d", &id), 1);
    snprintf(says, sizeof says, "coro %d ran off the end of the C stack, "
             "through every slice below its own\n", id);
    bool ok = cu_killed_by(status, SIGSEGV) && strstr(err, says) != NULL &&
              strstr(err, "not stopped") == NULL;
    CU_ASSERT(ok);
    if (!ok)
        cu_tell("16 MiB of recursion in a coroutine", status, err);
}

static const struct cu_test slice_tests[] = {
    {"each coroutine runs on its own slice",
     each_coroutine_runs_on_its_own_slice, NULL},
    {"one past the maximum is refused", one_past_the_maximum_is_refused,
     NULL},
    {"outgrowing a slice is stopped", outgrowing_a_slice_is_stopped, NULL},
    {"a runaway recursion is named", a_runaway_recursion_is_named, NULL},
    CU_TESTS_END,
};

/* ---- the slices drawn ------------------------------------------- */

static void a_suspended_chain_is_drawn_in_order(void)
{
    int one, artist;
    const char *d = drawn_by_artist(&one, &artist);
    char head[32];
    snprintf(head, sizeof head, "slice 1: coro %d", one);
    const char *slice = strstr(d, head);
    CU_ASSERT_FATAL(slice != NULL);
    CU_ASSERT(cu_line_has(slice, "suspended in coro_yield()"));
    const char *c = in_order(slice, "| one_()", "| two_()", "| three_()",
                             NULL);
    const char *y = in_order(c, "| coro_yield()", NULL);
    CU_ASSERT_FATAL(y != NULL);
    CU_ASSERT(cu_line_has(y, "<- saved sp"));
    CU_ASSERT(!cu_line_has(c, "<- "));
    CU_ASSERT(!cu_line_has(y, " 0 B"));    /* sizes are never zero */
    CU_ASSERT(!cu_line_has(c, " 0 B"));
}

static void the_running_coroutine_is_marked(void)
{
    int one, artist;
    const char *d = drawn_by_artist(&one, &artist);
    char head[32];
    snprintf(head, sizeof head, "slice 2: coro %d", artist);
    const char *slice = strstr(d, head);
    CU_ASSERT_FATAL(slice != NULL);
    CU_ASSERT(cu_line_has(slice, "running"));
    const char *me = strstr(slice, "| artist()");
    CU_ASSERT(cu_line_has(me, "<- sp"));
    const char *main_part = strstr(d, "| coro_run()");
    CU_ASSERT(main_part != NULL && main_part < slice);  /* main's first */
}

static void depths_grow_down_the_drawing(void)
{
    int one, artist;
    const char *d = drawn_by_artist(&one, &artist);
    unsigned long last = 0;
    int frames = 0;
    for (const char *p = strstr(d, "+0x"); p; p = strstr(p + 1, "+0x")) {
        unsigned long depth = strtoul(p + 1, NULL, 16);
        CU_ASSERT(depth >= last);
        last = depth;
        frames++;
    }
    CU_ASSERT(frames >= 8);
}

static const struct cu_test drawn_tests[] = {
    {"a suspended chain is drawn in order",
     a_suspended_chain_is_drawn_in_order, NULL},
    {"the running coroutine is marked", the_running_coroutine_is_marked,
     NULL},
    {"depths grow down the one stack", depths_grow_down_the_drawing, NULL},
    CU_TESTS_END,
};

void slices_suites(void)
{
    cu_suite("slices of the one stack", slice_tests, NULL);
    cu_suite("the tracer: the slices drawn", drawn_tests, NULL);
}
