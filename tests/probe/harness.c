/*
 * harness.c - runs every probe of a stage in a child of its own, judges
 * how each ended, counts them, and prints the counts and a verdict.
 *
 *   probe-STAGE            every probe; failures, the counts, a verdict
 *   probe-STAGE -v         and every probe as it runs
 *   probe-STAGE WORD       only the probes whose function or input
 *                          holds WORD
 *
 * From tests/run, the environment says how the program runs:
 * PROBE_TOOL=valgrind or qemu, PROBE_SLOW=N (N times slower than
 * native), PROBE_VALGRIND_LOGS=DIR (valgrind writes DIR/vg.PID for
 * each child, which is read here).  Under AddressSanitizer it wants
 * ASAN_OPTIONS=allocator_may_return_null=1, so that a request too big
 * fails as it would without the sanitizer.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "probe.h"

#define LIMIT_S  20         /* seconds a child may take, natively */
#define ERR_SIZE 4096       /* of a child's stderr, kept */

static struct {
    const char *filter;     /* only probes that mention it */
    bool        verbose;
    int         tried, failed;
    struct { const char *name; int tried, failed; } fn[64];
    int         functions;
    long        points, programs, point_failures;
    struct { const char *name; int tried; } limit[8];
    int         limits, storms;
    char        sweep[128]; /* the programs swept, by name */
    bool        defect[16]; /* issue 9's defects seen failing */
    int         unlisted;   /* failures no defect of issue 9 explains */
} the;

/* ---- what a child said -------------------------------------------------- */

struct child {
    int  status;            /* waitpid's, or -1 if it was killed late */
    bool late;              /* it ran past its time */
    char err[ERR_SIZE];     /* its stderr */
    char tool[256];         /* valgrind's complaint, if any */
};

/* The lines a child wrote, sorted by who wrote them. */
struct said {
    int  kit;               /* lines from the library */
    char first[256];        /* the first of them */
    bool sanitizer;         /* a sanitizer's report */
    char wrong[256];        /* the probe's "probe: ..." */
    char culprit[64];       /* the probe's "note: culprit ..." */
    bool deadlock;          /* the kit's lines are a deadlock report */
    bool matched;           /* each kit line starts with an alternative
                               of the probe's line, or holds it (for
                               DEADLOCKS) */
};

/* Copy as much of from as fits into to[size]. */
static void keep(char *to, size_t size, const char *from)
{
    snprintf(to, size, "%.*s", (int)size - 1, from);
}

static bool starts_with_one_of(const char *line, const char *alternatives)
{
    const char *a = alternatives;
    while (a != NULL && *a) {
        const char *bar = strchr(a, '|');
        size_t n = bar ? (size_t)(bar - a) : strlen(a);
        if (strncmp(line, a, n) == 0)
            return true;
        a = bar ? bar + 1 : NULL;
    }
    return false;
}

/* What the tools say that is no finding: AddressSanitizer's warning
 * about makecontext (see NOTES.md), qemu's note of a signal that ended
 * the program; AddressSanitizer's note of a request it refused (with
 * allocator_may_return_null=1), which the program sees as NULL. */
static bool is_noise(const char *line)
{
    return strstr(line, "ASan doesn't fully support makecontext") != NULL ||
           strstr(line, "WARNING: AddressSanitizer failed to allocate") ||
           strncmp(line, "qemu: uncaught target signal", 28) == 0;
}

/* A sanitizer's own output: "==123==ERROR: ...", "file.c:7: runtime
 * error: ...", and the like. */

static bool is_sanitizer(const char *line)
{
    return (line[0] == '=' && line[1] == '=') ||
           strstr(line, "runtime error:") != NULL ||
           strstr(line, "Sanitizer") != NULL;
}

