/* diagout — text and JSON for a diagnosis (HTML: diagout_html.c); see
 * include/flinkmem/diagout.h. */
#include "flinkmem/diagout.h"

#include <stdio.h>
#include <string.h>

#include "flinkmem/memsize.h"
#include "flinkmem/render.h"

#include "diagout_int.h"

int fm_dx_input_msg_text(fm_buf *b, const fm_dx_input_msg *m)
{
	if (m->line)
		return fm_buf_addf(b, "%s:%u:%u: %s", m->path, m->line, m->col ? m->col : 1, m->msg);
	return fm_buf_addf(b, "%s: %s", m->path, m->msg);
}

int fm_diagnose_exit_status(const fm_dx_result *r)
{
	return r->a.root >= 0 ? 1 : 0;
}

const char *fm__dx_in_name(const fm_dx_result *r, uint32_t i)
{
	return i < r->a.ninputs ? r->a.inputs[i].name : "-";
}

const char *fm__dx_where(const fm_incident *x, char *buf, size_t n)
{
	if (x->outside && (x->proc == FM_PROC_UNKNOWN || x->proc == FM_PROC_OTHER))
		return "a process not shown to be Flink's";
	snprintf(buf, n, "the %s", fm_process_name(x->proc));
	return buf;
}

/* ---- JSON ---------------------------------------------------------------------- */

static int jkey(fm_buf *b, bool *first, const char *k)
{
	int rc = *first ? 0 : fm_buf_addc(b, ',');
	*first = false;
	return rc || fm_json_str(b, k) || fm_buf_addc(b, ':');
}

static int jint(fm_buf *b, bool *f, const char *k, int64_t v)
{
	return jkey(b, f, k) || fm_json_int(b, v);
}

/* A side of a fix as `show --format json` writes it; null when the plan
 * did not derive it. */
static int jlayout(fm_buf *b, const fm_plan *pl, bool after, bool jm)
{
	if (jm) {
		const fm_jm_result *r = after ? &pl->after_jm : &pl->before_jm;
		if (r->outcome != FM_DERIVED && r->outcome != FM_FLINK_ERROR)
			return fm_buf_adds(b, "null");
		return fm_buf_adds(b, "{\"jobmanager\":") || fm_render_jm_json(b, r) || fm_buf_addc(b, '}');
	}
	const fm_tm_result *r = after ? &pl->after_tm : &pl->before_tm;
	if (r->outcome != FM_DERIVED && r->outcome != FM_FLINK_ERROR)
		return fm_buf_adds(b, "null");
	return fm_buf_adds(b, "{\"taskmanager\":") || fm_render_tm_json(b, r) || fm_buf_addc(b, '}');
}

static int jchanges(fm_buf *b, const fm_plan *pl)
{
	int rc = fm_buf_addc(b, '[');
	for (size_t i = 0; i < pl->nchanges && !rc; i++) {
		bool f = true;
		rc = (i && fm_buf_addc(b, ',')) || fm_buf_addc(b, '{') || jkey(b, &f, "key") ||
		     fm_json_str(b, pl->changes[i].key) || jkey(b, &f, "from") || fm_json_str(b, pl->changes[i].from) ||
		     jkey(b, &f, "to") || fm_json_str(b, pl->changes[i].to) ||
		     (pl->changes[i].where && (jkey(b, &f, "where") || fm_json_str(b, pl->changes[i].where))) ||
		     fm_buf_addc(b, '}');
	}
	return rc || fm_buf_addc(b, ']');
}

static int jstrs(fm_buf *b, char *const *v, size_t n)
{
	int rc = fm_buf_addc(b, '[');
	for (size_t i = 0; i < n && !rc; i++)
		rc = (i && fm_buf_addc(b, ',')) || fm_json_str(b, v[i]);
	return rc || fm_buf_addc(b, ']');
}

