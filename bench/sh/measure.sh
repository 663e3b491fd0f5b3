# measure.sh - running the bench's programs and keeping what they print
# as rows of build/bench/results.tsv (sourced by bench/run).
#
# results.tsv, tab-separated: table, group, key, label, status ("ok",
# "skipped: why" or "failed: why"), median, min, max, extra cells.

# Run a program of the bench: its last line, or "failed: ..." if it did
# not print one or did not exit cleanly.  All it printed is left in
# build/bench/last.out, its standard error in last.err.
run_prog() {
    local prog=$1 out rc
    : >"$B/last.out"
    : >"$B/last.err"
    if [ ! -x "$prog" ]; then
        echo "skipped: ${prog#"$B"/} did not build (build/bench/build.log)"
        return
    fi
    echo "== $*" >>"$LOG"
    out=$(timeout -k 5 "$LIMIT" "$@" 2>"$B/last.err")
    rc=$?
    cat "$B/last.err" >>"$LOG"
    echo "$out" | tee "$B/last.out" >>"$LOG"
    out=$(echo "$out" | tail -n 1)
    if [ $rc = 124 ]; then
        echo "failed: took more than $LIMIT s"
    elif [ $rc != 0 ] || [ -z "$out" ]; then
        echo "failed: ${prog#"$B"/} exited with status $rc" \
             "(build/bench/run.log)"
    else
        echo "$out"
    fi
}

# A timed measurement (bench/harness.h): "median min max" in ns.
timed() {
    local prog=$1; shift
    run_prog "$prog" -r "$REPS" -t "$TARGET_US" "$@"
}

# row table group key label line [cell...]: one row of results, from a
# program's line ("median min max ...", "skipped: why", "failed: why").
row() {
    local table=$1 group=$2 key=$3 label=$4 line=$5; shift 5
    local status=ok med='' min='' max=''
    case $line in
    [0-9]*) read -r med min max _ <<<"$line" ;;
    *) status=$line ;;
    esac
    local IFS=$'\t' cells=("$table" "$group" "$key" "$label" "$status" \
                          "$med" "$min" "$max" "$@")
    echo "${cells[*]}" >>"$RESULTS"
}

# 634000 -> 634,000
commas() {
    echo "$1" |
        sed -e ':a' -e 's/\([0-9]\)\([0-9]\{3\}\)\($\|,\)/\1,\2\3/' -e 'ta'
}

# ---- counting: system calls (strace) and instructions (callgrind) ---
# Each count goes to build/bench/counts/KEY.sys or KEY.ir, read back by
# count() when the rows are written.

count() { cat "$B/counts/$1" 2>/dev/null || echo "n/a"; }

# System calls per operation: the difference between runs of n1 and n2
# iterations (so start-up and exit cancel out), and the calls made.
count_syscalls() {
    local key=$1 n1=$2 n2=$3 prog=$4; shift 4
    local d=$B/counts/$key out=$B/counts/$key.sys ops1 ops2
    [ -x "$prog" ] || { echo "n/a" >"$out"; return; }
    have strace || { echo "skipped: no strace" >"$out"; return; }
    ops1=$(strace -f -c -o "$d.st1" "$prog" -c "$n1" "$@" 2>>"$d.err" |
           awk '/^ops/ { print $2 }')
    ops2=$(strace -f -c -o "$d.st2" "$prog" -c "$n2" "$@" 2>>"$d.err" |
           awk '/^ops/ { print $2 }')
    if [ -z "$ops1" ] || [ -z "$ops2" ]; then
        echo "skipped: strace could not run it here" >"$out"
        return
    fi
    awk -v ops=$((ops2 - ops1)) -f bench/sh/syscalls.awk "$d.st1" "$d.st2" \
        >"$out"
}

# Instructions per operation: callgrind's count between the program's
# two calls of bench_mark (its second dump).
count_instructions() {
    local key=$1 n=$2 prog=$3; shift 3
    local d=$B/counts/$key out=$B/counts/$key.ir ops ir
    [ -x "$prog" ] || { echo "n/a" >"$out"; return; }
    have valgrind || { echo "skipped: no valgrind" >"$out"; return; }
    rm -f "$d.cg"*
    ops=$(valgrind --tool=callgrind --dump-before=bench_mark \
          --callgrind-out-file="$d.cg" "$prog" -c "$n" "$@" 2>"$d.vg" |
          awk '/^ops/ { print $2 }')
    ir=$(awk '/^summary:/ { print $2 }' "$d.cg.2" 2>/dev/null)
    if [ -z "$ops" ] || [ -z "$ir" ]; then
        echo "skipped: callgrind could not run it" >"$out"
        return
    fi
    awk -v ir="$ir" -v ops="$ops" 'BEGIN { printf "%.1f\n", ir / ops }' >"$out"
}

# Run a count in the background, two at a time: two cores, and nothing
# is being timed while the counts run.
in_pool() {
    while [ "$(jobs -rp | wc -l)" -ge 2 ]; do wait -n; done
    "$@" &
}
