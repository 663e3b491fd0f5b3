/*
 * rows.c - filling a box (trace_impl.h): the frames a walk finds on a
 * stack, and the dividers and spans of bytes between them, each at its
 * depth below the box's base.
 */
#include <string.h>

#include "trace_impl.h"

struct frame rows_walked[MAX_WALK];

void rows_start(char *base)
{
    box.base = base;
    box.end = 0;
    box.rows = 0;
}

struct row *rows_add(enum row_kind kind, char *top, const char *color,
                     const char *words)
{
    if (box.rows == MAX_ROWS)
        return NULL;
    struct row *r = &box.row[box.rows++];
    memset(r, 0, sizeof *r);
    r->kind = kind;
    r->depth = (size_t)(box.base - top);
    r->color = color;
    if (words != NULL)
        snprintf(r->text, sizeof r->text, "%s", words);
    return r;
}

static void add_frame(const struct frame *f, const char *mark,
                      const char *gap)
{
    struct row *r = rows_add(ROW_FRAME, f->top, NULL, NULL);
    if (r == NULL)
        return;
    r->size = (size_t)(f->top - f->bottom);
    snprintf(r->text, sizeof r->text, "%s()", f->name);
    r->mark = mark;
    r->gap = gap;
}

int rows_add_walk(void *start, char *lo, char *hi, long moved,
                  const char *stop_at, const char *mark, const char *gap)
{
    struct frame *f = rows_walked;
    int n = frames_walk(start, lo, hi, moved, stop_at, f, MAX_WALK);
    for (int k = 0; k < n; k++)
        add_frame(&f[k], k == 0 ? mark : NULL, gap);
    return n;
}

/* main()'s frames are found before the base is known: it is the top of
 * main()'s own frame, the last one found. */
char *rows_add_main(void *start, const char *mark, const char *gap)
{
    struct frame *f = rows_walked;
    int n = frames_walk(start, start, trace_stack_top(), 0, "main", f,
                        MAX_WALK);
    box.base = n > 0 ? f[n - 1].top : start;
    for (int k = 0; k < n; k++)
        add_frame(&f[k], k == 0 ? mark : NULL, gap);
    return box.base;
}
