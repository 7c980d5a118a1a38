/*
 * t_futex_thr - futexes between threads: a pthread mutex under contention, a condvar
 * producer/consumer, pthread_join of many threads (the kernel's clear_child_tid wake), a
 * robust mutex whose owner thread exits (EOWNERDEAD, then ENOTRECOVERABLE if not made
 * consistent), and private futex ops by raw syscall between threads (WAIT/WAKE, REQUEUE,
 * WAKE_OP). Needs CLONE_THREAD: not in USER_TEST_NAMES until Holstein has threads.
 */
#include "ulib.h"
#include <limits.h>
#include <linux/futex.h>
#include <pthread.h>

#define NTHR 8
#define ROUNDS 20000
#define NJOIN 64
#define ITEMS 5000

static long fx(uint32_t *u, int op, uint32_t val, long val2, uint32_t *u2, uint32_t val3)
{
	return syscall(SYS_futex, u, op, val, (void *)val2, u2, val3);
}

static pthread_mutex_t mtx = PTHREAD_MUTEX_INITIALIZER;
static long counter;

static void *mutex_worker(void *arg)
{
	(void)arg;
	for (int i = 0; i < ROUNDS; i++) {
		pthread_mutex_lock(&mtx);
		counter++;
		pthread_mutex_unlock(&mtx);
	}
	return NULL;
}

/* check_mutex - NTHR threads increment one counter under a pthread mutex. */
static void check_mutex(void)
{
	pthread_t t[NTHR];
	int made = 0;

	for (int i = 0; i < NTHR; i++)
		made += pthread_create(&t[i], NULL, mutex_worker, NULL) == 0;
	CHECK(made == NTHR, "created %d threads", NTHR);
	for (int i = 0; i < made; i++)
		pthread_join(t[i], NULL);
	CHECK(counter == (long)made * ROUNDS, "mutex: %d x %d increments -> %ld", made, ROUNDS, counter);
}

static pthread_cond_t cv_put = PTHREAD_COND_INITIALIZER, cv_get = PTHREAD_COND_INITIALIZER;
static int slot, slot_full;
static long consumed_sum;

static void *consumer(void *arg)
{
	(void)arg;
	for (;;) {
		pthread_mutex_lock(&mtx);
		while (!slot_full)
			pthread_cond_wait(&cv_put, &mtx);
		int v = slot;
		slot_full = 0;
		pthread_cond_signal(&cv_get);
		pthread_mutex_unlock(&mtx);
		if (v < 0)
			return NULL;
		consumed_sum += v;
	}
}

/* check_condvar - one slot handed back and forth ITEMS times through two condvars. */
static void check_condvar(void)
{
	pthread_t t;
	long want = 0;

	if (!CHECK(pthread_create(&t, NULL, consumer, NULL) == 0, "create the consumer"))
		return;
	for (int i = 1; i <= ITEMS + 1; i++) {
		int v = i <= ITEMS ? i : -1;

		pthread_mutex_lock(&mtx);
		while (slot_full)
			pthread_cond_wait(&cv_get, &mtx);
		slot = v;
		slot_full = 1;
		pthread_cond_signal(&cv_put);
		pthread_mutex_unlock(&mtx);
		if (v > 0)
			want += v;
	}
	pthread_join(t, NULL);
	CHECK(consumed_sum == want, "condvar: %d items passed one at a time, sum %ld", ITEMS, consumed_sum);
}

static void *ret_arg(void *arg)
{
	return arg;
}

/* check_join - NJOIN threads, each joined for its return value. */
static void check_join(void)
{
	pthread_t t[NJOIN];
	int made = 0, right = 0;

	for (int i = 0; i < NJOIN; i++)
		made += pthread_create(&t[i], NULL, ret_arg, (void *)(long)i) == 0;
	for (int i = 0; i < made; i++) {
		void *r;

		right += pthread_join(t[i], &r) == 0 && r == (void *)(long)i;
	}
	CHECK(made == NJOIN && right == NJOIN, "join: %d of %d threads joined with their value", right,
	      NJOIN);
}

static pthread_mutex_t robust;

static void *die_holding(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&robust);
	return NULL;	/* exits with the lock held: the kernel marks it dead */
}

/* check_robust - a robust mutex whose owner exits reports EOWNERDEAD to the next locker. */
static void check_robust(void)
{
	pthread_mutexattr_t a;
	pthread_t t;
	int r;

	pthread_mutexattr_init(&a);
	pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
	r = pthread_mutex_init(&robust, &a);
	if (r == ENOTSUP) {	/* qemu-user has no set_robust_list */
		t_skip("robust mutexes: set_robust_list is not available here");
		return;
	}
	if (!CHECK(r == 0, "init a robust mutex") ||
	    !CHECK(pthread_create(&t, NULL, die_holding, NULL) == 0, "create the owner"))
		return;
	pthread_join(t, NULL);
	CHECK(pthread_mutex_lock(&robust) == EOWNERDEAD, "lock after the owner died -> EOWNERDEAD");
	CHECK(pthread_mutex_unlock(&robust) == 0, "unlock without making it consistent");
	CHECK(pthread_mutex_lock(&robust) == ENOTRECOVERABLE, "... then the mutex is ENOTRECOVERABLE");
}

static uint32_t word, word2;
static pid_t tids[4];

/* private_waiter - one FUTEX_WAIT_PRIVATE on word (0); returns its result. */
static void *private_waiter(void *arg)
{
	__atomic_store_n(&tids[(long)arg], gettid(), __ATOMIC_SEQ_CST);
	return (void *)fx(&word, FUTEX_WAIT_PRIVATE, 0, 0, NULL, 0);
}

/* check_private - raw private futex ops between the threads of one process. */
static void check_private(void)
{
	pthread_t t[4];
	int made = 0, ok = 0;

	for (long i = 0; i < 4; i++)
		made += pthread_create(&t[i], NULL, private_waiter, (void *)i) == 0;
	if (!CHECK(made == 4, "create 4 private waiters"))
		return;
	for (int i = 0; i < 4; i++) {
		while (!__atomic_load_n(&tids[i], __ATOMIC_SEQ_CST))
			sched_yield();
		wait_asleep(tids[i]);	/* a thread's /proc/<tid>/stat: asleep in the futex */
	}
	CHECK(fx(&word, FUTEX_REQUEUE_PRIVATE, 1, 2, &word2, 0) == 3,
	      "REQUEUE_PRIVATE between threads: 1 woken + 2 moved -> 3");
	CHECK(fx(&word, FUTEX_WAKE_OP_PRIVATE, INT_MAX, INT_MAX, &word2,
		 FUTEX_OP(FUTEX_OP_SET, 1, FUTEX_OP_CMP_EQ, 0)) == 3 && word2 == 1,
	      "WAKE_OP_PRIVATE wakes the one left and, word2 having been 0, the two moved -> 3");
	for (int i = 0; i < 4; i++) {
		void *r;

		ok += pthread_join(t[i], &r) == 0 && r == NULL;
	}
	CHECK(ok == 4, "every private waiter returned 0 (%d)", ok);
}

int main(void)
{
	t_init();
	check_mutex();
	check_condvar();
	check_join();
	check_robust();
	check_private();
	return t_done("t_futex_thr");
}
