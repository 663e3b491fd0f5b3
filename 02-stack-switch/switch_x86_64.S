/*
 * switch_x86_64.S - the context switch, by hand, for x86-64 (System V).
 *
 *     void ctx_swap(void **save_sp, void *load_sp);
 *                        rdi             rsi
 *
 * Push the registers a called function must give back unchanged (the
 * callee-saved ones) onto our stack, store the stack pointer in
 * *save_sp, load load_sp, pop the other context's registers, and
 * "return": into the other context, which carries on after its own call
 * to ctx_swap.  Everything else (rax, rcx, rdx, rsi, rdi, r8-r11, the
 * xmm registers) the C caller already assumes a call destroys.
 *
 * Why it ends in `ret`, though it never goes back to its caller: the
 * processor guesses where a `ret` goes from a little stack of the calls
 * it has seen, and our call to ctx_swap put "back into ctx_switch" on
 * it.  Every switch in the kit is made by that one call in ctx_switch,
 * so the other context carries on at that very address: the guess is
 * right.  Calls and returns stay paired, so the returns after it are
 * guessed right too, up to where the two contexts' callers differ.
 * Popping the address and jumping to it instead (as Boost.Context does,
 * and bench/peer_swap_x86_64.S) suits contexts that switch from many
 * places, but it leaves our call's guess unused on that stack, and each
 * `ret` after the switch is then guessed one call off: a pipeline flush
 * apiece.  `make bench` measures both, from one call and from two.
 *
 * A stopped context's stack, from its saved stack pointer up
 * (struct swap_frame in ctx_asm.c is the same, field for field):
 *
 *     sp + 0    mxcsr           SSE control: rounding, exceptions masked
 *     sp + 4    x87 control     x87 control word, 2 bytes (and 2 spare)
 *     sp + 8    r15
 *     sp + 16   r14
 *     sp + 24   r13
 *     sp + 32   r12
 *     sp + 40   rbx
 *     sp + 48   rbp             the frame pointer
 *     sp + 56   return address  where the context carries on
 */
        .text
        .globl  ctx_swap
        .type   ctx_swap, @function
/* == exercise swap (ctx_swap): the answer begins == */
ctx_swap:
        pushq   %rbp                    /* sp + 48 */
        pushq   %rbx                    /* sp + 40 */
        pushq   %r12                    /* sp + 32 */
        pushq   %r13                    /* sp + 24 */
        pushq   %r14                    /* sp + 16 */
        pushq   %r15                    /* sp + 8  */
        subq    $8, %rsp
        stmxcsr (%rsp)                  /* sp + 0  */
        fnstcw  4(%rsp)                 /* sp + 4  */

        movq    %rsp, (%rdi)            /* *save_sp = sp */
        movq    %rsi, %rsp              /* sp = load_sp: the other stack */

        ldmxcsr (%rsp)
        fldcw   4(%rsp)
        addq    $8, %rsp
        popq    %r15
        popq    %r14
        popq    %r13
        popq    %r12
        popq    %rbx
        popq    %rbp
        ret                             /* where the other carries on */
        .size   ctx_swap, .-ctx_swap
/* == exercise swap (ctx_swap): the answer ends == */

        .section .note.GNU-stack, "", @progbits
