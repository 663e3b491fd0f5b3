package main

import (
	"runtime"
	"sync"
)

// goschedBatch: two goroutines hand the CPU to each other with
// runtime.Gosched, as two coroutines with coro_yield.
func goschedBatch() func(int64) {
	var stop bool
	var mu sync.Mutex // only to read stop without a data race
	go func() {
		for {
			mu.Lock()
			done := stop
			mu.Unlock()
			if done {
				return
			}
			runtime.Gosched()
		}
	}()
	return func(iters int64) {
		for i := int64(0); i < iters; i++ {
			runtime.Gosched()
		}
	}
}

// spawnBatch: n goroutines started, each finishing at once, all waited
// for.
func spawnBatch(n int64) func(int64) {
	return func(iters int64) {
		var wg sync.WaitGroup
		for i := int64(0); i < iters; i++ {
			wg.Add(int(n))
			for k := int64(0); k < n; k++ {
				go wg.Done()
			}
			wg.Wait()
		}
	}
}
