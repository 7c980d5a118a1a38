// memory.go - gothreads' garbage-collector mode.
package main

import (
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
)

// node - one cell of the lists the GC test builds; payload is derived from (list, i).
type node struct {
	next    *node
	payload [6]uint64
	tag     string
}

func nodeWord(list, i, k int) uint64 {
	return uint64(list)*0x9e3779b97f4a7c15 ^ uint64(i)*0xbf58476d1ce4e5b9 ^ uint64(k)
}

// buildList makes a list of n nodes, each also owning a small string (more pointers).
func buildList(list, n int) *node {
	var head *node
	for i := n - 1; i >= 0; i-- {
		nd := &node{next: head, tag: fmt.Sprintf("%d/%d", list, i)}
		for k := range nd.payload {
			nd.payload[k] = nodeWord(list, i, k)
		}
		head = nd
	}
	return head
}

// verifyList checks every node of list is where and what it was made as.
func verifyList(list, n int, head *node) bool {
	i := 0
	for nd := head; nd != nil; nd = nd.next {
		for k := range nd.payload {
			if nd.payload[k] != nodeWord(list, i, k) {
				return false
			}
		}
		if nd.tag != fmt.Sprintf("%d/%d", list, i) {
			return false
		}
		i++
	}
	return i == n
}

// testGC - 8 goroutines on GOMAXPROCS 4 keep lists alive while making garbage; forced
// collections (runtime.GC, from several goroutines at once) run meanwhile, and every
// surviving list must still hold exactly what was put in it.
func testGC() {
	runtime.GOMAXPROCS(4)
	const workers, rounds, length = 8, 12, 4000
	var wg sync.WaitGroup
	var garbage int64
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			keep := buildList(w, length)
			for r := 0; r < rounds; r++ {
				tmp := buildList(1000+w, length) // garbage once replaced
				buf := make([]byte, 256<<10)
				for i := range buf {
					buf[i] = byte(i ^ r)
				}
				atomic.AddInt64(&garbage, int64(len(buf)))
				if r%4 == w%4 {
					runtime.GC()
				}
				if !check(verifyList(w, length, keep), "worker %d round %d: a live list changed", w, r) ||
					!check(verifyList(1000+w, length, tmp), "worker %d round %d: a new list changed", w, r) {
					return
				}
				if buf[12345] != byte(12345^r) {
					check(false, "worker %d round %d: a buffer changed", w, r)
					return
				}
			}
		}(w)
	}
	wg.Wait()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	check(ms.NumGC >= 2, "NumGC %d after forced collections", ms.NumGC)
	check(ms.NumGC > 0 && ms.HeapAlloc < ms.TotalAlloc, "heap %d of %d allocated: nothing was freed",
		ms.HeapAlloc, ms.TotalAlloc)
}
