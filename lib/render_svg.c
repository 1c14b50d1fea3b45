/* render_svg — nested stacked bars of a memory layout; see svg.h.
 * Geometry: one scale per process across all sides, so a bar that grows
 * between "before" and "after" is visibly longer. Segment edges are
 * rounded from cumulative byte offsets, so rounding never opens gaps or
 * makes the children overrun their parent. */
#include "flinkmem/svg.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SVG_W 980
#define BAR_X 96           /* left edge of the bars */
#define BAR_W 860          /* width of the longest total */
#define ROW_H 24
#define ROW_GAP 3
#define TABLE_ROW 18
#define CHAR_W 6.3         /* average glyph width at font-size 11 */

/* One component of a layout, for bars and the table. */
typedef struct comp {
	const char *name;
	const char *color;
	int level; /* 0 total process, 1 direct part of it, 2 part of Flink memory */
	int64_t bytes[FM_SVG_MAX_SIDES];
} comp;

/* XML text content or attribute value: escapes markup, passes valid
 * UTF-8 through and turns invalid bytes and control characters into '?'
 * (XML 1.0 cannot carry them). At most max characters, then "...". */
static int esc(fm_buf *b, const char *s, size_t max)
{
	int rc = 0;
	size_t chars = 0;
	const unsigned char *p = (const unsigned char *)s;
	while (*p && !rc) {
		if (chars++ == max)
			return fm_buf_adds(b, "...");
		unsigned c = *p;
		if (c == '&')
			rc = fm_buf_adds(b, "&amp;");
		else if (c == '<')
			rc = fm_buf_adds(b, "&lt;");
		else if (c == '>')
			rc = fm_buf_adds(b, "&gt;");
		else if (c == '"')
			rc = fm_buf_adds(b, "&quot;");
		else if (c == '\'')
			rc = fm_buf_adds(b, "&#39;");
		else if (c < 0x20 || c == 0x7f)
			rc = fm_buf_addc(b, c == '\t' ? ' ' : '?');
		else if (c < 0x80)
			rc = fm_buf_addc(b, (char)c);
		else {
			size_t n = c >= 0xF0 && c < 0xF5 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 && c < 0xE0 ? 2 : 0;
			bool ok = n > 0;
			for (size_t i = 1; i < n && ok; i++)
				ok = (p[i] & 0xC0) == 0x80;
			if (ok && n == 3 && ((c == 0xE0 && p[1] < 0xA0) || (c == 0xED && p[1] >= 0xA0)))
				ok = false; /* overlong or surrogate */
			if (ok && n == 4 && ((c == 0xF0 && p[1] < 0x90) || (c == 0xF4 && p[1] >= 0x90)))
				ok = false;
			if (!ok) {
				rc = fm_buf_addc(b, '?');
			} else {
				rc = fm_buf_add(b, p, n);
				p += n - 1;
			}
		}
		p++;
	}
	return rc;
}

/* "1.69 GiB", "384 MiB", "0 B": binary units, exact values without decimals. */
static void human(char *out, size_t cap, int64_t v)
{
	static const char *u[] = {"TiB", "GiB", "MiB", "KiB"};
	for (int i = 0; i < 4; i++) {
		int64_t unit = INT64_C(1) << (10 * (4 - i));
		if (v >= unit || -v >= unit) {
			if (v % unit == 0)
				snprintf(out, cap, "%lld %s", (long long)(v / unit), u[i]);
			else
				snprintf(out, cap, "%.2f %s", (double)v / (double)unit, u[i]);
			return;
		}
	}
	snprintf(out, cap, "%lld B", (long long)v);
}

static double text_w(const char *s)
{
	return (double)strlen(s) * CHAR_W + 8;
}

/* One bar segment with its tooltip and, when it fits, a label. */
static int segment(fm_buf *b, double x, double w, double y, const comp *c, int64_t bytes, bool with_name)
{
	if (w < 0.5)
		return 0;
	char hs[48], lab[128];
	human(hs, sizeof hs, bytes);
	int rc = fm_buf_addf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%d\" fill=\"%s\" stroke=\"#ffffff\">",
			     x, y, w, ROW_H, c->color);
	rc = rc || fm_buf_addf(b, "<title>%s: %lld bytes (%s)</title></rect>\n", c->name, (long long)bytes, hs);
	snprintf(lab, sizeof lab, "%s %s", c->name, hs);
	const char *t = with_name && text_w(lab) <= w ? lab : text_w(hs) <= w ? hs : NULL;
	if (t && !rc)
		rc = fm_buf_addf(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" class=\"seg\">%s</text>\n",
				 x + w / 2, y + ROW_H / 2.0 + 4, t);
	return rc;
}

