# rounds.sh - tables 3 and 4 measure their rows in rounds (sourced by
# bench/run).
#
# Measured one after the other, two rows meet whatever else the machine
# was doing at their own moments, and on a shared machine (a virtual
# one, whose neighbours come and go) the ratio of two rows moves from
# one run to the next more than either row does.  So every row of a
# group is measured once in each round, in turn, and its ratios to the
# rows it is compared with (a plain call and jump_fcontext in table 1,
# Go in the others, the pthreads on one CPU in table 3) are taken
# within each round: a ratio shown is the median of the rounds'.

# interleave table group rounds budget [warm]: the rows listed on
# standard input, as key|label|command words, each measured once a
# round for `rounds` rounds, after `warm` rounds (default 0) whose
# numbers are not kept.  A row whose kept runs have taken `budget`
# seconds (0: no limit), or would with one more as long as its last,
# sits out the rounds left; every row has at least one.  A command prints "median
# min max [extra...]", or "skipped: why" or "failed: why", which
# stands for the row from then on.  Then one row of results each: the
# median of its rounds' medians, the least min and the greatest max,
# the number of its rounds, its ratios to the rows named in REFS
# (default "go pinned"; "-" where there is none), the greatest of each
# extra cell over the rounds, and then, if ROW_CELLS names a function,
# what it prints for the row's key, a cell a line.
interleave() {
    local table=$1 group=$2 rounds=$3 budget=$4 warm=${5:-0}
    local -a keys=() labels=() cmds=() status=() spent=() last=()
    local key label cmd i r line t0 per=$B/rounds.tsv
    : >"$per"
    while IFS='|' read -r key label cmd; do
        keys+=("$key") labels+=("$label") cmds+=("$cmd")
        status+=("") spent+=(0) last+=(0)
    done
    for ((r = 1 - warm; r <= rounds; r++)); do
        for i in "${!keys[@]}"; do
            [ -n "${status[i]}" ] && continue
            if [ "$r" -gt 1 ] && [ "$budget" -gt 0 ] &&
               [ $((spent[i] + last[i])) -gt "$budget" ]; then
                continue
            fi
            t0=$SECONDS
            # shellcheck disable=SC2086
            line=$(${cmds[i]})
            if [ "$r" -ge 1 ]; then
                last[i]=$((SECONDS - t0))
                spent[i]=$((spent[i] + last[i]))
            fi
            case $line in
            [0-9]*) [ "$r" -ge 1 ] &&
                        printf '%s %s %s\n' "${keys[i]}" "$r" "$line" >>"$per" ;;
            *) status[i]=$line ;;
            esac
        done
    done
    {
        echo "== rounds of $table, $group: key round median min max ..."
        cat "$per"
    } >>"$LOG"
    for i in "${!keys[@]}"; do
        if [ -n "${status[i]}" ]; then
            row "$table" "$group" "${keys[i]}" "${labels[i]}" "${status[i]}"
            continue
        fi
        local -a cells more=()
        read -r -a cells < <(awk -v key="${keys[i]}" \
                             -v refs="${REFS:-go pinned}" \
                             -f bench/sh/rounds.awk "$per")
        [ -n "${ROW_CELLS:-}" ] && mapfile -t more < <("$ROW_CELLS" "${keys[i]}")
        row "$table" "$group" "${keys[i]}" "${labels[i]}" \
            "${cells[0]} ${cells[1]} ${cells[2]}" "${cells[@]:3}" "${more[@]}"
    done
}
