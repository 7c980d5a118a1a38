/*
 * sysv_shm.c - SysV shared memory: the segment table, shmget and shmctl
 * (sysv_shm.h says what a segment is and how it dies; sysv_shmat.c maps
 * and unmaps it).
 *
 * An id is a slot index plus SHM_ID_SPAN times the slot's sequence
 * number, which moves on each time the slot is freed, so the id of a
 * destroyed segment does not name its successor (EINVAL, as on Linux).
 * Limits are Linux's defaults: SHMMNI segments, SHMMIN to SHMMAX bytes
 * each (a segment's pages arrive on first touch), SHMALL pages in all.
 * Everyone is root here: the mode bits are stored and shown, not checked.
 */
#include "kernel.h"
#include "proc.h"
#include "syscall.h"
#include "time.h"
#include "sysv_shm.h"
#include "../vm/kmalloc.h"
#include "../vm/shmem.h"
#include "../vm/uaccess.h"

#define IPC_PRIVATE	0
#define IPC_CREAT	01000
#define IPC_EXCL	02000
#define IPC_RMID	0
#define IPC_SET		1
#define IPC_STAT	2
#define IPC_INFO	3
#define SHM_LOCK	11
#define SHM_UNLOCK	12
#define SHM_STAT	13
#define SHM_INFO	14
#define SHM_STAT_ANY	15
#define SHM_DEST	01000	/* mode: removed, destroyed at the last detach */
#define SHM_LOCKED	02000	/* mode: SHM_LOCK (nothing is ever swapped here) */

#define SHMMNI		4096
#define SHMMIN		1UL
#define SHMMAX		(~0UL - (1UL << 24))
#define SHMALL		(~0UL - (1UL << 24))	/* pages */
#define SHM_ID_SPAN	32768			/* Linux's IPCMNI: id = seq * SPAN + slot */

/* struct ipc64_perm and struct shmid64_ds of the asm-generic 64-bit ABI. */
struct k_ipc64_perm {
	int32_t key;
	uint32_t uid, gid, cuid, cgid, mode;
	uint16_t seq, pad;
	uint64_t unused[2];
};

struct k_shmid64_ds {
	struct k_ipc64_perm perm;
	uint64_t segsz;
	int64_t atime, dtime, ctime;
	int32_t cpid, lpid;
	uint64_t nattch, unused[2];
};

struct k_shminfo64 {
	uint64_t shmmax, shmmin, shmmni, shmseg, shmall, unused[4];
};

struct k_shm_info {
	int32_t used_ids;
	uint64_t shm_tot, shm_rss, shm_swp, swap_attempts, swap_successes;
};

_Static_assert(sizeof(struct k_ipc64_perm) == 48 && sizeof(struct k_shmid64_ds) == 112 &&
	       sizeof(struct k_shminfo64) == 72 && sizeof(struct k_shm_info) == 48,
	       "the riscv64 ABI's layouts");

struct seg {
	struct shmem *shm;	/* one reference: the table's */
	int slot;
	int32_t key;		/* IPC_PRIVATE once removed */
	unsigned mode;		/* permission bits, SHM_DEST, SHM_LOCKED */
	uint32_t uid, gid, cuid, cgid;
	size_t size;		/* bytes, as asked */
	int64_t atime, dtime, ctime;
	int cpid, lpid;
};

static struct spinlock sysv_shm_lock = SPINLOCK_INIT("sysv_shm");
static struct seg *segs[SHMMNI];
static uint16_t seqs[SHMMNI];
static int segs_end;		/* slots at or past it are empty */
static int nsegs;
static unsigned long pages_total;

static int64_t now_sec(void)
{
	return (int64_t)(time_realtime_ns() / 1000000000ULL);
}

static unsigned long seg_pages(const struct seg *s)
{
	return s->size / PAGE_SIZE + (s->size % PAGE_SIZE != 0);
}

static int seg_id(const struct seg *s)
{
	return seqs[s->slot] * SHM_ID_SPAN + s->slot;
}

/* seg_by_id - the segment @id names, or NULL.  Lock held. */
static struct seg *seg_by_id(int id)
{
	int slot = id % SHM_ID_SPAN;

	if (id < 0 || slot >= SHMMNI || id / SHM_ID_SPAN != seqs[slot])
		return 0;
	return segs[slot];
}

/* seg_by_shm - the segment whose object is @shm (compared, not read), or NULL.  Lock held. */
static struct seg *seg_by_shm(const struct shmem *shm)
{
	for (int i = 0; i < segs_end; i++)
		if (segs[i] && segs[i]->shm == shm)
			return segs[i];
	return 0;
}

