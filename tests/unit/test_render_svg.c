/* test_render_svg — the SVG picture of a layout: the bars nest (each row's
 * segments tile exactly the span of their parent: process = Flink +
 * metaspace + overhead, Flink = its components), two sides share one
 * scale, every size appears in the table, and text from an exception is
 * escaped into well-formed XML even with markup characters, control bytes
 * and broken UTF-8 in it; every bar drawn carries a label (inside, or
 * below on a leader line) and, over many random layouts, no label overlaps
 * another label or a bar and no leader crosses a label. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <stdbool.h>

#include <cmocka.h>

#include "flinkmem/svg.h"

static fm_tm_result tm_of(int64_t fh, int64_t th, int64_t mg, int64_t foh, int64_t toh, int64_t net, int64_t meta,
			  int64_t ovh)
{
	fm_tm_result r;
	memset(&r, 0, sizeof r);
	r.outcome = FM_DERIVED;
	r.l.framework_heap = fh;
	r.l.task_heap = th;
	r.l.managed = mg;
	r.l.framework_off_heap = foh;
	r.l.task_off_heap = toh;
	r.l.network = net;
	r.l.total_flink = fh + th + mg + foh + toh + net;
	r.l.metaspace = meta;
	r.l.overhead = ovh;
	r.l.total_process = r.l.total_flink + meta + ovh;
	return r;
}

typedef struct seg {
	double x, y, w;
	char name[64];
} seg;

/* The bar rectangles (those with a tooltip) in document order. */
static size_t bar_rects(const char *svg, seg *out, size_t cap)
{
	size_t n = 0;
	for (const char *p = svg; (p = strstr(p, "<rect x=\"")) && n < cap; p++) {
		double x, y, w;
		if (sscanf(p, "<rect x=\"%lf\" y=\"%lf\" width=\"%lf\"", &x, &y, &w) != 3)
			continue;
		const char *end = strchr(p, '\n');
		const char *t = strstr(p, "<title>");
		if (!t || (end && t > end))
			continue; /* a table swatch */
		out[n].x = x;
		out[n].y = y;
		out[n].w = w;
		size_t k = strcspn(t + 7, ":");
		snprintf(out[n].name, sizeof out[n].name, "%.*s", (int)k, t + 7);
		n++;
	}
	return n;
}

static const seg *find(const seg *s, size_t n, const char *name, size_t nth)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(s[i].name, name) && nth-- == 0)
			return &s[i];
	return NULL;
}

#define MIB (INT64_C(1) << 20)

