/*
 * peer_swap_x86_64.S - a peer of the kit's ctx_swap for the bench: the
 * same registers saved in the same frame (the callee-saved ones, MXCSR
 * and the x87 control word), but it leaves by popping the other
 * context's address and jumping to it, as Boost.Context's jump_fcontext
 * does, instead of `ret`.  That is the better way out when contexts
 * switch from many places, and the worse one when they all switch from
 * one call, as the kit's do: the top of the stages' switch_x86_64.S says
 * why, and the bench measures both ways from one call and from two.
 *
 *     void peer_swap(void **save_sp, void *load_sp);
 *
 * A stopped context's stack, from its saved stack pointer up:
 *
 *     sp + 0    mxcsr, x87 control word (4 + 2 bytes, 2 spare)
 *     sp + 8    r15, r14, r13, r12, rbx, rbp (8 bytes each)
 *     sp + 56   where the context carries on
 */
        .text
        .globl  peer_swap
        .type   peer_swap, @function
peer_swap:
        pushq   %rbp
        pushq   %rbx
        pushq   %r12
        pushq   %r13
        pushq   %r14
        pushq   %r15
        subq    $8, %rsp
        stmxcsr (%rsp)
        fnstcw  4(%rsp)

        movq    %rsp, (%rdi)
        movq    %rsi, %rsp

        ldmxcsr (%rsp)
        fldcw   4(%rsp)
        addq    $8, %rsp
        popq    %r15
        popq    %r14
        popq    %r13
        popq    %r12
        popq    %rbx
        popq    %rbp
        popq    %rcx                    /* where it carries on... */
        jmp     *%rcx                   /* ...reached by a plain jump */
        .size   peer_swap, .-peer_swap

        .section .note.GNU-stack, "", @progbits
