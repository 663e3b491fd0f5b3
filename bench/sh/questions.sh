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
    for b in $(whole_builds); do
        item "$b" "$(name_of "$b"): coro_yield" "$B/$b/kit_coro" yield
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

# A row list's programs as commands of rounds.sh: "timed_in program
# what", the program's path under build/bench.
as_commands() {
    local key label prog what
    while IFS='|' read -r key label prog what; do
        item "$key" "$label" "timed_in ${prog#"$B"/} $what"
    done
}

# 1: the cost of a switch, with its counts, in rounds (rounds.sh).
switch_table() {
    {
        switch_rows | as_commands
        item go "peer: Go runtime.Gosched" "go_timed gosched"
    } | REFS="call fcontext" ROW_CELLS=switch_counts \
        interleave switch - "$SWITCH_ROUNDS" 0
}

switch_counts() {
    count "$1.sys"
    count "$1.ir"
}

# A measurement of bench/go, or why there is none.
go_timed() {
    if have go; then timed "$B/gobench" "$@"; else echo "skipped: no go"; fi
}

# 2: spawn to finish, 16 and 1000 at once, in rounds.
spawn_table() {
    local n
    for n in 16 1000; do
        {
            spawn_rows $n | as_commands
            item go "peer: Go goroutines" "go_timed spawn $n"
        } | REFS=go ROW_CELLS=spawn_counts \
            interleave spawn "$n" "$SPAWN_ROUNDS" 0
    done
}

spawn_counts() { count "$1.sys"; }

# 3: channels, each way of passing a number: the kit's, Go's, and two
# threads', measured in rounds (rounds.sh).
chan_table() {
    chan_group "unbuffered, round trip" pingpong
    chan_group "cap 1, per element" buffered 1
    chan_group "cap 64, per element" buffered 64
}

chan_group() {
    local group=$1 b; shift
    {
        for b in $(chan_builds) $(whole_builds); do
            item "$b" "$(name_of "$b")" "timed_in $b/kit_chan $*"
        done
        item go "Go, GOMAXPROCS=1" "go_timed $*"
        item pinned "pthreads, mutex + condvar, one CPU" \
             "timed_in threads $* pin"
        item threads "pthreads, mutex + condvar, any CPU" \
             "timed_in threads $*"
    } | interleave chan "$group" "$CHAN_ROUNDS" 0
}

# timed_in program args...: timed, of a program under build/bench.
timed_in() {
    local prog=$B/$1; shift
    timed "$prog" "$@"
}

# 4: the sieve, whole processes timed by bench/timeit, in rounds
# (rounds.sh): one to warm up, whose times are not kept, then
# SIEVE_ROUNDS, each row at most 15 s of runs (stage 5 ucontext takes
# about 9 s a run at 5000 primes: it gets one round, so that the whole
# bench stays well inside its 5 minutes).
sieve_table() {
    local primes key label
    for primes in 1000 5000; do
        if [ "$QUICK" = 1 ] && [ "$primes" -gt 1000 ]; then
            sieve_rows "$primes" | while IFS='|' read -r key label _; do
                row sieve "$primes" "$key" "$label" \
                    "skipped: QUICK=1 runs the 1000-prime sieve only"
            done
        else
            sieve_rows "$primes" |
                interleave sieve "$primes" "$SIEVE_ROUNDS" 15 1
        fi
    done
}

sieve_rows() {
    local primes=$1 b
    for b in $(chan_builds) $(whole_builds); do
        item "$b" "$(name_of "$b")" "sieve_run $primes $b/kit_sieve"
    done
    if have go; then
        item go "Go, GOMAXPROCS=1" "sieve_run $primes gobench sieve"
    else
        item go "Go, GOMAXPROCS=1" "echo skipped: no go"
    fi
}

# sieve_run primes program args...: one run of a program under
# build/bench, timed by bench/timeit (the round before warmed it up):
# "ms ms ms peak-RSS-in-MiB", or why there is none.
sieve_run() {
    local primes=$1 prog=$B/$2 line med min max rss; shift 2
    if [ ! -x "$prog" ]; then
        echo "skipped: ${prog#"$B"/} did not build (build/bench/build.log)"
    elif line=$("$prog" "$@" 1 2>/dev/null | grep '^skipped: '); then
        echo "$line"    # a build that cannot run it says why (copy mode)
    else
        line=$(run_prog "$B/timeit" -r 1 -W -k "$LIMIT" -- "$prog" "$@" \
               "$primes")
        case $line in
        [0-9]*) read -r med min max rss _ <<<"$line"
                echo "$med $min $max $((rss / 1024))" ;;
        *) echo "$line" ;;
        esac
    fi
}
