/*
 * drawing.c - the tracer's drawings as strings (drawing.h).
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coro.h"
#include "drawing.h"
#include "show.h"
#include "trace.h"

static char *drawing;           /* the last one caught */
static size_t drawing_size;

const char *drawn_while(void (*fn)(void *), void *arg, bool at_switches)
{
    free(drawing);
    drawing = NULL;
    FILE *out = open_memstream(&drawing, &drawing_size);
    if (out == NULL)
        return "";
    trace_output(out);
    trace_enable(at_switches);
    fn(arg);
    trace_enable(false);
    trace_output(NULL);
    fclose(out);
    return drawing;
}

KEEP_FRAME static void three_(void) { coro_yield(); }
KEEP_FRAME static void two_(void) { three_(); }
KEEP_FRAME static void one_(void *arg) { (void)arg; two_(); }

KEEP_FRAME static void artist(void *arg)
{
    (void)arg;
    trace_stacks("the artist draws");
}

static void run_one_and_artist(void *ids)
{
    ((int *)ids)[0] = coro_spawn(one_, NULL);
    ((int *)ids)[1] = coro_spawn(artist, NULL);
    coro_run();
}

const char *drawn_by_artist(int *one, int *artist_id)
{
    int ids[2] = {0, 0};
    const char *d = drawn_while(run_one_and_artist, ids, false);
    *one = ids[0];
    *artist_id = ids[1];
    return d;
}

/* A box ends where the next begins, or at the arrow under the last. */
static size_t box_length(const char *start)
{
    const char *ends[] = {"\n   v\n", "\n\n"};
    size_t len = strlen(start);
    for (int i = 0; i < 2; i++) {
        const char *end = strstr(start + 1, ends[i]);
        if (end != NULL && (size_t)(end - start) < len)
            len = (size_t)(end - start);
    }
    return len;
}

const char *box_of(const char *text, const char *head, char *out,
                   size_t size)
{
    const char *start = text ? strstr(text, head) : NULL;
    if (start == NULL)
        return NULL;
    while (start > text && start[-1] != '\n')
        start--;
    size_t len = box_length(start);
    snprintf(out, size, "%.*s", (int)(len < size ? len : size - 1), start);
    return out;
}

const char *in_order(const char *text, ...)
{
    va_list ap;
    va_start(ap, text);
    const char *at = NULL, *what;
    while (text != NULL && (what = va_arg(ap, const char *)) != NULL)
        text = at = strstr(at ? at + 1 : text, what);
    va_end(ap);
    return at;
}

int count_of(const char *text, const char *what)
{
    int n = 0;
    for (const char *p = text; (p = strstr(p, what)) != NULL; p++)
        n++;
    return n;
}