static int jfix(fm_buf *b, const fm_remedy *m)
{
	if (!m || (!m->has_fix && !m->nextra && !m->nnotes))
		return fm_buf_adds(b, "null");
	bool f = true;
	int rc = fm_buf_addc(b, '{');
	if (m->has_fix)
		rc = rc || jkey(b, &f, "changes") || jchanges(b, &m->fix) || jkey(b, &f, "before") ||
		     jlayout(b, &m->fix, false, m->jm) || jkey(b, &f, "after") || jlayout(b, &m->fix, true, m->jm) ||
		     jkey(b, &f, "feasible") || fm_buf_adds(b, m->fix_ok ? "true" : "false");
	else
		rc = rc || jkey(b, &f, "changes") || fm_buf_adds(b, "[]");
	rc = rc || jkey(b, &f, "pinned");
	if (!rc && m->has_pinned)
		rc = fm_buf_addc(b, '{') || fm_buf_adds(b, "\"changes\":") || jchanges(b, &m->pinned) ||
		     fm_buf_adds(b, ",\"after\":") || jlayout(b, &m->pinned, true, m->jm) ||
		     fm_buf_adds(b, ",\"feasible\":") || fm_buf_adds(b, m->pinned_ok ? "true" : "false") ||
		     fm_buf_addc(b, '}');
	else if (!rc)
		rc = fm_buf_adds(b, "null");
	rc = rc || jkey(b, &f, "advice") || jstrs(b, m->changes_extra, m->nextra) || jkey(b, &f, "notes") ||
	     jstrs(b, m->notes, m->nnotes);
	if (!rc && m->has_fix)
		rc = jkey(b, &f, "movements") || jstrs(b, m->fix.notes, m->fix.nnotes);
	return rc || fm_buf_addc(b, '}');
}

static int jat(fm_buf *b, const fm_dx_result *r, uint32_t input, uint64_t line, const char *time)
{
	return fm_buf_adds(b, "{\"path\":") || fm_json_str(b, fm__dx_in_name(r, input)) || fm_buf_adds(b, ",\"line\":") ||
	       fm_json_int(b, (int64_t)line) || fm_buf_adds(b, ",\"time\":") || fm_json_str(b, time[0] ? time : NULL) ||
	       fm_buf_addc(b, '}');
}

/* "instances":[{"name","count","first","last"}],"instancesTotal":n */
static int jinstances(fm_buf *b, bool *g, const fm_dx_result *r, const fm_incident *x)
{
	int rc = jkey(b, g, "instances") || fm_buf_addc(b, '[');
	for (size_t k = 0; k < x->ninst && !rc; k++) {
		const fm_instance *t = &x->inst[k];
		bool h = true;
		rc = (k && fm_buf_addc(b, ',')) || fm_buf_addc(b, '{') || jkey(b, &h, "name") || fm_json_str(b, t->name) ||
		     jint(b, &h, "count", (int64_t)t->count) || jkey(b, &h, "first") ||
		     jat(b, r, t->first_input, t->first_line, t->first_time) || jkey(b, &h, "last") ||
		     jat(b, r, t->last_input, t->last_line, t->last_time) || fm_buf_addc(b, '}');
	}
	return rc || fm_buf_addc(b, ']') || jint(b, g, "instancesTotal", (int64_t)x->inst_total);
}

/* Remarks on inputs (skipped, read as text) join the notes. */
static int jnotes(fm_buf *b, const fm_dx_result *r)
{
	int rc = fm_buf_addc(b, '[');
	size_t k = 0;
	for (size_t i = 0; i < r->ninput_notes && !rc; i++, k++) {
		fm_buf t = FM_BUF_INIT;
		rc = fm_buf_addf(&t, "%s: %s", r->input_notes[i].path, r->input_notes[i].msg) || (k && fm_buf_addc(b, ',')) ||
		     fm_json_str(b, t.data);
		fm_buf_release(&t);
	}
	for (size_t i = 0; i < r->nnotes && !rc; i++, k++)
		rc = (k && fm_buf_addc(b, ',')) || fm_json_str(b, r->notes[i]);
	for (size_t i = 0; i < r->a.nnotes && !rc; i++, k++)
		rc = (k && fm_buf_addc(b, ',')) || fm_json_str(b, r->a.notes[i]);
	rc = rc || fm_buf_addc(b, ']') || fm_buf_adds(b, ",\"inputErrors\":[");
	for (size_t i = 0; i < r->ninput_errors && !rc; i++) {
		bool h = true;
		const fm_dx_input_msg *e = &r->input_errors[i];
		rc = (i && fm_buf_addc(b, ',')) || fm_buf_addc(b, '{') || jkey(b, &h, "path") || fm_json_str(b, e->path) ||
		     jkey(b, &h, "line") || (e->line ? fm_json_int(b, e->line) : fm_buf_adds(b, "null")) ||
		     jkey(b, &h, "message") || fm_json_str(b, e->msg) || fm_buf_addc(b, '}');
	}
	return rc || fm_buf_addc(b, ']');
}

