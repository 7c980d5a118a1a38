/*
 * sys_thread.c - the system calls of threads: clone and clone3, gettid,
 * tkill and tgkill, the CLONE_CHILD_CLEARTID address, the robust futex
 * list, and CPU affinity.
 */
#include "kernel.h"
#include "proc.h"
#include "sched.h"
#include "syscall.h"
#include "../vm/uaccess.h"

#define CSIGNAL		0xffUL
#define CLONE_ARGS_SIZE_VER0	64	/* clone3's first struct clone_args */

/* clone(flags, newsp, parent_tid, tls, child_tid): riscv64's argument order. */
SYSCALL(clone)
{
	struct clone_req r = { a0 & ~CSIGNAL & 0xffffffffUL, (int)(a0 & CSIGNAL), a1, a2, a4, a3 };

	return proc_clone(&r);
}

/* struct clone_args, as clone3 reads it (all fields 64 bits). */
struct clone_args {
	uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls;
	uint64_t set_tid, set_tid_size, cgroup;
};

/*
 * clone3(args, size) - clone with a struct: sizes from the first version
 * (64 bytes) to a page, any bytes past what we know zero (else E2BIG);
 * the stack is given as base and size.  set_tid needs privileges over pid
 * namespaces Holstein lacks: EINVAL unless empty.
 */
SYSCALL(clone3)
{
	struct clone_args ca = { 0 };
	size_t size = a1, known = sizeof(ca);
	uint8_t extra[64];

	if (size < CLONE_ARGS_SIZE_VER0)
		return -EINVAL;
	if (size > 4096)
		return -E2BIG;
	if (uaccess_copy_from_user(&ca, a0, size < known ? size : known))
		return -EFAULT;
	for (size_t off = known; off < size; off += sizeof(extra)) {
		size_t n = size - off < sizeof(extra) ? size - off : sizeof(extra);
		if (uaccess_copy_from_user(extra, a0 + off, n))
			return -EFAULT;
		for (size_t i = 0; i < n; i++)
			if (extra[i])
				return -E2BIG;
	}
	if (ca.flags & 0xff)			/* the signal has its own field */
		return -EINVAL;
	if (ca.exit_signal > 64 || ((ca.flags & 0x00018000) && ca.exit_signal))
		return -EINVAL;			/* CLONE_THREAD or CLONE_PARENT take no exit signal */
	if (ca.set_tid || ca.set_tid_size)
		return -EINVAL;
	if ((ca.stack == 0) != (ca.stack_size == 0))
		return -EINVAL;
	struct clone_req r = { ca.flags, (int)ca.exit_signal, ca.stack ? ca.stack + ca.stack_size : 0,
			       ca.parent_tid, ca.child_tid, ca.tls };
	return proc_clone(&r);
}

SYSCALL(gettid)
{
	return current()->pid;
}

/*
 * thread_kill - @sig to thread @tid alone; with @tgid > 0 the thread must
 * belong to that process.  0, -ESRCH, or -EINVAL for ids that kill()
 * would read as groups and for a bad signal.
 */
static long thread_kill(int tgid, int tid, int sig)
{
	struct proc *t;

	if (tgid == 0 || tgid < -1 || tid <= 0 || sig < 0 || sig > NSIG)
		return -EINVAL;
	spin_lock(&sched_lock);
	t = proc_by_pid(tid);
	if (t && (proc_has_exited(t) || (tgid > 0 && proc_tgid(t) != tgid)))
		t = 0;
	if (t && sig)
		signal_send_thread_locked(t, sig);
	spin_unlock(&sched_lock);
	return t ? 0 : -ESRCH;
}

/* tkill(tid, sig) - @sig to thread @tid alone. */
SYSCALL(tkill)
{
	return thread_kill(-1, (int)a0, (int)a1);
}

/* tgkill(tgid, tid, sig) - tkill(), but ESRCH unless thread @tid belongs to process @tgid. */
SYSCALL(tgkill)
{
	return thread_kill((int)a0 > 0 ? (int)a0 : 0, (int)a1, (int)a2);
}

SYSCALL(set_tid_address)
{
	current()->clear_child_tid = a0;
	return current()->pid;
}

/* set_robust_list(head, len) - where this thread's robust futexes are listed; walked at its exit. */
SYSCALL(set_robust_list)
{
	if (a1 != 24)			/* sizeof(struct robust_list_head) */
		return -EINVAL;
	current()->robust_list = a0;
	current()->robust_len = a1;
	return 0;
}

/* get_robust_list(tid, head_ptr, len_ptr) - a thread's list head (tid 0: ours). */
SYSCALL(get_robust_list)
{
	struct proc *t;
	uint64_t head = 0, len = 24;	/* sizeof(struct robust_list_head) */

	spin_lock(&sched_lock);		/* read while the thread cannot be freed */
	t = (int)a0 ? proc_by_pid((int)a0) : current();
	if (t)
		head = t->robust_list;
	spin_unlock(&sched_lock);
	if (!t)
		return -ESRCH;
	if (uaccess_copy_to_user(a1, &head, sizeof(head)) || uaccess_copy_to_user(a2, &len, sizeof(len)))
		return -EFAULT;
	return 0;
}

/* affinity_target - thread @tid (0: ourselves), or NULL. sched_lock held. */
static struct proc *affinity_target(long tid)
{
	if (!tid)
		return current();
	struct proc *t = tid > 0 ? proc_by_pid((int)tid) : 0;
	return t && !proc_has_exited(t) ? t : 0;
}

/*
 * sched_getaffinity(tid, len, mask) - the harts thread @tid may run on.
 * Returns the bytes written (one unsigned long), like Linux.
 */
SYSCALL(sched_getaffinity)
{
	unsigned long mask;
	struct proc *t;

	if (a1 < sizeof(mask) || (a1 & (sizeof(mask) - 1)))
		return -EINVAL;
	spin_lock(&sched_lock);
	t = affinity_target((long)(int)a0);
	mask = t ? t->affinity & cpu_online_mask() : 0;
	spin_unlock(&sched_lock);
	if (!t)
		return -ESRCH;
	return uaccess_copy_to_user(a2, &mask, sizeof(mask)) ? -EFAULT : (long)sizeof(mask);
}

/*
 * sched_setaffinity(tid, len, mask) - restrict thread @tid to the online
 * harts of the mask (bits past the first long are read and ignored);
 * EINVAL if none is online.  Takes effect at its next switch.
 */
SYSCALL(sched_setaffinity)
{
	unsigned long mask = 0;
	struct proc *t;

	if (a1 < sizeof(mask) && uaccess_copy_from_user(&mask, a2, a1))
		return -EFAULT;
	if (a1 >= sizeof(mask) && uaccess_copy_from_user(&mask, a2, sizeof(mask)))
		return -EFAULT;
	mask &= cpu_online_mask();
	spin_lock(&sched_lock);
	t = affinity_target((long)(int)a0);
	if (t && mask)
		t->affinity = mask;
	spin_unlock(&sched_lock);
	if (!t)
		return -ESRCH;
	if (!mask)
		return -EINVAL;
	if (t == current() && !(mask & (1UL << this_cpu()->id)))
		sched_yield();		/* off this hart now */
	return 0;
}
