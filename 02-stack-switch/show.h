/*
 * show.h - the library's side of its tracer (trace/): which frames to
 * keep in the drawings, and a word before every switch.
 */
#ifndef SHOW_H
#define SHOW_H

/* Keep a function's own frame in the drawings.  At -O2 the compiler
 * would gladly fold a small function into its caller, and its frame
 * would vanish from the picture. */
#if defined(__clang__)
#define KEEP_FRAME __attribute__((noinline))
#else
#define KEEP_FRAME __attribute__((noinline, noclone))
#endif

/* Before every switch the library says what is about to happen, and
 * the tracer draws it if it draws at every switch (CORO_TRACE=1).  The
 * flag is 1 when it does, 0 when it does not, and -1 until the tracer
 * has looked (at the first switch): with tracing off, a switch costs
 * one test of it, and no call. */
extern int show_switches;
void show_switch(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#define SHOW_SWITCH(...) \
    do { if (show_switches != 0) show_switch(__VA_ARGS__); } while (0)

#endif
