/* patch — comment-preserving config edits and unified diff;
 * see include/flinkmem/patch.h.
 *
 * Every edit becomes a byte-range replacement on the original text, so
 * bytes outside the ranges cannot change. Where a key is and where a new
 * one goes comes from the format's own structure (Flink's line rules for
 * flink-conf.yaml, libyaml marks for YAML); whether the result means what
 * was asked is settled by re-reading it with the real readers. */
#include "flinkmem/patch.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "flinkmem/conf_flat.h"
#include "flinkmem/conf_k8s.h"
#include "flinkmem/conf_yaml.h"
#include "flinkmem/memsize.h"

#define NONE ((size_t)-1)
#define PATCH_MAX_DEPTH 256

/* ---- byte-range replacements ------------------------------------------ */

typedef struct redit {
	size_t start, end; /* original bytes [start, end) become text */
	char *text;
	size_t tlen;
	size_t seq; /* insertion order, keeps same-point inserts in order */
	uint32_t indent; /* same-point inserts: deeper first, so each stays in its mapping */
} redit;

typedef struct redits {
	redit *v;
	size_t n, cap;
} redits;

static int redits_add(redits *r, size_t start, size_t end, const char *t, size_t tl)
{
	if (r->n == r->cap) {
		size_t nc = r->cap ? r->cap * 2 : 16;
		redit *nv = realloc(r->v, nc * sizeof(*nv));
		if (!nv)
			return FM_ENOMEM;
		r->v = nv;
		r->cap = nc;
	}
	char *copy = malloc(tl + 1);
	if (!copy)
		return FM_ENOMEM;
	if (tl)
		memcpy(copy, t, tl);
	copy[tl] = '\0';
	r->v[r->n] = (redit){start, end, copy, tl, r->n, 0};
	r->n++;
	return FM_OK;
}

static void redits_release(redits *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->v[i].text);
	free(r->v);
	r->v = NULL;
	r->n = r->cap = 0;
}

/* Pure inserts sort before a replacement starting at the same byte. */
static int redit_cmp(const void *x, const void *y)
{
	const redit *a = x, *b = y;
	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	bool ai = a->start == a->end, bi = b->start == b->end;
	if (ai != bi)
		return ai ? -1 : 1;
	if (a->indent != b->indent)
		return a->indent > b->indent ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* 1 when two replacements overlap (a bug in the caller's plan: refuse). */
static int redits_apply(const char *data, size_t len, redits *r, fm_buf *out)
{
	if (r->n)
		qsort(r->v, r->n, sizeof(*r->v), redit_cmp);
	size_t cur = 0;
	for (size_t i = 0; i < r->n; i++) {
		const redit *e = &r->v[i];
		if (e->start < cur || e->end > len)
			return 1;
		if (fm_buf_add(out, data + cur, e->start - cur) || fm_buf_add(out, e->text, e->tlen))
			return FM_ENOMEM;
		cur = e->end;
	}
	if (fm_buf_add(out, data + cur, len - cur) || fm_buf_add(out, "", 0))
		return FM_ENOMEM;
	return FM_OK;
}

/* ---- line helpers -------------------------------------------------------- */

/* The file's line terminator: the first one it uses, "\n" by default. */
static const char *detect_eol(const char *data, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (data[i] == '\n')
			return "\n";
		if (data[i] == '\r')
			return i + 1 < len && data[i + 1] == '\n' ? "\r\n" : "\r";
	}
	return "\n";
}

static size_t line_start(const char *data, size_t pos)
{
	while (pos > 0 && data[pos - 1] != '\n' && data[pos - 1] != '\r')
		pos--;
	return pos;
}

/* Offset just past the terminator of the line holding pos (or len). */
static size_t line_next(const char *data, size_t len, size_t pos)
{
	while (pos < len && data[pos] != '\n' && data[pos] != '\r')
		pos++;
	if (pos < len) {
		if (data[pos] == '\r' && pos + 1 < len && data[pos + 1] == '\n')
			pos++;
		pos++;
	}
	return pos;
}

static bool is_comment_line(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	return i < n && s[i] == '#';
}

/* Deletes the whole lines [from, to) but keeps full-line comments in them,
 * so removing a setting never loses the words someone wrote about it. */
static int delete_lines_keep_comments(const char *data, size_t len, size_t from, size_t to, redits *r)
{
	fm_buf keep = FM_BUF_INIT;
	for (size_t p = from; p < to;) {
		size_t nx = line_next(data, len, p);
		if (nx > to)
			nx = to;
		if (is_comment_line(data + p, nx - p) && fm_buf_add(&keep, data + p, nx - p)) {
			fm_buf_release(&keep);
			return FM_ENOMEM;
		}
		p = nx;
	}
	int rc = redits_add(r, from, to, keep.data ? keep.data : "", keep.len);
	fm_buf_release(&keep);
	return rc;
}

/* Dotted components two keys share at the front ("a.b.c" vs "a.b.d": 2). */
static size_t common_components(const char *a, size_t an, const char *b, size_t bn)
{
	size_t n = 0, i = 0;
	while (i < an && i < bn) {
		size_t j = i;
		while (j < an && a[j] != '.')
			j++;
		size_t k = i;
		while (k < bn && b[k] != '.')
			k++;
		if (j - i != k - i || memcmp(a + i, b + i, j - i) != 0)
			break;
		n++;
		if (j >= an || k >= bn)
			break;
		i = j + 1;
	}
	return n;
}

/* ---- legacy flink-conf.yaml ---------------------------------------------- */

typedef struct fline {
	size_t start, end, next;  /* content [start,end), next line at next */
	size_t ks, kn, vs, vn;    /* key and value spans; kn == 0: no entry */
} fline;

/* The same split as conf_flat: '#' cuts, first ": ", Java trim. */
static int flat_lines(const char *data, size_t len, fline **out, size_t *nout)
{
	fline *v = NULL;
	size_t n = 0, cap = 0, pos = 0;
	while (pos < len) {
		if (n == cap) {
			size_t nc = cap ? cap * 2 : 64;
			fline *nv = realloc(v, nc * sizeof(*nv));
			if (!nv) {
				free(v);
				return FM_ENOMEM;
			}
			v = nv;
			cap = nc;
		}
		fline *l = &v[n++];
		l->start = pos;
		while (pos < len && data[pos] != '\n' && data[pos] != '\r')
			pos++;
		l->end = pos;
		l->next = line_next(data, len, pos);
		pos = l->next;
		l->kn = l->vn = 0;
		const char *line = data + l->start;
		size_t ln = l->end - l->start;
		const char *hash = memchr(line, '#', ln);
		const char *conf = line;
		size_t cn = hash ? (size_t)(hash - line) : ln;
		fm_java_trim(&conf, &cn);
		const char *sep = NULL;
		for (size_t i = 0; i + 1 < cn; i++)
			if (conf[i] == ':' && conf[i + 1] == ' ') {
				sep = conf + i;
				break;
			}
		if (!sep)
			continue;
		const char *k = conf, *val = sep + 2;
		size_t kn = (size_t)(sep - conf), vn = cn - kn - 2;
		fm_java_trim(&k, &kn);
		fm_java_trim(&val, &vn);
		if (!kn || !vn)
			continue;
		l->ks = (size_t)(k - data);
		l->kn = kn;
		l->vs = (size_t)(val - data);
		l->vn = vn;
	}
	*out = v;
	*nout = n;
	return FM_OK;
}

/* A value the line parser reads back unchanged: no '#', no line break, no
 * edge whitespace, not empty. Keys also must not hold ": ". */
static bool flat_ok(const char *s, bool key)
{
	size_t n = strlen(s);
	if (!n || (unsigned char)s[0] <= ' ' || (unsigned char)s[n - 1] <= ' ')
		return false;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '#' || s[i] == '\n' || s[i] == '\r')
			return false;
		if (key && s[i] == ':' && s[i + 1] == ' ')
			return false;
	}
	return true;
}

