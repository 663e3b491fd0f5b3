# tests/slides/fit.awk - which slides do not fit the terminal.
#
#   awk -v W=80 -v H=24 -v who=patat -v deck=SLIDES.md -f tests/slides/fit.awk RENDER
#
# reads what tests/slides/patat.awk or tests/slides/mdp.awk says each
# slide puts on the screen, and prints one line for each slide that does
# not fit W columns and H rows or shows markup as text:
#   slide 5 "setjmp and longjmp" patat: 29 rows, 24 fit; SLIDES.md:78-86 are 83 columns
# then, as its last line, "who: N of M slides do not fit" (and whether
# the deck has a title).  Notes on what the model does not follow
# exactly come after, led by "note:".  Exit status 1 when a slide does
# not fit or the deck has no title.
BEGIN { FS = "\t"; bad = 0; slides = 0 }
$1 == "title" { title = $2; if (length(title) > W) deck_says = "the title is " length(title) " columns" }
$1 == "slide" { done(); open_slide($2, $4); next }
$1 == "row"   { row($2, $3); next }
$1 == "rows"  { need = $2; next }
$1 == "markup" { add_markup($2, $3); next }
$1 == "model" { notes = notes sprintf("note: slide %d, %s:%d: %s (%s)\n", number, deck, $2, $3, who) }
END {
    done()
    if (who == "mdp" && most > H)
        printf "%s: refuses to start at %dx%d: slide %d needs %d rows\n", who, W, H, most_at, most
    if (title == "")
        printf "%s: the deck has no title (%s)\n", who,
               who == "patat" ? "patat shows the file name on every slide" : "mdp shows none"
    printf "%s", notes
    printf "%s at %dx%d: %d of %d slides do not fit%s\n", who, W, H, bad, slides,
           title == "" ? "; no title" : ""
    exit (bad > 0 || title == "")
}

function open_slide(n, heading) {
    number = n; name = heading; need = 0; slides++
    wide = ""; run_from = 0; what = ""; delete said
}
function row(line, width) {
    if (width + 0 > W) {
        if (run_from && width == run_width && line <= run_to + 1) { run_to = line; return }
        flush_run()
        run_from = line; run_to = line; run_width = width
    } else if (run_from && line > run_to) flush_run()
}
function flush_run() {
    if (!run_from) return
    if (run_to > run_from)
        wide = wide sprintf("; %s:%d-%d are %d columns", deck, run_from, run_to, run_width)
    else
        wide = wide sprintf("; %s:%d is %d columns", deck, run_from, run_width)
    run_from = 0
}
function add_markup(line, text) {
    if ((line, text) in said) return
    said[line, text] = 1
    what = what sprintf("; %s:%d: %s", deck, line, text)
}
function done(   problems) {
    if (!number) return
    flush_run()
    if (need > most) { most = need; most_at = number }
    problems = ""
    if (need > H) problems = sprintf("; %d rows, %d fit", need, H)
    problems = problems wide what
    if (problems == "") return
    bad++
    printf "slide %d \"%s\" %s: %s\n", number, name, who, substr(problems, 3)
}
