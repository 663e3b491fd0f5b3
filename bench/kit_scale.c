/*
 * kit_scale.c - how many coroutines can be alive at once, each parked
 * on a channel (asleep with SWITCH=copy), and what each costs in memory
 * (coro.h and chan.h alone):
 *
 *     kit_scale MAX BUDGET_MIB SECONDS [AT ...]
 *
 * spawns coroutines that wait to receive on one channel, a thousand at
 * a time, letting each batch run until it waits, until MAX are alive,
 * coro_spawn fails, the process holds BUDGET_MIB more resident memory
 * than it began with, or SECONDS have passed: the bench must not take
 * the machine down.  At each count AT it passes, and where it stops, it
 * prints a line:
 *
 *     at|stop COUNT RESIDENT RESERVED SPAWN_NS [why it stopped]
 *
 * RESIDENT and RESERVED are the growth of the whole process's resident
 * memory and address space since the start, in bytes per coroutine;
 * SPAWN_NS the time from the first spawn to the last one parked, per
 * coroutine.  Then it exits at once, without unwinding them.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chan.h"
#include "coro.h"
#include "harness.h"

#define CHUNK   1000
#define MAX_AT  8

static struct {
    long    max, budget, at[MAX_AT];
    int     ats;
    int64_t seconds;
} ask;

struct usage {
    long resident, reserved;    /* bytes */
};

static struct usage usage_now(void)
{
    struct usage u = {0, 0};
    long size = 0, resident = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (f != NULL) {
        if (fscanf(f, "%ld %ld", &size, &resident) != 2)
            size = resident = 0;
        fclose(f);
    }
    long page = sysconf(_SC_PAGESIZE);
    u.resident = resident * page;
    u.reserved = size * page;
    return u;
}

static long lines_in(const char *path)
{
    FILE *f = fopen(path, "r");
    long n = 0;
    int c;
    if (f == NULL)
        return -1;
    while ((c = getc(f)) != EOF)
        n += c == '\n';
    fclose(f);
    return n;
}

static long number_in(const char *path)
{
    FILE *f = fopen(path, "r");
    long n = -1;
    if (f != NULL) {
        if (fscanf(f, "%ld", &n) != 1)
            n = -1;
        fclose(f);
    }
    return n;
}

/* coro_spawn said no: was it the kernel's limit on mappings? */
static void explain_failure(char *why, size_t size, int err)
{
    long maps = lines_in("/proc/self/maps");
    long limit = number_in("/proc/sys/vm/max_map_count");
    if (maps >= 0 && limit > 0 && maps >= limit - 8)
        snprintf(why, size, "vm.max_map_count: %ld of %ld mappings in use"
                 " (coro_spawn: %s)", maps, limit, strerror(err));
    else
        snprintf(why, size, "coro_spawn failed: %s, with %ld mappings of"
                 " vm.max_map_count %ld", strerror(err), maps, limit);
}

static void report(const char *kind, long alive, struct usage base,
                   int64_t t0, const char *why)
{
    struct usage u = usage_now();
    printf("%s %ld %ld %ld %ld%s%s\n", kind, alive,
           (u.resident - base.resident) / alive,
           (u.reserved - base.reserved) / alive,
           (long)((now_ns() - t0) / alive), why ? " " : "", why ? why : "");
    fflush(stdout);
}

/* Where a coroutine waits: on a channel nobody sends to.  SWITCH=copy
 * has no channels (chan.h), so there it sleeps for ever instead: either
 * way its frames stay where the mechanism keeps a stopped coroutine's. */
static chan *park;

static void parked(void *arg)
{
    (void)arg;
    if (park != NULL)
        chan_recv(park, NULL);
    else
        coro_sleep_ms(LONG_MAX);
}

static long next_stop(long alive, int *next_at)
{
    long to = alive + CHUNK;
    if (*next_at < ask.ats && ask.at[*next_at] < to)
        to = ask.at[*next_at];
    return to < ask.max ? to : ask.max;
}

static void spawner(void *arg)
{
    (void)arg;
    park = chan_new(0, 0);              /* NULL with SWITCH=copy */
    struct usage base = usage_now();
    int64_t t0 = now_ns();
    long alive = 0;
    int next_at = 0;
    char why[200] = "";
    while (why[0] == '\0') {
        long to = next_stop(alive, &next_at);
        while (alive < to) {
            errno = 0;
            if (coro_spawn(parked, NULL) < 0) {
                explain_failure(why, sizeof why, errno);
                break;
            }
            alive++;
        }
        coro_yield();                   /* they run, and wait */
        while (next_at < ask.ats && alive >= ask.at[next_at])
            if (alive == ask.at[next_at++])
                report("at", alive, base, t0, NULL);
        if (why[0] != '\0' || alive == 0)
            break;
        if (alive >= ask.max)
            snprintf(why, sizeof why, "reached %ld", ask.max);
        else if (usage_now().resident - base.resident > ask.budget)
            snprintf(why, sizeof why, "the bench's memory budget (%ld MiB)",
                     ask.budget >> 20);
        else if (now_ns() - t0 > ask.seconds * 1000000000)
            snprintf(why, sizeof why, "the bench's time budget (%ld s)",
                     (long)ask.seconds);
    }
    if (alive > 0)
        report("stop", alive, base, t0, why);
    else
        printf("stop 0 0 0 0 %s\n", why);
    fflush(stdout);
    _exit(0);                           /* no unwinding a million */
}

int main(int argc, char **argv)
{
    if (argc < 4 || argc - 4 > MAX_AT) {
        fprintf(stderr, "usage: kit_scale MAX BUDGET_MIB SECONDS [AT ...]\n");
        return 2;
    }
    ask.max = number_arg(argc, argv, 1, "MAX");
    ask.budget = number_arg(argc, argv, 2, "BUDGET_MIB") << 20;
    ask.seconds = number_arg(argc, argv, 3, "SECONDS");
    for (int i = 4; i < argc; i++)
        ask.at[ask.ats++] = number_arg(argc, argv, i, "AT");
    coro_spawn(spawner, NULL);
    coro_run();
    return 1;                           /* the spawner exits; never here */
}
