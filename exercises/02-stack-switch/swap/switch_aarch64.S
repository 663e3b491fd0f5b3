/* == exercise swap (ctx_swap): the answer begins == */
ctx_swap:
        /* TODO (exercise swap): the switch, for the layout drawn above.
         * Save this context: make 176 bytes of room below sp, store
         * x19-x30 and d8-d15 in pairs (stp) at their offsets, and
         * fpcr (mrs it into a scratch register first) at sp + 160.
         * Store sp in *save_sp (x0), load load_sp (x1) into sp, load
         * the other context the same way in reverse (ldp, msr fpcr),
         * give back the 176 bytes, and ret: to the x30 just loaded.
         * Until then udf, an undefined instruction, stops the program
         * here with SIGILL. */
        udf     #0
        .size   ctx_swap, .-ctx_swap
/* == exercise swap (ctx_swap): the answer ends == */