/* Draws one side's three rows; c[0] is the total; the level-1 parts, in
 * array order, split it (Flink memory first); the level-2 parts, in array
 * order, split Flink memory. */
static int bars(fm_buf *b, const comp *c, size_t nc, size_t side, double scale, double y)
{
	int rc = segment(b, BAR_X, (double)c[0].bytes[side] * scale, y, &c[0], c[0].bytes[side], true);
	int64_t cum = 0;
	double y1 = y + ROW_H + ROW_GAP, y2 = y1 + ROW_H + ROW_GAP;
	for (size_t i = 1; i < nc && !rc; i++) {
		if (c[i].level != 1)
			continue;
		double x = BAR_X + (double)cum * scale;
		cum += c[i].bytes[side];
		rc = segment(b, x, BAR_X + (double)cum * scale - x, y1, &c[i], c[i].bytes[side], true);
	}
	cum = 0; /* Flink memory's parts start where Flink memory starts: at the left */
	for (size_t i = 1; i < nc && !rc; i++) {
		if (c[i].level != 2)
			continue;
		double x = BAR_X + (double)cum * scale;
		cum += c[i].bytes[side];
		rc = segment(b, x, BAR_X + (double)cum * scale - x, y2, &c[i], c[i].bytes[side], true);
	}
	return rc;
}

/* Wraps text at spaces into lines of at most WRAP characters (a longer
 * word is cut); returns the number of lines, at most MSG_LINES, and fills
 * starts/lens. The last line ends in "..." when text was left out. */
#define WRAP 118
#define MSG_LINES 5
static size_t wrap(const char *t, size_t *starts, size_t *lens, bool *cut)
{
	size_t n = 0, len = strlen(t), p = 0;
	*cut = false;
	while (p < len && n < MSG_LINES) {
		size_t end = p + WRAP < len ? p + WRAP : len;
		if (end < len) {
			size_t sp = end;
			while (sp > p && t[sp] != ' ')
				sp--;
			if (sp > p)
				end = sp;
		}
		starts[n] = p;
		lens[n++] = end - p;
		p = end;
		while (p < len && t[p] == ' ')
			p++;
	}
	*cut = p < len;
	return n;
}

/* Lines of text for a side with no layout; returns the lines used. */
static int side_message(fm_buf *b, double y, const char *lead, const char *cls, const char *msg, size_t *nlines)
{
	fm_buf t = FM_BUF_INIT;
	int rc = fm_buf_adds(&t, lead);
	if (cls && !rc)
		rc = fm_buf_addf(&t, "%s: ", cls);
	if (!rc)
		rc = fm_buf_adds(&t, msg ? msg : "");
	size_t st[MSG_LINES], ln[MSG_LINES];
	bool cut = false;
	size_t n = rc ? 0 : wrap(t.data, st, ln, &cut);
	for (size_t i = 0; i < n && !rc; i++) {
		char *line = strndup(t.data + st[i], ln[i]);
		if (!line) {
			rc = FM_ENOMEM;
			break;
		}
		rc = fm_buf_addf(b, "<text x=\"%d\" y=\"%.1f\" class=\"err\">", BAR_X, y + 16 + 16.0 * (double)i) ||
		     esc(b, line, WRAP) || fm_buf_adds(b, i + 1 == n && cut ? " ...</text>\n" : "</text>\n");
		free(line);
	}
	fm_buf_release(&t);
	*nlines = n ? n : 1;
	return rc;
}

