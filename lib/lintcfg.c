/* lintcfg — rule selections, the project file and inline suppressions of
 * `flinkmem check`; see include/flinkmem/lintcfg.h. The project file is
 * read with libyaml's document API: it is small (the CLI caps it) and
 * only its top-level mapping, scalars and lists of scalars are looked at,
 * so aliases cannot make the walk grow. */
#include "flinkmem/lintcfg.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

/* ---- rule sets ------------------------------------------------------------ */

static size_t rule_index(const fm_rule_doc *r)
{
	size_t n;
	const fm_rule_doc *all = fm_lint_rules(&n);
	size_t i = (size_t)(r - all);
	return i < n && i < FM_RULES_CAP ? i : FM_RULES_CAP;
}

bool fm_rule_set_has(const fm_rule_set *s, const fm_rule_doc *r)
{
	size_t i = r ? rule_index(r) : FM_RULES_CAP;
	return i < FM_RULES_CAP && (s->bits[i / 64] >> (i % 64) & 1);
}

void fm_rule_set_add(fm_rule_set *s, const fm_rule_doc *r)
{
	size_t i = r ? rule_index(r) : FM_RULES_CAP;
	if (i < FM_RULES_CAP)
		s->bits[i / 64] |= (uint64_t)1 << (i % 64);
}

bool fm_rule_set_empty(const fm_rule_set *s)
{
	for (size_t i = 0; i < FM_RULES_CAP / 64; i++)
		if (s->bits[i])
			return false;
	return true;
}

/* The rule of an id of n bytes (any case), or NULL. */
static const fm_rule_doc *rule_by_id(const char *id, size_t n)
{
	size_t nr;
	const fm_rule_doc *all = fm_lint_rules(&nr);
	for (size_t i = 0; i < nr; i++)
		if (strlen(all[i].id) == n && strncasecmp(all[i].id, id, n) == 0)
			return &all[i];
	return NULL;
}

static bool id_sep(char c)
{
	return c == ',' || c == ' ' || c == '\t';
}

int fm_rule_ids_parse(const char *list, size_t len, fm_rule_set *out, fm_diag *d)
{
	size_t i = 0, nids = 0;
	while (i < len) {
		while (i < len && id_sep(list[i]))
			i++;
		size_t s = i;
		while (i < len && !id_sep(list[i]))
			i++;
		if (i == s)
			break;
		nids++;
		if (i - s == 3 && strncasecmp(list + s, "all", 3) == 0) {
			size_t nr;
			const fm_rule_doc *all = fm_lint_rules(&nr);
			for (size_t k = 0; k < nr; k++)
				fm_rule_set_add(out, &all[k]);
			continue;
		}
		const fm_rule_doc *r = rule_by_id(list + s, i - s);
		if (!r)
			return fm_diag_set(d, FM_EINVAL, NULL, 0, (uint32_t)s + 1, NULL,
					   "unknown rule '%.*s' (`flinkmem check --rules` lists them)", (int)(i - s > 64 ? 64 : i - s),
					   list + s);
		fm_rule_set_add(out, r);
	}
	if (!nids)
		return fm_diag_set(d, FM_EINVAL, NULL, 0, 1, NULL, "no rule ids (e.g. FM012,FM060)");
	return FM_OK;
}

bool fm_severity_parse(const char *s, fm_severity *out)
{
	static const char *names[] = {"error", "warning", "note"};
	for (int i = 0; i < 3; i++)
		if (strcmp(s, names[i]) == 0) {
			*out = (fm_severity)i;
			return true;
		}
	return false;
}

const char *fm_severity_name(fm_severity s)
{
	return s == FM_SEV_ERROR ? "error" : s == FM_SEV_WARNING ? "warning" : "note";
}

/* ---- the project file ------------------------------------------------------ */

typedef struct pf {
	const char *file;
	yaml_document_t *doc;
	fm_lintcfg *out;
	fm_diag *d;
} pf;

