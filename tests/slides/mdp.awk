# tests/slides/mdp.awk - how mdp 1.0.15 lays out each slide of a deck.
#
#   tools/slides-for-mdp --map DECK.md |
#       awk -v W=80 -v H=24 -f tests/slides/mdp.awk
#
# reads the deck as `make slides` gives it to mdp (each line led by its
# line number in DECK.md and a tab) and prints the records that
# tests/slides/patat.awk describes (title, slide, row, rows, markup, model).
# With -v lengths=1 it also prints "length LINE N", N being the length
# mdp computes for the line: `mdp -d -d` prints the same, to compare.
#
# It follows the rules written down in tests/check-slides.

BEGIN { FS = "\t"; if (W == "") W = 80; if (H == "") H = 24
        special = "\\*_`!["; marks = "\\*_`"; CODE_INDENT = 4 }
{
    at = $1; text = substr($0, length($1) + 2)
    gsub(/\t/, "    ", text)               # mdp expands a tab to 4 blanks
    if (pending != "") { text = pending text; at = pending_at; pending = "" }
    if (runs_on(text)) { pending = text "\n"; pending_at = at; next }
    load(at, text)
}

# mdp reads a backslash and the character after it as one, when the
# line so far is not indented 4: a backslash at the end of a line takes
# the newline, and the next line becomes part of this one (in code too).
function runs_on(s,   k) {
    for (k = 1; k <= length(s); k++)
        if (substr(s, k, 1) == "\\" &&
            nonblank(substr(s, 1, k - 1), 0) < CODE_INDENT) {
            if (k == length(s)) return 1
            k++
        }
    return 0
}
END { finish() }

function has(bits, b) { return index(bits, " " b " ") > 0 }
function alnum(c) { return c ~ /^[A-Za-z0-9]$/ }
function space(c) { return c == " " }

# ------------------------------------------------------------- reading
# One line of the deck, as mdp's markdown_load takes it.
function load(at, text,   bits) {
    prev_bits = bits_now
    bits = analyse(text, prev_bits)
    bits_now = bits
    text = T                                # analyse may have trimmed it
    if (nlines == 0 && has(bits, "HR")) return
    if (nlines > 0 && has(bits, "STOP")) {
        lbits[nlines] = lbits[nlines] "STOP "; return
    }
    if (has(bits, "HR") && has(lbits[nlines], "EMPTY")) {
        slides++; first_of[slides] = nlines + 1; slide_at[slides] = at + 1
        return
    }
    if ((has(bits, "TILDE") || has(bits, "GFM")) && has(bits, "EMPTY")) return
    if (slides == 0) { slides = 1; first_of[1] = 1; slide_at[1] = at }
    nlines++
    ltext[nlines] = text; lbits[nlines] = bits; lat[nlines] = at
    lslide[nlines] = slides
}

