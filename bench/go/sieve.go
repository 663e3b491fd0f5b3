package main

// The concurrent prime sieve, as in Go's documentation and talks;
// ../kit_sieve.c is the same program written with the kit.

func generate(out chan<- int64) {
	for n := int64(2); ; n++ {
		out <- n
	}
}

func filter(in <-chan int64, out chan<- int64, prime int64) {
	for {
		n := <-in
		if n%prime != 0 {
			out <- n
		}
	}
}

// sieve returns the nth prime; its goroutines are left waiting, and
// end with the program.
func sieve(want int64) int64 {
	in := make(chan int64)
	go generate(in)
	var prime int64
	for i := int64(0); i < want; i++ {
		prime = <-in
		out := make(chan int64)
		go filter(in, out, prime)
		in = out
	}
	return prime
}
