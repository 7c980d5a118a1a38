// os.go - gothreads' modes that meet the operating system: child processes, signals,
// timers.
package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// testExec - child processes from a threaded process: /bin/echo's output through a pipe,
// /bin/true and /bin/false's exit codes, several children started from goroutines at
// once, and ourselves as a filter on a stdin pipe with an exit code of its own.
func testExec() {
	out, err := exec.Command("/bin/echo", "hello", "from", "echo").Output()
	check(err == nil && string(out) == "hello from echo\n", "/bin/echo: %q, %v", out, err)
	check(exec.Command("/bin/true").Run() == nil, "/bin/true did not succeed")
	err = exec.Command("/bin/false").Run()
	var ee *exec.ExitError
	check(errors.As(err, &ee) && ee.ExitCode() == 1, "/bin/false: %v, want exit status 1", err)
	err = exec.Command("/no/such/program").Run()
	check(errors.Is(err, os.ErrNotExist), "missing program: %v, want ENOENT", err)

	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			word := fmt.Sprintf("child%d", i)
			out, err := exec.Command("/bin/echo", word).Output()
			check(err == nil && string(out) == word+"\n", "concurrent echo %d: %q, %v", i, out, err)
		}(i)
	}
	wg.Wait()

	cmd := exec.Command(os.Args[0], "child")
	cmd.Stdin = strings.NewReader("some words\nfor the child\n")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err = cmd.Run()
	if !onHolstein() && errors.Is(err, syscall.ENOEXEC) {
		skip("exec of a riscv64 binary (host has no binfmt_misc entry for qemu)")
		return
	}
	check(errors.As(err, &ee) && ee.ExitCode() == 3, "self as child: %v, want exit status 3", err)
	check(stdout.String() == "SOME WORDS\nFOR THE CHILD\n", "self as child wrote %q", stdout.String())
	check(stderr.String() == "child: 25 bytes\n", "self as child's stderr %q", stderr.String())
}

// childMain - the child of testExec: upper-case stdin to stdout, count to stderr, exit 3.
func childMain() {
	var in bytes.Buffer
	if _, err := in.ReadFrom(os.Stdin); err != nil {
		os.Exit(1)
	}
	os.Stdout.WriteString(strings.ToUpper(in.String()))
	fmt.Fprintf(os.Stderr, "child: %d bytes\n", in.Len())
	os.Exit(3)
}

// testSignal - os/signal: a notified signal sent to ourselves arrives on the channel,
// repeatedly, while other goroutines keep every thread busy; one sent from another
// goroutine locked to its own thread too; an ignored one does nothing; Stop ends delivery.
func testSignal() {
	runtime.GOMAXPROCS(4)
	c := make(chan os.Signal, 1)
	signal.Notify(c, syscall.SIGUSR1, syscall.SIGHUP)
	stop := make(chan struct{})
	var spinners sync.WaitGroup
	for i := 0; i < 3; i++ {
		spinners.Add(1)
		go func() {
			defer spinners.Done()
			for x := 0; ; x++ {
				select {
				case <-stop:
					return
				default:
				}
				if x%1000 == 0 {
					runtime.Gosched()
				}
			}
		}()
	}
	pid := syscall.Getpid()
	for i := 0; i < 20; i++ {
		check(syscall.Kill(pid, syscall.SIGUSR1) == nil, "kill(self, SIGUSR1)")
		s := <-c
		check(s == syscall.SIGUSR1, "round %d: got %v, want SIGUSR1", i, s)
	}
	go func() {
		runtime.LockOSThread()
		syscall.Kill(pid, syscall.SIGHUP)
	}()
	s := <-c
	check(s == syscall.SIGHUP, "got %v, want SIGHUP (sent from another thread)", s)

	signal.Ignore(syscall.SIGUSR2)
	check(syscall.Kill(pid, syscall.SIGUSR2) == nil, "kill(self, SIGUSR2) while ignored")
	signal.Stop(c)
	signal.Ignore(syscall.SIGUSR1)
	syscall.Kill(pid, syscall.SIGUSR1)

	// NotifyContext: cancelled by the signal.
	ctx, cancel := signal.NotifyContext(context.Background(), syscall.SIGUSR2)
	defer cancel()
	syscall.Kill(pid, syscall.SIGUSR2)
	<-ctx.Done()
	check(ctx.Err() == context.Canceled, "NotifyContext: %v, want canceled", ctx.Err())
	close(stop)
	spinners.Wait()
	select {
	case s := <-c:
		check(false, "signal %v delivered after Stop", s)
	default:
	}
}

// testTimer - sleeps and timers: none returns early (a lower bound only; the runner's
// timeout catches one that never returns), a stopped timer never fires, a ticker ticks,
// a context times out, and 500 goroutines sleeping at once all wake.
func testTimer() {
	for _, d := range []time.Duration{time.Millisecond, 20 * time.Millisecond} {
		t0 := time.Now()
		time.Sleep(d)
		check(time.Since(t0) >= d, "Sleep(%v) returned after %v", d, time.Since(t0))
	}
	t0 := time.Now()
	<-time.NewTimer(30 * time.Millisecond).C
	check(time.Since(t0) >= 30*time.Millisecond, "a 30ms timer fired after %v", time.Since(t0))

	never := time.NewTimer(time.Hour)
	check(never.Stop(), "Stop of a pending timer says it had not fired")
	var fired int32
	af := time.AfterFunc(time.Hour, func() { atomic.StoreInt32(&fired, 1) })
	check(af.Stop(), "Stop of a pending AfterFunc")

	done := make(chan time.Time)
	t0 = time.Now()
	time.AfterFunc(10*time.Millisecond, func() { done <- time.Now() })
	check((<-done).Sub(t0) >= 10*time.Millisecond, "a 10ms AfterFunc ran early")

	tk := time.NewTicker(5 * time.Millisecond)
	var last time.Time
	for i := 0; i < 5; i++ {
		now := <-tk.C
		check(last.IsZero() || now.After(last), "tick %d not after the one before", i)
		last = now
	}
	tk.Stop()

	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Millisecond)
	defer cancel()
	<-ctx.Done()
	check(ctx.Err() == context.DeadlineExceeded, "context: %v, want deadline exceeded", ctx.Err())

	var wg sync.WaitGroup
	var woke int32
	for i := 0; i < 500; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			time.Sleep(time.Duration(i%7) * time.Millisecond)
			atomic.AddInt32(&woke, 1)
		}(i)
	}
	wg.Wait()
	check(woke == 500, "%d of 500 sleepers woke", woke)
	check(atomic.LoadInt32(&fired) == 0, "a stopped AfterFunc ran")
	check(time.Now().After(t0), "the clock went backwards")
}
