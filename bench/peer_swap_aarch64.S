/*
 * peer_swap_aarch64.S - a peer of the kit's ctx_swap for the bench: the
 * same registers saved in the same frame (x19-x30, d8-d15, FPCR), but
 * it leaves with a plain indirect branch to the other context's address
 * instead of `ret`, which the CPU predicts as a return to our caller.
 *
 *     void peer_swap(void **save_sp, void *load_sp);
 *
 * A stopped context's stack, from its saved stack pointer up:
 *
 *     sp + 0    x19 .. x28
 *     sp + 80   x29, x30       frame pointer; where it carries on
 *     sp + 96   d8 .. d15
 *     sp + 160  fpcr, 0
 */
        .text
        .globl  peer_swap
        .type   peer_swap, %function
peer_swap:
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
        str     x9, [x0]
        mov     sp, x1

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
        br      x30                     /* a jump, not a return */
        .size   peer_swap, .-peer_swap

        .section .note.GNU-stack, "", %progbits
