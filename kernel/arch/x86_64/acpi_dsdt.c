// SPDX-License-Identifier: GPL-2.0-only
/*
 * The memory-mapped devices the DSDT describes: each Device() with a _HID
 * and a _CRS buffer holding a fixed 32-bit memory range (and usually one
 * interrupt), as QEMU's microvm lists its virtio-mmio transports ("LNRO0005").
 * This is a reader of static AML, not an interpreter: it walks Scope and
 * Device blocks and reads Name() objects whose values are literals; methods,
 * fields and conditionals are skipped by their length, and a _HID or _CRS
 * that is computed by a method is not seen (reported, then ignored).
 */
#include <arch/acpi.h>
#include <ddeos/arch.h>
#include <ddeos/console.h>
#include <ddeos/string.h>

struct acpi_mmio_device acpi_mmio_devices[ACPI_MAX_MMIO_DEVICES];
unsigned int acpi_nr_mmio_devices;

/* AML opcodes (ACPI 6.x, 20.3) the reader knows. */
#define AML_ZERO	0x00
#define AML_ONE		0x01
#define AML_NAME	0x08
#define AML_BYTE	0x0a
#define AML_WORD	0x0b
#define AML_DWORD	0x0c
#define AML_STRING	0x0d
#define AML_QWORD	0x0e
#define AML_SCOPE	0x10
#define AML_BUFFER	0x11
#define AML_PACKAGE	0x12
#define AML_VARPACKAGE	0x13
#define AML_METHOD	0x14
#define AML_IF		0xa0
#define AML_ELSE	0xa1
#define AML_WHILE	0xa2
#define AML_ONES	0xff
#define AML_EXT		0x5b
#define AML_EXT_REGION	0x80
#define AML_EXT_FIELD	0x81
#define AML_EXT_DEVICE	0x82
#define AML_EXT_PROC	0x83
#define AML_EXT_POWER	0x84
#define AML_EXT_THERMAL	0x85
#define AML_EXT_IDXFIELD 0x86

/* Resource descriptors (ACPI 6.x, 6.4). */
#define RES_SMALL_IRQ	0x04
#define RES_SMALL_END	0x0f
#define RES_LARGE_MEM32_FIXED	0x06
#define RES_LARGE_EXT_IRQ	0x09

/* Where found devices go. */
struct found {
	struct acpi_mmio_device *devs;
	unsigned int max, n;
};

struct cursor {
	const uint8_t *p, *end;
	struct found *out;
};

/* PkgLength (20.2.4): the length counts its own bytes; returns the end of
 * the package, or 0 if it runs past @limit. */
static const uint8_t *pkg_end(struct cursor *c, const uint8_t *limit)
{
	const uint8_t *start = c->p;
	unsigned int extra, len;

	if (c->p >= limit)
		return 0;
	extra = *c->p >> 6;
	if (c->p + 1 + extra > limit)
		return 0;
	if (!extra) {
		len = *c->p++ & 0x3f;
	} else {
		len = *c->p++ & 0x0f;
		for (unsigned int i = 0; i < extra; i++)
			len |= (unsigned int)*c->p++ << (4 + 8 * i);
	}
	if (start + len > limit || start + len < c->p)
		return 0;
	return start + len;
}

/* NameString (20.2.2): copies its last segment to @seg (4 chars). */
static bool name_string(struct cursor *c, char seg[4])
{
	unsigned int segs;

	while (c->p < c->end && (*c->p == '\\' || *c->p == '^'))
		c->p++;
	if (c->p >= c->end)
		return false;
	if (*c->p == 0x00) {			/* NullName */
		c->p++;
		memset(seg, 0, 4);
		return true;
	}
	if (*c->p == 0x2e) {			/* DualNamePrefix */
		segs = 2;
		c->p++;
	} else if (*c->p == 0x2f) {		/* MultiNamePrefix */
		if (c->p + 2 > c->end)
			return false;
		segs = c->p[1];
		c->p += 2;
	} else {
		segs = 1;
	}
	if (!segs || c->p + 4 * segs > c->end)
		return false;
	memcpy(seg, c->p + 4 * (segs - 1), 4);
	c->p += 4 * segs;
	return true;
}

/* An integer literal (ComputationalData); false if it is anything else. */
static bool integer(struct cursor *c, uint64_t *v)
{
	unsigned int n;

	if (c->p >= c->end)
		return false;
	switch (*c->p) {
	case AML_ZERO:	*v = 0; c->p++; return true;
	case AML_ONE:	*v = 1; c->p++; return true;
	case AML_ONES:	*v = ~0ull; c->p++; return true;
	case AML_BYTE:	n = 1; break;
	case AML_WORD:	n = 2; break;
	case AML_DWORD:	n = 4; break;
	case AML_QWORD:	n = 8; break;
	default:	return false;
	}
	if (c->p + 1 + n > c->end)
		return false;
	*v = 0;
	memcpy(v, c->p + 1, n);
	c->p += 1 + n;
	return true;
}

