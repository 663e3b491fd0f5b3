/*
 * trace_impl.h - what the tracer's two halves share: trace.c decides
 * what a drawing holds (which stacks, which frames, at which depths),
 * and draw.c turns it into lines.  Private to the tracer.
 */
#ifndef TRACE_IMPL_H
#define TRACE_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define MAX_ROWS 512        /* rows in one box */

#define GREEN  "\033[32m"
#define YELLOW "\033[33m"
#define RED    "\033[31m"
#define BOLD   "\033[1m"
#define PLAIN  "\033[0m"

enum row_kind { ROW_FRAME, ROW_DIVIDER, ROW_SPAN };

struct row {
    enum row_kind kind;
    size_t      depth;      /* bytes below the base where it starts */
    size_t      size;       /* a frame's bytes */
    char        text[72];   /* function name, or the row's words */
    const char *mark;       /* "<- sp" and such, or NULL */
    const char *gap;        /* what to call unused bytes below it */
    const char *color;      /* for a divider: its escape sequence */
};

/* The box being drawn: one stack, as rows at their depths. */
struct box {
    char       *base;       /* depth 0: the top of what is drawn */
    size_t      end;        /* its bottom, as a depth */
    bool        addresses;  /* absolute addresses instead of depths */
    bool        color;      /* ANSI colours */
    struct row  row[MAX_ROWS];
    int         rows;
};

extern struct box box;

/* draw.c: a colour's escape sequence, and back to plain ("" when the
 * colours are off); a line of words between marks, padded to column 78
 * with fill; the box, rows sorted, under its head. */
const char *draw_paint(const char *color);
const char *draw_unpaint(const char *color);
void draw_line(FILE *out, const char *color, const char *lead,
               const char *words, char fill);
void draw_box(FILE *out, const char *color, const char *head);

#endif
