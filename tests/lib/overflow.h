/*
 * overflow.h - running off the end of a stack on purpose, and telling
 * whether the library caught it (overflow.c).
 */
#ifndef OVERFLOW_H
#define OVERFLOW_H

#include <stdbool.h>

struct sigaction;

/* Call itself kib times, with 1 KiB of locals in every frame: enough
 * calls run off the end of any coroutine's stack. */
int dig(int kib);

/* A coroutine's (or generator's) function: dig (int)(intptr_t)arg KiB
 * deep, and come back. */
void dig_deep(void *arg);

/* Run fn(NULL) in a child: did it die of SIGSEGV, saying says on
 * stderr, and not say "not stopped" (which fn prints if it carries on
 * after the overflow)? */
bool overflow_reported(void (*fn)(void *), const char *says);

/* A SIGSEGV handler of the program's own, which does nothing: put in
 * place (what was there goes in *was), and asked after.  The kit's
 * overflow watch sets a handler of its own over it while it watches,
 * and must put the program's back when it stops. */
void own_segv_handler_set(struct sigaction *was);
bool own_segv_handler_in_place(void);

#endif
