/*
 * chan_defects_test.c - stage 5: the channels' defects that probing
 * the public API found (issue 9), each checked through coro.h and
 * chan.h alone:
 *
 *   defect 2   a blocking select on one NULL channel crashed
 *   defect 8   a sender woken by chan_close read its channel after
 *              chan_free, to name it in its abort line
 *   defect 10  chan_select(NULL, 2, ...), n < 0, a bad op and a NULL
 *              element to send crashed or passed silently
 *   defect 11  a deadlocked select of more than 16 cases leaked
 *   defect 14  chan_new handed absurd sizes to calloc, and a channel for
 *              signals only allocated a buffer all the same
 *   defect 15  a deadlock report named a select only as "on 2 cases"
 */
#define _GNU_SOURCE
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "chan.h"
#include "coro.h"
#include "cu.h"

#if defined(__SANITIZE_ADDRESS__)
#define ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ASAN 1
#endif
#endif
#ifdef ASAN     /* in both runtimes; only clang ships the header */
size_t __sanitizer_get_current_allocated_bytes(void);
#endif

/* A child's ending and what it said, when a check on it fails. */
static void tell(const char *what, int status, const char *err)
{
    printf("\n    %s: the child ended with %s, saying:%s\n    ", what,
           cu_ending(status), err[0] ? "" : " (nothing)");
    for (const char *p = err; *p; p++) {
        putchar(*p);
        if (*p == '\n' && p[1])
            printf("    ");
    }
}

/* The number the next channel made will get (in a child, too). */
static int next_chan_id(void)
{
    chan *c = chan_new(1, 0);
    int id = chan_id(c) + 1;
    chan_free(c);
    return id;
}

/* ---- defect 2: a NULL channel, alone ---------------------------- */

static int came_back;

static void select_on_nothing(void *arg)
{
    (void)arg;
    chan_case alone[] = {{NULL, CHAN_RECV, NULL, false}};
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
    char err[1024];
    int status = cu_in_child(run_a_nil_select, NULL, err, sizeof err);
    int ok = WIFEXITED(status) && WEXITSTATUS(status) == 0 &&
             strstr(err, "coro_run: deadlock: 1 coroutine is blocked") &&
             strstr(err, "blocked in chan_select");
    CU_ASSERT(ok);
    if (!ok)
        tell("a blocking select on one NULL channel", status, err);
}

static const CU_TestInfo nil_tests[] = {
    {"a select on one NULL channel blocks", a_select_on_one_null_channel_blocks},
    CU_TEST_INFO_NULL,
};

/* ---- defect 8: woken after the channel is gone ------------------ */

static chan *gone;

static void send_and_wait(void *arg)
{
    (void)arg;
    int v = 1;
    chan_send(gone, &v);
}

static void select_send_and_wait(void *arg)
{
    (void)arg;
    int v = 1;
    chan_case cases[] = {{NULL, CHAN_RECV, NULL, false},
                         {gone, CHAN_SEND, &v, false}};
    chan_select(cases, 2, true);
}

static void close_and_free(void *arg)
{
    (void)arg;
    chan_close(gone);
    chan_free(gone);        /* nobody waits on it now: allowed */
}

static const struct waker {
    coro_fn     sender;     /* waits to send on gone */
    const char *call;       /* which then names it */
} wakers[] = {{send_and_wait, "chan_send"},
              {select_send_and_wait, "chan_select"}};

static void sender_then_close_and_free(void *waker)
{
    gone = chan_new(sizeof(int), 0);
    coro_spawn(((const struct waker *)waker)->sender, NULL);
    coro_spawn(close_and_free, NULL);
    coro_run();
}

static void a_woken_sender_names_the_freed_channel(void)
{
    for (size_t i = 0; i < sizeof wakers / sizeof wakers[0]; i++) {
        char want[96], err[1024];
        snprintf(want, sizeof want, "%s: send on closed channel (chan %d)\n",
                 wakers[i].call, next_chan_id());
        int status = cu_in_child(sender_then_close_and_free,
                                 (void *)&wakers[i], err, sizeof err);
        int ok = cu_aborted(status) && strstr(err, want) != NULL;
        CU_ASSERT(ok);
        if (!ok)
            tell(want, status, err);
    }
}