static void sort_lines(const char *err, const struct probe *p,
                       struct said *s)
{
    memset(s, 0, sizeof *s);
    s->matched = true;
    bool reported = p->line == NULL, in_report = false;
    for (const char *line = err; *line; ) {
        const char *end = strchr(line, '\n');
        size_t n = end ? (size_t)(end - line) : strlen(line);
        char text[512];
        snprintf(text, sizeof text, "%.*s", (int)n, line);
        if (is_noise(text)) {
            /* nothing */
        } else if (is_sanitizer(text)) {
            s->sanitizer = true;
        } else if (strncmp(text, "probe: ", 7) == 0) {
            if (!s->wrong[0])
                keep(s->wrong, sizeof s->wrong, text + 7);
        } else if (strncmp(text, "note: culprit ", 14) == 0) {
            keep(s->culprit, sizeof s->culprit, text + 14);
        } else if (strncmp(text, "note: ", 6) == 0) {
            /* what a probe says for the reader of -v */
        } else if (in_report && strncmp(text, "  coro ", 7) == 0) {
            reported = reported || strstr(text, p->line) != NULL;
        } else if (text[0] != '\0') {
            in_report = strncmp(text, "coro_run: deadlock: ", 20) == 0;
            if (s->kit++ == 0) {
                keep(s->first, sizeof s->first, text);
                s->deadlock = in_report;
            }
            if (p->expect != DEADLOCKS &&
                !starts_with_one_of(text, p->line))
                s->matched = false;
        }
        line = end ? end + 1 : line + n;
    }
    if (p->expect == DEADLOCKS)
        s->matched = s->deadlock && reported;
}

/* ---- running a child ---------------------------------------------------- */

int probe_slowness(void)
{
    const char *slow = getenv("PROBE_SLOW");
    return slow != NULL && atoi(slow) > 1 ? atoi(slow) : 1;
}

long probe_scaled(long n)
{
    long scaled = n / probe_slowness();
    return scaled < 10 ? 10 : scaled;
}

bool probe_under_asan(void)
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

bool probe_under_tool(void)
{
    return probe_under_asan() || getenv("PROBE_TOOL") != NULL;
}

static long sweep_fail_at = -1;     /* the child runs a sweep's program */

/* In the child: run the probe, with stderr going to the harness. */
_Noreturn static void be_the_child(const struct probe *p, int err_fd)
{
    setpgid(0, 0);              /* so that a hang takes all of it down */
    dup2(err_fd, STDERR_FILENO);
    close(err_fd);
    if (freopen("/dev/null", "w", stdout) == NULL)
        _exit(99);
    if (sweep_fail_at >= 0)
        wrap_start(sweep_fail_at);
    p->run(p->arg);
    exit(0);                    /* exit(), so that leak checks run */
}

/* Read the child's stderr until it closes it, or until its time is up:
 * true if it was in time. */
static bool read_err(int fd, char *err, double deadline)
{
    size_t len = 0;
    for (;;) {
        double left = deadline - probe_now_ms();
        if (left <= 0)
            return false;
        struct pollfd pfd = {.fd = fd, .events = POLLIN};
        int ready = poll(&pfd, 1, (int)left + 1);
        if (ready < 0 && errno == EINTR)
            continue;
        if (ready <= 0)
            continue;
        char buf[1024];
        ssize_t n = read(fd, buf, sizeof buf);
        if (n <= 0)
            return true;
        size_t keep = (size_t)n < ERR_SIZE - 1 - len ? (size_t)n
                                                      : ERR_SIZE - 1 - len;
        memcpy(err + len, buf, keep);
        len += keep;
        err[len] = '\0';
    }
}

/* valgrind's log of child pid: its complaint, if it has one. */
static void read_valgrind_log(pid_t pid, char *tool, size_t size)
{
    const char *dir = getenv("PROBE_VALGRIND_LOGS");
    if (dir == NULL)
        return;
    char path[512], line[512];
    snprintf(path, sizeof path, "%s/vg.%d", dir, (int)pid);
    FILE *log = fopen(path, "r");
    if (log == NULL)
        return;
    while (fgets(line, sizeof line, log) != NULL) {
        const char *summary = strstr(line, "ERROR SUMMARY: ");
        if ((summary && atoi(summary + 15) > 0) ||
            strstr(line, "client switching stacks") != NULL) {
            keep(tool, size, summary ? summary : "client switching "
                                                 "stacks?");
            tool[strcspn(tool, "\n")] = '\0';
            break;
        }
    }
    fclose(log);
    if (!tool[0])
        unlink(path);       /* a clean log: nothing to keep */
}

