/*
 * probe_gen.c - gen.h and fringe.h: generators, and the same-fringe
 * problem on top of them, fed boundary and misuse inputs.  Every
 * function runs in a fresh child (see harness.c).
 */
#define _GNU_SOURCE
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "coro.h"
#include "fringe.h"
#include "gen.h"
#include "probe.h"

/* ---- generators to probe with ------------------------------------------- */

static void count_to(void *arg)
{
    long n = (long)(intptr_t)arg;
    for (long i = 1; i <= n; i++)
        gen_yield(i);
}

static void extremes(void *arg)
{
    (void)arg;
    gen_yield(LONG_MIN);
    gen_yield(LONG_MAX);
    gen_yield(0);
}

static void yield_outside(void)
{
    gen_yield(1);
}

/* ---- gen_new ------------------------------------------------------------ */

static void new_null(long arg)
{
    (void)arg;
    must(gen_new(NULL, NULL, "x") == NULL, "gen_new(NULL fn) gave one");
}

/* name: arg 0 NULL, 1 "", 2 a name of 200 characters */
static void new_named(long arg)
{
    char long_name[201];
    memset(long_name, 'n', 200);
    long_name[200] = '\0';
    const char *names[] = {NULL, "", long_name};
    gen *g = probe_made(gen_new(count_to, (void *)3, names[arg]),
                        "gen_new");
    long v, sum = 0;
    while (gen_next(g, &v))
        sum += v;
    must(sum == 6, "it yielded a sum of %ld, not 6", sum);
    gen_free(g);
}

static void new_many(long arg)
{
    static gen *g[1000];
    arg = probe_scaled(arg);
    for (long i = 0; i < arg; i++)
        g[i] = probe_made(gen_new(count_to, (void *)2, NULL), "gen_new");
    for (long i = 0; i < arg; i++) {
        long v = 0;
        must(gen_next(g[i], &v) && v == 1, "generator %ld", i);
    }
    for (long i = 0; i < arg; i++)
        gen_free(g[i]);
}

/* A stack of arg bytes, then a generator that uses 8 KiB of it. */
static void dig_and_yield(void *arg)
{
    (void)arg;
    gen_yield(probe_dig(8) * 0 + 42);
}

static void stack_size_then_use(long arg)
{
    gen_stack_size((size_t)arg);
    gen *g = gen_new(dig_and_yield, NULL, "sized");
    if (g == NULL)
        refused();
    long v = 0;
    must(gen_next(g, &v) && v == 42, "it did not yield 42");
    gen_free(g);
}

static void overflow_it(void *arg)
{
    (void)arg;
    probe_dig(64);
    gen_yield(0);
}

static void overflow_small(long arg)
{
    (void)arg;
    gen_stack_size(16 * 1024);
    gen *g = probe_made(gen_new(overflow_it, NULL, "deep"), "gen_new");
    probe_culprit("\"deep\"");
    gen_next(g, NULL);
}

/* ---- gen_next ----------------------------------------------------------- */

static void next_null(long arg)
{
    (void)arg;
    long v = 7;
    must(!gen_next(NULL, &v) && v == 7, "gen_next(NULL) said true");
}

static void next_value_null(long arg)
{
    (void)arg;
    gen *g = probe_made(gen_new(count_to, (void *)2, "two"), "gen_new");
    must(gen_next(g, NULL) && gen_next(g, NULL) && !gen_next(g, NULL),
         "two values, then none");
    for (int i = 0; i < 5; i++)
        must(!gen_next(g, NULL), "a finished generator said true");
    gen_free(g);
}

static void next_extremes(long arg)
{
    (void)arg;
    gen *g = probe_made(gen_new(extremes, NULL, "extremes"), "gen_new");
    long v[3];
    for (int i = 0; i < 3; i++)
        must(gen_next(g, &v[i]), "value %d missing", i);
    must(v[0] == LONG_MIN && v[1] == LONG_MAX && v[2] == 0,
         "got %ld %ld %ld", v[0], v[1], v[2]);
    gen_free(g);
}

static gen *self_g, *outer_g;

static void next_itself(void *arg)
{
    (void)arg;
    must(!gen_next(self_g, NULL), "a generator resumed itself");
    gen_yield(1);
}

