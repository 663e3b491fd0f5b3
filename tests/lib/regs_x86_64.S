/*
 * regs_x86_64.S - regs_keep and fpctl_keep (regs.h) for x86-64.
 *
 *     unsigned long regs_keep(unsigned long seed, void (*fn)(void *), void *arg);
 *                             rdi                 rsi                  rdx
 * rbx, rbp, r12-r15 get seed ^ 1 .. seed ^ 6; after fn, bit i of the
 * result is set if register i lost its value.  Our own saved registers
 * and the seed sit on the stack, reached through rsp (rbp is a subject).
 */
        .text
        .globl  regs_keep
        .type   regs_keep, @function
regs_keep:
        pushq   %rbp
        pushq   %rbx
        pushq   %r12
        pushq   %r13
        pushq   %r14
        pushq   %r15
        pushq   %rdi                    /* the seed, at 0(%rsp) */
        movq    %rsi, %rax              /* fn */
        movq    %rdx, %rdi              /* its argument */
        movq    (%rsp), %rbx
        xorq    $1, %rbx
        movq    (%rsp), %rbp
        xorq    $2, %rbp
        movq    (%rsp), %r12
        xorq    $3, %r12
        movq    (%rsp), %r13
        xorq    $4, %r13
        movq    (%rsp), %r14
        xorq    $5, %r14
        movq    (%rsp), %r15
        xorq    $6, %r15
        call    *%rax                   /* rsp is 16-aligned here */
        xorl    %eax, %eax              /* the result */
        movq    (%rsp), %rdx            /* the seed */
        movq    %rdx, %rcx
        xorq    $1, %rcx
        cmpq    %rcx, %rbx
        setne   %cl
        orb     %cl, %al                /* bit 0: rbx */
        movq    %rdx, %rcx
        xorq    $2, %rcx
        cmpq    %rcx, %rbp
        setne   %cl
        shlb    $1, %cl
        orb     %cl, %al                /* bit 1: rbp */
        movq    %rdx, %rcx
        xorq    $3, %rcx
        cmpq    %rcx, %r12
        setne   %cl
        shlb    $2, %cl
        orb     %cl, %al                /* bit 2: r12 */
        movq    %rdx, %rcx
        xorq    $4, %rcx
        cmpq    %rcx, %r13
        setne   %cl
        shlb    $3, %cl
        orb     %cl, %al                /* bit 3: r13 */
        movq    %rdx, %rcx
        xorq    $5, %rcx
        cmpq    %rcx, %r14
        setne   %cl
        shlb    $4, %cl
        orb     %cl, %al                /* bit 4: r14 */
        movq    %rdx, %rcx
        xorq    $6, %rcx
        cmpq    %rcx, %r15
        setne   %cl
        shlb    $5, %cl
        orb     %cl, %al                /* bit 5: r15 */
        popq    %rdx
        popq    %r15
        popq    %r14
        popq    %r13
        popq    %r12
        popq    %rbx
        popq    %rbp
        ret
        .size   regs_keep, .-regs_keep

/*
 *     unsigned long fpctl_keep(unsigned long seed, void (*fn)(void *), void *arg);
 * MXCSR rounding (bits 13-14) and the x87 control word's rounding (bits
 * 10-11) get seed & 3; bit 0 of the result: MXCSR changed, bit 1: the
 * x87 control word changed.  Both are put back before returning.
 *
 * Stack, from rsp up: 0 new MXCSR, 4 new x87 CW, 8 old MXCSR,
 * 12 old x87 CW, 16 after fn: MXCSR, 20 after fn: x87 CW, 24 spare.
 */
        .globl  fpctl_keep
        .type   fpctl_keep, @function
fpctl_keep:
        subq    $40, %rsp               /* 40 + return address: aligned */
        stmxcsr 8(%rsp)
        fnstcw  12(%rsp)
        andq    $3, %rdi
        movl    8(%rsp), %ecx
        andl    $~0x6000, %ecx
        movl    %edi, %r8d
        shll    $13, %r8d
        orl     %r8d, %ecx
        movl    %ecx, 0(%rsp)           /* new MXCSR */
        movzwl  12(%rsp), %ecx
        andl    $~0x0c00, %ecx
        movl    %edi, %r8d
        shll    $10, %r8d
        orl     %r8d, %ecx
        movw    %cx, 4(%rsp)            /* new x87 control word */
        ldmxcsr 0(%rsp)
        fldcw   4(%rsp)
        movq    %rdx, %rdi
        call    *%rsi
        stmxcsr 16(%rsp)
        fnstcw  20(%rsp)
        xorl    %eax, %eax
        movl    16(%rsp), %ecx
        cmpl    0(%rsp), %ecx
        setne   %al                     /* bit 0: MXCSR */
        movzwl  20(%rsp), %ecx
        movzwl  4(%rsp), %edx
        cmpl    %edx, %ecx
        setne   %cl
        shlb    $1, %cl
        orb     %cl, %al                /* bit 1: x87 control word */
        ldmxcsr 8(%rsp)
        fldcw   12(%rsp)
        addq    $40, %rsp
        ret
        .size   fpctl_keep, .-fpctl_keep

        .section .note.GNU-stack, "", @progbits
