/*
 * timeit.c - the wall time of a whole process, start to exit:
 *
 *     timeit [-r REPS] [-b SECONDS] [-k SECONDS] [-W] -- command args...
 *
 * runs the command once to warm up (unless -W: something ran it just
 * before), then REPS times (default 5), but stops early rather than let
 * the runs take more than -b SECONDS in all (it expects the next run to
 * take as long as the last); a run that takes more than -k SECONDS
 * (default 300) is killed.  Its standard output is thrown away.  Prints
 *
 *     median min max max_rss_kib runs          (times in ms)
 *
 * or "failed: why" when a run does not exit with status 0.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_REPS 99

static volatile sig_atomic_t too_long;

static void on_alarm(int sig)
{
    (void)sig;
    too_long = 1;
}

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

/* Run argv once: its wall time in ms, or a negative number after saying
 * why it failed.  *rss_kib: its peak resident memory. */
static double run_once(char **argv, unsigned limit_s, long *rss_kib)
{
    double t0 = now_ms();
    pid_t pid = fork();
    if (pid == 0) {
        int null = open("/dev/null", O_WRONLY);
        dup2(null, STDOUT_FILENO);
        execvp(argv[0], argv);
        _exit(127);
    }
    if (pid < 0) {
        printf("failed: fork: %s\n", strerror(errno));
        return -1;
    }
    int status;
    struct rusage ru;
    too_long = 0;
    alarm(limit_s);
    while (wait4(pid, &status, 0, &ru) < 0) {
        if (errno == EINTR && too_long) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            printf("failed: took more than %u s\n", limit_s);
            return -1;
        }
    }
    alarm(0);
    double took = now_ms() - t0;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        printf("failed: %s exited with %s %d\n", argv[0],
               WIFEXITED(status) ? "status" : "signal",
               WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
        return -1;
    }
    *rss_kib = ru.ru_maxrss;
    return took;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    int reps = 5, warm = 1, opt;
    double budget_s = 1e9;
    unsigned limit_s = 300;
    while ((opt = getopt(argc, argv, "r:b:k:W")) != -1) {
        if (opt == 'r')
            reps = atoi(optarg);
        else if (opt == 'b')
            budget_s = atof(optarg);
        else if (opt == 'k')
            limit_s = (unsigned)atoi(optarg);
        else if (opt == 'W')
            warm = 0;
        else
            return 2;
    }
    if (optind >= argc || reps < 1 || reps > MAX_REPS) {
        fprintf(stderr, "usage: timeit [-r REPS] [-b S] [-k S] [-W] -- "
                "command args...\n");
        return 2;
    }
    struct sigaction sa = {.sa_handler = on_alarm};    /* no SA_RESTART */
    sigaction(SIGALRM, &sa, NULL);
    char **cmd = argv + optind;
    double took[MAX_REPS], spent = 0;
    long rss = 0, peak = 0;
    if (warm && run_once(cmd, limit_s, &rss) < 0)
        return 1;
    int runs = 0;
    while (runs < reps &&
           (runs == 0 || spent + took[runs - 1] <= budget_s * 1e3)) {
        if ((took[runs] = run_once(cmd, limit_s, &rss)) < 0)
            return 1;
        spent += took[runs++];
        peak = rss > peak ? rss : peak;
    }
    qsort(took, (size_t)runs, sizeof took[0], by_value);
    double mid = runs % 2 ? took[runs / 2]
                          : (took[runs / 2 - 1] + took[runs / 2]) / 2;
    printf("%.1f %.1f %.1f %ld %d\n", mid, took[0], took[runs - 1], peak,
           runs);
    return 0;
}
