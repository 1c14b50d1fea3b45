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

#include "flinkmem/escape.h"

#define SVG_W 980
#define BAR_X 96           /* left edge of the bars */
#define BAR_W 860          /* width of the longest total */
#define ROW_H 24
#define ROW_GAP 3
#define TABLE_ROW 18
#define CHAR_W 6.9         /* glyph width at font-size 11, DejaVu Sans (digits 7.0) */
#define MIB (INT64_C(1) << 20)

/* One component of a layout, for bars and the table. */
typedef struct comp {
	const char *name;
	const char *color;
	int level; /* 0 total process, 1 direct part of it, 2 part of Flink memory */
	int64_t bytes[FM_SVG_MAX_SIDES];
} comp;

/* XML text or attribute value through the one escaping layer (escape.h):
 * markup as entities, controls and broken UTF-8 as visible \xNN, at most
 * max bytes, then "...". */
static int esc(fm_buf *b, const char *s, size_t max)
{
	return fm_esc_html_capped(b, s, strlen(s), max);
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

/* A label that does not fit inside its segment hangs below the row on a
 * leader line: a vertical line from the segment's middle (the anchor) down
 * to the label's lane. Labels run right of their anchor, or left of it
 * ("flipped") near the right edge. Lanes are chosen so that no two labels
 * overlap and no leader crosses a label:
 *  - a label flips when it would pass the right edge or cover the anchor of
 *    a flipped label to its right (decided right to left);
 *  - unflipped labels are placed right to left, flipped ones left to right,
 *    each in the shallowest lane where it overlaps nothing in that lane,
 *    no deeper leader passes through it and its own leader passes through
 *    no shallower label.
 * With that order the last condition always holds, so a lane is always
 * found (at worst one deeper than every label placed). */
typedef struct callout {
	double anchor, x0, x1;
	int lane;
	bool flip;
	char text[96];
	size_t comp;
} callout;

#define LANE_H 15
#define LANE_GAP 6 /* between labels in one lane */
#define MAX_SEGS 8

static bool fits(const callout *c, const callout *placed, size_t np, int lane)
{
	for (size_t i = 0; i < np; i++) {
		const callout *p = &placed[i];
		if (p->lane == lane && c->x0 < p->x1 + LANE_GAP && p->x0 < c->x1 + LANE_GAP)
			return false;
		if (p->lane > lane && p->anchor >= c->x0 - 2 && p->anchor <= c->x1 + 2)
			return false; /* p's leader would cross this label */
		if (p->lane < lane && c->anchor >= p->x0 - 2 && c->anchor <= p->x1 + 2)
			return false; /* this leader would cross p */
	}
	return true;
}

static void place(callout *c, callout *placed, size_t *np)
{
	int lane = 0;
	while (!fits(c, placed, *np, lane))
		lane++;
	c->lane = lane;
	placed[(*np)++] = *c;
}

/* Lays out the callouts cs[0..n) (in anchor order); returns the lanes used. */
static int lay_out(callout *cs, size_t n)
{
	for (size_t k = n; k-- > 0;) {
		callout *c = &cs[k];
		double tw = text_w(c->text) - 8;
		c->flip = c->anchor + 3 + tw > SVG_W - 4;
		for (size_t j = k + 1; j < n && !c->flip; j++)
			c->flip = cs[j].flip && cs[j].anchor <= c->anchor + 3 + tw + 2;
		c->x0 = c->flip ? c->anchor - 3 - tw : c->anchor + 3;
		if (c->x0 < 2)
			c->x0 = 2;
		c->x1 = c->x0 + tw;
	}
	callout placed[MAX_SEGS];
	size_t np = 0;
	for (size_t k = n; k-- > 0;)
		if (!cs[k].flip)
			place(&cs[k], placed, &np);
	for (size_t k = 0; k < n; k++)
		if (cs[k].flip)
			place(&cs[k], placed, &np);
	int lanes = 0;
	for (size_t k = 0; k < n; k++)
		if (cs[k].lane + 1 > lanes)
			lanes = cs[k].lane + 1;
	return lanes;
}

/* One row of bars: the components idx[0..n) side by side from the left
 * edge. Writes the rects, the labels that fit inside, and the callouts;
 * returns the row's height (bar plus lanes) in *h. */
static int bar_row(fm_buf *b, const comp *c, const size_t *idx, size_t n, size_t side, double scale, double y,
		   double *h)
{
	callout cs[MAX_SEGS];
	size_t nc = 0;
	int64_t cum = 0;
	int rc = 0;
	for (size_t k = 0; k < n && !rc; k++) {
		const comp *p = &c[idx[k]];
		int64_t bytes = p->bytes[side];
		double x = BAR_X + (double)cum * scale;
		cum += bytes;
		double w = BAR_X + (double)cum * scale - x;
		if (w < 0.5)
			continue;
		char hs[48], lab[96];
		human(hs, sizeof hs, bytes);
		snprintf(lab, sizeof lab, "%s %s", p->name, hs);
		rc = fm_buf_addf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%d\" fill=\"%s\" stroke=\"#ffffff\">",
				 x, y, w, ROW_H, p->color) ||
		     fm_buf_addf(b, "<title>%s: %lld bytes (%s)</title></rect>\n", p->name, (long long)bytes, hs);
		if (!rc && text_w(lab) <= w) {
			rc = fm_buf_addf(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" class=\"seg\">%s</text>\n",
					 x + w / 2, y + ROW_H / 2.0 + 4, lab);
		} else if (!rc && nc < MAX_SEGS) {
			callout *o = &cs[nc++];
			memset(o, 0, sizeof *o);
			o->anchor = x + w / 2;
			o->comp = idx[k];
			snprintf(o->text, sizeof o->text, "%s", lab);
		}
	}
	int lanes = lay_out(cs, nc);
	for (size_t k = 0; k < nc && !rc; k++) {
		const callout *o = &cs[k];
		double top = y + ROW_H + 3 + LANE_H * o->lane;
		rc = fm_buf_addf(b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" class=\"lead\"/>\n", o->anchor,
				 y + ROW_H, o->anchor, top + 7) ||
		     fm_buf_addf(b, "<text x=\"%.1f\" y=\"%.1f\" class=\"call\"%s>%s</text>\n", o->flip ? o->x1 : o->x0,
				 top + 11, o->flip ? " text-anchor=\"end\"" : "", o->text);
	}
	*h = ROW_H + (lanes ? LANE_H * lanes + 4 : 0);
	return rc;
}

