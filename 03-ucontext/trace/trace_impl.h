/*
 * trace_impl.h - what the tracer's parts share.  Private to trace/.
 *
 *   trace.c   when to draw, and where: titles, pauses, the interface
 *   stacks.c  what a drawing holds: the stacks this stage has (its own)
 *   rows.c    a box's rows: frames found on a stack, and dividers
 *   draw.c    rows become lines, in the order the stack grows
 *   frames.c  walking a chain of frames; symbols.c names them
 */
#ifndef TRACE_IMPL_H
#define TRACE_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "frames.h"

#define MAX_ROWS 512        /* rows in one box */
#define MAX_WALK 256        /* frames in one walk */

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
    size_t      end;        /* its bottom, as a depth (0: the last row) */
    bool        addresses;  /* absolute addresses instead of depths */
    bool        color;      /* ANSI colours */
    bool        narrow;     /* 70 columns instead of 78, for slides */
    struct row  row[MAX_ROWS];
    int         rows;
};

extern struct box box;

/* stacks.c, the stage's own: the line under the title, then every
 * stack the program has now.  here is the tracer's own frame: where
 * the code that asked for the drawing is. */
void stacks_draw(FILE *out, void *here);

/* trace.c: the top of the thread's own stack (walks stop below it). */
char *trace_stack_top(void);

/* rows.c: start a box whose depth 0 is base; add a row at top (NULL
 * when the box is full); add the frames found from start within lo ..
 * hi (where the records have moved by `moved`), the first marked with
 * mark, and return how many (their names are in rows_walked[]); add
 * main()'s frames from start up, and return the top of main()'s frame. */
void rows_start(char *base);
struct row *rows_add(enum row_kind kind, char *top, const char *color,
                     const char *words);
int rows_add_walk(void *start, char *lo, char *hi, long moved,
                  const char *stop_at, const char *mark, const char *gap);
char *rows_add_main(void *start, const char *mark, const char *gap);
extern struct frame rows_walked[MAX_WALK];

/* draw.c: a colour's escape sequence, and back to plain ("" when the
 * colours are off); how wide a drawing is (78, or 70 when narrow); the
 * line under the title, with left on the left, then the columns' names;
 * a line of words between marks, padded to the width with fill; the
 * box, rows sorted, under its head (none if NULL). */
const char *draw_paint(const char *color);
const char *draw_unpaint(const char *color);
int draw_width(void);
void draw_heading(FILE *out, const char *left);
void draw_line(FILE *out, const char *color, const char *lead,
               const char *words, char fill);
void draw_box(FILE *out, const char *color, const char *head);

#endif
