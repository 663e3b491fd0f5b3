/*
 * sieve.c - the concurrent prime sieve, as in the talk.
 *
 * A generator sends 2, 3, 4, ... down a channel.  The first number out
 * of the chain is prime; it gets a filter coroutine of its own, which
 * passes on only what it cannot divide, and the chain grows:
 *
 *   generate -2,3,4..-> filter 2 -3,5,7..-> filter 3 -5,7,11..-> ...
 *
 * Every channel is unbuffered, so each number is handed from coroutine
 * to coroutine.  At the end the sieve prints the talk's 10x10 grid of
 * 1..100: each prime marked, each other number with the filter that
 * dropped it.
 */
#include <stdio.h>
#include <stdlib.h>

#include "chan.h"
#include "coro.h"
#include "show.h"
#include "trace/trace.h"

#define LIMIT 100

static int dropped_by[LIMIT + 1];   /* a prime: itself; else its filter */

struct filter {
    chan *in, *out;     /* numbers come in, the survivors go out */
    int   prime;        /* what this one divides by */
};

KEEP_FRAME static void generate(void *arg)
{
    chan *out = arg;
    for (int n = 2; n <= LIMIT; n++)
        chan_send(out, &n);
    chan_close(out);
}

/* == exercise sieve (filter): the answer begins == */
KEEP_FRAME static void filter(void *arg)
{
    struct filter *f = arg;
    int n;
    while (chan_recv(f->in, &n)) {
        if (n % f->prime == 0)
            dropped_by[n] = f->prime;
        else
            chan_send(f->out, &n);
    }
    chan_free(f->in);               /* closed, drained, nobody waits */
    chan_close(f->out);
    free(f);
}
/* == exercise sieve (filter): the answer ends == */

/* While the sieve does not take the next number, the chain fills up:
 * each filter ends up holding one, waiting for the next to take it. */
KEEP_FRAME static void draw_the_chain(void)
{
    for (int i = 0; i < 20; i++)
        coro_yield();
    trace_stacks("four filters, each waiting for the next to take a number");
}

/* The head of the chain: each number that reaches it is prime. */
/* == exercise sieve (sieve): the answer begins == */
KEEP_FRAME static void sieve(void *arg)
{
    chan *in = chan_new(sizeof(int), 0);
    int prime;
    (void)arg;
    coro_spawn(generate, in);
    while (chan_recv(in, &prime)) {
        dropped_by[prime] = prime;
        struct filter *f = malloc(sizeof *f);
        *f = (struct filter){in, chan_new(sizeof(int), 0), prime};
        coro_spawn(filter, f);
        in = f->out;
        if (prime == 7)
            draw_the_chain();
    }
    chan_free(in);
}
/* == exercise sieve (sieve): the answer ends == */

static void print_grid(void)
{
    printf("\n  n*  a prime: it passed every filter, and got one\n"
           "  n/p dropped by the filter for p\n\n");
    char row[96];
    int used = 0;
    for (int n = 1; n <= LIMIT; n++) {
        char mark[8] = "";
        if (dropped_by[n] == n)
            snprintf(mark, sizeof mark, "*");
        else if (dropped_by[n] != 0)
            snprintf(mark, sizeof mark, "/%d", dropped_by[n]);
        used += snprintf(row + used, sizeof row - (size_t)used, "%4d%-3s",
                         n, mark);
        if (n % 10 == 0) {          /* the row, without trailing blanks */
            while (used > 0 && row[used - 1] == ' ')
                used--;
            printf("%.*s\n", used, row);
            used = 0;
        }
    }
}

int main(void)
{
    coro_spawn(sieve, NULL);
    int result = coro_run();
    print_grid();
    return result == 0 ? 0 : 1;
}
