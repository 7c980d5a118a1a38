/*
 * sys_misc.c - identity, time, randomness, system information, reboot.
 */
#include "kernel.h"
#include "proc.h"
#include "sched.h"
#include "syscall.h"
#include "time.h"
#include "futex.h"
#include "irq.h"
#include "random.h"
#include "../vm/pmm.h"
#include "../vm/shmem.h"
#include "../vm/swap.h"
#include "sysstat.h"
#include "../vm/uaccess.h"
#include "../drivers/poweroff.h"
#include "../fs/sync.h"

/*
 * The host and domain names uname reports, set by sethostname and
 * setdomainname (root only on Linux; everyone is root here).  uts_lock
 * keeps a reader from seeing half a name.
 */
#define UTS_LEN 64
static struct spinlock uts_lock = SPINLOCK_INIT("uts");
static char uts_host[UTS_LEN + 1] = "holstein", uts_domain[UTS_LEN + 1] = "(none)";

SYSCALL(uname)
{
	char u[6][65];

	memset(u, 0, sizeof(u));
	strlcpy(u[0], "Linux", 65);		/* what programs test for; see u[3] */
	strlcpy(u[2], "6.1.0-holstein", 65);
	strlcpy(u[3], "#1 SMP Holstein", 65);
	strlcpy(u[4], "riscv64", 65);
	spin_lock(&uts_lock);
	memcpy(u[1], uts_host, sizeof(uts_host));
	memcpy(u[5], uts_domain, sizeof(uts_domain));
	spin_unlock(&uts_lock);
	return uaccess_copy_to_user(a0, u, sizeof(u));
}

/* set_uts_name - sethostname/setdomainname: @len bytes at @uname (no NUL needed) into @dst. */
static long set_uts_name(char *dst, ul uname, ul len)
{
	char buf[UTS_LEN + 1];

	if ((long)(int)len < 0 || (int)len > UTS_LEN)
		return -EINVAL;
	memset(buf, 0, sizeof(buf));
	if (uaccess_copy_from_user(buf, uname, (int)len))
		return -EFAULT;
	spin_lock(&uts_lock);
	memcpy(dst, buf, sizeof(buf));
	spin_unlock(&uts_lock);
	return 0;
}

SYSCALL(sethostname)
{
	return set_uts_name(uts_host, a0, a1);
}

SYSCALL(setdomainname)
{
	return set_uts_name(uts_domain, a0, a1);
}

/*
 * personality(persona) - the execution domain and its flags, kept per
 * thread and inherited; 0xffffffff only reads it.  Returns the previous
 * value.  Linux stores any value, and so do we; none changes anything here
 * (there is no address randomisation to turn off), but programs such as
 * setarch read back what they set.
 */
SYSCALL(personality)
{
	struct proc *p = current();
	unsigned int old = p->personality, want = (unsigned int)a0;

	if (want != 0xffffffffu)
		p->personality = want;
	return old;
}

SYSCALL(getuid)
{
	return 0;	/* everyone is root: there is one user */
}

/* getgroups(size, list) - no supplementary groups. */
SYSCALL(getgroups)
{
	return (long)a0 < 0 ? -EINVAL : 0;
}

/* getresuid(r, e, s) and getresgid - all 0, like getuid. */
SYSCALL(getresuid)
{
	uint32_t zero = 0;

	if (uaccess_copy_to_user(a0, &zero, 4) || uaccess_copy_to_user(a1, &zero, 4) || uaccess_copy_to_user(a2, &zero, 4))
		return -EFAULT;
	return 0;
}

SYSCALL(umask)
{
	struct proc *p = current();
	unsigned old;

	spin_lock(&sched_lock);
	old = p->fs->umask;
	p->fs->umask = (unsigned)a0 & 0777;
	spin_unlock(&sched_lock);
	return old;
}

SYSCALL(sysinfo)
{
	struct {
		long uptime;
		unsigned long loads[3], totalram, freeram, sharedram, bufferram, totalswap,
			freeswap;
		uint16_t procs, pad;
		uint32_t pad2;
		unsigned long totalhigh, freehigh;
		uint32_t mem_unit;
		char pad3[4];
	} si;

	unsigned long avg[3];
	struct swap_totals sw;
	int running, threads, last;
	uint64_t up = time_now_ns();

	memset(&si, 0, sizeof(si));
	/* As Linux: a started second counts, loads in 16-bit fixed point, procs are threads. */
	si.uptime = (long)((up + 999999999ULL) / 1000000000ULL);
	loadavg_get(avg);
	for (int i = 0; i < 3; i++)
		si.loads[i] = avg[i] << (16 - LOADAVG_FSHIFT);
	si.totalram = pmm_total_frames() * 4096UL;
	si.freeram = pmm_free_frames() * 4096UL;
	si.sharedram = shmem_total_pages() * 4096UL;
	swap_totals(&sw);
	si.totalswap = sw.total * 4096UL;
	si.freeswap = sw.free * 4096UL;
	si.mem_unit = 1;
	spin_lock(&sched_lock);
	proc_count(&running, &threads, &last);
	spin_unlock(&sched_lock);
	si.procs = (uint16_t)threads;
	return uaccess_copy_to_user(a0, &si, sizeof(si));
}