static bool span_is(const char *data, size_t s, size_t n, const char *key)
{
	return strlen(key) == n && memcmp(data + s, key, n) == 0;
}

/* flink-conf.yaml: a value is replaced inside its line, so whatever
 * surrounds it (indentation, spacing, a trailing comment) stays. */
static int patch_flat(const char *path, const char *data, size_t len, const fm_edit *edits, size_t ne,
		      redits *r, fm_logs *notes, fm_diag *d)
{
	fline *L = NULL;
	size_t nl = 0;
	if (flat_lines(data, len, &L, &nl))
		return fm_diag_set(d, FM_ENOMEM, path, 0, 0, NULL, "out of memory");
	const char *eol = detect_eol(data, len);
	bool need_eol = len && data[len - 1] != '\n' && data[len - 1] != '\r';
	int rc = FM_OK;
	for (size_t e = 0; e < ne && rc == FM_OK; e++) {
		const char *key = edits[e].key, *val = edits[e].value;
		if (!flat_ok(key, true)) {
			rc = fm_diag_set(d, FM_EINVAL, path, 0, 0, key,
					 "cannot write key '%s' to a flink-conf.yaml: its line parser would read it differently",
					 key);
			break;
		}
		if (val && !flat_ok(val, false)) {
			rc = fm_diag_set(d, FM_EINVAL, path, 0, 0, key,
					 "cannot write '%s' to a flink-conf.yaml: it drops what follows '#', line breaks and "
					 "edge spaces (%s)",
					 val, key);
			break;
		}
		size_t last = NONE;
		for (size_t i = 0; i < nl; i++)
			if (L[i].kn && span_is(data, L[i].ks, L[i].kn, key))
				last = i;
		if (!val) {
			/* every line of the key: an earlier one would come back */
			for (size_t i = 0; i < nl && rc == FM_OK; i++)
				if (L[i].kn && span_is(data, L[i].ks, L[i].kn, key)) {
					rc = redits_add(r, L[i].start, L[i].next, "", 0);
					if (!rc)
						rc = fm_logs_add(notes, "INFO", "%s: removed line %zu", key, i + 1);
				}
			if (last == NONE && rc == FM_OK)
				rc = fm_logs_add(notes, "INFO", "%s: not in the file, nothing to remove", key);
		} else if (last != NONE) {
			rc = redits_add(r, L[last].vs, L[last].vs + L[last].vn, val, strlen(val));
			if (!rc)
				rc = fm_logs_add(notes, "INFO", "%s: value changed on line %zu", key, last + 1);
		} else {
			/* after the last line sharing the most dotted components */
			size_t best = NONE, bestc = 0;
			for (size_t i = 0; i < nl; i++) {
				if (!L[i].kn)
					continue;
				size_t c = common_components(data + L[i].ks, L[i].kn, key, strlen(key));
				if (c && c >= bestc) {
					best = i;
					bestc = c;
				}
			}
			fm_buf t = FM_BUF_INIT;
			size_t at = best == NONE ? len : L[best].next;
			if (at == len && need_eol)
				fm_buf_adds(&t, eol);
			fm_buf_addf(&t, "%s: %s%s", key, val, eol);
			rc = t.data ? redits_add(r, at, at, t.data, t.len) : FM_ENOMEM;
			fm_buf_release(&t);
			if (!rc)
				rc = best == NONE ? fm_logs_add(notes, "INFO", "%s: added at the end", key)
						  : fm_logs_add(notes, "INFO", "%s: added after line %zu", key, best + 1);
		}
		if (rc == FM_ENOMEM)
			fm_diag_set(d, FM_ENOMEM, path, 0, 0, key, "out of memory");
	}
	free(L);
	return rc;
}

/* ---- YAML DOM with byte spans --------------------------------------------- */

enum { YN_SCALAR, YN_MAP, YN_SEQ, YN_ALIAS };

typedef struct ynode {
	int kind;
	bool flow;
	yaml_scalar_style_t style;
	size_t start, end;  /* bytes of the node as written */
	size_t close;       /* flow collections: the closing bracket */
	uint32_t line, col; /* 1-based; col in characters */
	char *text;         /* scalars */
	size_t tlen;
	size_t *kids;       /* maps: key, value, key, value ...; seqs: items */
	size_t nkids, kcap;
	size_t parent;
	bool del;           /* removed by this patch */
	bool ins;           /* receives an inserted entry */
} ynode;

typedef struct ydom {
	ynode *v;
	size_t n, cap;
	size_t *roots;
	size_t nroots;
	/* libyaml marks count characters; this cursor maps them to bytes */
	const char *data;
	size_t len, base, cidx, boff;
} ydom;

static void dom_release(ydom *m)
{
	for (size_t i = 0; i < m->n; i++) {
		free(m->v[i].text);
		free(m->v[i].kids);
	}
	free(m->v);
	free(m->roots);
	memset(m, 0, sizeof(*m));
}

static size_t utf8_width(unsigned char c)
{
	return c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
}

/* Byte offset of character index idx (from the start after any BOM). */
static size_t dom_byte(ydom *m, size_t idx)
{
	while (m->cidx > idx && m->boff > m->base) { /* back over one character */
		m->boff--;
		while (m->boff > m->base && ((unsigned char)m->data[m->boff] & 0xC0) == 0x80)
			m->boff--;
		m->cidx--;
	}
	while (m->cidx < idx && m->boff < m->len) {
		m->boff += utf8_width((unsigned char)m->data[m->boff]);
		m->cidx++;
	}
	return m->boff > m->len ? m->len : m->boff;
}

static size_t dom_new(ydom *m, int kind, const yaml_event_t *ev, size_t parent)
{
	if (m->n == m->cap) {
		size_t nc = m->cap ? m->cap * 2 : 64;
		ynode *nv = realloc(m->v, nc * sizeof(*nv));
		if (!nv)
			return NONE;
		m->v = nv;
		m->cap = nc;
	}
	ynode *y = &m->v[m->n];
	memset(y, 0, sizeof(*y));
	y->kind = kind;
	y->start = dom_byte(m, ev->start_mark.index);
	y->end = dom_byte(m, ev->end_mark.index);
	y->line = (uint32_t)ev->start_mark.line + 1;
	y->col = (uint32_t)ev->start_mark.column + 1;
	y->parent = parent;
	if (parent != NONE) {
		ynode *p = &m->v[parent];
		if (p->nkids == p->kcap) {
			size_t nc = p->kcap ? p->kcap * 2 : 8;
			size_t *nk = realloc(p->kids, nc * sizeof(*nk));
			if (!nk)
				return NONE;
			p->kids = nk;
			p->kcap = nc;
		}
		p->kids[p->nkids++] = m->n;
	}
	return m->n++;
}

