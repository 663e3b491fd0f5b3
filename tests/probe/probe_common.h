/*
 * probe_common.h - what probe_common.c lends the probes of coro.h that
 * differ from stage to stage (probe_coro.c for stages 1 to 3,
 * probe_sched.c for 4 and 5): the coroutines they spawn, the counts
 * those keep, and the probes both run under inputs each words its own
 * way.  Only those three files include it: the others keep counts of
 * their own, by the same names.
 */
#ifndef PROBE_COMMON_H
#define PROBE_COMMON_H

/* How many count_run coroutines ran, and how many turns the
 * count_turns ones took, in all: each probe's child starts at 0. */
extern int ran, turns;

/* Coroutines: one that counts itself in ran (and notes its arg);
 * one that takes (long)(intptr_t)arg turns, yielding after each; one
 * that spawns that many count_run coroutines; and (from stage 2) one
 * that recurses 64 KiB deep, to overflow a 16 KiB stack. */
void count_run(void *arg);
void count_turns(void *arg);
void spawner(void *arg);
void overflow_it(void *arg);

/* Spawn n count_run coroutines (before coro_run), checking that each
 * is given an id above the one before: ids only grow. */
void spawn_in_order(long n);

/* Probes: coro_run arg times with nothing spawned; coro_self outside a
 * coroutine and inside one. */
void run_nothing(long arg);
void self_inside(long arg);

#endif
