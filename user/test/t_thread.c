/*
 * t_thread - threads as glibc makes them: pthread_create/join (clone with the thread
 * flags, CLONE_CHILD_CLEARTID and futex wake), getpid/gettid, a mutex and a condition
 * variable under contention, what threads share (memory, descriptors, cwd, signal
 * actions) and what they do not (masks, altstacks); exit of one thread, exit_group from
 * any, the leader exiting first; signals to a process and to one thread (tgkill, ESRCH),
 * a fault in one thread killing all; fork and execve from a thread; clone's other flag
 * combinations and its EINVALs; clone3; sched_{get,set}affinity per thread.
 */
#include "ulib.h"
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <sys/syscall.h>
#include <linux/sched.h>

#define NTHREADS 8

static pid_t xgettid(void)
{
	return (pid_t)syscall(SYS_gettid);
}

/* --- create, join, identity ------------------------------------------------------- */

struct ident {
	pid_t pid, tid;
	long sum;
};

static void *ident_thread(void *arg)
{
	struct ident *id = arg;

	id->pid = getpid();
	id->tid = xgettid();
	for (int i = 1; i <= 1000; i++)
		id->sum += i;
	return arg;
}

static void check_create_join(void)
{
	pthread_t th[NTHREADS];
	struct ident id[NTHREADS];
	int ok_pid = 1, ok_tid = 1, ok_ret = 1, ok_sum = 1;

	memset(id, 0, sizeof(id));
	for (int i = 0; i < NTHREADS; i++)
		if (pthread_create(&th[i], NULL, ident_thread, &id[i]))
			die("pthread_create");
	for (int i = 0; i < NTHREADS; i++) {
		void *ret;
		pthread_join(th[i], &ret);
		ok_ret &= ret == &id[i];
		ok_pid &= id[i].pid == getpid();
		ok_tid &= id[i].tid != getpid() && id[i].tid > 0;
		ok_sum &= id[i].sum == 500500;
		for (int j = 0; j < i; j++)
			ok_tid &= id[i].tid != id[j].tid;
	}
	CHECK(ok_ret && ok_sum, "%d threads ran and pthread_join returned their values", NTHREADS);
	CHECK(ok_pid, "getpid() in every thread is the process id");
	CHECK(ok_tid, "gettid() is distinct per thread and not the pid");
	CHECK(xgettid() == getpid(), "the main thread's tid is the pid");
}

/* --- a mutex and a condition variable under contention ----------------------------- */

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static long counter, queue_len, consumed;

static void *mutex_thread(void *arg)
{
	(void)arg;
	for (int i = 0; i < 20000; i++) {
		pthread_mutex_lock(&mu);
		counter++;
		pthread_mutex_unlock(&mu);
	}
	return NULL;
}

static void *consumer(void *arg)
{
	long want = (long)arg, got = 0;

	while (got < want) {
		pthread_mutex_lock(&mu);
		while (!queue_len)
			pthread_cond_wait(&cv, &mu);
		queue_len--;
		consumed++;
		got++;
		pthread_mutex_unlock(&mu);
	}
	return NULL;
}

static void check_mutex_cond(void)
{
	pthread_t th[4];

	for (int i = 0; i < 4; i++)
		pthread_create(&th[i], NULL, mutex_thread, NULL);
	for (int i = 0; i < 4; i++)
		pthread_join(th[i], NULL);
	CHECK(counter == 80000, "4 threads x 20000 mutex-protected increments = %ld", counter);

	for (int i = 0; i < 4; i++)
		pthread_create(&th[i], NULL, consumer, (void *)2500L);
	for (int i = 0; i < 10000; i++) {
		pthread_mutex_lock(&mu);
		queue_len++;
		pthread_cond_signal(&cv);
		pthread_mutex_unlock(&mu);
	}
	for (int i = 0; i < 4; i++)
		pthread_join(th[i], NULL);
	CHECK(consumed == 10000 && queue_len == 0, "condition variable: 10000 items consumed by 4");
}

/* --- what is shared and what is not ----------------------------------------------- */

static int shared_fd = -1;
static sigset_t thread_mask;
static stack_t thread_ss;

static void *share_thread(void *arg)
{
	(void)arg;
	shared_fd = open("/proc/self/stat", O_RDONLY);
	if (chdir("/proc"))
		return (void *)1;
	pthread_sigmask(SIG_BLOCK, NULL, &thread_mask);
	sigaltstack(NULL, &thread_ss);
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	sigaction(SIGUSR2, &sa, NULL);
	return NULL;
}