/* One process (TM or JM) over every side; advances *y. */
static int process(fm_buf *b, const char *heading, comp *c, size_t nc, const fm_svg_side *sides, size_t ns,
		   const bool *derived, const char *const *lead, const char *const *cls, const char *const *msg, double *y)
{
	int rc = fm_buf_addf(b, "<text x=\"10\" y=\"%.1f\" class=\"h2\">%s</text>\n", *y + 16, heading);
	*y += 26;
	int64_t max = 1;
	for (size_t s = 0; s < ns; s++)
		if (derived[s] && c[0].bytes[s] > max)
			max = c[0].bytes[s];
	double scale = (double)BAR_W / (double)max;
	for (size_t s = 0; s < ns && !rc; s++) {
		size_t nl = 1;
		if (derived[s])
			rc = bars(b, c, nc, s, scale, *y);
		else
			rc = side_message(b, *y, lead[s], cls[s], msg[s], &nl);
		double h = derived[s] ? 3 * ROW_H + 2 * ROW_GAP : 16.0 * (double)nl + 8;
		if (sides[s].label && !rc)
			rc = fm_buf_addf(b, "<text x=\"10\" y=\"%.1f\" class=\"side\">", *y + (derived[s] ? h / 2 + 4 : 16)) ||
			     esc(b, sides[s].label, 12) || fm_buf_adds(b, "</text>\n");
		*y += h + 12;
	}
	/* the table: every size, and the change when there are two sides */
	bool any = false;
	for (size_t s = 0; s < ns; s++)
		any = any || derived[s];
	if (!any || rc)
		return rc;
	static const int colx[] = {330, 560};
	*y += 4;
	rc = fm_buf_addf(b, "<text x=\"%d\" y=\"%.1f\" class=\"th\">component</text>\n", BAR_X + 16, *y + 12);
	for (size_t s = 0; s < ns && s < 2 && !rc; s++) {
		rc = fm_buf_addf(b, "<text x=\"%d\" y=\"%.1f\" class=\"th\">", colx[s], *y + 12) ||
		     esc(b, sides[s].label ? sides[s].label : "size", 12) || fm_buf_adds(b, "</text>\n");
	}
	if (ns == 2 && !rc)
		rc = fm_buf_addf(b, "<text x=\"790\" y=\"%.1f\" class=\"th\">change</text>\n", *y + 12);
	if (ns == 1 && !rc)
		rc = fm_buf_addf(b, "<text x=\"%d\" y=\"%.1f\" class=\"th\">share of the process</text>\n", colx[1],
				 *y + 12);
	*y += TABLE_ROW;
	for (size_t i = 0; i < nc && !rc; i++) {
		rc = fm_buf_addf(b, "<rect x=\"%d\" y=\"%.1f\" width=\"10\" height=\"10\" fill=\"%s\"/>\n",
				 BAR_X + 10 * c[i].level, *y + 3, c[i].color) ||
		     fm_buf_addf(b, "<text x=\"%d\" y=\"%.1f\" class=\"td\">%s</text>\n", BAR_X + 16 + 10 * c[i].level,
				 *y + 12, c[i].name);
		for (size_t s = 0; s < ns && s < 2 && !rc; s++) {
			char hs[48];
			if (!derived[s])
				snprintf(hs, sizeof hs, "-");
			else
				human(hs, sizeof hs, c[i].bytes[s]);
			rc = derived[s] ? fm_buf_addf(b, "<text x=\"%d\" y=\"%.1f\" class=\"td\">%s <tspan class=\"bytes\">(%lld)</tspan></text>\n",
						      colx[s], *y + 12, hs, (long long)c[i].bytes[s])
					: fm_buf_addf(b, "<text x=\"%d\" y=\"%.1f\" class=\"td\">-</text>\n", colx[s], *y + 12);
		}
		if (ns == 1 && derived[0] && c[0].bytes[0] > 0 && !rc)
			rc = fm_buf_addf(b, "<text x=\"%d\" y=\"%.1f\" class=\"td\">%.1f%%</text>\n", colx[1], *y + 12,
					 100.0 * (double)c[i].bytes[0] / (double)c[0].bytes[0]);
		if (ns == 2 && derived[0] && derived[1] && c[i].bytes[0] != c[i].bytes[1] && !rc) {
			char hs[48];
			int64_t dlt = c[i].bytes[1] - c[i].bytes[0];
			human(hs, sizeof hs, dlt < 0 ? -dlt : dlt);
			rc = fm_buf_addf(b, "<text x=\"790\" y=\"%.1f\" class=\"%s\">%s%s</text>\n", *y + 12,
					 dlt > 0 ? "up" : "down", dlt > 0 ? "+" : "-", hs);
		}
		*y += TABLE_ROW;
	}
	*y += 14;
	return rc;
}