static void nested_and_shared_scale(void **state)
{
	(void)state;
	fm_tm_result a = tm_of(128 * MIB, 384 * MIB, 512 * MIB, 128 * MIB, 0, 128 * MIB, 256 * MIB, 192 * MIB);
	fm_tm_result b = tm_of(128 * MIB, 1536 * MIB, 1024 * MIB, 128 * MIB, 64 * MIB, 256 * MIB, 256 * MIB, 400 * MIB);
	fm_svg_side sides[2] = {{"before", &a, NULL}, {"after", &b, NULL}};
	fm_buf out = FM_BUF_INIT;
	assert_int_equal(fm_render_svg(&out, "t", sides, 2), FM_OK);
	seg s[64];
	size_t n = bar_rects(out.data, s, 64);
	assert_int_equal(n, 2 * 10 - 1); /* task off-heap 0 on the first side: no rect */
	for (size_t side = 0; side < 2; side++) {
		const seg *proc = find(s, n, "Total Process Memory", side), *fl = find(s, n, "Total Flink Memory", side),
			  *me = find(s, n, "JVM Metaspace", side), *ov = find(s, n, "JVM Overhead", side);
		assert_non_null(proc);
		assert_non_null(fl);
		assert_non_null(me);
		assert_non_null(ov);
		/* row 2 tiles row 1; row 3 tiles the Flink segment */
		assert_true(fl->y > proc->y);
		assert_true(fabs(fl->x - proc->x) < 0.11);
		assert_true(fabs(me->x - (fl->x + fl->w)) < 0.11);
		assert_true(fabs(ov->x + ov->w - (proc->x + proc->w)) < 0.11);
		const char *parts[] = {"Framework Heap", "Task Heap", "Managed Memory", "Framework Off-Heap",
				       "Task Off-Heap", "Network Memory"};
		double x = fl->x;
		for (size_t i = 0; i < 6; i++) {
			const seg *p = NULL;
			size_t seen = 0;
			for (size_t k = 0; k < n; k++)
				if (!strcmp(s[k].name, parts[i]) && s[k].y > fl->y && seen++ == 0 &&
				    (side == 0 ? s[k].y < find(s, n, "Total Process Memory", 1)->y
					       : s[k].y > find(s, n, "Total Process Memory", 1)->y))
					p = &s[k];
			if (!p)
				continue; /* zero-sized */
			assert_true(fabs(p->x - x) < 0.11);
			x = p->x + p->w;
		}
		assert_true(fabs(x - (fl->x + fl->w)) < 0.11);
	}
	/* one scale: the bigger process is the full width, the other in proportion */
	const seg *p0 = find(s, n, "Total Process Memory", 0), *p1 = find(s, n, "Total Process Memory", 1);
	double want = p1->w * (double)a.l.total_process / (double)b.l.total_process;
	assert_true(fabs(p0->w - want) < 0.2);
	/* the table: every size, with its bytes, and the change */
	assert_non_null(strstr(out.data, "1.50 GiB <tspan class=\"bytes\">(1610612736)</tspan>"));
	assert_non_null(strstr(out.data, "384 MiB <tspan class=\"bytes\">(402653184)</tspan>"));
	assert_non_null(strstr(out.data, "class=\"up\">+1.12 GiB</text>"));
	assert_non_null(strstr(out.data, "</svg>\n"));
	fm_buf_release(&out);
}

static void escapes_untrusted_text(void **state)
{
	(void)state;
	fm_jexc v[1] = {{"E",
			 (char *)"bad <value> & \"q\" 'x' \x01\x7f \xff\xfe \xC3\xA9 \xED\xA0\x80 end"}};
	fm_tm_result r;
	memset(&r, 0, sizeof r);
	r.outcome = FM_FLINK_ERROR;
	r.err.v = v;
	r.err.n = 1;
	fm_jm_result j;
	memset(&j, 0, sizeof j);
	j.outcome = FM_UNSUPPORTED;
	j.unsupported = "the JobManager <1.11> has no layout";
	fm_svg_side side = {NULL, &r, &j};
	fm_buf out = FM_BUF_INIT;
	assert_int_equal(fm_render_svg(&out, "title & <more>", &side, 1), FM_OK);
	assert_non_null(strstr(out.data, "title &amp; &lt;more&gt;"));
	assert_non_null(strstr(out.data, "bad &lt;value&gt; &amp; &quot;q&quot; &#39;x&#39; \\x01\\x7f \\xff\\xfe \xC3\xA9 \\xed\\xa0\\x80 end"));
	assert_non_null(strstr(out.data, "the JobManager &lt;1.11&gt; has no layout"));
	/* nothing XML 1.0 forbids */
	for (const unsigned char *p = (const unsigned char *)out.data; *p; p++)
		assert_true(*p >= 0x20 || *p == '\n');
	assert_null(strstr(out.data, "\xff"));
	/* a long message wraps onto several lines instead of running off */
	char longmsg[2000];
	memset(longmsg, 'w', sizeof longmsg - 1);
	for (size_t i = 9; i < sizeof longmsg - 1; i += 10)
		longmsg[i] = ' ';
	longmsg[sizeof longmsg - 1] = '\0';
	v[0].msg = longmsg;
	fm_buf_reset(&out);
	assert_int_equal(fm_render_svg(&out, NULL, &side, 1), FM_OK);
	size_t lines = 0;
	for (const char *p = out.data; (p = strstr(p, "class=\"err\"")); p++)
		lines++;
	assert_int_equal(lines, 5 + 1); /* five wrapped TM lines, one JM line */
	assert_non_null(strstr(out.data, " ...</text>"));
	fm_buf_release(&out);
	assert_int_equal(fm_render_svg(&out, NULL, &side, 0), FM_EUSAGE);
}