#define REBOOT_MAGIC1		0xfee1dead
#define REBOOT_CMD_RESTART	0x01234567
#define REBOOT_CMD_HALT		0xcdef0123
#define REBOOT_CMD_CAD_ON	0x89abcdef
#define REBOOT_CMD_CAD_OFF	0x00000000
#define REBOOT_CMD_POWER_OFF	0x4321fedc
#define REBOOT_CMD_RESTART2	0xa1b2c3d4

/* reboot_magic2_ok - is @magic2 one of the four dates Linux accepts? */
static int reboot_magic2_ok(uint32_t magic2)
{
	return magic2 == 672274793 || magic2 == 85072278 || magic2 == 369367448 ||
	       magic2 == 537993216;
}

/*
 * reboot(magic1, magic2, cmd, arg) - Linux's checks and commands.  The
 * magics are ints: glibc's (int)0xfee1dead arrives sign-extended, and the
 * dispatcher has kept its low 32 bits, so compare those.  Everyone is
 * root.  Halt and power-off both stop the machine (on riscv Linux's halt
 * powers off too); each first writes back every disk file system
 * (vfs_sync_all); RESTART2's command string is only printed; Ctrl-Alt-Del
 * has no meaning on a serial console, so CAD_ON/CAD_OFF only succeed.
 */
SYSCALL(reboot)
{
	uint32_t cmd = (uint32_t)a2;

	if ((uint32_t)a0 != REBOOT_MAGIC1 || !reboot_magic2_ok((uint32_t)a1))
		return -EINVAL;
	switch (cmd) {
	case REBOOT_CMD_CAD_ON:
	case REBOOT_CMD_CAD_OFF:
		return 0;
	}
	switch (cmd) {
	case REBOOT_CMD_POWER_OFF:
	case REBOOT_CMD_HALT:
	case REBOOT_CMD_RESTART:
	case REBOOT_CMD_RESTART2:
		/* Linux leaves this to the caller (BusyBox syncs first); the issue wants it kept anyway. */
		vfs_sync_all();
	}
	switch (cmd) {
	case REBOOT_CMD_POWER_OFF:
		printk(KERN_EMERG, "reboot: Power down\n");
		poweroff_machine(0);
	case REBOOT_CMD_HALT:
		printk(KERN_EMERG, "reboot: System halted\n");
		poweroff_machine(0);
	case REBOOT_CMD_RESTART:
		printk(KERN_EMERG, "reboot: Restarting system\n");
		poweroff_restart();
	case REBOOT_CMD_RESTART2: {
		char arg[256];
		if (uaccess_strncpy_from_user(arg, a3, sizeof(arg) - 1) == -EFAULT)
			return -EFAULT;
		arg[sizeof(arg) - 1] = 0;	/* a longer command is cut, as on Linux */
		printk(KERN_EMERG, "reboot: Restarting system with command '%s'\n", arg);
		poweroff_restart();
	}
	}
	return -EINVAL;		/* KEXEC, SW_SUSPEND and unknown commands, as without those */
}

SYSCALL(getrandom)
{
	char buf[256];
	size_t done = 0, n = a1;

	if (a2 & ~7UL)
		return -EINVAL;
	while (done < n) {
		size_t k = MIN(n - done, sizeof(buf));
		random_bytes(buf, k);
		if (uaccess_copy_to_user(a0 + done, buf, k))
			return done ? (long)done : -EFAULT;
		done += k;
	}
	return (long)n;
}

static int clock_now(ul clk, struct ktimespec *ts)
{
	uint64_t ns;
	struct cputime t;

	switch (clk) {
	case 0:		/* REALTIME */
	case 5:		/* REALTIME_COARSE */
	case 1:		/* MONOTONIC */
	case 4:		/* MONOTONIC_RAW */
	case 6:		/* MONOTONIC_COARSE */
	case 7:		/* BOOTTIME */
		ns = time_clock_ns((int)clk);	/* the vDSO's very arithmetic (time.c) */
		break;
	case 2:		/* PROCESS_CPUTIME_ID */
	case 3:		/* THREAD_CPUTIME_ID */
		t = clk == 2 ? cputime_group() : cputime_self();
		ns = cputime_total_ns(&t);
		break;
	default:
		return -EINVAL;
	}
	ts->sec = (int64_t)(ns / 1000000000ULL);
	ts->nsec = (int64_t)(ns % 1000000000ULL);
	return 0;
}

SYSCALL(clock_gettime)
{
	struct ktimespec ts;
	int r = clock_now(a0, &ts);

	if (r)
		return r;
	return uaccess_copy_to_user(a1, &ts, sizeof(ts));
}

