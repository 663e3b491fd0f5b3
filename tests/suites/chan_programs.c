/*
 * chan_programs.c - whole programs over stage 5's channels: the prime
 * sieve, and a randomized run checked against a model.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chan.h"
#include "coro.h"
#include "cu.h"
#include "drawing.h"
#include "journal.h"
#include "kit.h"
#include "trace.h"

/* ---- the prime sieve -------------------------------------------- */

#define PRIMES 1000

static int sieve_limit;             /* the 1000th prime, by the book */
static int found[PRIMES], primes;

/* Eratosthenes, plainly: the answer to check the coroutines against. */
static int plain_sieve(int *out, int count)
{
    static char composite[10000];
    int n = 0;
    for (int i = 2; i < 10000 && n < count; i++) {
        if (composite[i])
            continue;
        out[n++] = i;
        for (int j = i * i; j < 10000; j += i)
            composite[j] = 1;
    }
    return n;
}

struct stage {
    chan *in, *out;
    int   prime;
};

static void numbers(void *arg)
{
    chan *out = arg;
    for (int n = 2; n <= sieve_limit; n++)
        chan_send(out, &n);
    chan_close(out);
}

static void sift(void *arg)
{
    struct stage *s = arg;
    int n;
    while (chan_recv(s->in, &n))
        if (n % s->prime != 0)
            chan_send(s->out, &n);
    chan_free(s->in);
    chan_close(s->out);
    free(s);
}

static void sieve_head(void *arg)
{
    chan *in = chan_new(sizeof(int), 0);
    int p;
    (void)arg;
    coro_spawn(numbers, in);
    while (chan_recv(in, &p)) {
        found[primes++] = p;
        struct stage *s = malloc(sizeof *s);
        *s = (struct stage){in, chan_new(sizeof(int), 0), p};
        coro_spawn(sift, s);
        in = s->out;
    }
    chan_free(in);
}

static void the_sieve_finds_the_first_thousand_primes(void)
{
    int expect[PRIMES];
    CU_ASSERT_FATAL(plain_sieve(expect, PRIMES) == PRIMES);
    sieve_limit = expect[PRIMES - 1];   /* 7919 */
    primes = 0;
    coro_spawn(sieve_head, NULL);
    CU_ASSERT_EQUAL(coro_run(), 0);
    CU_ASSERT_EQUAL_FATAL(primes, PRIMES);
    CU_ASSERT_EQUAL(memcmp(found, expect, sizeof expect), 0);
}

/* ---- a randomized run, checked against a model ------------------ */

#define CHANNELS 4
#define SENDERS  6
#define RECEIVERS 5
#define VALUES   60             /* each sender sends this many */

static chan *rch[CHANNELS];
static int sender_ids[SENDERS];
static unsigned char sent_on[SENDERS][VALUES];     /* which channel */
struct receipt {
    unsigned char receiver, channel;    /* who got it, from where */
    int           value;                /* sender << 16 | its number */
};
static struct receipt got[SENDERS * VALUES + 1];    /* as received */
static int received;
static uint32_t seed;

static unsigned roll(unsigned n)
{
    seed ^= seed << 13;
    seed ^= seed >> 17;
    seed ^= seed << 5;
    return seed % n;
}

/* Send each value down a random channel, one way or another. */
static void random_sender(void *arg)
{
    int s = (int)(intptr_t)arg;
    for (int seq = 0; seq < VALUES; seq++) {
        int value = s << 16 | seq, a = (int)roll(CHANNELS);
        int b = (a + 1 + (int)roll(CHANNELS - 1)) % CHANNELS;
        if (roll(4) == 0)
            coro_yield();
        if (roll(2) == 0) {
            sent_on[s][seq] = (unsigned char)a;
            chan_send(rch[a], &value);
        } else {
            chan_case cases[] = {{rch[a], CHAN_SEND, &value, false},
                                 {rch[b], CHAN_SEND, &value, false}};
            int k = chan_select(cases, 2, true);
            sent_on[s][seq] = (unsigned char)(k == 0 ? a : b);
        }
    }
}

