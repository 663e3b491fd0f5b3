/*
 * trace.h - the stack-diagram tracer: ASCII drawings of every stack.
 *
 * It draws at every switch when tracing is on, and whenever code calls
 * trace_stacks().  The environment sets it up:
 *   CORO_TRACE=1  draw at every switch
 *   CORO_STEP=1   pause after each drawing: Enter goes on, c runs to
 *                 the end without pausing, q quits (exit status 3)
 *   CORO_ADDR=1   show absolute addresses instead of depths
 *   CORO_NARROW=1 70 columns instead of 78 (slides at 80x24)
 *   NO_COLOR      plain text (as is output that is not a terminal)
 */
#ifndef TRACE_H
#define TRACE_H

#include <stdbool.h>
#include <stdio.h>

/* Draw every stack now, under a title made like printf's. */
void trace_stacks(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

/* Turn drawing at switches on or off (overrides CORO_TRACE). */
void trace_enable(bool on);

/* Send the drawings to out instead of stdout. */
void trace_output(FILE *out);

#endif
