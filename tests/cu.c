/*
 * cu.c - the shared test main() and the child-process checks.
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

void cu_add(const char *name, const CU_TestInfo *tests)
{
    CU_pSuite s = CU_add_suite(name, NULL, NULL);
    for (const CU_TestInfo *t = tests; s && t->pName; t++)
        CU_add_test(s, t->pName, t->pTestFunc);
}

int cu_main(const cu_suite_fn *suites)
{
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 2;
    for (; *suites; suites++)
        (*suites)();
    CU_basic_set_mode(getenv("CU_VERBOSE") ? CU_BRM_VERBOSE : CU_BRM_NORMAL);
    CU_basic_run_tests();
    unsigned failed = CU_get_number_of_failures();
    unsigned tests_failed = CU_get_number_of_tests_failed();
    CU_cleanup_registry();
    printf("\n");
    return failed || tests_failed ? 1 : 0;
}

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

int cu_aborted(int status)
{
    return WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT;
}

const char *cu_ending(int status)
{
    static char text[64];
    if (WIFEXITED(status))
        snprintf(text, sizeof text, "exit %d", WEXITSTATUS(status));
    else if (WIFSIGNALED(status))
        snprintf(text, sizeof text, "signal %d (%s)", WTERMSIG(status),
                 strsignal(WTERMSIG(status)));
    else
        snprintf(text, sizeof text, "status %#x", (unsigned)status);
    return text;
}

int cu_aborts_with(void (*fn)(void *), void *arg, const char *message)
{
    char err[1024];
    int status = cu_in_child(fn, arg, err, sizeof err);
    return cu_aborted(status) && strstr(err, message) != NULL;
}

int cu_line_has(const char *line, const char *what)
{
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

static char *volatile dug;      /* so that each block must really exist */

__attribute__((noinline)) int cu_dig(int calls)
{
    char block[1024];
    dug = block;
    memset(block, calls, sizeof block);
    if (calls > 0)
        return cu_dig(calls - 1) + block[calls % sizeof block];
    return block[0];
}