const char *fm__dx_release(const fm_dx_result *r)
{
	if (r->release || !r->profile)
		return r->release;
	if (r->a.flink_version && fm_profile_for(r->a.flink_version) == r->profile)
		return r->a.flink_version;
	if (r->pod.version[0] && fm_profile_for(r->pod.version) == r->profile)
		return r->pod.version;
	return NULL;
}

int fm_render_diagnose_json(fm_buf *b, const fm_dx_result *r)
{
	bool f = false; /* after the envelope */
	int rc = fm_buf_addc(b, '{') || fm_json_envelope(b, "diagnose", r->profile, fm__dx_release(r)) ||
		 (!r->profile && fm_buf_adds(b, ",\"flinkVersion\":null,\"profile\":null")) ||
		 (r->profile && (jkey(b, &f, "profileReleases") || fm_json_str(b, r->profile->releases))) ||
		 jkey(b, &f, "profileReason") ||
		 fm_json_str(b, r->profile_reason) || jkey(b, &f, "inputs") || fm_buf_addc(b, '[');
	for (size_t i = 0; i < r->a.ninputs && !rc; i++) {
		const fm_input_info *in = &r->a.inputs[i];
		bool g = true;
		rc = (i && fm_buf_addc(b, ',')) || fm_buf_addc(b, '{') || jkey(b, &g, "path") || fm_json_str(b, in->name) ||
		     jkey(b, &g, "kind") || fm_json_str(b, r->kinds ? fm_input_kind_name(r->kinds[i]) : "log") ||
		     jkey(b, &g, "process") || fm_json_str(b, fm_process_name(in->proc)) || jkey(b, &g, "instance") ||
		     fm_json_str(b, in->instance) || jkey(b, &g, "flinkVersion") || fm_json_str(b, in->version) || fm_buf_addc(b, '}');
	}
	rc = rc || fm_buf_addc(b, ']') || jkey(b, &f, "layoutSource") || fm_buf_adds(b, "{\"taskmanager\":") ||
	     fm_json_str(b, r->layout_tm) || fm_buf_adds(b, ",\"jobmanager\":") || fm_json_str(b, r->layout_jm) ||
	     fm_buf_addc(b, '}') || jkey(b, &f, "incidents") || fm_buf_addc(b, '[');
	for (size_t i = 0; i < r->a.n && !rc; i++) {
		const fm_incident *x = &r->a.v[i];
		bool g = true;
		rc = (i && fm_buf_addc(b, ',')) || fm_buf_addc(b, '{') || jkey(b, &g, "failure") ||
		     fm_json_str(b, fm_failure_name(x->failure)) || jkey(b, &g, "process") || fm_json_str(b, fm_process_name(x->proc)) ||
		     jkey(b, &g, "processAssumed") || fm_buf_adds(b, x->proc_assumed ? "true" : "false") ||
		     jkey(b, &g, "instance") || fm_json_str(b, x->instance) || jkey(b, &g, "role") ||
		     fm_json_str(b, x->aftermath ? "aftermath" : x->outside ? "outside" : "root") || jkey(b, &g, "signature") ||
		     fm_json_str(b, x->secondary_sig ? x->secondary_sig : x->sig ? x->sig->id : NULL) || jkey(b, &g, "first") ||
		     fm_buf_adds(b, "{\"path\":") || fm_json_str(b, fm__dx_in_name(r, x->input)) || fm_buf_adds(b, ",\"line\":") ||
		     fm_json_int(b, (int64_t)x->line) || fm_buf_adds(b, ",\"time\":") ||
		     fm_json_str(b, x->time[0] ? x->time : NULL) || fm_buf_addc(b, '}') || jint(b, &g, "count", (int64_t)x->count) ||
		     jinstances(b, &g, r, x) || jkey(b, &g, "evidence") || fm_buf_addc(b, '[');
		for (size_t k = 0; k < x->nev && !rc; k++) {
			const fm_evidence *e = &x->ev[k];
			bool h = true;
			rc = (k && fm_buf_addc(b, ',')) || fm_buf_addc(b, '{') || jkey(b, &h, "path") ||
			     fm_json_str(b, fm__dx_in_name(r, e->input)) || jint(b, &h, "line", (int64_t)e->line) || jkey(b, &h, "time") ||
			     fm_json_str(b, e->time[0] ? e->time : NULL) || jkey(b, &h, "signature") || fm_json_str(b, e->sig) ||
			     jkey(b, &h, "text") || fm_json_str(b, e->text) || fm_buf_addc(b, '}');
		}
		const fm_remedy *m = r->fix ? &r->fix[i] : NULL;
		rc = rc || fm_buf_addc(b, ']') || jkey(b, &g, "explanation") ||
		     fm_json_str(b, m && m->explanation ? m->explanation : x->sig ? x->sig->what : NULL) || jkey(b, &g, "fix") ||
		     jfix(b, x->aftermath ? NULL : m) || fm_buf_addc(b, '}');
	}
	rc = rc || fm_buf_addc(b, ']') || jkey(b, &f, "rootCause");
	if (!rc && r->a.root >= 0) {
		const fm_incident *x = &r->a.v[r->a.root];
		rc = fm_buf_adds(b, "{\"failure\":") || fm_json_str(b, fm_failure_name(x->failure)) ||
		     fm_buf_adds(b, ",\"process\":") || fm_json_str(b, fm_process_name(x->proc)) || fm_buf_addc(b, '}');
	} else if (!rc) {
		rc = fm_buf_adds(b, "null");
	}
	return rc || jkey(b, &f, "notes") || jnotes(b, r) || fm_buf_adds(b, "}\n");
}