static void run_child(const struct probe *p, struct child *c)
{
    memset(c, 0, sizeof *c);
    int fds[2];
    if (pipe(fds) != 0) {
        perror("probe: pipe");
        exit(2);
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        perror("probe: fork");
        exit(2);
    }
    if (pid == 0) {
        close(fds[0]);
        be_the_child(p, fds[1]);
    }
    close(fds[1]);
    double deadline = probe_now_ms() + 1000.0 * LIMIT_S * probe_slowness();
    c->late = !read_err(fds[0], c->err, deadline);
    if (c->late)
        kill(-pid, SIGKILL);
    close(fds[0]);
    while (waitpid(pid, &c->status, 0) < 0 && errno == EINTR)
        ;
    if (c->late)
        kill(-pid, SIGKILL);    /* anything it left behind */
    read_valgrind_log(pid, c->tool, sizeof c->tool);
}

/* ---- judging ------------------------------------------------------------ */

static const char *ending(int status)
{
    static char text[64];
    if (WIFEXITED(status))
        snprintf(text, sizeof text, "exit %d", WEXITSTATUS(status));
    else if (WIFSIGNALED(status))
        snprintf(text, sizeof text, "%s", sigabbrev_np(WTERMSIG(status)) ?
                 sigabbrev_np(WTERMSIG(status)) : "a signal");
    else
        snprintf(text, sizeof text, "status %#x", (unsigned)status);
    return text;
}

static bool exited(int status, int code)
{
    return WIFEXITED(status) && WEXITSTATUS(status) == code;
}

static bool killed_by(int status, int sig)
{
    return WIFSIGNALED(status) && WTERMSIG(status) == sig;
}

/* Does one of the kit's lines in err name the culprit? */
static bool names(const char *err, const char *culprit)
{
    size_t n = strlen(culprit);
    for (const char *p = err; n > 0 && (p = strstr(p, culprit)); p += n)
        if (p[n] < '0' || p[n] > '9')
            return true;
    return false;
}

/* Did the child keep the promise?  If not, why not, in why. */
static bool judge(const struct probe *p, const struct child *c,
                  char *why, size_t size)
{
    struct said s;
    sort_lines(c->err, p, &s);
    int st = c->status;
    if (c->late)
        snprintf(why, size, "it hung (killed after %d s)",
                 LIMIT_S * probe_slowness());
    else if (s.wrong[0])       /* (a probe that stops early may leak) */
        snprintf(why, size, "wrong result: %s", s.wrong);
    else if (s.sanitizer)
        snprintf(why, size, "a sanitizer reported");
    else if (c->tool[0])
        snprintf(why, size, "valgrind: %.200s (in its log of the child)",
                 c->tool);
    else if (killed_by(st, SIGSEGV) || killed_by(st, SIGBUS)) {
        if (p->expect == OVERFLOWS && s.kit > 0 && names(c->err, s.culprit))
            return true;
        snprintf(why, size, "it crashed (%s)%s", ending(st),
                 s.kit ? "" : ", saying nothing");
    } else {
        bool one = s.kit == 1 && s.matched;
        bool ok = false;
        switch (p->expect) {
        case WORKS: ok = exited(st, 0) && s.kit == 0; break;
        case SAYS: ok = exited(st, 0) && one; break;
        case ABORTS: ok = killed_by(st, SIGABRT) && one; break;
        case EITHER:
            ok = (exited(st, 0) && s.kit == 0) ||
                 ((exited(st, PROBE_REFUSED) || killed_by(st, SIGABRT)) &&
                  s.kit > 0 && s.matched);
            break;
        case REFUSES:
            ok = (exited(st, 0) || exited(st, PROBE_REFUSED) ||
                  killed_by(st, SIGABRT)) && s.kit > 0 && s.matched;
            break;
        case OVERFLOWS:
            ok = WIFSIGNALED(st) && s.kit > 0 && names(c->err, s.culprit);
            break;
        case DEADLOCKS: ok = exited(st, 0) && s.matched; break;
        }
        if (ok)
            return true;
        snprintf(why, size, "it ended with %s, %s%s%s", ending(st),
                 s.kit ? "saying \"" : "saying nothing",
                 s.kit ? s.first : "", s.kit > 1 ? "\" and more" :
                 s.kit ? "\"" : "");
    }
    return false;
}

