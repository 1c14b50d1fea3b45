/* utf16 — UTF-16 to UTF-8 for inputs (see utf16.h). */
#include "flinkmem/utf16.h"

#include <stdint.h>

#define SNIFF 512 /* bytes looked at when there is no byte-order mark */

fm_utf16 fm_utf16_detect(const void *p, size_t n)
{
	const unsigned char *u = p;
	if (n >= 2 && u[0] == 0xff && u[1] == 0xfe)
		return FM_UTF16_LE;
	if (n >= 2 && u[0] == 0xfe && u[1] == 0xff)
		return FM_UTF16_BE;
	/* no mark: ASCII text in UTF-16 has a zero byte in every unit, on the
	 * same side; UTF-8 text never holds a zero byte */
	size_t m = n < SNIFF ? n & ~(size_t)1 : SNIFF, zlo = 0, zhi = 0;
	if (m < 16)
		return FM_UTF16_NONE;
	for (size_t i = 0; i < m; i += 2) {
		zlo += u[i] == 0 && u[i + 1] != 0;
		zhi += u[i + 1] == 0 && u[i] != 0;
	}
	size_t units = m / 2;
	if (zhi * 10 >= units * 9)
		return FM_UTF16_LE;
	if (zlo * 10 >= units * 9)
		return FM_UTF16_BE;
	return FM_UTF16_NONE;
}

static size_t put(char *o, uint32_t c)
{
	if (c < 0x80) {
		o[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		o[0] = (char)(0xc0 | c >> 6);
		o[1] = (char)(0x80 | (c & 0x3f));
		return 2;
	}
	if (c < 0x10000) {
		o[0] = (char)(0xe0 | c >> 12);
		o[1] = (char)(0x80 | (c >> 6 & 0x3f));
		o[2] = (char)(0x80 | (c & 0x3f));
		return 3;
	}
	o[0] = (char)(0xf0 | c >> 18);
	o[1] = (char)(0x80 | (c >> 12 & 0x3f));
	o[2] = (char)(0x80 | (c >> 6 & 0x3f));
	o[3] = (char)(0x80 | (c & 0x3f));
	return 4;
}

static uint32_t unit(const unsigned char *p, bool be)
{
	return be ? (uint32_t)p[0] << 8 | p[1] : (uint32_t)p[1] << 8 | p[0];
}

size_t fm_utf16_to_utf8(const void *in, size_t n, fm_utf16 enc, bool at_start, bool last, char *out,
			size_t *used)
{
	const unsigned char *u = in;
	bool be = enc == FM_UTF16_BE;
	size_t i = 0, o = 0;
	while (i + 2 <= n) {
		uint32_t c = unit(u + i, be);
		if (c == 0xfeff && i == 0 && at_start) {
			i += 2;
			continue;
		}
		if (c >= 0xd800 && c < 0xdc00) {
			if (i + 4 > n && !last)
				break; /* its partner is in the next chunk */
			uint32_t d = i + 4 <= n ? unit(u + i + 2, be) : 0;
			if (d >= 0xdc00 && d < 0xe000) {
				o += put(out + o, 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00));
				i += 4;
				continue;
			}
			c = 0xfffd;
		} else if (c >= 0xdc00 && c < 0xe000) {
			c = 0xfffd;
		}
		o += put(out + o, c);
		i += 2;
	}
	if (last && i < n) { /* an odd byte at the end */
		o += put(out + o, 0xfffd);
		i = n;
	}
	*used = i;
	return o;
}