static void check_sharing(void)
{
	pthread_t th;
	sigset_t block;
	char cwd[64];
	static char altstack[16384];
	stack_t ss = { .ss_sp = altstack, .ss_size = sizeof(altstack) };
	struct sigaction old;

	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &block, NULL);
	sigaltstack(&ss, NULL);
	pthread_create(&th, NULL, share_thread, NULL);
	pthread_join(th, NULL);
	CHECK(shared_fd >= 0 && fcntl(shared_fd, F_GETFD) >= 0, "a descriptor opened in a thread is ours");
	close(shared_fd);
	CHECK(getcwd(cwd, sizeof(cwd)) && !strcmp(cwd, "/proc"), "chdir in a thread moves us (%s)", cwd);
	if (chdir("/"))
		die("chdir");
	CHECK(sigismember(&thread_mask, SIGUSR1), "a new thread inherits the creator's mask");
	CHECK(thread_ss.ss_flags & SS_DISABLE, "a new thread has no alternate stack");
	sigaction(SIGUSR2, NULL, &old);
	CHECK(old.sa_handler == SIG_IGN, "a thread's sigaction is the process's");
	signal(SIGUSR2, SIG_DFL);
	pthread_sigmask(SIG_UNBLOCK, &block, NULL);
	ss.ss_flags = SS_DISABLE;
	sigaltstack(&ss, NULL);
}

/* --- exit of one thread, of all, and of the leader first -------------------------- */

static void *spin_forever(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

static void *exit_group_thread(void *arg)
{
	(void)arg;
	exit(7);
}

static void *last_thread(void *arg)
{
	(void)arg;
	/* The leader has called pthread_exit; we are the process now. */
	char buf[512];
	long n = read_small_file("/proc/self/stat", buf, sizeof(buf));
	syscall(SYS_exit_group, n > 0 ? 9 : 10);
	return NULL;
}

static void leader_exits_first(void *arg)
{
	(void)arg;
	pthread_t th;
	pthread_create(&th, NULL, last_thread, NULL);
	pthread_exit(NULL);
}

static void check_exits(void)
{
	pid_t pid = must_fork();
	if (pid == 0) {
		pthread_t th[3];
		for (int i = 0; i < 3; i++)
			pthread_create(&th[i], NULL, spin_forever, NULL);
		pthread_create(&th[0], NULL, exit_group_thread, NULL);
		for (;;)
			pause();
	}
	CHECK_EXIT(wait_pid(pid), 7, "exit() in one thread ends all four (exit_group)");
	CHECK_EXIT(run_child(leader_exits_first, NULL), 9,
		   "the leader exits first; the last thread's exit_group status is the process's");
	pid = must_fork();
	if (pid == 0) {
		pthread_t th;
		pthread_create(&th, NULL, spin_forever, NULL);
		syscall(SYS_exit, 0);	/* the leader alone: the process lives on */
	}
	char st = wait_asleep(pid);
	CHECK(st == 'Z' || st == 'S', "leader gone, thread alive: the process is not reaped (%c)", st);
	int r = waitpid(pid, NULL, WNOHANG);
	CHECK(r == 0, "wait4 does not report a process whose other thread lives");
	kill(pid, SIGKILL);
	CHECK_SIG(wait_pid(pid), SIGKILL, "SIGKILL to it ends the last thread");
}

/* --- signals ----------------------------------------------------------------------- */

static _Atomic pid_t usr1_taker;
static _Atomic int ready_count;

static void on_usr1(int sig)
{
	(void)sig;
	usr1_taker = xgettid();
}

static void *blocked_waiter(void *arg)
{
	sigset_t s;
	(void)arg;
	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	pthread_sigmask(SIG_UNBLOCK, &s, NULL);
	ready_count++;
	while (!usr1_taker)
		;
	return NULL;
}

static void *tid_reporter(void *arg)
{
	*(pid_t *)arg = xgettid();
	ready_count++;
	while (!usr1_taker)
		sched_yield();
	return NULL;
}

static void *segv_thread(void *arg)
{
	(void)arg;
	*(volatile int *)hide_ptr(8) = 1;
	return NULL;
}

static void check_signals(void)
{
	pthread_t th, th2;
	sigset_t s;
	pid_t tid = 0;

	signal(SIGUSR1, on_usr1);
	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &s, NULL);
	ready_count = 0;
	usr1_taker = 0;
	pthread_create(&th, NULL, blocked_waiter, NULL);
	while (ready_count < 1)
		sched_yield();
	kill(getpid(), SIGUSR1);
	pthread_join(th, NULL);
	CHECK(usr1_taker != getpid() && usr1_taker > 0,
	      "kill() to the process is taken by the thread that does not block it");

	usr1_taker = 0;
	ready_count = 0;
	pthread_sigmask(SIG_UNBLOCK, &s, NULL);
	pthread_create(&th2, NULL, tid_reporter, &tid);
	while (ready_count < 1)
		sched_yield();
	CHECK(syscall(SYS_tgkill, getpid(), tid, SIGUSR1) == 0, "tgkill(pid, tid, SIGUSR1)");
	pthread_join(th2, NULL);
	CHECK(usr1_taker == tid, "tgkill's signal ran in the thread it named");
	CHECK_ERR(syscall(SYS_tgkill, getpid() + 100000, tid, 0), ESRCH, "tgkill with a bad tgid");
	/* pthread_join returns at the CLEARTID wake, a moment before the thread is gone. */
	for (int i = 0; i < 100000 && syscall(SYS_tgkill, getpid(), tid, 0) == 0; i++)
		sched_yield();
	CHECK_ERR(syscall(SYS_tgkill, getpid(), tid, 0), ESRCH, "tgkill to a thread that has exited");
	CHECK_ERR(syscall(SYS_tgkill, 0, tid, 0), EINVAL, "tgkill with tgid 0");
	CHECK_ERR(syscall(SYS_tkill, -1, SIGUSR1), EINVAL, "tkill with tid -1");
	signal(SIGUSR1, SIG_DFL);

	pid_t pid = must_fork();
	if (pid == 0) {
		pthread_t t1, t2;
		pthread_create(&t1, NULL, spin_forever, NULL);
		pthread_create(&t2, NULL, segv_thread, NULL);
		for (;;)
			pause();
	}
	CHECK_SIG(wait_pid(pid), SIGSEGV, "SIGSEGV in one thread kills the whole process");

	/* sigwait in a thread, with the signal blocked everywhere. */
	pthread_sigmask(SIG_BLOCK, &s, NULL);
	pid = must_fork();
	if (pid == 0) {
		int sig = 0;
		pthread_create(&th, NULL, spin_forever, NULL);
		kill(getpid(), SIGUSR1);
		sigwait(&s, &sig);
		_exit(sig == SIGUSR1 ? 0 : 1);
	}
	CHECK_EXIT(wait_pid(pid), 0, "sigwait takes a process-directed signal with threads around");
	pthread_sigmask(SIG_UNBLOCK, &s, NULL);
}

