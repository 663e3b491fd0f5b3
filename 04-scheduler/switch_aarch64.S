/*
 * switch_aarch64.S - the context switch, by hand, for aarch64 (AAPCS64).
 *
 *     void ctx_swap(void **save_sp, void *load_sp);
 *                        x0              x1
 *
 * Store the registers a called function must give back unchanged (the
 * callee-saved ones) on our stack, store the stack pointer in *save_sp,
 * load load_sp, load the other context's registers, and return through
 * its link register: into the other context, after its own call to
 * ctx_swap.  Of the vector registers only the low halves of v8-v15
 * (d8-d15) are callee-saved; the rest the C caller assumes destroyed.
 *
 * A stopped context's stack, from its saved stack pointer up
 * (struct swap_frame in ctx_asm.c is the same, field for field):
 *
 *     sp + 0    x19, x20
 *     sp + 16   x21, x22
 *     sp + 32   x23, x24
 *     sp + 48   x25, x26
 *     sp + 64   x27, x28
 *     sp + 80   x29, x30   frame pointer; link register: where it goes on
 *     sp + 96   d8,  d9
 *     sp + 112  d10, d11
 *     sp + 128  d12, d13
 *     sp + 144  d14, d15
 *     sp + 160  fpcr, 0    floating-point control: rounding mode and such
 *     sp + 176             (the caller's stack, 16-byte aligned)
 */
        .text
        .globl  ctx_swap
        .type   ctx_swap, %function
/* == exercise swap (ctx_swap): the answer begins == */
ctx_swap:
        sub     sp, sp, #176
        stp     x19, x20, [sp, #0]
        stp     x21, x22, [sp, #16]
        stp     x23, x24, [sp, #32]
        stp     x25, x26, [sp, #48]
        stp     x27, x28, [sp, #64]
        stp     x29, x30, [sp, #80]
        stp     d8,  d9,  [sp, #96]
        stp     d10, d11, [sp, #112]
        stp     d12, d13, [sp, #128]
        stp     d14, d15, [sp, #144]
        mrs     x9, fpcr
        str     x9, [sp, #160]

        mov     x9, sp
        str     x9, [x0]                /* *save_sp = sp */
        mov     sp, x1                  /* sp = load_sp: the other stack */

        ldr     x9, [sp, #160]
        msr     fpcr, x9
        ldp     d14, d15, [sp, #144]
        ldp     d12, d13, [sp, #128]
        ldp     d10, d11, [sp, #112]
        ldp     d8,  d9,  [sp, #96]
        ldp     x29, x30, [sp, #80]
        ldp     x27, x28, [sp, #64]
        ldp     x25, x26, [sp, #48]
        ldp     x23, x24, [sp, #32]
        ldp     x21, x22, [sp, #16]
        ldp     x19, x20, [sp, #0]
        add     sp, sp, #176
        ret                             /* to x30 */
        .size   ctx_swap, .-ctx_swap
/* == exercise swap (ctx_swap): the answer ends == */

        .section .note.GNU-stack, "", %progbits