static int dom_build(ydom *m, const char *path, const char *data, size_t len, fm_diag *d)
{
	memset(m, 0, sizeof(*m));
	m->data = data;
	m->len = len;
	if (len >= 2 && ((unsigned char)data[0] == 0xFE || (unsigned char)data[0] == 0xFF) &&
	    ((unsigned char)data[1] == 0xFE || (unsigned char)data[1] == 0xFF))
		return fm_diag_set(d, FM_EINVAL, path, 1, 1, NULL, "cannot edit a UTF-16 file");
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
		m->base = 3;
	m->boff = m->base;
	yaml_parser_t p;
	if (!yaml_parser_initialize(&p))
		return fm_diag_set(d, FM_ENOMEM, path, 0, 0, NULL, "out of memory");
	yaml_parser_set_input_string(&p, (const unsigned char *)data, len);
	size_t stack[PATCH_MAX_DEPTH];
	size_t depth = 0;
	int rc = FM_OK;
	for (bool done = false; !done && rc == FM_OK;) {
		yaml_event_t ev;
		if (!yaml_parser_parse(&p, &ev)) {
			rc = fm_diag_set(d, p.error == YAML_MEMORY_ERROR ? FM_ENOMEM : FM_ESYNTAX, path,
					 (uint32_t)p.problem_mark.line + 1, (uint32_t)p.problem_mark.column + 1, NULL,
					 "%s", p.problem ? p.problem : "YAML syntax error");
			break;
		}
		size_t parent = depth ? stack[depth - 1] : NONE, id = NONE;
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
			done = true;
			break;
		case YAML_SCALAR_EVENT:
		case YAML_ALIAS_EVENT:
			id = dom_new(m, ev.type == YAML_SCALAR_EVENT ? YN_SCALAR : YN_ALIAS, &ev, parent);
			if (id != NONE && ev.type == YAML_SCALAR_EVENT) {
				ynode *y = &m->v[id];
				y->style = ev.data.scalar.style;
				y->tlen = ev.data.scalar.length;
				y->text = malloc(y->tlen + 1);
				if (!y->text) {
					id = NONE;
				} else {
					memcpy(y->text, ev.data.scalar.value, y->tlen);
					y->text[y->tlen] = '\0';
				}
			}
			if (id == NONE)
				rc = fm_diag_set(d, FM_ENOMEM, path, 0, 0, NULL, "out of memory");
			break;
		case YAML_MAPPING_START_EVENT:
		case YAML_SEQUENCE_START_EVENT:
			if (depth == PATCH_MAX_DEPTH) {
				rc = fm_diag_set(d, FM_ETOOBIG, path, (uint32_t)ev.start_mark.line + 1,
						 (uint32_t)ev.start_mark.column + 1, NULL, "nested deeper than %d levels",
						 PATCH_MAX_DEPTH);
				break;
			}
			id = dom_new(m, ev.type == YAML_MAPPING_START_EVENT ? YN_MAP : YN_SEQ, &ev, parent);
			if (id == NONE) {
				rc = fm_diag_set(d, FM_ENOMEM, path, 0, 0, NULL, "out of memory");
				break;
			}
			m->v[id].flow = ev.type == YAML_MAPPING_START_EVENT
					? ev.data.mapping_start.style == YAML_FLOW_MAPPING_STYLE
					: ev.data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE;
			stack[depth++] = id;
			break;
		case YAML_MAPPING_END_EVENT:
		case YAML_SEQUENCE_END_EVENT:
			if (depth) {
				ynode *y = &m->v[stack[--depth]];
				y->close = dom_byte(m, ev.start_mark.index);
				y->end = dom_byte(m, ev.end_mark.index);
			}
			break;
		default:
			break;
		}
		if (id != NONE && parent == NONE) {
			size_t *nr = realloc(m->roots, (m->nroots + 1) * sizeof(*nr));
			if (!nr)
				rc = fm_diag_set(d, FM_ENOMEM, path, 0, 0, NULL, "out of memory");
			else {
				m->roots = nr;
				m->roots[m->nroots++] = id;
			}
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&p);
	if (rc)
		dom_release(m);
	return rc;
}

/* Where a node's text really ends: a block collection ends with its last
 * child (libyaml's end mark sits at the next token, past any comments). */
static size_t content_end(const ydom *m, size_t id)
{
	for (;;) {
		const ynode *y = &m->v[id];
		if ((y->kind != YN_MAP && y->kind != YN_SEQ) || y->flow || !y->nkids)
			return y->end;
		id = y->kids[y->nkids - 1];
	}
}

/* Start of the line after the one where node id ends. */
static size_t after_node_line(const ydom *m, size_t id)
{
	size_t e = content_end(m, id);
	if (e > 0 && (m->data[e - 1] == '\n' || m->data[e - 1] == '\r'))
		return e; /* block scalars end after their line break */
	return line_next(m->data, m->len, e);
}

static bool scalar_is(const ynode *y, const char *s)
{
	return y->kind == YN_SCALAR && y->tlen == strlen(s) && memcmp(y->text, s, y->tlen) == 0;
}

/* Value node of key in mapping map, or NONE. */
static size_t map_get(const ydom *m, size_t map, const char *key)
{
	const ynode *y = &m->v[map];
	if (y->kind != YN_MAP)
		return NONE;
	size_t found = NONE;
	for (size_t i = 0; i + 1 < y->nkids; i += 2)
		if (scalar_is(&m->v[y->kids[i]], key))
			found = y->kids[i + 1];
	return found;
}

/* Flattened entries of a mapping: dotted key -> (key node, value node). */
typedef struct leaf {
	char *key;
	size_t knode, vnode;
} leaf;

typedef struct leaves {
	leaf *v;
	size_t n, cap;
} leaves;

static void leaves_release(leaves *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].key);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static int flatten(const ydom *m, size_t map, const char *prefix, leaves *out, unsigned depth)
{
	const ynode *y = &m->v[map];
	if (depth > PATCH_MAX_DEPTH)
		return FM_ETOOBIG;
	for (size_t i = 0; i + 1 < y->nkids; i += 2) {
		const ynode *k = &m->v[y->kids[i]];
		if (k->kind != YN_SCALAR)
			continue;
		char *full = NULL;
		if (asprintf(&full, "%s%s%s", prefix ? prefix : "", prefix ? "." : "", k->text) < 0)
			return FM_ENOMEM;
		size_t v = y->kids[i + 1];
		if (m->v[v].kind == YN_MAP && m->v[v].nkids) {
			int rc = flatten(m, v, full, out, depth + 1);
			free(full);
			if (rc)
				return rc;
			continue;
		}
		if (out->n == out->cap) {
			size_t nc = out->cap ? out->cap * 2 : 32;
			leaf *nv = realloc(out->v, nc * sizeof(*nv));
			if (!nv) {
				free(full);
				return FM_ENOMEM;
			}
			out->v = nv;
			out->cap = nc;
		}
		out->v[out->n++] = (leaf){full, y->kids[i], v};
	}
	return FM_OK;
}

/* ---- YAML scalar spelling ---------------------------------------------------- */

/* Whether the YAML reader reads doc back with entry key == want (any type
 * but a list, which would only print the same). */
static bool trial_reads(const char *doc, size_t n, const char *key, const char *want)
{
	fm_conf *c = fm_conf_new();
	if (!c)
		return false;
	fm_diag d = FM_DIAG_INIT;
	bool ok = false;
	if (fm_conf_load_yaml(c, "(trial)", doc, n, &d) == FM_OK && fm_conf_len(c) == 1) {
		const fm_entry *e = fm_conf_find(c, key);
		ok = e && e->type != FM_V_LIST && e->text_len == strlen(want) && memcmp(e->text, want, e->text_len) == 0;
	}
	fm_diag_release(&d);
	fm_conf_free(c);
	return ok;
}

static bool plain_ok(const char *s, bool as_key, bool flow)
{
	if (!*s || strchr(s, '\n') || strchr(s, '\r'))
		return false;
	char *doc = NULL;
	int r = as_key ? asprintf(&doc, flow ? "{%s: x}\n" : "%s: x\n", s)
		       : asprintf(&doc, flow ? "{k: %s}\n" : "k: %s\n", s);
	if (r < 0)
		return false;
	bool ok = trial_reads(doc, (size_t)r, as_key ? s : "k", as_key ? "x" : s);
	free(doc);
	return ok;
}

/* Appends s as a YAML scalar: plain when it reads back as itself (and the
 * old spelling was plain), else in the old quote style, else "double". */
