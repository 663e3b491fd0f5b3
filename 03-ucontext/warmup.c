/*
 * warmup.c - the talk's first example: main() calls foo(), foo() calls
 * bar(), and bar() longjmps straight back into main().  Nobody returns
 * from foo() or bar(): their frames are simply abandoned.
 */
#include <setjmp.h>
#include <stdio.h>

#include "show.h"
#include "trace/trace.h"

static jmp_buf back_to_main;   /* where main() said "come back here" */

KEEP_FRAME static void bar(void)
{
    trace_stacks("in bar(): about to longjmp back to main()");
    longjmp(back_to_main, 1);
}

KEEP_FRAME static void foo(void)
{
    bar();
    puts("never printed: bar() does not return");
}

int main(void)
{
    volatile int kept = 1;     /* volatile: always read from memory */
    int plain = 1;             /* may live in a register instead */

    if (setjmp(back_to_main) == 0) {
        /* setjmp returned 0: the first time, straight after saving
         * the registers.  Change both, then call down. */
        kept = 2;
        plain = 2;
        foo();
    }
    /* setjmp "returned" 1: we came back here from bar(). */
    trace_stacks("back in main(): foo() and bar() are gone");
    printf("\nafter the longjmp:  kept (volatile) = %d   plain = %d\n",
           kept, plain);
    printf("plain is 2 at -O0; rebuild with OPT=-O2: it lived in a "
           "register,\nand longjmp put back the value that register "
           "had at setjmp.\n");
    return 0;
}
