/*
 * trace.h - the stack-diagram tracer: ASCII drawings of every stack.
 *
 * It draws at every switch when tracing is on, and whenever code calls
 * trace_stacks().  The environment sets it up:
 *   CORO_TRACE=1  draw at every switch
 *   CORO_STEP=1   after each drawing, wait for Enter
 *   CORO_ADDR=1   show absolute addresses instead of depths
 *   NO_COLOR      plain text (as is output that is not a terminal)
 */
#ifndef TRACE_H
#define TRACE_H

#include <stdbool.h>
#include <stdio.h>

/* Keep a function's own frame in the drawings.  At -O2 the compiler
 * would gladly fold a small function into its caller, and its frame
 * would vanish from the picture. */
#if defined(__clang__)
#define KEEP_FRAME __attribute__((noinline))
#else
#define KEEP_FRAME __attribute__((noinline, noclone))
#endif

/* Draw every stack now, under a title made like printf's. */
void trace_stacks(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

/* The same, but only when tracing is on: the library calls it just
 * before every switch. */
void trace_switch(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

/* Turn drawing at switches on or off (overrides CORO_TRACE). */
void trace_enable(bool on);

/* Send the drawings to out instead of stdout. */
void trace_output(FILE *out);

#endif
