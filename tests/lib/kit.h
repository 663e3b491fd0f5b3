/*
 * kit.h - what the suites need to know about the library under test:
 * which stage and switch it is, why a test does not apply to it, and
 * the few things the stages spell differently (kit.c).
 *
 * tests/Makefile defines KIT_STAGE (1..5) and KIT_SWITCH ("setjmp",
 * "copy", "asm", "sigstack", "ucontext") for the program it builds.
 */
#ifndef KIT_H
#define KIT_H

#include <stdbool.h>

#if !defined(KIT_STAGE) || !defined(KIT_SWITCH)
#error "KIT_STAGE and KIT_SWITCH come from tests/Makefile"
#endif

#if KIT_STAGE >= 2
#include "ctx.h"
#endif

/* Before any suite: drawing at every switch off, whatever CORO_TRACE
 * says in the environment; the tests that want it turn it on.  In
 * stages 4-5 the whole run plays a kernel without guard regions
 * (lib/guards.h), and says so, where KIT_NO_GUARD_REGIONS asks for it,
 * under valgrind, and where madvise() pretends to make them. */
void kit_begin(void);

/* "stage 4, SWITCH=asm", for the first line of the output. */
const char *kit_name(void);

/* Is the program running under AddressSanitizer?  valgrind? */
bool kit_under_asan(void);
bool kit_under_valgrind(void);

/* How many memory mappings the process may gain meanwhile that are no
 * stack's: none, but under valgrind, which maps memory of its own as
 * the program touches more (a stack kept by mistake costs one or two a
 * coroutine, and the tests make hundreds). */
long kit_mappings_slack(void);

/* ---- why a test does not apply (see cu_skip_fn): NULL if it does - */

const char *needs_own_stacks(void);     /* not SWITCH=copy */
const char *needs_generators(void);     /* the same, for generators */
const char *needs_channels(void);       /* and for channels */
const char *needs_copy(void);           /* SWITCH=copy alone */
const char *needs_fp_control_kept(void);/* asm and ucontext */
const char *needs_ucontext(void);       /* SWITCH=ucontext alone */
const char *needs_syscall_counting(void);  /* ptrace, and no valgrind */

#if KIT_STAGE >= 2
/* ---- what the stages spell differently --------------------------- */

/* The context of coroutine id: NULL once it has finished. */
const struct ctx *kit_ctx_of(int id);

/* The stack the calling coroutine runs on (copy mode: the shared one). */
struct stack kit_my_stack(void);

/* How a drawing's head names a coroutine stopped in coro_yield():
 * "suspended in coro_yield()" (stages 2-3), "runnable" (4-5). */
extern const char kit_yielded[];

/* The run loop's frame where main stops while a coroutine runs:
 * "| resume()" (stages 2-3), "| run()" (4-5). */
extern const char kit_run_loop[];
#endif

#endif