/* seg_unlink - take @s out of the table; the caller frees it (seg_free) once unlocked. */
static void seg_unlink(struct seg *s)
{
	segs[s->slot] = 0;
	seqs[s->slot] = (uint16_t)(seqs[s->slot] + 1);
	while (segs_end > 0 && !segs[segs_end - 1])
		segs_end--;
	nsegs--;
	pages_total -= seg_pages(s);
}

/* seg_free - drop an unlinked segment: the table's reference (its frames with it) and the record. */
static void seg_free(struct seg *s)
{
	shmem_put(s->shm);
	kfree(s);
}

/*
 * seg_idle - shmem's hook: @shm fell back to one reference.  If it is a
 * removed segment's and still so once we hold the lock (only shmat adds
 * a first mapping, and it does so under the lock), nothing maps it: free
 * it.  Runs under whatever the putter holds, an mm's lock included.
 */
static void seg_idle(struct shmem *shm)
{
	struct seg *s;

	spin_lock(&sysv_shm_lock);
	s = seg_by_shm(shm);
	if (s && (s->mode & SHM_DEST) && shmem_users(s->shm) == 1)
		seg_unlink(s);
	else
		s = 0;
	spin_unlock(&sysv_shm_lock);
	if (s)
		seg_free(s);
}

/*
 * seg_create - a new segment of @size bytes under @key with the mode bits
 * of @flg: its id, or -EINVAL (size), -ENOSPC (limits) or -ENOMEM.  Lock
 * held (kmalloc may be called under it).
 */
static long seg_create(int32_t key, size_t size, int flg)
{
	unsigned long pages = size / PAGE_SIZE + (size % PAGE_SIZE != 0);
	struct seg *s;
	int slot = 0;

	if (size < SHMMIN || size > SHMMAX)
		return -EINVAL;
	if (pages_total + pages < pages_total || pages_total + pages > SHMALL)
		return -ENOSPC;
	while (slot < SHMMNI && segs[slot])
		slot++;
	if (slot == SHMMNI)
		return -ENOSPC;
	if (!(s = kzalloc(sizeof(*s))))
		return -ENOMEM;
	if (!(s->shm = shmem_create(pages))) {
		kfree(s);
		return -ENOMEM;
	}
	shmem_on_idle(s->shm, seg_idle);
	s->slot = slot;
	s->key = key;
	s->mode = (unsigned)flg & 0777;
	s->size = size;
	s->ctime = now_sec();
	s->cpid = proc_tgid(current());
	segs[slot] = s;
	segs_end = MAX(segs_end, slot + 1);
	nsegs++;
	pages_total += pages;
	return seg_id(s);
}

/*
 * shmget(key, size, flags) - the segment under @key, made if IPC_CREAT
 * asks (IPC_PRIVATE: always a new one).  EEXIST with IPC_CREAT|IPC_EXCL
 * if it exists, EINVAL if it is smaller than @size, ENOENT if it does
 * not exist and IPC_CREAT is absent.
 */
SYSCALL(shmget)
{
	int32_t key = (int32_t)a0;
	int flg = (int)a2;
	struct seg *s = 0;
	long r;

	spin_lock(&sysv_shm_lock);
	for (int i = 0; key != IPC_PRIVATE && i < segs_end && !s; i++)
		if (segs[i] && segs[i]->key == key)
			s = segs[i];
	if (s && (flg & IPC_CREAT) && (flg & IPC_EXCL))
		r = -EEXIST;
	else if (s)
		r = a1 > s->size ? -EINVAL : seg_id(s);
	else if (key != IPC_PRIVATE && !(flg & IPC_CREAT))
		r = -ENOENT;
	else
		r = seg_create(key, a1, flg);
	spin_unlock(&sysv_shm_lock);
	return r;
}

/* shm_stat - IPC_STAT (by id), SHM_STAT and SHM_STAT_ANY (by slot) into @buf. */
static long shm_stat(int id, int cmd, unsigned long buf)
{
	struct k_shmid64_ds d;
	struct seg *s;
	long r;

	memset(&d, 0, sizeof(d));
	spin_lock(&sysv_shm_lock);
	s = cmd == IPC_STAT ? seg_by_id(id) : id < SHMMNI ? segs[id] : 0;
	if (s) {
		d.perm = (struct k_ipc64_perm){ .key = s->key, .uid = s->uid, .gid = s->gid,
						.cuid = s->cuid, .cgid = s->cgid, .mode = s->mode,
						.seq = seqs[s->slot] };
		d.segsz = s->size;
		d.atime = s->atime;
		d.dtime = s->dtime;
		d.ctime = s->ctime;
		d.cpid = s->cpid;
		d.lpid = s->lpid;
		d.nattch = shmem_users(s->shm) - 1;	/* every VMA, less the table's own */
	}
	r = !s ? -EINVAL : cmd == IPC_STAT ? 0 : seg_id(s);
	spin_unlock(&sysv_shm_lock);
	if (r >= 0 && uaccess_copy_to_user(buf, &d, sizeof(d)))
		return -EFAULT;
	return r;
}

