# tests/slides/patat.awk - how patat 0.8.8 lays out each slide of a deck.
#
#   awk -v W=80 -f tests/slides/patat.awk DECK.md
#
# prints, for tests/slides/fit.awk and tests/slides/live, what each slide
# puts on the screen, one tab-separated record a line:
#   title  TEXT                 the deck's title, on the top row
#   slide  N  LINE  HEADING     slide N starts at line LINE of the deck
#   row    LINE  WIDTH  TEXT    one line the slide prints: WIDTH columns
#                               (background padding included), TEXT what
#                               shows of them (no colour)
#   rows   N                    screen rows the slide needs, top row to
#                               bottom row, before anything scrolls away
#   markup LINE  WHAT           markup patat shows as text, or eats
#   model  LINE  WHAT           something this model does not follow
#                               exactly: trust the live check there
#
# It follows the rules written down in tests/check-slides.

BEGIN {
    FS = "\n"; if (W == "") W = 80
    punctuation = "[][!\"#$%&'()*+,.\\/:;<=>?@^_`{|}~-]"   # what \ escapes
}
{ src[NR] = $0 }
END {
    n = NR; first = 1; title = ""
    if (src[1] == "---") first = front_matter()
    printf "title\t%s\n", title == "" ? "" : inline(title)
    split_slides(first)
}

# The YAML block: the title, with its quotes taken off.
function front_matter(   i, v) {
    for (i = 2; i <= n; i++) {
        if (src[i] == "---" || src[i] == "...") return i + 1
        if (src[i] ~ /^title:/) {
            v = src[i]; sub(/^title:[ \t]*/, "", v)
            if (v ~ /^".*"$/ || v ~ /^\047.*\047$/)
                v = substr(v, 2, length(v) - 2)
            title = v
        }
    }
    return 1
}

# Columns on screen: a character of UTF-8 is one column however many
# bytes it takes (wide characters, which take two, are not told apart).
function cols(s) { gsub(/[\200-\277]/, "", s); return length(s) }

