/*
 * t_futex_robust - robust futexes across processes: a process-shared robust pthread mutex in
 * MAP_SHARED memory whose owner process exits, is woken while someone sleeps in the lock,
 * or is killed by SIGKILL; the next locker gets EOWNERDEAD each time. This is the kernel's
 * robust-list walk at exit (futex_exit_robust). Not in USER_TEST_NAMES until the exit path
 * calls it (set_robust_list must record the head): without it the second case hangs.
 * Under qemu-user (no set_robust_list) glibc refuses the mutex: the test skips.
 */
#include "ulib.h"
#include <pthread.h>
#include <sys/mman.h>

struct shm {
	pthread_mutex_t m;
	volatile int held;
};

/* owner - fork a child that takes the lock, says so, then runs @tail; returns its pid. */
static pid_t owner(struct shm *s, int tail)
{
	pid_t parent = getpid(), pid;

	s->held = 0;
	pid = must_fork();
	if (pid == 0) {
		pthread_mutex_lock(&s->m);
		s->held = 1;
		if (tail == 1)
			wait_asleep(parent);	/* die once the parent sleeps in the lock */
		while (tail == 2)
			pause();		/* wait to be killed */
		_exit(0);
	}
	while (!s->held)
		sched_yield();
	return pid;
}

/* relock - make the dead lock consistent and release it for the next case. */
static void relock(struct shm *s)
{
	pthread_mutex_consistent(&s->m);
	pthread_mutex_unlock(&s->m);
}

int main(void)
{
	struct shm *s = mmap(NULL, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	pthread_mutexattr_t a;
	pid_t pid;
	int r;

	t_init();
	if (s == MAP_FAILED)
		die("mmap: %s", strerror(errno));
	pthread_mutexattr_init(&a);
	pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
	pthread_mutexattr_setpshared(&a, PTHREAD_PROCESS_SHARED);
	if ((r = pthread_mutex_init(&s->m, &a)) != 0) {
		t_skip("a process-shared robust mutex: %s (no set_robust_list here)", strerror(r));
		return t_done("t_futex_robust");
	}
	pid = owner(s, 0);
	wait_pid(pid);
	CHECK(pthread_mutex_lock(&s->m) == EOWNERDEAD, "lock after the owner process exited -> EOWNERDEAD");
	relock(s);

	pid = owner(s, 1);
	r = pthread_mutex_lock(&s->m);
	CHECK(r == EOWNERDEAD, "a locker asleep in the lock is woken with EOWNERDEAD (%d)", r);
	wait_pid(pid);
	relock(s);

	pid = owner(s, 2);
	kill(pid, SIGKILL);
	CHECK_SIG(wait_pid(pid), SIGKILL, "the owner was killed");
	CHECK(pthread_mutex_lock(&s->m) == EOWNERDEAD, "lock after the owner was killed -> EOWNERDEAD");
	CHECK(pthread_mutex_unlock(&s->m) == 0, "unlock without making it consistent");
	CHECK(pthread_mutex_lock(&s->m) == ENOTRECOVERABLE, "... then it is ENOTRECOVERABLE");
	return t_done("t_futex_robust");
}
