/*
 * stage1_test.c - stage 1 (01-setjmp): the coroutine API, the slices of
 * the one stack, what happens when a coroutine outgrows its slice, and
 * the tracer's drawings.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coro_impl.h"
#include "cu.h"
#include "frames.h"
#include "trace.h"

void coro_api_suite(void);

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

/* 1 KiB of locals per call: enough calls run past the slice. */
static int dig(int calls)
{
    char block[1024];
    dug = block;
    memset(block, calls, sizeof block);
    if (calls > 0)
        return dig(calls - 1) + block[calls % sizeof block];
    coro_yield();
    return block[0];
}

static void digger(void *arg)
{
    (void)arg;
    coro_yield();
    dig(CORO_SLICE_SIZE / 1024 + 16);
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

static const CU_TestInfo slice_tests[] = {
    {"each coroutine runs on its own slice", each_coroutine_runs_on_its_own_slice},
    {"one past the maximum is refused", one_past_the_maximum_is_refused},
    {"outgrowing a slice is stopped", outgrowing_a_slice_is_stopped},
    CU_TEST_INFO_NULL,
};

/* ---- the frame walk --------------------------------------------- */

static struct frame seen[16];
static int seen_count;

KEEP_FRAME static void walk_here(void)
{
    char *fp = __builtin_frame_address(0);
    seen_count = frames_walk(fp, fp, fp + 65536, NULL, seen, 16);
}

KEEP_FRAME static void gamma_(void) { walk_here(); }
KEEP_FRAME static void beta_(void) { gamma_(); }
KEEP_FRAME static void alpha_(void) { beta_(); }

static void walk_names_a_known_chain_in_order(void)
{
    alpha_();
    CU_ASSERT_FATAL(seen_count >= 3);
    CU_ASSERT_STRING_EQUAL(seen[0].name, "gamma_");
    CU_ASSERT_STRING_EQUAL(seen[1].name, "beta_");
    CU_ASSERT_STRING_EQUAL(seen[2].name, "alpha_");
    for (int k = 0; k < 3; k++) {
        CU_ASSERT(seen[k].top > seen[k].bottom);        /* size > 0 */
        if (k > 0)                                      /* callers above */
            CU_ASSERT(seen[k].bottom >= seen[k - 1].top - 16);
    }
}

static void symbols_name_static_functions(void)
{
    char name[40];
    symbol_name((const void *)walk_here, name, sizeof name);
    CU_ASSERT_STRING_EQUAL(name, "walk_here");
    symbol_name((const void *)coro_spawn, name, sizeof name);
    CU_ASSERT_STRING_EQUAL(name, "coro_spawn");
}

/* ---- the drawings ----------------------------------------------- */

static char *drawing;
static size_t drawing_size;

/* Draw into the string `drawing` while fn runs. */
static void draw_into_string(void (*fn)(void))
{
    free(drawing);
    drawing = NULL;
    FILE *out = open_memstream(&drawing, &drawing_size);
    trace_output(out);
    fn();
    trace_output(NULL);
    fclose(out);
}

/* Where what first appears in the drawing, from `after` on. */
static const char *line_with(const char *what, const char *after)
{
    return strstr(after ? after : drawing, what);
}

KEEP_FRAME static void three_(void) { coro_yield(); }
KEEP_FRAME static void two_(void) { three_(); }
KEEP_FRAME static void one_(void *arg) { (void)arg; two_(); }

KEEP_FRAME static void artist(void *arg)
{
    (void)arg;
    trace_stacks("the artist draws");
}

static void run_one_and_artist(void)
{
    coro_spawn(one_, NULL);
    coro_spawn(artist, NULL);
    coro_run();
}

static void a_suspended_chain_is_drawn_in_order(void)
{
    draw_into_string(run_one_and_artist);
    CU_ASSERT_FATAL(drawing != NULL);
    const char *slice = line_with("slice 1: coro", NULL);
    CU_ASSERT_FATAL(slice != NULL);
    CU_ASSERT(cu_line_has(slice, "suspended in coro_yield()"));
    const char *a = line_with("| one_()", slice);
    const char *b = a ? line_with("| two_()", a) : NULL;
    const char *c = b ? line_with("| three_()", b) : NULL;
    const char *y = c ? line_with("| coro_yield()", c) : NULL;
    CU_ASSERT_FATAL(y != NULL);
    CU_ASSERT(cu_line_has(y, "<- saved sp"));
    CU_ASSERT(!cu_line_has(c, "<- "));
    CU_ASSERT(!cu_line_has(y, " 0 B"));    /* sizes are never zero */
    CU_ASSERT(!cu_line_has(c, " 0 B"));
}

static void the_running_coroutine_is_marked(void)
{
    draw_into_string(run_one_and_artist);
    const char *slice = line_with("slice 2: coro", NULL);
    CU_ASSERT_FATAL(slice != NULL);
    CU_ASSERT(cu_line_has(slice, "running"));
    const char *me = line_with("| artist()", slice);
    CU_ASSERT_FATAL(me != NULL);
    CU_ASSERT(cu_line_has(me, "<- sp"));
    const char *main_part = line_with("| coro_run()", NULL);
    CU_ASSERT_FATAL(main_part != NULL);
    CU_ASSERT(main_part < slice);       /* main's frames come first */
}

static void depths_grow_down_the_drawing(void)
{
    draw_into_string(run_one_and_artist);
    unsigned long last = 0;
    int frames = 0;
    for (const char *p = strstr(drawing, "+0x"); p; p = strstr(p + 1, "+0x")) {
        unsigned long depth = strtoul(p + 1, NULL, 16);
        CU_ASSERT(depth >= last);
        last = depth;
        frames++;
    }
    CU_ASSERT(frames >= 8);
    CU_ASSERT_PTR_NULL(strstr(drawing, "0x7f"));  /* no raw addresses */
    CU_ASSERT_PTR_NULL(strchr(drawing, '\033'));  /* no colour in a file */
}

KEEP_FRAME static void draw_twice(void)
{
    for (int i = 0; i < 2; i++)
        trace_stacks("the same");
}

KEEP_FRAME static void twice_artist(void *arg)
{
    (void)arg;
    draw_twice();
}

static void run_one_and_twice_artist(void)
{
    coro_spawn(one_, NULL);
    coro_spawn(twice_artist, NULL);
    coro_run();
}

static void the_same_state_draws_the_same(void)
{
    draw_into_string(run_one_and_twice_artist);
    CU_ASSERT_FATAL(drawing != NULL);
    size_t half = strlen(drawing) / 2;
    CU_ASSERT(half > 500);
    CU_ASSERT_EQUAL(strncmp(drawing, drawing + half, half), 0);
}

static void addresses_on_request(void)
{
    setenv("CORO_ADDR", "1", 1);
    draw_into_string(run_one_and_artist);
    unsetenv("CORO_ADDR");
    CU_ASSERT_PTR_NULL(strstr(drawing, "+0x0000"));
    CU_ASSERT_PTR_NOT_NULL(strstr(drawing, "address"));
}

static void yield_once(void *arg)
{
    (void)arg;
    coro_yield();
}

static int ids[2];

static void run_two_with_tracing(void)
{
    trace_enable(true);
    ids[0] = coro_spawn(yield_once, NULL);
    ids[1] = coro_spawn(yield_once, NULL);
    coro_run();
    trace_enable(false);
}

static void every_switch_is_drawn(void)
{
    draw_into_string(run_two_with_tracing);
    const char *titles[] = {
        "-- main starts coro %d ", "-- coro %d yields to main ",
        "-- main starts coro %d ", "-- coro %d yields to main ",
        "-- main resumes coro %d ", "-- coro %d finishes ",
        "-- main resumes coro %d ", "-- coro %d finishes ",
    };
    const char *at = drawing;
    for (int i = 0; i < 8; i++) {
        char title[64];
        snprintf(title, sizeof title, titles[i], ids[(i / 2) % 2]);
        at = at ? strstr(at, title) : NULL;
        CU_ASSERT_PTR_NOT_NULL(at);
    }
    int count = 0;
    for (const char *p = strstr(drawing, "\n-- "); p; p = strstr(p + 1, "\n-- "))
        count++;
    CU_ASSERT_EQUAL(count, 8);
}

static void nothing_is_drawn_when_tracing_is_off(void)
{
    draw_into_string(run_two_with_tracing);
    CU_ASSERT(drawing_size > 0);
    trace_enable(false);
    draw_into_string(run_one_and_artist);     /* only the one on demand */
    int count = 0;
    for (const char *p = strstr(drawing, "\n-- "); p; p = strstr(p + 1, "\n-- "))
        count++;
    CU_ASSERT_EQUAL(count, 1);
}

static const CU_TestInfo trace_tests[] = {
    {"the walk names a known chain in order", walk_names_a_known_chain_in_order},
    {"symbols name static functions", symbols_name_static_functions},
    {"a suspended chain is drawn in order", a_suspended_chain_is_drawn_in_order},
    {"the running coroutine is marked", the_running_coroutine_is_marked},
    {"depths grow down the drawing", depths_grow_down_the_drawing},
    {"the same state draws the same", the_same_state_draws_the_same},
    {"absolute addresses on request", addresses_on_request},
    {"every switch is drawn", every_switch_is_drawn},
    {"nothing is drawn when tracing is off", nothing_is_drawn_when_tracing_is_off},
    CU_TEST_INFO_NULL,
};

static void stage1_suites(void)
{
    cu_add("stage 1: slices of the one stack", slice_tests);
    cu_add("stage 1: the tracer", trace_tests);
}

void open_defect_suites(void);

int main(void)
{
    static const cu_suite_fn suites[] = {coro_api_suite, stage1_suites,
                                         open_defect_suites, NULL};
    return cu_main(suites);
}