static const CU_TestInfo gone_tests[] = {
    {"a woken sender names the freed channel", a_woken_sender_names_the_freed_channel},
    CU_TEST_INFO_NULL,
};

/* ---- defect 10: misuse of select and send ----------------------- */

static void select_null_cases(void *arg)
{
    (void)arg;
    chan_select(NULL, 2, false);
}

static void select_negative_n(void *arg)
{
    (void)arg;
    chan *c = chan_new(sizeof(int), 1);
    chan_case cases[] = {{c, CHAN_RECV, NULL, false}};
    chan_select(cases, -1, false);
}

static void select_bad_op(void *arg)
{
    (void)arg;
    chan *c = chan_new(sizeof(int), 1);
    chan_case cases[] = {{c, (enum chan_op)7, NULL, false}};
    chan_select(cases, 1, false);
}

static void select_send_null_elem(void *arg)
{
    (void)arg;
    chan *c = chan_new(sizeof(int), 1);
    chan_case cases[] = {{c, CHAN_SEND, NULL, false}};
    chan_select(cases, 1, false);
}

static void send_null_elem(void *arg)
{
    (void)arg;
    chan_send(chan_new(sizeof(int), 1), NULL);
}

static void select_and_send_misuse_aborts(void)
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
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char err[1024];
        int status = cu_in_child(cases[i].fn, NULL, err, sizeof err);
        int ok = cu_aborted(status) && strstr(err, cases[i].message);
        CU_ASSERT(ok);
        if (!ok)
            tell(cases[i].message, status, err);
    }
}

/* What is allowed stays allowed: no element on a channel for signals,
 * no cases at all. */
static void null_where_allowed_works(void)
{
    chan *signals = chan_new(0, 1);
    chan_send(signals, NULL);
    CU_ASSERT_EQUAL(chan_len(signals), 1);
    chan_case cases[] = {{signals, CHAN_RECV, NULL, false}};
    CU_ASSERT_EQUAL(chan_select(cases, 1, false), 0);
    CU_ASSERT(cases[0].ok);
    CU_ASSERT_EQUAL(chan_select(NULL, 0, false), -1);
    chan_free(signals);
}

static const CU_TestInfo misuse_tests[] = {
    {"select and send misuse aborts", select_and_send_misuse_aborts},
    {"NULL where allowed works", null_where_allowed_works},
    CU_TEST_INFO_NULL,
};

/* ---- defect 11: a big select, discarded ------------------------- */

#define MANY_CASES 100

static chan *lonely;

static void select_on_many(void *arg)
{
    (void)arg;
    chan_case cases[MANY_CASES];
    for (int i = 0; i < MANY_CASES; i++)
        cases[i] = (chan_case){lonely, CHAN_RECV, NULL, false};
    chan_select(cases, MANY_CASES, true);
}

static void run_quietly(void *arg)
{
    *(int *)arg = coro_run();
}

/* Bytes the program holds on the heap now (0 where nobody can say:
 * valgrind's leak check speaks for it at the end). */
static long long heap_in_use(void)
{
#ifdef ASAN
    return (long long)__sanitizer_get_current_allocated_bytes();
#else
    return (long long)mallinfo2().uordblks;
#endif
}

static void a_discarded_big_select_frees_its_waiters(void)
{
    char err[1024];
    int result = 0;
    lonely = chan_new(sizeof(int), 0);
    coro_spawn(select_on_many, NULL);       /* once, to warm up */
    cu_catch_stderr(run_quietly, &result, err, sizeof err);
    long long before = heap_in_use();
    coro_spawn(select_on_many, NULL);
    cu_catch_stderr(run_quietly, &result, err, sizeof err);
    long long grew = heap_in_use() - before;
    CU_ASSERT_EQUAL(result, -1);
    CU_ASSERT(grew < 1024);                 /* its waiters: 6400 bytes */
    if (grew >= 1024)
        printf("\n    the heap grew by %lld bytes\n", grew);
    chan_free(lonely);
}

