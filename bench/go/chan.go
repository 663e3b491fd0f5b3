package main

// pingpongBatch: a number sent over an unbuffered channel and back over
// another.
func pingpongBatch() func(int64) {
	there, back := make(chan int64), make(chan int64)
	go func() {
		for v := range there {
			back <- v
		}
	}()
	return func(iters int64) {
		for i := int64(0); i < iters; i++ {
			there <- i
			<-back
		}
	}
}

// bufferedBatch: a producer sends through a channel with room for
// capacity elements, a consumer takes them.
func bufferedBatch(capacity int64) func(int64) {
	there := make(chan int64, capacity)
	go func() {
		for range there {
		}
	}()
	return func(iters int64) {
		for i := int64(0); i < iters; i++ {
			there <- i
		}
	}
}
