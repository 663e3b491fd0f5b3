# exercises/regions.awk - a stage's source file with every answer region
# of one exercise replaced by the region of the same name in a stub
# file: what make-workspace writes into a workspace.
#
#   awk -v x=swap -v stubs=exercises/.../switch_x86_64.S -f regions.awk FILE
#
# A region is what lies between the two marker lines
#     /* == exercise swap (ctx_swap): the answer begins == */
#     /* == exercise swap (ctx_swap): the answer ends == */
# (indented or not); the markers are kept.  It fails, saying why, when
# a region has no stub, a region does not end, or a stub has no region.

BEGIN {
    while ((getline line < stubs) > 0) {
        if ((p = part(line, "begins")) != "") { inside = p; stub[p] = "" }
        else if (part(line, "ends") != "") inside = ""
        else if (inside != "") stub[inside] = stub[inside] line "\n"
    }
    close(stubs)
}

(p = part($0, "begins")) != "" {
    if (!(p in stub)) complain(FILENAME ": no stub for part " p)
    print; printf "%s", stub[p]
    used[p] = 1; skipping = p
    next
}
part($0, "ends") != "" { skipping = ""; print; next }
skipping == ""         { print }

END {
    if (skipping != "") complain(FILENAME ": part " skipping " does not end")
    for (p in stub)
        if (!(p in used))
            complain(stubs ": part " p " is in no region of " FILENAME)
    exit bad
}

# The part a marker line of exercise x names ("ctx_swap"), if the line
# is one that "begins" (or "ends"); else "".
function part(line, which,    w) {
    if (line !~ /^[ \t]*\/\* == exercise [^ ]+ \([^ )]+\): the answer /)
        return ""
    if (line !~ ("the answer " which " == \\*/$"))
        return ""
    split(line, w, " ")
    return w[4] == x ? substr(w[5], 2, length(w[5]) - 3) : ""
}

function complain(why) { print why > "/dev/stderr"; bad = 1 }
