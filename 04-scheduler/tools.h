/*
 * tools.h - what the kit tells valgrind and AddressSanitizer about its
 * stacks.  Without their headers these are no-ops, and the kit still
 * builds with a bare C compiler.
 *
 * valgrind's memcheck follows the stack pointer: bytes below it are
 * "not in use", and bytes it moves down over are "not yet written".
 * A jump onto another stack looks to it like a huge stack frame, unless
 * it knows the stacks (STACK_REGISTER); a jump down into a piece of the
 * one stack looks like fresh growth, so we say which bytes we left there
 * (STACK_BYTES_KEPT).
 *
 * AddressSanitizer keeps a shadow of every stack; it must hear of each
 * jump to another stack (FIBER_START just before, FIBER_FINISH just
 * after), and of stack bytes we copy in by hand (STACK_UNPOISON).
 */
#ifndef TOOLS_H
#define TOOLS_H

#include <stddef.h>

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

#if defined(__SANITIZE_ADDRESS__)
#define HAVE_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HAVE_ASAN 1
#endif
#endif

#ifdef HAVE_VALGRIND
#define UNDER_VALGRIND           RUNNING_ON_VALGRIND
#define STACK_REGISTER(lo, hi)   VALGRIND_STACK_REGISTER((lo), (hi))
#define STACK_DEREGISTER(id)     VALGRIND_STACK_DEREGISTER(id)
#define STACK_BYTES_KEPT(lo, hi) \
    VALGRIND_MAKE_MEM_DEFINED((lo), (size_t)((char *)(hi) - (char *)(lo)))
#define STACK_BYTES_FREE(lo, hi) \
    VALGRIND_MAKE_MEM_UNDEFINED((lo), (size_t)((char *)(hi) - (char *)(lo)))
#else
#define UNDER_VALGRIND           0
#define STACK_REGISTER(lo, hi)   ((void)(lo), (void)(hi), 0u)
#define STACK_DEREGISTER(id)     ((void)(id))
#define STACK_BYTES_KEPT(lo, hi) ((void)(lo), (void)(hi))
#define STACK_BYTES_FREE(lo, hi) ((void)(lo), (void)(hi))
#endif

#ifdef HAVE_ASAN
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>
#define FIBER_START(save, lo, size) \
    __sanitizer_start_switch_fiber((save), (lo), (size))
#define FIBER_FINISH(save, lo, size) \
    __sanitizer_finish_switch_fiber((save), (lo), (size))
#define STACK_UNPOISON(lo, size) __asan_unpoison_memory_region((lo), (size))
#define NO_ASAN __attribute__((no_sanitize_address))
#else
#define FIBER_START(save, lo, size)  ((void)(save), (void)(lo), (void)(size))
#define FIBER_FINISH(save, lo, size) ((void)(save), *(lo) = NULL, *(size) = 0)
#define STACK_UNPOISON(lo, size)     ((void)(lo), (void)(size))
#define NO_ASAN
#endif

#endif
