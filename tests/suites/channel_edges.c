/*
 * channel_edges.c - stage 5's channels at their edges, where probing
 * the public API as a hostile but fair user found them wanting (issue
 * 9): a NULL channel alone in a select, a channel freed under a sender
 * that close woke, misuse of select and send, a big select discarded,
 * sizes no buffer can have, and a select in the deadlock report.  Each
 * test says what it caught at 006d2c6, before the fixes.  Then a hint
 * that names a freed channel, which the scheduler's prefetching for a
 * long run queue must not follow.  With SWITCH=copy chan_new() refuses
 * (channels.c tests that).
 */
#define _GNU_SOURCE
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "chan.h"
#include "coro.h"
#include "cu.h"
#include "kit.h"
#include "tools.h"

#ifdef HAVE_ASAN     /* in both runtimes; only clang ships the header */
size_t __sanitizer_get_current_allocated_bytes(void);
#endif

static void run_quietly(void *result)
{
    *(int *)result = coro_run();
}

/* ---- a NULL channel alone --------------------------------------- */

/* Defect 2: at 006d2c6 a blocking select whose one case was on a NULL
 * channel crashed in a coroutine (its report read the channel's
 * number).  A nil channel is never ready: it waits for ever, which
 * coro_run() reports as a deadlock. */
static int came_back;

static void select_on_nothing(void *arg)
{
    chan_case alone[] = {{NULL, CHAN_RECV, NULL, false}};
    (void)arg;
    chan_select(alone, 1, true);
    came_back = 1;
}

static void run_a_nil_select(void *arg)
{
    (void)arg;
    coro_spawn(select_on_nothing, NULL);
    int result = coro_run();
    _exit(result == -1 && !came_back ? 0 : 1);
}

static void a_select_on_one_null_channel_blocks(void)
{
    char err[512];
    int status = cu_in_child(run_a_nil_select, NULL, err, sizeof err);
    bool ok = WIFEXITED(status) && WEXITSTATUS(status) == 0 &&
              strstr(err, "coro_run: deadlock: 1 coroutine is blocked") &&
              strstr(err, ": blocked in chan_select on NULL channels only");
    CU_ASSERT(ok);
    if (!ok)
        cu_tell("a blocking select on one NULL channel", status, err);
}

/* ---- woken after the channel is gone ---------------------------- */

/* Defect 8: a sender waiting on a channel that is closed, then freed,
 * wakes to abort as a sender on a closed channel.  At 006d2c6 it read
 * the freed channel to name it in that line (a garbage number; under
 * AddressSanitizer, heap-use-after-free); in a select too. */
static chan *gone;

static void send_and_wait(void *arg)
{
    int v = 1;
    (void)arg;
    chan_send(gone, &v);
}

static void select_send_and_wait(void *arg)
{
    int v = 1;
    chan_case cases[] = {{NULL, CHAN_RECV, NULL, false},
                         {gone, CHAN_SEND, &v, false}};
    (void)arg;
    chan_select(cases, 2, true);
}

static void close_and_free(void *arg)
{
    (void)arg;
    chan_close(gone);
    chan_free(gone);            /* nobody waits on it now: allowed */
}

static const struct waker {
    coro_fn     sender;         /* waits to send on gone */
    const char *call;           /* which then names it */
} wakers[] = {{send_and_wait, "chan_send"},
              {select_send_and_wait, "chan_select"}};

static void sender_then_close_and_free(void *waker)
{
    gone = chan_new(sizeof(int), 0);
    coro_spawn(((const struct waker *)waker)->sender, NULL);
    coro_spawn(close_and_free, NULL);
    coro_run();
}

/* The number the next channel made will get (in a child, too). */
static int next_chan_id(void)
{
    chan *c = cu_made(chan_new(1, 0));
    int id = chan_id(c) + 1;
    chan_free(c);
    return id;
}

static void a_woken_sender_names_the_freed_channel(void)
{
    for (size_t i = 0; i < sizeof wakers / sizeof wakers[0]; i++) {
        char want[96], err[1024];
        snprintf(want, sizeof want, "%s: send on closed channel (chan "
                 "%d)\n", wakers[i].call, next_chan_id());
        int status = cu_in_child(sender_then_close_and_free,
                                 (void *)&wakers[i], err, sizeof err);
        bool ok = cu_aborted(status) && strstr(err, want) != NULL;
        CU_ASSERT(ok);
        if (!ok)
            cu_tell(want, status, err);
    }
}

/* ---- misuse of select and send ---------------------------------- */

/* Defect 10: at 006d2c6 chan_select(NULL, 2, ...) and a NULL element to
 * send crashed (in memcpy); n < 0 and an op that is neither send nor
 * receive passed silently.  Each is a line now, then abort(). */
static void select_null_cases(void *arg)
{
    (void)arg;
    chan_select(NULL, 2, false);
}