static int yaml_spell(fm_buf *b, const char *s, yaml_scalar_style_t old, bool as_key, bool flow)
{
	bool ctl = false;
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			ctl = true;
	if ((old == YAML_PLAIN_SCALAR_STYLE || old == YAML_ANY_SCALAR_STYLE || old == YAML_LITERAL_SCALAR_STYLE ||
	     old == YAML_FOLDED_SCALAR_STYLE) &&
	    plain_ok(s, as_key, flow))
		return fm_buf_adds(b, s);
	if (old == YAML_SINGLE_QUOTED_SCALAR_STYLE && !ctl) {
		int rc = fm_buf_addc(b, '\'');
		for (const char *p = s; *p && !rc; p++)
			rc = *p == '\'' ? fm_buf_adds(b, "''") : fm_buf_addc(b, *p);
		return rc ? rc : fm_buf_addc(b, '\'');
	}
	int rc = fm_buf_addc(b, '"');
	for (const unsigned char *p = (const unsigned char *)s; *p && !rc; p++) {
		if (*p == '"' || *p == '\\')
			rc = fm_buf_addf(b, "\\%c", *p);
		else if (*p == '\n')
			rc = fm_buf_adds(b, "\\n");
		else if (*p == '\t')
			rc = fm_buf_adds(b, "\\t");
		else if (*p < 0x20 || *p == 0x7f)
			rc = fm_buf_addf(b, "\\x%02x", *p);
		else
			rc = fm_buf_addc(b, (char)*p);
	}
	return rc ? rc : fm_buf_addc(b, '"');
}

/* ---- YAML edits ------------------------------------------------------------------ */

typedef struct ypatch {
	const char *path;
	ydom m;
	const char *eol;
	redits *r;
	fm_logs *notes;
	fm_diag *d;
} ypatch;

static int yp_err(ypatch *yp, const ynode *at, const char *key, const char *fmt, const char *what)
{
	return fm_diag_set(yp->d, FM_EINVAL, yp->path, at ? at->line : 0, at ? at->col : 0, key, fmt, key, what);
}

/* Replaces a scalar value in place, keeping its quote style. */
static int yp_replace(ypatch *yp, size_t vnode, const char *key, const char *val, const char *where)
{
	ynode *v = &yp->m.v[vnode];
	if (v->kind != YN_SCALAR)
		return yp_err(yp, v, key, "cannot edit %s: its value is %s", v->kind == YN_ALIAS ? "an alias" : "a collection");
	bool in_flow = v->parent != NONE && yp->m.v[v->parent].flow;
	fm_buf t = FM_BUF_INIT;
	int rc = yaml_spell(&t, val, v->style, false, in_flow);
	/* block scalars own their line break: give one back */
	if (!rc && (v->style == YAML_LITERAL_SCALAR_STYLE || v->style == YAML_FOLDED_SCALAR_STYLE))
		rc = fm_buf_adds(&t, yp->eol);
	if (!rc)
		rc = redits_add(yp->r, v->start, v->end, t.data, t.len);
	fm_buf_release(&t);
	if (!rc)
		rc = fm_logs_add(yp->notes, "INFO", "%s: value changed on line %u%s", key, v->line, where ? where : "");
	return rc == FM_ENOMEM ? fm_diag_set(yp->d, FM_ENOMEM, yp->path, 0, 0, key, "out of memory") : rc;
}

/* Inserts rest: val into mapping map, after the entry sharing the most
 * dotted components with rest (or the last one), at its indentation. */
static int yp_insert(ypatch *yp, size_t map, const char *key, const char *rest, const char *val)
{
	ydom *m = &yp->m;
	ynode *y = &m->v[map];
	fm_buf t = FM_BUF_INIT;
	int rc = FM_OK;
	size_t at;
	yaml_scalar_style_t vstyle = YAML_PLAIN_SCALAR_STYLE;
	size_t anchor = NONE, bestc = 0;
	/* entries that stay first; when all go, the last one still marks the spot */
	for (int pass = 0; pass < 2 && anchor == NONE; pass++)
		for (size_t i = 0; i + 1 < y->nkids; i += 2) {
			const ynode *k = &m->v[y->kids[i]];
			if (k->kind != YN_SCALAR || (k->del && pass == 0))
				continue;
			size_t c = common_components(k->text, k->tlen, rest, strlen(rest));
			if (anchor == NONE || c >= bestc) {
				anchor = i;
				bestc = c;
			}
		}
	if (anchor != NONE && m->v[y->kids[anchor + 1]].kind == YN_SCALAR)
		vstyle = m->v[y->kids[anchor + 1]].style;
	if (y->flow) {
		at = y->close;
		if (y->nkids || y->ins)
			rc = fm_buf_adds(&t, ", ");
		rc = rc ? rc : yaml_spell(&t, rest, YAML_PLAIN_SCALAR_STYLE, true, true);
		rc = rc ? rc : fm_buf_adds(&t, ": ");
		rc = rc ? rc : yaml_spell(&t, val, vstyle, false, true);
	} else {
		if (anchor == NONE)
			return yp_err(yp, y, key, "cannot add %s: %s", "its mapping has no entries to go after");
		const ynode *k0 = &m->v[y->kids[0]];
		at = after_node_line(m, y->kids[anchor + 1]);
		if (at == m->len && m->len && m->data[m->len - 1] != '\n' && m->data[m->len - 1] != '\r')
			rc = fm_buf_adds(&t, yp->eol);
		for (uint32_t i = 1; i < k0->col && !rc; i++)
			rc = fm_buf_addc(&t, ' ');
		rc = rc ? rc : yaml_spell(&t, rest, YAML_PLAIN_SCALAR_STYLE, true, false);
		rc = rc ? rc : fm_buf_adds(&t, ": ");
		rc = rc ? rc : yaml_spell(&t, val, vstyle, false, false);
		rc = rc ? rc : fm_buf_adds(&t, yp->eol);
	}
	if (!rc)
		rc = redits_add(yp->r, at, at, t.data, t.len);
	if (!rc && !y->flow && y->nkids)
		yp->r->v[yp->r->n - 1].indent = m->v[y->kids[0]].col;
	fm_buf_release(&t);
	y->ins = true;
	if (!rc) {
		uint32_t ln = anchor == NONE ? y->line : m->v[y->kids[anchor]].line;
		rc = fm_logs_add(yp->notes, "INFO", "%s: added as '%s' after line %u", key, rest, ln);
	}
	return rc == FM_ENOMEM ? fm_diag_set(yp->d, FM_ENOMEM, yp->path, 0, 0, key, "out of memory") : rc;
}

/* The deepest block mapping under root on key's dotted path; *rest gets
 * the part of key still to write. */
static size_t yp_target(const ydom *m, size_t root, const char *key, const char **rest)
{
	size_t cur = root;
	const char *r = key;
	for (;;) {
		const ynode *y = &m->v[cur];
		size_t best = NONE, bestlen = 0;
		for (size_t i = 0; i + 1 < y->nkids; i += 2) {
			const ynode *k = &m->v[y->kids[i]], *v = &m->v[y->kids[i + 1]];
			if (k->kind != YN_SCALAR || v->kind != YN_MAP || v->flow || !v->nkids)
				continue;
			if (strlen(r) > k->tlen && r[k->tlen] == '.' && memcmp(r, k->text, k->tlen) == 0 &&
			    k->tlen >= bestlen) {
				best = y->kids[i + 1];
				bestlen = k->tlen;
			}
		}
		if (best == NONE)
			break;
		cur = best;
		r += bestlen + 1;
	}
	*rest = r;
	return cur;
}

