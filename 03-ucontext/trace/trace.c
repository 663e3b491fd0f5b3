/*
 * trace.c - the tracer's front: when to draw, and where.  What a
 * drawing holds is the stage's own business (stacks.c), turning rows
 * into lines is draw.c's, and the pauses between drawings pause.c's.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../show.h"
#include "trace.h"
#include "trace_impl.h"

int show_switches = -1;         /* show.h: -1 until setup() has looked */

static struct {
    bool        ready;          /* environment read? */
    bool        on_set;         /* trace_enable() overrides CORO_TRACE */
    FILE       *out;            /* where drawings go; NULL: stdout */
    char       *stack_top;      /* top of the thread's own stack */
} tr;

void pause_show(FILE *out, const char *title, const char *text,
                bool stepping);                         /* pause.c */

static bool env_on(const char *name)
{
    const char *v = getenv(name);
    return v != NULL && *v != '\0' && strcmp(v, "0") != 0;
}

static void setup(void)
{
    if (tr.ready)
        return;
    tr.ready = true;
    if (!tr.on_set)
        show_switches = env_on("CORO_TRACE");
    pthread_attr_t a;
    void *lo;
    size_t size;
    if (pthread_getattr_np(pthread_self(), &a) == 0) {
        pthread_attr_getstack(&a, &lo, &size);
        tr.stack_top = (char *)lo + size;
        pthread_attr_destroy(&a);
    }
}

char *trace_stack_top(void)
{
    return tr.stack_top;
}

/* "-- the title ------": the first line of every drawing. */
static void print_title(FILE *out, const char *title)
{
    char line[96];
    int n = snprintf(line, sizeof line, "-- %s ", title);
    for (; n < draw_width() && n < (int)sizeof line - 1; n++)
        line[n] = '-';
    line[n] = '\0';
    fprintf(out, "\n%s%s%s\n", draw_paint(BOLD), line, draw_unpaint(BOLD));
}

/* Draw into memory first: pause.c shows it a screenful at a time. */
static void draw(void *here, const char *fmt, va_list ap)
{
    char title[72];
    vsnprintf(title, sizeof title, fmt, ap);
    FILE *out = tr.out ? tr.out : stdout;
    box.addresses = env_on("CORO_ADDR");
    box.narrow = env_on("CORO_NARROW");
    box.color = isatty(fileno(out)) && getenv("NO_COLOR") == NULL;
    char *text = NULL;
    size_t size = 0;
    FILE *mem = open_memstream(&text, &size);
    FILE *to = mem ? mem : out;
    print_title(to, title);
    stacks_draw(to, here);
    if (mem == NULL) {
        fflush(out);
        return;
    }
    fclose(mem);
    pause_show(out, title, text, env_on("CORO_STEP"));
    free(text);
}

__attribute__((noinline))
void trace_stacks(const char *fmt, ...)
{
    setup();
    va_list ap;
    va_start(ap, fmt);
    draw(__builtin_frame_address(0), fmt, ap);
    va_end(ap);
}

__attribute__((noinline))
void show_switch(const char *fmt, ...)
{
    setup();
    if (show_switches == 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    draw(__builtin_frame_address(0), fmt, ap);
    va_end(ap);
}

void trace_enable(bool on)
{
    show_switches = on;
    tr.on_set = true;
}

void trace_output(FILE *out)
{
    tr.out = out;
}