/* --- fork and execve from a thread -------------------------------------------------- */

static void *fork_thread(void *arg)
{
	char path[64];
	(void)arg;
	pid_t pid = fork();
	if (pid == 0) {
		char buf[2048];
		long n = read_small_file("/proc/self/status", buf, sizeof(buf));
		long threads = n > 0 ? field_value(buf, "Threads:") : -1;
		_exit(threads == 1 || threads == -1 ? 0 : 1);
	}
	snprintf(path, sizeof(path), "%d", pid);
	return (void *)(long)wait_pid(pid);
}

static const char *self_exe;

static void *exec_thread(void *arg)
{
	(void)arg;
	execl(self_exe, "t_thread", "exec-child", (char *)NULL);
	return NULL;
}

static void check_fork_exec(void)
{
	pthread_t th, spinner;
	void *st;

	pthread_create(&spinner, NULL, spin_forever, NULL);
	pthread_create(&th, NULL, fork_thread, NULL);
	pthread_join(th, &st);
	CHECK_EXIT((int)(long)st, 0, "fork from a thread: the child has one thread, and is waited for");

	if (!on_holstein()) {
		t_skip("execve from a thread: qemu-user cannot run it");
		return;
	}
	pid_t pid = must_fork();
	if (pid == 0) {
		pthread_t t[3];
		for (int i = 0; i < 2; i++)
			pthread_create(&t[i], NULL, spin_forever, NULL);
		pthread_create(&t[2], NULL, exec_thread, NULL);
		for (;;)
			pause();
	}
	int ws = wait_pid(pid);
	CHECK_EXIT(ws, 42, "execve from a thread: the others die, the new image has our pid");
}

/* --- raw clone flag combinations ---------------------------------------------------- */

static char child_stack[65536] __attribute__((aligned(16)));
static volatile int vm_word;

