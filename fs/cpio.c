/*
 * cpio.c - the cpio "newc" reader.  See cpio.h for the format.
 *
 * The archive comes from the boot loader and is trusted no further than
 * its length: every size read from a header is checked against what is
 * left of the buffer before it is used, by subtraction so that no sum can
 * wrap around.
 */
#include "cpio.h"
#include "../kernel/string.h"
#include "../kernel/errno.h"

#define CPIO_HDR_LEN	110
#define CPIO_MAGIC_LEN	6
#define CPIO_FIELD_LEN	8

/* Field numbers: the 8-hex-digit fields in header order, after the magic. */
enum cpio_field {
	CPIO_INO, CPIO_MODE, CPIO_UID, CPIO_GID, CPIO_NLINK, CPIO_MTIME, CPIO_FILESIZE,
	CPIO_DEVMAJOR, CPIO_DEVMINOR, CPIO_RDEVMAJOR, CPIO_RDEVMINOR, CPIO_NAMESIZE,
	CPIO_CHECK, CPIO_NFIELDS
};

static const char cpio_trailer[] = "TRAILER!!!";

/*
 * cpio_hex - parse the 8 hex digits at @p into *@v.  Returns 0, or -1 if
 * any of them is not a hex digit (no sign, no spaces: newc has neither).
 */
static int cpio_hex(const uint8_t *p, uint32_t *v)
{
	uint32_t r = 0;

	for (int i = 0; i < CPIO_FIELD_LEN; i++) {
		uint8_t c = p[i], d;

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return -1;
		r = (r << 4) | d;
	}
	*v = r;
	return 0;
}

/*
 * cpio_pad - @off rounded up to the next multiple of 4, or @limit if that
 * lies beyond it (the padding of an archive's last entry may be missing,
 * and @off itself is never above @limit here, so this cannot wrap).
 */
static size_t cpio_pad(size_t off, size_t limit)
{
	size_t pad = (4 - (off & 3)) & 3;

	return limit - off < pad ? limit : off + pad;
}

int cpio_next(const uint8_t *base, size_t len, size_t *off, struct cpio_entry *e)
{
	const uint8_t *h;
	uint32_t f[CPIO_NFIELDS];
	size_t pos = *off, name_off, data_off;

	if (pos > len || len - pos < CPIO_HDR_LEN)
		return -EINVAL;
	h = base + pos;
	if (memcmp(h, "070701", CPIO_MAGIC_LEN) != 0 && memcmp(h, "070702", CPIO_MAGIC_LEN) != 0)
		return -EINVAL;
	for (int i = 0; i < CPIO_NFIELDS; i++)
		if (cpio_hex(h + CPIO_MAGIC_LEN + i * CPIO_FIELD_LEN, &f[i]))
			return -EINVAL;

	/* The name, with its NUL, must fit in what follows the header. */
	name_off = pos + CPIO_HDR_LEN;
	if (f[CPIO_NAMESIZE] == 0 || len - name_off < f[CPIO_NAMESIZE])
		return -EINVAL;
	if (base[name_off + f[CPIO_NAMESIZE] - 1] != 0)
		return -EINVAL;

	/* Checked before the data, so that a short final padding is no error. */
	if (f[CPIO_NAMESIZE] == sizeof(cpio_trailer) &&
	    memcmp(base + name_off, cpio_trailer, sizeof(cpio_trailer)) == 0)
		return 0;

	data_off = cpio_pad(name_off + f[CPIO_NAMESIZE], len);
	if (len - data_off < f[CPIO_FILESIZE])
		return -EINVAL;

	e->name = (const char *)(base + name_off);
	e->namelen = f[CPIO_NAMESIZE] - 1;
	e->mode = f[CPIO_MODE];
	e->ino = f[CPIO_INO];
	e->nlink = f[CPIO_NLINK];
	e->mtime = f[CPIO_MTIME];
	e->data = base + data_off;
	e->size = f[CPIO_FILESIZE];
	*off = cpio_pad(data_off + f[CPIO_FILESIZE], len);
	return 1;
}
