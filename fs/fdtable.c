/*
 * fdtable.c - file descriptor tables (see fdtable.h).
 *
 * The table's lock guards its slots, size and pages only: file_put may
 * take a pipe's or the tty's lock and sleep, and kmalloc takes its own
 * lock, so a file leaves its slot under the lock and is put after the
 * lock is dropped, and a page is allocated (or freed) with it dropped.
 *
 * A slot is one word: the struct file's address, whose bit 0 (always
 * clear: files are word aligned) carries the close-on-exec bit.  Keeping
 * the bit in the slot means a table that grows moves one array, not two,
 * and closing a descriptor clears its bit with it.
 */
#include "../kernel/kernel.h"
#include "../kernel/proc.h"
#include "../kernel/sched.h"
#include "../kernel/tty.h"
#include "../kernel/syscall.h"
#include "../vm/kmalloc.h"
#include "file.h"
#include "fdtable.h"
#include "locks.h"

#define SLOT_CLOEXEC	1UL

_Static_assert(sizeof(((struct proc *)0)->fd_pins) / sizeof(struct file *) == FD_PINS,
	       "struct proc's pin array");
_Static_assert(_Alignof(struct file) > 1, "bit 0 of a file's address is the cloexec bit");
_Static_assert(FD_CHUNK * sizeof(unsigned long) == 4096, "a chunk of slots is one page");
_Static_assert(FD_NR_OPEN % FD_CHUNK == 0 && FD_SMALL <= FD_CHUNK, "chunks tile the table");

/* slotp - where slot @fd (0 <= @fd < t->size) lives. */
static inline unsigned long *slotp(struct fdtable *t, int fd)
{
	return &t->chunk[fd / FD_CHUNK][fd % FD_CHUNK];
}

static inline struct file *slot_file(unsigned long v)
{
	return (struct file *)(v & ~SLOT_CLOEXEC);
}

/* slot - the file descriptor @fd holds, or NULL (also for any @fd past the table). */
static inline struct file *slot(struct fdtable *t, int fd)
{
	return fd >= 0 && fd < t->size ? slot_file(*slotp(t, fd)) : 0;
}

/* set_slot - slot @fd (< t->size) holds @f now, with close-on-exec @cloexec. */
static void set_slot(struct fdtable *t, int fd, struct file *f, int cloexec)
{
	*slotp(t, fd) = (unsigned long)f | (cloexec ? SLOT_CLOEXEC : 0);
	if (fd >= t->end)
		t->end = fd + 1;
	if (fd == t->next)
		t->next = fd + 1;	/* the slots below fd were in use: so are those below fd + 1 */
}

/* clear_slot - slot @fd (< t->size) is empty now: keep next and end the bounds they promise. */
static void clear_slot(struct fdtable *t, int fd)
{
	*slotp(t, fd) = 0;
	if (fd < t->next)
		t->next = fd;
	while (t->end > 0 && !*slotp(t, t->end - 1))
		t->end--;
}

/* chunks - how many chunk[] entries hold pages of their own (none while small). */
static inline int chunks(const struct fdtable *t)
{
	return t->size == FD_SMALL ? 0 : t->size / FD_CHUNK;
}

/*
 * grow - make @t hold slot @fd (< FD_NR_OPEN), a page at a time; the
 * first page takes over the FD_SMALL slots inside the table.  Called and
 * returns with t->lock held, but drops it around each allocation: the
 * caller must look at the table afresh afterwards (another thread of a
 * shared table may have changed it).  0 or -ENOMEM.
 */
static int grow(struct fdtable *t, int fd)
{
	while (t->size <= fd) {
		int i = chunks(t);
		unsigned long *page;

		spin_unlock(&t->lock);
		page = kzalloc(FD_CHUNK * sizeof(*page));
		spin_lock(&t->lock);
		if (!page)
			return -ENOMEM;
		if (chunks(t) != i) {
			/* Another thread grew it meanwhile: ours is not needed. */
			spin_unlock(&t->lock);
			kfree(page);
			spin_lock(&t->lock);
			continue;
		}
		if (i == 0)
			memcpy(page, t->small, sizeof(t->small));
		t->chunk[i] = page;
		t->size = (i + 1) * FD_CHUNK;
	}
	return 0;
}

struct fdtable *fd_table_new(void)
{
	struct fdtable *t = kzalloc(sizeof(*t));

	if (t) {
		t->lock = (struct spinlock)SPINLOCK_INIT("fdtable");
		t->refs = 1;
		t->size = FD_SMALL;
		t->chunk[0] = t->small;
	}
	return t;
}

/*
 * fd_table_copy - the copy gets @t's size first (allocating with neither
 * lock held), then, under @t's lock, a reference to every file and the
 * close-on-exec bits.
 */
struct fdtable *fd_table_copy(struct fdtable *t)
{
	struct fdtable *n = fd_table_new();
	int want, r = 0;

