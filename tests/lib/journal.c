/*
 * journal.c - the log the coroutines write into (journal.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "journal.h"

char journal[8192];

void journal_clear(void)
{
    journal[0] = '\0';
}

void note(const char *fmt, ...)
{
    size_t len = strlen(journal);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(journal + len, sizeof journal - len, fmt, ap);
    va_end(ap);
}