static int at(pf *p, const yaml_node_t *n, const char *key, int code, const char *fmt, const char *arg)
{
	return fm_diag_set(p->d, code, p->file, (uint32_t)n->start_mark.line + 1, (uint32_t)n->start_mark.column + 1, key,
			   fmt, arg);
}

static const char *scalar(const yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

/* A list of rule ids: a sequence of scalars, or one scalar "A,B". */
static int rule_list(pf *p, const char *key, const yaml_node_t *v, fm_rule_set *out)
{
	fm_diag d = FM_DIAG_INIT;
	if (v->type == YAML_SCALAR_NODE && v->data.scalar.length == 0)
		return FM_OK; /* "disable:" with nothing after it */
	if (v->type == YAML_SCALAR_NODE) {
		int rc = fm_rule_ids_parse(scalar(v), v->data.scalar.length, out, &d);
		if (rc != FM_OK)
			rc = at(p, v, key, rc, "%s", d.msg ? d.msg : "bad rule list");
		fm_diag_release(&d);
		return rc;
	}
	if (v->type != YAML_SEQUENCE_NODE)
		return at(p, v, key, FM_EINVAL, "%s: expected a list of rule ids (e.g. [FM020, FM060])", key);
	for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
		const yaml_node_t *e = yaml_document_get_node(p->doc, *it);
		const char *s = scalar(e);
		if (!s)
			return at(p, e ? e : v, key, FM_EINVAL, "%s: expected a rule id", key);
		int rc = fm_rule_ids_parse(s, e->data.scalar.length, out, &d);
		if (rc != FM_OK)
			rc = at(p, e, key, rc, "%s", d.msg ? d.msg : "bad rule id");
		fm_diag_release(&d);
		if (rc != FM_OK)
			return rc;
	}
	return FM_OK;
}

static int severities(pf *p, const char *key, const yaml_node_t *v)
{
	if (v->type != YAML_MAPPING_NODE)
		return at(p, v, key, FM_EINVAL, "%s: expected a mapping of rule id to error, warning or note", key);
	size_t n = (size_t)(v->data.mapping.pairs.top - v->data.mapping.pairs.start);
	p->out->sev = calloc(n ? n : 1, sizeof(*p->out->sev));
	if (!p->out->sev)
		return FM_ENOMEM;
	for (yaml_node_pair_t *pr = v->data.mapping.pairs.start; pr < v->data.mapping.pairs.top; pr++) {
		const yaml_node_t *k = yaml_document_get_node(p->doc, pr->key);
		const yaml_node_t *val = yaml_document_get_node(p->doc, pr->value);
		const char *id = scalar(k), *sv = scalar(val);
		const fm_rule_doc *r = id ? rule_by_id(id, k->data.scalar.length) : NULL;
		if (!r)
			return at(p, k ? k : v, key, FM_EINVAL, "unknown rule '%s' (`flinkmem check --rules` lists them)",
				  id ? id : "?");
		fm_severity s;
		if (!sv || !fm_severity_parse(sv, &s))
			return at(p, val ? val : k, key, FM_EINVAL, "severity of %s: expected error, warning or note", r->id);
		p->out->sev[p->out->nsev++] = (struct fm_lintcfg_sev){r, s};
	}
	return FM_OK;
}

static int ignores(pf *p, const char *key, const yaml_node_t *v)
{
	if (v->type != YAML_SEQUENCE_NODE)
		return at(p, v, key, FM_EINVAL, "%s: expected a list of path patterns", key);
	size_t n = (size_t)(v->data.sequence.items.top - v->data.sequence.items.start);
	p->out->ignore = calloc(n ? n : 1, sizeof(char *));
	if (!p->out->ignore)
		return FM_ENOMEM;
	for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
		const yaml_node_t *e = yaml_document_get_node(p->doc, *it);
		const char *s = scalar(e);
		if (!s || !*s)
			return at(p, e ? e : v, key, FM_EINVAL, "%s: expected a path pattern", key);
		if (!(p->out->ignore[p->out->nignore] = strdup(s)))
			return FM_ENOMEM;
		p->out->nignore++;
	}
	return FM_OK;
}