	if (!n)
		return 0;
	spin_lock(&t->lock);
	while (!r && (want = t->size) > n->size) {
		spin_unlock(&t->lock);
		spin_lock(&n->lock);	/* nobody else sees n: only grow's contract wants it */
		r = grow(n, want - 1);
		spin_unlock(&n->lock);
		spin_lock(&t->lock);
	}
	if (!r) {
		for (int fd = 0; fd < t->end; fd++) {
			unsigned long v = *slotp(t, fd);
			if (v)
				file_get(slot_file(v));
			*slotp(n, fd) = v;
		}
		n->end = t->end;
		n->next = t->next;
	}
	spin_unlock(&t->lock);
	if (r) {
		fd_table_put(n);
		return 0;
	}
	return n;
}

void fd_table_put(struct fdtable *t)
{
	if (__atomic_sub_fetch(&t->refs, 1, __ATOMIC_ACQ_REL))
		return;
	locks_table_gone(t);	/* the process's record locks, before its files close */
	for (int fd = 0; fd < t->end; fd++)
		if (*slotp(t, fd))
			file_put(slot_file(*slotp(t, fd)));
	for (int i = 0; i < chunks(t); i++)
		kfree(t->chunk[i]);
	kfree(t);
}

int fd_unshare(struct proc *p)
{
	struct fdtable *t = p->fdt, *n;

	if (__atomic_load_n(&t->refs, __ATOMIC_ACQUIRE) == 1)
		return 0;
	if (!(n = fd_table_copy(t)))
		return -ENOMEM;
	spin_lock(&sched_lock);		/* /proc/PID/fd takes its reference under it */
	p->fdt = n;
	spin_unlock(&sched_lock);
	fd_table_put(t);
	return 0;
}

/* fd_limit - stored by prlimit64 (kernel/sys_proc.c), never above FD_NR_OPEN. */
int fd_limit(struct proc *p)
{
	return (int)__atomic_load_n(&p->group->nofile_cur, __ATOMIC_RELAXED);
}

/*
 * find_free - the lowest free descriptor of @t at or above @min and below
 * @limit: a slot that exists, or the first one past the table (to grow
 * to); -1 when every descriptor below @limit is taken.  t->lock held.
 */
static int find_free(struct fdtable *t, int min, int limit)
{
	int fd = MAX(min, t->next);

	for (; fd < t->size && fd < limit; fd++)
		if (!*slotp(t, fd))
			return fd;
	return fd < limit ? fd : -1;
}

/*
 * fd_install - put @f in the lowest free slot of @p's table at or above
 * @min, below @p's RLIMIT_NOFILE, with close-on-exec set to @cloexec.  The
 * caller's reference moves into the table.  Returns the descriptor,
 * -EMFILE or -ENOMEM (the caller still owns @f).
 */
int fd_install(struct proc *p, struct file *f, int min, int cloexec)
{
	struct fdtable *t = p->fdt;
	int limit = fd_limit(p), fd, r;

	spin_lock(&t->lock);
	for (;;) {
		fd = find_free(t, min, limit);
		if (fd < 0) {
			r = -EMFILE;
			break;
		}
		if (fd < t->size) {
			set_slot(t, fd, f, cloexec);
			r = fd;
			break;
		}
		if ((r = grow(t, fd)))
			break;
	}
	spin_unlock(&t->lock);
	return r;
}

/* fd_install_at - slot @fd gets @f; whatever it held is closed after the swap. */
int fd_install_at(struct proc *p, int fd, struct file *f, int cloexec)
{
	struct fdtable *t = p->fdt;
	struct file *old;

	spin_lock(&t->lock);
	if (fd >= t->size && grow(t, fd)) {
		spin_unlock(&t->lock);
		return -ENOMEM;
	}
	old = slot(t, fd);
	set_slot(t, fd, f, cloexec);
	spin_unlock(&t->lock);
	if (old) {
		locks_close(old, t);	/* a close: the table's record locks on it go */
		file_put(old);
	}
	return 0;
}

struct file *fd_remove(struct proc *p, int fd)
{
	struct fdtable *t = p->fdt;
	struct file *f;

	spin_lock(&t->lock);
	f = slot(t, fd);
	if (f)
		clear_slot(t, fd);
	spin_unlock(&t->lock);
	if (f)
		locks_close(f, t);	/* any close drops the table's record locks on the file */
	return f;
}

int fd_cloexec(struct proc *p, int fd)
{
	struct fdtable *t = p->fdt;
	int on;

	spin_lock(&t->lock);
	on = fd >= 0 && fd < t->size && (*slotp(t, fd) & SLOT_CLOEXEC);
	spin_unlock(&t->lock);
	return on;
}

void fd_set_cloexec(struct proc *p, int fd, int on)
{
	struct fdtable *t = p->fdt;

	spin_lock(&t->lock);
	if (slot(t, fd))
		*slotp(t, fd) = (unsigned long)slot(t, fd) | (on ? SLOT_CLOEXEC : 0);
	spin_unlock(&t->lock);
}

/* lookup - @fd's file in @t, with a reference if @ref. */
static struct file *lookup(struct fdtable *t, int fd, int ref)
{
	struct file *f;