static const CU_TestInfo leak_tests[] = {
    {"a discarded big select frees its waiters", a_discarded_big_select_frees_its_waiters},
    CU_TEST_INFO_NULL,
};

/* ---- defect 14: sizes ------------------------------------------- */

static void absurd_sizes(void *arg)
{
    (void)arg;
    static const size_t sizes[][2] = {
        {SIZE_MAX, 1}, {1, SIZE_MAX}, {SIZE_MAX / 2 + 1, 2},
        {(size_t)PTRDIFF_MAX + 1, 1},
    };
    int refused = 0;
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
        refused += chan_new(sizes[i][0], sizes[i][1]) == NULL;
    _exit(refused == 4 ? 0 : 1);
}

static int count_lines(const char *text, const char *start)
{
    int n = 0;
    for (const char *p = text; p != NULL && *p; p = strchr(p, '\n')) {
        p += *p == '\n';
        n += strncmp(p, start, strlen(start)) == 0;
    }
    return n;
}

static void absurd_sizes_are_refused_with_a_line(void)
{
    char err[2048];
    int status = cu_in_child(absurd_sizes, NULL, err, sizeof err);
    int ok = WIFEXITED(status) && WEXITSTATUS(status) == 0 &&
             count_lines(err, "chan_new: ") == 4;
    CU_ASSERT(ok);
    if (!ok)
        tell("chan_new of absurd sizes", status, err);
}

static void signals_need_no_buffer(void)
{
    chan *c = chan_new(0, SIZE_MAX);
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    CU_ASSERT_EQUAL(chan_cap(c), SIZE_MAX);
    for (int i = 0; i < 1000; i++)
        chan_send(c, NULL);
    CU_ASSERT_EQUAL(chan_len(c), 1000);
    CU_ASSERT(chan_recv(c, NULL));
    CU_ASSERT_EQUAL(chan_len(c), 999);
    chan_free(c);
}

static const CU_TestInfo size_tests[] = {
    {"absurd sizes are refused with a line", absurd_sizes_are_refused_with_a_line},
    {"signals need no buffer", signals_need_no_buffer},
    CU_TEST_INFO_NULL,
};

/* ---- defect 15: the deadlock report ----------------------------- */

static chan *in, *out;

static void select_in_or_out(void *arg)
{
    (void)arg;
    int v = 1;
    chan_case cases[] = {{in, CHAN_RECV, &v, false},
                         {NULL, CHAN_RECV, &v, false},
                         {out, CHAN_SEND, &v, false}};
    chan_select(cases, 3, true);
}

static void a_deadlocked_select_names_its_channels(void)
{
    char err[1024], want[128];
    int result = 0;
    in = chan_new(sizeof(int), 0);
    out = chan_new(sizeof(int), 0);
    int id = coro_spawn(select_in_or_out, NULL);
    cu_catch_stderr(run_quietly, &result, err, sizeof err);
    snprintf(want, sizeof want, "coro %d: blocked in chan_select on chan %d "
             "(receive), chan %d (send)\n", id, chan_id(in), chan_id(out));
    CU_ASSERT_EQUAL(result, -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, want));
    if (strstr(err, want) == NULL)
        printf("\n    wanted: %s    got: %s\n", want, err);
    chan_free(in);
    chan_free(out);
}

static const CU_TestInfo report_tests[] = {
    {"a deadlocked select names its channels", a_deadlocked_select_names_its_channels},
    CU_TEST_INFO_NULL,
};

void chan_defect_suites(void)
{
    cu_add("issue 9, defect 2: a NULL channel alone", nil_tests);
    cu_add("issue 9, defect 8: after chan_free", gone_tests);
    cu_add("issue 9, defect 10: misuse of select and send", misuse_tests);
    cu_add("issue 9, defect 11: a discarded big select", leak_tests);
    cu_add("issue 9, defect 14: chan_new's sizes", size_tests);
    cu_add("issue 9, defect 15: the deadlock report", report_tests);
}
