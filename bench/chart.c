/*
 * chart.c - the switch-cost chart, drawn as SVG by the bench itself:
 *
 *     chart TITLE SUBTITLE < rows > chart.svg
 *     chart --text TITLE SUBTITLE < rows > chart.txt
 *
 * Each row of the input is tab-separated: kind (kit, peer or unit),
 * label, median, min, max, in ns.  Each becomes a bar from the left
 * edge to its median on a log scale, with a line from min to max
 * across its end, and the number beside it: a glance shows which
 * mechanism costs ten times another.  With --text, the same bars in
 * characters, medians only, at most 78 columns wide: for a terminal,
 * and for the slides, which are shown in one.
 */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ROWS   64
#define LABEL_W    390      /* pixels for the labels, left of the bars */
#define PLOT_W     470      /* pixels for the bars */
#define ROW_H      22
#define TOP        64       /* title, subtitle, axis labels */
#define TEXT_PLOT  36       /* columns for the bars, --text */

struct row {
    char   kind[8], label[160];
    double median, min, max;
};

static struct row rows[MAX_ROWS];
static int nrows;
static double lo_decade, hi_decade;     /* log10 of the axis' ends */

static void read_rows(void)
{
    char line[512];
    while (nrows < MAX_ROWS && fgets(line, sizeof line, stdin) != NULL) {
        struct row *r = &rows[nrows];
        char *kind = strtok(line, "\t"), *label = strtok(NULL, "\t");
        char *med = strtok(NULL, "\t"), *min = strtok(NULL, "\t");
        char *max = strtok(NULL, "\t\n");
        if (kind == NULL || label == NULL || med == NULL || min == NULL ||
            max == NULL)
            continue;
        snprintf(r->kind, sizeof r->kind, "%s", kind);
        snprintf(r->label, sizeof r->label, "%s", label);
        r->median = atof(med);
        r->min = atof(min);
        r->max = atof(max);
        if (r->median > 0 && r->min > 0 && r->max > 0)
            nrows++;
    }
}

/* Whole decades around every number to draw. */
static void find_axis(void)
{
    double lo = 1e300, hi = 0;
    for (int i = 0; i < nrows; i++) {
        lo = fmin(lo, rows[i].min);
        hi = fmax(hi, rows[i].max);
    }
    lo_decade = floor(log10(lo));
    hi_decade = ceil(log10(hi));
    if (hi_decade <= lo_decade)
        hi_decade = lo_decade + 1;
}

static double x_of(double ns)
{
    return LABEL_W + PLOT_W * (log10(ns) - lo_decade) /
                     (hi_decade - lo_decade);
}

/* Text for SVG: the three characters XML reserves, escaped. */
static void put_text(const char *s)
{
    for (; *s; s++) {
        if (*s == '&')
            fputs("&amp;", stdout);
        else if (*s == '<')
            fputs("&lt;", stdout);
        else if (*s == '>')
            fputs("&gt;", stdout);
        else
            putchar(*s);
    }
}

static const char *decade_name(int d)
{
    static const char *names[] = {"1 ns", "10 ns", "100 ns", "1 µs",
                                  "10 µs", "100 µs", "1 ms", "10 ms"};
    return d >= 0 && d < 8 ? names[d] : "";
}

static void draw_axis(int height)
{
    for (int d = (int)lo_decade; d <= (int)hi_decade; d++) {
        double x = x_of(pow(10, d));
        printf("<line x1='%.1f' y1='%d' x2='%.1f' y2='%d' stroke='#ccc'/>\n",
               x, TOP - 6, x, height - 10);
        printf("<text x='%.1f' y='%d' text-anchor='middle' fill='#555'>%s"
               "</text>\n", x, TOP - 10, decade_name(d));
    }
}

/* A number as the tables write it: three figures, thousands apart. */
static void put_number(double ns)
{
    if (ns < 100) {
        printf(ns < 10 ? "%.2f" : "%.1f", ns);
        return;
    }
    long n = lround(ns);
    if (n >= 1000000)
        printf("%ld,%03ld,%03ld", n / 1000000, n / 1000 % 1000, n % 1000);
    else if (n >= 1000)
        printf("%ld,%03ld", n / 1000, n % 1000);
    else
        printf("%ld", n);
}

