/*
 * cu.h - how the suites meet CUnit: tests that say where they apply,
 * one main() that runs them and fails when a test fails or passes
 * without asserting anything, and checks for calls that must print a
 * message and abort.
 */
#ifndef CU_H
#define CU_H

#include <stdbool.h>
#include <stddef.h>
#include <CUnit/CUnit.h>

/* CU_PASS counts as an assertion and checks nothing: a test that only
 * "passes" would slip past the check that every test asserted. */
#undef CU_PASS
#define CU_PASS(msg) _Static_assert(0, "CU_PASS asserts nothing")

/* Why a test (or a suite) does not apply to the library under test,
 * e.g. "SWITCH=copy: ..."; NULL when it does.  Asked once, before the
 * run: a test never decides on its own, halfway, that it passed. */
typedef const char *(*cu_skip_fn)(void);

struct cu_test {
    const char *name;
    CU_TestFunc fn;
    cu_skip_fn  skip;           /* NULL: it applies everywhere */
};
#define CU_TESTS_END {NULL, NULL, NULL}

/* Add a suite named name with the tests up to CU_TESTS_END.  A test
 * that does not apply here (its own skip, or the suite's) is added
 * inactive, counted in CUnit's "Inactive" column, and listed with its
 * reason after the run. */
void cu_suite(const char *name, const struct cu_test *tests,
              cu_skip_fn skip);

/* Each suite file offers its suites through one of these. */
typedef void (*cu_suite_fn)(void);

/* Add every suite (or, with arguments, those whose names contain one
 * of them), run them, list what was skipped and why, and check that
 * every test that ran made an assertion.  The exit status for main():
 * 0 only if all that ran passed, each asserting something. */
int cu_main(const cu_suite_fn *suites, int argc, char **argv);

/* p, once a fatal assertion has made sure that it is not NULL: for what
 * a test makes and then looks inside, so that a failure to make it
 * fails the test instead of crashing the program. */
void *cu_made(void *p);

/* Run fn(arg) in a child process and wait.  What the child wrote on
 * stderr lands in err[size]; the result is waitpid()'s status. */
int cu_in_child(void (*fn)(void *), void *arg, char *err, size_t size);

/* Run fn(arg) here, catching what it writes on stderr in err[size]. */
void cu_catch_stderr(void (*fn)(void *), void *arg, char *err, size_t size);

/* Did the child abort (SIGABRT)?  Die of signal sig? */
bool cu_aborted(int status);
bool cu_killed_by(int status, int sig);

/* Run fn(arg) in a child: did it abort, saying message on stderr? */
bool cu_aborts_with(void (*fn)(void *), void *arg, const char *message);

/* For a check on a child that failed: print what was checked, how the
 * child ended (its exit status, or its signal) and what it said. */
void cu_tell(const char *what, int status, const char *err);

/* Does the line that starts at line hold what (before its newline)?
 * false when line is NULL. */
bool cu_line_has(const char *line, const char *what);

/* How many memory mappings the process has now. */
long cu_mappings(void);

#endif
