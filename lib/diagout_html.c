/* diagout_html — `diagnose --format html`: one self-contained page (no
 * script, no external resource) with, per incident, the verdict, the
 * evidence lines (each with an anchor: file:line links to its own row,
 * "first seen" links to the line), the explanation, the fix (changes and
 * config snippet) with the before/after layout drawn inline by the SVG
 * renderer (svg.h), and the alternative with the process size pinned.
 * Every piece of text that came from input (file names, log lines, keys,
 * values, messages) goes through escape.h's HTML rule, so a log line with
 * markup or control bytes stays text. The page is also well-formed XML
 * (xmllint checks it in the tests). See include/flinkmem/diagout.h. */
#include "flinkmem/diagout.h"

#include <string.h>

#include "flinkmem/escape.h"
#include "flinkmem/render.h"
#include "flinkmem/svg.h"

#include "diagout_int.h"

static int h(fm_buf *b, const char *s)
{
	return fm_esc_htmls(b, s);
}

/* "1.17 (rules of the 1.17-1.18 profile)", escaped for the page */
static int meta_release(fm_buf *b, const fm_dx_result *r)
{
	if (!r->profile)
		return fm_buf_adds(b, "?");
	char span[FM_PROFILE_SPAN_MAX];
	const char *rel = fm__dx_release(r);
	fm_profile_span(r->profile, span);
	return h(b, rel ? rel : r->profile->name) || fm_buf_adds(b, " (rules of the ") || h(b, span) ||
	       fm_buf_adds(b, " profile)");
}

/* open + escaped s + close */
static int wrap(fm_buf *b, const char *open, const char *s, const char *close)
{
	return fm_buf_adds(b, open) || h(b, s) || fm_buf_adds(b, close);
}

static const char PAGE_HEAD[] =
	"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/>"
	"<meta name=\"viewport\" content=\"width=device-width\"/>\n";

/* Our own words only: no input reaches the style sheet. */
static const char PAGE_STYLE[] =
	"<style>\n"
	"body{font:15px/1.45 'DejaVu Sans',sans-serif;color:#1c2326;max-width:1000px;margin:16px auto;padding:0 16px}\n"
	"h1{font-size:22px;margin:0 0 4px}h3{font-size:15px;margin:18px 0 6px}\n"
	"h2{font-size:18px;margin:28px 0 8px;padding-top:10px;border-top:2px solid #cfd8dc}\n"
	".tag{display:inline-block;padding:1px 8px;border-radius:3px;font-size:13px;color:#fff;background:#b71c1c;"
	"margin-right:6px;vertical-align:2px}\n"
	".tag.also{background:#e65100}.tag.outside{background:#546e7a}\n"
	".meta{color:#546e7a;margin:0}.verdict{font-weight:bold;margin:8px 0}\n"
	"dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:8px 0}"
	"dl.facts dt{color:#546e7a}dl.facts dd{margin:0}\n"
	"table{border-collapse:collapse;width:100%}"
	"td,th{border:1px solid #cfd8dc;padding:4px 8px;text-align:left;vertical-align:top}\n"
	"table.ev th{font-weight:normal;white-space:nowrap;background:#eceff1;width:1%}"
	"table.ev tr:target th,table.ev tr:target td{background:#fff3c4}\n"
	"table.changes{width:auto}table.changes th{background:#eceff1}\n"
	"code,pre{font-family:'DejaVu Sans Mono',monospace;font-size:13px}"
	"table.ev code{white-space:pre-wrap;overflow-wrap:anywhere}\n"
	"pre{background:#f5f7f8;border:1px solid #cfd8dc;padding:8px;overflow-x:auto;white-space:pre-wrap;"
	"overflow-wrap:anywhere}\n"
	".time{display:block;color:#78909c;font-size:12px}.warn{color:#b71c1c;font-weight:bold}\n"
	"figure{margin:10px 0}figcaption{color:#546e7a;font-size:13px}ul{padding-left:22px}\n"
	"</style>\n";

/* "PATH:LINE" */
static int loc(fm_buf *b, const fm_dx_result *r, uint32_t input, uint64_t line)
{
	return h(b, fm__dx_in_name(r, input)) || fm_buf_addf(b, ":%llu", (unsigned long long)line);
}

