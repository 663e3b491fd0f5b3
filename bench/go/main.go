// Command gobench measures Go's goroutines and channels the way the
// kit's C programs in bench/ measure the kit, and prints the same line:
// "median min max" in ns per operation (see ../harness.h).
//
//	gobench [-r reps] [-t us] gosched        ns per hand-over
//	gobench [-r reps] [-t us] spawn N        ns per goroutine
//	gobench [-r reps] [-t us] pingpong       ns per round trip
//	gobench [-r reps] [-t us] buffered CAP   ns per element
//	gobench sieve N                          the Nth prime (timed whole)
//	gobench scale MAX BUDGET_MIB SECONDS [AT ...]   as ../kit_scale.c
//
// Everything runs with GOMAXPROCS=1: one CPU, as the kit's coroutines.
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"sort"
	"strconv"
	"time"
)

var (
	reps   = flag.Int("r", 31, "timed batches after the warm-up")
	target = flag.Int64("t", 500, "microseconds a batch should take")
)

func main() {
	flag.Parse()
	runtime.GOMAXPROCS(1)
	args := flag.Args()
	if len(args) == 0 {
		fail("what shall I measure?")
	}
	switch args[0] {
	case "gosched":
		measure(goschedBatch(), 2)
	case "spawn":
		n := number(args, 1)
		measure(spawnBatch(n), n)
	case "pingpong":
		measure(pingpongBatch(), 1)
	case "buffered":
		measure(bufferedBatch(number(args, 1)), 1)
	case "sieve":
		fmt.Println(sieve(number(args, 1)))
	case "scale":
		scale(number(args, 1), number(args, 2), number(args, 3),
			numbers(args[4:]))
	default:
		fail("no such measurement: " + args[0])
	}
}

// measure sizes a batch to the target time (the warm-up), times it
// *reps times and prints the median, minimum and maximum per operation.
func measure(run func(iters int64), opsPerIter int64) {
	targetNs := *target * int64(time.Microsecond)
	iters := int64(1)
	var took int64
	for {
		took = timeBatch(run, iters)
		if took >= targetNs/2 || iters >= 1<<40 {
			break
		}
		iters *= 2
	}
	if took < 1 {
		took = 1
	}
	iters = iters * targetNs / took
	if iters < 1 {
		iters = 1
	}
	times := make([]int64, *reps)
	for i := range times {
		times[i] = timeBatch(run, iters)
	}
	sort.Slice(times, func(a, b int) bool { return times[a] < times[b] })
	n := len(times)
	mid := float64(times[n/2])
	if n%2 == 0 {
		mid = float64(times[n/2-1]+times[n/2]) / 2
	}
	ops := float64(iters * opsPerIter)
	fmt.Printf("%.3f %.3f %.3f\n", mid/ops, float64(times[0])/ops,
		float64(times[n-1])/ops)
}

func timeBatch(run func(iters int64), iters int64) int64 {
	t0 := time.Now()
	run(iters)
	return time.Since(t0).Nanoseconds()
}

func number(args []string, i int) int64 {
	if i >= len(args) {
		fail("a number is missing")
	}
	n, err := strconv.ParseInt(args[i], 10, 64)
	if err != nil || n <= 0 {
		fail(args[i] + ": a positive number, please")
	}
	return n
}

func numbers(args []string) []int64 {
	ns := make([]int64, len(args))
	for i := range args {
		ns[i] = number(args, i)
	}
	return ns
}

func fail(why string) {
	fmt.Fprintln(os.Stderr, "gobench:", why)
	os.Exit(2)
}
