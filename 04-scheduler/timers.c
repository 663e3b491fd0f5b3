/*
 * timers.c - the sleepers, in a binary heap ordered by deadline.
 *
 * The earliest deadline is always at the top, heap[0]; adding and
 * taking the top cost O(log n), so 100,000 sleepers are no burden.
 * Two with the same deadline wake in the order they fell asleep.
 *
 *              heap[0]            the earliest
 *          heap[1]  heap[2]       each no earlier than its parent
 *        heap[3] heap[4] ...
 */
#define _POSIX_C_SOURCE 200809L
#include <limits.h>
#include <stdlib.h>
#include <time.h>

#include "coro_impl.h"
#include "timers.h"

static struct {
    struct coro **heap;         /* heap[0] wakes first */
    long          count;
    long          capacity;
    unsigned long falls;        /* sleeps so far: ties go by this */
} the;

long long now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/*
 * When a sleep of ms milliseconds may end.  now_ms() rounds down, so
 * the deadline starts from now rounded up: 10 ms asked at 1000.9 ms
 * ends at 1011, not at 1010, after only 9.1 ms.  A deadline past what
 * the clock can count is no deadline: LONG_MAX ms sleeps for ever.
 */
static long long deadline(long ms)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    long long now = (long long)t.tv_sec * 1000 +
                    (t.tv_nsec + 999999) / 1000000;
    return ms > LLONG_MAX - now ? LLONG_MAX : now + ms;
}

static bool earlier(const struct coro *a, const struct coro *b)
{
    return a->wake_at < b->wake_at ||
           (a->wake_at == b->wake_at && a->fell_asleep < b->fell_asleep);
}

static void swap(long i, long j)
{
    struct coro *t = the.heap[i];
    the.heap[i] = the.heap[j];
    the.heap[j] = t;
}

/* == exercise sleep (sift_up): the answer begins == */
static void sift_up(long i)
{
    for (; i > 0 && earlier(the.heap[i], the.heap[(i - 1) / 2]);
         i = (i - 1) / 2)
        swap(i, (i - 1) / 2);
}
/* == exercise sleep (sift_up): the answer ends == */

/* == exercise sleep (sift_down): the answer begins == */
static void sift_down(long i)
{
    for (;;) {
        long first = i, left = 2 * i + 1, right = left + 1;
        if (left < the.count && earlier(the.heap[left], the.heap[first]))
            first = left;
        if (right < the.count && earlier(the.heap[right], the.heap[first]))
            first = right;
        if (first == i)
            return;
        swap(i, first);
        i = first;
    }
}
/* == exercise sleep (sift_down): the answer ends == */

/* == exercise sleep (timers_add): the answer begins == */
bool timers_add(struct coro *c)
{
    if (the.count == the.capacity) {
        long capacity = the.capacity ? 2 * the.capacity : 64;
        struct coro **heap = realloc(the.heap, capacity * sizeof *heap);
        if (heap == NULL)
            return false;
        the.heap = heap;
        the.capacity = capacity;
    }
    c->wake_at = deadline(c->slept_ms);
    c->fell_asleep = the.falls++;
    the.heap[the.count++] = c;
    sift_up(the.count - 1);
    return true;
}
/* == exercise sleep (timers_add): the answer ends == */

long timers_count(void)
{
    return the.count;
}

int timers_next(void)
{
    if (the.count == 0)
        return -1;
    long long wait = the.heap[0]->wake_at - now_ms();
    return wait < 0 ? 0 : wait > 1000000 ? 1000000 : (int)wait;
}

/* == exercise sleep (timers_expire): the answer begins == */
void timers_expire(void)
{
    long long now = now_ms();
    while (the.count > 0 && the.heap[0]->wake_at <= now) {
        struct coro *c = the.heap[0];
        the.heap[0] = the.heap[--the.count];
        sift_down(0);
        sched_ready(c);
    }
}
/* == exercise sleep (timers_expire): the answer ends == */