/* The evidence row of incident i that shows (input, line), or -1. */
static long ev_row(const fm_incident *x, uint32_t input, uint64_t line)
{
	for (size_t k = 0; k < x->nev; k++)
		if (x->ev[k].input == input && x->ev[k].line == line)
			return (long)k;
	return -1;
}

static int evidence(fm_buf *b, const fm_dx_result *r, size_t i, const fm_incident *x)
{
	if (!x->nev)
		return FM_OK;
	int rc = fm_buf_adds(b, "<table class=\"ev\">\n");
	for (size_t k = 0; k < x->nev && !rc; k++) {
		const fm_evidence *e = &x->ev[k];
		rc = fm_buf_addf(b, "<tr id=\"i%zu-e%zu\"><th><a href=\"#i%zu-e%zu\">", i + 1, k + 1, i + 1, k + 1) ||
		     loc(b, r, e->input, e->line) || fm_buf_adds(b, "</a>") ||
		     (e->time[0] && wrap(b, "<span class=\"time\">", e->time, "</span>")) ||
		     wrap(b, "</th><td><code>", e->text, "</code></td></tr>\n");
	}
	return rc || fm_buf_adds(b, "</table>\n");
}

static int changes(fm_buf *b, const fm_plan *pl, const char *now, const char *then)
{
	int rc = fm_buf_addf(b, "<table class=\"changes\"><tr><th>key</th><th>%s</th><th>%s</th></tr>\n", now, then);
	for (size_t k = 0; k < pl->nchanges && !rc; k++) {
		const fm_change *c = &pl->changes[k];
		rc = wrap(b, "<tr><td><code>", c->where ? c->where : c->key, "</code></td>") ||
		     wrap(b, "<td>", c->from ? c->from : "(unset)", "</td>") ||
		     wrap(b, "<td>", c->to ? c->to : "(removed)", "</td></tr>\n");
	}
	return rc || fm_buf_adds(b, "</table>\n");
}

static int snippet(fm_buf *b, const fm_plan *pl)
{
	int rc = fm_buf_adds(b, "<p>Config snippet:</p>\n<pre class=\"snippet\">");
	for (size_t k = 0; k < pl->nchanges && !rc; k++) {
		const fm_change *c = &pl->changes[k];
		rc = c->to ? h(b, c->where ? c->where : c->key) || fm_buf_adds(b, ": ") || h(b, c->to)
			   : fm_buf_adds(b, "# remove ") || h(b, c->key);
		rc = rc || fm_buf_addc(b, '\n');
	}
	return rc || fm_buf_adds(b, "</pre>\n");
}

static int list(fm_buf *b, const char *cls, char *const *v, size_t n)
{
	if (!n)
		return FM_OK;
	int rc = fm_buf_addf(b, "<ul class=\"%s\">\n", cls);
	for (size_t k = 0; k < n && !rc; k++)
		rc = wrap(b, "<li>", v[k], "</li>\n");
	return rc || fm_buf_adds(b, "</ul>\n");
}

/* The layouts of a plan as an inline SVG: before and after on one scale
 * (after only when the fix starts from an empty config). */
static int picture(fm_buf *b, const fm_plan *pl, bool jm, bool after_only, const char *after_label,
		   const char *caption)
{
	fm_svg_side s[2] = {
		{"before", jm ? NULL : &pl->before_tm, jm ? &pl->before_jm : NULL},
		{after_label, jm ? NULL : &pl->after_tm, jm ? &pl->after_jm : NULL},
	};
	return fm_buf_adds(b, "<figure class=\"layout\">\n") ||
	       fm_render_svg_ex(b, NULL, after_only ? &s[1] : s, after_only ? 1 : 2, FM_SVG_INLINE) ||
	       fm_buf_addf(b, "<figcaption>%s %s</figcaption>\n</figure>\n", jm ? "JobManager" : "TaskManager", caption);
}