/* shm_set - IPC_SET: the owner and the permission bits from @buf. */
static long shm_set(int id, unsigned long buf)
{
	struct k_shmid64_ds d;
	struct seg *s;

	if (uaccess_copy_from_user(&d, buf, sizeof(d)))
		return -EFAULT;
	spin_lock(&sysv_shm_lock);
	if ((s = seg_by_id(id))) {
		s->uid = d.perm.uid;
		s->gid = d.perm.gid;
		s->mode = (s->mode & ~0777u) | (d.perm.mode & 0777);
		s->ctime = now_sec();
	}
	spin_unlock(&sysv_shm_lock);
	return s ? 0 : -EINVAL;
}

/*
 * shm_rmid - IPC_RMID: an unmapped segment goes at once; a mapped one
 * loses its key and goes at its last detach (seg_idle).
 */
static long shm_rmid(int id)
{
	struct seg *s;
	int now = 0;

	spin_lock(&sysv_shm_lock);
	if ((s = seg_by_id(id))) {
		s->mode |= SHM_DEST;
		s->key = IPC_PRIVATE;
		s->ctime = now_sec();
		if ((now = shmem_users(s->shm) == 1))
			seg_unlink(s);
	}
	spin_unlock(&sysv_shm_lock);
	if (now)
		seg_free(s);
	return s ? 0 : -EINVAL;
}

/* shm_info - IPC_INFO (the limits) or SHM_INFO (the usage) into @buf; the highest slot used. */
static long shm_info(int cmd, unsigned long buf)
{
	struct k_shminfo64 lim = { .shmmax = SHMMAX, .shmmin = SHMMIN, .shmmni = SHMMNI,
				   .shmseg = SHMMNI, .shmall = SHMALL };
	struct k_shm_info use;
	long top;

	memset(&use, 0, sizeof(use));
	spin_lock(&sysv_shm_lock);
	use.used_ids = nsegs;
	use.shm_tot = pages_total;	/* shm_rss stays 0: resident pages are not counted */
	top = segs_end > 0 ? segs_end - 1 : 0;
	spin_unlock(&sysv_shm_lock);
	if (cmd == IPC_INFO ? uaccess_copy_to_user(buf, &lim, sizeof(lim))
			    : uaccess_copy_to_user(buf, &use, sizeof(use)))
		return -EFAULT;
	return top;
}

/*
 * shmctl(id, cmd, buf) - IPC_STAT, SHM_STAT, SHM_STAT_ANY, IPC_SET,
 * IPC_RMID, IPC_INFO, SHM_INFO, and SHM_LOCK/SHM_UNLOCK (a mode bit:
 * nothing is ever swapped).  Unknown commands are EINVAL.
 */
SYSCALL(shmctl)
{
	int id = (int)a0, cmd = (int)a1;
	struct seg *s;

	if (cmd < 0 || id < 0)
		return -EINVAL;
	switch (cmd) {
	case IPC_STAT:
	case SHM_STAT:
	case SHM_STAT_ANY:
		return shm_stat(id, cmd, a2);
	case IPC_SET:
		return shm_set(id, a2);
	case IPC_RMID:
		return shm_rmid(id);
	case IPC_INFO:
	case SHM_INFO:
		return shm_info(cmd, a2);
	case SHM_LOCK:
	case SHM_UNLOCK:
		spin_lock(&sysv_shm_lock);
		if ((s = seg_by_id(id)))
			s->mode = cmd == SHM_LOCK ? s->mode | SHM_LOCKED : s->mode & ~SHM_LOCKED;
		spin_unlock(&sysv_shm_lock);
		return s ? 0 : -EINVAL;
	}
	return -EINVAL;
}

int sysv_shm_attach_begin(int id, struct shmem **shm, size_t *size)
{
	struct seg *s;

	spin_lock(&sysv_shm_lock);
	if ((s = seg_by_id(id))) {
		shmem_get(s->shm);	/* the table's reference keeps it alive until here */
		*shm = s->shm;
		*size = s->size;
	}
	spin_unlock(&sysv_shm_lock);
	return s ? 0 : -EINVAL;
}

size_t sysv_shm_segment_size(struct shmem *shm)
{
	struct seg *s;
	size_t size;

	spin_lock(&sysv_shm_lock);
	s = seg_by_shm(shm);
	size = s ? s->size : 0;
	spin_unlock(&sysv_shm_lock);
	return size;
}

void sysv_shm_touch(struct shmem *shm, int attach)
{
	struct seg *s;

	spin_lock(&sysv_shm_lock);
	if ((s = seg_by_shm(shm))) {
		*(attach ? &s->atime : &s->dtime) = now_sec();
		s->lpid = proc_tgid(current());
	}
	spin_unlock(&sysv_shm_lock);
}
