/*
 * ids.c - an open-addressing hash table from id to coroutine.
 *
 * Slots hold pointers; an id lives in the first free slot at or after
 * its hash (linear probing).  Deleting shifts later entries of the same
 * run back, so that no "deleted" markers are needed.  The table doubles
 * when half full and halves when an eighth full: a million coroutines
 * spawned one after the other keep it tiny.
 */
#include <stdint.h>
#include <stdlib.h>

#include "coro_impl.h"
#include "ids.h"

#define MIN_SLOTS 64

static struct {
    struct coro **slot;     /* NULL: free */
    size_t        slots;    /* a power of two */
    size_t        used;
} the;

static size_t home(int id)
{
    return ((uint32_t)id * 2654435761u) & (the.slots - 1);  /* Knuth */
}

static void place(struct coro *c)
{
    size_t i = home(c->id);
    while (the.slot[i] != NULL)
        i = (i + 1) & (the.slots - 1);
    the.slot[i] = c;
}

/* Move everything into a table of `slots` slots. */
static bool resize(size_t slots)
{
    struct coro **old = the.slot;
    size_t old_slots = the.slots;
    the.slot = calloc(slots, sizeof *the.slot);
    if (the.slot == NULL) {
        the.slot = old;
        return false;
    }
    the.slots = slots;
    for (size_t i = 0; i < old_slots; i++)
        if (old[i] != NULL)
            place(old[i]);
    free(old);
    return true;
}

bool ids_put(struct coro *c)
{
    if (the.slots == 0 && !resize(MIN_SLOTS))
        return false;
    if (2 * (the.used + 1) > the.slots && !resize(2 * the.slots))
        return false;
    place(c);
    the.used++;
    return true;
}

static size_t find(int id)
{
    for (size_t i = home(id);; i = (i + 1) & (the.slots - 1))
        if (the.slot[i] == NULL || the.slot[i]->id == id)
            return i;
}

struct coro *ids_get(int id)
{
    return the.slots ? the.slot[find(id)] : NULL;
}

void ids_drop(int id)
{
    if (the.slots == 0 || the.slot[find(id)] == NULL)
        return;
    size_t hole = find(id);
    the.slot[hole] = NULL;
    the.used--;
    /* Shift back the rest of the run, each entry that may move. */
    for (size_t i = (hole + 1) & (the.slots - 1); the.slot[i] != NULL;
         i = (i + 1) & (the.slots - 1)) {
        size_t want = home(the.slot[i]->id);
        bool stays = hole < i ? (want > hole && want <= i)
                              : (want > hole || want <= i);
        if (!stays) {
            the.slot[hole] = the.slot[i];
            the.slot[i] = NULL;
            hole = i;
        }
    }
    if (the.slots > MIN_SLOTS && 8 * the.used < the.slots)
        resize(the.slots / 2);
}
