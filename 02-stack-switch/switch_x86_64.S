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
 * Why the last two lines pop the return address and jump to it rather
 * than `ret`: the processor predicts where a `ret` goes from the calls
 * it has seen, and it has seen ours, so it guesses "back to our caller".
 * That is always wrong here (we go back to the other context's caller),
 * and each wrong guess costs a pipeline flush; an indirect jump is
 * predicted from where it went before, which is right far more often.
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
        popq    %rcx                    /* the return address: where the */
        jmpq    *%rcx                   /* other context carries on */
        .size   ctx_swap, .-ctx_swap
/* == exercise swap (ctx_swap): the answer ends == */

        .section .note.GNU-stack, "", @progbits