SYSCALL(clock_getres)
{
	struct ktimespec ts = { 0, 1 };	/* the vDSO's data page says the same (res_ns) */

	if (a0 > 7)
		return -EINVAL;
	if (a1)
		return uaccess_copy_to_user(a1, &ts, sizeof(ts));
	return 0;
}

SYSCALL(gettimeofday)
{
	struct ktimespec ts;

	clock_now(0, &ts);
	if (a0) {
		int64_t tv[2] = { ts.sec, ts.nsec / 1000 };
		if (uaccess_copy_to_user(a0, tv, sizeof(tv)))
			return -EFAULT;
	}
	if (a1) {
		int32_t tz[2];
		time_get_tz(tz);
		if (uaccess_copy_to_user(a1, tz, sizeof(tz)))
			return -EFAULT;
	}
	return 0;
}

/*
 * sleep_until - sleep until time_now_ns() reaches @deadline, waking on every
 * tick.  0, or -EINTR if a signal arrived first.
 */
static long sleep_until(uint64_t deadline)
{
	long r = 0;

	spin_lock(&sched_lock);
	while (time_now_ns() < deadline) {
		if ((r = sched_sleep_intr((void *)&jiffies, &sched_lock)))
			break;
	}
	spin_unlock(&sched_lock);
	return r;
}

/*
 * user_deadline - the time_now_ns() at which the user timespec at @ureq runs
 * out: relative to now, or with @abs an absolute time on clock @clk.
 * 0, -EFAULT or -EINVAL.
 */
static long user_deadline(ul ureq, int abs, ul clk, uint64_t *deadline)
{
	struct ktimespec req, now;

	if (uaccess_copy_from_user(&req, ureq, sizeof(req)))
		return -EFAULT;
	if (req.nsec < 0 || req.nsec >= 1000000000 || req.sec < 0)
		return -EINVAL;
	uint64_t want = (uint64_t)req.sec * 1000000000ULL + (uint64_t)req.nsec;
	if (abs) {
		if (clock_now(clk, &now))
			return -EINVAL;
		uint64_t n = (uint64_t)now.sec * 1000000000ULL + (uint64_t)now.nsec;
		*deadline = time_now_ns() + (want > n ? want - n : 0);
	} else {
		*deadline = time_now_ns() + want;
	}
	if (!*deadline)
		*deadline = 1;		/* 0 means "none" to callers */
	return 0;
}

static long do_nanosleep(ul ureq, ul urem, int abs, ul clk)
{
	uint64_t deadline;
	long r;

	if ((r = user_deadline(ureq, abs, clk, &deadline)))
		return r;
	if (sleep_until(deadline)) {
		if (urem && !abs) {
			uint64_t left = deadline > time_now_ns() ? deadline - time_now_ns() : 0;
			struct ktimespec rem = { (int64_t)(left / 1000000000ULL),
						 (int64_t)(left % 1000000000ULL) };
			uaccess_copy_to_user(urem, &rem, sizeof(rem));
		}
		return -EINTR;
	}
	return 0;
}

SYSCALL(nanosleep)
{
	return do_nanosleep(a0, a1, 0, 1);
}

SYSCALL(clock_nanosleep)
{
	if (a0 > 7)
		return -EINVAL;
	return do_nanosleep(a2, a3, (a1 & 1) != 0, a0);
}

/*
 * futex(uaddr, op, val, timeout, uaddr2, val3): kernel/futex.c does the
 * work; here the timeout becomes a deadline first, as Linux reads it
 * before looking further at op (a bad timespec is EFAULT/EINVAL even where
 * the clock flag would be ENOSYS).  FUTEX_WAIT's timeout is relative,
 * WAIT_BITSET's absolute: on CLOCK_MONOTONIC, or the wall clock with
 * FUTEX_CLOCK_REALTIME.  For REQUEUE, CMP_REQUEUE and WAKE_OP the fourth
 * argument is a count, not a pointer.
 */
SYSCALL(futex)
{
	int cmd = (int)a1 & FUTEX_CMD_MASK;
	uint64_t deadline = 0;
	long r;

	if (a3 && futex_has_timeout(cmd) &&
	    (r = user_deadline(a3, cmd != FUTEX_WAIT, (a1 & FUTEX_CLOCK_REALTIME) ? 0 : 1, &deadline)))
		return r;
	return futex_do(a0, (int)a1, (uint32_t)a2, deadline, a4, (uint32_t)a3, (uint32_t)a5);
}

/* times(buf) - our and our reaped children's CPU time in 1/HZ s; returns the uptime in 1/HZ s. */
SYSCALL(times)
{
	struct cputime self = cputime_group(), kids = cputime_children();
	uint64_t t[4] = { cputime_clock_t(self.user), cputime_clock_t(self.sys),
			  cputime_clock_t(kids.user), cputime_clock_t(kids.sys) };

	if (a0 && uaccess_copy_to_user(a0, t, sizeof(t)))
		return -EFAULT;
	return (long)(time_now_ns() / 10000000ULL);
}
