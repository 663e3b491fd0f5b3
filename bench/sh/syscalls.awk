# syscalls.awk - system calls per operation from two `strace -c -f`
# tables, of a short run and a longer one: ops is how many more
# operations the longer one did.  Prints "0", or the calls per operation
# and the names of those made at least once in a hundred operations,
# the most frequent first: "2.00 (rt_sigprocmask)".

FNR == 1 { run++ }

# a line of the table: % time, seconds, usecs/call, calls, [errors,] name
$1 ~ /^[0-9.]+$/ && $NF != "total" {
    calls[$NF] += run == 2 ? $4 : -$4
}

END {
    n = 0
    for (s in calls) {
        total += calls[s]
        if (calls[s] / ops < 0.01)
            continue
        for (i = ++n; i > 1 && calls[name[i - 1]] < calls[s]; i--)
            name[i] = name[i - 1]
        name[i] = s
    }
    if (total / ops < 0.005 && total / ops > -0.005) {
        print "0"
        exit
    }
    line = sprintf("%.2f", total / ops)
    for (i = 1; i <= n; i++)
        line = line (i == 1 ? " (" : ", ") name[i]
    print line (n ? ")" : "")
}