static int top_key(pf *p, const yaml_node_t *k, const yaml_node_t *v)
{
	const char *key = scalar(k);
	if (!key)
		return at(p, k, NULL, FM_EINVAL, "%s", "expected a key (disable, enable, fail-on, flink-version, severity, ignore)");
	if (!strcmp(key, "disable"))
		return rule_list(p, key, v, &p->out->disable);
	if (!strcmp(key, "enable"))
		return rule_list(p, key, v, &p->out->enable);
	if (!strcmp(key, "severity"))
		return severities(p, key, v);
	if (!strcmp(key, "ignore"))
		return ignores(p, key, v);
	if (!strcmp(key, "fail-on")) {
		const char *s = scalar(v);
		if (!s || !fm_severity_parse(s, &p->out->fail_on))
			return at(p, v, key, FM_EINVAL, "%s: expected error, warning or note", key);
		p->out->has_fail_on = true;
		return FM_OK;
	}
	if (!strcmp(key, "flink-version")) {
		const char *s = scalar(v);
		if (!s || !*s)
			return at(p, v, key, FM_EINVAL, "%s: expected a release such as \"1.18\"", key);
		free(p->out->flink_version);
		return (p->out->flink_version = strdup(s)) ? FM_OK : FM_ENOMEM;
	}
	return at(p, k, key, FM_EINVAL,
		  "unknown key '%s' (disable, enable, fail-on, flink-version, severity, ignore)", key);
}

int fm_lintcfg_parse(const char *file, const char *data, size_t len, fm_lintcfg *out, fm_diag *d)
{
	*out = (fm_lintcfg){0};
	yaml_parser_t parser;
	if (!yaml_parser_initialize(&parser))
		return FM_ENOMEM;
	yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
	yaml_document_t doc;
	if (!yaml_parser_load(&parser, &doc)) {
		int rc = parser.error == YAML_MEMORY_ERROR
				 ? FM_ENOMEM
				 : fm_diag_set(d, FM_ESYNTAX, file, (uint32_t)parser.problem_mark.line + 1,
					       (uint32_t)parser.problem_mark.column + 1, NULL, "%s",
					       parser.problem ? parser.problem : "YAML syntax error");
		yaml_parser_delete(&parser);
		return rc;
	}
	yaml_parser_delete(&parser);
	pf p = {file, &doc, out, d};
	const yaml_node_t *root = yaml_document_get_root_node(&doc);
	int rc = FM_OK;
	if (root && root->type == YAML_MAPPING_NODE) {
		for (yaml_node_pair_t *pr = root->data.mapping.pairs.start; pr < root->data.mapping.pairs.top && rc == FM_OK; pr++) {
			/* YAML forbids a key twice; taking the last would hide the first */
			const yaml_node_t *k = yaml_document_get_node(&doc, pr->key);
			const char *ks = scalar(k);
			for (yaml_node_pair_t *q = root->data.mapping.pairs.start; ks && q < pr && rc == FM_OK; q++) {
				const char *qs = scalar(yaml_document_get_node(&doc, q->key));
				if (qs && !strcmp(qs, ks))
					rc = at(&p, k, ks, FM_EINVAL, "duplicate key '%s'", ks);
			}
			if (rc == FM_OK)
				rc = top_key(&p, k, yaml_document_get_node(&doc, pr->value));
		}
	} else if (root && !(root->type == YAML_SCALAR_NODE && root->data.scalar.length == 0)) {
		rc = at(&p, root, NULL, FM_EINVAL, "%s", "expected a mapping (disable, enable, fail-on, flink-version, severity, ignore)");
	}
	yaml_document_delete(&doc);
	return rc;
}

