// gothreads - a static Go program of the kind users hand Holstein: goroutines on
// several OS threads, the garbage collector, child processes, signals and timers.
//
//	gothreads MODE      MODE: chan gc exec signal timer mutex cpus
//
// One mode per run, so each is one verdict in the suite (user/ext/manifest). Every
// failed check prints a "FAIL: ..." line; the last line is "gothreads MODE: PASS"
// or "gothreads MODE: FAIL (N checks failed)", and the exit status is 0 only on PASS.
// Nothing here measures time against a threshold: a hang is caught by the runner's
// per-program timeout, which names the program.
package main

import (
	"fmt"
	"os"
	"strings"
	"sync/atomic"
	"syscall"
)

var failed int32

// check reports a failed check; safe from any goroutine.
func check(ok bool, format string, args ...interface{}) bool {
	if !ok {
		atomic.AddInt32(&failed, 1)
		fmt.Printf("FAIL: "+format+"\n", args...)
	}
	return ok
}

// skip notes a check that cannot run here (not a failure).
func skip(format string, args ...interface{}) {
	fmt.Printf("SKIP: "+format+"\n", args...)
}

// onHolstein says whether we run on Holstein rather than under the oracle (qemu-user,
// where a riscv64 child can only be exec'ed if the host has a binfmt_misc entry).
func onHolstein() bool {
	var u syscall.Utsname
	if syscall.Uname(&u) != nil {
		return false
	}
	var b []byte
	for _, c := range u.Release {
		if c == 0 {
			break
		}
		b = append(b, byte(c))
	}
	return strings.Contains(string(b), "holstein")
}

func main() {
	modes := map[string]func(){
		"chan": testChan, "gc": testGC, "exec": testExec, "signal": testSignal,
		"timer": testTimer, "mutex": testMutex, "cpus": testCPUs,
	}
	if len(os.Args) == 2 && os.Args[1] == "child" {
		childMain()
	}
	if len(os.Args) != 2 || modes[os.Args[1]] == nil {
		fmt.Fprintln(os.Stderr, "usage: gothreads chan|gc|exec|signal|timer|mutex|cpus")
		os.Exit(2)
	}
	modes[os.Args[1]]()
	if n := atomic.LoadInt32(&failed); n != 0 {
		fmt.Printf("gothreads %s: FAIL (%d checks failed)\n", os.Args[1], n)
		os.Exit(1)
	}
	fmt.Printf("gothreads %s: PASS\n", os.Args[1])
}