static void resume_self(long arg)
{
    (void)arg;
    self_g = probe_made(gen_new(next_itself, NULL, "selfish"), "gen_new");
    must(gen_next(self_g, NULL), "it did not yield");
    gen_free(self_g);
}

static void next_its_consumer(void *arg)
{
    (void)arg;
    must(!gen_next(outer_g, NULL), "a generator resumed its consumer");
    gen_yield(1);
}

static void outer_runs_inner(void *arg)
{
    (void)arg;
    gen *inner = gen_new(next_its_consumer, NULL, "inner");
    gen_next(inner, NULL);
    gen_free(inner);
    gen_yield(2);
}

static void resume_consumer(long arg)
{
    (void)arg;
    outer_g = probe_made(gen_new(outer_runs_inner, NULL, "outer"),
                         "gen_new");
    long v = 0;
    must(gen_next(outer_g, &v) && v == 2, "outer gave %ld", v);
    gen_free(outer_g);
}

/* A chain: each generator relays what the one it made yields. */
static void relay(void *arg)
{
    long depth = (long)(intptr_t)arg;
    if (depth == 0) {
        count_to((void *)3);
        return;
    }
    gen *below = gen_new(relay, (void *)(intptr_t)(depth - 1), NULL);
    long v;
    while (gen_next(below, &v))
        gen_yield(v);
    gen_free(below);
}

static void chain(long arg)
{
    gen *top = probe_made(gen_new(relay, (void *)(intptr_t)arg, "top"),
                          "gen_new");
    long v, sum = 0;
    while (gen_next(top, &v))
        sum += v;
    must(sum == 6, "a chain of %ld gave %ld", arg, sum);
    gen_free(top);
}

static long from_coroutine;

static void consume_in_coroutine(void *arg)
{
    (void)arg;
    gen *g = probe_made(gen_new(count_to, (void *)4, "counted"),
                        "gen_new");
    long v;
    while (gen_next(g, &v)) {
        from_coroutine += v;
        coro_yield();
    }
    gen_free(g);
}

static void next_in_coroutines(long arg)
{
    (void)arg;
    coro_spawn(consume_in_coroutine, NULL);
    coro_spawn(consume_in_coroutine, NULL);
    must(coro_run() == 0, "coro_run failed");
    must(from_coroutine == 20, "the coroutines got %ld", from_coroutine);
}

/* ---- gen_yield ---------------------------------------------------------- */

static void yield_nowhere(long arg)
{
    (void)arg;
    yield_outside();
}

static void yield_in_coroutine(void *arg)
{
    (void)arg;
    gen_yield(1);
}

static void yield_from_coroutine(long arg)
{
    (void)arg;
    coro_spawn(yield_in_coroutine, NULL);
    coro_run();
}

static void stops_its_coroutine(void *arg)
{
    if (arg)
        coro_exit();
    coro_yield();
    gen_yield(1);
}

static void consume_rogue(void *arg)
{
    gen *g = probe_made(gen_new(stops_its_coroutine, arg, "rogue"),
                        "gen_new");
    gen_next(g, NULL);
    gen_free(g);
}

/* A generator calls coro_yield (arg 0) or coro_exit (1). */
static void rogue_in_coroutine(long arg)
{
    coro_spawn(consume_rogue, (void *)(intptr_t)arg);
    coro_run();
}

/* ---- gen_free ----------------------------------------------------------- */

/* arg 0 NULL, 1 never started, 2 suspended, 3 finished */
static void free_in_state(long arg)
{
    gen *g = arg ? probe_made(gen_new(count_to, (void *)2, "freed"),
                              "gen_new") : NULL;
    if (arg >= 2)
        gen_next(g, NULL);
    while (arg == 3 && gen_next(g, NULL))
        ;
    gen_free(g);
}

static void free_itself(void *arg)
{
    (void)arg;
    gen_free(self_g);
}

static void free_running(long arg)
{
    (void)arg;
    self_g = probe_made(gen_new(free_itself, NULL, "self-freeing"),
                        "gen_new");
    gen_next(self_g, NULL);
}

static void free_consumer(void *arg)
{
    (void)arg;
    gen_free(outer_g);
}