	spin_lock(&t->lock);
	f = slot(t, fd);
	if (f && ref)
		file_get(f);
	spin_unlock(&t->lock);
	return f;
}

/*
 * fd_file - the file behind @fd, or NULL if @fd is out of range or
 * closed.  It stays valid until the current system call ends: a private
 * table only we can change (so we read it without the lock); from a
 * shared one it is pinned.  No system call that uses fd_file borrows
 * more than FD_PINS files at once (loops over many use fd_get); past
 * that the oldest pin is dropped.
 */
struct file *fd_file(int fd)
{
	struct proc *p = current();
	struct fdtable *t = p->fdt;
	struct file *f;

	if (__atomic_load_n(&t->refs, __ATOMIC_ACQUIRE) == 1)
		return slot(t, fd);
	f = lookup(t, fd, 1);
	if (!f)
		return 0;
	for (int i = 0; i < p->fd_npins; i++)
		if (p->fd_pins[i] == f) {
			file_put(f);	/* already pinned: one pin is enough */
			return f;
		}
	if (p->fd_npins == FD_PINS) {
		/* Full: trade the oldest pin for this one (the caller's loop is past it). */
		file_put(p->fd_pins[0]);
		memmove(&p->fd_pins[0], &p->fd_pins[1], (FD_PINS - 1) * sizeof(f));
		p->fd_npins--;
	}
	p->fd_pins[p->fd_npins++] = f;
	return f;
}

struct file *fd_get(int fd)
{
	return lookup(current()->fdt, fd, 1);
}

struct file *fd_table_file(struct fdtable *t, int fd)
{
	return lookup(t, fd, 1);
}

int fd_table_next(struct fdtable *t, int fd)
{
	int r = -1;

	spin_lock(&t->lock);
	for (fd = MAX(fd, 0); fd < t->end && r < 0; fd++)
		if (slot(t, fd))
			r = fd;
	spin_unlock(&t->lock);
	return r;
}

void fd_unpin_all(struct proc *p)
{
	while (p->fd_npins)
		file_put(p->fd_pins[--p->fd_npins]);
}

/*
 * fd_install_console - stdin, stdout and stderr of @p (the first
 * process, whose table is empty) on one /dev/console file.  Panics if
 * memory is short: there is nothing to boot without them.
 */
void fd_install_console(struct proc *p)
{
	struct file *f = file_alloc(&tty_ops, O_RDWR);

	if (!f)
		panic("no memory for the console");
	f->mode = 0020620;
	set_slot(p->fdt, 0, f, 0);
	set_slot(p->fdt, 1, file_get(f), 0);
	set_slot(p->fdt, 2, file_get(f), 0);
}

/*
 * fd_close_on_exec - exec: drop @p's descriptors whose close-on-exec bit
 * is set, one at a time (each file is put with the lock dropped).
 */
void fd_close_on_exec(struct proc *p)
{
	struct fdtable *t = p->fdt;
	int fd = 0;

	for (;;) {
		struct file *f = 0;

		spin_lock(&t->lock);
		while (fd < t->end && !(*slotp(t, fd) & SLOT_CLOEXEC))
			fd++;
		if (fd < t->end) {
			f = slot(t, fd);
			clear_slot(t, fd);	/* and its bit: the scan moves past it */
		}
		spin_unlock(&t->lock);
		if (!f)
			return;
		file_put(f);
	}
}

/*
 * close_range(first, last, flags) - close every open descriptor in
 * [first, last] (CLOSE_RANGE_CLOEXEC: mark them close-on-exec instead);
 * CLOSE_RANGE_UNSHARE first gives the caller a table of its own, so a
 * thread sharing the old one keeps its descriptors.  A range past the
 * table's end is fine, as on Linux.
 */
#define CLOSE_RANGE_UNSHARE	2
#define CLOSE_RANGE_CLOEXEC	4
SYSCALL(close_range)
{
	unsigned int first = (unsigned int)a0, last = (unsigned int)a1;
	struct proc *p = current();

	if ((a2 & ~(ul)(CLOSE_RANGE_UNSHARE | CLOSE_RANGE_CLOEXEC)) || first > last)
		return -EINVAL;
	if ((a2 & CLOSE_RANGE_UNSHARE) && fd_unshare(p))
		return -ENOMEM;
	struct fdtable *t = p->fdt;
	for (int fd = (int)MIN(first, (unsigned int)FD_NR_OPEN);; fd++) {
		struct file *f = 0;

		spin_lock(&t->lock);
		while (fd < t->end && (unsigned int)fd <= last && !slot(t, fd))
			fd++;
		int found = fd < t->end && (unsigned int)fd <= last;
		if (found && (a2 & CLOSE_RANGE_CLOEXEC))
			*slotp(t, fd) |= SLOT_CLOEXEC;
		else if (found) {
			f = slot(t, fd);
			clear_slot(t, fd);
		}
		spin_unlock(&t->lock);
		if (!found)
			return 0;
		if (f)
			file_put(f);
	}
}