/* ---- text ------------------------------------------------------------------------ */

static int hsize(fm_buf *b, int64_t v)
{
	char h[FM_SIZE_HUMAN_MAX];
	fm_size_human_c(h, v);
	char *p = strstr(h, " (");
	if (p)
		*p = '\0';
	return fm_buf_adds(b, h);
}

static int row(fm_buf *b, const char *name, int64_t a, int64_t c)
{
	int rc = fm_buf_addf(b, "      %-20s ", name) || hsize(b, a);
	if (!rc && a != c)
		rc = fm_buf_adds(b, " -> ") || hsize(b, c) || fm_buf_addf(b, " (%s", c > a ? "+" : "-") ||
		     hsize(b, c > a ? c - a : a - c) || fm_buf_addc(b, ')');
	return rc || fm_buf_addc(b, '\n');
}

static int text_layout(fm_buf *b, const fm_plan *pl, bool jm)
{
	if (jm) {
		if (pl->before_jm.outcome != FM_DERIVED || pl->after_jm.outcome != FM_DERIVED)
			return FM_OK;
		const fm_jm_layout *x = &pl->before_jm.l, *y = &pl->after_jm.l;
		return row(b, "total process", x->total_process, y->total_process) ||
		       row(b, "total Flink", x->total_flink, y->total_flink) || row(b, "JVM heap", x->jvm_heap, y->jvm_heap) ||
		       row(b, "off-heap", x->off_heap, y->off_heap) || row(b, "JVM metaspace", x->metaspace, y->metaspace) ||
		       row(b, "JVM overhead", x->overhead, y->overhead);
	}
	if (pl->before_tm.outcome != FM_DERIVED || pl->after_tm.outcome != FM_DERIVED)
		return FM_OK;
	const fm_tm_layout *x = &pl->before_tm.l, *y = &pl->after_tm.l;
	return row(b, "total process", x->total_process, y->total_process) ||
	       row(b, "total Flink", x->total_flink, y->total_flink) ||
	       row(b, "framework heap", x->framework_heap, y->framework_heap) ||
	       row(b, "task heap", x->task_heap, y->task_heap) ||
	       row(b, "framework off-heap", x->framework_off_heap, y->framework_off_heap) ||
	       row(b, "task off-heap", x->task_off_heap, y->task_off_heap) || row(b, "network", x->network, y->network) ||
	       row(b, "managed", x->managed, y->managed) || row(b, "JVM metaspace", x->metaspace, y->metaspace) ||
	       row(b, "JVM overhead", x->overhead, y->overhead);
}

