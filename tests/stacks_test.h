/*
 * stacks_test.h - stacks of their own, as stages 2 and 3 give them
 * (stacks_test.c), for those stages' test programs.
 */
#ifndef STACKS_TEST_H
#define STACKS_TEST_H

#include <stdbool.h>

/* The stack size can be chosen, finished stacks are given back, running
 * off a stack is caught, and a deep call that fits runs. */
void stacks_suite(void);

/* A coroutine's (or generator's) function: dig (int)arg KiB deep. */
void dig_deep(void *arg);

/* Run fn(NULL) in a child: did it die of SIGSEGV, saying says, and not
 * say "not stopped" (which fn should print if it carries on)? */
bool overflow_reported(void (*fn)(void *), const char *says);

#endif
