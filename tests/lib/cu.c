/*
 * cu.c - the shared test main(): suites in, CUnit's basic runner, and
 * two checks CUnit does not make.
 *
 * A test that does not apply here is added inactive with its reason,
 * so that the summary counts it ("Inactive") and the listing after it
 * says why.  Every test that ran must have made at least one assertion:
 * each suite's set-up and tear-down count them test by test, and a test
 * that passed without asserting anything fails the program.  Nothing
 * but cu_suite() may make a test inactive, and every active test must
 * have run: otherwise the counts would not mean what they say.
 *
 * CUnit's basic runner returns 0 even when tests fail, so cu_main()
 * reads the failure count itself, before the registry is cleaned up
 * (afterwards it reads 0).
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <CUnit/Basic.h>

#include "cu.h"

#define TESTS_MAX 512

/* What we know of each test added. */
struct record {
    CU_pTest    test;
    const char *suite;
    const char *skipped;        /* why it does not apply; NULL: it does */
    bool        suite_skipped;  /* ...for the suite's reason */
    bool        ran;            /* its tear-down was called */
    unsigned    asserts;        /* assertions it made */
};

static struct {
    struct record rec[TESTS_MAX];
    int           count;
    unsigned      asserts_before;   /* when the running test began */
    int           argc;             /* which suites to add: all, or */
    char        **argv;             /* those matching an argument */
} cu;

static struct record *record_of(CU_pTest t)
{
    for (int i = 0; i < cu.count; i++)
        if (cu.rec[i].test == t)
            return &cu.rec[i];
    return NULL;
}

static void count_from_here(void)
{
    cu.asserts_before = CU_get_number_of_asserts();
}

/* Runs after every test, even one a fatal assertion left. */
static void count_up_to_here(void)
{
    struct record *r = record_of(CU_get_current_test());
    if (r != NULL) {
        r->ran = true;
        r->asserts = CU_get_number_of_asserts() - cu.asserts_before;
    }
}

static bool wanted(const char *suite)
{
    if (cu.argc <= 1)
        return true;
    for (int i = 1; i < cu.argc; i++)
        if (strstr(suite, cu.argv[i]) != NULL)
            return true;
    return false;
}

static void add_test(CU_pSuite s, const char *suite, const struct cu_test *t,
                     const char *suite_skipped)
{
    CU_pTest test = CU_add_test(s, t->name, t->fn);
    if (test == NULL || cu.count == TESTS_MAX) {
        fprintf(stderr, "cu_suite: cannot add \"%s\"\n", t->name);
        exit(2);
    }
    struct record *r = &cu.rec[cu.count++];
    *r = (struct record){.test = test, .suite = suite};
    r->skipped = suite_skipped ? suite_skipped : t->skip ? t->skip() : NULL;
    r->suite_skipped = suite_skipped != NULL;
    if (r->skipped != NULL)
        CU_set_test_active(test, CU_FALSE);
}

void cu_suite(const char *name, const struct cu_test *tests,
              cu_skip_fn skip)
{
    if (!wanted(name))
        return;
    CU_pSuite s = CU_add_suite_with_setup_and_teardown(
        name, NULL, NULL, count_from_here, count_up_to_here);
    if (s == NULL) {
        fprintf(stderr, "cu_suite: cannot add suite \"%s\"\n", name);
        exit(2);
    }
    const char *why = skip ? skip() : NULL;
    for (const struct cu_test *t = tests; t->name != NULL; t++)
        add_test(s, name, t, why);
}

/* ---- after the run ---------------------------------------------- */

/* "suite: test: why", or once "suite: all N tests: why". */
static int list_skipped(void)
{
    int skipped = 0;
    for (int i = 0; i < cu.count; i++) {
        struct record *r = &cu.rec[i];
        if (r->skipped == NULL)
            continue;
        if (skipped++ == 0)
            printf("\nSkipped here (the \"Inactive\" tests), and why:\n");
        if (!r->suite_skipped) {
            printf("  %s: %s\n      %s\n", r->suite, r->test->pName,
                   r->skipped);
            continue;
        }
        int n = 1;
        while (i + n < cu.count && cu.rec[i + n].suite_skipped &&
               cu.rec[i + n].suite == r->suite)
            n++;
        if (n == 1)
            printf("  %s: its one test\n      %s\n", r->suite, r->skipped);
        else
            printf("  %s: all %d tests\n      %s\n", r->suite, n,
                   r->skipped);
        skipped += n - 1;
        i += n - 1;
    }
    return skipped;
}

static bool failed(CU_pTest t)
{
    for (CU_pFailureRecord f = CU_get_failure_list(); f; f = f->pNext)
        if (f->pTest == t)
            return true;
    return false;
}

/* Every test that ran passed only if it asserted; every inactive one
 * was made so here, with a reason; every active one ran.  The number
 * of problems found. */
