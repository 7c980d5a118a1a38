// cppthreads - a static C++ program of the kind users hand Holstein: std::thread and
// its companions from libstdc++, on top of glibc's pthreads (clone, futex, TLS).
//
//     cppthreads MODE      MODE: prodcons async tls exception atomic join
//
// One mode per run, so each is one verdict in the suite (user/ext/manifest). Every
// failed check prints a "FAIL: ..." line; the last line is "cppthreads MODE: PASS" or
// "cppthreads MODE: FAIL (N checks failed)", and the exit status is 0 only on PASS.
// No timing thresholds: a hang is caught by the runner's per-program timeout.
#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <deque>
#include <exception>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <numeric>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>
#include <unistd.h>
#include <sys/syscall.h>

static std::atomic<int> failed{0};

// check - report a failed check; safe from any thread. Returns ok.
static bool check(bool ok, const std::string &what)
{
	if (!ok) {
		failed++;
		std::printf("FAIL: %s\n", what.c_str());
		std::fflush(stdout);
	}
	return ok;
}

// test_prodcons - a bounded queue under one mutex and two condition variables: 3
// producers, 4 consumers; every item is consumed exactly once.
static void test_prodcons()
{
	const int producers = 3, per = 20000, cap = 16;
	std::mutex mu;
	std::condition_variable not_full, not_empty;
	std::deque<int> q;
	int producing = producers;
	std::vector<long> sums(4, 0);
	std::vector<int> counts(4, 0);
	std::vector<std::thread> ts;

	for (int p = 0; p < producers; p++)
		ts.emplace_back([&, p] {
			for (int i = 0; i < per; i++) {
				std::unique_lock<std::mutex> lk(mu);
				not_full.wait(lk, [&] { return q.size() < (size_t)cap; });
				q.push_back(p * per + i);
				not_empty.notify_one();
			}
			std::lock_guard<std::mutex> lk(mu);
			if (--producing == 0)
				not_empty.notify_all();
		});
	for (int c = 0; c < 4; c++)
		ts.emplace_back([&, c] {
			for (;;) {
				std::unique_lock<std::mutex> lk(mu);
				not_empty.wait(lk, [&] { return !q.empty() || producing == 0; });
				if (q.empty())
					return;
				sums[c] += q.front();
				counts[c]++;
				q.pop_front();
				not_full.notify_one();
			}
		});
	for (auto &t : ts)
		t.join();
	long n = (long)producers * per;
	long sum = std::accumulate(sums.begin(), sums.end(), 0L);
	int count = std::accumulate(counts.begin(), counts.end(), 0);
	check(count == n, "consumed " + std::to_string(count) + " items, want " + std::to_string(n));
	check(sum == n * (n - 1) / 2, "consumed items sum to " + std::to_string(sum));
}

