/*
 * harness.h - what every C program of the bench shares.
 *
 * A measurement times a batch of one operation (a hand-over of the CPU
 * to another context, a round trip on a channel, a spawn to finish),
 * run many times in a row, with the monotonic clock: a read of the
 * clock costs tens of ns, too much to do around each operation.  The
 * first batches find how many operations fill the target time and warm
 * the caches; then the same batch runs -r times (default: 31 batches
 * of -t 500 us, short enough that most of them run without the
 * scheduler cutting in when other work shares the CPU), and the program
 * prints one line, in ns per operation:
 *
 *     median min max
 *
 * Counting mode (-c N) runs N iterations once, after a warm-up of two,
 * between two calls of bench_mark(), and prints "ops K" (K operations
 * between the marks): callgrind dumps its counters at each bench_mark,
 * and the difference of strace's counts for two values of N gives the
 * system calls per operation.
 *
 * A program that cannot measure what it was asked prints one line
 * "skipped: why" and exits 0.
 */
#ifndef HARNESS_H
#define HARNESS_H

#include <stdint.h>

struct plan {
    int     reps;       /* -r: timed batches after the warm-up */
    int64_t target_ns;  /* -t: microseconds a batch should take */
    long    count;      /* -c: counting mode, this many iterations */
};

/* Reads -r, -t and -c; returns the index of the first other argument,
 * the thing to measure.  A bad option: a message and exit(2). */
int plan_parse(struct plan *p, int argc, char **argv);

/* One batch: run the operation iters times (each iteration does
 * ops_per_iter operations, as measure() is told). */
typedef void batch_fn(long iters, void *arg);

/* Measure run as the plan says and print the line.  Call it from the
 * context that drives the batch: main, or a coroutine. */
void measure(const struct plan *p, batch_fn *run, void *arg,
             long ops_per_iter);

/* The same floating-point control state in every context: loading an
 * MXCSR that differs from the current one stalls a switch that saves
 * and restores it (~150 ns on some CPUs).  Call it first thing in every
 * context that a measurement switches between. */
void same_fp_control(void);

int64_t now_ns(void);

/* Where callgrind dumps its counters (--dump-before=bench_mark). */
void bench_mark(void);

/* Print "skipped: why" and exit(0). */
void skip(const char *why);

/* chan_new(), or a skipped row where the stage refuses channels (a
 * copy-mode build, whose stopped coroutines' frames move to the heap). */
#define chan_or_skip(size, cap) \
    (chan_new((size), (cap)) ?: (skip("no channels with SWITCH=copy: " \
                                     "chan_new refuses it"), NULL))

/* The argument at index i as a number, or a message and exit(2). */
long number_arg(int argc, char **argv, int i, const char *what);

#endif