static int text_changes(fm_buf *b, const fm_plan *pl, const char *indent)
{
	int rc = FM_OK;
	for (size_t i = 0; i < pl->nchanges && !rc; i++) {
		const fm_change *c = &pl->changes[i];
		rc = fm_buf_addf(b, "%s%s: %s -> %s\n", indent, c->where ? c->where : c->key, c->from ? c->from : "(unset)",
				 c->to ? c->to : "(removed)");
	}
	return rc;
}

#define TEXT_INSTANCES 5 /* instances listed in text and HTML (JSON lists FM_INSTANCES_MAX) */

bool fm__dx_many(const fm_incident *x)
{
	return x->inst_total > 1 || x->ninst > 1;
}

/* "NAME" or "NAME and N more" */
static int text_who(fm_buf *b, const fm_incident *x)
{
	int rc = fm_buf_adds(b, x->instance ? x->instance : "-");
	if (!rc && fm__dx_many(x) && x->inst_total > 1)
		rc = fm_buf_addf(b, " and %s%zu more", x->inst_capped ? "at least " : "", x->inst_total - 1);
	return rc;
}

static int text_at(fm_buf *b, const fm_dx_result *r, uint32_t input, uint64_t line, const char *time)
{
	return fm_buf_addf(b, "%s:%llu%s%s", fm__dx_in_name(r, input), (unsigned long long)line, time[0] ? " at " : "", time);
}

/* One line per listed instance: how many lines, first and last. */
int fm__dx_instances_text(fm_buf *b, const fm_dx_result *r, const fm_incident *x, const char *indent)
{
	if (!fm__dx_many(x))
		return FM_OK;
	size_t shown = x->ninst < TEXT_INSTANCES ? x->ninst : TEXT_INSTANCES;
	int rc = fm_buf_addf(b, "%sinstances: %s%zu", indent, x->inst_capped ? "at least " : "", x->inst_total) ||
		 (shown < x->inst_total ? fm_buf_addf(b, " (the first %zu listed)", shown) : 0) || fm_buf_addc(b, '\n');
	for (size_t k = 0; k < shown && !rc; k++) {
		const fm_instance *t = &x->inst[k];
		rc = fm_buf_addf(b, "%s  %s: %zu line%s, ", indent, t->name, t->count, t->count == 1 ? "" : "s") ||
		     text_at(b, r, t->first_input, t->first_line, t->first_time);
		if (!rc && (t->last_input != t->first_input || t->last_line != t->first_line))
			rc = fm_buf_adds(b, " .. ") || text_at(b, r, t->last_input, t->last_line, t->last_time);
		rc = rc || fm_buf_addc(b, '\n');
	}
	if (!rc && shown < x->inst_total)
		rc = fm_buf_addf(b, "%s  ... %s%zu more\n", indent, x->inst_capped ? "at least " : "", x->inst_total - shown);
	return rc;
}

