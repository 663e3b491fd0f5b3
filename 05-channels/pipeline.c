/*
 * pipeline.c - a pool of workers, with select and close.
 *
 *   producer --jobs (buffered)--> 3 workers --results--> collector
 *                                     |
 *   closer: joins the workers, then closes "done" ---------^
 *
 * The producer closes the jobs channel when it has sent them all; each
 * worker takes jobs until that channel is closed and drained.  The
 * collector selects between a result and the "done" signal: a channel
 * that carries nothing, and is closed once every worker has finished.
 */
#include <stdio.h>

#include "chan.h"
#include "coro.h"
#include "show.h"
#include "trace/trace.h"

#define JOBS    8
#define WORKERS 3

static chan *jobs, *results, *done;
static int workers[WORKERS];

KEEP_FRAME static void producer(void *arg)
{
    (void)arg;
    for (int job = 1; job <= JOBS; job++) {
        chan_case send = {jobs, CHAN_SEND, &job, false};
        if (chan_select(&send, 1, false) < 0) {     /* full: say so */
            printf("producer: the jobs buffer is full; job %d waits\n",
                   job);
            chan_send(jobs, &job);
        }
    }
    chan_close(jobs);
    printf("producer: all %d jobs sent; jobs closed\n", JOBS);
}

KEEP_FRAME static void worker(void *arg)
{
    int me = *(int *)arg, job;
    while (chan_recv(jobs, &job)) {
        int result[2] = {job, job * job};
        printf("worker %d: job %d\n", me, job);
        chan_send(results, result);
    }
    printf("worker %d: no more jobs\n", me);
}

KEEP_FRAME static void closer(void *arg)
{
    (void)arg;
    for (int i = 0; i < WORKERS; i++)
        coro_join(workers[i]);
    chan_close(done);
}

KEEP_FRAME static void collector(void *arg)
{
    int result[2], got = 0;
    (void)arg;
    for (;;) {
        chan_case cases[2] = {{results, CHAN_RECV, result, false},
                              {done, CHAN_RECV, NULL, false}};
        if (chan_select(cases, 2, true) == 1)
            break;                  /* done is closed: all have finished */
        printf("collector: %d squared is %d\n", result[0], result[1]);
        if (++got == 1)
            trace_stacks("the collector has its first result");
    }
    printf("collector: %d results, and done\n", got);
}

int main(void)
{
    static int id[WORKERS] = {1, 2, 3};
    jobs = chan_new(sizeof(int), 2);
    results = chan_new(2 * sizeof(int), 0);
    done = chan_new(0, 0);
    coro_spawn(collector, NULL);
    coro_spawn(producer, NULL);
    for (int i = 0; i < WORKERS; i++)
        workers[i] = coro_spawn(worker, &id[i]);
    coro_spawn(closer, NULL);
    int result = coro_run();
    chan_free(jobs);
    chan_free(results);
    chan_free(done);
    return result == 0 ? 0 : 1;
}
