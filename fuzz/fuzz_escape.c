/* fuzz_escape — the escaping layer on arbitrary bytes. Terminal text holds
 * only printable ASCII and printable UTF-8 (no C0, DEL, C1, bidi control,
 * no invalid byte) and un-escapes to exactly the input; JSON string content
 * is valid UTF-8 with no raw control or steering character, and for input
 * that is UTF-8 un-escapes to exactly the input; HTML text is printable
 * UTF-8 with no raw markup character (every & starts one of the five
 * entities); a capped escape is the full escape's prefix. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_assert.h"
#include "flinkmem/buf.h"
#include "flinkmem/escape.h"


static int hexval(unsigned char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* out is valid UTF-8 and every character of it printable. */
static void check_printable(const fm_buf *o)
{
	const unsigned char *u = (const unsigned char *)(o->data ? o->data : "");
	for (size_t i = 0; i < o->len;) {
		uint32_t cp = 0;
		size_t l = fm_utf8_decode(u + i, o->len - i, &cp);
		CHECK(l > 0);
		CHECK(cp >= 0x20 && cp != 0x7f && !fm_cp_steers(cp));
		i += l;
	}
}

static void check_text(const uint8_t *data, size_t size)
{
	fm_buf o = FM_BUF_INIT, back = FM_BUF_INIT;
	CHECK(fm_esc_text(&o, (const char *)data, size) == 0);
	check_printable(&o);
	const unsigned char *u = (const unsigned char *)o.data;
	for (size_t i = 0; i < o.len;) {
		if (u[i] != '\\') {
			CHECK(fm_buf_addc(&back, (char)u[i]) == 0);
			i++;
			continue;
		}
		CHECK(i + 1 < o.len);
		if (u[i + 1] == '\\' || u[i + 1] == 't') {
			CHECK(fm_buf_addc(&back, u[i + 1] == 't' ? '\t' : '\\') == 0);
			i += 2;
		} else {
			CHECK(u[i + 1] == 'x' && i + 3 < o.len);
			int h = hexval(u[i + 2]), l = hexval(u[i + 3]);
			CHECK(h >= 0 && l >= 0);
			CHECK(fm_buf_addc(&back, (char)(h * 16 + l)) == 0);
			i += 4;
		}
	}
	CHECK(back.len == size && (size == 0 || memcmp(back.data, data, size) == 0));
	/* capped: a prefix of the full escape (cut on a character), then the note */
	fm_buf c = FM_BUF_INIT;
	size_t cap = size / 2;
	CHECK(fm_esc_text_capped(&c, (const char *)data, size, cap) == 0);
	if (size > cap) {
		const char *note = strstr(c.data, "... (");
		CHECK(note != NULL);
		size_t pre = (size_t)(note - c.data);
		CHECK(pre <= o.len && memcmp(c.data, o.data, pre) == 0);
	}
	fm_buf_release(&c);
	fm_buf_release(&o);
	fm_buf_release(&back);
}

static void check_json(const uint8_t *data, size_t size)
{
	fm_buf o = FM_BUF_INIT;
	CHECK(fm_buf_add_json_str(&o, (const char *)data, size) == 0);
	check_printable(&o);
	/* valid UTF-8 input: the JSON string reads back as the input */
	const unsigned char *in = data;
	int valid = 1;
	for (size_t i = 0; i < size && valid;) {
		uint32_t cp;
		size_t l = fm_utf8_decode(in + i, size - i, &cp);
		valid = l > 0;
		i += l;
	}
	if (!valid) {
		/* not UTF-8: still no unescaped quote */
		for (size_t i = 0; i < o.len; i++) {
			if (o.data[i] == '\\')
				i++;
			else
				CHECK(o.data[i] != '"');
		}
		fm_buf_release(&o);
		return;
	}
	fm_buf back = FM_BUF_INIT;
	const unsigned char *u = (const unsigned char *)(o.data ? o.data : "");
	for (size_t i = 0; i < o.len;) {
		if (u[i] != '\\') {
			CHECK(u[i] != '"'); /* a quote only escaped */
			CHECK(fm_buf_addc(&back, (char)u[i]) == 0);
			i++;
			continue;
		}
		CHECK(i + 1 < o.len);
		unsigned char e = u[i + 1];
		if (e == 'u') {
			CHECK(i + 5 < o.len);
			uint32_t cp = 0;
			for (int k = 2; k < 6; k++) {
				int h = hexval(u[i + k]);
				CHECK(h >= 0);
				cp = cp * 16 + (uint32_t)h;
			}
			char enc[3];
			size_t n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : 3;
			if (n == 1)
				enc[0] = (char)cp;
			else if (n == 2)
				enc[0] = (char)(0xc0 | cp >> 6), enc[1] = (char)(0x80 | (cp & 0x3f));
			else
				enc[0] = (char)(0xe0 | cp >> 12), enc[1] = (char)(0x80 | ((cp >> 6) & 0x3f)),
				enc[2] = (char)(0x80 | (cp & 0x3f));
			CHECK(fm_buf_add(&back, enc, n) == 0);
			i += 6;
		} else {
			char c = e == 'n' ? '\n' : e == 't' ? '\t' : e == 'r' ? '\r' : (char)e;
			CHECK(e == 'n' || e == 't' || e == 'r' || e == '"' || e == '\\');
			CHECK(fm_buf_addc(&back, c) == 0);
			i += 2;
		}
	}
	CHECK(back.len == size && (size == 0 || memcmp(back.data, data, size) == 0));
	fm_buf_release(&back);
	fm_buf_release(&o);
}

static void check_html(const uint8_t *data, size_t size)
{
	fm_buf o = FM_BUF_INIT, c = FM_BUF_INIT;
	CHECK(fm_esc_html(&o, (const char *)data, size) == 0);
	check_printable(&o);
	static const char *const ent[] = {"&amp;", "&lt;", "&gt;", "&quot;", "&#39;"};
	for (size_t i = 0; i < o.len; i++) {
		CHECK(o.data[i] != '<' && o.data[i] != '>' && o.data[i] != '"' && o.data[i] != '\'');
		if (o.data[i] != '&')
			continue;
		int ok = 0;
		for (size_t k = 0; k < 5 && !ok; k++)
			ok = strncmp(o.data + i, ent[k], strlen(ent[k])) == 0;
		CHECK(ok);
	}
	size_t cap = size / 2;
	CHECK(fm_esc_html_capped(&c, (const char *)data, size, cap) == 0);
	size_t pre = c.len >= 3 && size > cap ? c.len - 3 : c.len;
	CHECK(pre <= o.len && (pre == 0 || memcmp(c.data, o.data, pre) == 0));
	fm_buf_release(&c);
	fm_buf_release(&o);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check_text(data, size);
	check_json(data, size);
	check_html(data, size);
	return 0;
}