static void draw_row(int i)
{
    const struct row *r = &rows[i];
    const char *fill = strcmp(r->kind, "kit") == 0    ? "#d9822b"
                       : strcmp(r->kind, "unit") == 0 ? "#999999"
                                                      : "#3b73b9";
    int y = TOP + i * ROW_H;
    printf("<text x='%d' y='%d' text-anchor='end'>", LABEL_W - 8, y + 15);
    put_text(r->label);
    printf("</text>\n");
    printf("<rect x='%d' y='%d' width='%.1f' height='%d' fill='%s'/>\n",
           LABEL_W, y + 4, x_of(r->median) - LABEL_W, ROW_H - 8, fill);
    printf("<line x1='%.1f' y1='%d' x2='%.1f' y2='%d' stroke='#222'/>\n",
           x_of(r->min), y + ROW_H / 2, x_of(r->max), y + ROW_H / 2);
    printf("<text x='%.1f' y='%d' fill='#222'>", x_of(r->max) + 4, y + 15);
    put_number(r->median);
    printf("</text>\n");
}

/* ---- --text: the bars in characters ----------------------------- */

/* Columns from the left edge of the bars to where ns falls. */
static int column_of(double ns, int per_decade)
{
    return (int)lround(per_decade * (log10(ns) - lo_decade));
}

/* The decades' names, each above its place. */
static void put_text_axis(int label_w, int per_decade)
{
    int at = 0;
    printf("%-*s", label_w, "ns, log scale");
    for (int d = (int)lo_decade; d <= (int)hi_decade; d++) {
        int want = column_of(pow(10, d), per_decade);
        const char *name = d == 3 ? "1 us" : d == 4 ? "10 us"
                                 : decade_name(d);
        at += printf("%*s%s", want > at ? want - at : 0, "", name);
    }
    putchar('\n');
}

static int draw_text(const char *title, const char *subtitle)
{
    int label_w = (int)strlen("ns, log scale");
    for (int i = 0; i < nrows; i++)
        if ((int)strlen(rows[i].label) > label_w)
            label_w = (int)strlen(rows[i].label);
    label_w += 2;
    int per_decade = TEXT_PLOT / (int)(hi_decade - lo_decade);
    printf("%s\n%s\n\n", title, subtitle);
    put_text_axis(label_w, per_decade);
    for (int i = 0; i < nrows; i++) {
        int bar = column_of(rows[i].median, per_decade);
        printf("%-*s", label_w, rows[i].label);
        for (int col = 0; col < (bar > 1 ? bar : 1); col++)
            putchar('#');
        putchar(' ');
        put_number(rows[i].median);
        putchar('\n');
    }
    return 0;
}

int main(int argc, char **argv)
{
    bool text = argc > 1 && strcmp(argv[1], "--text") == 0;
    if (argc != 3 + text) {
        fprintf(stderr, "usage: chart [--text] TITLE SUBTITLE < rows > "
                        "chart.svg\n");
        return 2;
    }
    argv += text;
    read_rows();
    if (nrows == 0) {
        fprintf(stderr, "chart: no rows to draw\n");
        return 1;
    }
    find_axis();
    if (text)
        return draw_text(argv[1], argv[2]);
    int width = LABEL_W + PLOT_W + 60, height = TOP + nrows * ROW_H + 40;
    printf("<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d' "
           "font-family='sans-serif' font-size='12'>\n", width, height);
    printf("<rect width='100%%' height='100%%' fill='white'/>\n");
    printf("<text x='10' y='18' font-size='15' font-weight='bold'>");
    put_text(argv[1]);
    printf("</text>\n<text x='10' y='34' fill='#555'>");
    put_text(argv[2]);
    printf("</text>\n");
    draw_axis(height - 20);
    for (int i = 0; i < nrows; i++)
        draw_row(i);
    printf("<text x='10' y='%d' fill='#555'>bars: median; lines: min to max;"
           " orange: the kit, blue: its peers, grey: a plain call</text>\n",
           height - 8);
    printf("</svg>\n");
    return 0;
}
