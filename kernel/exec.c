/*
 * exec.c - load a static ELF program into a fresh address space.
 *
 * Nothing is copied from the file: text is mapped from the initramfs page
 * cache (shared, read-only), the data segment maps the same pages COW, and
 * bss, heap and stack are demand-zero VMAs.  Only the stack's top pages
 * (arguments, environment, auxv) are written now, through mm_copy_in: exec
 * never touches a page table itself.  The old address space
 * is dropped only once the new one is complete, so a failed exec returns
 * an error to a program that is still intact.
 */
#include "kernel.h"
#include "proc.h"
#include "sched.h"
#include "exec.h"
#include "elf.h"
#include "../fs/fdtable.h"
#include "../fs/namei.h"
#include "../fs/stat.h"
#include "../fs/vfs.h"
#include "../fs/initramfs.h"
#include "../vm/kmalloc.h"
#include "random.h"
#include "../vm/mm.h"
#include "../vm/uaccess.h"
#include "../vm/tlb.h"

#define MAX_ARGS	500		/* argv + envp strings: one page of pointers */
#define MAX_ARG_BYTES	(128 * 1024)

#define AT_NULL		0
#define AT_PHDR		3
#define AT_PHENT	4
#define AT_PHNUM	5
#define AT_PAGESZ	6
#define AT_BASE		7
#define AT_FLAGS	8
#define AT_ENTRY	9
#define AT_UID		11
#define AT_EUID		12
#define AT_GID		13
#define AT_EGID		14
#define AT_HWCAP	16
#define AT_CLKTCK	17
#define AT_SECURE	23
#define AT_RANDOM	25
#define AT_EXECFN	31

/* HWCAP: one bit per single-letter extension: I, M, A, F, D, C. */
#define HWCAP_IMAFDC	((1 << ('i' - 'a')) | (1 << ('m' - 'a')) | (1 << ('a' - 'a')) | \
			 (1 << ('f' - 'a')) | (1 << ('d' - 'a')) | (1 << ('c' - 'a')))

/* Where argv/envp strings come from: the kernel (init) or the old program. */
struct argsrc {
	char *const *kv;
	unsigned long uv;
};

/* arg_get - string @i of @a into @buf: its length, -1 at the end, or -errno. */
static long arg_get(const struct argsrc *a, int i, char *buf, size_t size)
{
	if (a->kv) {
		if (!a->kv[i])
			return -1;
		strlcpy(buf, a->kv[i], size);
		return (long)strlen(buf);
	}
	if (!a->uv)
		return -1;
	uint64_t ptr;
	if (uaccess_get_u64(a->uv + 8UL * i, &ptr))
		return -EFAULT;
	if (!ptr)
		return -1;
	return uaccess_strncpy_from_user(buf, ptr, size);
}

/*
 * push_strings - copy every string of @a below *sp into the new image;
 * record their addresses at addrs[*count] on.  0 or -errno.
 */
static int push_strings(struct mm *mm, const struct argsrc *a, unsigned long *sp,
			unsigned long *addrs, int *count, size_t *bytes)
{
	char buf[PAGE_SIZE / 2];

	for (int i = 0;; i++) {
		long len = arg_get(a, i, buf, sizeof(buf));
		if (len == -1)
			return 0;
		if (len < 0)
			return (int)len;
		if (*count >= MAX_ARGS || (*bytes += (size_t)len + 1) > MAX_ARG_BYTES)
			return -E2BIG;
		*sp -= (unsigned long)len + 1;
		if (mm_copy_in(mm, *sp, buf, (size_t)len + 1))
			return -ENOMEM;
		addrs[(*count)++] = *sp;
	}
}

/* load_segments - one or two VMAs per PT_LOAD: file-backed, then demand-zero bss. */
static int load_segments(struct mm *mm, struct inode *ip, const struct elf_info *ei,
			 unsigned long bias)
{
	for (int i = 0; i < ei->nload; i++) {
		const struct elf_segment *s = &ei->load[i];
		unsigned prot = ((s->flags & PF_R) ? PROT_READ : 0) |
				((s->flags & PF_W) ? PROT_WRITE : 0) |
				((s->flags & PF_X) ? PROT_EXEC : 0);
		unsigned long start = ALIGN_DOWN(s->vaddr + bias, PAGE_SIZE);
		unsigned long fend = s->vaddr + bias + s->filesz;
		unsigned long mend = ALIGN_UP(s->vaddr + bias + s->memsz, PAGE_SIZE);
		unsigned long fpage_end = ALIGN_UP(fend, PAGE_SIZE);
		int r;

		if (s->filesz) {
			r = mm_map(mm, &(struct vma){ .start = start, .end = fpage_end, .prot = prot,
						      .kind = VMA_FILE, .flags = VMA_MAY_RWX,
						      .pager = &initramfs_pager, .object = ip,
						      .file_off = ALIGN_DOWN(s->offset, PAGE_SIZE),
						      .file_end = fend });
			if (r)
				return r;
		} else {
			fpage_end = start;
		}
		if (mend > fpage_end) {
			r = mm_map(mm, &(struct vma){ .start = fpage_end, .end = mend, .prot = prot,
						      .kind = VMA_ANON, .flags = VMA_MAY_RWX });
			if (r)
				return r;
		}
	}
	return 0;
}

