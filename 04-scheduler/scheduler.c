/*
 * scheduler.c - cooperative multitasking.  A boss spawns three
 * workers and waits for them: a cruncher that yields between chunks of
 * work, and two tickers that sleep between ticks.  Nobody waits for
 * anybody who does not have to, and while all sleep, the process sleeps
 * in the kernel.
 *
 *     ./scheduler            the boss and its workers
 *     ./scheduler --deadlock two coroutines that wait for each other
 */
#include <stdio.h>
#include <string.h>

#include "coro.h"
#include "show.h"
#include "trace/trace.h"

struct ticker {
    const char *name;   /* what it prints */
    long        period; /* ms between ticks */
    int         ticks;  /* how many */
};

KEEP_FRAME static void tick(const struct ticker *t, int i)
{
    printf("%s: tick %d (%ld ms in)\n", t->name, i, i * t->period);
    if (i == 1 && t->period == 500)
        trace_stacks("%s ticks, while the other sleeps", t->name);
}

KEEP_FRAME static void ticker(void *arg)
{
    const struct ticker *t = arg;
    for (int i = 1; i <= t->ticks; i++) {
        coro_sleep_ms(t->period);
        tick(t, i);
    }
}

KEEP_FRAME static void crunch(int chunk)
{
    printf("cruncher: chunk %d done, letting the others run\n", chunk);
    if (chunk == 2)
        trace_stacks("the cruncher, between chunks");
    coro_yield();
}

KEEP_FRAME static void cruncher(void *arg)
{
    (void)arg;
    for (int chunk = 1; chunk <= 3; chunk++)
        crunch(chunk);
}

KEEP_FRAME static void boss(void *arg)
{
    static const struct ticker fast = {"tick", 200, 3};
    static const struct ticker slow = {"tock", 500, 2};
    (void)arg;
    int workers[3] = {coro_spawn(cruncher, NULL), coro_spawn(ticker,
                      (void *)&fast), coro_spawn(ticker, (void *)&slow)};
    printf("boss: spawned coro %d, %d and %d; now I wait for them\n",
           workers[0], workers[1], workers[2]);
    for (int i = 0; i < 3; i++)
        coro_join(workers[i]);
    printf("boss: all three have finished\n");
}

static int partner[2];     /* who waits for whom */

KEEP_FRAME static void wait_for_partner(void *arg)
{
    int me = *(int *)arg;
    printf("coro %d: I wait for coro %d to finish\n", partner[me],
           partner[1 - me]);
    coro_join(partner[1 - me]);
    printf("never printed: nobody finishes\n");
}

int main(int argc, char **argv)
{
    static int first = 0, second = 1;
    if (argc > 1 && strcmp(argv[1], "--deadlock") == 0) {
        partner[0] = coro_spawn(wait_for_partner, &first);
        partner[1] = coro_spawn(wait_for_partner, &second);
        printf("main: coro_run() returned %d\n", coro_run());
        return 0;
    }
    coro_spawn(boss, NULL);
    int result = coro_run();
    printf("main: coro_run() returned %d\n", result);
    return 0;
}