/* Marks mappings emptied by removals as removed entries of their parent. */
static void yp_propagate(ydom *m, size_t root)
{
	for (bool again = true; again;) {
		again = false;
		for (size_t i = 0; i < m->n; i++) {
			ynode *y = &m->v[i];
			if (y->kind != YN_MAP || i == root || y->ins || !y->nkids || y->parent == NONE)
				continue;
			bool all = true;
			for (size_t j = 0; j < y->nkids; j += 2)
				all = all && m->v[y->kids[j]].del;
			ynode *p = &m->v[y->parent];
			if (!all || p->kind != YN_MAP)
				continue;
			for (size_t j = 1; j < p->nkids; j += 2)
				if (p->kids[j] == i && !m->v[p->kids[j - 1]].del) {
					m->v[p->kids[j - 1]].del = true;
					again = true;
				}
		}
	}
}

static bool ancestor_deleted(const ydom *m, size_t id)
{
	for (size_t p = m->v[id].parent; p != NONE; p = m->v[p].parent) {
		size_t pp = m->v[p].parent;
		if (pp == NONE || m->v[pp].kind != YN_MAP)
			continue;
		for (size_t j = 1; j < m->v[pp].nkids; j += 2)
			if (m->v[pp].kids[j] == p && m->v[m->v[pp].kids[j - 1]].del)
				return true;
	}
	return false;
}

/* Turns deleted entries into line deletions. */
static int yp_emit_deletions(ypatch *yp)
{
	ydom *m = &yp->m;
	for (size_t i = 0; i < m->n; i++) {
		ynode *k = &m->v[i];
		if (!k->del || ancestor_deleted(m, i))
			continue;
		const ynode *map = &m->v[k->parent];
		size_t vi = NONE;
		for (size_t j = 0; j + 1 < map->nkids; j += 2)
			if (map->kids[j] == i)
				vi = map->kids[j + 1];
		size_t ls = line_start(m->data, k->start);
		bool alone = true;
		for (size_t p = ls; p < k->start; p++)
			alone = alone && m->data[p] == ' ';
		if (map->flow || !alone || vi == NONE)
			return yp_err(yp, k, k->text, "cannot remove %s: %s", "it shares its line with other YAML (flow or '- ' item)");
		size_t end = after_node_line(m, vi);
		int rc = delete_lines_keep_comments(m->data, m->len, ls, end, yp->r);
		if (rc)
			return fm_diag_set(yp->d, rc, yp->path, 0, 0, k->text, "out of memory");
	}
	return FM_OK;
}

/* Applies edits to the mapping root (config.yaml's top level or a CR's
 * spec.flinkConfiguration). Edits with skip[i] set are handled elsewhere. */
static int yp_apply_map(ypatch *yp, size_t root, const fm_edit *edits, size_t ne, const bool *skip)
{
	/* Flink reads nested mappings as dotted keys; so do we, keeping for
	 * each flattened key the nodes it came from */
	ydom *m = &yp->m;
	leaves lv = {0};
	int rc = flatten(m, root, NULL, &lv, 0);
	if (rc)
		return fm_diag_set(yp->d, rc, yp->path, 0, 0, NULL, rc == FM_ENOMEM ? "out of memory" : "too deep");
	/* first everything that edits or removes, so inserts see the removals */
	for (size_t e = 0; e < ne && !rc; e++) {
		if (skip && skip[e])
			continue;
		size_t last = NONE;
		for (size_t i = 0; i < lv.n; i++)
			if (!strcmp(lv.v[i].key, edits[e].key)) {
				last = i;
				if (!edits[e].value)
					m->v[lv.v[i].knode].del = true;
			}
		if (edits[e].value && last != NONE)
			rc = yp_replace(yp, lv.v[last].vnode, edits[e].key, edits[e].value, NULL);
		else if (!edits[e].value)
			rc = fm_logs_add(yp->notes, "INFO", last == NONE ? "%s: not in the file, nothing to remove"
									  : "%s: removed", edits[e].key);
	}
	for (size_t e = 0; e < ne && !rc; e++) {
		if ((skip && skip[e]) || !edits[e].value)
			continue;
		bool found = false;
		for (size_t i = 0; i < lv.n && !found; i++)
			found = !strcmp(lv.v[i].key, edits[e].key);
		if (found)
			continue;
		const char *rest;
		size_t target = yp_target(m, root, edits[e].key, &rest);
		/* `a: {b: {c: 1}}` plus a.b: the mapping a already has a key b (not
		 * a leaf): the full dotted key at the top level reads the same
		 * without a duplicate */
		const ynode *ty = &m->v[target];
		for (size_t i = 0; i + 1 < ty->nkids && target != root; i += 2)
			if (scalar_is(&m->v[ty->kids[i]], rest)) {
				target = root;
				rest = edits[e].key;
				break;
			}
		rc = yp_insert(yp, target, edits[e].key, rest, edits[e].value);
	}
	leaves_release(&lv);
	if (!rc) {
		yp_propagate(m, root);
		rc = yp_emit_deletions(yp);
	}
	return rc;
}

/* config.yaml: the first document's top-level mapping is the config. */
static int patch_yaml(ypatch *yp, const fm_edit *edits, size_t ne)
{
	ydom *m = &yp->m;
	size_t root = m->nroots ? m->roots[0] : NONE;
	if (root != NONE && m->v[root].kind == YN_SCALAR && m->v[root].tlen == 0)
		root = NONE; /* an empty document */
	if (root != NONE && m->v[root].kind != YN_MAP)
		return fm_diag_set(yp->d, FM_EINVAL, yp->path, m->v[root].line, m->v[root].col, NULL,
				   "cannot edit: the top level is not a mapping");
	if (root != NONE)
		return yp_apply_map(yp, root, edits, ne, NULL);
	/* no mapping yet: every new key goes at the end, flat */
	bool first = true;
	for (size_t e = 0; e < ne; e++) {
		if (!edits[e].value)
			continue;
		fm_buf t = FM_BUF_INIT;
		if (m->len && m->data[m->len - 1] != '\n' && m->data[m->len - 1] != '\r' && first)
			fm_buf_adds(&t, yp->eol);
		first = false;
		int rc = yaml_spell(&t, edits[e].key, YAML_PLAIN_SCALAR_STYLE, true, false);
		rc = rc ? rc : fm_buf_adds(&t, ": ");
		rc = rc ? rc : yaml_spell(&t, edits[e].value, YAML_PLAIN_SCALAR_STYLE, false, false);
		rc = rc ? rc : fm_buf_adds(&t, yp->eol);
		rc = rc ? rc : redits_add(yp->r, m->len, m->len, t.data, t.len);
		fm_buf_release(&t);
		if (rc)
			return fm_diag_set(yp->d, FM_ENOMEM, yp->path, 0, 0, NULL, "out of memory");
	}
	return FM_OK;
}

/* ---- FlinkDeployment ---------------------------------------------------------------- */

static size_t node_at(const ydom *m, uint32_t line, uint32_t col)
{
	for (size_t i = 0; i < m->n; i++)
		if (m->v[i].kind == YN_SCALAR && m->v[i].line == line && m->v[i].col == col)
			return i;
	return NONE;
}

/* resource.memory in the style already there: "2Gi"-like stays binary
 * Kubernetes units when the size allows, else the plan's own text. */
static int k8s_memory_text(const char *old, const char *val, fm_buf *out)
{
	size_t on = strlen(old);
	int64_t bytes;
	fm_jexc je = {0};
	if (on >= 2 && (old[on - 1] == 'i' || old[on - 1] == 'I') && fm_size_parse(val, strlen(val), &bytes, &je) == 0) {
		static const char *u[] = {"Ti", "Gi", "Mi", "Ki"};
		for (int i = 0; i < 4; i++) {
			int64_t unit = INT64_C(1) << (10 * (4 - i));
			if (bytes > 0 && bytes % unit == 0)
				return fm_buf_addf(out, "%lld%s", (long long)(bytes / unit), u[i]);
		}
	}
	fm_jexc_release(&je);
	return fm_buf_adds(out, val);
}

