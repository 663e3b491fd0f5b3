/*
 * fringe.c - the same-fringe problem (fringe.h), the generators' classic
 * use: two trees' leaves compared one by one, each walked by a
 * generator, and the walks dropped at the first difference.  Stage 3's,
 * carried on into stages 4 and 5.  Parsing needs no generator, and is
 * tested with every switch.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>

#include "cu.h"
#include "fringe.h"
#include "gen_impl.h"
#include "kit.h"

static int steps;
static char steps_seen[128];

/* Note "a/b" for each step: the two leaves, -1 for none. */
static void note_step(int step, const long *a, const long *b)
{
    size_t len = strlen(steps_seen);
    snprintf(steps_seen + len, sizeof steps_seen - len, "%s%ld/%ld",
             step > 1 ? " " : "", a ? *a : -1, b ? *b : -1);
    steps = step;
}

/* same_fringe() of two trees, noting its steps. */
static bool compare(const char *first, const char *second)
{
    struct tree *a = tree_parse(first), *b = tree_parse(second);
    CU_ASSERT_FATAL(a != NULL && b != NULL);
    steps = 0;
    steps_seen[0] = '\0';
    bool same = same_fringe(a, b, note_step);
    tree_free(a);
    tree_free(b);
    return same;
}

static void equal_fringes_of_different_shapes(void)
{
    CU_ASSERT_TRUE(compare("(((1 2) 3) (4 5))", "(1 ((2 3) (4 5)))"));
    CU_ASSERT_STRING_EQUAL(steps_seen, "1/1 2/2 3/3 4/4 5/5 -1/-1");
    CU_ASSERT_TRUE(compare("((((1 2) 3) 4) 5)", "(1 (2 (3 (4 5))))"));
    CU_ASSERT_TRUE(compare("7", "7"));
    CU_ASSERT_TRUE(compare("(1 2)", "(1 2)"));
}

static void a_difference_stops_the_walk(void)
{
    CU_ASSERT_FALSE(compare("(((1 2) 3) (4 (5 6)))",
                            "(1 ((2 9) ((4 5) 6)))"));
    CU_ASSERT_STRING_EQUAL(steps_seen, "1/1 2/2 3/9");  /* no further */
    CU_ASSERT_FALSE(compare("((1 2) 3)", "(5 (2 3))"));
    CU_ASSERT_EQUAL(steps, 1);
    CU_ASSERT_EQUAL(gen_first(), NULL);     /* both walks were freed */
}

static void one_fringe_longer_than_the_other(void)
{
    CU_ASSERT_FALSE(compare("((1 2) 3)", "(1 (2 (3 4)))"));
    CU_ASSERT_STRING_EQUAL(steps_seen, "1/1 2/2 3/3 -1/4");
    CU_ASSERT_FALSE(compare("(1 (2 (3 4)))", "(1 2)"));
    CU_ASSERT_STRING_EQUAL(steps_seen, "1/1 2/2 3/-1");
}

static void the_walks_are_generators(void)
{
    struct tree *t = tree_parse("((1 (2 3)) 4)");
    gen *g = leaves_new(t, "leaves");
    long leaf, sum = 0;
    int leaves = 0;
    while (gen_next(g, &leaf)) {
        sum = sum * 10 + leaf;
        leaves++;
    }
    CU_ASSERT_PTR_NOT_NULL(g);
    CU_ASSERT_EQUAL(leaves, 4);
    CU_ASSERT_EQUAL(sum, 1234);
    gen_free(g);
    tree_free(t);
}

static void parse_bad(void *text)
{
    struct tree *t = tree_parse(text);
    if (t != NULL)
        fprintf(stderr, "parsed\n");
    tree_free(t);
}

static void a_bad_tree_is_refused(void)
{
    const char *bad[] = {"", "(1)", "(1 2", "(1 2) 3", "(x 2)", "((1 2)"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char err[256];
        cu_catch_stderr(parse_bad, (void *)bad[i], err, sizeof err);
        CU_ASSERT_PTR_NOT_NULL(strstr(err, "tree_parse: not one tree"));
        CU_ASSERT_PTR_NULL(strstr(err, "parsed"));
    }
}

static const struct cu_test tests[] = {
    {"equal fringes of different shapes", equal_fringes_of_different_shapes,
     needs_generators},
    {"a difference stops the walk", a_difference_stops_the_walk,
     needs_generators},
    {"one fringe longer than the other", one_fringe_longer_than_the_other,
     needs_generators},
    {"the walks are generators", the_walks_are_generators,
     needs_generators},
    {"a bad tree is refused", a_bad_tree_is_refused, NULL},
    CU_TESTS_END,
};

void fringe_suites(void)
{
    cu_suite("same fringe", tests, NULL);
}

