/*
 * frames.h - walking a chain of stack frames, and naming them.
 *
 * Built with -fno-omit-frame-pointer, every function begins by saving
 * its caller's frame pointer and its return address as a pair, the
 * frame record, and points its own frame pointer at that pair.  The
 * records chain from the innermost frame out to main (x86-64 shown;
 * aarch64 keeps the same pair in x29/x30):
 *
 *        | ...caller's frame...  |
 *        | return address        |  fp + 8  -> somewhere in the caller
 *  fp -> | caller's fp           |  fp + 0  -> the caller's record
 *        | this function's locals|
 *        v                       v
 */
#ifndef FRAMES_H
#define FRAMES_H

#include <stddef.h>

struct frame {
    char        name[40]; /* the function's name, or "??" */
    char       *top;      /* its highest byte + 1 (frames grow down) */
    char       *bottom;   /* its lowest byte */
};

/* Walk from the record at start (whose own function is left out) out
 * through the callers, while each next record lies above the last one
 * and inside [lo, hi).  Stop after a function named stop_at, if given.
 * Fills out[] innermost first; returns how many frames it found.
 *
 * The records may have been moved (copied to the heap, in copy mode):
 * then the bytes lie `moved` bytes away from where the frame pointers
 * say.  start is where a frame pointer says, lo .. hi is where the
 * bytes are now, and out[] tells where the frames were (and will be
 * again). */
int frames_walk(void *start, const char *lo, const char *hi, long moved,
                const char *stop_at, struct frame *out, int max);

/* Write the name of the function that contains addr ("??" if unknown)
 * into name[size], from the program's own symbol table, without the
 * suffixes of gcc's specialised copies (".isra.0", ".part.0"). */
void symbol_name(const void *addr, char *name, size_t size);

#endif