static int vm_child(void *arg)
{
	(void)arg;
	vm_word = 1;
	return 5;
}

static int files_child(void *arg)
{
	int fd = *(int *)arg;
	close(fd);
	return 0;
}

static void check_clone_flags(void)
{
	if (!on_holstein()) {
		t_skip("clone without CLONE_THREAD on shared memory, clone3: qemu-user lacks them");
		return;
	}
	pid_t pid = clone(vm_child, child_stack + sizeof(child_stack), CLONE_VM | SIGCHLD, NULL);
	int st = wait_pid(pid);
	CHECK(pid > 0 && vm_word == 1, "CLONE_VM without CLONE_THREAD: a process on our memory");
	CHECK_EXIT(st, 5, "... and wait4 collects it like any child");

	int fd = open("/proc/self/stat", O_RDONLY);
	pid = clone(files_child, child_stack + sizeof(child_stack), CLONE_FILES | SIGCHLD, &fd);
	wait_pid(pid);
	CHECK(fcntl(fd, F_GETFD) == -1 && errno == EBADF,
	      "CLONE_FILES without CLONE_VM: the child's close closes ours");

	CHECK_ERR(syscall(SYS_clone, CLONE_THREAD | CLONE_VM, 0, 0, 0, 0), EINVAL,
		  "CLONE_THREAD without CLONE_SIGHAND");
	CHECK_ERR(syscall(SYS_clone, CLONE_SIGHAND, 0, 0, 0, 0), EINVAL,
		  "CLONE_SIGHAND without CLONE_VM");

	struct clone_args ca;
	memset(&ca, 0, sizeof(ca));
	ca.exit_signal = SIGCHLD;
	long r = syscall(SYS_clone3, &ca, sizeof(ca));
	if (r == 0)
		_exit(11);
	CHECK(r > 0, "clone3 with an exit signal forks");
	if (r > 0)
		CHECK_EXIT(wait_pid((pid_t)r), 11, "clone3's child is a process we wait for");
	CHECK_ERR(syscall(SYS_clone3, &ca, 32), EINVAL, "clone3 with a size below the first version");
	char big[128];
	memset(big, 0, sizeof(big));
	memcpy(big, &ca, sizeof(ca));
	big[100] = 1;
	CHECK_ERR(syscall(SYS_clone3, big, sizeof(big)), E2BIG, "clone3 with unknown nonzero bytes");
	ca.flags = CLONE_THREAD | CLONE_SIGHAND | CLONE_VM;
	CHECK_ERR(syscall(SYS_clone3, &ca, sizeof(ca)), EINVAL, "clone3 CLONE_THREAD with an exit signal");
}

/* --- affinity ------------------------------------------------------------------------ */

static void *affinity_thread(void *arg)
{
	cpu_set_t set;
	(void)arg;
	CPU_ZERO(&set);
	CPU_SET(0, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		return (void *)1;
	for (int i = 0; i < 100; i++) {
		if (sched_getcpu() != 0)
			return (void *)2;
		sched_yield();
	}
	return NULL;
}

static void check_affinity(void)
{
	cpu_set_t before, after;
	pthread_t th;
	void *r;

	sched_getaffinity(0, sizeof(before), &before);
	CHECK(CPU_COUNT(&before) >= 1, "sched_getaffinity: %d harts", CPU_COUNT(&before));
	pthread_create(&th, NULL, affinity_thread, NULL);
	pthread_join(th, &r);
	CHECK(r == NULL, "a thread pinned to hart 0 runs only there (%ld)", (long)r);
	sched_getaffinity(0, sizeof(after), &after);
	CHECK(CPU_EQUAL(&before, &after), "pinning a thread leaves the others' masks alone");
	cpu_set_t none;
	CPU_ZERO(&none);
	CHECK_ERR(sched_setaffinity(0, sizeof(none), &none), EINVAL, "an empty mask");
	CHECK_ERR(sched_getaffinity(999999, sizeof(after), &after), ESRCH, "no such thread");
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "exec-child")) {
		char buf[2048];
		long n = read_small_file("/proc/self/status", buf, sizeof(buf));
		long threads = n > 0 ? field_value(buf, "Threads:") : 1;
		return threads == 1 || threads == -1 ? 42 : 43;
	}
	t_init();
	self_exe = self_path(argv[0]);
	check_create_join();
	check_mutex_cond();
	check_sharing();
	check_exits();
	check_signals();
	check_fork_exec();
	check_clone_flags();
	check_affinity();
	return t_done("t_thread");
}