static void select_negative_n(void *arg)
{
    chan_case cases[] = {{chan_new(sizeof(int), 1), CHAN_RECV, NULL, false}};
    (void)arg;
    chan_select(cases, -1, false);
}

static void select_bad_op(void *arg)
{
    chan_case cases[] = {{chan_new(sizeof(int), 1), (enum chan_op)7, NULL,
                          false}};
    (void)arg;
    chan_select(cases, 1, false);
}

static void select_send_null_elem(void *arg)
{
    chan_case cases[] = {{chan_new(sizeof(int), 1), CHAN_SEND, NULL, false}};
    (void)arg;
    chan_select(cases, 1, false);
}

static void send_null_elem(void *arg)
{
    (void)arg;
    chan_send(chan_new(sizeof(int), 1), NULL);
}

static void misuse_of_select_and_send_aborts(void)
{
    static const struct {
        void (*fn)(void *);
        const char *message;
    } cases[] = {
        {select_null_cases, "chan_select: cases is NULL (n is 2)\n"},
        {select_negative_n, "chan_select: n is negative (-1)\n"},
        {select_bad_op, "chan_select: case 0's op is neither CHAN_SEND nor "
                        "CHAN_RECV\n"},
        {select_send_null_elem, "chan_select: case 0's elem is NULL, and the "
                                "channel's elements are 4 bytes (chan "},
        {send_null_elem, "chan_send: elem is NULL, and the channel's "
                         "elements are 4 bytes (chan "},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        CU_ASSERT(cu_aborts_with(cases[i].fn, NULL, cases[i].message));
}

/* ---- a big select, discarded ------------------------------------ */

/* Defect 11: a select of more than 16 cases keeps its waiters on the
 * heap.  At 006d2c6, when coro_run() discarded it in a deadlock, they
 * were never freed (LeakSanitizer: 1,280 bytes for 20 cases). */
#define MANY_CASES 100

static chan *lonely;

static void select_on_many(void *arg)
{
    chan_case cases[MANY_CASES];
    (void)arg;
    for (int i = 0; i < MANY_CASES; i++)
        cases[i] = (chan_case){lonely, CHAN_RECV, NULL, false};
    chan_select(cases, MANY_CASES, true);
}

/* Bytes the program holds on the heap now. */
static long long heap_in_use(void)
{
#ifdef HAVE_ASAN
    return (long long)__sanitizer_get_current_allocated_bytes();
#else
    return (long long)mallinfo2().uordblks;
#endif
}

static const char *needs_heap_counted(void)
{
    return kit_under_valgrind() ? "under valgrind, whose heap "
                                  "mallinfo2() does not see" : NULL;
}

static void a_discarded_big_select_frees_its_waiters(void)
{
    char err[1024];
    int result = 0;
    lonely = cu_made(chan_new(sizeof(int), 0));
    coro_spawn(select_on_many, NULL);       /* once, to warm up */
    cu_catch_stderr(run_quietly, &result, err, sizeof err);
    long long before = heap_in_use();
    coro_spawn(select_on_many, NULL);
    cu_catch_stderr(run_quietly, &result, err, sizeof err);
    long long grew = heap_in_use() - before;
    CU_ASSERT_EQUAL(result, -1);
    CU_ASSERT(grew < 1024);                 /* its waiters: 6,400 bytes */
    if (grew >= 1024)
        printf("\n    the heap grew by %lld bytes\n", grew);
    chan_free(lonely);
}

/* ---- sizes ------------------------------------------------------ */

/* Defect 14: at 006d2c6 chan_new() handed any size to calloc(), and
 * valgrind called chan_new(SIZE_MAX, 1) a fishy argument, while
 * AddressSanitizer stopped the program (allocation-size-too-big).
 * More than any buffer can hold is refused now, with a line. */
static void make_absurd_channels(void *refused)
{
    static const size_t sizes[][2] = {
        {SIZE_MAX, 1}, {1, SIZE_MAX}, {SIZE_MAX / 2 + 1, 2},
        {(size_t)PTRDIFF_MAX + 1, 1},
    };
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
        *(int *)refused += chan_new(sizes[i][0], sizes[i][1]) == NULL;
}

static int lines_starting(const char *text, const char *start)
{
    int n = 0;
    for (const char *p = text; p != NULL && *p != '\0';) {
        n += strncmp(p, start, strlen(start)) == 0;
        p = strchr(p, '\n');
        if (p != NULL)
            p++;
    }
    return n;
}

static void absurd_sizes_are_refused_with_a_line(void)
{
    char err[1024];
    int refused = 0;
    cu_catch_stderr(make_absurd_channels, &refused, err, sizeof err);
    CU_ASSERT_EQUAL(refused, 4);
    CU_ASSERT_EQUAL(lines_starting(err, "chan_new: "), 4);
    CU_ASSERT_EQUAL(lines_starting(err, ""), 4);    /* and nothing else */
}

/* ...and a channel for signals only (elements of 0 bytes) allocated a
 * buffer as big as its capacity, for nothing: with SIZE_MAX of them,
 * it could not be made.  It keeps a count. */
static void signals_need_no_buffer(void)
{
    chan *c = cu_made(chan_new(0, SIZE_MAX));
    CU_ASSERT_EQUAL(chan_cap(c), SIZE_MAX);
    for (int i = 0; i < 1000; i++)
        chan_send(c, NULL);
    CU_ASSERT_EQUAL(chan_len(c), 1000);
    chan_case take = {c, CHAN_RECV, NULL, false};
    CU_ASSERT_EQUAL(chan_select(&take, 1, false), 0);
    CU_ASSERT(take.ok);
    CU_ASSERT(chan_recv(c, NULL));
    CU_ASSERT_EQUAL(chan_len(c), 998);
    chan_free(c);
}

/* ---- the deadlock report ---------------------------------------- */

/* Defect 15: at 006d2c6 a deadlock report named a blocked select only
 * as "on 3 cases"; it names its channels now, as for chan_send and
 * chan_recv (and leaves out its NULL ones). */
static chan *in, *out;

static void select_in_or_out(void *arg)
{
    int v = 1;
    chan_case cases[] = {{in, CHAN_RECV, &v, false},
                         {NULL, CHAN_RECV, &v, false},
                         {out, CHAN_SEND, &v, false}};
    (void)arg;
    chan_select(cases, 3, true);
}

static void a_deadlocked_select_names_its_channels(void)
{
    char err[1024], want[128];
    int result = 0;
    in = cu_made(chan_new(sizeof(int), 0));
    out = cu_made(chan_new(sizeof(int), 0));
    int id = coro_spawn(select_in_or_out, NULL);
    cu_catch_stderr(run_quietly, &result, err, sizeof err);
    snprintf(want, sizeof want, "coro %d: blocked in chan_select on chan %d "
             "(receive), chan %d (send)\n", id, chan_id(in), chan_id(out));
    CU_ASSERT_EQUAL(result, -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, want));
    chan_free(in);
    chan_free(out);
}