static int patch_k8s(ypatch *yp, const char *data, size_t len, size_t which, const fm_edit *edits, size_t ne)
{
	ydom *m = &yp->m;
	fm_k8s_doc *docs = NULL;
	size_t nd = 0;
	int rc = fm_k8s_load(yp->path, data, len, &docs, &nd, yp->d);
	if (rc)
		return rc;
	if (which >= nd) {
		fm_k8s_docs_free(docs, nd);
		return fm_diag_set(yp->d, FM_EINVAL, yp->path, 0, 0, NULL, "the file has %zu FlinkDeployment(s), not %zu",
				   nd, which + 1);
	}
	/* the operator's reader tells which mapping is the CR (by the position
	 * of its kind: value); our DOM gives the spans to edit */
	const fm_k8s_doc *doc = &docs[which];
	size_t kindv = node_at(m, doc->line, doc->col), cr = NONE;
	if (kindv != NONE && m->v[kindv].parent != NONE)
		cr = m->v[kindv].parent;
	size_t spec = cr != NONE ? map_get(m, cr, "spec") : NONE;
	bool *skip = calloc(ne + 1, sizeof(*skip));
	if (!skip || spec == NONE || m->v[spec].kind != YN_MAP) {
		rc = skip ? fm_diag_set(yp->d, FM_EINVAL, yp->path, doc->line, doc->col, NULL,
					"cannot edit this FlinkDeployment: no spec mapping")
			  : fm_diag_set(yp->d, FM_ENOMEM, yp->path, 0, 0, NULL, "out of memory");
		goto out;
	}
	/* process sizes the operator takes from resource.memory */
	for (size_t e = 0; e < ne && !rc; e++) {
		const fm_k8s_role *role = !strcmp(edits[e].key, "taskmanager.memory.process.size") ? &doc->tm
					  : !strcmp(edits[e].key, "jobmanager.memory.process.size") ? &doc->jm
												      : NULL;
		if (!role || !role->memory.text)
			continue;
		const char *where = role == &doc->tm ? "spec.taskManager.resource.memory" : "spec.jobManager.resource.memory";
		size_t v = node_at(m, role->memory.line, role->memory.col);
		if (v == NONE) {
			rc = fm_diag_set(yp->d, FM_EINVAL, yp->path, role->memory.line, role->memory.col, edits[e].key,
					 "cannot find %s in the text", where);
			break;
		}
		if (!edits[e].value) {
			rc = fm_diag_set(yp->d, FM_EINVAL, yp->path, role->memory.line, role->memory.col, edits[e].key,
					 "cannot remove %s: %s sets it", edits[e].key, where);
			break;
		}
		fm_buf t = FM_BUF_INIT;
		char *suffix = NULL;
		if (k8s_memory_text(role->memory.text, edits[e].value, &t) ||
		    asprintf(&suffix, " (%s: the operator sets process.size from it)", where) < 0) {
			fm_buf_release(&t);
			rc = fm_diag_set(yp->d, FM_ENOMEM, yp->path, 0, 0, NULL, "out of memory");
			break;
		}
		rc = yp_replace(yp, v, edits[e].key, t.data, suffix);
		free(suffix);
		fm_buf_release(&t);
		skip[e] = true;
	}
	if (rc)
		goto out;
	size_t fc = map_get(m, spec, "flinkConfiguration");
	if (fc != NONE && m->v[fc].kind == YN_MAP) {
		rc = yp_apply_map(yp, fc, edits, ne, skip);
		goto out;
	}
	if (fc != NONE && !(m->v[fc].kind == YN_SCALAR && m->v[fc].tlen == 0)) {
		rc = fm_diag_set(yp->d, FM_EINVAL, yp->path, m->v[fc].line, m->v[fc].col, NULL,
				 "cannot edit spec.flinkConfiguration: it is not a mapping");
		goto out;
	}
	/* no flinkConfiguration: a new block under spec, indented one step more */
	const ynode *sp = &m->v[spec];
	if (sp->flow || sp->nkids < 2) {
		rc = fm_diag_set(yp->d, FM_EINVAL, yp->path, sp->line, sp->col, NULL,
				 "cannot add spec.flinkConfiguration to a flow-style spec");
		goto out;
	}
	uint32_t ind = m->v[sp->kids[0]].col - 1, step = ind > m->v[cr].col - 1 ? ind - (m->v[cr].col - 1) : 2;
	fm_buf t = FM_BUF_INIT;
	size_t at = after_node_line(m, sp->kids[sp->nkids - 1]);
	if (fc != NONE) { /* `flinkConfiguration:` with nothing: fill it */
		size_t kf = NONE;
		for (size_t i = 0; i + 1 < sp->nkids; i += 2)
			if (sp->kids[i + 1] == fc)
				kf = sp->kids[i];
		at = line_next(m->data, m->len, m->v[kf].start);
	} else {
		if (at == m->len && m->len && m->data[m->len - 1] != '\n' && m->data[m->len - 1] != '\r')
			fm_buf_adds(&t, yp->eol);
		fm_buf_addf(&t, "%*sflinkConfiguration:%s", (int)ind, "", yp->eol);
	}
	bool any = false;
	for (size_t e = 0; e < ne; e++) {
		if (skip[e] || !edits[e].value)
			continue;
		fm_buf_addf(&t, "%*s", (int)(ind + step), "");
		yaml_spell(&t, edits[e].key, YAML_PLAIN_SCALAR_STYLE, true, false);
		fm_buf_adds(&t, ": ");
		yaml_spell(&t, edits[e].value, YAML_DOUBLE_QUOTED_SCALAR_STYLE, false, false);
		fm_buf_adds(&t, yp->eol);
		any = true;
		rc = fm_logs_add(yp->notes, "INFO", "%s: added under spec.flinkConfiguration", edits[e].key);
	}
	if (any && !rc)
		rc = t.data ? redits_add(yp->r, at, at, t.data, t.len) : FM_ENOMEM;
	fm_buf_release(&t);
	if (rc)
		rc = fm_diag_set(yp->d, FM_ENOMEM, yp->path, 0, 0, NULL, "out of memory");
out:
	free(skip);
	fm_k8s_docs_free(docs, nd);
	return rc;
}

/* ---- read-back check ----------------------------------------------------------------- */

static const fm_edit *edit_for(const fm_edit *edits, size_t ne, const char *key)
{
	const fm_edit *last = NULL;
	for (size_t i = 0; i < ne; i++)
		if (!strcmp(edits[i].key, key))
			last = &edits[i];
	return last;
}

/* after must equal before with edits applied (skipped ones excluded);
 * with types: unchanged entries keep their type. Returns the first key
 * that differs, or NULL. */
static const char *conf_diff(const fm_conf *before, const fm_conf *after, const fm_edit *edits, size_t ne,
			     const bool *skip)
{
	size_t expect = 0;
	for (size_t i = 0; i < fm_conf_len(before); i++) {
		const fm_entry *b = fm_conf_at(before, i);
		const fm_edit *e = edit_for(edits, ne, b->key);
		if (e && skip && skip[e - edits])
			e = NULL;
		const fm_entry *a = fm_conf_find(after, b->key);
		if (e && !e->value) {
			if (a)
				return b->key;
			continue;
		}
		expect++;
		const char *want = e ? e->value : b->text;
		if (!a || strcmp(a->text, want) || (!e && a->type != b->type))
			return b->key;
	}
	for (size_t i = 0; i < ne; i++) {
		if ((skip && skip[i]) || !edits[i].value || fm_conf_has(before, edits[i].key) ||
		    edit_for(edits, ne, edits[i].key) != &edits[i])
			continue;
		expect++;
		const fm_entry *a = fm_conf_find(after, edits[i].key);
		if (!a || strcmp(a->text, edits[i].value))
			return edits[i].key;
	}
	if (fm_conf_len(after) != expect) {
		for (size_t i = 0; i < fm_conf_len(after); i++)
			if (!fm_conf_has(before, fm_conf_at(after, i)->key) && !edit_for(edits, ne, fm_conf_at(after, i)->key))
				return fm_conf_at(after, i)->key;
		return "(entry count)";
	}
	return NULL;
}

