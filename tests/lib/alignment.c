/*
 * alignment.c - how a new context's first frame is aligned (regs.h).
 */
#include <stdint.h>

#include "regs.h"
#include "show.h"

static uintptr_t frame_at_entry = 1, aligned_at_entry = 1;

KEEP_FRAME void note_alignment(void *arg)
{
    _Alignas(16) volatile char vector[16];
    (void)arg;
    vector[0] = 1;
    frame_at_entry = (uintptr_t)__builtin_frame_address(0);
    aligned_at_entry = (uintptr_t)vector;
}

bool noted_aligned(void)
{
    bool aligned = frame_at_entry % 16 == 0 && aligned_at_entry % 16 == 0;
    frame_at_entry = aligned_at_entry = 1;
    return aligned;
}