void fm_lintcfg_release(fm_lintcfg *c)
{
	if (!c)
		return;
	free(c->flink_version);
	free(c->sev);
	for (size_t i = 0; i < c->nignore; i++)
		free(c->ignore[i]);
	free(c->ignore);
	*c = (fm_lintcfg){0};
}

/* ---- inline suppressions --------------------------------------------------- */

/* The directive after "# flinkmem:" at p (line end e), or NULL. Accepts
 * "#flinkmem:" and any blanks around. */
static const char *directive(const char *p, const char *e)
{
	const char *q = memchr(p, '#', (size_t)(e - p));
	while (q) {
		const char *r = q + 1;
		while (r < e && (*r == ' ' || *r == '\t'))
			r++;
		if ((size_t)(e - r) >= 9 && memcmp(r, "flinkmem:", 9) == 0)
			return r + 9;
		q = r < e ? memchr(r, '#', (size_t)(e - r)) : NULL;
	}
	return NULL;
}

/* A line holding only blanks, or a comment. */
static bool blank_or_comment(const char *p, const char *e)
{
	while (p < e && (*p == ' ' || *p == '\t' || *p == '\r'))
		p++;
	return p == e || *p == '#';
}

static int add_supp(fm_suppressions *s, fm_suppression x)
{
	if (s->n == s->cap) {
		size_t nc = s->cap ? s->cap * 2 : 8;
		fm_suppression *nv = realloc(s->v, nc * sizeof(*nv));
		if (!nv)
			return FM_ENOMEM;
		s->v = nv;
		s->cap = nc;
	}
	s->v[s->n++] = x;
	return FM_OK;
}

/* Parses one directive (d0..e, on line ln starting at line0). */
static int parse_directive(const char *file, const char *line0, const char *d0, const char *e, uint32_t ln,
			   bool own_line, fm_suppressions *out, fm_diag *d)
{
	const char *p = d0;
	while (p < e && (*p == ' ' || *p == '\t'))
		p++;
	uint32_t col = (uint32_t)(p - line0) + 1;
	const char *v = p;
	while (p < e && (isalnum((unsigned char)*p) || *p == '-'))
		p++;
	size_t vl = (size_t)(p - v);
	bool file_scope = vl == 12 && memcmp(v, "disable-file", 12) == 0;
	if (!file_scope && !(vl == 7 && memcmp(v, "disable", 7) == 0))
		return fm_diag_set(d, FM_EINVAL, file, ln, col, NULL,
				   "unknown flinkmem directive '%.*s' (disable=IDS or disable-file=IDS)", (int)(vl > 64 ? 64 : vl),
				   v);
	if (p >= e || *p != '=')
		return fm_diag_set(d, FM_EINVAL, file, ln, (uint32_t)(p - line0) + 1, NULL,
				   "flinkmem directive '%.*s' needs '=' and rule ids (e.g. disable=FM012)", (int)vl, v);
	const char *ids = ++p;
	while (p < e && *p != ' ' && *p != '\t' && *p != '\r')
		p++;
	fm_suppression x = {.at = ln, .target = file_scope ? 0 : ln};
	fm_diag id = FM_DIAG_INIT;
	int rc = fm_rule_ids_parse(ids, (size_t)(p - ids), &x.rules, &id);
	if (rc != FM_OK) {
		rc = fm_diag_set(d, rc, file, ln, (uint32_t)(ids - line0) + id.col, NULL, "%s",
				 id.msg ? id.msg : "bad rule list");
		fm_diag_release(&id);
		return rc;
	}
	/* the reason: the rest of the line, without a leading "--" or ":" */
	while (p < e && (*p == ' ' || *p == '\t' || *p == '-' || *p == ':'))
		p++;
	const char *we = e;
	while (we > p && (we[-1] == ' ' || we[-1] == '\t' || we[-1] == '\r'))
		we--;
	if (we > p && !(x.why = strndup(p, (size_t)(we - p))))
		return FM_ENOMEM;
	/* a comment on a line of its own: target fixed up by the caller */
	if (own_line && !file_scope)
		x.target = UINT32_MAX;
	if (add_supp(out, x) != FM_OK) {
		free(x.why);
		return FM_ENOMEM;
	}
	return FM_OK;
}