static int fix(fm_buf *b, const fm_dx_result *r, const fm_remedy *m)
{
	int rc = FM_OK;
	if (m->has_fix && m->fix.nchanges) {
		const char *src = m->from_empty ? "an empty config" : m->jm ? r->layout_jm : r->layout_tm;
		rc = fm_buf_adds(b, "<h3>Fix</h3>\n") || wrap(b, "<p>Computed on the layout from ", src ? src : "-", ".</p>\n") ||
		     changes(b, &m->fix, "now", "with the fix") || snippet(b, &m->fix) ||
		     (!m->fix_ok && fm_buf_adds(b, "<p class=\"warn\">Flink would reject this change; see the notes.</p>\n")) ||
		     picture(b, &m->fix, m->jm, m->from_empty, "after",
			     m->from_empty ? "memory with the fix" : "memory before and after the fix, on one scale") ||
		     list(b, "moves", m->fix.notes, m->fix.nnotes);
	}
	if (!rc && m->has_pinned)
		rc = fm_buf_adds(b, "<h3>Alternative: keep the process size</h3>\n") ||
		     changes(b, &m->pinned, "now", "pinned") ||
		     (!m->pinned_ok && fm_buf_adds(b, "<p class=\"warn\">Flink would reject this change.</p>\n")) ||
		     picture(b, &m->pinned, m->jm, false, "pinned", "memory before and with the process size pinned") ||
		     list(b, "moves", m->pinned.notes, m->pinned.nnotes);
	if (!rc && m->nextra)
		rc = wrap(b, "<h3>", m->has_fix && m->fix.nchanges ? "Also" : "What to change", "</h3>\n") ||
		     list(b, "also", m->changes_extra, m->nextra);
	if (!rc && m->nnotes)
		rc = fm_buf_adds(b, "<h3>Notes</h3>\n") || list(b, "notes", m->notes, m->nnotes);
	return rc;
}

static int incident(fm_buf *b, const fm_dx_result *r, size_t i)
{
	const fm_incident *x = &r->a.v[i];
	const fm_remedy *m = r->fix ? &r->fix[i] : NULL;
	bool root = (int)i == r->a.root;
	const char *tag = root ? "<span class=\"tag\">Root cause</span>"
		    : x->outside ? "<span class=\"tag outside\">Outside the cluster</span>"
				 : "<span class=\"tag also\">Also found</span>";
	long first = ev_row(x, x->input, x->line);
	char wb[64];
	int rc = fm_buf_addf(b, "<section class=\"incident\" id=\"i%zu\">\n<h2>%s%s in %s</h2>\n<dl class=\"facts\">\n",
			     i + 1, tag, fm_failure_name(x->failure), fm__dx_where(x, wb, sizeof wb)) ||
		 fm_buf_addf(b, "<dt>process</dt><dd>%s%s (", fm_process_name(x->proc),
			     x->proc_assumed ? ", assumed: nothing names the process" : "") ||
		 h(b, x->instance ? x->instance : "-") || fm_buf_adds(b, ")</dd>\n<dt>first seen</dt><dd>");
	if (!rc && first >= 0)
		rc = fm_buf_addf(b, "<a href=\"#i%zu-e%ld\">", i + 1, first + 1) || loc(b, r, x->input, x->line) ||
		     fm_buf_adds(b, "</a>");
	else if (!rc)
		rc = loc(b, r, x->input, x->line);
	rc = rc || (x->time[0] && wrap(b, " at ", x->time, "")) ||
	     fm_buf_addf(b, "</dd>\n<dt>matching lines</dt><dd>%zu</dd>\n</dl>\n", x->count);
	if (!rc && fm__dx_many(x)) {
		fm_buf t = FM_BUF_INIT;
		rc = fm__dx_instances_text(&t, r, x, "") || wrap(b, "<pre class=\"instances\">", t.data, "</pre>\n");
		fm_buf_release(&t);
	}
	rc = rc || fm_buf_adds(b, "<h3>Evidence</h3>\n") || evidence(b, r, i, x);
	const char *why = m && m->explanation ? m->explanation : x->sig ? x->sig->what : NULL;
	if (!rc && why)
		rc = fm_buf_adds(b, "<h3>Why</h3>\n") || wrap(b, "<p class=\"why\">", why, "</p>\n");
	if (!rc && m)
		rc = fix(b, r, m);
	return rc || fm_buf_adds(b, "</section>\n");
}

