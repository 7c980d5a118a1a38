// sched.go - gothreads' goroutine modes: channels, locks, threads and CPUs.
package main

import (
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"syscall"
)

// testChan - a pipeline (generate -> square on 8 workers -> sum) whose sum is known in
// closed form, then testPool.
func testChan() {
	runtime.GOMAXPROCS(4)
	const n = 20000
	src := make(chan int64)
	sq := make(chan int64, 16)
	go func() {
		for i := int64(1); i <= n; i++ {
			src <- i
		}
		close(src)
	}()
	var wg sync.WaitGroup
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for v := range src {
				sq <- v * v
			}
		}()
	}
	go func() { wg.Wait(); close(sq) }()
	var sum, count int64
	for v := range sq {
		sum += v
		count++
	}
	want := int64(n) * (n + 1) * (2*n + 1) / 6
	check(count == n && sum == want, "pipeline: %d values summing to %d, want %d and %d", count, sum, n, want)
	testPool()
}

// testPool - 6 workers answer 1000 jobs, each on the reply channel it came with; then a
// select over a closed channel and a nil one (which must never be chosen).
func testPool() {
	type job struct {
		x     int
		reply chan int
	}
	jobs := make(chan job)
	for w := 0; w < 6; w++ {
		go func() {
			for j := range jobs {
				j.reply <- j.x * 3
			}
		}()
	}
	replies := make([]chan int, 1000)
	for i := range replies {
		replies[i] = make(chan int, 1)
	}
	go func() {
		for i := range replies {
			jobs <- job{i, replies[i]}
		}
		close(jobs)
	}()
	total := 0
	for i := range replies {
		total += <-replies[i]
	}
	check(total == 3*999*1000/2, "worker pool: total %d, want %d", total, 3*999*1000/2)

	// select over several channels, with a closed one and a nil one.
	done := make(chan struct{})
	close(done)
	var nilc chan int
	select {
	case <-nilc:
		check(false, "receive from a nil channel")
	case <-done:
	}
}

// testMutex - contention: a Mutex-guarded counter and an atomic one, 8 goroutines each,
// then testRWMutex and testCond.
func testMutex() {
	runtime.GOMAXPROCS(4)
	const workers, iters = 8, 20000
	var mu sync.Mutex
	var wg sync.WaitGroup
	counter, atomicCounter := 0, int64(0)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < iters; i++ {
				mu.Lock()
				counter++
				mu.Unlock()
				atomic.AddInt64(&atomicCounter, 1)
			}
		}()
	}
	wg.Wait()
	check(counter == workers*iters, "mutex counter %d, want %d", counter, workers*iters)
	check(atomicCounter == workers*iters, "atomic counter %d, want %d", atomicCounter, workers*iters)
	testRWMutex()
	testCond(&mu)
}

// testRWMutex - 4 writers fill a map under an RWMutex while 4 readers read it.
func testRWMutex() {
	var wg sync.WaitGroup
	var rw sync.RWMutex
	m := map[int]int{}
	for w := 0; w < 4; w++ {
		wg.Add(2)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < 2000; i++ {
				rw.Lock()
				m[w*10000+i] = i
				rw.Unlock()
			}
		}(w)
		go func() {
			defer wg.Done()
			for i := 0; i < 2000; i++ {
				rw.RLock()
				for k, v := range m {
					if k%10000 != v {
						check(false, "map entry %d=%d", k, v)
					}
					break
				}
				rw.RUnlock()
			}
		}()
	}
	wg.Wait()
	check(len(m) == 8000, "map has %d entries, want 8000", len(m))
}

// testCond - a Cond on mu: a producer hands out tokens one at a time to 4 consumers; and a
// Once called from 16 goroutines runs once.
func testCond(mu *sync.Mutex) {
	var wg sync.WaitGroup
	cond := sync.NewCond(mu)
	tokens, taken, closed := 0, 0, false
	for c := 0; c < 4; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mu.Lock()
			defer mu.Unlock()
			for {
				for tokens == 0 && !closed {
					cond.Wait()
				}
				if tokens == 0 {
					return
				}
				tokens--
				taken++
				cond.Broadcast()
			}
		}()
	}
	for i := 0; i < 3000; i++ {
		mu.Lock()
		for tokens > 0 {
			cond.Wait()
		}
		tokens++
		cond.Broadcast()
		mu.Unlock()
	}
	mu.Lock()
	closed = true
	cond.Broadcast()
	mu.Unlock()
	wg.Wait()
	check(taken == 3000, "consumers took %d tokens, want 3000", taken)

	var once sync.Once
	var onceRuns int32
	for i := 0; i < 16; i++ {
		wg.Add(1)
		go func() { defer wg.Done(); once.Do(func() { atomic.AddInt32(&onceRuns, 1) }) }()
	}
	wg.Wait()
	check(onceRuns == 1, "Once ran %d times", onceRuns)
}

// testCPUs - runtime.NumCPU (sched_getaffinity) is sane, GOMAXPROCS follows it, and
// goroutines locked to their threads really run on distinct OS threads (gettid).
func testCPUs() {
	n := runtime.NumCPU()
	check(n >= 1 && n <= 1024, "NumCPU %d", n)
	check(runtime.GOMAXPROCS(0) == n, "GOMAXPROCS %d, NumCPU %d", runtime.GOMAXPROCS(0), n)
	fmt.Printf("gothreads cpus: NumCPU %d\n", n)

	const k = 6
	tids := make(chan int, k)
	release := make(chan struct{})
	var wg sync.WaitGroup
	for i := 0; i < k; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			runtime.LockOSThread()
			tids <- syscall.Gettid()
			<-release // hold the thread so no two goroutines share one
		}()
	}
	seen := map[int]bool{}
	for i := 0; i < k; i++ {
		seen[<-tids] = true
	}
	close(release)
	wg.Wait()
	check(len(seen) == k, "%d goroutines locked to threads saw %d distinct tids", k, len(seen))
}
