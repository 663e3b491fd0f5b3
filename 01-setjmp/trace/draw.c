/*
 * draw.c - the rows of a box (trace_impl.h), put in the order the stack
 * grows, become lines of text: frames with their positions and sizes,
 * dividers across the box, and the bytes nobody uses, folding a deep
 * recursion into one line.
 */
#include <stdio.h>
#include <string.h>

#include "trace_impl.h"

#define RUN_MIN 5           /* fold this many same-named frames or more */

struct box box;

/* In the order the stack grows: by depth, keeping the order of rows at
 * one depth (a divider added before its frames stays before them). */
static void sort_rows(void)
{
    for (int i = 1; i < box.rows; i++) {
        struct row r = box.row[i];
        int j = i;
        for (; j > 0 && box.row[j - 1].depth > r.depth; j--)
            box.row[j] = box.row[j - 1];
        box.row[j] = r;
    }
}

const char *draw_paint(const char *color)
{
    return box.color && color ? color : "";
}

const char *draw_unpaint(const char *color)
{
    return box.color && color ? PLAIN : "";
}

static void human(char *buf, size_t size, size_t bytes)
{
    if (bytes < 10 * 1024)
        snprintf(buf, size, "%zu B", bytes);
    else
        snprintf(buf, size, "%.1f KiB", bytes / 1024.0);
}

/* Where a row is: its depth below the base, or its address. */
static void where(char *buf, size_t size, size_t depth)
{
    if (box.addresses)
        snprintf(buf, size, "%p", (void *)(box.base - depth));
    else
        snprintf(buf, size, "+0x%04zx", depth);
}

/* A frame's line: its name, its number, where it is, and its size.
 * Narrow, for slides: a shorter name, and "#" for "frame #". */
static void print_frame(FILE *out, const struct row *r, int number)
{
    char name[32], pos[24], size[16];
    snprintf(name, sizeof name, "%-*.*s", box.narrow ? 20 : 26,
             box.narrow ? 20 : 26, r->text);
    where(pos, sizeof pos, r->depth);
    human(size, sizeof size, r->size);
    fprintf(out, "   | %s %s%-3d%*s %*s", name, box.narrow ? "#" : "frame #",
            number, box.addresses ? 16 : box.narrow ? 9 : 10, pos,
            box.narrow ? 8 : 9, size);
    if (r->mark)
        fprintf(out, "  %s%s%s", draw_paint(RED), r->mark, draw_unpaint(RED));
    fputc('\n', out);
}

int draw_width(void)
{
    return box.narrow ? 70 : 78;
}

void draw_heading(FILE *out, const char *left)
{
    const char *where = box.addresses ? "address" : "depth";
    int where_ends = box.narrow ? (box.addresses ? 46 : 39)
                                : (box.addresses ? 58 : 52);
    int n = fprintf(out, "   %s", left);
    int room = where_ends - n, least = (int)strlen(where) + 1;
    fprintf(out, "%*s %*s\n", room > least ? room : least, where,
            box.narrow ? 8 : 9, "size");
}

/* A line of words between marks, padded with fill to the drawing's
 * width. */
void draw_line(FILE *out, const char *color, const char *lead,
               const char *words, char fill)
{
    char line[128];
    int n = snprintf(line, sizeof line, "%s %s ", lead, words);
    for (; n < draw_width() && n < (int)sizeof line - 1; n++)
        line[n] = fill;
    line[n] = '\0';
    fprintf(out, "%s%s%s\n", draw_paint(color), line, draw_unpaint(color));
}

/* Bytes from..to that hold no frame, if there are enough to mention. */
static void print_unused(FILE *out, size_t from, size_t to, const char *what)
{
    if (what == NULL || to <= from + 64)
        return;
    char size[16];
    human(size, sizeof size, to - from);
    fprintf(out, "   |    : %s %s\n", size, what);
}

/* Rows from i on with the same name as row i. */
static int run_length(int i)
{
    int j = i;
    while (j < box.rows && box.row[j].kind == ROW_FRAME &&
           strcmp(box.row[j].text, box.row[i].text) == 0)
        j++;
    return j - i;
}

/* Rows i+1 .. i+hidden of a deep recursion, as one line. */
static void print_fold(FILE *out, int i, int hidden)
{
    const struct row *first = &box.row[i], *last = &box.row[i + hidden + 1];
    char size[16];
    human(size, sizeof size, last->depth - first->depth - first->size);
    fprintf(out, "   |    : %d more %s frames, %s\n", hidden,
            first->text, size);
}

static void print_rows(FILE *out)
{
    int number = 0;
    for (int i = 0; i < box.rows; i++) {
        const struct row *r = &box.row[i];
        size_t next = i + 1 < box.rows ? box.row[i + 1].depth : box.end;
        if (r->kind == ROW_DIVIDER) {
            draw_line(out, r->color, "   |==", r->text, '=');
        } else if (r->kind == ROW_SPAN) {
            print_unused(out, r->depth, next, r->text);
            continue;
        } else {
            int run = run_length(i);
            if (run >= RUN_MIN) {       /* a deep recursion: fold it */
                print_frame(out, r, ++number);
                print_fold(out, i, run - 2);
                number += run - 2;
                i += run - 1;
                r = &box.row[i];
                next = i + 1 < box.rows ? box.row[i + 1].depth : box.end;
            }
            print_frame(out, r, ++number);
        }
        print_unused(out, r->depth + r->size, next, r->gap);
    }
}

/* One box: its head (if any), its rows in depth order, and the way it
 * grows. */
void draw_box(FILE *out, const char *color, const char *head)
{
    sort_rows();
    if (head != NULL) {
        fputc('\n', out);
        draw_line(out, color, "  ", head, '-');
    }
    print_rows(out);
    fprintf(out, "   v\n");
}