/*
 * build_stack - the initial stack of the new image @mm: strings, 16 random
 * bytes, then (from sp up) argc, argv[], NULL, envp[], NULL, auxv pairs.
 * The vector is put together here and copied in with one mm_copy_in.
 * Sets *@out_sp.  0 or -errno.
 */
static int build_stack(struct mm *mm, const char *path, const struct argsrc *argv,
		       const struct argsrc *envp, const struct elf_info *ei, unsigned long bias,
		       unsigned long *out_sp)
{
	/* argc, argv[], NULL, envp[], NULL: the strings' addresses go straight into place */
	unsigned long *vec = kmalloc((MAX_ARGS + 3) * sizeof(unsigned long));
	unsigned long sp = mm->stack_top, execfn, rnd;
	int argc = 0, total = 0, r;
	size_t bytes = 0, nvec;
	uint8_t rb[16];

	if (!vec)
		return -ENOMEM;
	sp -= strlen(path) + 1;
	if ((r = mm_copy_in(mm, sp, path, strlen(path) + 1)))
		goto out;
	execfn = sp;
	if ((r = push_strings(mm, argv, &sp, vec + 1, &total, &bytes)))
		goto out;
	argc = total;
	if ((r = push_strings(mm, envp, &sp, vec + 2, &total, &bytes)))
		goto out;
	random_bytes(rb, sizeof(rb));
	sp = (sp - sizeof(rb)) & ~15UL;
	rnd = sp;
	if ((r = mm_copy_in(mm, sp, rb, sizeof(rb))))
		goto out;

	unsigned long aux[] = {
		AT_PHDR, ei->phdr_vaddr ? ei->phdr_vaddr + bias : 0,
		AT_PHENT, ei->phentsize, AT_PHNUM, ei->phnum, AT_PAGESZ, PAGE_SIZE,
		AT_BASE, 0, AT_FLAGS, 0, AT_ENTRY, ei->entry + bias,
		AT_UID, 0, AT_EUID, 0, AT_GID, 0, AT_EGID, 0,
		AT_HWCAP, HWCAP_IMAFDC, AT_CLKTCK, 100, AT_SECURE, 0,
		AT_RANDOM, rnd, AT_EXECFN, execfn, AT_NULL, 0,
	};
	vec[0] = (unsigned long)argc;
	vec[1 + argc] = 0;	/* argv's NULL */
	vec[2 + total] = 0;	/* envp's NULL */
	nvec = (size_t)total + 3;
	sp = (sp - (nvec + ARRAY_SIZE(aux)) * 8) & ~15UL;
	if ((r = mm_copy_in(mm, sp, vec, nvec * 8)))
		goto out;
	r = mm_copy_in(mm, sp + nvec * 8, aux, sizeof(aux));
	*out_sp = sp;
out:
	kfree(vec);
	return r;
}

/*
 * open_program - find @path and read its ELF header: the inode in *@ipp,
 * the parsed header in @ei, and the load bias of a static-pie program in
 * *@bias (0 otherwise).  0, or -ENOENT, -EACCES, -ENOEXEC, -ENOMEM.
 */
static int open_program(const char *path, struct inode **ipp, struct elf_info *ei,
			unsigned long *bias)
{
	struct inode *ip = initramfs_lookup(path, 1);
	uint8_t *hdr;
	int r;

	if (!ip) {
		struct kstat st;
		/* /dev and /proc files exist but are never programs. */
		return vfs_stat(path, 1, &st) ? -ENOENT : -EACCES;
	}
	if (S_ISDIR(ip->mode))
		return -EACCES;
	if (!S_ISREG(ip->mode) || !(ip->mode & 0111))
		return -EACCES;
	hdr = kmalloc(PAGE_SIZE);
	if (!hdr)
		return -ENOMEM;
	size_t hl = initramfs_read(ip, 0, hdr, PAGE_SIZE);
	r = elf_parse(hdr, hl, ip->size, ei);
	kfree(hdr);
	if (r)
		return -ENOEXEC;
	if (ei->has_interp)
		return -ENOEXEC;	/* dynamically linked: no loader here */
	*bias = ei->type == 3 ? USER_ET_DYN_BASE - ei->lo : 0;
	*ipp = ip;
	return 0;
}

/*
 * map_program - the new image's areas: the segments of @ip, the heap's
 * start, the stack and the signal page.  Nothing is mapped yet but VMAs.
 * 0 or -ENOMEM.
 */