static const char *wanted(const struct probe *p)
{
    static char text[256];
    const char *line = p->line ? p->line : "";
    switch (p->expect) {
    case WORKS: return "it works, silently";
    case SAYS: snprintf(text, sizeof text, "one line \"%s...\", and it "
                        "returns", line); break;
    case ABORTS: snprintf(text, sizeof text, "one line \"%s...\", then "
                          "abort", line); break;
    case EITHER: snprintf(text, sizeof text, "it works, or refuses with "
                          "a line (%s...)", line); break;
    case REFUSES: snprintf(text, sizeof text, "it refuses, with a line "
                           "(%s...)", line); break;
    case OVERFLOWS: return "stopped, with a line naming the culprit";
    case DEADLOCKS: snprintf(text, sizeof text, "a deadlock report%s%s",
                             p->line ? " naming " : "", line); break;
    }
    return text;
}

/* ---- counting ----------------------------------------------------------- */

static void count(const char *function, bool ok)
{
    int i = 0;
    while (i < the.functions && strcmp(the.fn[i].name, function) != 0)
        i++;
    if (i == the.functions && the.functions < 64)
        the.fn[the.functions++].name = function;
    if (i < 64) {
        the.fn[i].tried++;
        the.fn[i].failed += !ok;
    }
    the.tried++;
    the.failed += !ok;
}

static bool wanted_here(const struct probe *p)
{
    return the.filter == NULL || strstr(p->function, the.filter) ||
           strstr(p->input, the.filter);
}

static void tell_failure(const struct probe *p, const char *why,
                         const struct child *c)
{
    if (p->defect > 0 && p->defect < 16)
        the.defect[p->defect] = true;
    else
        the.unlisted++;
    printf("  FAILED %s, %s", p->function, p->input);
    if (p->defect)
        printf(" (issue 9, defect %d)", p->defect);
    printf(":\n         wanted: %s\n         but %s\n", wanted(p), why);
    if (the.verbose && c->err[0])
        printf("         stderr:\n%s\n", c->err);
}

bool probe(const struct probe *p)
{
    if (!wanted_here(p))
        return false;
    struct child c;
    char why[512];
    double start = probe_now_ms();
    run_child(p, &c);
    bool ok = judge(p, &c, why, sizeof why);
    count(p->function, ok);
    if (!ok)
        tell_failure(p, why, &c);
    else if (the.verbose)
        printf("  ok     %s, %s (%.0f ms)\n", p->function, p->input,
               probe_now_ms() - start);
    return true;
}

void probe_all(const struct probe *table)
{
    for (const struct probe *p = table; p->function != NULL; p++)
        probe(p);
}

void probe_count_limit(const char *what)
{
    int i = 0;
    while (i < the.limits && strcmp(the.limit[i].name, what) != 0)
        i++;
    if (i == the.limits && the.limits < 8)
        the.limit[the.limits++].name = what;
    if (i < 8)
        the.limit[i].tried++;
}

void probe_count_storm(void)
{
    the.storms++;
}

/* The sweep: first a run that counts, then one per allocation. */
void probe_sweep(const char *name, void (*program)(long arg))
{
    struct probe p = {"allocation", name, program, WORKS, NULL, 0, 0};
    if (!wanted_here(&p))
        return;
    struct child c;
    char why[512], input[128];
    sweep_fail_at = 0;
    run_child(&p, &c);
    bool ok = judge(&p, &c, why, sizeof why);
    long total = wrap_count();
    count("allocation", ok);
    if (!ok)
        tell_failure(&p, why, &c);
    p.expect = EITHER;
    p.line = "coro_|chan_|gen_|tree_|leaves_|same_fringe"
#ifdef PROBE_COPY       /* no memory to keep a stopped one's frames */
             "|SWITCH=copy: "
#endif
             ;
    for (long n = 1; ok && n <= total; n++) {
        sweep_fail_at = n;
        snprintf(input, sizeof input, "%s, allocation %ld of %ld fails",
                 name, n, total);
        p.input = input;
        run_child(&p, &c);
        bool kept = judge(&p, &c, why, sizeof why);
        the.point_failures += !kept;
        the.tried++;
        the.failed += !kept;
        if (!kept)
            tell_failure(&p, why, &c);
        else if (the.verbose)
            printf("  ok     allocation, %s\n", input);
    }
    sweep_fail_at = -1;
    the.points += total;
    the.programs++;
    size_t len = strlen(the.sweep);
    snprintf(the.sweep + len, sizeof the.sweep - len, "%s%s %ld",
             len ? ", " : "", name, total);
}

