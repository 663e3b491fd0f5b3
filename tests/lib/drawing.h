/*
 * drawing.h - the tracer's drawings as strings a test can search: one
 * way to catch them, and a few ways to look inside (drawing.c).
 */
#ifndef DRAWING_H
#define DRAWING_H

#include <stdbool.h>
#include <stddef.h>

/* Run fn(arg) with the drawings going into a string instead of stdout,
 * and drawing at every switch on if at_switches: the string, which
 * stays valid until the next call ("" if nothing was drawn). */
const char *drawn_while(void (*fn)(void *), void *arg, bool at_switches);

/* The drawing made by coroutine artist while coroutine one, spawned
 * just before it, is stopped in one_() > two_() > three_() >
 * coro_yield().  Their ids in *one and *artist. */
const char *drawn_by_artist(int *one, int *artist);

/* The box whose head (its first line) holds head, from that line to the
 * end of the box, copied into out[size]: out, or NULL if there is no
 * such box. */
const char *box_of(const char *drawing, const char *head, char *out,
                   size_t size);

/* Do a, b, c... (up to a NULL) come one after the other in text?
 * Where the last one is; NULL if they do not (or text is NULL). */
const char *in_order(const char *text, ...);

/* How many times what occurs in text. */
int count_of(const char *text, const char *what);

#endif
