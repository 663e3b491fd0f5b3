# tests/slides/fit.awk - which slides do not fit the terminal.
#
#   awk -v W=80 -v H=24 -v who=patat -v deck=SLIDES.md \
#       -f tests/slides/fit.awk RENDER
#
# reads what tests/slides/patat.awk or mdp.awk says each slide puts on the
# screen, and prints one line for each slide that does not fit W columns
# and H rows, or shows markup as text:
#   slide 5 "setjmp and longjmp" patat: 29 rows, 24 fit; SLIDES.md:78-86
#   are 83 columns
# (on one line), then the deck's own problems (mdp refusing it, no
# title), notes on what the model does not follow exactly ("note:"), and
# last "WHO at WxH: N of M slides do not fit".  Exit status 1 when a
# slide does not fit or the deck has no title.
BEGIN { FS = "\t"; bad = 0; slides = 0; notes = ""; deck_problems = "" }
$1 == "title" { title = $2; next }
$1 == "slide" { done(); open_slide($2, $4); next }
$1 == "row"   { row($2, $3); next }
$1 == "rows"  { need = $2; next }
$1 == "markup" { markup($2, $3); next }
$1 == "model" {
    notes = notes sprintf("note: slide %d, %s:%d: %s (%s)\n",
                          number, deck, $2, $3, who)
}
END {
    done()
    if (slides == 0) {                   # the model found nothing: broken
        printf "%s: no slides in %s\n", who, deck
        exit 1
    }
    if (who == "mdp" && most > H)
        deck_problem(sprintf("refuses to start at %dx%d:" \
                             " slide %d needs %d rows", W, H, most_at, most))
    shows = who == "patat" ? "patat shows the file name on every slide" \
                           : "mdp shows none"
    if (title == "")
        deck_problem("the deck has no title (" shows ")")
    else if (cols(title) > W)
        deck_problem("the title is " cols(title) " columns")
    printf "%s%s", deck_problems, notes
    printf "%s at %dx%d: %d of %d slides do not fit%s\n", who, W, H, bad,
           slides, title == "" ? "; no title" : ""
    exit (bad > 0 || deck_problems != "")
}

function cols(s) { gsub(/[\200-\277]/, "", s); return length(s) }
function deck_problem(what) { deck_problems = deck_problems who ": " what "\n" }

function open_slide(n, heading) {
    number = n; name = heading; need = 0; slides++
    wide = ""; run_from = 0; said_markup = ""
}

# Lines wider than W, in runs of neighbours as wide (a code block's).
function row(line, width) {
    if (width + 0 > W) {
        if (run_from && width == run_width && line <= run_to + 1) {
            run_to = line; return
        }
        flush_run()
        run_from = line; run_to = line; run_width = width
    } else if (run_from && line > run_to) flush_run()
}
function flush_run() {
    if (!run_from) return
    if (run_to > run_from)
        wide = wide sprintf("; %s:%d-%d are %d columns",
                            deck, run_from, run_to, run_width)
    else
        wide = wide sprintf("; %s:%d is %d columns", deck, run_from, run_width)
    run_from = 0
}
function markup(line, text,   one) {
    one = sprintf("; %s:%d: %s", deck, line, text)
    if (index(said_markup, one)) return
    said_markup = said_markup one
}

function done(   problems, n) {
    if (!number) return
    n = number; number = 0
    flush_run()
    if (need > most) { most = need; most_at = n }
    problems = ""
    if (need > H) problems = sprintf("; %d rows, %d fit", need, H)
    problems = problems wide said_markup
    if (problems == "") return
    bad++
    printf "slide %d \"%s\" %s: %s\n", n, name, who, substr(problems, 3)
}