/* A compressed EISA id (ACPI 6.x, 6.1.5) as its 7-character string. */
static void eisa_id(uint32_t v, char *out)
{
	static const char hex[] = "0123456789ABCDEF";
	uint32_t be = (v >> 24) | ((v >> 8) & 0xff00) | ((v << 8) & 0xff0000) | (v << 24);

	out[0] = (char)('@' + ((be >> 26) & 0x1f));
	out[1] = (char)('@' + ((be >> 21) & 0x1f));
	out[2] = (char)('@' + ((be >> 16) & 0x1f));
	for (int i = 0; i < 4; i++)
		out[3 + i] = hex[(be >> (12 - 4 * i)) & 0xf];
	out[7] = 0;
}

/* _HID: a string or an EISA id. */
static bool read_hid(struct cursor *c, char *hid)
{
	uint64_t v;

	if (c->p < c->end && *c->p == AML_STRING) {
		unsigned int n = 0;

		for (c->p++; c->p < c->end && *c->p; c->p++)
			if (n < ACPI_HID_MAX - 1)
				hid[n++] = (char)*c->p;
		hid[n] = 0;
		if (c->p >= c->end)
			return false;
		c->p++;
		return true;
	}
	if (!integer(c, &v))
		return false;
	eisa_id((uint32_t)v, hid);
	return true;
}

/* The resource template of a _CRS buffer: the first fixed memory range and
 * the first interrupt. */
static void read_resources(const uint8_t *p, const uint8_t *end,
			   struct acpi_mmio_device *d)
{
	while (p < end) {
		unsigned int len;

		if (!(*p & 0x80)) {		/* small item */
			unsigned int type = (*p >> 3) & 0xf;

			len = *p & 7;
			if (type == RES_SMALL_END)
				return;
			if (p + 1 + len > end)
				return;
			if (type == RES_SMALL_IRQ && len >= 2 && !d->has_irq) {
				uint16_t mask = (uint16_t)(p[1] | p[2] << 8);
				uint8_t info = len >= 3 ? p[3] : 0x01;	/* default: edge, high */

				for (unsigned int i = 0; i < 16; i++) {
					if (mask & (1u << i)) {
						d->gsi = i;
						d->has_irq = true;
						d->level = !(info & 0x01);
						d->active_low = info & 0x08;
						break;
					}
				}
			}
			p += 1 + len;
			continue;
		}
		if (p + 3 > end)
			return;
		len = (unsigned int)(p[1] | p[2] << 8);
		if (p + 3 + len > end)
			return;
		switch (*p & 0x7f) {
		case RES_LARGE_MEM32_FIXED:
			if (len >= 9 && !d->size) {
				uint32_t base, size;

				memcpy(&base, p + 4, 4);
				memcpy(&size, p + 8, 4);
				d->base = base;
				d->size = size;
			}
			break;
		case RES_LARGE_EXT_IRQ:
			if (len >= 6 && p[4] >= 1 && !d->has_irq) {
				memcpy(&d->gsi, p + 5, 4);
				d->has_irq = true;
				d->level = !(p[3] & 0x02);
				d->active_low = p[3] & 0x04;
			}
			break;
		}
		p += 3 + len;
	}
}

/* Name(_CRS, Buffer(){...}): the buffer's bytes. */
static bool read_crs(struct cursor *c, struct acpi_mmio_device *d)
{
	const uint8_t *end;
	uint64_t size;

	if (c->p >= c->end || *c->p != AML_BUFFER)
		return false;
	c->p++;
	end = pkg_end(c, c->end);
	if (!end || !integer(c, &size) || c->p > end)
		return false;
	read_resources(c->p, end, d);
	c->p = end;
	return true;
}

/* Skip a data object we do not read (the value of another Name()). */
static bool skip_data(struct cursor *c)
{
	uint64_t v;
	const uint8_t *end;

	if (integer(c, &v))
		return true;
	if (c->p >= c->end)
		return false;
	switch (*c->p) {
	case AML_STRING:
		while (c->p < c->end && *c->p)
			c->p++;
		if (c->p >= c->end)
			return false;
		c->p++;
		return true;
	case AML_BUFFER:
	case AML_PACKAGE:
	case AML_VARPACKAGE:
		c->p++;
		end = pkg_end(c, c->end);
		if (!end)
			return false;
		c->p = end;
		return true;
	}
	return false;
}

static void device_found(struct found *out, const char *path, const char *hid,
			 uint64_t uid, struct acpi_mmio_device *d)
{
	if (!hid[0] || !d->size)
		return;		/* not a memory-mapped device */
	if (out->n == out->max) {
		kprintf("ACPI: DSDT: more than %u memory-mapped devices, %.4s ignored\n",
			out->max, path);
		return;
	}
	memcpy(d->hid, hid, ACPI_HID_MAX);
	d->uid = uid;
	memcpy(d->name, path, 4);
	d->name[4] = 0;
	out->devs[out->n++] = *d;
}

