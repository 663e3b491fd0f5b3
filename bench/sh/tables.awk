# tables.awk - build/bench/results.tsv as Markdown tables, one for each
# question, the ratios to the peers beside the numbers.  It reads the
# file twice: the first pass finds the numbers the ratios divide by.
#
# results.tsv, tab-separated: table, group, key, label, status ("ok",
# "skipped: why" or "failed: why"), median, min, max, extra cells.
# num() is in number.awk.

# A count: whole numbers from 100 up, one decimal below.
function count(x) {
    if (x !~ /^[0-9.]+$/)
        return x
    return x >= 100 ? num(x) : sprintf("%.1f", x)
}

# x / of, as "3.1x"; nothing when either is missing.
function ratio(x, of,   r) {
    if (x == "" || of == "" || of + 0 == 0)
        return ""
    r = x / of
    return sprintf(r >= 100 ? "%.0fx" : r >= 10 ? "%.1fx" : "%.2fx", r)
}

# The median of the row with this key, in this row's table and group.
function ref(key) {
    return (($1, $2, key) in med) ? med[$1, $2, key] : ""
}

function heading(t) {
    if (t == "switch") {
        print "## 1. Switch cost: one hand-over of the CPU to another context"
        print ""
        print "A hand-over lasts from the moment one context lets go to " \
              "the moment the other carries on: for `coro_yield`, from " \
              "one coroutine to the next: through the stage's run loop " \
              "in stages 1-3 (two switches), handed straight over in " \
              "stages 4-5 (one). The bare switches are measured twice: " \
              "both contexts switching from one call, as every switch " \
              "in the kit is made, and each from a call of its own. " \
              "System calls and instructions are per " \
              "hand-over, counted with `strace -f -c` and callgrind, the " \
              "loop that drives the hand-overs included (a plain call's " \
              "row shows what that costs). " rounds_said
        print ""
        print "| mechanism | ns | min | max | vs a call | vs jump_fcontext " \
              "| system calls | instructions |"
        print "|---|--:|--:|--:|--:|--:|--:|--:|"
    } else if (t == "spawn") {
        print "## 2. Creation: spawn to finish of an empty coroutine"
        print ""
        print "N made at once, then all run to their end: ns per " \
              "coroutine, and system calls per coroutine (`strace -f -c`). " \
              rounds_said
        print ""
        print "| at once | mechanism | ns each | min | max | vs Go " \
              "| system calls each |"
        print "|--:|---|--:|--:|--:|--:|---|"
    } else if (t == "chan") {
        print "## 3. Channels"
        print ""
        print "Unbuffered: a number sent and sent back, ns per round " \
              "trip. Buffered: a producer and a consumer, ns per element. " \
              "The pthread peers pass numbers through one-slot (round " \
              "trip) or N-slot queues, each guarded by a mutex and two " \
              "condition variables. " rounds_said
        print ""
        print "| what | mechanism | ns | min | max | vs Go " \
              "| vs pthreads on one CPU | rounds |"
        print "|---|---|--:|--:|--:|--:|--:|--:|"
    } else if (t == "sieve") {
        print "## 4. The concurrent prime sieve (whole process)"
        print ""
        print "The first N primes, a coroutine or goroutine for each, every " \
              "channel unbuffered (bench/kit_sieve.c, bench/go/sieve.go): " \
              "the wall time of the whole process, start to exit, after " \
              "a round of runs that warms up. " rounds_said
        print ""
        print "| primes | mechanism | ms | min | max | vs Go | peak RSS MiB " \
              "| rounds |"
        print "|--:|---|--:|--:|--:|--:|--:|--:|"
    } else if (t == "scale") {
        print "## 5. Scale: coroutines alive at once, each parked on a channel"
        print ""
        print "Spawned a thousand at a time, each left waiting to receive. " \
              "Resident and reserved bytes are the whole process's growth " \
              "(/proc/self/statm) per coroutine; spawn time runs from the " \
              "first spawn to the last one parked. The biggest run stops at " \
              "the first of: a spawn that fails, the memory budget, its " \
              "time budget."
        print ""
        print "| alive | mechanism | resident B each | vs Go " \
              "| reserved B each | spawn to parked, ns each | note |"
        print "|--:|---|--:|--:|--:|--:|---|"
    }
}

BEGIN {
    rounds_said = "The rows of a group are measured in rounds, each row " \
        "once a round, in turn: the time is the median of a row's " \
        "rounds, min and max the fastest and the slowest of all, and " \
        "each ratio the median of the ratios taken within a round, " \
        "between numbers measured moments apart."
}

NR == FNR {
    if ($5 == "ok")
        med[$1, $2, $3] = $6
    next
}

$1 != table {
    if (table != "")
        print ""
    table = $1
    heading(table)
}

$5 != "ok" {
    if (table == "switch")
        printf "| %s | %s | | | | | | |\n", $4, $5
    else
        printf "| %s | %s | %s | | | | | |\n", num($2), $4, $5
    next
}

# Every table measures in rounds (rounds.sh): $9 the rounds, then the
# medians of the rounds' ratios to the rows it is compared with ("-":
# none), then the extra cells.
table == "switch" {
    printf "| %s | %s | %s | %s | %s | %s | %s | %s |\n", $4, num($6),
           num($7), num($8), rounds_ratio($10), rounds_ratio($11), $12,
           count($13)
}

table == "spawn" {
    printf "| %s | %s | %s | %s | %s | %s | %s |\n", num($2), $4, num($6),
           num($7), num($8), rounds_ratio($10), $11
}

# A median of rounds' ratios, as "3.1x"; nothing for "-".
function rounds_ratio(r,   x) {
    if (r == "-" || r == "")
        return ""
    x = r + 0
    return sprintf(x >= 100 ? "%.0fx" : x >= 10 ? "%.1fx" : "%.2fx", x)
}

table == "chan" {
    printf "| %s | %s | %s | %s | %s | %s | %s | %s |\n", $2, $4, num($6),
           num($7), num($8), rounds_ratio($10), rounds_ratio($11), $9
}

table == "sieve" {
    printf "| %s | %s | %s | %s | %s | %s | %s | %s |\n", num($2), $4,
           num($6), num($7), num($8), rounds_ratio($10), $12, $9
}

table == "scale" {
    printf "| %s | %s | %s | %s | %s | %s | %s |\n", num($9), $4, num($6),
           ratio($6, ref("go")), num($10), num($11), $12
}

END { print "" }
