/*
 * cu.h - what every test program shares: a main() that runs CUnit's
 * basic runner and fails when a test fails, and checks for calls that
 * must print a message and abort.
 */
#ifndef CU_H
#define CU_H

#include <stddef.h>
#include <CUnit/CUnit.h>

/* Each test file offers its suites as one of these. */
typedef void (*cu_suite_fn)(void);

/* Add a suite named name with the NULL-terminated tests. */
void cu_add(const char *name, const CU_TestInfo *tests);

/* Run every suite; the exit status for main(): 0 only if all passed. */
int cu_main(const cu_suite_fn *suites);

/* Run fn(arg) in a child process and wait.  What the child wrote on
 * stderr lands in err[size]; the result is waitpid()'s status. */
int cu_in_child(void (*fn)(void *), void *arg, char *err, size_t size);

/* Run fn(arg) here, catching what it writes on stderr in err[size]. */
void cu_catch_stderr(void (*fn)(void *), void *arg, char *err, size_t size);

/* Did the child abort (SIGABRT)? */
int cu_aborted(int status);

/* How a child ended, in words: "exit 0", "signal 11 (Segmentation
 * fault)".  The text lasts until the next call. */
const char *cu_ending(int status);

/* Run fn(arg) in a child: did it abort, saying message on stderr? */
int cu_aborts_with(void (*fn)(void *), void *arg, const char *message);

/* Does the line that starts at line hold what (before its newline)? */
int cu_line_has(const char *line, const char *what);

/* How many memory mappings the process has now. */
long cu_mappings(void);

/* Call itself calls times, with 1 KiB of locals in every frame: enough
 * calls run off the end of any coroutine's stack. */
int cu_dig(int calls);

#endif
