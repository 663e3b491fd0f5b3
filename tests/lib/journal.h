/*
 * journal.h - a log that coroutines (and generators) write into as
 * they go, so that a test can check what happened, and in what order.
 */
#ifndef JOURNAL_H
#define JOURNAL_H

/* What has been noted since the last journal_clear(). */
extern char journal[8192];

void journal_clear(void);

/* Add to the journal, as printf would print. */
void note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
