/*
 * switch_test.h - what every switch of stages 2 to 5 must keep
 * (switch_test.c), for each stage's test program.
 */
#ifndef SWITCH_TEST_H
#define SWITCH_TEST_H

#include <stdbool.h>

/* Callee-saved registers and floating-point control survive a switch;
 * a new coroutine starts with its stack aligned as the ABI asks. */
void switch_suite(void);

/* A coroutine's (or generator's) function that notes how its first
 * frame is aligned; was it on 16 bytes, both ways of looking? */
void note_alignment(void *arg);
bool noted_aligned(void);

#endif
