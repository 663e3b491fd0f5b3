/* == exercise swap (ctx_swap): the answer begins == */
ctx_swap:
        /* TODO (exercise swap): the switch, for the layout drawn above.
         * Save this context: push the callee-saved registers so that
         * each lands at its offset, then make the 8 bytes at sp + 0
         * and store the FP control words there (stmxcsr, fnstcw).
         * Store sp in *save_sp (rdi), load load_sp (rsi) into rsp,
         * and load the other context the same way in reverse: ldmxcsr,
         * fldcw, pops.  What is left on its stack is the address to
         * carry on at: ret goes there (the top of the file says why
         * ret rather than a pop and a jump).
         * Until then ud2, an illegal instruction, stops the program
         * here with SIGILL. */
        ud2
        .size   ctx_swap, .-ctx_swap
/* == exercise swap (ctx_swap): the answer ends == */