# mdp's markdown_analyse: what kind of line this is.  Sets T to the text
# as mdp keeps it (trailing blanks gone, centering marks gone).
function analyse(text, prev,   bits, offset, eol, i, c, equals, hashes,
                 stars, minus, spaces, other, list_offset, n) {
    T = text
    list_offset = level_offset[list_level]
    if (text == "") return " EMPTY " (tildes ? "CODE " : "")
    offset = nonblank(text, 0)
    if (substr(text, 1, 3) == "~~~") {
        n = run_of(text, "~")
        if (n >= tildes) { tildes = tildes ? 0 : n; return " EMPTY TILDE " }
    }
    if (tildes) return " CODE TILDE "
    if (substr(text, 1, 3) == "```") {
        n = run_of(text, "`")
        if (n >= ticks) { ticks = ticks ? 0 : n; return " EMPTY GFM " }
    }
    if (ticks) return " CODE GFM "
    if ((offset < CODE_INDENT || !has(prev, "CODE")) &&
        (substr(text, offset + 1, 4) == "<br>" ||
         substr(text, offset + 1, 4) == "<BR>" ||
         substr(text, offset + 1, 1) == "^")) return " STOP "
    # mdp stops looking at trailing blanks, but keeps them: they count
    # in the line's length and are printed.
    T = text
    if (offset < length(text)) sub(/[ ]+$/, "", text)
    bits = " "
    c = substr(text, offset + 1, 1)
    if (length(text) >= offset + 2 && (c == "*" || c == "-") &&
        space(substr(text, offset + 2, 1))) {
        if (offset != list_offset) {
            for (i = list_level; i >= 0; i--)
                if (level_offset[i] == offset) { list_level = i; break }
            if (i != list_level) {
                list_level = list_level + 1 > 3 ? 3 : list_level + 1
                level_offset[list_level] = offset
            }
        }
        if (list_level == 0) { list_level = 1; level_offset[1] = offset }
        bits = bits "LIST" list_level " "
    }
    if (bits == " ") {
        if (prev ~ / LIST[123] / && offset >= list_offset) {
            bits = bits "LIST" list_level " EXT "
        } else list_level = 0
    }
    if (bits ~ / LIST/) return bits
    if (offset >= CODE_INDENT &&
        (has(prev, "EMPTY") || has(prev, "CODE") || has(prev, "STOP")))
        return bits "CODE "
    if (c == ">") bits = bits "QUOTE "
    if (substr(text, offset + 1, 3) ~ /^->[ ]/) {
        bits = bits "CENTER "
        text = substr(text, 1, offset) substr(text, offset + 4)
        if (text ~ / <-$/) { text = substr(text, 1, length(text) - 3)
                             sub(/[ ]+$/, "", text) }
        T = text
    }
    eol = length(text)
    for (i = offset + 1; i <= eol; i++) {
        c = substr(text, i, 1)
        if (c == " ") spaces++
        else if (c == "=") equals++
        else if (c == "#") hashes++
        else if (c == "*") stars++
        else if (c == "-") minus++
        else if (c == "\\") { other++; i++ }
        else other++
    }
    if (equals > 0 && hashes + stars + minus + spaces + other == 0)
        bits = bits "H1 "
    c = substr(text, offset + 1, 3)
    if (c ~ /^# /) bits = bits "H1 H1ATX "
    if (minus > 0 && equals + hashes + stars + spaces + other == 0)
        bits = bits "H2 "
    if (c ~ /^## /) bits = bits "H2 H2ATX "
    if ((minus >= 3 && equals + hashes + stars + other == 0) ||
        (stars >= 3 && equals + hashes + minus + other == 0))
        bits = bits "HR "
    if (other == 0) bits = bits "EMPTY "
    return bits
}
# mdp's next_nonblank and next_blank: 0-based, as in its C.
function nonblank(s, i) {
    while (i < length(s) && space(substr(s, i + 1, 1))) i++
    return i
}
function nonblank_end(s, i) {
    while (i < length(s) && !space(substr(s, i + 1, 1))) i++
    return i
}
function run_of(s, c,   n) {
    n = 0
    while (substr(s, n + 1, 1) == c) n++
    return n
}

# ------------------------------------------------------------- the deck
function finish(   i, k, s) {
    if (slides == 0) { print "title\t"; return }
    headers = 0
    for (i = 1; i <= nlines && lslide[i] == 1 && ltext[i] ~ /^%/; i++)
        header[++headers] = ltext[i]
    if (i > nlines) headers = 0             # only header lines: not a header
    else start = headers + 1
    if (!headers) start = 1
    s = headers ? header[1] : ""
    if (s != "") { k = index(s, " "); s = k ? substr(s, k + 1) : "" }
    printf "title\t%s\n", s
    merge_setext()
    carry_list_levels()
    bar_top = headers > 0; bar_bottom = 1
    widest = 0
    for (i = start; i <= nlines; i++) measure(i)
    x = int((W - widest) / 2)
    for (k = 1; k <= slides; k++) show_slide(k)
}

# A --- or === line under text makes it a heading, and goes.
function merge_setext(   i) {
    for (i = start + 1; i <= nlines; i++)
        if (lbits[i] ~ / H[12] / && has(lbits[i], "EMPTY") &&
            !has(lbits[i - 1], "EMPTY") && lslide[i] == lslide[i - 1]) {
            lbits[i - 1] = lbits[i - 1] (has(lbits[i], "H1") ? "H1 " : "H2 ")
            gone[i] = 1
        }
}

# An item's outer levels show a | down to its level's next item.
function carry_list_levels(   i, j, last, lv) {
    for (lv = 1; lv <= 3; lv++)
        for (i = start; i <= nlines; i++) {
            if (gone[i] || !has(lbits[i], "LIST" lv)) continue
            last = i
            for (j = i + 1; j <= nlines && deeper(lbits[j], lv); j++)
                if (has(lbits[j], "LIST" lv)) last = j
            for (j = i; j < last; j++)
                if (!has(lbits[j], "LIST" lv)) lbits[j] = lbits[j] "LIST" lv " "
            i = last
        }
}

function deeper(b, lv) {
    return has(b, "LIST3") || (lv <= 2 && has(b, "LIST2")) ||
           (lv == 1 && has(b, "LIST1"))
}

# A line's length as mdp counts it, and the rows it is counted as.
function measure(i,   s, k, c, top, l, n, rows, off, part) {
    if (gone[i]) return
    s = ltext[i]; l = 0; n = 0
    for (k = 1; k <= length(s); k++) {
        c = substr(s, k, 1)
        if (index(marks, c)) {
            if (n && st[n] == c) { if (c == "\\") l++; n-- }
            else if (n && st[n] == "\\") { l++; n-- }
            else st[++n] = c
        } else {
            if (n && st[n] == "\\") n--
            if (c !~ /[\200-\277]/) l++   # mdp counts characters, not bytes
        }
    }
    if (has(lbits[i], "H1ATX")) l -= 2
    if (has(lbits[i], "H2ATX")) l -= 3
    len[i] = l; rows = 1
    if (s ~ /\]\(/) {
        rows++
        note("model", lat[i], "a link: mdp lists its url below; not measured")
    }
    part = l; off = 0
    while (part > W) {
        part = prev_blank(s, off + W) - off
        if (part <= 0) {
            note("markup", lat[i], "a word longer than " W \
                 " columns: mdp refuses to start")
            part = 0; break
        }
        if (part > widest) widest = part
        off = prev_blank(s, off + W)
        part = l - off
        rows++
    }
    if (part > widest) widest = part
    line_rows[i] = rows
}
function prev_blank(s, i) {
    while (i > 0 && substr(s, i + 1, 1) != " ") i--
    return i
}
# Columns on screen: a character of UTF-8 is one column however many
# bytes it takes (wide characters, which take two, are not told apart).
function cols(s) { gsub(/[\200-\277]/, "", s); return length(s) }
function note(kind, at, what) { printf "%s\t%d\t%s\n", kind, at, what }

# -------------------------------------------------------------- a slide
function show_slide(k,   i, from, to, lc, heading, s, w, r) {
    from = first_of[k]; if (from < start) from = start
    to = k < slides ? first_of[k + 1] - 1 : nlines
    heading = ""                 # named as tests/slides/patat.awk names it
    for (i = from; i <= to; i++)
        if (ltext[i] ~ /^#+[ \t]/) { heading = ltext[i]; break }
    sub(/^#+[ \t]+/, "", heading)
    printf "slide\t%d\t%d\t%s\n", k, from <= to ? lat[from] : slide_at[k],
           heading
    lc = 0
    for (i = from; i <= to; i++) {
        if (gone[i]) continue
        lc += line_rows[i]
        if (lengths) printf "length\t%d\t%d\n", lat[i], len[i]
        s = shown(i)
        if (index(s, "\n")) {
            note("markup", lat[i], "a line ending in \\ runs into the next:" \
                 " mdp shows both garbled")
            s = substr(s, 1, index(s, "\n") - 1)
        }
        w = x + cols(s)
        if (has(lbits[i], "CODE") && x + widest > w) w = x + widest
        printf "row\t%d\t%d\t%s\n", lat[i], w, sprintf("%" x "s", "") s
        for (r = int(len[i] / W); r > 0; r--)     # mdp moves on a row per W
            printf "row\t%d\t0\t\n", lat[i]
        literal_markup(i, s)
    }
    printf "rows\t%d\n", lc + bar_top + bar_bottom
}

# What mdp prints for line i (mdp's add_line), without the deck's shift.
function shown(i,   s, b, off, lead, rest) {
    s = ltext[i]; b = lbits[i]
    if (s == "") return ""
    if (b ~ / LIST[123] /) {
        off = nonblank(s, 0)
        lead = ""
        if (has(b, "LIST3")) {
            lead = (has(b, "LIST1") ? " |  " : "    ")
            lead = lead (has(b, "LIST2") ? " |  " : "    ") list_tail(i, 3, b)
        } else if (has(b, "LIST2")) {
            lead = (has(b, "LIST1") ? " |  " : "    ") list_tail(i, 2, b)
        } else lead = list_tail(i, 1, b)
        if (!has(b, "EXT")) off += 2
        if (has(b, "CODE")) return lead
        return lead inline(substr(s, off + 1))
    }
    if (has(b, "CODE"))
        return has(b, "TILDE") || has(b, "GFM") ? s : substr(s, CODE_INDENT + 1)
    if (has(b, "QUOTE")) {
        off = 0; lead = ""
        while (substr(s, off + 1, 1) == ">") {
            lead = lead "  "; off++
            if (substr(s, off + 1, 1) == " ") off = nonblank(s, off)
        }
        return lead inline(substr(s, off + 1))
    }
    if (has(b, "CENTER") && len[i] < widest)
        lead = sprintf("%" int((widest - len[i]) / 2) "s", "")
    if (b ~ / H[12] /) {
        off = 0
        while (substr(s, off + 1, 1) == "#")
            off = nonblank(s, nonblank_end(s, off))
        return lead substr(s, off + 1)
    }
    return lead inline(s)
}
# The head of an item, or the | that carries an item's text down.
function list_tail(i, lv, b) {
    if (!has(b, "EXT")) return " +- "
    return (i < nlines && has(lbits[i + 1], "LIST" lv)) ? " |  " : "    "
}

# mdp's inline_display: which marks it takes, which it shows.
function inline(s,   out, k, c, n, prev, prev2, rest, j) {
    out = ""; n = 0
    for (k = 1; k <= length(s); k++) {
        c = substr(s, k, 1)
        if (!index(special, c)) {
            if (n && st[n] == "\\") n--
            out = out c; continue
        }
        if (n && st[n] == c &&
            (!alnum(substr(s, k + 1, 1)) || k == length(s) || c == "\\")) {
            if (c == "\\") out = out c
            n--; continue
        }
        if (n && st[n] == "\\") { out = out c; n--; continue }
        prev = k > 1 ? substr(s, k - 1, 1) : ""
        prev2 = k > 2 ? substr(s, k - 2, 1) : ""
        if (k == 1 || space(prev) ||
            ((prev == "*" || prev == "_") && (k == 2 || space(prev2))) ||
            c == "\\") {
            rest = substr(s, k)
            if ((c == "[" && index(rest, "]")) ||
                (c == "!" && substr(rest, 2, 1) == "[" && index(rest, "]"))) {
                if (c == "!") { k++; rest = substr(s, k) }
                j = index(rest, "]")
                if (substr(rest, j + 1, 1) == "(" && index(rest, ")")) {
                    out = out substr(rest, 2, j - 2) " [" (links++) "]"
                    k += index(rest, ")") - 1
                    st[++n] = ")"
                    continue
                }
                out = out "["
            }
            st[++n] = substr(s, k, 1)
            continue
        }
        out = out c
    }
    return out
}

# Markdown that mdp shows as typed.
function literal_markup(i, s,   b) {
    b = lbits[i]
    if (has(b, "CODE")) return
    if (ltext[i] ~ /^ *\|? *:?---*:? *\|/ && index(ltext[i], "|"))
        note("markup", lat[i], "a table shows as raw |---| markup")
    else if (b ~ / H[12] / && index(s, "`"))
        note("markup", lat[i], "a heading shows its backticks")
    else if (index(s, "`"))
        note("markup", lat[i], "a stray backtick shows as text")
    if (index(s, "<!--") || index(s, "-->"))
        note("markup", lat[i], "an HTML comment shows as text")
    if (ltext[i] ~ /^ *###/)
        note("markup", lat[i], "a ### heading shows its hashes")
}
