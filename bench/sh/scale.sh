# scale.sh - table 5: how many coroutines can be alive at once, and at
# what cost in memory (sourced by bench/run).  bench/kit_scale.c and
# bench/go/scale.go print lines "at|stop N resident reserved spawn_ns
# [why]"; a row is made of one, or of the median of several.

scale_table() {
    local b
    # the biggest runs share 135 s: 20 to 60 s each
    local n=$(($(chan_builds | wc -l) + 1))
    SCALE_SECONDS=$((135 / n < 20 ? 20 : 135 / n > 60 ? 60 : 135 / n))
    for b in $(chan_builds); do
        case $b in
        *copy) scale_rows "$b" "$(name_of "$b"), asleep (no channels)" \
                   "$B/$b/kit_scale" ;;
        *) scale_rows "$b" "$(name_of "$b")" "$B/$b/kit_scale" ;;
        esac
    done
    if have go; then
        scale_rows go "Go, GOMAXPROCS=1" "$B/gobench" scale
    else
        for b in 100000 1000000 most; do
            row scale "$b" go Go "skipped: no go"
        done
    fi
}

# scale_rows key label program...: 100k alive (the median of SCALE_REPS
# runs), and in a full run one run on to the most the machine allows,
# which reports as it passes 1M.
scale_rows() {
    local key=$1 label=$2; shift 2
    scale_100k "$key" "$label" "$@"
    if [ "$QUICK" = 1 ]; then
        row scale 1000000 "$key" "$label" "skipped: QUICK=1 runs 100k only"
        row scale most "$key" "$label" "skipped: QUICK=1 runs 100k only"
    else
        scale_most "$key" "$label" "$@"
    fi
}

scale_100k() {
    local key=$1 label=$2; shift 2
    local lines='' line i n
    for ((i = 0; i < SCALE_REPS; i++)); do
        line=$(run_prog "$@" 100000 "$BUDGET_MIB" 60)
        case $line in stop*) lines+=$line$'\n' ;; *) break ;; esac
    done
    if [ -z "$lines" ]; then
        row scale 100000 "$key" "$label" "$line"
        return
    fi
    n=$(printf '%s' "$lines" | grep -c .)
    scale_row 100000 "$key" "$label" \
        "$(printf '%s' "$lines" | median_of_runs)" \
        "$([ "$n" -gt 1 ] && echo "median of $n runs" || echo "1 run")"
}

scale_most() {
    local key=$1 label=$2; shift 2
    local out at stop said
    out=$(run_prog "$@" 1000000000 "$BUDGET_MIB" "$SCALE_SECONDS" 1000000)
    said=''                             # the kit's own word on a failure
    grep -q '^stop .*coro_spawn' "$B/last.out" &&
        said=$(tail -n 1 "$B/last.err")
    at=$(grep '^at 1000000 ' "$B/last.out")
    stop=$(grep '^stop ' "$B/last.out")
    local alive why
    alive=$(commas "$(cut -d' ' -f2 <<<"$stop")")
    why="1 run, stopped by $(cut -d' ' -f6- <<<"$stop")"
    if [ -n "$at" ]; then
        scale_row 1000000 "$key" "$label" "$at" "1 run"
    elif [ -n "$stop" ]; then
        row scale 1000000 "$key" "$label" \
            "skipped: the run stopped at $alive (next row)"
    else
        row scale 1000000 "$key" "$label" "$out"
    fi
    if [ -n "$stop" ]; then
        scale_row most "$key" "$label" "$stop" \
            "$why${said:+; it said: \"$said\"}"
    else
        row scale most "$key" "$label" "$out"
    fi
}

# scale_row group key label line note: a row from one line.
scale_row() {
    local group=$1 key=$2 label=$3 line=$4 note=$5 _ n res rsv spawn
    read -r _ n res rsv spawn _ <<<"$line"
    row scale "$group" "$key" "$label" "$res $res $res" "$n" "$rsv" \
        "$spawn" "$note"
}

# The median of each number of several runs' "stop" lines.
median_of_runs() {
    awk '{ for (i = 2; i <= 5; i++) v[i, NR] = $i }
         function med(c,   i, j, t, a) {
             for (i = 1; i <= NR; i++) a[i] = v[c, i]
             for (i = 1; i <= NR; i++)
                 for (j = i + 1; j <= NR; j++)
                     if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
             return NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2
         }
         END { print "stop", med(2), med(3), med(4), med(5) }'
}
