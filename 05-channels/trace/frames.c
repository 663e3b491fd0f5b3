/*
 * frames.c - walk frame records; see the picture in frames.h.
 */
#include <stdint.h>
#include <string.h>

#include "frames.h"

struct record {
    struct record *caller;  /* the caller's frame pointer */
    char          *ret;     /* where the caller carries on */
};

/*
 * Where is a frame's top?  On x86-64 (and with clang on aarch64) the
 * record sits at the top of the frame, just under the return address,
 * so the frame ends 16 bytes above its record.  gcc on aarch64 puts the
 * record at the bottom of the frame instead: the frame ends where its
 * caller's record begins.
 */
#if defined(__aarch64__) && !defined(__clang__)
#define RECORD_AT_BOTTOM 1
#else
#define RECORD_AT_BOTTOM 0
#endif

static int inside(const void *p, const char *lo, const char *hi)
{
    return (const char *)p >= lo && (const char *)p < hi &&
           (uintptr_t)p % sizeof(void *) == 0;
}

/* Frame k's record is recs[k]; fill in tops and bottoms from them. */
static void measure(struct record *start, struct record **recs,
                    struct frame *out, int n)
{
    for (int k = 0; k < n; k++) {
        char *rec = (char *)recs[k];
        if (RECORD_AT_BOTTOM) {
            out[k].bottom = rec;
            out[k].top = k + 1 < n ? (char *)recs[k + 1] : rec + 16;
        } else {
            out[k].bottom = k > 0 ? out[k - 1].top : (char *)start + 16;
            out[k].top = rec + 16;
        }
    }
}

__attribute__((no_sanitize_address))
int frames_walk(void *start, const char *lo, const char *hi, long moved,
                const char *stop_at, struct frame *out, int max)
{
    static struct record *recs[1024];
    if (max > 1024)
        max = 1024;
    struct record *r = start;
    int n = 0;
    while (n < max) {
        struct record *at = (struct record *)((uintptr_t)r + moved);
        struct record *caller = at->caller;
        if (caller == NULL || caller <= r || at->ret == NULL ||
            !inside((char *)((uintptr_t)caller + moved), lo, hi))
            break;              /* the chain ends, or leaves the stack */
        /* ret is just after the call: ret - 1 is surely inside it */
        symbol_name((void *)((uintptr_t)at->ret - 1), out[n].name,
                    sizeof out[n].name);
        recs[n++] = caller;
        if (stop_at && strcmp(out[n - 1].name, stop_at) == 0)
            break;
        r = caller;
    }
    measure(start, recs, out, n);
    return n;
}
