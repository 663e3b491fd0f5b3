# questions.sh - what each table measures, row by row (sourced by
# bench/run).  A row list prints key|label|program|what, and the same
# list serves the counting phase and the timing.

# item key label program what: one row of a list
item() {
    local IFS='|'
    echo "$*"
}

switch_rows() {
    item call "a plain call (the unit)" "$B/peers" call
    local b n i also
    for b in "${BUILDS[@]}"; do
        n=$(name_of "$b")
        case $b in
        01-*) item "$b" "$n: coro_yield (longjmp between slices)" \
                   "$B/$b/kit_coro" yield ;;
        *) item "$b" "$n: coro_yield" "$B/$b/kit_coro" yield ;;
        esac
        [ "$(switch_of "$b")" = copy ] &&
            item "$b.deep" "$n: coro_yield, 8 KiB down the stack" \
                 "$B/$b/kit_coro" "yield-deep 8"
        [ -x "$B/$b/kit_gen" ] &&
            item "$b.gen" "$n: gen_next + gen_yield" "$B/$b/kit_gen" next
    done
    # The bare switches, each measured twice: both contexts switching
    # from one call, as every switch in the kit is made (the call in
    # ctx_switch), and each from a call of its own.
    for i in "${!BARE[@]}"; do
        also=${BARE_ALSO[$i]# }
        also=${also// /, }
        also=${also:+ (the same file in stages $also)}
        item "bare.${BARE[$i]}" \
             "$(name_of "${BARE[$i]}"): ctx_swap alone$also" \
             "$B/bare/${BARE[$i]}" swap
        item "bare.${BARE[$i]}.two" \
             "$(name_of "${BARE[$i]}"): ctx_swap alone, from two calls" \
             "$B/bare/${BARE[$i]}" swap-two-calls
    done
    item popjmp "peer: a pop+jmp swap (bench/peer_swap_$ARCH.S)" \
         "$B/peers" popjmp
    item popjmp.two "peer: a pop+jmp swap, from two calls" \
         "$B/peers" popjmp-two-calls
    item setjmp "peer: _setjmp/_longjmp" "$B/peers" setjmp
    item ucontext "peer: swapcontext (glibc)" "$B/peers" ucontext
    item fcontext "peer: Boost.Context jump_fcontext" "$B/peers" fcontext
    item fcontext.two "peer: Boost.Context jump_fcontext, from two calls" \
         "$B/peers" fcontext-two-calls
}

spawn_rows() {
    local n=$1 b
    for b in "${BUILDS[@]}"; do
        item "$b.spawn$n" "$(name_of "$b"): coro_spawn + coro_run" \
             "$B/$b/kit_coro" "spawn $n"
        [ -x "$B/$b/kit_gen" ] &&
            item "$b.genspawn$n" \
                 "$(name_of "$b"): gen_new + gen_next + gen_free" \
                 "$B/$b/kit_gen" "spawn $n"
    done
    item "ucontext.spawn$n" \
         "peer: makecontext + swapcontext, malloc'd stack" \
         "$B/peers" "spawn-ucontext $n"
    item "fcontext.spawn$n" \
         "peer: Boost make_fcontext + jump_fcontext, malloc'd stack" \
         "$B/peers" "spawn-fcontext $n"
    item "threads.spawn$n" "peer: pthread_create + pthread_join" \
         "$B/threads" "spawn $n"
}

# The counting phase: system calls of every row of tables 1 and 2,
# instructions of table 1.  A quick run counts the switches only.
count_all() {
    local key label prog what n
    while IFS='|' read -r key label prog what; do
        # shellcheck disable=SC2086
        in_pool count_syscalls "$key" 200 600 "$prog" $what
        # shellcheck disable=SC2086
        in_pool count_instructions "$key" 200 "$prog" $what
    done < <(switch_rows)
    for n in 16 1000; do
        while IFS='|' read -r key label prog what; do
            if [ "$QUICK" = 1 ]; then
                echo "not counted with QUICK=1" >"$B/counts/$key.sys"
                continue
            fi
            # shellcheck disable=SC2086
            in_pool count_syscalls "$key" $((n > 16 ? 1 : 5)) \
                $((n > 16 ? 2 : 15)) "$prog" $what
        done < <(spawn_rows $n)
    done
    wait
}

# 1: the cost of a switch, with its counts.
switch_table() {
    local key label prog what
    while IFS='|' read -r key label prog what; do
        # shellcheck disable=SC2086
        row switch - "$key" "$label" "$(timed "$prog" $what)" \
            "$(count "$key.sys")" "$(count "$key.ir")"
    done < <(switch_rows)
    row switch - go "peer: Go runtime.Gosched" "$(go_timed gosched)" n/a n/a
}

# A measurement of bench/go, or why there is none.
go_timed() {
    if have go; then timed "$B/gobench" "$@"; else echo "skipped: no go"; fi
}

# 2: spawn to finish, 16 and 1000 at once.
spawn_table() {
    local n key label prog what
    for n in 16 1000; do
        while IFS='|' read -r key label prog what; do
            # shellcheck disable=SC2086
            row spawn "$n" "$key" "$label" "$(timed "$prog" $what)" \
                "$(count "$key.sys")"
        done < <(spawn_rows $n)
        row spawn "$n" go "peer: Go goroutines" "$(go_timed spawn $n)" n/a
    done
}

# 3: channels, each way of passing a number: the kit's, Go's, and two
# threads'.
chan_table() {
    chan_group "unbuffered, round trip" pingpong
    chan_group "cap 1, per element" buffered 1
    chan_group "cap 64, per element" buffered 64
}

chan_group() {
    local group=$1 b; shift
    for b in $(chan_builds); do
        row chan "$group" "$b" "$(name_of "$b")" \
            "$(timed "$B/$b/kit_chan" "$@")"
    done
    row chan "$group" go "Go, GOMAXPROCS=1" "$(go_timed "$@")"
    row chan "$group" pinned "pthreads, mutex + condvar, one CPU" \
        "$(timed "$B/threads" "$@" pin)"
    row chan "$group" threads "pthreads, mutex + condvar, any CPU" \
        "$(timed "$B/threads" "$@")"
}

# 4: the sieve, whole processes timed by bench/timeit.
sieve_table() {
    local primes warm b
    for primes in 1000 5000; do
        warm=
        [ "$primes" -gt 1000 ] && warm=-W   # the 1000-prime runs warmed it
        for b in $(chan_builds); do
            sieve_row "$primes" "$b" "$(name_of "$b")" "$warm" \
                "$B/$b/kit_sieve"
        done
        if have go; then
            sieve_row "$primes" go "Go, GOMAXPROCS=1" "$warm" \
                "$B/gobench" sieve
        else
            row sieve "$primes" go "Go" "skipped: no go"
        fi
    done
}

# sieve_row primes key label warm program...: at most 20 s of runs for
# one row, and at least one.
sieve_row() {
    local primes=$1 key=$2 label=$3 warm=$4; shift 4
    local line med min max rss runs
    if [ "$QUICK" = 1 ] && [ "$primes" -gt 1000 ]; then
        line="skipped: QUICK=1 runs the 1000-prime sieve only"
    elif [ ! -x "$1" ]; then
        line="skipped: ${1#"$B"/} did not build (build/bench/build.log)"
    elif line=$("$@" 1 2>/dev/null | grep '^skipped: '); then
        :   # a build that cannot run it says why (copy mode's channels)
    else
        # shellcheck disable=SC2086
        line=$(run_prog "$B/timeit" -r "$SIEVE_REPS" -b 20 -k "$LIMIT" \
               $warm -- "$@" "$primes")
    fi
    case $line in
    [0-9]*)
        read -r med min max rss runs <<<"$line"
        row sieve "$primes" "$key" "$label" "$med $min $max" \
            "$((rss / 1024))" "$runs" ;;
    *) row sieve "$primes" "$key" "$label" "$line" ;;
    esac
}
