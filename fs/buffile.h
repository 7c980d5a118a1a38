/*
 * buffile.h - read-only files whose whole contents are a kernel buffer
 * made at open (the /proc files): reads never see a half-updated text.
 */
#ifndef HOLSTEIN_BUFFILE_H
#define HOLSTEIN_BUFFILE_H

#include "../kernel/kernel.h"

struct file;

/* The contents of a buffer file, kept in file->priv. */
struct buffile_text {
	char *buf;
	size_t len;
};

/* buffile_create - a read-only file whose contents are @text (taken over, kmalloc'd). */
struct file *buffile_create(char *text, size_t len, uint32_t mode, uint64_t ino);
/* buffile_read - file_ops.read of a buffer file: from pos, short at the end. */
long buffile_read(struct file *f, unsigned long ubuf, size_t n);
/* buffile_release - file_ops.release of a buffer file: frees the text. */
void buffile_release(struct file *f);

#endif
