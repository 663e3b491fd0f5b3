/*
 * kit_sieve.c - the concurrent prime sieve through coro.h and chan.h
 * alone, written as Go's classic one (go/sieve.go is the same program):
 *
 *     kit_sieve N             print the Nth prime, and exit
 *
 * A generator sends 2, 3, 4, ... down an unbuffered channel; each
 * number that comes out of the chain is prime, and gets a filter of its
 * own at the end of the chain.  After the Nth prime the program exits
 * at once, the filters still waiting, as a Go program ends when main
 * returns.  bench/run times the whole process.
 */
#include <stdio.h>
#include <stdlib.h>

#include "chan.h"
#include "coro.h"
#include "harness.h"

struct filter {
    chan *in, *out;
    long  prime;
};

static void generate(void *arg)
{
    chan *out = arg;
    for (long n = 2;; n++)
        chan_send(out, &n);
}

static void filter(void *arg)
{
    struct filter *f = arg;
    long n;
    for (;;) {
        chan_recv(f->in, &n);
        if (n % f->prime != 0)
            chan_send(f->out, &n);
    }
}

static void sieve(void *arg)
{
    long want = *(long *)arg, prime = 0;
    chan *in = chan_or_skip(sizeof(long), 0);
    coro_spawn(generate, in);
    for (long i = 0; i < want; i++) {
        chan_recv(in, &prime);
        struct filter *f = malloc(sizeof *f);
        if (f == NULL)
            abort();
        *f = (struct filter){in, chan_new(sizeof(long), 0), prime};
        coro_spawn(filter, f);
        in = f->out;
    }
    printf("%ld\n", prime);
    fflush(stdout);
    exit(0);
}

int main(int argc, char **argv)
{
    long want = argc == 2 ? atol(argv[1]) : 0;
    if (want <= 0) {
        fprintf(stderr, "usage: kit_sieve N (the Nth prime)\n");
        return 2;
    }
    coro_spawn(sieve, &want);
    coro_run();
    return 1;                   /* the sieve exits; never here */
}