/* ---- labels: every bar has one; none overlaps; no leader crosses one ---- */

#define CW 6.9 /* the renderer's glyph width estimate at 11 px */

typedef struct box {
	double x0, x1, y0, y1;
} box;

typedef struct lead {
	double x, y0, y1;
	box label;
} lead;

static bool inter(box a, box b)
{
	return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
}

static box text_box(double x, double y, size_t len, int anchor /* 0 start, 1 middle, 2 end */)
{
	double w = (double)len * CW;
	double x0 = anchor == 0 ? x : anchor == 1 ? x - w / 2 : x - w;
	return (box){x0, x0 + w, y - 9, y + 2};
}

static void check_labels(const char *svg)
{
	seg bars[64];
	size_t nb = bar_rects(svg, bars, 64);
	box inside[64], calls[64];
	lead leads[64];
	size_t ni = 0, nc = 0;
	for (const char *p = svg; (p = strstr(p, "<text x=\"")); p++) {
		double x, y;
		char body[128];
		if (strstr(p, "class=\"seg\"") == strchr(p, '>') - 11 &&
		    sscanf(p, "<text x=\"%lf\" y=\"%lf\" text-anchor=\"middle\" class=\"seg\">%127[^<]", &x, &y, body) == 3) {
			assert_true(ni < 64);
			inside[ni++] = text_box(x, y, strlen(body), 1);
		}
	}
	for (const char *p = svg; (p = strstr(p, "<line x1=\"")); p++) {
		double x1, y1, x2, y2, tx, ty;
		char body[128];
		assert_int_equal(sscanf(p, "<line x1=\"%lf\" y1=\"%lf\" x2=\"%lf\" y2=\"%lf\" class=\"lead\"/>\n<text x=\"%lf\" y=\"%lf\"",
					&x1, &y1, &x2, &y2, &tx, &ty),
				 6);
		const char *t = strstr(p, "class=\"call\"");
		assert_non_null(t);
		bool end = strncmp(t + 12, " text-anchor=\"end\"", 18) == 0;
		assert_int_equal(sscanf(strchr(t, '>') + 1, "%127[^<]", body), 1);
		assert_true(nc < 64);
		assert_true(x1 == x2 && y2 > y1);
		calls[nc] = text_box(tx, ty, strlen(body), end ? 2 : 0);
		leads[nc] = (lead){x1, y1, y2, calls[nc]};
		if (!(calls[nc].x0 >= 0 && calls[nc].x1 <= 980))
			fail_msg("callout \"%s\" at %.1f..%.1f leaves the picture", body, calls[nc].x0, calls[nc].x1);
		nc++;
	}
	/* every bar has a label: inside it, or a leader from its bottom edge */
	for (size_t i = 0; i < nb; i++) {
		bool ok = false;
		for (size_t k = 0; k < ni && !ok; k++)
			ok = inside[k].x0 >= bars[i].x - 0.01 && inside[k].x1 <= bars[i].x + bars[i].w + 0.01 &&
			     inside[k].y0 > bars[i].y && inside[k].y1 < bars[i].y + 24;
		for (size_t k = 0; k < nc && !ok; k++)
			ok = leads[k].x > bars[i].x && leads[k].x < bars[i].x + bars[i].w &&
			     fabs(leads[k].y0 - (bars[i].y + 24)) < 0.01;
		if (!ok)
			fail_msg("%s at x=%.1f y=%.1f has no label", bars[i].name, bars[i].x, bars[i].y);
	}
	for (size_t k = 0; k < nc; k++) {
		for (size_t j = 0; j < nc; j++) {
			if (j != k && inter(calls[k], calls[j]))
				fail_msg("callouts %zu and %zu overlap", k, j);
			box line = {leads[j].x - 0.5, leads[j].x + 0.5, leads[j].y0, leads[j].y1};
			if (j != k && inter(line, calls[k]))
				fail_msg("the leader of callout %zu crosses callout %zu", j, k);
		}
		for (size_t i = 0; i < nb; i++) {
			box r = {bars[i].x, bars[i].x + bars[i].w, bars[i].y, bars[i].y + 24};
			if (inter(calls[k], r))
				fail_msg("callout %zu overlaps the bar %s", k, bars[i].name);
		}
	}
}