static int load_fmt(fm_patch_fmt fmt, const char *path, const char *data, size_t len, fm_conf *c, fm_diag *d)
{
	if (fmt == FM_PATCH_FLAT) {
		fm_logs l = FM_LOGS_INIT;
		int rc = fm_conf_load_flat(c, path, data, len, NULL, &l, d);
		fm_logs_release(&l);
		return rc;
	}
	return fm_conf_load_yaml(c, path, data, len, d);
}

static bool role_bytes(const fm_k8s_role *r, int64_t *out)
{
	if (!r->memory.text)
		return false;
	fm_buf b = FM_BUF_INIT;
	fm_jexc je = {0};
	bool ok = fm_k8s_memory_string(r->memory.text, r->memory.len, &b, &je) == 0 && b.data &&
		  fm_size_parse(b.data, b.len, out, &je) == 0;
	fm_jexc_release(&je);
	fm_buf_release(&b);
	return ok;
}

/* The safety net: the edited text, read by the same readers Flink's side
 * uses, must give the original configuration with exactly the edits.
 * Anything else (a reader quirk we did not foresee, an odd layout) turns
 * into a refusal instead of a wrong file. */
static int verify(fm_patch_fmt fmt, const char *path, const char *a, size_t alen, const char *b, size_t blen,
		  size_t which, const fm_edit *edits, size_t ne, fm_diag *d)
{
	const char *bad = NULL;
	fm_diag d2 = FM_DIAG_INIT;
	int rc = FM_OK;
	if (fmt != FM_PATCH_K8S) {
		fm_conf *c1 = fm_conf_new(), *c2 = fm_conf_new();
		int lrc = c1 && c2 ? load_fmt(fmt, path, a, alen, c1, &d2) : FM_ENOMEM;
		if (lrc == FM_ENOMEM)
			rc = FM_ENOMEM;
		else if (lrc != FM_OK) /* Flink cannot load the file as it is: no edit is safe */
			rc = fm_diag_set(d, lrc, path, d2.line, d2.col, d2.key, "cannot edit a file that does not load: %s",
					 d2.msg ? d2.msg : fm_strerror(lrc));
		else if (load_fmt(fmt, path, b, blen, c2, &d2) != FM_OK)
			bad = d2.msg ? d2.msg : "it does not load";
		else
			bad = conf_diff(c1, c2, edits, ne, NULL);
		if (bad)
			rc = fm_diag_set(d, FM_EINVAL, path, d2.line, d2.col, NULL,
					 "refusing the edit: the edited file would not read back as intended (%s)", bad);
		fm_conf_free(c1);
		fm_conf_free(c2);
		fm_diag_release(&d2);
		return rc == FM_ENOMEM ? fm_diag_set(d, FM_ENOMEM, path, 0, 0, NULL, "out of memory") : rc;
	}
	fm_k8s_doc *x = NULL, *y = NULL;
	size_t nx = 0, ny = 0;
	int lrc = fm_k8s_load(path, a, alen, &x, &nx, &d2);
	if (lrc != FM_OK) {
		rc = fm_diag_set(d, lrc, path, d2.line, d2.col, NULL, "cannot edit a file that does not load: %s",
				 d2.msg ? d2.msg : fm_strerror(lrc));
	} else if (fm_k8s_load(path, b, blen, &y, &ny, &d2) != FM_OK || nx != ny) {
		bad = d2.msg ? d2.msg : "the number of FlinkDeployments changed";
	} else {
		bool *skip = calloc(ne + 1, sizeof(*skip));
		if (!skip)
			rc = fm_diag_set(d, FM_ENOMEM, path, 0, 0, NULL, "out of memory");
		for (size_t i = 0; i < nx && skip && !bad; i++) {
			memset(skip, 0, (ne + 1) * sizeof(*skip));
			const fm_k8s_role *roles[2][2] = {{&x[i].tm, &y[i].tm}, {&x[i].jm, &y[i].jm}};
			static const char *pkeys[2] = {"taskmanager.memory.process.size", "jobmanager.memory.process.size"};
			for (int r = 0; r < 2 && !bad; r++) {
				const fm_k8s_role *ro = roles[r][0], *rn = roles[r][1];
				const fm_edit *e = i == which ? edit_for(edits, ne, pkeys[r]) : NULL;
				if (!ro->memory.text != !rn->memory.text)
					bad = "resource.memory";
				else if (ro->memory.text && e && e->value) {
					skip[e - edits] = true;
					for (size_t k = 0; k < ne; k++)
						skip[k] = skip[k] || !strcmp(edits[k].key, pkeys[r]);
					int64_t want, got;
					fm_jexc je = {0};
					if (fm_size_parse(e->value, strlen(e->value), &want, &je) != 0 || !role_bytes(rn, &got) ||
					    want != got)
						bad = pkeys[r];
					fm_jexc_release(&je);
				} else if (ro->memory.text && strcmp(ro->memory.text, rn->memory.text)) {
					bad = "resource.memory";
				}
			}
			if (!bad)
				bad = conf_diff(x[i].conf, y[i].conf, i == which ? edits : NULL, i == which ? ne : 0, skip);
		}
		free(skip);
	}
	if (bad)
		rc = fm_diag_set(d, FM_EINVAL, path, 0, 0, NULL,
				 "refusing the edit: the edited file would not read back as intended (%s)", bad);
	fm_k8s_docs_free(x, nx);
	fm_k8s_docs_free(y, ny);
	fm_diag_release(&d2);
	return rc;
}

/* ---- entry point ----------------------------------------------------------------------- */

int fm_patch_apply(fm_patch_fmt fmt, const char *path, const char *data, size_t len, size_t k8s_doc,
		   const fm_edit *edits, size_t n, fm_buf *out, fm_logs *notes, fm_diag *d)
{
	if (len > FM_PATCH_MAX_BYTES || n > FM_PATCH_MAX_EDITS)
		return fm_diag_set(d, FM_ETOOBIG, path, 0, 0, NULL, "too large to edit (%zu bytes, %zu edits)", len, n);
	for (size_t i = 0; i < n; i++)
		if (!edits[i].key || !*edits[i].key)
			return fm_diag_set(d, FM_EUSAGE, path, 0, 0, NULL, "an edit without a key");
	redits r = {0};
	int rc;
	if (fmt == FM_PATCH_FLAT) {
		rc = patch_flat(path, data, len, edits, n, &r, notes, d);
	} else {
		ypatch yp = {.path = path, .eol = detect_eol(data, len), .r = &r, .notes = notes, .d = d};
		rc = dom_build(&yp.m, path, data, len, d);
		if (!rc)
			rc = fmt == FM_PATCH_YAML ? patch_yaml(&yp, edits, n) : patch_k8s(&yp, data, len, k8s_doc, edits, n);
		dom_release(&yp.m);
	}
	fm_buf nb = FM_BUF_INIT;
	if (!rc) {
		rc = redits_apply(data, len, &r, &nb);
		if (rc == 1)
			rc = fm_diag_set(d, FM_EINVAL, path, 0, 0, NULL, "refusing the edit: two changes touch the same text");
		else if (rc)
			rc = fm_diag_set(d, FM_ENOMEM, path, 0, 0, NULL, "out of memory");
	}
	redits_release(&r);
	if (!rc)
		rc = verify(fmt, path, data, len, nb.data ? nb.data : "", nb.len, k8s_doc, edits, n, d);
	if (!rc && nb.len && fm_buf_add(out, nb.data, nb.len))
		rc = fm_diag_set(d, FM_ENOMEM, path, 0, 0, NULL, "out of memory");
	fm_buf_release(&nb);
	return rc;
}

