/*
 * stacks_drawn.c - the tracer's boxes in stages 2 to 5: main's stack
 * first, then a box for each coroutine, its own stack above a guard
 * page; in copy mode the shared stack under main's frames, and each
 * stopped coroutine's frames as copied to the heap.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>

#include "coro.h"
#include "cu.h"
#include "drawing.h"
#include "kit.h"

static void a_stopped_coroutine_is_drawn(void)
{
    int one, artist;
    const char *d = drawn_by_artist(&one, &artist);
    char head[48], b[4096];
    snprintf(head, sizeof head, "coro %d, %s", one, kit_yielded);
    CU_ASSERT_FATAL(box_of(d, head, b, sizeof b) != NULL);
    CU_ASSERT(cu_line_has(b, ctx_mode.own_stacks ? ": its own 64 KiB stack"
                                                 : " B copied to the heap"));
    const char *y = in_order(b, "| one_()", "| two_()", "| three_()",
                             "| coro_yield()", NULL);
    CU_ASSERT_FATAL(y != NULL);
    const char *saved = strstr(y, "<- saved sp");
    CU_ASSERT_PTR_NOT_NULL(saved);
    CU_ASSERT_PTR_NULL(saved ? strstr(saved + 1, "<- ") : NULL);
    CU_ASSERT_PTR_NULL(strstr(b, " 0 B\n"));     /* no frame is empty */
    if (ctx_mode.own_stacks)
        CU_ASSERT_PTR_NOT_NULL(strstr(y, "guard page: no access"));
}

static void the_running_coroutine_is_drawn(void)
{
    int one, artist;
    const char *d = drawn_by_artist(&one, &artist);
    const char *me = strstr(d, "| artist()");
    CU_ASSERT(cu_line_has(me, "<- sp"));
    const char *main_box = strstr(d, "main's stack");
    CU_ASSERT_FATAL(main_box != NULL && me != NULL);
    CU_ASSERT(main_box < me);
    char head[48], b[4096];
    if (ctx_mode.own_stacks) {      /* in a box of its own */
        snprintf(head, sizeof head, "coro %d, running: its own 64 KiB",
                 artist);
        CU_ASSERT_PTR_NOT_NULL(box_of(d, head, b, sizeof b));
        CU_ASSERT_PTR_NOT_NULL(strstr(b, "| artist()"));
    } else {                        /* on the shared stack, in main's */
        snprintf(head, sizeof head, "the shared stack: coro %d runs on it",
                 artist);
        CU_ASSERT(in_order(main_box, head, "| artist()", NULL) == me);
    }
    CU_ASSERT_PTR_NOT_NULL(strstr(me, "guard page: no access"));
}

static const struct cu_test tests[] = {
    {"a stopped coroutine is drawn", a_stopped_coroutine_is_drawn, NULL},
    {"the running coroutine is drawn", the_running_coroutine_is_drawn,
     NULL},
    CU_TESTS_END,
};

void stacks_drawn_suites(void)
{
    cu_suite("the tracer: coroutines' stacks", tests, NULL);
}
