/*
 * cpio.h - a reader for the cpio "newc" archive format (the initramfs).
 *
 * Every entry is a 110-byte ASCII header (magic "070701", or "070702" for
 * the variant with a checksum, which we do not verify), then the path name
 * and its NUL, padded to 4 bytes, then the file data, padded to 4 bytes.
 * An entry named "TRAILER!!!" ends the archive.  Offsets and padding are
 * counted from the start of the archive.
 */
#ifndef HOLSTEIN_CPIO_H
#define HOLSTEIN_CPIO_H

#include <stdint.h>
#include <stddef.h>

struct cpio_entry {
	const char *name;	/* not necessarily NUL-terminated in the archive: use namelen */
	size_t namelen;		/* without the NUL */
	uint32_t mode, ino, nlink, mtime;
	const uint8_t *data;
	uint64_t size;
};

/*
 * cpio_next - parse the entry at *@off of [@base, @base + @len).
 * 1: *@e filled, *@off advanced past it (header, name, data and their
 * 4-byte padding; the padding of the last entry may be cut off by the end
 * of the buffer).  0: the "TRAILER!!!" entry.  Negative: malformed (bad
 * magic, non-hex field, name or data past the end, namesize 0, name not
 * NUL-terminated).  *@off is left alone unless 1 is returned, so on an
 * error it names the bad entry.  Never reads outside the buffer.
 */
int cpio_next(const uint8_t *base, size_t len, size_t *off, struct cpio_entry *e);

#endif