static void frees_its_consumer(void *arg)
{
    (void)arg;
    gen *inner = gen_new(free_consumer, NULL, "inner");
    gen_next(inner, NULL);
}

static void free_waiting(long arg)
{
    (void)arg;
    outer_g = probe_made(gen_new(frees_its_consumer, NULL, "outer"),
                         "gen_new");
    gen_next(outer_g, NULL);
}

#define EITHER_GEN "gen_new: |gen_stack_size: "

const struct probe gen_probes[] = {
    {"gen_new", "fn NULL", new_null, SAYS, "gen_new: ", 0, 0},
    {"gen_new", "name NULL", new_named, GEN(WORKS, NULL), 0, 0},
    {"gen_new", "name \"\"", new_named, GEN(WORKS, NULL), 0, 1},
    {"gen_new", "a name of 200 characters", new_named, GEN(WORKS, NULL), 0,
     2},
    {"gen_new", "1,000 alive at once", new_many, GEN(WORKS, NULL), 0, 1000},
    {"gen_next", "g NULL", next_null, SAYS, "gen_next: ", 0, 0},
    {"gen_next", "value NULL, and past the end", next_value_null,
     GEN(WORKS, NULL), 0, 0},
    {"gen_next", "LONG_MIN and LONG_MAX", next_extremes, GEN(WORKS, NULL),
     0, 0},
    {"gen_next", "a generator on itself", resume_self,
     GEN(SAYS, "gen_next: "), 0, 0},
    {"gen_next", "a generator on its consumer", resume_consumer,
     GEN(SAYS, "gen_next: "), 0, 0},
    {"gen_next", "a chain of 100 generators", chain, GEN(WORKS, NULL), 0,
     100},
    {"gen_next", "from two coroutines", next_in_coroutines,
     GEN(WORKS, NULL), 0, 0},
    {"gen_yield", "outside a generator", yield_nowhere, ABORTS,
     "gen_yield: ", 0, 0},
    {"gen_yield", "in a coroutine, no generator", yield_from_coroutine,
     ABORTS, "gen_yield: ", 0, 0},
    {"gen_yield", "coro_yield in a generator in a coroutine",
     rogue_in_coroutine, GEN(ABORTS, "coro_yield: "), 10, 0},
    {"gen_yield", "coro_exit in a generator in a coroutine",
     rogue_in_coroutine, GEN(ABORTS, "coro_exit: "), 10, 1},
    {"gen_free", "NULL", free_in_state, WORKS, NULL, 0, 0},
    {"gen_free", "never started", free_in_state, GEN(WORKS, NULL), 0, 1},
    {"gen_free", "suspended", free_in_state, GEN(WORKS, NULL), 0, 2},
    {"gen_free", "finished", free_in_state, GEN(WORKS, NULL), 0, 3},
    {"gen_free", "itself, running", free_running, GEN(ABORTS, "gen_free: "),
     0, 0},
    {"gen_free", "its consumer, waiting", free_waiting,
     GEN(ABORTS, "gen_free: "), 0, 0},
    {"gen_stack_size", "0", stack_size_then_use, GEN(WORKS, NULL), 0, 0},
    {"gen_stack_size", "SIZE_MAX", stack_size_then_use, REFUSES, EITHER_GEN,
     6, (long)SIZE_MAX},
    {"gen_stack_size", "SIZE_MAX / 2 + 1", stack_size_then_use, REFUSES,
     EITHER_GEN, 6, (long)(SIZE_MAX / 2 + 1)},
    /* more than the most a stack may have: said, and the size stays */
    {"gen_stack_size", "1 TiB", stack_size_then_use,
     GEN(SAYS, "gen_stack_size: "), 0, 1L << 40},
    {"gen_stack_size", "16 KiB, 64 KiB of recursion", overflow_small,
     GEN(OVERFLOWS, NULL), 0, 0},
    {NULL, NULL, NULL, WORKS, NULL, 0, 0},
};

/* ---- fringe.h ----------------------------------------------------------- */

