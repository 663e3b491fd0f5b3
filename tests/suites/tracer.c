/*
 * tracer.c - when the tracer draws (at every switch when asked, on
 * demand always), and how: the same state the same way, depths and no
 * addresses unless asked, no colour in a file.  The same in every
 * stage; what a drawing holds is each stage's own (slices.c,
 * stacks_drawn.c, generators_drawn.c, scheduler_drawn.c, channels.c).
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coro.h"
#include "cu.h"
#include "drawing.h"
#include "kit.h"
#include "show.h"
#include "trace.h"

KEEP_FRAME static void stay(void *arg)
{
    (void)arg;
    coro_yield();
}

KEEP_FRAME static void draw_twice(void)
{
    for (int i = 0; i < 2; i++)
        trace_stacks("the same");
}

KEEP_FRAME static void twice_artist(void *arg)
{
    (void)arg;
    draw_twice();
}

static void run_stay_and_twice_artist(void *arg)
{
    (void)arg;
    coro_spawn(stay, NULL);
    coro_spawn(twice_artist, NULL);
    coro_run();
}

static void the_same_state_draws_the_same(void)
{
    const char *d = drawn_while(run_stay_and_twice_artist, NULL, false);
    size_t half = strlen(d) / 2;
    CU_ASSERT(half > 500);
    CU_ASSERT_EQUAL(strncmp(d, d + half, half), 0);
}

/* Every "0x" of the drawing is a depth ("+0x0040"), none an address. */
static bool only_depths(const char *d)
{
    for (const char *p = strstr(d, "0x"); p; p = strstr(p + 1, "0x"))
        if (p == d || p[-1] != '+')
            return false;
    return true;
}

static void a_file_gets_depths_and_no_colour(void)
{
    int one, artist;
    const char *d = drawn_by_artist(&one, &artist);
    CU_ASSERT_PTR_NOT_NULL(strstr(d, "+0x0000"));
    CU_ASSERT(only_depths(d));
    CU_ASSERT_PTR_NULL(strchr(d, '\033'));
}

static void addresses_on_request(void)
{
    int one, artist;
    setenv("CORO_ADDR", "1", 1);
    const char *d = drawn_by_artist(&one, &artist);
    unsetenv("CORO_ADDR");
    CU_ASSERT_PTR_NULL(strstr(d, "+0x0000"));
    CU_ASSERT_PTR_NOT_NULL(strstr(d, "address"));
    CU_ASSERT_FALSE(only_depths(d));
}

static void yield_once(void *arg)
{
    (void)arg;
    coro_yield();
}

static int ids[2];

static void run_two(void *arg)
{
    (void)arg;
    ids[0] = coro_spawn(yield_once, NULL);
    ids[1] = coro_spawn(yield_once, NULL);
    coro_run();
}

/* Who runs after a switch drawn with this title: "main starts coro 3"
 * gives 3 the CPU, "coro 3 yields to main" gives it back to 0 (main or
 * the scheduler); from names who had it.  -1: not a switch's title. */
static int after(const char *title, int *from)
{
    static const char *const into[] = {
        "main starts coro %d%n", "main resumes coro %d%n",
        "the scheduler runs coro %d%n",
    };
    static const char *const out[] = {
        "coro %d yields to main%n", "coro %d yields%n", "coro %d finishes%n",
    };
    int n = 0, to;
    size_t len = strlen(title);
    for (int i = 0; i < 3; i++)
        if (sscanf(title, into[i], &to, &n) == 1 && (size_t)n == len) {
            *from = 0;
            return to;
        }
    for (int i = 0; i < 3; i++)
        if (sscanf(title, out[i], from, &n) == 1 && (size_t)n == len)
            return 0;
    if (sscanf(title, "coro %d yields, and hands the CPU to coro %d%n",
               from, &to, &n) == 2 && (size_t)n == len)
        return to;              /* straight from one to the other */
    return -1;
}

/* Each title of d in turn into title[size]; NULL after the last. */
static const char *next_title(const char *d, char *title, size_t size)
{
    const char *t = strstr(d, "\n-- ");
    if (t == NULL)
        return NULL;
    t += 4;
    const char *end = strstr(t, " --");
    size_t len = end ? (size_t)(end - t) : 0;
    snprintf(title, size, "%.*s", (int)(len < size ? len : size - 1), t);
    return t;
}

/* Two coroutines that yield once each: every switch is drawn, under a
 * title that says who hands the CPU to whom, and the titles follow the
 * CPU from the first start to the last finish, whatever order the
 * stage's run loop picks. */
static void every_switch_is_drawn(void)
{
    const char *d = drawn_while(run_two, NULL, true);
    char title[80];
    int running = 0, drawn = 0, wrong = 0, yields = 0, finishes = 0;
    for (const char *t = d; (t = next_title(t, title, sizeof title));) {
        int from = -1, to = after(title, &from);
        wrong += to < 0 || from != running ||
                 (from != ids[0] && from != ids[1] && from != 0) ||
                 (to != ids[0] && to != ids[1] && to != 0);
        yields += strstr(title, " yields") != NULL;
        finishes += strstr(title, " finishes") != NULL;
        running = to;
        drawn++;
    }
    CU_ASSERT_EQUAL(wrong, 0);
    CU_ASSERT_EQUAL(running, 0);        /* back where it began */
    CU_ASSERT_EQUAL(yields, 2);
    CU_ASSERT_EQUAL(finishes, 2);
    CU_ASSERT(drawn >= 6);
    int first = -1;
    CU_ASSERT(next_title(d, title, sizeof title) != NULL &&
              after(title, &first) == ids[0]);      /* a goes first */
}

static void nothing_is_drawn_when_tracing_is_off(void)
{
    const char *d = drawn_while(run_two, NULL, false);
    CU_ASSERT_STRING_EQUAL(d, "");
    d = drawn_while(run_stay_and_twice_artist, NULL, false);
    CU_ASSERT_EQUAL(count_of(d, "\n-- "), 2);   /* only those on demand */
}

static const struct cu_test tests[] = {
    {"the same state draws the same", the_same_state_draws_the_same, NULL},
    {"a file gets depths and no colour", a_file_gets_depths_and_no_colour,
     NULL},
    {"absolute addresses on request", addresses_on_request, NULL},
    {"every switch is drawn", every_switch_is_drawn, NULL},
    {"nothing is drawn when tracing is off",
     nothing_is_drawn_when_tracing_is_off, NULL},
    CU_TESTS_END,
};

void tracer_suites(void)
{
    cu_suite("the tracer: when and how it draws", tests, NULL);
}
