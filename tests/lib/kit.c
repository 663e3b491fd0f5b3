/*
 * kit.c - the library under test, as the suites see it (kit.h).
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <unistd.h>

#include "coro_impl.h"
#include "cu.h"
#include "kit.h"
#include "trace.h"
#if KIT_STAGE >= 4
#include "guards.h"
#endif

#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#define HAVE_VALGRIND 1
#endif
#endif

void kit_begin(void)
{
    trace_enable(false);
#if KIT_STAGE >= 4
    if (getenv("KIT_NO_GUARD_REGIONS") != NULL) {
        printf("KIT_NO_GUARD_REGIONS: playing a kernel without guard "
               "regions\n");
        guards_refuse(true);
    } else if (kit_under_valgrind()) {
        /* valgrind does not know that a guard region may not be read:
         * its leak check at exit reads them all, a fault a page, and
         * 100,000 stacks' worth takes it half an hour. */
        printf("under valgrind: playing a kernel without guard regions, "
               "which valgrind cannot see\n");
        guards_refuse(true);
    } else if (guards_pretend()) {
        printf("madvise(MADV_GUARD_INSTALL) says yes and guards nothing "
               "here (qemu-user?): playing a kernel without guard "
               "regions\n");
        guards_refuse(true);
    }
#endif
}

const char *kit_name(void)
{
    static char name[64];
    snprintf(name, sizeof name, "stage %d, SWITCH=%s", KIT_STAGE,
             KIT_SWITCH);
    return name;
}

bool kit_under_asan(void)
{
#if defined(__SANITIZE_ADDRESS__)
    return true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
    return true;
#endif
#endif
    return false;
}

bool kit_under_valgrind(void)
{
#ifdef HAVE_VALGRIND
    return RUNNING_ON_VALGRIND;
#else
    return false;
#endif
}

long kit_mappings_slack(void)
{
    return kit_under_valgrind() ? 16 : 0;
}

/* ---- why a test does not apply ---------------------------------- */

static bool switch_is(const char *name)
{
    return strcmp(KIT_SWITCH, name) == 0;
}

const char *needs_own_stacks(void)
{
    return switch_is("copy") ? "SWITCH=copy runs every coroutine on one "
                               "shared stack" : NULL;
}

const char *needs_generators(void)
{
    return switch_is("copy") ? "SWITCH=copy: a generator needs a stack of "
                               "its own; gen_new() refuses" : NULL;
}

const char *needs_channels(void)
{
    return switch_is("copy") ? "SWITCH=copy moves a waiting coroutine's "
                               "frames; chan_new() refuses" : NULL;
}

const char *needs_copy(void)
{
    return switch_is("copy") ? NULL : "SWITCH=" KIT_SWITCH " gives each "
                                      "coroutine a stack of its own";
}

const char *needs_fp_control_kept(void)
{
    if (switch_is("asm") || switch_is("ucontext"))
        return NULL;
    return "SWITCH=" KIT_SWITCH ": setjmp/longjmp keep no floating-point "
           "control state; all contexts share it";
}

const char *needs_ucontext(void)
{
    return switch_is("ucontext") ? NULL : "SWITCH=" KIT_SWITCH ": only "
                                          "swapcontext switches the "
                                          "signal mask";
}

static void try_traceme(void *arg)
{
    (void)arg;
    if (ptrace(PTRACE_TRACEME, 0, NULL, NULL) != 0)
        fprintf(stderr, "no ptrace\n");
}

const char *needs_syscall_counting(void)
{
    if (kit_under_valgrind())
        return "under valgrind, which makes the system calls itself";
    char err[64];
    int status = cu_in_child(try_traceme, NULL, err, sizeof err);
    if (status == -1 || strstr(err, "no ptrace") != NULL)
        return "ptrace is not allowed here (qemu-user, some containers)";
    return NULL;
}

/* ---- what the stages spell differently -------------------------- */

#if KIT_STAGE >= 2

#if KIT_STAGE <= 3
const struct ctx *kit_ctx_of(int id)
{
    for (int i = 0; i < CORO_MAX; i++)
        if (coro_slot(i)->id == id)
            return coro_slot(i)->ctx;
    return NULL;
}

const char kit_yielded[] = "suspended in coro_yield()";
const char kit_run_loop[] = "| resume()";
#else
const struct ctx *kit_ctx_of(int id)
{
    const struct coro *c = sched_find(id);
    return c ? c->ctx : NULL;
}

const char kit_yielded[] = "runnable";
const char kit_run_loop[] = "| run()";
#endif

struct stack kit_my_stack(void)
{
    struct ctx_view v = {0};
    if (coro_current() != NULL)
        ctx_view(coro_current()->ctx, &v);
    return v.stack;
}
#endif