int fm_suppressions_scan(const char *file, const char *data, size_t len, fm_suppressions *out, fm_diag *d)
{
	*out = (fm_suppressions){0};
	const char *p = data, *end = data + len;
	uint32_t ln = 0;
	while (p < end) {
		ln++;
		const char *e = memchr(p, '\n', (size_t)(end - p));
		if (!e)
			e = end;
		bool comment_line = blank_or_comment(p, e);
		if (!comment_line) /* earlier own-line directives silence this line */
			for (size_t i = out->n; i-- > 0 && out->v[i].target == UINT32_MAX;)
				out->v[i].target = ln;
		const char *dir = memchr(p, '#', (size_t)(e - p)) ? directive(p, e) : NULL;
		if (dir) {
			int rc = parse_directive(file, p, dir, e, ln, comment_line, out, d);
			if (rc != FM_OK)
				return rc;
		}
		p = e < end ? e + 1 : end;
	}
	/* own-line directives at the end of the file silence nothing */
	for (size_t i = 0; i < out->n; i++)
		if (out->v[i].target == UINT32_MAX)
			out->v[i].target = out->v[i].at;
	return FM_OK;
}

void fm_suppressions_release(fm_suppressions *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i].why);
	free(s->v);
	*s = (fm_suppressions){0};
}

int fm_suppressions_apply(const fm_suppressions *s, const char *file, fm_findings *f)
{
	for (size_t i = 0; i < f->n; i++) {
		fm_finding *g = &f->v[i];
		if (g->suppressed_at)
			continue;
		bool here = g->file && strcmp(g->file, file) == 0;
		for (size_t k = 0; k < s->n; k++) {
			const fm_suppression *x = &s->v[k];
			if (!fm_rule_set_has(&x->rules, g->rule))
				continue;
			bool hit = x->target ? here && g->line == x->target : here || !g->file;
			if (!hit)
				continue;
			g->suppressed_at = x->at;
			g->suppressed_file = x->target == 0;
			if (x->why && !(g->suppressed_why = strdup(x->why)))
				return FM_ENOMEM;
			break;
		}
	}
	return FM_OK;
}

void fm_findings_select(fm_findings *f, const fm_rule_set *enabled, const struct fm_lintcfg_sev *sev, size_t nsev)
{
	size_t w = 0;
	bool changed = false;
	for (size_t i = 0; i < f->n; i++) {
		fm_finding g = f->v[i];
		if (!fm_rule_set_has(enabled, g.rule)) {
			free(g.key);
			free(g.message);
			free(g.detail);
			free(g.fix);
			free(g.suppressed_why);
			continue;
		}
		for (size_t k = 0; k < nsev; k++)
			if (sev[k].rule == g.rule && g.severity != sev[k].severity) {
				g.severity = sev[k].severity;
				changed = true;
			}
		f->v[w++] = g;
	}
	f->n = w;
	/* a changed severity moves its finding to that severity's group:
	 * a stable partition, so the order within each group stays */
	fm_finding *t = changed ? malloc(w * sizeof(*t)) : NULL;
	if (!t)
		return; /* (no memory: the groups keep the old order; nothing lost) */
	size_t o = 0;
	for (int s = FM_SEV_ERROR; s <= FM_SEV_NOTE; s++)
		for (size_t i = 0; i < w; i++)
			if ((int)f->v[i].severity == s)
				t[o++] = f->v[i];
	memcpy(f->v, t, w * sizeof(*t));
	free(t);
}