/* tree_parse of a text that is not one tree: NULL, and a line. */
static void parse_bad(long arg)
{
    static const char *bad[] = {NULL, "", "(1 2", "(1 2 3)", "1 2", "()",
                                "(1 (2 x))", ")"};
    must(tree_parse(bad[arg]) == NULL, "tree_parse(\"%s\") gave a tree",
         bad[arg] ? bad[arg] : "NULL");
}

static long leaves[8];
static int nleaves;

/* The leaves of t, left to right, read from the tree itself (fringe.h
 * shows its nodes): what tree_parse made, whatever the switch. */
static void collect_from(const struct tree *t)
{
    if (t->left == NULL && t->right == NULL) {
        if (nleaves < 8)
            leaves[nleaves] = t->leaf;
        nleaves++;
        return;
    }
    must(t->left != NULL && t->right != NULL, "a node with one child");
    collect_from(t->left);
    collect_from(t->right);
}

static void collect(const struct tree *t)
{
    nleaves = 0;
    collect_from(t);
}

static const struct { const char *text; long leaves[3]; int n; } good[] = {
    {"  7  ", {7}, 1},
    {"-5", {-5}, 1},
    {"((1 2) 3)", {1, 2, 3}, 3},
    {"(9223372036854775807 -9223372036854775808)", {LONG_MAX, LONG_MIN}, 2},
};

static void parse_good(long arg)
{
    struct tree *t = tree_parse(good[arg].text);
    must(t != NULL, "tree_parse(\"%s\") refused", good[arg].text);
    collect(t);
    must(nleaves == good[arg].n, "%d leaves", nleaves);
    for (int i = 0; i < nleaves; i++)
        must(leaves[i] == good[arg].leaves[i], "leaf %d is %ld", i,
             leaves[i]);
    tree_free(t);
}

/* The same leaves, yielded by a generator that walks the tree. */
static void walk_good(long arg)
{
    static struct tree *t;
    t = tree_parse(good[arg].text);
    must(t != NULL, "tree_parse(\"%s\") refused", good[arg].text);
    gen *g = probe_made(leaves_new(t, "walk"), "leaves_new");
    long v;
    for (int i = 0; i < good[arg].n; i++)
        must(gen_next(g, &v) && v == good[arg].leaves[i], "leaf %d", i);
    must(!gen_next(g, &v), "a leaf too many");
    gen_free(g);
    tree_free(t);
}

/* A leaf that does not fit in a long must not become another number. */
static void parse_too_big(long arg)
{
    (void)arg;
    struct tree *t = tree_parse("(99999999999999999999 1)");
    if (t == NULL)
        refused();
    collect(t);
    must(0, "the leaf 99999999999999999999 came back as %ld", leaves[0]);
}

/* "((((...(1 2)...) 3) 3) 3)", arg levels deep */
static char *nested(long depth)
{
    char *text = malloc((size_t)depth * 4 + 8);
    must(text != NULL, "no memory for the text");
    memset(text, '(', (size_t)depth);
    strcpy(text + depth, "1 2)");
    size_t len = strlen(text);
    for (long i = 1; i < depth; i++, len += 3)
        memcpy(text + len, " 3)", 4);
    return text;
}

static void parse_deep(long arg)
{
    char *text = nested(arg);
    struct tree *t = tree_parse(text);
    free(text);
    if (t == NULL)
        refused();
    tree_free(t);
}

/* (The trees a probe made are kept where a leak check sees them, for
 * when SWITCH=copy refuses the walk and the probe leaves early: volatile,
 * or the compiler drops the stores that nothing after exit() reads.) */
static struct tree *volatile a, *volatile b, *volatile c, *volatile d;

/* same_fringe(x, y, look), which with SWITCH=copy must say why it
 * cannot walk, and give false: the probe leaves there, refused. */
static bool same(const struct tree *x, const struct tree *y,
                 fringe_look look)
{
    bool answer = same_fringe(x, y, look);
#ifdef PROBE_COPY
    must(!answer, "same_fringe walked with SWITCH=copy");
    refused();
#endif
    return answer;
}

/* The deepest tree_parse takes: each walk holds a frame per level on
 * its generator's stack. */
static void walk_deep(long arg)
{
    char *text = nested(arg);
    a = tree_parse(text);
    free(text);
    must(a != NULL, "tree_parse refused a tree %ld deep", arg);
    must(same(a, a, NULL), "a tree and itself differ");
    tree_free(a);
}

