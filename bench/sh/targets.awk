# targets.awk - table 6: the kit's targets, each met or missed in this
# run, from the same build/bench/results.tsv as the other tables (its
# columns: tables.awk).  Stage 5 with SWITCH=asm, as its Makefile builds
# it with OPT=-O2 and, where the bench has that build, built whole; the
# last column is the kit's verdict: built whole's where there is one.
#
# A target compares a ratio that the tables above already show, taken
# within each round (rounds.sh), with its line.  A row that was not
# measured (QUICK=1, a peer not installed) says why instead.

# Remember every row: its status and all its cells.
{
    key = $1 SUBSEP $2 SUBSEP $3
    status[key] = $5
    for (i = 6; i <= NF; i++)
        cell[key, i] = $i
}

# What row (table, group, key) says in column col, or why it cannot.
function get(table, group, k, col,   key) {
    key = table SUBSEP group SUBSEP k
    if (!(key in status))
        return "not measured"
    if (status[key] != "ok")
        return status[key]
    if (cell[key, col] !~ /^[0-9.]+$/)
        return "not measured: no ratio (is the peer there?)"
    return cell[key, col] + 0
}

# One cell: the value, with its unit, and met or missed; or why not.
function judge(x, unit, line, at_most,   met, shown) {
    if (x !~ /^[0-9.]+$/)
        return x
    met = at_most ? x <= line : x >= line
    shown = num(x)
    if (shown + 0 == line && !met)      # 0.2504x, not "0.25x: missed"
        shown = sprintf("%.4f", x)
    return shown unit ": " (met ? "met" : "**missed**")
}

# What a cell says of its target: met, missed, or neither.
function verdict(cell) {
    if (cell ~ /: met$/)
        return "met"
    if (cell ~ /: \*\*missed\*\*$/)
        return "**missed**"
    return ""
}

# A row, with the kit's verdict last: the build made for speed, the
# stage built whole, where this run has it; as built otherwise.
function target(what, built, whole,   v) {
    v = verdict(whole)
    if (v == "")
        v = verdict(built)
    if (v == "")
        v = "not measured"
    print "| " what " | " built " | " whole " | " v " |"
}

END {
    kit = "05-channels.asm"
    lto = kit "+lto"
    has_lto = ("switch" SUBSEP "-" SUBSEP lto) in status
    print "## 6. The targets"
    print ""
    print "Stage 5 with `SWITCH=asm`, from the ratios above (each the " \
          "median of the ratios taken within a round). Met or missed says " \
          "what this run measured: a ratio that sits near its line can " \
          "land on either side of it from one run to the next " \
          "(BENCHMARKS.md shows several runs)." \
          (quick ? " With QUICK=1 every row is one round of shorter " \
                   "batches: a first look, not a measurement of the targets." : "")
    print ""
    print "The kit is judged built whole, as a program that wants its " \
          "speed would build it, where this run has that build (Go's " \
          "compiler, too, sees across its packages); as its Makefile " \
          "builds it file by file where it does not. The `-O2` column " \
          "shows what the seams between the stage's files cost."
    print ""
    print "| target | as built (`-O2`) | built whole (`-flto`) | the kit |"
    print "|---|---|---|---|"
    x = get("switch", "-", "bare.02-stack-switch", 11)
    target("the bare switch (`ctx_swap`, stages 2-5) no slower than " \
           "`jump_fcontext`", judge(x, "x", 1, 1), "")
    for (b = 1; b <= 2; b++) {
        k = b == 1 ? kit : lto
        x = get("switch", "-", k, 11)
        sc = get("switch", "-", k, 12)
        if (x ~ /^[0-9.]+$/ && sc != 0)
            y[b] = num(x) "x, " sc " system calls: **missed**"
        else
            y[b] = judge(x, "x", 4, 1)
    }
    target("`coro_yield` at most 4x `jump_fcontext`, no system call",
           y[1], has_lto ? y[2] : "")
    g = "unbuffered, round trip"
    target("unbuffered round trip at most 0.25x Go's",
           judge(get("chan", g, kit, 10), "x", 0.25, 1),
           has_lto ? judge(get("chan", g, lto, 10), "x", 0.25, 1) : "")
    # the kit's time over the pthreads': at most 1/30
    for (b = 1; b <= 2; b++) {
        x = get("chan", g, b == 1 ? kit : lto, 11)
        y[b] = x ~ /^[0-9.]+$/ && x > 0 ? judge(1 / x, "x faster", 30, 0) : x
    }
    target("... and at least 30x faster than two pthreads (mutex and " \
           "condition variable) on one CPU", y[1], has_lto ? y[2] : "")
    target("the 5000-prime sieve at most 0.5x Go's wall time",
           judge(get("sieve", 5000, kit, 10), "x", 0.5, 1),
           has_lto ? judge(get("sieve", 5000, lto, 10), "x", 0.5, 1) : "")
    target("the 1000-prime sieve at most 0.4x Go's",
           judge(get("sieve", 1000, kit, 10), "x", 0.4, 1),
           has_lto ? judge(get("sieve", 1000, lto, 10), "x", 0.4, 1) : "")
    target("spawn to finish, 1000 at once, no slower than Go",
           judge(get("spawn", 1000, kit ".spawn1000", 10), "x", 1, 1), "")
    target("1,000,000 parked on channels, at most 5,000 B resident each",
           judge(get("scale", 1000000, kit, 6), " B", 5000, 1), "")
    target("2,000,000 alive at once, `vm.max_map_count` as it is",
           judge(get("scale", "most", kit, 9), " alive", 2000000, 0), "")
    x = get("scale", 1000000, "05-channels.copy", 6)
    go = get("scale", 1000000, "go", 6)
    if (go !~ /^[0-9.]+$/)
        go = 2700               # the issue's figure, without Go here
    target("copy mode, parked: fewer resident bytes each than Go's (" \
           num(go) " B)", judge(x, " B", go - 1, 1), "")
    print ""
}
