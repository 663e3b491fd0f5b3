/*
 * probe.h - the probe suite: the public API of one stage, fed boundary
 * and misuse inputs the way a hostile but fair user would, each input
 * run in a child process of its own and judged by how the child ended
 * and what it said on stderr.
 *
 * A probe is one input for one public function.  It runs in a fresh
 * child (the harness itself never calls the library, so every child
 * starts as a new program would), does its call, and checks what it
 * can see itself: a result that is wrong makes it say "probe: ..." and
 * exit with PROBE_WRONG.  What it cannot see (a crash, a hang, a
 * sanitizer's or valgrind's report, a message missing or muddled) the
 * harness judges from outside, against what the probe expects.
 */
#ifndef PROBE_H
#define PROBE_H

#include <stdbool.h>
#include <stddef.h>

enum expect {
    WORKS,      /* exit 0, and nothing said */
    SAYS,       /* exit 0, after one line that starts with `line` */
    ABORTS,     /* SIGABRT, after one line that starts with `line` */
    EITHER,     /* WORKS; or refused (PROBE_REFUSED, or SIGABRT) after
                   lines that each start with one of `line`'s
                   alternatives, separated by '|' */
    REFUSES,    /* as EITHER, but never silently: for inputs no call
                   can honour (a stack of SIZE_MAX bytes) */
    OVERFLOWS,  /* killed by a signal, after a line that names the
                   culprit the probe noted (see probe_culprit) */
    DEADLOCKS,  /* exit 0, after coro_run's deadlock report (which must
                   hold `line`, if it is given) */
};

/* With SWITCH=copy (PROBE_COPY) there are no generators and no
 * channels: gen_new and chan_new refuse, each with one line, and give
 * NULL.  A probe that makes one expects exactly that there, whatever it
 * expects elsewhere: GEN(WORKS, NULL) is WORKS, NULL with a stack for
 * every context, and "refused, saying only why" with SWITCH=copy. */
#ifdef PROBE_COPY
#define GEN(expect, line)  REFUSES, "gen_new: |gen_stack_size: " \
                                    "|leaves_new: |same_fringe: "
#define CHAN(expect, line) REFUSES, "chan_new: "
#else
#define GEN(expect, line)  expect, line
#define CHAN(expect, line) expect, line
#endif

/* Exit statuses of a probe's child, besides 0. */
#define PROBE_WRONG   3     /* the result was wrong: "probe: ..." said */
#define PROBE_REFUSED 4     /* the library refused, as it may (EITHER) */

struct probe {
    const char *function;   /* the public function the input is for */
    const char *input;      /* the input, in words */
    void (*run)(long arg);  /* the probe, run in a child */
    enum expect expect;
    const char *line;       /* see enum expect */
    int defect;             /* issue 9's defect it shows, or 0 */
    long arg;               /* for run */
};

/* Run one probe now, in a child, and count it under its function:
 * false if it was not run (the command line asked for others). */
bool probe(const struct probe *p);

/* Run every probe of a table, which ends with one whose function is
 * NULL. */
void probe_all(const struct probe *table);

/* The allocation-failure sweep: run program once to count the calls
 * that allocate (malloc, calloc, realloc, and the mmap and mprotect
 * calls that make stacks and guard pages), then once for each of them,
 * failing that one.  Each run must end well: the program's own checks
 * pass, or the library refuses with a line that names the call. */
void probe_sweep(const char *name, void (*program)(long arg));

/* Count a resource limit or a signal storm tried, for the report. */
void probe_count_limit(const char *what);
void probe_count_storm(void);

/* ---- for the probes, in the child ----------------------------------- */

/* Check what the probe can see: if cond is false, say "probe: ..." and
 * exit with PROBE_WRONG. */
void must(bool cond, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The library refused, as the probe's EITHER allows: leave. */
_Noreturn void refused(void);

/* What gen_new or chan_new made, for a probe that goes on with it: it
 * must be there; with SWITCH=copy it must not be, and the probe leaves,
 * refused (what says what, is the judge's to check). */
void *probe_made(void *made, const char *what);

/* Say who should be named when the probe's coroutine or generator
 * overflows (OVERFLOWS): "coro 3", "\"deep\"". */
void probe_culprit(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

/* Milliseconds on the monotonic clock, to the nanosecond. */
double probe_now_ms(void);

/* How much slower than native the child runs (valgrind, qemu): time
 * limits and storm rates scale with it; and n, for a count of rounds
 * that only takes time (at least 10). */
int probe_slowness(void);
long probe_scaled(long n);

/* Running under a tool that needs the address space or the signals
 * for itself (AddressSanitizer, valgrind, qemu)? */
bool probe_under_asan(void);
bool probe_under_tool(void);

/* Allocation counting (wrap.c): make the page the children count in
 * (before the first child); start counting, failing call `fail_at`
 * (0: none); how many were counted; did one fail. */
void wrap_init(void);
void wrap_start(long fail_at);
long wrap_count(void);
bool wrap_failed(void);

/* From now on in this child, madvise(MADV_GUARD_INSTALL) fails as a
 * kernel's before Linux 6.13 does (wrap.c): stacks get guard pages of
 * their own mappings, then canaries. */
void wrap_no_guard_regions(void);

/* For the stack probes (probe_stack.c): call itself kib times with
 * 1 KiB of locals in each frame; a coroutine that does nothing; two
 * coroutines on stacks of stack_bytes side by side (after `fillers`
 * that do nothing, to use up stacks kept for reuse), the upper one
 * with a frame that reaches 8 KiB below its stack's end, into the
 * lower one's frames (it notes itself as the culprit). */
int probe_dig(int kib);
void probe_nothing(void *arg);
void probe_duel(size_t stack_bytes, long fillers);

/* The probe tables, by header; coro.h's in two: what every stage is
 * fed, then what stages 1-3 (CORO_MAX) or 4-5 (the scheduler) are. */
extern const struct probe common_probes[];  /* every stage */
extern const struct probe coro_probes[];    /* stages 1-3 */
extern const struct probe sched_probes[];   /* stages 4-5 */
extern const struct probe gen_probes[];     /* where gen.h is */
extern const struct probe fringe_probes[];
extern const struct probe chan_probes[];    /* stage 5 */

/* The resource limits and signal storms, and the sweep, of a stage. */
void limit_probes(void);
void sweep_probes(void);

#endif