static void free_null(long arg)
{
    (void)arg;
    tree_free(NULL);
}

static void walk_null(long arg)
{
    (void)arg;
    gen *g = leaves_new(NULL, "nothing");
    if (g == NULL)
        refused();
    must(!gen_next(g, NULL), "the leaves of no tree");
    gen_free(g);
}

static void fringe_null(long arg)
{
    (void)arg;
    struct tree *t = tree_parse("1");
    must(!same_fringe(NULL, t, NULL), "no tree and \"1\" have the same "
         "fringe");
    tree_free(t);
}

static int steps;

static void look(int step, const long *a, const long *b)
{
    (void)a;
    (void)b;
    steps = step;
}

static void fringe_answers(long arg)
{
    (void)arg;
    a = tree_parse("(((1 2) 3) (4 5))");
    b = tree_parse("(1 ((2 3) (4 5)))");
    c = tree_parse("(1 ((2 3) (4 6)))");
    d = tree_parse("(1 2)");
    must(same(a, b, NULL), "the same fringe, not seen");
    must(!same(a, c, look) && steps == 5, "a difference at step 5, "
         "seen at %d", steps);
    must(!same(a, d, look) && steps == 3, "a shorter tree, ended at "
         "step %d", steps);
    tree_free(a);
    tree_free(b);
    tree_free(c);
    tree_free(d);
}

#define EITHER_TREE "tree_parse: |leaves_new: |gen_new: |same_fringe: "

const struct probe fringe_probes[] = {
    {"tree_parse", "NULL", parse_bad, SAYS, "tree_parse: ", 0, 0},
    {"tree_parse", "\"\"", parse_bad, SAYS, "tree_parse: ", 0, 1},
    {"tree_parse", "\"(1 2\"", parse_bad, SAYS, "tree_parse: ", 0, 2},
    {"tree_parse", "\"(1 2 3)\"", parse_bad, SAYS, "tree_parse: ", 0, 3},
    {"tree_parse", "\"1 2\"", parse_bad, SAYS, "tree_parse: ", 0, 4},
    {"tree_parse", "\"()\"", parse_bad, SAYS, "tree_parse: ", 0, 5},
    {"tree_parse", "\"(1 (2 x))\"", parse_bad, SAYS, "tree_parse: ", 0, 6},
    {"tree_parse", "\")\"", parse_bad, SAYS, "tree_parse: ", 0, 7},
    {"tree_parse", "\"  7  \"", parse_good, WORKS, NULL, 0, 0},
    {"tree_parse", "\"-5\"", parse_good, WORKS, NULL, 0, 1},
    {"tree_parse", "\"((1 2) 3)\"", parse_good, WORKS, NULL, 0, 2},
    {"tree_parse", "LONG_MAX and LONG_MIN leaves", parse_good, WORKS, NULL,
     0, 3},
    {"tree_parse", "a leaf past LONG_MAX", parse_too_big, EITHER,
     "tree_parse: ", 0, 0},
    /* fringe.h: nested at most 1000 deep */
    {"tree_parse", "1,001 levels deep", parse_deep, REFUSES, "tree_parse: ",
     0, 1001},
    {"tree_parse", "1,000,000 levels deep", parse_deep, REFUSES,
     "tree_parse: ", 0, 1000000},
    {"tree_free", "NULL", free_null, WORKS, NULL, 0, 0},
    {"leaves_new", "NULL", walk_null, EITHER, EITHER_TREE, 0, 0},
    {"leaves_new", "\"((1 2) 3)\"", walk_good, GEN(WORKS, NULL), 0, 2},
    {"leaves_new", "LONG_MAX and LONG_MIN leaves", walk_good,
     GEN(WORKS, NULL), 0, 3},
    {"same_fringe", "answers, and look's steps", fringe_answers,
     GEN(WORKS, NULL), 0, 0},
    {"same_fringe", "a tree NULL", fringe_null, SAYS, "same_fringe: ", 0, 0},
    {"same_fringe", "a tree 1,000 deep", walk_deep, GEN(WORKS, NULL), 0,
     1000},
    {NULL, NULL, NULL, WORKS, NULL, 0, 0},
};