/* ---- unified diff ------------------------------------------------------------------------ */

typedef struct dline {
	const char *p;
	size_t n; /* with its terminator */
} dline;

static int split_lines(const char *s, size_t len, dline **out, size_t *nout)
{
	size_t n = 0, cap = 0;
	dline *v = NULL;
	for (size_t pos = 0; pos < len;) {
		size_t nx = line_next(s, len, pos);
		if (n == cap) {
			size_t nc = cap ? cap * 2 : 64;
			dline *nv = realloc(v, nc * sizeof(*nv));
			if (!nv) {
				free(v);
				return FM_ENOMEM;
			}
			v = nv;
			cap = nc;
		}
		v[n++] = (dline){s + pos, nx - pos};
		pos = nx;
	}
	*out = v;
	*nout = n;
	return FM_OK;
}

static bool dl_eq(const dline *a, const dline *b)
{
	return a->n == b->n && memcmp(a->p, b->p, a->n) == 0;
}

#define DIFF_MAX_D 20000

/* Myers' O(ND) greedy search over a[0..N) vs b[0..M); keeps only the
 * diagonals -d..d of each round, so memory is O(D^2). Marks deleted a
 * lines and inserted b lines. */
static int myers(const dline *a, size_t N, const dline *b, size_t M, bool *adel, bool *bins)
{
	long **V = NULL;
	long D = -1;
	int rc = FM_OK;
	size_t maxd = N + M;
	if (maxd > DIFF_MAX_D)
		maxd = DIFF_MAX_D;
	V = calloc(maxd + 1, sizeof(*V));
	if (!V)
		return FM_ENOMEM;
	for (long d = 0; d <= (long)maxd && D < 0; d++) {
		V[d] = malloc((size_t)(2 * d + 1) * sizeof(long));
		if (!V[d]) {
			rc = FM_ENOMEM;
			break;
		}
		for (long k = -d; k <= d; k += 2) {
			long x;
			if (d == 0)
				x = 0;
			else if (k == -d || (k != d && V[d - 1][k - 1 + d - 1] < V[d - 1][k + 1 + d - 1]))
				x = V[d - 1][k + 1 + d - 1];
			else
				x = V[d - 1][k - 1 + d - 1] + 1;
			long y = x - k;
			while (x < (long)N && y < (long)M && dl_eq(&a[x], &b[y]))
				x++, y++;
			V[d][k + d] = x;
			if (x >= (long)N && y >= (long)M) {
				D = d;
				break;
			}
		}
	}
	if (!rc && D < 0)
		rc = FM_ETOOBIG;
	if (!rc) {
		long x = (long)N, y = (long)M;
		for (long d = D; d > 0; d--) {
			long k = x - y, pk;
			if (k == -d || (k != d && V[d - 1][k - 1 + d - 1] < V[d - 1][k + 1 + d - 1]))
				pk = k + 1;
			else
				pk = k - 1;
			long px = V[d - 1][pk + d - 1], py = px - pk;
			if (pk == k + 1)
				bins[py] = true; /* down: b[py] inserted */
			else
				adel[px] = true; /* right: a[px] deleted */
			x = px;
			y = py;
		}
	}
	for (size_t d = 0; d <= maxd; d++)
		free(V[d]);
	free(V);
	return rc;
}

typedef struct dop {
	char t; /* ' ', '-', '+' */
	size_t ai, bi;
} dop;

static int emit_line(fm_buf *out, char t, const dline *l)
{
	int rc = fm_buf_addc(out, t);
	rc = rc ? rc : fm_buf_add(out, l->p, l->n);
	if (!rc && (l->n == 0 || (l->p[l->n - 1] != '\n' && l->p[l->n - 1] != '\r')))
		rc = fm_buf_adds(out, "\n\\ No newline at end of file\n");
	return rc;
}

static int range_hdr(fm_buf *out, char sign, size_t start, size_t count)
{
	if (count == 1)
		return fm_buf_addf(out, "%c%zu", sign, start + 1);
	return fm_buf_addf(out, "%c%zu,%zu", sign, count ? start + 1 : start, count);
}

int fm_diff_unified(fm_buf *out, const char *name, const char *a, size_t alen, const char *b, size_t blen)
{
	if (alen == blen && (alen == 0 || memcmp(a, b, alen) == 0))
		return FM_OK;
	dline *A = NULL, *B = NULL;
	size_t N = 0, M = 0;
	bool *adel = NULL, *bins = NULL;
	dop *ops = NULL;
	int rc = split_lines(a, alen, &A, &N);
	if (!rc)
		rc = split_lines(b, blen, &B, &M);
	if (rc)
		goto out;
	adel = calloc(N + 1, 1);
	bins = calloc(M + 1, 1);
	ops = calloc(N + M + 1, sizeof(*ops));
	if (!adel || !bins || !ops) {
		rc = FM_ENOMEM;
		goto out;
	}
	/* config edits are local: the common head and tail never enter the
	 * search, which keeps it cheap on big files */
	size_t pre = 0, suf = 0;
	while (pre < N && pre < M && dl_eq(&A[pre], &B[pre]))
		pre++;
	while (suf < N - pre && suf < M - pre && dl_eq(&A[N - 1 - suf], &B[M - 1 - suf]))
		suf++;
	/* an empty side has no line array at all: no pointer arithmetic on it */
	rc = myers(N ? A + pre : NULL, N - pre - suf, M ? B + pre : NULL, M - pre - suf, adel + pre, bins + pre);
	if (rc)
		goto out;
	/* the edit script in file order: within a change, deletions first */
	size_t no = 0;
	for (size_t i = 0, j = 0; i < N || j < M;) {
		if (i < N && adel[i])
			ops[no++] = (dop){'-', i++, j};
		else if (j < M && bins[j])
			ops[no++] = (dop){'+', i, j++};
		else
			ops[no++] = (dop){' ', i++, j++};
	}
	const char *nm = name ? name : "config";
	while (*nm == '/')
		nm++;
	rc = fm_buf_addf(out, "--- a/%s\n+++ b/%s\n", nm, nm);
	enum { CTX = 3 };
	for (size_t i = 0; i < no && !rc;) {
		if (ops[i].t == ' ') {
			i++;
			continue;
		}
		/* a hunk: from CTX before this change to CTX after the last change
		 * that is no more than 2*CTX unchanged lines from the previous one */
		size_t hs = i > CTX ? i - CTX : 0, he = i;
		for (size_t j = i; j < no; j++) {
			if (ops[j].t != ' ') {
				he = j + 1;
				continue;
			}
			if (j - he >= 2 * CTX)
				break;
		}
		size_t hend = he + CTX < no ? he + CTX : no;
		size_t ac = 0, bc = 0;
		for (size_t j = hs; j < hend; j++) {
			ac += ops[j].t != '+';
			bc += ops[j].t != '-';
		}
		rc = fm_buf_adds(out, "@@ ");
		rc = rc ? rc : range_hdr(out, '-', ops[hs].ai, ac);
		rc = rc ? rc : fm_buf_addc(out, ' ');
		rc = rc ? rc : range_hdr(out, '+', ops[hs].bi, bc);
		rc = rc ? rc : fm_buf_adds(out, " @@\n");
		for (size_t j = hs; j < hend && !rc; j++)
			rc = emit_line(out, ops[j].t, ops[j].t == '+' ? &B[ops[j].bi] : &A[ops[j].ai]);
		i = hend;
	}
out:
	free(A);
	free(B);
	free(adel);
	free(bins);
	free(ops);
	return rc;
}
