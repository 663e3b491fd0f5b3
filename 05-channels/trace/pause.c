/*
 * pause.c - stepping through the drawings for a live audience
 * (CORO_STEP=1).  After each drawing the program waits for a key:
 *
 *   Enter   go on to the next drawing
 *   c       go on to the end without pausing again (and if the
 *           environment names a file in CORO_STEP_FILE, write "c" in
 *           it, so that the Makefiles do not pause the demos after)
 *   q       quit the program here, with exit status 3 (QUIT_STATUS),
 *           which the stages' Makefiles take for "stop, all is well"
 *
 * On a terminal the key needs no Enter, and the screen is cleared when
 * the program goes on, so that what it prints next and its next drawing
 * start at the top.  A drawing taller than the terminal is shown a
 * screenful at a time, each under the drawing's title.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "trace_impl.h"

#define QUIT_STATUS 3   /* the program quits at a pause: not a failure */
#define ROOM_ABOVE 4    /* rows left for what the program prints before a
                           drawing, so that its title stays in sight */

static bool go_on;      /* c was pressed: no more pauses */

/* One key from the terminal, without waiting for Enter and without
 * echo; Ctrl-C (read as a key here) quits like q.  Not a terminal: the
 * first character of a line. */
static int read_key(void)
{
    struct termios old, raw;
    bool tty = tcgetattr(STDIN_FILENO, &old) == 0;
    if (tty) {
        raw = old;
        raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO | ISIG);
        raw.c_cc[VMIN] = 1;
        raw.c_cc[VTIME] = 0;
        tcsetattr(STDIN_FILENO, TCSANOW, &raw);
    }
    unsigned char key = '\n';
    if (read(STDIN_FILENO, &key, 1) != 1)
        key = 'c';                      /* no more input: run to the end */
    if (tty)
        tcsetattr(STDIN_FILENO, TCSANOW, &old);
    else
        for (unsigned char rest = key; rest != '\n';)
            if (read(STDIN_FILENO, &rest, 1) != 1)
                break;
    return key == 3 ? 'q' : key;        /* 3: Ctrl-C */
}

/* No more pauses, here or (CORO_STEP_FILE) in the demos after. */
static void run_on(void)
{
    const char *path = getenv("CORO_STEP_FILE");
    FILE *f = path ? fopen(path, "w") : NULL;
    if (f != NULL) {
        fputs("c\n", f);
        fclose(f);
    }
    go_on = true;
}

/* Wait for a key after showing what; false: no more pauses. */
static bool wait_key(FILE *out, bool screen, const char *what)
{
    fprintf(out, "%s   [%s: Enter, c to run on, q to quit]%s",
            draw_paint(BOLD), what, draw_unpaint(BOLD));
    fflush(out);
    int key = read_key();
    fputc('\n', out);
    if (key == 'q' || key == 'Q') {
        fflush(out);
        exit(QUIT_STATUS);
    }
    if (key == 'c' || key == 'C')
        run_on();
    if (screen && !go_on)
        fputs("\033[H\033[2J", out);    /* the next lines start at the top */
    fflush(out);
    return !go_on;
}

/* The terminal's height, or 0 when out is not a terminal. */
static int screen_rows(FILE *out)
{
    struct winsize ws;
    if (!isatty(fileno(out)) || ioctl(fileno(out), TIOCGWINSZ, &ws) != 0)
        return 0;
    return ws.ws_row;
}

/* The next line of text, from *at: its length with the newline. */
static size_t line_length(const char *at)
{
    const char *end = strchr(at, '\n');
    return end ? (size_t)(end - at) + 1 : strlen(at);
}

void pause_show(FILE *out, const char *title, const char *text,
                bool stepping)
{
    int rows = screen_rows(out);
    int page = rows - ROOM_ABOVE - 1;
    if (!stepping || go_on || rows == 0 || page < 8) {
        fputs(text, out);
        fflush(out);
        if (stepping && !go_on)
            wait_key(out, rows > 0, "next");
        return;
    }
    const char *at = text;
    for (int lines = 0; *at != '\0'; lines++) {
        if (lines == page) {
            if (!wait_key(out, true, "more of this drawing")) {
                fputs(at, out);
                return;
            }
            fprintf(out, "%s-- %s (continued)%s\n", draw_paint(BOLD),
                    title, draw_unpaint(BOLD));
            lines = 1;
        }
        size_t n = line_length(at);
        fwrite(at, 1, n, out);
        at += n;
    }
    wait_key(out, true, "next");
}
