/*
 * descriptors.c - stage 4's scheduler, carried on into stage 5, with
 * every switch: coroutines that wait for a file descriptor
 * (coro_wait_fd): pipes, a hangup, sockets, many waiters on one
 * descriptor, and the limits.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "coro_impl.h"
#include "cu.h"
#include "journal.h"
#include "kit.h"

/* ---- file descriptors ------------------------------------------- */

static int pipe_fds[2];
static int revents_seen;
static char read_back[32];

static void pipe_reader(void *arg)
{
    (void)arg;
    note("reader waits ");
    revents_seen = coro_wait_fd(pipe_fds[0], POLLIN);
    ssize_t n = read(pipe_fds[0], read_back, sizeof read_back - 1);
    read_back[n > 0 ? n : 0] = '\0';
    note("reader got it ");
}

static void pipe_writer(void *arg)
{
    (void)arg;
    coro_sleep_ms(20);
    note("writer writes ");
    CU_ASSERT(coro_wait_fd(pipe_fds[1], POLLOUT) & POLLOUT);
    CU_ASSERT_EQUAL(write(pipe_fds[1], "hello", 5), 5);
}

static void a_pipe_wakes_its_reader(void)
{
    journal_clear();
    CU_ASSERT_FATAL(pipe(pipe_fds) == 0);
    coro_spawn(pipe_reader, NULL);
    coro_spawn(pipe_writer, NULL);
    CU_ASSERT_EQUAL(coro_run(), 0);
    CU_ASSERT_STRING_EQUAL(journal, "reader waits writer writes "
                                    "reader got it ");
    CU_ASSERT(revents_seen & POLLIN);
    CU_ASSERT_STRING_EQUAL(read_back, "hello");
    close(pipe_fds[0]);
    close(pipe_fds[1]);
}

static void wait_for_hangup(void *arg)
{
    (void)arg;
    revents_seen = coro_wait_fd(pipe_fds[0], POLLIN);
}

static void close_writer(void *arg)
{
    (void)arg;
    coro_sleep_ms(5);
    close(pipe_fds[1]);
}

static void a_closed_pipe_reports_hangup(void)
{
    CU_ASSERT_FATAL(pipe(pipe_fds) == 0);
    revents_seen = 0;
    coro_spawn(wait_for_hangup, NULL);
    coro_spawn(close_writer, NULL);
    coro_run();
    CU_ASSERT(revents_seen & POLLHUP);
    close(pipe_fds[0]);
}

static int listener, port_number;
static char server_saw[64], client_saw[64];

static void loop_server(void *arg)
{
    (void)arg;
    CU_ASSERT(coro_wait_fd(listener, POLLIN) & POLLIN);
    int fd = accept4(listener, NULL, NULL, SOCK_NONBLOCK);
    CU_ASSERT_FATAL(fd >= 0);
    coro_wait_fd(fd, POLLIN);
    ssize_t n = read(fd, server_saw, sizeof server_saw - 1);
    server_saw[n > 0 ? n : 0] = '\0';
    CU_ASSERT_EQUAL(write(fd, "pong", 4), 4);
    close(fd);
}