int fm_render_svg(fm_buf *out, const char *title, const fm_svg_side *sides, size_t ns)
{
	if (ns < 1 || ns > FM_SVG_MAX_SIDES)
		return FM_EUSAGE;
	fm_buf body = FM_BUF_INIT;
	double y = 20;
	int rc = 0;
	if (title)
		rc = fm_buf_addf(&body, "<text x=\"10\" y=\"%.1f\" class=\"h1\">", y + 8) || esc(&body, title, 200) ||
		     fm_buf_adds(&body, "</text>\n");
	y += 26;
	rc = rc || fm_buf_addf(&body, "<text x=\"10\" y=\"%.1f\" class=\"note\">Binary units (1 MiB = 1048576 bytes); "
				      "exact bytes in the table and in each bar's tooltip.</text>\n", y);
	y += 14;
	bool want_tm = false, want_jm = false;
	for (size_t s = 0; s < ns; s++) {
		want_tm = want_tm || sides[s].tm;
		want_jm = want_jm || sides[s].jm;
	}
	bool derived[FM_SVG_MAX_SIDES];
	const char *lead[FM_SVG_MAX_SIDES], *cls[FM_SVG_MAX_SIDES], *msg[FM_SVG_MAX_SIDES];
	if (want_tm && !rc) {
		comp c[] = {
			{"Total Process Memory", "#b0bec5", 0, {0}}, {"Total Flink Memory", "#90caf9", 1, {0}},
			{"Framework Heap", "#80deea", 2, {0}},       {"Task Heap", "#4fc3f7", 2, {0}},
			{"Managed Memory", "#ce93d8", 2, {0}},       {"Framework Off-Heap", "#c5e1a5", 2, {0}},
			{"Task Off-Heap", "#81c784", 2, {0}},        {"Network Memory", "#ffcc80", 2, {0}},
			{"JVM Metaspace", "#ffe082", 1, {0}},        {"JVM Overhead", "#ffab91", 1, {0}},
		};
		for (size_t s = 0; s < ns; s++) {
			const fm_tm_result *r = sides[s].tm;
			derived[s] = r && r->outcome == FM_DERIVED;
			lead[s] = !r ? "not requested" : r->outcome == FM_FLINK_ERROR ? "Flink rejects this configuration: "
											 : "not computed";
			cls[s] = r && r->outcome == FM_FLINK_ERROR && r->err.n ? r->err.v[0].cls : NULL;
			msg[s] = r && r->outcome == FM_FLINK_ERROR && r->err.n ? r->err.v[0].msg : NULL;
			if (!derived[s])
				continue;
			const fm_tm_layout *l = &r->l;
			int64_t v[] = {l->total_process, l->total_flink,        l->framework_heap, l->task_heap,
				       l->managed,       l->framework_off_heap, l->task_off_heap,  l->network,
				       l->metaspace,     l->overhead};
			for (size_t i = 0; i < sizeof c / sizeof c[0]; i++)
				c[i].bytes[s] = v[i];
		}
		rc = process(&body, "TaskManager", c, sizeof c / sizeof c[0], sides, ns, derived, lead, cls, msg, &y);
	}
	if (want_jm && !rc) {
		comp c[] = {
			{"Total Process Memory", "#b0bec5", 0, {0}}, {"Total Flink Memory", "#90caf9", 1, {0}},
			{"JVM Heap", "#4fc3f7", 2, {0}},             {"Off-Heap Memory", "#81c784", 2, {0}},
			{"JVM Metaspace", "#ffe082", 1, {0}},        {"JVM Overhead", "#ffab91", 1, {0}},
		};
		for (size_t s = 0; s < ns; s++) {
			const fm_jm_result *r = sides[s].jm;
			derived[s] = r && r->outcome == FM_DERIVED;
			lead[s] = !r ? "not requested" : r->outcome == FM_FLINK_ERROR ? "Flink rejects this configuration: "
											 : "not computed by this release: ";
			cls[s] = r && r->outcome == FM_FLINK_ERROR && r->err.n ? r->err.v[0].cls : NULL;
			msg[s] = r && r->outcome == FM_FLINK_ERROR && r->err.n ? r->err.v[0].msg
				 : r && r->outcome == FM_UNSUPPORTED            ? r->unsupported
										: NULL;
			if (!derived[s])
				continue;
			const fm_jm_layout *l = &r->l;
			int64_t v[] = {l->total_process, l->total_flink, l->jvm_heap, l->off_heap, l->metaspace, l->overhead};
			for (size_t i = 0; i < sizeof c / sizeof c[0]; i++)
				c[i].bytes[s] = v[i];
		}
		rc = process(&body, "JobManager", c, sizeof c / sizeof c[0], sides, ns, derived, lead, cls, msg, &y);
	}
	if (!rc)
		rc = fm_buf_addf(out,
				 "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
				 "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"%d\" height=\"%d\" "
				 "viewBox=\"0 0 %d %d\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">\n"
				 "<style>\n"
				 ".h1{font-size:16px;font-weight:bold}.h2{font-size:14px;font-weight:bold}"
				 ".side{font-size:12px;fill:#37474f}.note{font-size:11px;fill:#607d8b}"
				 ".seg{font-size:11px;fill:#111111}.err{font-size:12px;fill:#b71c1c}"
				 ".th{font-size:11px;font-weight:bold;fill:#37474f}.td{font-size:11px;fill:#111111}"
				 ".bytes{fill:#78909c}.up{font-size:11px;fill:#1b5e20}.down{font-size:11px;fill:#b71c1c}\n"
				 "</style>\n<rect width=\"100%%\" height=\"100%%\" fill=\"#ffffff\"/>\n",
				 SVG_W, (int)y + 10, SVG_W, (int)y + 10);
	if (!rc)
		rc = fm_buf_add(out, body.data ? body.data : "", body.len) || fm_buf_adds(out, "</svg>\n");
	fm_buf_release(&body);
	return rc ? (rc < 0 ? rc : FM_ENOMEM) : FM_OK;
}
