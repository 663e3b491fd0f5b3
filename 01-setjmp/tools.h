/*
 * tools.h - what the kit tells valgrind about its stacks.
 *
 * memcheck follows the stack pointer: bytes below it are "not in use",
 * and bytes that the stack pointer moves down over are "not yet
 * written".  A longjmp down into a slice looks to it like fresh stack
 * growth, so it would call every byte of a suspended coroutine's frames
 * uninitialised.  We tell it otherwise.  Without valgrind's headers
 * these are no-ops, and the kit still builds with a bare C compiler.
 */
#ifndef TOOLS_H
#define TOOLS_H

/* -DNO_VALGRIND_HOOKS leaves valgrind's hooks out even so: cachegrind
 * and callgrind need no word about stacks, and without the hooks they
 * count the path a run outside valgrind takes (bench/profile builds the
 * kit so).  memcheck needs them. */
#if defined(__has_include) && !defined(NO_VALGRIND_HOOKS)
#if __has_include(<valgrind/memcheck.h>)
#include <valgrind/memcheck.h>
#define HAVE_VALGRIND 1
#endif
#endif

#ifndef HAVE_VALGRIND
#define VALGRIND_MAKE_MEM_DEFINED(addr, len) ((void)(addr), (void)(len))
#endif

/* The bytes lo .. hi of a stack hold what we left there. */
#define STACK_BYTES_KEPT(lo, hi) \
    VALGRIND_MAKE_MEM_DEFINED((lo), (size_t)((char *)(hi) - (char *)(lo)))

#endif
