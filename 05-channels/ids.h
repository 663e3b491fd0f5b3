/*
 * ids.h - find a coroutine by its id (for coro_join), among however
 * many are alive: a hash table that grows and shrinks with them.
 */
#ifndef IDS_H
#define IDS_H

#include <stdbool.h>

struct coro;

/* Remember c under c->id: true, or false when there is no memory. */
bool ids_put(struct coro *c);

/* The coroutine alive under id, or NULL. */
struct coro *ids_get(int id);

/* Forget id. */
void ids_drop(int id);

#endif