static void loop_client(void *arg)
{
    (void)arg;
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    struct sockaddr_in at = {.sin_family = AF_INET,
                             .sin_port = htons((uint16_t)port_number),
                             .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    int r = connect(fd, (struct sockaddr *)&at, sizeof at);
    CU_ASSERT(r == 0 || errno == EINPROGRESS);
    CU_ASSERT(coro_wait_fd(fd, POLLOUT) & POLLOUT);
    CU_ASSERT_EQUAL(write(fd, "ping", 4), 4);
    coro_wait_fd(fd, POLLIN);
    ssize_t n = read(fd, client_saw, sizeof client_saw - 1);
    client_saw[n > 0 ? n : 0] = '\0';
    close(fd);
}

static void loopback_sockets_talk(void)
{
    struct sockaddr_in at = {.sin_family = AF_INET,
                             .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t size = sizeof at;
    listener = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    CU_ASSERT_FATAL(listener >= 0);
    CU_ASSERT_FATAL(bind(listener, (struct sockaddr *)&at, size) == 0);
    CU_ASSERT_FATAL(listen(listener, 4) == 0);
    getsockname(listener, (struct sockaddr *)&at, &size);
    port_number = ntohs(at.sin_port);
    coro_spawn(loop_server, NULL);
    coro_spawn(loop_client, NULL);
    CU_ASSERT_EQUAL(coro_run(), 0);
    CU_ASSERT_STRING_EQUAL(server_saw, "ping");
    CU_ASSERT_STRING_EQUAL(client_saw, "pong");
    close(listener);
}

/* Issue 9, defect 9: at 006d2c6 every waiter had an entry of its own
 * in the array given to poll(2), which refuses more entries than the
 * limit on open files: 100 coroutines waiting on one pipe with room for
 * 32 files stopped coro_run with "poll failed; giving up".  One entry
 * per descriptor now.  (Only the soft limit is lowered: valgrind keeps
 * the hard one for itself.) */
static bool fewer_files(rlim_t files)
{
    struct rlimit r;
    if (getrlimit(RLIMIT_NOFILE, &r) != 0)
        return false;
    r.rlim_cur = files;
    return setrlimit(RLIMIT_NOFILE, &r) == 0;
}

#define WAITERS 100

static int woke_with_input;

static void wait_for_input(void *arg)
{
    (void)arg;
    woke_with_input += (coro_wait_fd(pipe_fds[0], POLLIN) & POLLIN) != 0;
}

static void write_a_byte(void *arg)
{
    (void)arg;
    coro_sleep_ms(20);
    if (write(pipe_fds[1], "x", 1) != 1)
        _exit(3);
}

static void more_waiters_than_files(void *arg)
{
    (void)arg;
    if (pipe(pipe_fds) != 0 || !fewer_files(32))
        _exit(4);
    for (int i = 0; i < WAITERS; i++)
        coro_spawn(wait_for_input, NULL);
    coro_spawn(write_a_byte, NULL);
    int result = coro_run();
    _exit(result == 0 && woke_with_input == WAITERS ? 0 : 1);
}

static void more_waiters_on_one_fd_than_rlimit_nofile(void)
{
    char err[512];
    int status = cu_in_child(more_waiters_than_files, NULL, err,
                             sizeof err);
    bool ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    CU_ASSERT(ok);
    if (!ok)
        cu_tell("100 waiters on one pipe, RLIMIT_NOFILE 32", status, err);
}

static int pair_fds[2], in_seen, out_seen;

static void wants_input(void *arg)
{
    (void)arg;
    in_seen = coro_wait_fd(pair_fds[0], POLLIN);
}

static void wants_room(void *arg)
{
    (void)arg;
    out_seen = coro_wait_fd(pair_fds[0], POLLOUT);
    CU_ASSERT_EQUAL(write(pair_fds[1], "x", 1), 1);
}

/* Two coroutines on one descriptor share its entry: each must still
 * hear only of what it asked for. */
static void each_waiter_hears_its_own_events(void)
{
    CU_ASSERT_FATAL(socketpair(AF_UNIX, SOCK_STREAM, 0, pair_fds) == 0);
    in_seen = out_seen = 0;
    coro_spawn(wants_input, NULL);
    coro_spawn(wants_room, NULL);
    CU_ASSERT_EQUAL(coro_run(), 0);
    CU_ASSERT_EQUAL(in_seen, POLLIN);
    CU_ASSERT_EQUAL(out_seen, POLLOUT);
    close(pair_fds[0]);
    close(pair_fds[1]);
}

#define STRANGERS 40

static int invalid_seen;

static void wait_on_a_stranger(void *arg)
{
    int fd = 4000 + (int)(intptr_t)arg;      /* not open */
    invalid_seen += (coro_wait_fd(fd, POLLIN) & POLLNVAL) != 0;
}

static void more_descriptors_than_files(void *arg)
{
    (void)arg;
    if (!fewer_files(16))
        _exit(4);
    for (int i = 0; i < STRANGERS; i++)
        coro_spawn(wait_on_a_stranger, (void *)(intptr_t)i);
    int result = coro_run();
    _exit(result == 0 && invalid_seen == STRANGERS ? 0 : 1);
}

/* 40 different descriptors with room for 16 open files: poll(2) refuses
 * them, and coro_run says so, naming the limit (at 006d2c6: "poll
 * failed; giving up").  Under valgrind, which keeps the real limit to
 * itself, poll() takes them all, and each waiter hears POLLNVAL. */
static void too_many_descriptors_is_said_plainly(void)
{
    char err[512];
    int status = cu_in_child(more_descriptors_than_files, NULL, err,
                             sizeof err);
    bool ok = (WIFEXITED(status) && WEXITSTATUS(status) == 0 &&
               kit_under_valgrind()) ||
              (cu_aborted(status) &&
               cu_line_has(strstr(err, "coro_run: "), "poll(2) refuses") &&
               cu_line_has(strstr(err, "coro_run: "), "RLIMIT_NOFILE"));
    CU_ASSERT(ok);
    if (!ok)
        cu_tell("40 descriptors, RLIMIT_NOFILE 16", status, err);
}

static const struct cu_test fd_tests[] = {
    {"a pipe wakes its reader", a_pipe_wakes_its_reader, NULL},
    {"a closed pipe reports hangup", a_closed_pipe_reports_hangup, NULL},
    {"loopback sockets talk", loopback_sockets_talk, NULL},
    {"more waiters on one fd than RLIMIT_NOFILE",
     more_waiters_on_one_fd_than_rlimit_nofile, NULL},
    {"each waiter hears its own events", each_waiter_hears_its_own_events,
     NULL},
    {"too many descriptors is said plainly",
     too_many_descriptors_is_said_plainly, NULL},
    CU_TESTS_END,
};

void descriptors_suites(void)
{
    cu_suite("the scheduler: file descriptors", fd_tests, NULL);
}
