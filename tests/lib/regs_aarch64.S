/*
 * regs_aarch64.S - regs_keep and fpctl_keep (regs.h) for aarch64.
 *
 *     unsigned long regs_keep(unsigned long seed, void (*fn)(void *), void *arg);
 *                             x0                  x1                   x2
 * x19-x28 and x29 get seed + 1 .. seed + 11, d8-d15 get seed + 12 ..
 * seed + 19; after fn, bit i of the result is set if the i-th of them
 * lost its value.  Our own saved registers and the seed sit on the
 * stack, reached through sp (x29 is a subject).
 *
 * Stack, from sp up: 0 x29, x30; 16 .. 80 x19-x28; 96 .. 144 d8-d15;
 * 160 the seed.
 */
        .text
        .globl  regs_keep
        .type   regs_keep, %function
regs_keep:
        stp     x29, x30, [sp, #-176]!
        stp     x19, x20, [sp, #16]
        stp     x21, x22, [sp, #32]
        stp     x23, x24, [sp, #48]
        stp     x25, x26, [sp, #64]
        stp     x27, x28, [sp, #80]
        stp     d8,  d9,  [sp, #96]
        stp     d10, d11, [sp, #112]
        stp     d12, d13, [sp, #128]
        stp     d14, d15, [sp, #144]
        str     x0, [sp, #160]
        mov     x9, x1                  /* fn */
        mov     x10, x0                 /* the seed */
        mov     x0, x2                  /* fn's argument */
        add     x19, x10, #1
        add     x20, x10, #2
        add     x21, x10, #3
        add     x22, x10, #4
        add     x23, x10, #5
        add     x24, x10, #6
        add     x25, x10, #7
        add     x26, x10, #8
        add     x27, x10, #9
        add     x28, x10, #10
        add     x29, x10, #11
        add     x11, x10, #12
        fmov    d8, x11
        add     x11, x10, #13
        fmov    d9, x11
        add     x11, x10, #14
        fmov    d10, x11
        add     x11, x10, #15
        fmov    d11, x11
        add     x11, x10, #16
        fmov    d12, x11
        add     x11, x10, #17
        fmov    d13, x11
        add     x11, x10, #18
        fmov    d14, x11
        add     x11, x10, #19
        fmov    d15, x11
        blr     x9
        ldr     x10, [sp, #160]         /* the seed */
        mov     x0, #0                  /* the result */
        add     x11, x10, #1
        cmp     x19, x11
        cset    x12, ne
        orr     x0, x0, x12, lsl #0               /* bit 0: x19 */
        add     x11, x10, #2
        cmp     x20, x11
        cset    x12, ne
        orr     x0, x0, x12, lsl #1               /* bit 1: x20 */
        add     x11, x10, #3
        cmp     x21, x11
        cset    x12, ne
        orr     x0, x0, x12, lsl #2               /* bit 2: x21 */
        add     x11, x10, #4
        cmp     x22, x11
        cset    x12, ne
        orr     x0, x0, x12, lsl #3               /* bit 3: x22 */
        add     x11, x10, #5
        cmp     x23, x11
        cset    x12, ne
        orr     x0, x0, x12, lsl #4               /* bit 4: x23 */
        add     x11, x10, #6
        cmp     x24, x11
        cset    x12, ne
        orr     x0, x0, x12, lsl #5               /* bit 5: x24 */
        add     x11, x10, #7
        cmp     x25, x11
        cset    x12, ne
        orr     x0, x0, x12, lsl #6               /* bit 6: x25 */
        add     x11, x10, #8
        cmp     x26, x11
        cset    x12, ne
        orr     x0, x0, x12, lsl #7               /* bit 7: x26 */
        add     x11, x10, #9
        cmp     x27, x11
        cset    x12, ne
        orr     x0, x0, x12, lsl #8               /* bit 8: x27 */
        add     x11, x10, #10
        cmp     x28, x11
        cset    x12, ne
        orr     x0, x0, x12, lsl #9               /* bit 9: x28 */
        add     x11, x10, #11
        cmp     x29, x11
        cset    x12, ne
        orr     x0, x0, x12, lsl #10               /* bit 10: x29 */
        fmov    x13, d8
        add     x11, x10, #12
        cmp     x13, x11
        cset    x12, ne
        orr     x0, x0, x12, lsl #11              /* bit 11: d8 */
        fmov    x13, d9
        add     x11, x10, #13
        cmp     x13, x11
        cset    x12, ne
        orr     x0, x0, x12, lsl #12              /* bit 12: d9 */
        fmov    x13, d10
        add     x11, x10, #14
        cmp     x13, x11
        cset    x12, ne
        orr     x0, x0, x12, lsl #13              /* bit 13: d10 */
        fmov    x13, d11
        add     x11, x10, #15
        cmp     x13, x11
        cset    x12, ne
        orr     x0, x0, x12, lsl #14              /* bit 14: d11 */
        fmov    x13, d12
        add     x11, x10, #16
        cmp     x13, x11
        cset    x12, ne
        orr     x0, x0, x12, lsl #15              /* bit 15: d12 */
        fmov    x13, d13
        add     x11, x10, #17
        cmp     x13, x11
        cset    x12, ne
        orr     x0, x0, x12, lsl #16              /* bit 16: d13 */
        fmov    x13, d14
        add     x11, x10, #18
        cmp     x13, x11
        cset    x12, ne
        orr     x0, x0, x12, lsl #17              /* bit 17: d14 */
        fmov    x13, d15
        add     x11, x10, #19
        cmp     x13, x11
        cset    x12, ne
        orr     x0, x0, x12, lsl #18              /* bit 18: d15 */
        ldp     d14, d15, [sp, #144]
        ldp     d12, d13, [sp, #128]
        ldp     d10, d11, [sp, #112]
        ldp     d8,  d9,  [sp, #96]
        ldp     x27, x28, [sp, #80]
        ldp     x25, x26, [sp, #64]
        ldp     x23, x24, [sp, #48]
        ldp     x21, x22, [sp, #32]
        ldp     x19, x20, [sp, #16]
        ldp     x29, x30, [sp], #176
        ret
        .size   regs_keep, .-regs_keep

/*
 *     unsigned long fpctl_keep(unsigned long seed, void (*fn)(void *), void *arg);
 * FPCR's rounding mode (bits 22-23) gets seed & 3; the result is 1 if
 * FPCR changed across fn.  FPCR is put back before returning.
 *
 * Stack, from sp up: 0 x29, x30; 16 x19; 24 the old FPCR; 32 the new.
 */
        .globl  fpctl_keep
        .type   fpctl_keep, %function
fpctl_keep:
        stp     x29, x30, [sp, #-48]!
        mov     x29, sp
        str     x19, [sp, #16]
        mrs     x19, fpcr
        str     x19, [sp, #24]
        and     x0, x0, #3
        and     x10, x19, #~0xc00000
        orr     x10, x10, x0, lsl #22
        str     x10, [sp, #32]
        msr     fpcr, x10
        mov     x9, x1
        mov     x0, x2
        blr     x9
        mrs     x11, fpcr
        ldr     x10, [sp, #32]
        cmp     x11, x10
        cset    x0, ne
        ldr     x19, [sp, #24]
        msr     fpcr, x19
        ldr     x19, [sp, #16]
        ldp     x29, x30, [sp], #48
        ret
        .size   fpctl_keep, .-fpctl_keep

        .section .note.GNU-stack, "", %progbits