static int aftermath(fm_buf *b, const fm_dx_result *r)
{
	bool hdr = false;
	int rc = FM_OK;
	for (size_t i = 0; i < r->a.n && !rc; i++) {
		const fm_incident *x = &r->a.v[i];
		if (!x->aftermath)
			continue;
		if (!hdr)
			rc = fm_buf_adds(b, "<section id=\"aftermath\">\n<h2>Aftermath</h2>\n"
					    "<p>These follow the root cause; they are not a cause themselves.</p>\n<ul>\n");
		hdr = true;
		rc = rc || fm_buf_addf(b, "<li id=\"i%zu\">", i + 1) || loc(b, r, x->input, x->line) ||
		     wrap(b, ": ", x->sig ? x->sig->what : fm_failure_name(x->failure), "") ||
		     fm_buf_addf(b, " (%s, %zu line%s)", fm_process_name(x->proc), x->count, x->count == 1 ? "" : "s") ||
		     (x->nev && wrap(b, "<br/><code>", x->ev[0].text, "</code>")) || fm_buf_adds(b, "</li>\n");
	}
	return rc || (hdr && fm_buf_adds(b, "</ul>\n</section>\n"));
}

static int notes(fm_buf *b, const fm_dx_result *r)
{
	if (!(r->nnotes || r->a.nnotes || r->ninput_notes || r->ninput_errors))
		return FM_OK;
	int rc = fm_buf_adds(b, "<section id=\"notes\">\n<h2>Notes</h2>\n<ul>\n");
	for (size_t i = 0; i < r->ninput_errors && !rc; i++) {
		fm_buf t = FM_BUF_INIT;
		rc = fm_dx_input_msg_text(&t, &r->input_errors[i]) || wrap(b, "<li>not read: ", t.data, "</li>\n");
		fm_buf_release(&t);
	}
	for (size_t i = 0; i < r->ninput_notes && !rc; i++)
		rc = wrap(b, "<li>", r->input_notes[i].path, ": ") || wrap(b, "", r->input_notes[i].msg, "</li>\n");
	for (size_t i = 0; i < r->nnotes && !rc; i++)
		rc = wrap(b, "<li>", r->notes[i], "</li>\n");
	for (size_t i = 0; i < r->a.nnotes && !rc; i++)
		rc = wrap(b, "<li>", r->a.notes[i], "</li>\n");
	return rc || fm_buf_adds(b, "</ul>\n</section>\n");
}

int fm_render_diagnose_html(fm_buf *b, const fm_dx_result *r)
{
	size_t roots = 0;
	for (size_t i = 0; i < r->a.n; i++)
		roots += !r->a.v[i].aftermath;
	const fm_incident *rx = r->a.root >= 0 ? &r->a.v[r->a.root] : NULL;
	int rc = fm_buf_adds(b, PAGE_HEAD) ||
		 (rx ? fm_buf_addf(b, "<title>flinkmem diagnose: %s in the %s</title>\n", fm_failure_name(rx->failure),
				   fm_process_name(rx->proc))
		     : fm_buf_adds(b, "<title>flinkmem diagnose</title>\n")) ||
		 fm_buf_adds(b, PAGE_STYLE) || fm_buf_adds(b, "</head><body>\n<h1>flinkmem diagnose</h1>\n") ||
		 fm_buf_addf(b, "<p class=\"meta\">%zu input%s, Flink ", r->a.ninputs, r->a.ninputs == 1 ? "" : "s") ||
		 meta_release(b, r) || fm_buf_adds(b, ", ") || h(b, r->profile_reason) ||
		 fm_buf_adds(b, "</p>\n<p class=\"verdict\">");
	if (!rc && !rx && roots)
		rc = fm_buf_addf(b, "No memory failure in the cluster (%zu outside it).", roots);
	else if (!rc && !rx)
		rc = fm_buf_adds(b, "No memory failure found.");
	else if (!rc)
		rc = fm_buf_addf(b, "%zu memory failure%s found.", roots, roots == 1 ? "" : "s");
	rc = rc || fm_buf_adds(b, "</p>\n");
	for (size_t i = 0; i < r->a.n && !rc; i++)
		if (!r->a.v[i].aftermath)
			rc = incident(b, r, i);
	return rc || aftermath(b, r) || notes(b, r) || fm_buf_adds(b, "</body></html>\n");
}
