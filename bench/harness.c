/*
 * harness.c - sizing, timing and reporting a measurement (harness.h).
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

#define MAX_REPS 99

int64_t now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

void same_fp_control(void)
{
#if defined(__x86_64__)
    unsigned mxcsr = 0x1f80;            /* all exceptions masked, no flags */
    unsigned short x87 = 0x037f;        /* the ABI's default */
    __asm__ volatile("ldmxcsr %0\n\tfldcw %1" : : "m"(mxcsr), "m"(x87));
#elif defined(__aarch64__)
    __asm__ volatile("msr fpcr, xzr");
#endif
}

__attribute__((noinline)) void bench_mark(void)
{
    __asm__ volatile("" ::: "memory");
}

void skip(const char *why)
{
    printf("skipped: %s\n", why);
    exit(0);
}

long number_arg(int argc, char **argv, int i, const char *what)
{
    char *end;
    long n = i < argc ? strtol(argv[i], &end, 10) : 0;
    if (i >= argc || *end != '\0' || n <= 0) {
        fprintf(stderr, "%s: %s: a positive number, please\n", argv[0],
                what);
        exit(2);
    }
    return n;
}

int plan_parse(struct plan *p, int argc, char **argv)
{
    *p = (struct plan){.reps = 31, .target_ns = 500 * 1000L};
    int opt;
    while ((opt = getopt(argc, argv, "r:t:c:")) != -1) {
        long v = optarg ? atol(optarg) : 0;
        if (v <= 0 || (opt == 'r' && v > MAX_REPS) || opt == '?') {
            fprintf(stderr, "usage: %s [-r reps] [-t us] [-c count] what"
                    " ...\n", argv[0]);
            exit(2);
        }
        if (opt == 'r')
            p->reps = (int)v;
        else if (opt == 't')
            p->target_ns = v * 1000L;
        else
            p->count = v;
    }
    if (optind >= argc) {
        fprintf(stderr, "%s: what shall I measure?\n", argv[0]);
        exit(2);
    }
    return optind;
}

static int64_t time_batch(batch_fn *run, void *arg, long iters)
{
    same_fp_control();
    int64_t t0 = now_ns();
    run(iters, arg);
    return now_ns() - t0;
}

/* Double the batch until it takes half the target, then scale it to the
 * target.  Integer arithmetic only: a floating-point division here would
 * set a sticky flag in this context's MXCSR. */
static long size_batch(const struct plan *p, batch_fn *run, void *arg)
{
    long iters = 1;
    int64_t t;
    while ((t = time_batch(run, arg, iters)) < p->target_ns / 2 &&
           iters < (1L << 40))
        iters *= 2;
    if (t < 1)
        t = 1;
    __int128 scaled = (__int128)iters * p->target_ns / t;
    return scaled < 1 ? 1 : (long)scaled;
}

static int by_value(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* The warm-up is the same however long the count: strace's counts of
 * two runs are subtracted, and it must cancel out. */
#define COUNT_WARM_UP 2

static void count_once(const struct plan *p, batch_fn *run, void *arg,
                       long ops_per_iter)
{
    same_fp_control();
    run(COUNT_WARM_UP, arg);
    bench_mark();
    run(p->count, arg);
    bench_mark();
    printf("ops %ld\n", p->count * ops_per_iter);
    fflush(stdout);
}

void measure(const struct plan *p, batch_fn *run, void *arg,
             long ops_per_iter)
{
    if (p->count > 0) {
        count_once(p, run, arg, ops_per_iter);
        return;
    }
    int64_t took[MAX_REPS];
    long iters = size_batch(p, run, arg);
    for (int i = 0; i < p->reps; i++)
        took[i] = time_batch(run, arg, iters);
    qsort(took, (size_t)p->reps, sizeof took[0], by_value);
    int64_t mid = p->reps % 2 ? took[p->reps / 2]
                              : (took[p->reps / 2 - 1] + took[p->reps / 2]) / 2;
    double ops = (double)iters * (double)ops_per_iter;
    printf("%.3f %.3f %.3f\n", (double)mid / ops, (double)took[0] / ops,
           (double)took[p->reps - 1] / ops);
    fflush(stdout);
}
