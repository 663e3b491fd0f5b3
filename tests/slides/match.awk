# tests/slides/match.awk - does a captured screen show the whole slide?
#
#   awk -v who=patat -v number=5 -v name=HEADING -v deck=SLIDES.md \
#       -v title=TITLE -v top=1 -v bottom=22 -f tests/slides/match.awk \
#       EXPECTED SCREEN
#
# EXPECTED holds the slide's rows as the model lays them out ("LINE<tab>
# TEXT", LINE its line in the deck); SCREEN the H rows tmux captured.
# The slide is shown whole when row 1 holds the deck's title (unless
# title is "-": no title row) and every row the slide prints is a row of
# the screen between rows top and bottom, in order, blanks aside (colour
# and padding do not show in a capture, and a presenter may shift the
# slide sideways), each as far below the one before as the model says.
# A line the terminal wrapped, or one that scrolled away, is on no row;
# a line whose background padding wrapped leaves an extra row behind it
# and pushes what follows down.  Prints one line if anything is amiss,
# naming the lines.
BEGIN { FS = "\t" }
FNR == NR { rowno++
            if ($2 ~ /[^ ]/) {
                want[++n] = squeeze($2); at[n] = $1; index_of[n] = rowno
            }
            next }
{ screen[FNR] = $0 }
END {
    m = 0
    for (r = top; r <= bottom; r++)
        if (screen[r] ~ /[^ ]/) {
            got[++m] = squeeze(screen[r]); row_of[m] = r
        }
    j = 1; missing = ""; from = 0; last = 0; lower = ""; low_from = 0
    for (i = 1; i <= n; i++) {
        for (p = j; p <= m && got[p] != want[i]; p++) ;
        if (p > m) {
            if (!from) from = at[i]
            to = at[i]
            continue
        }
        j = p + 1; close_run("not on the screen whole")
        # Rows the slide does not have (a wrapped line's tail) push it down.
        if (last && row_of[p] - last_row > index_of[i] - index_of[last]) {
            if (!low_from) low_from = at[i]
            low_to = at[i]
        } else close_low()
        last = i; last_row = row_of[p]
    }
    close_run("not on the screen whole"); close_low()
    problems = ""
    if (title != "-" && squeeze(screen[1]) != squeeze(title)) {
        # Lines missing, a blank row 1, or one of the slide's own lines
        # there: the slide ran over and scrolled the title away.
        for (i = 1; i <= n && want[i] != squeeze(screen[1]); i++) ;
        if (missing lower != "" || screen[1] !~ /[^ ]/ || i <= n)
            problems = "; the title has scrolled off row 1"
        else
            problems = "; row 1 shows \"" trim(screen[1]) "\", not the title"
    }
    problems = problems missing lower
    if (problems != "")
        printf "slide %d \"%s\" %s (live): %s\n", number, name, who,
               substr(problems, 3)
}
function close_run(what) {
    if (!from) return
    missing = missing "; " lines(from, to) " " what
    from = 0
}
function close_low() {
    if (!low_from) return
    lower = lower "; " lines(low_from, low_to) " pushed down by wrapped rows"
    low_from = 0
}
function lines(a, b) {
    return a == b ? sprintf("%s:%d", deck, a) : sprintf("%s:%d-%d", deck, a, b)
}
function squeeze(s) { gsub(/[ \t]+/, "", s); return s }
function trim(s) { sub(/^ +/, "", s); sub(/ +$/, "", s); return s }