static void term_list(struct cursor *c, const char *scope, int depth);

/* Scope or Device: a NameString and a term list ending at @end. */
static void block(struct cursor *c, const uint8_t *end, bool device, int depth)
{
	struct cursor in = { c->p, end, c->out };
	char seg[5] = "";

	if (!name_string(&in, seg))
		return;
	if (depth > 16)
		return;
	if (!device) {
		term_list(&in, seg, depth + 1);
		return;
	}

	struct acpi_mmio_device d = { 0 };
	char hid[ACPI_HID_MAX] = "";
	uint64_t uid = 0;

	/* A device's own Name()s come first in QEMU's and most tables; nested
	 * devices are walked after them. */
	while (in.p < in.end) {
		char name[5] = "";

		if (*in.p != AML_NAME)
			break;
		in.p++;
		if (!name_string(&in, name))
			return;
		if (!string_memcmp(name, "_HID", 4)) {
			if (!read_hid(&in, hid)) {
				kprintf("ACPI: DSDT: %.4s: _HID is not a literal, device ignored\n", seg);
				return;
			}
		} else if (!string_memcmp(name, "_UID", 4) && integer(&in, &uid)) {
			continue;
		} else if (!string_memcmp(name, "_CRS", 4)) {
			if (!read_crs(&in, &d)) {
				kprintf("ACPI: DSDT: %.4s: _CRS is not a buffer, device ignored\n", seg);
				return;
			}
		} else if (!skip_data(&in)) {
			return;
		}
	}
	device_found(in.out, seg, hid, uid, &d);
	term_list(&in, seg, depth + 1);
}

enum pkg_kind { PKG_SKIP, PKG_SCOPE, PKG_DEVICE };

/* An object with a PkgLength: walked (Scope, Device) or skipped whole
 * (Method, Field, If, ...). False if its length is bad. */
static bool package(struct cursor *c, enum pkg_kind kind, int depth)
{
	const uint8_t *end = pkg_end(c, c->end);

	if (!end)
		return false;
	if (kind != PKG_SKIP)
		block(c, end, kind == PKG_DEVICE, depth);
	c->p = end;
	return true;
}

/* A term list: Scope, Device, Name and the objects we skip by length. An
 * opcode outside them ends the walk of this list (its container's end is
 * known), with a line saying so. */
static void term_list(struct cursor *c, const char *scope, int depth)
{
	while (c->p < c->end) {
		uint8_t op = *c->p++;
		char name[5];
		uint64_t v;

		switch (op) {
		case AML_SCOPE:
		case AML_METHOD:
		case AML_IF:
		case AML_ELSE:
		case AML_WHILE:
			if (!package(c, op == AML_SCOPE ? PKG_SCOPE : PKG_SKIP, depth))
				return;
			continue;
		case AML_NAME:
			if (!name_string(c, name) || !skip_data(c))
				return;
			continue;
		case AML_EXT:
			if (c->p >= c->end)
				return;
			op = *c->p++;
			switch (op) {
			case AML_EXT_DEVICE:
			case AML_EXT_FIELD:
			case AML_EXT_PROC:
			case AML_EXT_POWER:
			case AML_EXT_THERMAL:
			case AML_EXT_IDXFIELD:
				if (!package(c, op == AML_EXT_DEVICE ? PKG_DEVICE : PKG_SKIP,
					     depth))
					return;
				continue;
			case AML_EXT_REGION:	/* name, space byte, offset, length */
				if (!name_string(c, name) || c->p >= c->end)
					return;
				c->p++;
				if (integer(c, &v) && integer(c, &v))
					continue;
				break;
			}
			kprintf("ACPI: DSDT: AML op 0x5b%02x in %.4s not read, rest of the scope skipped\n",
				op, scope);
			return;
		default:
			kprintf("ACPI: DSDT: AML op %#x in %.4s not read, rest of the scope skipped\n",
				op, scope);
			return;
		}
	}
}

/**
 * acpi_dsdt_devices() - the memory-mapped devices of a DSDT
 * @table: the table, header included
 * @devs: where to put them
 * @max: room in @devs
 *
 * Context: any; reads only @table.
 * Return: how many were found, in namespace order.
 */
unsigned int acpi_dsdt_devices(const void *table, struct acpi_mmio_device *devs,
			       unsigned int max)
{
	const uint8_t *t = table;
	struct found out = { devs, max, 0 };
	struct cursor c;
	uint32_t len;

	memcpy(&len, t + 4, 4);
	if (len < 36)
		return 0;
	c.p = t + 36;
	c.end = t + len;
	c.out = &out;
	term_list(&c, "\\", 0);
	return out.n;
}

/* The machine's: acpi_mmio_devices[], from acpi_init(). */
void acpi_dsdt_scan(uint64_t dsdt)
{
	acpi_nr_mmio_devices = acpi_dsdt_devices(phys_to_virt(dsdt), acpi_mmio_devices,
						 ACPI_MAX_MMIO_DEVICES);
}
