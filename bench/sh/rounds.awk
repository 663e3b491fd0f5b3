# rounds.awk - one row's figures from build/bench/rounds.tsv, whose
# lines are "key round median min max extra...", the rows of a group
# measured in rounds (rounds.sh).  Prints, for the row `key`:
#
#     median min max rounds ratio... extra...
#
# the median of its rounds' medians, the least min, the greatest max,
# how many rounds it ran in, the median of its rounds' ratios to each
# row named in `refs` ("-" where there is none), and the greatest of
# each extra cell over the rounds (a peak).

function median(list, n,   i, j, t) {
    for (i = 2; i <= n; i++)            # insertion sort: a few rounds
        for (j = i; j > 1 && list[j - 1] > list[j]; j--) {
            t = list[j]; list[j] = list[j - 1]; list[j - 1] = t
        }
    return n % 2 ? list[(n + 1) / 2] : (list[n / 2] + list[n / 2 + 1]) / 2
}

# The median of key's ratios to ref, round by round: "-" if none.
function ratio_to(ref,   r, n, list) {
    n = 0
    for (r in mine)
        if ((ref, r) in med && med[ref, r] > 0)
            list[++n] = mine[r] / med[ref, r]
    return n ? sprintf("%.4g", median(list, n)) : "-"
}

{ med[$1, $2] = $3 }

$1 == key {
    mine[$2] = $3
    meds[++rounds] = $3
    if (lo == "" || $4 < lo) lo = $4
    if (hi == "" || $5 > hi) hi = $5
    for (i = 6; i <= NF; i++)
        if (!((i - 5) in extra) || $i > extra[i - 5])
            extra[i - 5] = $i
    extras = NF - 5 > extras ? NF - 5 : extras
}

END {
    if (!rounds)
        exit 1
    line = median(meds, rounds) " " lo " " hi " " rounds
    n = split(refs, ref, " ")
    for (i = 1; i <= n; i++)
        line = line " " ratio_to(ref[i])
    for (i = 1; i <= extras; i++)
        line = line " " extra[i]
    print line
}