static int text_incident(fm_buf *b, const fm_dx_result *r, size_t i, bool color)
{
	const fm_incident *x = &r->a.v[i];
	const fm_remedy *m = r->fix ? &r->fix[i] : NULL;
	const char *bold = color ? "\033[1m" : "", *off = color ? "\033[0m" : "";
	const char *title = (int)i == r->a.root ? "ROOT CAUSE" : x->outside ? "OUTSIDE THE CLUSTER" : "ALSO FOUND";
	char wb[64];
	int rc = fm_buf_addf(b, "%s%s: %s in %s%s%s (", bold, title, fm_failure_name(x->failure),
			     fm__dx_where(x, wb, sizeof wb), x->proc_assumed ? " (assumed: nothing names the process)" : "", off) ||
		 text_who(b, x) || fm_buf_adds(b, ")\n") ||
		 fm_buf_addf(b, "  first seen %s:%llu%s%s, %zu matching line%s\n", fm__dx_in_name(r, x->input),
			     (unsigned long long)x->line, x->time[0] ? " at " : "", x->time, x->count,
			     x->count == 1 ? "" : "s") ||
		 fm__dx_instances_text(b, r, x, "  ") || fm_buf_adds(b, "  evidence:\n");
	for (size_t k = 0; k < x->nev && !rc; k++)
		rc = fm_buf_addf(b, "    %s:%llu: %s\n", fm__dx_in_name(r, x->ev[k].input), (unsigned long long)x->ev[k].line,
				 x->ev[k].text);
	if (!rc && m && m->explanation)
		rc = fm_buf_addf(b, "  why: %s\n", m->explanation);
	if (!rc && m && m->has_fix) {
		const char *src = m->from_empty ? "an empty config" : m->jm ? r->layout_jm : r->layout_tm;
		rc = fm_buf_addf(b, "  fix (layout from %s):\n", src ? src : "-") || text_changes(b, &m->fix, "    ");
		if (!rc && m->fix.nchanges) {
			rc = fm_buf_adds(b, "  config snippet:\n");
			for (size_t k = 0; k < m->fix.nchanges && !rc; k++) {
				const fm_change *c = &m->fix.changes[k];
				rc = c->to ? fm_buf_addf(b, "    %s: %s\n", c->where ? c->where : c->key, c->to)
					   : fm_buf_addf(b, "    # remove %s\n", c->key);
			}
		}
		if (!rc && !m->fix_ok)
			rc = fm_buf_adds(b, "  (Flink would reject this change; see notes)\n");
		if (!rc && m->from_empty) {
			const fm_tm_result *t = &m->fix.after_tm;
			const fm_jm_result *j = &m->fix.after_jm;
			if (m->jm ? j->outcome == FM_DERIVED : t->outcome == FM_DERIVED)
				rc = fm_buf_adds(b, "    derived: total process ") ||
				     hsize(b, m->jm ? j->l.total_process : t->l.total_process) || fm_buf_adds(b, ", heap ") ||
				     hsize(b, m->jm ? j->l.jvm_heap : t->l.task_heap) || fm_buf_addc(b, '\n');
		} else if (!rc && (m->jm ? m->fix.before_jm.outcome : m->fix.before_tm.outcome) == FM_FLINK_ERROR) {
			const fm_jchain *e = m->jm ? &m->fix.before_jm.err : &m->fix.before_tm.err;
			const fm_tm_result *t = &m->fix.after_tm;
			const fm_jm_result *j = &m->fix.after_jm;
			rc = fm_buf_addf(b, "    before: Flink rejects it: %s\n", e->n ? e->v[0].msg : "error");
			if (!rc && (m->jm ? j->outcome == FM_DERIVED : t->outcome == FM_DERIVED))
				rc = fm_buf_adds(b, "    after: total process ") ||
				     hsize(b, m->jm ? j->l.total_process : t->l.total_process) || fm_buf_adds(b, ", heap ") ||
				     hsize(b, m->jm ? j->l.jvm_heap : t->l.task_heap) || fm_buf_addc(b, '\n');
		} else if (!rc) {
			rc = fm_buf_addf(b, "    %s before -> after:\n", m->jm ? "JobManager" : "TaskManager") ||
			     text_layout(b, &m->fix, m->jm);
		}
		for (size_t k = 0; k < m->fix.nnotes && !rc; k++)
			rc = fm_buf_addf(b, "    = %s\n", m->fix.notes[k]);
	}
	if (!rc && m && m->has_pinned) {
		rc = fm_buf_adds(b, "  with the process size pinned instead:\n") || text_changes(b, &m->pinned, "    ");
		for (size_t k = 0; k < m->pinned.nnotes && !rc; k++)
			rc = fm_buf_addf(b, "    = %s\n", m->pinned.notes[k]);
	}
	for (size_t k = 0; m && k < m->nextra && !rc; k++)
		rc = fm_buf_addf(b, "  also: %s\n", m->changes_extra[k]);
	for (size_t k = 0; m && k < m->nnotes && !rc; k++)
		rc = fm_buf_addf(b, "  note: %s\n", m->notes[k]);
	return rc || fm_buf_addc(b, '\n');
}