/* ---- the report --------------------------------------------------------- */

static void report(void)
{
    printf("  inputs tried, by function:\n");
    char cells[64][48];
    int shown = 0;
    for (int i = 0; i < the.functions; i++) {
        if (strcmp(the.fn[i].name, "allocation") == 0)
            continue;
        int n = snprintf(cells[shown], sizeof cells[0], "%-15s %3d",
                         the.fn[i].name, the.fn[i].tried);
        if (the.fn[i].failed)
            snprintf(cells[shown] + n, sizeof cells[0] - (size_t)n,
                     " (%d FAILED)", the.fn[i].failed);
        shown++;
    }
    for (int i = 0; i < shown; i++) {       /* three to a line */
        bool end = i % 3 == 2 || i + 1 == shown;
        int pad = 25 - (int)strlen(cells[i]);
        printf("%s%s%*s", i % 3 ? "" : "    ", cells[i],
               end ? 0 : pad < 2 ? 2 : pad, end ? "\n" : "");
    }
    printf("  allocation points swept: %ld (%s)%s\n", the.points,
           the.programs ? the.sweep : "none",
           the.point_failures ? " FAILED" : "");
    printf("  resource limits tried:");
    for (int i = 0; i < the.limits; i++)
        printf("%s %s x%d", i ? "," : "", the.limit[i].name,
               the.limit[i].tried);
    printf("%s\n  signal storms: %d\n", the.limits ? "" : " none",
           the.storms);
}

/* Under valgrind, main's stack grows by mappings of valgrind's making,
 * which in a forked child stay apart from the ones before: glibc then
 * takes the child's stack to end at its last growth, and stage 1 and
 * copy mode, which carve from main's stack, find no room for a second
 * coro_run().  Grown here first, in the harness, the room is one
 * mapping that every child inherits. */
#define GROWN_AHEAD (4 << 20)

__attribute__((noinline)) static void grow_the_stack(void)
{
    volatile char *room = __builtin_alloca(GROWN_AHEAD);
    for (size_t i = GROWN_AHEAD; i > 0; i -= 1024)    /* top down */
        room[i - 1] = 0;
}

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-v") == 0)
            the.verbose = true;
        else
            the.filter = argv[i];
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (getenv("PROBE_TOOL") && strcmp(getenv("PROBE_TOOL"), "valgrind") == 0)
        grow_the_stack();
    wrap_init();
    unsetenv("CORO_TRACE");     /* no drawings unless a probe asks */
    printf("== probe suite, %s: every public function under hostile "
           "use\n", PROBE_NAME);
    probe_all(common_probes);
#if PROBE_STAGE <= 3
    probe_all(coro_probes);
#else
    probe_all(sched_probes);
#endif
#ifdef HAVE_GEN
    probe_all(gen_probes);
    probe_all(fringe_probes);
#endif
#if PROBE_STAGE == 5
    probe_all(chan_probes);
#endif
    limit_probes();
    sweep_probes();
    report();
    if (the.failed) {
        printf("probe %s: %d probes, %d FAILED (", PROBE_NAME, the.tried,
               the.failed);
        const char *sep = "issue 9's defects ";
        for (int d = 0; d < 16; d++) {
            if (the.defect[d]) {
                printf("%s%d", sep, d);
                sep = ", ";
            }
        }
        if (the.unlisted)
            printf("%s%d not in issue 9", sep[0] == 'i' ? "" : "; ",
                   the.unlisted);
        printf(")\n");
    } else
        printf("probe %s: %d probes, every promise kept\n", PROBE_NAME,
               the.tried);
    return the.failed ? 1 : 0;
}

/* ---- for the probes ----------------------------------------------------- */

void must(bool cond, const char *fmt, ...)
{
    if (cond)
        return;
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "probe: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
    exit(PROBE_WRONG);
}

_Noreturn void refused(void)
{
    exit(PROBE_REFUSED);
}

void *probe_made(void *made, const char *what)
{
#ifdef PROBE_COPY
    must(made == NULL, "%s made one with SWITCH=copy", what);
    refused();
#else
    must(made != NULL, "%s refused", what);
    return made;
#endif
}

void probe_culprit(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "note: culprit ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
}

double probe_now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000.0 + t.tv_nsec / 1e6;
}