static void every_bar_labelled_nothing_overlaps(void **state)
{
	(void)state;
	/* the case that showed the problem: a 4 GiB process next to a 19 GiB one */
	fm_tm_result a = tm_of(128 * MIB, 1459 * MIB, 1372 * MIB, 128 * MIB, 0, 343 * MIB, 256 * MIB, 410 * MIB);
	fm_tm_result b = tm_of(128 * MIB, 8885 * MIB, 7312 * MIB, 128 * MIB, 0, 1828 * MIB, 256 * MIB, 1024 * MIB);
	fm_svg_side sides[2] = {{"before", &a, NULL}, {"after", &b, NULL}};
	fm_buf out = FM_BUF_INIT;
	assert_int_equal(fm_render_svg(&out, NULL, sides, 2), FM_OK);
	check_labels(out.data);
	assert_non_null(strstr(out.data, "class=\"call\">Framework Off-Heap 128 MiB</text>"));
	/* random layouts, some components tiny, some zero */
	uint64_t seed = 88172645463325252u;
	for (int round = 0; round < 400; round++) {
		int64_t v[2][8];
		for (int s = 0; s < 2; s++)
			for (int k = 0; k < 8; k++) {
				seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
				int kind = (int)(seed % 4);
				int64_t r = (int64_t)((seed >> 8) % 4096);
				v[s][k] = kind == 0 ? 0 : kind == 1 ? (r % 64 + 1) * MIB : r * MIB;
			}
		a = tm_of(v[0][0], v[0][1], v[0][2], v[0][3], v[0][4], v[0][5], v[0][6], v[0][7] + MIB);
		b = tm_of(v[1][0], v[1][1], v[1][2], v[1][3], v[1][4], v[1][5], v[1][6], v[1][7] + MIB);
		fm_buf_reset(&out);
		assert_int_equal(fm_render_svg(&out, NULL, sides, 2), FM_OK);
		check_labels(out.data);
	}
	fm_buf_release(&out);
}

static void minor_changes_not_highlighted(void **state)
{
	(void)state;
	fm_tm_result a = tm_of(128 * MIB, 384 * MIB, 512 * MIB, 128 * MIB, 0, 128 * MIB, 256 * MIB, 192 * MIB);
	fm_tm_result b = a;
	b.l.task_heap += 409600; /* 400 KiB: a side effect of fractions */
	b.l.network += 2 * MIB;
	b.l.total_flink += 409600 + 2 * MIB;
	b.l.total_process += 409600 + 2 * MIB;
	fm_svg_side sides[2] = {{"before", &a, NULL}, {"after", &b, NULL}};
	fm_buf out = FM_BUF_INIT;
	assert_int_equal(fm_render_svg_ex(&out, NULL, sides, 2, FM_SVG_INLINE), FM_OK);
	assert_non_null(strstr(out.data, "class=\"minor\">+400 KiB</text>"));
	assert_non_null(strstr(out.data, "class=\"up\">+2 MiB</text>"));
	/* inline: no XML declaration, scales with the page */
	assert_true(strncmp(out.data, "<svg ", 5) == 0);
	assert_non_null(strstr(out.data, "max-width:100%"));
	fm_buf_release(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(nested_and_shared_scale),
		cmocka_unit_test(escapes_untrusted_text),
		cmocka_unit_test(every_bar_labelled_nothing_overlaps),
		cmocka_unit_test(minor_changes_not_highlighted),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