function is_rule(s) { return s ~ /^ ? ? ?(---+|\*\*\*+|___+)[ \t]*$/ }
function is_fence(s) { return s ~ /^ ? ? ?(```|~~~)/ }
function blank(s) { return s ~ /^[ \t]*$/ }

# Cut the deck at its rules; lay out each piece.
function split_slides(from,   i, start, fence, inside, number) {
    start = from; fence = 0; inside = 0; number = 0
    for (i = from; i <= n; i++) {
        if (!fence && !inside && index(src[i], "<!--") == 1 &&
            index(src[i], "-->") == 0) { inside = 1; continue }
        if (inside) { if (index(src[i], "-->")) inside = 0; continue }
        if (is_fence(src[i])) { fence = !fence; continue }
        if (fence || !is_rule(src[i])) continue
        if (i > from && !blank(src[i - 1])) continue  # a heading's underline
        layout(++number, start, i - 1)
        start = i + 1
    }
    layout(++number, start, n)
    if (number == 1)
        note("model", from, "no --- rules: patat cuts such a deck at its" \
             " headings, which this model does not")
}

# ---------------------------------------------------------------- output
function emit(line, width, text) {
    if (blocks_out && !started_block) {
        printf "row\t%d\t0\t\n", line; rows_used++
    }
    started_block = 1
    printf "row\t%d\t%d\t%s\n", line, width, text
    rows_used += width <= W ? 1 : int((width + W - 1) / W)
}
function emit_blank(line) {
    printf "row\t%d\t0\t\n", line; rows_used++
}
function begin_block() { started_block = 0 }
function end_block() { if (started_block) blocks_out++ }
function note(kind, line, what) { printf "%s\t%d\t%s\n", kind, line, what }

# ------------------------------------------------------------- one slide
function layout(number, from, to,   i, heading) {
    heading = ""
    for (i = from; i <= to; i++)
        if (src[i] ~ /^#+[ \t]/) { heading = src[i]; break }
    sub(/^#+[ \t]+/, "", heading)
    if (!has_content(from, to)) {
        printf "slide\t%d\t%d\t%s\n", number, from, heading
        note("model", from, "a slide with no content: patat leaves it out")
        printf "rows\t0\n"
        return
    }
    printf "slide\t%d\t%d\t%s\n", number, from, heading
    rows_used = 0; blocks_out = 0; nlinks = 0
    i = from
    while (i <= to) i = block(i, to)
    if (nlinks) {
        emit_blank(to)
        for (i = 1; i <= nlinks; i++)
            printf "row\t%d\t%d\t%s\n", link_line[i], cols(link[i]), link[i]
        rows_used += nlinks
    }
    printf "rows\t%d\n", rows_used + 4
}

function has_content(from, to,   i, inside) {
    inside = 0
    for (i = from; i <= to; i++) {
        if (inside) { if (index(src[i], "-->")) inside = 0; continue }
        if (index(src[i], "<!--") == 1) {
            if (!index(src[i], "-->")) inside = 1
            else if (src[i] !~ /-->[ \t]*$/) return 1
            continue
        }
        if (!blank(src[i])) return 1
    }
    return 0
}

# Lay out the block that starts at line i; return the line after it.
function block(i, to,   s) {
    s = src[i]
    if (blank(s)) return i + 1
    if (index(s, "<!--") == 1) return comment(i, to)
    if (s ~ /^ ? ? ?<[A-Za-z\/]/) {
        note("markup", i, "raw HTML shows as text")
        return paragraph(i, to)
    }
    if (is_fence(s)) return fenced(i, to)
    if (s ~ /^    / ) return indented(i, to)
    if (s ~ /^#+[ \t]/ || s ~ /^#+$/) return heading(i)
    if (s ~ /^ ? ? ?[-*+][ \t]/) return list(i, to, 0)
    if (s ~ /^ ? ? ?[0-9]+[.)][ \t]/) return list(i, to, 1)
    if (s ~ /^ ? ? ?>/) return quote(i, to)
    if (s ~ /^ ? ? ?\|/ && i < to && is_separator(src[i + 1]))
        return table(i, to)
    return paragraph(i, to)
}

function comment(i, to) {
    while (i <= to && !index(src[i], "-->")) i++
    if (i <= to && src[i] !~ /-->[ \t]*$/)
        note("markup", i, "text after a comment's end shows with the comment")
    return i + 1
}

function heading(i,   s, hashes) {
    s = src[i]; hashes = s; sub(/[ \t].*/, "", hashes)
    s = substr(s, length(hashes) + 1)
    sub(/^[ \t]+/, "", s); sub(/[ \t]+#+[ \t]*$/, "", s); sub(/[ \t]+$/, "", s)
    s = hashes " " inline_line(s, i)
    begin_block(); emit(i, cols(s), s); end_block()
    return i + 1
}

# A paragraph runs to the next blank line or code fence.
function paragraph(i, to,   j, k, text, m, out, first) {
    text = ""; first = i
    for (j = i; j <= to && !blank(src[j]); j++) {
        if (j > i && is_fence(src[j])) break
        if (j > i && is_rule(src[j]) && !blank(src[j - 1]))
            note("model", j, "--- under text: pandoc makes the text a heading")
        text = text (j > i ? "\n" : "") strip(src[j])
    }
    if (text ~ /^%/)
        note("markup", i, "a % line shows as text" \
             " (patat reads the title from YAML)")
    m = split(inline(text, i), out, "\n")
    begin_block()
    for (k = 1; k <= m; k++) emit(first + k - 1, cols(out[k]), out[k])
    end_block()
    return j
}

function strip(s) {
    sub(/^[ \t]+/, "", s); sub(/[ \t]+$/, "", s)
    if (s ~ /\\$/) s = substr(s, 1, length(s) - 1)   # a hard line break
    return s
}

# Code: 3 columns in, a column of background each side, padded to the
# widest line, a background row above and below.
function fenced(i, to,   j, fence, m) {
    fence = src[i]; sub(/^ */, "", fence); fence = substr(fence, 1, 3)
    m = 0
    for (j = i + 1; j <= to && index(strip_lead(src[j]), fence) != 1; j++)
        code_line[++m] = src[j]
    code_at = i + 1
    code_block(m)
    return j + 1
}
function strip_lead(s) { sub(/^ +/, "", s); return s }
function indented(i, to,   j, m, last) {
    m = 0
    for (j = i; j <= to && (src[j] ~ /^    / || blank(src[j])); j++)
        code_line[++m] = substr(src[j], 5)
    while (m > 0 && blank(code_line[m])) { m--; j-- }
    code_at = i
    code_block(m)
    return j
}
function code_block(m,   k, widest, s) {
    widest = 0
    for (k = 1; k <= m; k++) {
        if (index(code_line[k], "\t"))
            note("model", code_at + k - 1, "a tab: counted as one column")
        if (cols(code_line[k]) > widest) widest = cols(code_line[k])
    }
    begin_block()
    emit(code_at - 1, widest + 5, "")
    for (k = 1; k <= m; k++) {
        s = "    " code_line[k]
        emit(code_at + k - 1, widest + 5, s)
    }
    emit(code_at + m, widest + 5, "")
    end_block()
}

# Lists: items, their lazy continuation lines, nested items 4 deeper.
function list(i, to, ordered,   j, s, lead, base, level, number, loose,
              m, k, blank_before, indent, text) {
    m = 0; loose = 0; blank_before = 0
    base = src[i]; sub(/[^ ].*/, "", base); base = length(base)
    number = src[i]; sub(/^ */, "", number); sub(/[.)].*/, "", number)
    for (j = i; j <= to; j++) {
        s = src[j]
        if (blank(s)) { blank_before = 1; continue }
        lead = s; sub(/[^ ].*/, "", lead); indent = length(lead)
        if (is_item(s, ordered) && indent < base + 4) {
            level = 1
        } else if ((s ~ /^ *[-*+][ \t]/ || s ~ /^ *[0-9]+[.)][ \t]/) &&
                   indent >= base + 4) {
            level = 1 + int((indent - base) / 4)
            note("model", j, "a nested list: rows may differ")
        } else if (blank_before && indent >= base + 2) {
            item_kind[++m] = "para"; item_line[m] = j
            item_text[m] = strip(s); item_level[m] = level
            loose = 1; blank_before = 0
            continue
        } else if (!blank_before && !is_fence(s) && !is_rule(s)) {
            item_kind[++m] = "more"; item_line[m] = j
            item_text[m] = strip(s); item_level[m] = level
            continue
        } else break
        if (blank_before && m > 0) loose = 1
        blank_before = 0
        text = s; sub(/^ *([-*+]|[0-9]+[.)])[ \t]+/, "", text)
        item_kind[++m] = "item"; item_line[m] = j; item_level[m] = level
        item_text[m] = strip(text)
    }
    begin_block()
    for (k = 1; k <= m; k++) {
        if (loose && k > 1 && item_kind[k] != "more")
            emit_blank(item_line[k])
        s = list_lead(item_kind[k], item_level[k], ordered, number)
        if (item_kind[k] == "item" && item_level[k] == 1) number++
        s = s inline_line(item_text[k], item_line[k])
        emit(item_line[k], cols(s), s)
    }
    if (loose) emit_blank(item_line[m])
    end_block()
    return j
}
function is_item(s, ordered) {
    return ordered ? s ~ /^ *[0-9]+[.)][ \t]/ : s ~ /^ *[-*+][ \t]/
}
function list_lead(kind, level, ordered, number,   pad, mark) {
    pad = sprintf("%" (4 * (level - 1)) "s", "")
    if (kind != "item") return pad "    "
    if (ordered && level == 1) return sprintf("%-4s", number ".")
    mark = (level % 2) ? "-" : "*"
    return pad "  " mark " "
}

function quote(i, to,   j, s, text) {
    begin_block()
    for (j = i; j <= to && !blank(src[j]); j++) {
        s = src[j]; sub(/^ *> ?/, "", s)
        if (s ~ /^ *>/) note("model", j, "a nested quote: rows may differ")
        s = "> " inline_line(strip(s), j)
        emit(j, cols(s), s)
    }
    end_block()
    return j
}

# ----------------------------------------------------------------- tables
function is_separator(s) {
    return s ~ /^ *\|? *:?-+:? *(\| *:?-+:? *)*\|? *$/ && index(s, "-")
}
function cells(s, into,   m, k, c, out, code) {
    sub(/^ *\|/, "", s); sub(/\| *$/, "", s)
    m = 1; out = ""; code = 0
    for (k = 1; k <= length(s); k++) {
        c = substr(s, k, 1)
        if (c == "\\" && substr(s, k + 1, 1) == "|") {
            out = out "|"; k++; continue
        }
        if (c == "|") { into[m++] = out; out = ""; continue }
        out = out c
    }
    into[m] = out
    return m
}
# A table whose header cells are all empty has no header row: a row of
# dashes above the body and one below.
function table(i, to,   j, r, k, m, ncols, row, width, s, line_at, headless,
               rule, align) {
    ncols = 0; r = 0
    for (j = i; j <= to && !blank(src[j]); j++) {
        if (j == i + 1) continue              # the |---| line
        m = cells(src[j], row)
        r++; line_at[r] = j
        for (k = 1; k <= m; k++) {
            cell[r, k] = inline_line(strip(row[k]), j)
            if (cols(cell[r, k]) > width[k]) width[k] = cols(cell[r, k])
        }
        for (; k <= ncols; k++) cell[r, k] = ""
        if (m > ncols) ncols = m
    }
    m = cells(src[i + 1], row)
    for (k = 1; k <= m; k++) {
        align[k] = "left"
        if (row[k] ~ /-:[ ]*$/)
            align[k] = row[k] ~ /^[ ]*:/ ? "center" : "right"
    }
    headless = 1
    for (m = 1; m <= ncols; m++) if (cell[1, m] != "") headless = 0
    rule = "  "
    for (m = 1; m <= ncols; m++)
        rule = rule dashes(width[m]) (m < ncols ? "  " : "")
    begin_block()
    if (headless) emit(i, cols(rule), rule)
    for (k = 1 + headless; k <= r; k++) {
        s = "  "
        for (m = 1; m <= ncols; m++)
            s = s aligned(cell[k, m], width[m], align[m]) \
                  (m < ncols ? "  " : "")
        emit(line_at[k], cols(s), s)
        if (k == 1) emit(i + 1, cols(rule), rule)
    }
    if (headless) emit(line_at[r], cols(rule), rule)
    end_block()
    for (k = 1; k <= r; k++) for (m = 1; m <= ncols; m++) delete cell[k, m]
    return j
}
function aligned(text, w, how,   left) {
    left = 0
    if (how == "right") left = w - cols(text)
    if (how == "center") left = int((w - cols(text) + 1) / 2)
    return blanks(left) text blanks(w - left - cols(text))
}
function blanks(n,   s) { s = ""; while (n-- > 0) s = s " "; return s }
function dashes(w,   s) { s = ""; while (w-- > 0) s = s "-"; return s }

# ----------------------------------------------------------------- inline
# One line of inline markdown as patat shows it.
function inline_line(s, at) { return inline(s, at) }

# Markdown text (lines joined by "\n") as patat shows it: code spans
# padded, emphasis marks gone, links as [text], runs of blanks made one.
# Code spans and escaped characters are held aside (a \003 marks each
# one's place) while the emphasis marks are matched.
function inline(s, at,   out, k, c, run, shut, body, n, held, line) {
    n = 0; out = ""; line = at
    for (k = 1; k <= length(s); k++) {
        c = substr(s, k, 1)
        if (c == "\n") line++
        if (c == "\\" && substr(s, k + 1, 1) ~ punctuation) {
            held[++n] = substr(s, k + 1, 1); out = out "\003"
            k++; continue
        }
        if (c == "`") {
            run = backticks(s, k)
            shut = closing_run(s, k + length(run), run)
            if (shut) {
                body = substr(s, k + length(run), shut - k - length(run))
                gsub(/\n/, " ", body)
                sub(/^ +/, "", body); sub(/ +$/, "", body)
                held[++n] = " " body " "; out = out "\003"
                k = shut + length(run) - 1
                continue
            }
            note("markup", line, "a stray backtick shows as text")
            out = out run; k += length(run) - 1
            continue
        }
        if (c == "<" && substr(s, k) ~ /^<!--/)
            note("markup", line, "an HTML comment inside text shows as text")
        else if (c == "<" && substr(s, k) ~ /^<\/?[A-Za-z][^>]*>/)
            note("markup", line, "inline HTML shows as text")
        if (c == "!" && substr(s, k + 1, 1) == "[") continue
        if (c == "[" && match(substr(s, k), /^\[[^]]*\]\([^)]*\)/)) {
            body = substr(s, k, RLENGTH)
            link[++nlinks] = body; link_line[nlinks] = line
            sub(/\]\(.*/, "]", body)
            out = out body; k += RLENGTH - 1
            continue
        }
        out = out c
    }
    out = emphasis(out, at)
    for (k = 1; k <= n; k++) {
        c = index(out, "\003")
        out = substr(out, 1, c - 1) held[k] substr(out, c + 1)
    }
    return out
}
function backticks(s, k,   r) {
    r = ""
    while (substr(s, k, 1) == "`") { r = r "`"; k++ }
    return r
}
# Where the run of backticks that closes one of the same length starts.
function closing_run(s, k, run,   r) {
    while (k <= length(s)) {
        if (substr(s, k, 1) != "`") { k++; continue }
        r = backticks(s, k)
        if (r == run) return k
        k += length(r)
    }
    return 0
}