static void record(int receiver, int channel, int value)
{
    if (received <= SENDERS * VALUES)
        got[received] = (struct receipt){(unsigned char)receiver,
                                         (unsigned char)channel, value};
    received++;
}

/* Receive from whatever is open, blocking or not, until all close. */
static void random_receiver(void *arg)
{
    bool open[CHANNELS] = {true, true, true, true};
    int left = CHANNELS, value = 0, me = (int)(intptr_t)arg;
    while (left > 0) {
        chan_case cases[CHANNELS];
        int which[CHANNELS], n = 0, start = (int)roll(CHANNELS);
        for (int i = 0; i < CHANNELS; i++) {
            int c = (start + i) % CHANNELS;
            if (open[c] && (n == 0 || roll(3) != 0)) {
                cases[n] = (chan_case){rch[c], CHAN_RECV, &value, false};
                which[n++] = c;
            }
        }
        bool block = roll(3) != 0;
        int k = chan_select(cases, n, block);
        if (k < 0) {
            coro_yield();
        } else if (cases[k].ok) {
            record(me, which[k], value);
        } else {
            open[which[k]] = false;
            left--;
        }
    }
}

static void close_when_all_sent(void *arg)
{
    (void)arg;
    for (int s = 0; s < SENDERS; s++)
        coro_join(sender_ids[s]);
    for (int c = 0; c < CHANNELS; c++)
        chan_close(rch[c]);
}

/* Check what was received against what was sent: each value exactly
 * once, on the channel it was sent on, and each receiver seeing each
 * sender's values on a channel in the order they were sent. */
static void check_the_model(void)
{
    static unsigned char times[SENDERS][VALUES];
    static int last[RECEIVERS][CHANNELS][SENDERS];
    int wrong = 0, misrouted = 0, out_of_order = 0;
    memset(times, 0, sizeof times);
    memset(last, -1, sizeof last);
    for (int i = 0; i < received; i++) {
        int s = got[i].value >> 16, seq = got[i].value & 0xffff;
        times[s][seq]++;
        misrouted += sent_on[s][seq] != got[i].channel;
        out_of_order += seq <= last[got[i].receiver][got[i].channel][s];
        last[got[i].receiver][got[i].channel][s] = seq;
    }
    for (int s = 0; s < SENDERS; s++)
        for (int seq = 0; seq < VALUES; seq++)
            wrong += times[s][seq] != 1;
    CU_ASSERT_EQUAL(wrong, 0);          /* none lost, none twice */
    CU_ASSERT_EQUAL(misrouted, 0);      /* each on its own channel */
    CU_ASSERT_EQUAL(out_of_order, 0);   /* each sender's order kept */
}

static void random_traffic_loses_nothing(void)
{
    seed = 20261126;
    received = 0;
    for (int c = 0; c < CHANNELS; c++)
        rch[c] = chan_new(sizeof(int), (size_t)c);  /* 0 .. 3 slots */
    for (int s = 0; s < SENDERS; s++)
        sender_ids[s] = coro_spawn(random_sender, (void *)(intptr_t)s);
    for (int r = 0; r < RECEIVERS; r++)
        coro_spawn(random_receiver, (void *)(intptr_t)r);
    coro_spawn(close_when_all_sent, NULL);
    CU_ASSERT_EQUAL(coro_run(), 0);
    CU_ASSERT_EQUAL(received, SENDERS * VALUES);
    check_the_model();
    for (int c = 0; c < CHANNELS; c++)
        chan_free(rch[c]);
}

static const struct cu_test program_tests[] = {
    {"the sieve finds the first thousand primes",
     the_sieve_finds_the_first_thousand_primes, NULL},
    {"random traffic loses nothing", random_traffic_loses_nothing, NULL},
    CU_TESTS_END,
};

void chan_programs_suites(void)
{
    cu_suite("channels: programs", program_tests, needs_channels);
}