/* ---- a stale hint, in a long run queue -------------------------- */

/* With 512 or more coroutines alive (PREFETCH_FROM in sched.c), the
 * scheduler prefetches for those queued to run, and follows each one's
 * hint of the channel it last sent on (chan.c) to that channel's
 * waiting receiver.  The hint may name a channel freed since.  Here
 * the sender stays in the run queue, yielding, after its receiver has
 * freed the channel; a read of it is a heap-use-after-free under
 * AddressSanitizer and an invalid read under valgrind, where tests/run
 * runs this too.  (Take chan_prefetch_send()'s check of chans_freed out,
 * and both report it here.) */
#define CROWD 600               /* alive at once, with the two below */

static int crowd_turns, received_once;

static void yield_three_times(void *arg)
{
    (void)arg;
    for (int i = 0; i < 3; i++)
        coro_yield();
    crowd_turns++;
}

static void send_once_then_linger(void *arg)
{
    int n = 42;
    chan_send(arg, &n);
    for (int i = 0; i < 5; i++)
        coro_yield();           /* queued, its hint naming a freed channel */
}

static void receive_once_then_free(void *arg)
{
    chan_recv(arg, &received_once);
    chan_free(arg);
}

static void a_hint_to_a_freed_channel_is_dropped(void)
{
    chan *c = chan_new(sizeof(int), 0);
    crowd_turns = received_once = 0;
    coro_spawn(receive_once_then_free, c);
    for (int i = 0; i < CROWD; i++)
        coro_spawn(yield_three_times, NULL);
    coro_spawn(send_once_then_linger, c);
    CU_ASSERT_EQUAL(coro_run(), 0);
    CU_ASSERT_EQUAL(received_once, 42);
    CU_ASSERT_EQUAL(crowd_turns, CROWD);
}

static const struct cu_test tests[] = {
    {"a select on one NULL channel blocks",
     a_select_on_one_null_channel_blocks, NULL},
    {"a woken sender names the freed channel",
     a_woken_sender_names_the_freed_channel, NULL},
    {"misuse of select and send aborts", misuse_of_select_and_send_aborts,
     NULL},
    {"a discarded big select frees its waiters",
     a_discarded_big_select_frees_its_waiters, needs_heap_counted},
    {"absurd sizes are refused with a line",
     absurd_sizes_are_refused_with_a_line, NULL},
    {"signals need no buffer", signals_need_no_buffer, NULL},
    {"a deadlocked select names its channels",
     a_deadlocked_select_names_its_channels, NULL},
    {"a hint to a freed channel is dropped",
     a_hint_to_a_freed_channel_is_dropped, NULL},
    CU_TESTS_END,
};

void channel_edges_suites(void)
{
    cu_suite("channels at their edges", tests, needs_channels);
}
