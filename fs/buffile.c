/*
 * buffile.c - read-only, seekable files over a kernel buffer.
 *
 * /proc generates each file's whole text at open and hands it here, so a
 * reader sees one consistent snapshot however small its reads, and no
 * generator needs to resume mid-text.  Kinds that reuse the text for
 * something else (a /proc directory keeps its path in it) take
 * buffile_release as their own release.
 */
#include "../kernel/kernel.h"
#include "../vm/kmalloc.h"
#include "../vm/uaccess.h"
#include "file.h"
#include "buffile.h"

/* buffile_read - copy up to @n bytes of the text from pos; 0 at the end, or -EFAULT. */
long buffile_read(struct file *f, unsigned long ubuf, size_t n)
{
	struct buffile_text *t = f->priv;

	if (f->pos >= t->len)
		return 0;
	n = MIN(n, t->len - f->pos);
	if (uaccess_copy_to_user(ubuf, t->buf + f->pos, n))
		return -EFAULT;
	f->pos += n;
	return (long)n;
}

/* buffile_release - free the text and its holder, from the last file_put. */
void buffile_release(struct file *f)
{
	struct buffile_text *t = f->priv;

	kfree(t->buf);
	kfree(t);
}

static const struct file_ops buffile_ops = { .read = buffile_read, .release = buffile_release };

/*
 * buffile_create - a read-only, seekable file of @mode and inode @ino whose
 * contents are the @len bytes at @text, which it takes over (kmalloc'd; it
 * is freed here if the file cannot be made).  NULL if memory is short.
 */
struct file *buffile_create(char *text, size_t len, uint32_t mode, uint64_t ino)
{
	struct buffile_text *t = kmalloc(sizeof(*t));
	struct file *f = t ? file_alloc(&buffile_ops, O_RDONLY) : 0;

	if (!f) {
		kfree(t);
		kfree(text);
		return 0;
	}
	t->buf = text;
	t->len = len;
	f->priv = t;
	f->mode = mode;
	f->ino = ino;
	f->size = len;
	f->seekable = 1;
	return f;
}
