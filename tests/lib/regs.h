/*
 * regs.h - does a context switch give back every register it must
 * (regs_x86_64.S, regs_aarch64.S), and start a new context with its
 * stack aligned as the ABI asks (alignment.c)?
 */
#ifndef REGS_H
#define REGS_H

#include <stdbool.h>

/* Set every callee-saved general register (and on aarch64 d8-d15) to
 * values made from seed, call fn(arg), and compare: the result has a
 * bit set for each register that came back changed (0: all kept). */
unsigned long regs_keep(unsigned long seed, void (*fn)(void *), void *arg);

/* The same for the floating-point control state: MXCSR and the x87
 * control word on x86-64, FPCR on aarch64.  seed picks a rounding mode
 * (0..3) and such.  The state is put back as it was before returning. */
unsigned long fpctl_keep(unsigned long seed, void (*fn)(void *), void *arg);

/* A coroutine's (or generator's) function that notes how its first
 * frame is aligned; then: was it on 16 bytes, both ways of looking?
 * (Asking forgets what was noted.) */
void note_alignment(void *arg);
bool noted_aligned(void);

#endif
