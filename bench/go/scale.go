package main

import (
	"fmt"
	"os"
	"runtime"
	"sync/atomic"
	"time"
)

const chunk = 1000

type usage struct{ resident, reserved int64 }

func usageNow() usage {
	var size, resident int64
	f, err := os.Open("/proc/self/statm")
	if err == nil {
		fmt.Fscan(f, &size, &resident)
		f.Close()
	}
	page := int64(os.Getpagesize())
	return usage{resident * page, size * page}
}

// scale spawns goroutines that wait to receive on one channel, a
// thousand at a time, until max are alive, the process holds budgetMiB
// more resident memory than it began with, or seconds have passed; it
// prints the same lines as ../kit_scale.c, and exits.
func scale(max, budgetMiB, seconds int64, at []int64) {
	park := make(chan struct{})
	var started int64
	base := usageNow()
	t0 := time.Now()
	report := func(kind string, alive int64, why string) {
		u := usageNow()
		fmt.Printf("%s %d %d %d %d %s\n", kind, alive,
			(u.resident-base.resident)/alive,
			(u.reserved-base.reserved)/alive,
			time.Since(t0).Nanoseconds()/alive, why)
	}
	alive, nextAt := int64(0), 0
	why := ""
	for why == "" {
		to := alive + chunk
		if nextAt < len(at) && at[nextAt] < to {
			to = at[nextAt]
		}
		if to > max {
			to = max
		}
		for ; alive < to; alive++ {
			go func() {
				atomic.AddInt64(&started, 1)
				<-park
			}()
		}
		for atomic.LoadInt64(&started) < alive {
			runtime.Gosched() // they run, and wait
		}
		for nextAt < len(at) && alive >= at[nextAt] {
			if alive == at[nextAt] {
				report("at", alive, "")
			}
			nextAt++
		}
		switch {
		case alive >= max:
			why = fmt.Sprintf("reached %d", max)
		case usageNow().resident-base.resident > budgetMiB<<20:
			why = fmt.Sprintf("the bench's memory budget (%d MiB)",
				budgetMiB)
		case time.Since(t0) > time.Duration(seconds)*time.Second:
			why = fmt.Sprintf("the bench's time budget (%d s)", seconds)
		}
	}
	report("stop", alive, why)
	os.Exit(0)
}