int fm_render_diagnose_text(fm_buf *b, const fm_dx_result *r, bool color)
{
	size_t roots = 0;
	for (size_t i = 0; i < r->a.n; i++)
		if (!r->a.v[i].aftermath)
			roots++;
	int rc = fm_buf_addf(b, "flinkmem diagnose: %zu input%s, ", r->a.ninputs, r->a.ninputs == 1 ? "" : "s") ||
		 (r->profile ? fm_text_release(b, r->profile, fm__dx_release(r)) : fm_buf_adds(b, "Flink ?")) ||
		 fm_buf_addf(b, ", %s\n", r->profile_reason ? r->profile_reason : "");
	if (!rc && r->a.root < 0 && roots)
		rc = fm_buf_addf(b, "no memory failure in the cluster (%zu outside it)\n\n", roots);
	else if (!rc && r->a.root < 0)
		rc = fm_buf_adds(b, "no memory failure found\n\n");
	else if (!rc)
		rc = fm_buf_addf(b, "%zu memory failure%s found\n\n", roots, roots == 1 ? "" : "s");
	for (size_t i = 0; i < r->a.n && !rc; i++)
		if (!r->a.v[i].aftermath)
			rc = text_incident(b, r, i, color);
	bool hdr = false;
	for (size_t i = 0; i < r->a.n && !rc; i++) {
		const fm_incident *x = &r->a.v[i];
		if (!x->aftermath)
			continue;
		if (!hdr) {
			rc = fm_buf_adds(b, "AFTERMATH (follows the root cause, not a cause itself):\n");
			hdr = true;
		}
		rc = rc || fm_buf_addf(b, "  %s:%llu: %s (%s, %zu line%s", fm__dx_in_name(r, x->input),
				       (unsigned long long)x->line, x->sig ? x->sig->what : fm_failure_name(x->failure),
				       fm_process_name(x->proc), x->count, x->count == 1 ? "" : "s") ||
		     (fm__dx_many(x) ? fm_buf_addf(b, ", %s%zu instances", x->inst_capped ? "at least " : "", x->inst_total) : 0) ||
		     fm_buf_adds(b, ")\n");
		if (!rc && x->nev)
			rc = fm_buf_addf(b, "    %s\n", x->ev[0].text);
	}
	if (!rc && hdr)
		rc = fm_buf_addc(b, '\n');
	bool any_note = r->nnotes || r->a.nnotes || r->ninput_notes || r->ninput_errors;
	if (!rc && any_note)
		rc = fm_buf_adds(b, "NOTES:\n");
	for (size_t i = 0; i < r->ninput_errors && !rc; i++)
		rc = fm_buf_adds(b, "  - not read: ") || fm_dx_input_msg_text(b, &r->input_errors[i]) || fm_buf_addc(b, '\n');
	for (size_t i = 0; i < r->ninput_notes && !rc; i++)
		rc = fm_buf_addf(b, "  - %s: %s\n", r->input_notes[i].path, r->input_notes[i].msg);
	for (size_t i = 0; i < r->nnotes && !rc; i++)
		rc = fm_buf_addf(b, "  - %s\n", r->notes[i]);
	for (size_t i = 0; i < r->a.nnotes && !rc; i++)
		rc = fm_buf_addf(b, "  - %s\n", r->a.notes[i]);
	return rc;
}
