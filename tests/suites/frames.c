/*
 * frames.c - the tracer's walk along the chain of frame records, and
 * the names it gives functions (trace/frames.h, the same file in every
 * stage).  Every drawing stands on these two.
 */
#include "coro.h"
#include "cu.h"
#include "frames.h"
#include "show.h"

static struct frame seen[16];
static int seen_count;
static const char *stop_at;     /* where the next walk ends, if not NULL */

KEEP_FRAME static void walk_here(void)
{
    char *fp = __builtin_frame_address(0);
    seen_count = frames_walk(fp, fp, fp + 65536, 0, stop_at, seen, 16);
}

KEEP_FRAME static void gamma_(void) { walk_here(); }
KEEP_FRAME static void beta_(void) { gamma_(); }
KEEP_FRAME static void alpha_(void) { beta_(); }

static void the_walk_names_a_known_chain_in_order(void)
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

static void the_walk_stops_where_it_is_told(void)
{
    stop_at = "beta_";
    alpha_();
    stop_at = NULL;
    CU_ASSERT_EQUAL(seen_count, 2);
    CU_ASSERT_STRING_EQUAL(seen[1].name, "beta_");
}

static void symbols_name_static_functions(void)
{
    char name[40];
    symbol_name((const void *)walk_here, name, sizeof name);
    CU_ASSERT_STRING_EQUAL(name, "walk_here");
    symbol_name((const void *)coro_spawn, name, sizeof name);
    CU_ASSERT_STRING_EQUAL(name, "coro_spawn");
}

static const struct cu_test tests[] = {
    {"the walk names a known chain in order",
     the_walk_names_a_known_chain_in_order, NULL},
    {"the walk stops where it is told", the_walk_stops_where_it_is_told,
     NULL},
    {"symbols name static functions", symbols_name_static_functions, NULL},
    CU_TESTS_END,
};

void frames_suites(void)
{
    cu_suite("the tracer: frames and their names", tests, NULL);
}