# Plain text: emphasis marks matched and taken out, blanks squeezed.
# pandoc's rule as patat uses it: a run of * or _ opens when a non-blank
# follows it and closes when a non-blank comes before it, inside words
# too; the nearest opener of the same mark closes first.
function emphasis(s, at,   k, c, r, m, prev, next_c, top, out, i, take,
                  can_open, can_close, t) {
    gsub(/[ ]+/, " ", s)
    m = 0
    for (k = 1; k <= length(s); k++) {
        c = substr(s, k, 1)
        if (c == "\n") at++
        if (c != "*" && c != "_") { piece[++m] = c; mark[m] = 0; continue }
        line_of[m + 1] = at
        r = k; while (substr(s, r + 1, 1) == c) r++
        prev = k > 1 ? substr(s, k - 1, 1) : " "
        next_c = r < length(s) ? substr(s, r + 1, 1) : " "
        piece[++m] = substr(s, k, r - k + 1); mark[m] = c
        opens[m] = next_c !~ /[ \n]/
        closes[m] = prev !~ /[ \n]/
        inword[m] = prev ~ /[A-Za-z0-9]/ && next_c ~ /[A-Za-z0-9]/
        k = r
    }
    top = 0
    for (i = 1; i <= m; i++) {
        if (!mark[i]) continue
        if (closes[i]) {
            for (t = top; t > 0 && !(mark[stack[t]] == mark[i]); t--) ;
            while (t > 0 && length(piece[i]) > 0) {
                take = length(piece[stack[t]]) >= 2 && length(piece[i]) >= 2
                take = take ? 2 : 1
                if (inword[i] || inword[stack[t]])
                    note("markup", line_of[i], "patat takes the " mark[i] \
                         " in a word as emphasis and hides it")
                piece[stack[t]] = substr(piece[stack[t]], take + 1)
                piece[i] = substr(piece[i], take + 1)
                if (piece[stack[t]] == "") { top = t - 1; t = top
                    for (; t > 0 && !(mark[stack[t]] == mark[i]); t--) ;
                }
            }
        }
        if (opens[i] && length(piece[i]) > 0) stack[++top] = i
    }
    out = ""
    for (i = 1; i <= m; i++) out = out piece[i]
    return out
}
