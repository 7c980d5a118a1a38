/*
 * fdtable.c - file descriptor tables (see fdtable.h).
 *
 * The table's lock guards its slots and bits only: file_put may take a
 * pipe's or the tty's lock and sleep, so a file leaves its slot under the
 * lock and is put after the lock is dropped.
 */
#include "../kernel/kernel.h"
#include "../kernel/proc.h"
#include "../kernel/sched.h"
#include "../kernel/tty.h"
#include "../vm/kmalloc.h"
#include "file.h"
#include "fdtable.h"

_Static_assert(sizeof(((struct proc *)0)->fd_pins) / sizeof(struct file *) == FD_PINS,
	       "struct proc's pin array");

/* slot - what descriptor @fd (in range) holds; slots at or past t->end hold nothing. */
static inline struct file *slot(struct fdtable *t, int fd)
{
	return fd < t->end ? t->fd[fd] : 0;
}

/* set_slot - put @f in slot @fd, first clearing the slots between the old end and it. */
static void set_slot(struct fdtable *t, int fd, struct file *f)
{
	for (; t->end <= fd; t->end++)
		t->fd[t->end] = 0;
	t->fd[fd] = f;
}

struct fdtable *fd_table_new(void)
{
	struct fdtable *t = kzalloc(sizeof(*t));

	if (t) {
		t->lock = (struct spinlock)SPINLOCK_INIT("fdtable");
		t->refs = 1;
	}
	return t;
}

struct fdtable *fd_table_copy(struct fdtable *t)
{
	struct fdtable *n = kmalloc(sizeof(*n));	/* every field is written below */

	if (!n)
		return 0;
	n->lock = (struct spinlock)SPINLOCK_INIT("fdtable");
	n->refs = 1;
	spin_lock(&t->lock);
	for (int fd = 0; fd < t->end; fd++)
		n->fd[fd] = t->fd[fd] ? file_get(t->fd[fd]) : 0;
	n->end = t->end;		/* the slots past it are never read */
	n->cloexec = t->cloexec;
	spin_unlock(&t->lock);
	return n;
}

void fd_table_put(struct fdtable *t)
{
	if (__atomic_sub_fetch(&t->refs, 1, __ATOMIC_ACQ_REL))
		return;
	for (int fd = 0; fd < t->end; fd++)
		if (t->fd[fd])
			file_put(t->fd[fd]);
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

/*
 * fd_install - put @f in the lowest free slot of @p's table at or above
 * @min, with close-on-exec set to @cloexec.  The caller's reference moves
 * into the table.  Returns the descriptor, or -EMFILE (the caller still
 * owns @f).
 */
int fd_install(struct proc *p, struct file *f, int min, int cloexec)
{
	struct fdtable *t = p->fdt;
	int r = -EMFILE;

	spin_lock(&t->lock);
	for (int fd = min; fd < NOFILE; fd++)
		if (!slot(t, fd)) {
			set_slot(t, fd, f);
			if (cloexec)
				t->cloexec |= 1ULL << fd;
			else
				t->cloexec &= ~(1ULL << fd);
			r = fd;
			break;
		}
	spin_unlock(&t->lock);
	return r;
}

/* fd_install_at - slot @fd (in range) gets @f; whatever it held is closed after the swap. */
void fd_install_at(struct proc *p, int fd, struct file *f, int cloexec)
{
	struct fdtable *t = p->fdt;
	struct file *old;

	spin_lock(&t->lock);
	old = slot(t, fd);
	set_slot(t, fd, f);
	if (cloexec)
		t->cloexec |= 1ULL << fd;
	else
		t->cloexec &= ~(1ULL << fd);
	spin_unlock(&t->lock);
	if (old)
		file_put(old);
}

struct file *fd_remove(struct proc *p, int fd)
{
	struct fdtable *t = p->fdt;
	struct file *f;

	if (fd < 0 || fd >= NOFILE)
		return 0;
	spin_lock(&t->lock);
	f = slot(t, fd);
	if (f)
		t->fd[fd] = 0;
	t->cloexec &= ~(1ULL << fd);
	spin_unlock(&t->lock);
	return f;
}

int fd_cloexec(struct proc *p, int fd)
{
	return (int)((__atomic_load_n(&p->fdt->cloexec, __ATOMIC_RELAXED) >> fd) & 1);
}

void fd_set_cloexec(struct proc *p, int fd, int on)
{
	struct fdtable *t = p->fdt;

	spin_lock(&t->lock);
	if (on)
		t->cloexec |= 1ULL << fd;
	else
		t->cloexec &= ~(1ULL << fd);
	spin_unlock(&t->lock);
}

/* lookup - @fd's file in @t, with a reference if @ref. */
static struct file *lookup(struct fdtable *t, int fd, int ref)
{
	struct file *f;

	if (fd < 0 || fd >= NOFILE)
		return 0;
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
 * table only we can change; from a shared one it is pinned.  No system
 * call that uses fd_file borrows more than FD_PINS files at once (loops
 * over many use fd_get); past that the oldest pin is dropped.
 */
struct file *fd_file(int fd)
{
	struct proc *p = current();
	struct fdtable *t = p->fdt;
	struct file *f;

	if (__atomic_load_n(&t->refs, __ATOMIC_ACQUIRE) == 1) {
		if (fd < 0 || fd >= NOFILE)
			return 0;
		return slot(t, fd);
	}
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
		if (t->fd[fd])
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
	set_slot(p->fdt, 0, f);
	set_slot(p->fdt, 1, file_get(f));
	set_slot(p->fdt, 2, file_get(f));
}

/* fd_close_on_exec - exec: drop @p's descriptors whose cloexec bit is set; clear the bits. */
void fd_close_on_exec(struct proc *p)
{
	for (int fd = 0; fd < NOFILE; fd++)
		if (fd_cloexec(p, fd)) {
			struct file *f = fd_remove(p, fd);
			if (f)
				file_put(f);
		}
}