/* Draws one side's three rows (returns their height in *h); c[0] is the
 * total; the level-1 parts, in array order, split it (Flink memory
 * first); the level-2 parts, in array order, split Flink memory. */
static int bars(fm_buf *b, const comp *c, size_t nc, size_t side, double scale, double y, double *h)
{
	size_t idx[MAX_SEGS], n = 0;
	double h0 = 0, h1 = 0, h2 = 0;
	idx[0] = 0;
	int rc = bar_row(b, c, idx, 1, side, scale, y, &h0);
	for (size_t i = 1; i < nc && n < MAX_SEGS; i++)
		if (c[i].level == 1)
			idx[n++] = i;
	rc = rc || bar_row(b, c, idx, n, side, scale, y + h0 + ROW_GAP, &h1);
	n = 0; /* Flink memory's parts start where Flink memory starts: at the left */
	for (size_t i = 1; i < nc && n < MAX_SEGS; i++)
		if (c[i].level == 2)
			idx[n++] = i;
	rc = rc || bar_row(b, c, idx, n, side, scale, y + h0 + h1 + 2 * ROW_GAP, &h2);
	*h = h0 + h1 + h2 + 2 * ROW_GAP;
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
		double h = 0;
		if (derived[s])
			rc = bars(b, c, nc, s, scale, *y, &h);
		else
			rc = side_message(b, *y, lead[s], cls[s], msg[s], &nl);
		if (!derived[s])
			h = 16.0 * (double)nl + 8;
		if (sides[s].label && !rc) /* beside the first row: the lanes below may reach the left edge */
			rc = fm_buf_addf(b, "<text x=\"10\" y=\"%.1f\" class=\"side\">", *y + (derived[s] ? ROW_H / 2.0 + 4 : 16)) ||
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
			/* under 1 MiB is a side effect of fractions, not a change to look at */
			bool minor = dlt > -MIB && dlt < MIB;
			rc = fm_buf_addf(b, "<text x=\"790\" y=\"%.1f\" class=\"%s\">%s%s</text>\n", *y + 12,
					 minor ? "minor" : dlt > 0 ? "up" : "down", dlt > 0 ? "+" : "-", hs);
		}
		*y += TABLE_ROW;
	}
	*y += 14;
	return rc;
}

int fm_render_svg(fm_buf *out, const char *title, const fm_svg_side *sides, size_t ns)
{
	return fm_render_svg_ex(out, title, sides, ns, 0);
}

int fm_render_svg_ex(fm_buf *out, const char *title, const fm_svg_side *sides, size_t ns, unsigned flags)
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
				      "exact bytes in the table and in each bar's tooltip%s.</text>\n", y,
			       ns == 2 ? "; changes under 1 MiB in grey" : "");
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
	/* inline: the page scales the picture to its width, and the style is
	 * scoped to the picture's class so that it cannot restyle the page */
	bool inl = flags & FM_SVG_INLINE;
	if (!rc && !inl)
		rc = fm_buf_adds(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	if (!rc)
		rc = fm_buf_addf(out,
				 "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" class=\"fmsvg\" width=\"%d\" "
				 "height=\"%d\" viewBox=\"0 0 %d %d\"%s font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">\n"
				 "<style>\n"
				 ".fmsvg .h1{font-size:16px;font-weight:bold}.fmsvg .h2{font-size:14px;font-weight:bold}"
				 ".fmsvg .side{font-size:12px;fill:#37474f}.fmsvg .note{font-size:11px;fill:#607d8b}"
				 ".fmsvg .seg{font-size:11px;fill:#111111}.fmsvg .call{font-size:11px;fill:#263238}"
				 ".fmsvg .lead{stroke:#546e7a;stroke-width:1}.fmsvg .err{font-size:12px;fill:#b71c1c}"
				 ".fmsvg .th{font-size:11px;font-weight:bold;fill:#37474f}.fmsvg .td{font-size:11px;fill:#111111}"
				 ".fmsvg .bytes{fill:#78909c}.fmsvg .up{font-size:11px;fill:#1b5e20}"
				 ".fmsvg .down{font-size:11px;fill:#b71c1c}.fmsvg .minor{font-size:11px;fill:#90a4ae}\n"
				 "</style>\n<rect width=\"100%%\" height=\"100%%\" fill=\"#ffffff\"/>\n",
				 SVG_W, (int)y + 10, SVG_W, (int)y + 10,
				 inl ? " role=\"img\" style=\"max-width:100%;height:auto\"" : "");
	if (!rc)
		rc = fm_buf_add(out, body.data ? body.data : "", body.len) || fm_buf_adds(out, "</svg>\n");
	fm_buf_release(&body);
	return rc ? (rc < 0 ? rc : FM_ENOMEM) : FM_OK;
}