// fib - deliberately slow work for the futures.
static long fib(int n)
{
	return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

// test_async - std::async on new threads and deferred, packaged_task, promise/future
// across threads, and a shared_future waited on by several threads.
static void test_async()
{
	std::vector<std::future<long>> fs;
	for (int i = 15; i < 23; i++)
		fs.push_back(std::async(std::launch::async, fib, i));
	auto deferred = std::async(std::launch::deferred, fib, 20);
	for (int i = 0; i < 8; i++)
		check(fs[i].get() == fib(15 + i), "async fib(" + std::to_string(15 + i) + ")");
	check(deferred.get() == 6765, "deferred fib(20)");

	std::packaged_task<std::string(int)> task([](int x) { return std::to_string(x * 2); });
	auto tf = task.get_future();
	std::thread(std::move(task), 21).join();
	check(tf.get() == "42", "packaged_task result");

	std::promise<int> go;
	std::shared_future<int> sf = go.get_future().share();
	std::atomic<int> seen{0};
	std::vector<std::thread> ts;
	for (int i = 0; i < 6; i++)
		ts.emplace_back([&] { seen += sf.get(); });
	go.set_value(7);
	for (auto &t : ts)
		t.join();
	check(seen == 42, "6 waiters on a shared_future saw " + std::to_string(seen.load()));
}

thread_local int tls_counter = 100;
thread_local std::string tls_name = "initial";

// TlsProbe - counts constructions and destructions of a thread_local object.
static std::atomic<int> probes_made{0}, probes_gone{0};
struct TlsProbe {
	TlsProbe() { probes_made++; }
	~TlsProbe() { probes_gone++; }
	int touch() { return 1; }
};
thread_local TlsProbe tls_probe;

// test_tls - thread_local: each thread starts from the initial values, its changes stay
// its own, the main thread's copy is untouched, and thread_local destructors run at
// thread exit. Also: every thread has its own kernel thread id.
static void test_tls()
{
	tls_counter = 5;
	tls_name = "main";
	const int n = 8;
	std::vector<std::thread> ts;
	std::mutex mu;
	std::set<long> tids;
	std::atomic<int> ok{0};
	for (int i = 0; i < n; i++)
		ts.emplace_back([&, i] {
			bool fresh = tls_counter == 100 && tls_name == "initial";
			tls_probe.touch();
			for (int k = 0; k < 1000; k++)
				tls_counter++;
			tls_name = "thread" + std::to_string(i);
			std::this_thread::yield();
			if (fresh && tls_counter == 1100 && tls_name == "thread" + std::to_string(i))
				ok++;
			std::lock_guard<std::mutex> lk(mu);
			tids.insert(syscall(SYS_gettid));
		});
	for (auto &t : ts)
		t.join();
	check(ok == n, std::to_string(ok.load()) + " of " + std::to_string(n) +
			       " threads saw their own thread_local values");
	check(tls_counter == 5 && tls_name == "main", "the main thread's thread_locals changed");
	check(tids.size() == (size_t)n && !tids.count(getpid()),
	      std::to_string(tids.size()) + " distinct thread ids for " + std::to_string(n) + " threads");
	// One more was made for the main thread, when it first used this file's
	// thread_locals (they are initialised together); it lives until main's exit.
	check(probes_made == n + 1 && probes_gone == n,
	      "thread_local objects: " + std::to_string(probes_made.load()) + " made, " +
		      std::to_string(probes_gone.load()) + " destroyed, want " + std::to_string(n + 1) + " and " + std::to_string(n));
}

// test_exception - exceptions thrown on other threads: carried out through
// std::exception_ptr, through a future, and caught and handled within the thread
// while others throw at the same time (unwinding on several threads at once).
static void test_exception()
{
	std::exception_ptr eptr;
	std::thread([&] {
		try {
			throw std::runtime_error("from a thread");
		} catch (...) {
			eptr = std::current_exception();
		}
	}).join();
	try {
		if (eptr)
			std::rethrow_exception(eptr);
		check(false, "no exception_ptr came back");
	} catch (const std::runtime_error &e) {
		check(std::strcmp(e.what(), "from a thread") == 0, std::string("what() is ") + e.what());
	}

	auto f = std::async(std::launch::async, []() -> int { throw std::out_of_range("async"); });
	try {
		f.get();
		check(false, "future.get() did not throw");
	} catch (const std::out_of_range &e) {
		check(std::string(e.what()) == "async", "future's exception what()");
	}

	std::atomic<int> caught{0};
	std::vector<std::thread> ts;
	for (int i = 0; i < 8; i++)
		ts.emplace_back([&, i] {
			for (int k = 0; k < 500; k++) {
				try {
					if ((k + i) % 2)
						throw std::logic_error("odd");
					throw k;
				} catch (const std::logic_error &) {
					caught++;
				} catch (int v) {
					if (v == k)
						caught++;
				}
			}
		});
	for (auto &t : ts)
		t.join();
	check(caught == 8 * 500, "caught " + std::to_string(caught.load()) + " of 4000 exceptions");
}

// test_atomic - std::atomic read-modify-writes from 8 threads: fetch_add, a CAS loop, and
// a spinlock built on atomic_flag guarding a plain counter.
static void test_atomic()
{
	const int n = 8, iters = 50000;
	std::atomic<long> added{0}, casmax{0};
	std::atomic_flag lock = ATOMIC_FLAG_INIT;
	long plain = 0;
	std::vector<std::thread> ts;
	for (int i = 0; i < n; i++)
		ts.emplace_back([&, i] {
			for (int k = 0; k < iters; k++) {
				added.fetch_add(1, std::memory_order_relaxed);
				long want = (long)i * iters + k, cur = casmax.load();
				while (cur < want && !casmax.compare_exchange_weak(cur, want))
					;
				while (lock.test_and_set(std::memory_order_acquire))
					std::this_thread::yield();
				plain++;
				lock.clear(std::memory_order_release);
			}
		});
	for (auto &t : ts)
		t.join();
	check(added == (long)n * iters, "fetch_add total " + std::to_string(added.load()));
	check(casmax == (long)n * iters - 1, "CAS max " + std::to_string(casmax.load()));
	check(plain == (long)n * iters, "spinlocked counter " + std::to_string(plain));
}

// test_join - many threads, in waves: 64 at once, 4 waves; each returns its index
// through its own slot, and a detached thread finishes before its signal is seen.
static void test_join()
{
	const int wave = 64;
	for (int w = 0; w < 4; w++) {
		std::vector<int> slot(wave, -1);
		std::vector<std::thread> ts;
		for (int i = 0; i < wave; i++)
			ts.emplace_back([&slot, i, w] { slot[i] = i * w; });
		for (auto &t : ts) {
			check(t.joinable(), "a running thread is joinable");
			t.join();
		}
		for (int i = 0; i < wave; i++)
			if (!check(slot[i] == i * w, "wave " + std::to_string(w) + " slot " + std::to_string(i)))
				break;
	}
	// The promise is shared: the detached thread may still be inside set_value when
	// we return.
	auto done = std::make_shared<std::promise<void>>();
	auto df = done->get_future();
	std::thread([done] { done->set_value(); }).detach();
	df.wait();
	check(std::thread::hardware_concurrency() >= 1, "hardware_concurrency");
}

int main(int argc, char **argv)
{
	static const std::map<std::string, std::function<void()>> modes = {
		{"prodcons", test_prodcons}, {"async", test_async},   {"tls", test_tls},
		{"exception", test_exception}, {"atomic", test_atomic}, {"join", test_join},
	};
	if (argc != 2 || !modes.count(argv[1])) {
		std::fprintf(stderr, "usage: cppthreads prodcons|async|tls|exception|atomic|join\n");
		return 2;
	}
	modes.at(argv[1])();
	if (failed) {
		std::printf("cppthreads %s: FAIL (%d checks failed)\n", argv[1], failed.load());
		return 1;
	}
	std::printf("cppthreads %s: PASS\n", argv[1]);
	return 0;
}
