/*
 * kit_gen.c - a stage's generators through gen.h alone:
 *
 *     kit_gen next            gen_next into a generator, gen_yield back:
 *                             ns per hand-over (two per value)
 *     kit_gen spawn N         N empty generators made, run to their end
 *                             and freed: ns per generator
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"
#include "harness.h"

static void counter(void *arg)
{
    (void)arg;
    same_fp_control();
    for (long i = 0;; i++)
        gen_yield(i);
}

static void next_batch(long iters, void *arg)
{
    gen *g = arg;
    long v;
    for (long i = 0; i < iters; i++)
        gen_next(g, &v);
}

static void empty(void *arg)
{
    (void)arg;
}

static void spawn_batch(long iters, void *arg)
{
    long n = *(long *)arg;
    gen **g = malloc((size_t)n * sizeof *g);
    if (g == NULL)
        skip("no memory");
    for (long i = 0; i < iters; i++) {
        for (long k = 0; k < n; k++)
            if ((g[k] = gen_new(empty, NULL, NULL)) == NULL)
                skip("gen_new failed");
        for (long k = 0; k < n; k++) {
            gen_next(g[k], NULL);
            gen_free(g[k]);
        }
    }
    free(g);
}

int main(int argc, char **argv)
{
    struct plan plan;
    int i = plan_parse(&plan, argc, argv);
    same_fp_control();
    if (strcmp(argv[i], "next") == 0) {
        gen *g = gen_new(counter, NULL, "counter");
        if (g == NULL)
            skip("gen_new failed");
        measure(&plan, next_batch, g, 2);
    } else if (strcmp(argv[i], "spawn") == 0) {
        long n = number_arg(argc, argv, i + 1, "how many at once");
        measure(&plan, spawn_batch, &n, n);
    } else {
        fprintf(stderr, "kit_gen: no such measurement: %s\n", argv[i]);
        return 2;
    }
    return 0;
}