static int check_assertions(int skipped)
{
    int wrong = 0;
    for (int i = 0; i < cu.count; i++) {
        struct record *r = &cu.rec[i];
        const char *problem = NULL;
        if (r->skipped != NULL && (r->ran || r->test->fActive))
            problem = "was to be skipped, but is active";
        else if (r->skipped == NULL && !r->test->fActive)
            problem = "was made inactive without a reason";
        else if (r->skipped == NULL && !r->ran)
            problem = "did not run";
        else if (r->ran && r->asserts == 0 && !failed(r->test))
            problem = "passed without asserting anything";
        if (problem != NULL) {
            if (wrong++ == 0)
                printf("\nTests that do not count:\n");
            printf("  %s: %s: %s\n", r->suite, r->test->pName, problem);
        }
    }
    CU_pRunSummary sum = CU_get_run_summary();
    if (sum->nTestsInactive != (unsigned)skipped ||
        sum->nTestsRun + sum->nTestsInactive != (unsigned)cu.count) {
        printf("\nThe run summary does not add up: %u ran and %u were "
               "inactive of %d tests, %d of them skipped here\n",
               sum->nTestsRun, sum->nTestsInactive, cu.count, skipped);
        wrong++;
    }
    return wrong;
}

/* With CU_VERBOSE: how many assertions each test made. */
static void list_counts(void)
{
    printf("\nAssertions made, test by test:\n");
    for (int i = 0; i < cu.count; i++)
        if (cu.rec[i].ran)
            printf("  %6u  %s: %s\n", cu.rec[i].asserts, cu.rec[i].suite,
                   cu.rec[i].test->pName);
}

int cu_main(const cu_suite_fn *suites, int argc, char **argv)
{
    cu.argc = argc;
    cu.argv = argv;
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 2;
    for (; *suites; suites++)
        (*suites)();
    CU_set_fail_on_inactive(CU_FALSE);      /* skipped is not failed */
    CU_basic_set_mode(getenv("CU_VERBOSE") ? CU_BRM_VERBOSE : CU_BRM_NORMAL);
    CU_basic_run_tests();
    unsigned failures = CU_get_number_of_failures();
    unsigned tests_failed = CU_get_number_of_tests_failed();
    int skipped = list_skipped();
    int wrong = check_assertions(skipped);
    if (getenv("CU_VERBOSE"))
        list_counts();
    if (wrong == 0)
        printf("\nEvery test that ran made at least one assertion.\n");
    CU_cleanup_registry();
    printf("\n");
    return failures || tests_failed || wrong ? 1 : 0;
}

void *cu_made(void *p)
{
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    return p;
}

/* ---- checks in a child process ---------------------------------- */

/* Read all of fd into buf[size], NUL-terminated. */
static void slurp(int fd, char *buf, size_t size)
{
    size_t len = 0;
    ssize_t n;
    while (len + 1 < size && (n = read(fd, buf + len, size - 1 - len)) > 0)
        len += (size_t)n;
    buf[len] = '\0';
    char sink[256];
    while (read(fd, sink, sizeof sink) > 0)
        ;
}

int cu_in_child(void (*fn)(void *), void *arg, char *err, size_t size)
{
    int pipefd[2];
    if (pipe(pipefd) != 0)
        return -1;
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        close(pipefd[0]);
        close(pipefd[1]);
        snprintf(err, size, "fork failed");
        return -1;
    }
    if (pid == 0) {
        close(pipefd[0]);
        dup2(pipefd[1], STDERR_FILENO);
        fn(arg);
        fflush(NULL);
        _exit(0);
    }
    close(pipefd[1]);
    slurp(pipefd[0], err, size);
    close(pipefd[0]);
    int status = -1;
    waitpid(pid, &status, 0);
    return status;
}

void cu_catch_stderr(void (*fn)(void *), void *arg, char *err, size_t size)
{
    FILE *tmp = tmpfile();
    int saved = dup(STDERR_FILENO);
    fflush(stderr);
    dup2(fileno(tmp), STDERR_FILENO);
    fn(arg);
    fflush(stderr);
    dup2(saved, STDERR_FILENO);
    close(saved);
    rewind(tmp);
    size_t n = fread(err, 1, size - 1, tmp);
    err[n] = '\0';
    fclose(tmp);
}

bool cu_killed_by(int status, int sig)
{
    return status != -1 && WIFSIGNALED(status) && WTERMSIG(status) == sig;
}

bool cu_aborted(int status)
{
    return cu_killed_by(status, SIGABRT);
}

bool cu_aborts_with(void (*fn)(void *), void *arg, const char *message)
{
    char err[1024];
    int status = cu_in_child(fn, arg, err, sizeof err);
    return cu_aborted(status) && strstr(err, message) != NULL;
}

void cu_tell(const char *what, int status, const char *err)
{
    printf("\n    %s: the child ", what);
    if (status == -1)
        printf("could not be made");
    else if (WIFEXITED(status))
        printf("exited with %d", WEXITSTATUS(status));
    else if (WIFSIGNALED(status))
        printf("was killed by signal %d (%s)", WTERMSIG(status),
               strsignal(WTERMSIG(status)));
    printf(", saying:%s\n", err[0] ? "" : " nothing");
    for (const char *line = err; *line;) {
        const char *end = strchr(line, '\n');
        int n = end ? (int)(end - line) : (int)strlen(line);
        printf("      %.*s\n", n, line);
        line += n + (end != NULL);
    }
}

bool cu_line_has(const char *line, const char *what)
{
    if (line == NULL)
        return false;
    const char *end = strchr(line, '\n');
    const char *p = strstr(line, what);
    return p != NULL && (end == NULL || p < end);
}

long cu_mappings(void)
{
    FILE *maps = fopen("/proc/self/maps", "r");
    long lines = 0;
    for (int ch; maps && (ch = fgetc(maps)) != EOF;)
        lines += ch == '\n';
    if (maps)
        fclose(maps);
    return lines;
}
