/*
 * threads.c - the kit's channels done with two threads, a mutex and
 * condition variables, as a C programmer without coroutines would:
 *
 *     threads pingpong [pin]   a number handed to the other thread and
 *                              back, through two one-slot queues: ns
 *                              per round trip
 *     threads buffered CAP [pin]  a producer and a consumer thread with
 *                              a queue of CAP slots: ns per element
 *     threads spawn N          N threads created, then all joined: ns
 *                              per thread
 *
 * With "pin" both threads run on one CPU, as coroutines do: every hand
 * over is then a trip through the kernel's scheduler; without it they
 * may run on two CPUs at once and wake each other across them.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

struct queue {
    pthread_mutex_t lock;
    pthread_cond_t  not_empty, not_full;
    long           *slot;
    long            cap, head, len;
};

static void queue_init(struct queue *q, long cap)
{
    pthread_mutex_init(&q->lock, NULL);
    pthread_cond_init(&q->not_empty, NULL);
    pthread_cond_init(&q->not_full, NULL);
    q->slot = calloc((size_t)cap, sizeof *q->slot);
    if (q->slot == NULL)
        skip("no memory");
    q->cap = cap;
}

static void put(struct queue *q, long v)
{
    pthread_mutex_lock(&q->lock);
    while (q->len == q->cap)
        pthread_cond_wait(&q->not_full, &q->lock);
    q->slot[(q->head + q->len++) % q->cap] = v;
    pthread_cond_signal(&q->not_empty);
    pthread_mutex_unlock(&q->lock);
}

static long get(struct queue *q)
{
    pthread_mutex_lock(&q->lock);
    while (q->len == 0)
        pthread_cond_wait(&q->not_empty, &q->lock);
    long v = q->slot[q->head];
    q->head = (q->head + 1) % q->cap;
    q->len--;
    pthread_cond_signal(&q->not_full);
    pthread_mutex_unlock(&q->lock);
    return v;
}

#define STOP (-1L)

static struct queue there, back;

static void *echo(void *arg)
{
    (void)arg;
    same_fp_control();
    for (long v; (v = get(&there)) != STOP;)
        put(&back, v);
    return NULL;
}

static void *consume(void *arg)
{
    (void)arg;
    same_fp_control();
    while (get(&there) != STOP)
        ;
    return NULL;
}

static void pingpong_batch(long iters, void *arg)
{
    (void)arg;
    for (long i = 0; i < iters; i++) {
        put(&there, i);
        get(&back);
    }
}

static void produce_batch(long iters, void *arg)
{
    (void)arg;
    for (long i = 0; i < iters; i++)
        put(&there, i);
}

static void *nothing(void *arg)
{
    return arg;
}

static void spawn_batch(long iters, void *arg)
{
    long n = *(long *)arg;
    pthread_t *t = malloc((size_t)n * sizeof *t);
    if (t == NULL)
        skip("no memory");
    for (long i = 0; i < iters; i++) {
        for (long k = 0; k < n; k++)
            if (pthread_create(&t[k], NULL, nothing, NULL) != 0)
                skip("pthread_create failed");
        for (long k = 0; k < n; k++)
            pthread_join(t[k], NULL);
    }
    free(t);
}

/* Both threads on the CPU this one runs on now. */
static void pin(pthread_t a, pthread_t b)
{
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(sched_getcpu(), &one);
    if (pthread_setaffinity_np(a, sizeof one, &one) != 0 ||
        pthread_setaffinity_np(b, sizeof one, &one) != 0)
        skip("cannot pin threads to a CPU here");
}

int main(int argc, char **argv)
{
    struct plan plan;
    int i = plan_parse(&plan, argc, argv);
    const char *what = argv[i];
    same_fp_control();
    if (strcmp(what, "spawn") == 0) {
        long n = number_arg(argc, argv, i + 1, "how many at once");
        measure(&plan, spawn_batch, &n, n);
        return 0;
    }
    bool pingpong = strcmp(what, "pingpong") == 0;
    if (!pingpong && strcmp(what, "buffered") != 0) {
        fprintf(stderr, "threads: no such measurement: %s\n", what);
        return 2;
    }
    long cap = pingpong ? 1 : number_arg(argc, argv, ++i, "capacity");
    queue_init(&there, cap);
    queue_init(&back, 1);
    pthread_t other;
    if (pthread_create(&other, NULL, pingpong ? echo : consume, NULL) != 0)
        skip("pthread_create failed");
    if (i + 1 < argc && strcmp(argv[i + 1], "pin") == 0)
        pin(pthread_self(), other);
    measure(&plan, pingpong ? pingpong_batch : produce_batch, NULL, 1);
    put(&there, STOP);
    pthread_join(other, NULL);
    return 0;
}