static int map_program(struct mm *mm, struct inode *ip, const struct elf_info *ei,
		       unsigned long bias)
{
	int r;

	if ((r = load_segments(mm, ip, ei, bias)))
		return r;
	mm->brk_start = mm->brk = ALIGN_UP(ei->hi + bias, PAGE_SIZE);
	if ((r = mm_map(mm, &(struct vma){ .start = mm->stack_top - USER_STACK_SIZE,
					   .end = mm->stack_top, .prot = PROT_READ | PROT_WRITE,
					   .kind = VMA_ANON, .flags = VMA_STACK | VMA_MAY_RWX })))
		return r;
	return mm_map(mm, &(struct vma){ .start = USER_SIGPAGE, .end = USER_SIGPAGE + PAGE_SIZE,
					 .prot = PROT_READ | PROT_EXEC, .kind = VMA_SIGPAGE,
					 .flags = VMA_MAYREAD | VMA_MAYEXEC });
}

/*
 * exec_leave_old - the current thread's execve has its new image ready:
 * end the other threads of the process (we take over its pid), and stop
 * sharing what the new program must own alone: the descriptor table and
 * the signal actions.  The old image's CLONE_CHILD_CLEARTID word and
 * robust list are dealt with as at exit.  0, or -EINTR (the process is
 * dying) or -ENOMEM; then the caller's image is unchanged, though the
 * other threads may be gone already.
 */
static int exec_leave_old(struct proc *p)
{
	struct sighand *sh = p->sighand;
	int r;

	if ((r = proc_exec_takeover()) || (r = fd_unshare(p)))
		return r;
	if (!proc_sighand_is_own(p)) {
		/* Shared with another process (CLONE_SIGHAND): back to our own. */
		spin_lock(&sched_lock);
		p->group->sighand = *sh;
		p->sighand = &p->group->sighand;
		int last = --sh->refs == 0;
		spin_unlock(&sched_lock);
		if (last)
			kfree(sh);
	}
	proc_release_user_state(p);	/* the old image's, as at exit */
	return 0;
}

/*
 * do_exec - the common path of execve and init: open the program, build
 * its address space (map_program, build_stack), and only then, past the
 * point of no return, drop the old one.  On success the process runs the
 * new program from its entry point on return to user mode.
 */
static int do_exec(struct proc *p, const char *path, const struct argsrc *argv,
		   const struct argsrc *envp)
{
	struct inode *ip;
	struct elf_info ei;
	unsigned long bias, sp;
	struct mm *mm;
	int r;

	if ((r = open_program(path, &ip, &ei, &bias)))
		return r;
	mm = mm_create();
	if (!mm)
		return -ENOMEM;
	if ((r = map_program(mm, ip, &ei, bias)))
		goto fail;
	if ((r = build_stack(mm, path, argv, envp, &ei, bias, &sp)))
		goto fail;

	if (p == current() && (r = exec_leave_old(p)))
		goto fail;

	/*
	 * Point of no return: switch to the new address space, drop the old.
	 * /proc readers take their mm reference under sched_lock, so the swap
	 * happens under it too: none may get hold of old once we drop it.
	 */
	spin_lock(&sched_lock);
	struct mm *old = p->mm;
	p->mm = mm;
	spin_unlock(&sched_lock);
	if (p == current()) {
		tlb_mm_enter(mm);	/* leaves the old mm on this hart (tlb.h) */
		tlb_flush_icache();
	}
	proc_vfork_release(p);
	if (old)
		mm_put(old);

	fd_close_on_exec(p);
	p->sig.ss_sp = p->sig.ss_size = 0;	/* the old image's alternate stack is gone */
	p->sig.ss_autodisarm = 0;
	spin_lock(&sched_lock);
	for (int s = 0; s < NSIG; s++) {
		struct k_sigaction *a = &p->sighand->action[s];
		if (a->handler != SIG_IGN)
			a->handler = SIG_DFL;
		a->flags = 0;
		a->mask = 0;
	}
	spin_unlock(&sched_lock);
	proc_set_name(p, path);
	strlcpy(p->group->exe, path, sizeof(p->group->exe));
	memset(&p->fp, 0, sizeof(p->fp));
	memset(p->tf, 0, sizeof(*p->tf));
	p->tf->epc = ei.entry + bias;
	p->tf->sp = sp;
	p->tf->sstatus = arch_user_status_new();
	return 0;
fail:
	mm_put(mm);
	return r;
}

int exec_kernel(struct proc *p, const char *path, char *const argv[])
{
	static char *const envp[] = { "HOME=/", "PATH=/bin", "TERM=vt100", 0 };
	struct argsrc a = { argv, 0 }, e = { envp, 0 };

	return do_exec(p, path, &a, &e);
}

long exec_user(unsigned long upath, unsigned long uargv, unsigned long uenvp)
{
	char path[PATH_MAX_K], abs[PATH_MAX_K];
	struct argsrc a = { 0, uargv }, e = { 0, uenvp };
	long r = uaccess_strncpy_from_user(path, upath, sizeof(path));

	if (r < 0)
		return r;
	if ((r = path_resolve(AT_FDCWD, path, abs, sizeof(abs))))
		return r;
	return do_exec(current(), abs, &a, &e);
}
