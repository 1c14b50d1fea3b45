/* conf_embed — Flink configurations inside ConfigMaps and Helm values; see
 * include/flinkmem/conf_embed.h. libyaml's document API: a walk that is
 * bounded in depth and in nodes visited, since aliases can make a tree of
 * a few bytes look exponentially large (or cyclic). */
#include "flinkmem/conf_embed.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "flinkmem/buf.h"

#define MAX_DEPTH 32
#define MAX_VISITS 100000

static bool line_starts(const char *data, size_t len, const char *word)
{
	size_t n = strlen(word);
	for (size_t i = 0; i + n <= len;) {
		if (!memcmp(data + i, word, n))
			return true;
		const char *nl = memchr(data + i, '\n', len - i);
		if (!nl)
			break;
		i = (size_t)(nl - data) + 1;
	}
	return false;
}

/* Whether s occurs as a mapping key: the name, a closing quote perhaps,
 * blanks (a complex key's line break too), then ':'. A mere mention, as in
 * a comment "# flink-conf.yaml for ...", costs no YAML parse. */
static bool has_key(const char *data, size_t len, const char *s)
{
	size_t n = strlen(s);
	for (const char *p = data, *end = data + len; (p = memmem(p, (size_t)(end - p), s, n)) != NULL; p++) {
		const char *q = p + n;
		if (q < end && (*q == '"' || *q == '\''))
			q++;
		while (q < end && (*q == ' ' || *q == '\t' || *q == '\r' || *q == '\n'))
			q++;
		if (q < end && *q == ':')
			return true;
	}
	return false;
}

bool fm_embedded_maybe(const char *data, size_t len)
{
	return has_key(data, len, "config.yaml") || has_key(data, len, "flink-conf.yaml") ||
	       (line_starts(data, len, "kind:") && line_starts(data, len, "apiVersion:"));
}

typedef struct walk {
	const char *file, *data;
	size_t len;
	yaml_document_t *doc;
	fm_embedded *e;
	fm_diag *d;
	const char *kind, *name; /* of the document, when a Kubernetes object */
	const char *path[MAX_DEPTH];
	size_t visits;
	int rc;
} walk;

static const char *scalar(const yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

static const yaml_node_t *get(yaml_document_t *doc, const yaml_node_t *map, const char *key)
{
	if (!map || map->type != YAML_MAPPING_NODE)
		return NULL;
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		const char *k = scalar(yaml_document_get_node(doc, p->key));
		if (k && !strcmp(k, key))
			return yaml_document_get_node(doc, p->value);
	}
	return NULL;
}

/* The file with only the lines of a literal block scalar kept. */
static int blank_copy(walk *w, const yaml_node_t *v, fm_embedded_file *out)
{
	size_t first = v->start_mark.line + 1; /* 0-based; the '|' is on start_mark's line */
	size_t last = v->end_mark.column ? v->end_mark.line : v->end_mark.line - 1;
	char *t = malloc(w->len + 1);
	if (!t)
		return FM_ENOMEM;
	size_t o = 0, ln = 0;
	for (size_t i = 0; i < w->len;) {
		const char *nl = memchr(w->data + i, '\n', w->len - i);
		size_t e = nl ? (size_t)(nl - w->data) : w->len;
		if (ln >= first && ln <= last) {
			memcpy(t + o, w->data + i, e - i);
			o += e - i;
		}
		if (nl)
			t[o++] = '\n';
		i = e + 1;
		ln++;
	}
	t[o] = '\0';
	out->text = t;
	out->len = o;
	return FM_OK;
}

static int found(walk *w, const yaml_node_t *k, const yaml_node_t *v, fm_embedded_file *slot, const char *key,
		 size_t depth)
{
	if (slot->text) {
		w->e->more++;
		return FM_OK;
	}
	fm_diag_release(w->d);
	if (v->type != YAML_SCALAR_NODE || v->data.scalar.style != YAML_LITERAL_SCALAR_STYLE)
		return fm_diag_set(w->d, FM_EINVAL, w->file, (uint32_t)k->start_mark.line + 1,
				   (uint32_t)k->start_mark.column + 1, key,
				   "an embedded %s that is not a literal block (write it as `%s: |` followed by the indented file)",
				   key, key);
	int rc = blank_copy(w, v, slot);
	if (rc != FM_OK)
		return rc;
	slot->line = (uint32_t)k->start_mark.line + 1;
	slot->col = (uint32_t)k->start_mark.column + 1;
	fm_buf where = FM_BUF_INIT;
	rc = w->kind ? fm_buf_addf(&where, "%s '%s' ", w->kind, w->name ? w->name : "?") : FM_OK;
	for (size_t i = 0; i < depth && !rc; i++)
		rc = fm_buf_addf(&where, "%s.", w->path[i]);
	rc = rc || fm_buf_adds(&where, key);
	slot->where = rc ? NULL : fm_buf_detach(&where, NULL);
	fm_buf_release(&where);
	return slot->where ? FM_OK : FM_ENOMEM;
}

/* Every mapping key named config.yaml or flink-conf.yaml under n. */
static int search(walk *w, const yaml_node_t *n, size_t depth)
{
	if (!n || n->type != YAML_MAPPING_NODE || depth >= MAX_DEPTH || ++w->visits > MAX_VISITS)
		return FM_OK;
	for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
		const yaml_node_t *k = yaml_document_get_node(w->doc, p->key);
		const yaml_node_t *v = yaml_document_get_node(w->doc, p->value);
		const char *key = scalar(k);
		if (!key || !v)
			continue;
		int rc = FM_OK;
		if (!strcmp(key, "config.yaml"))
			rc = found(w, k, v, &w->e->yaml, key, depth);
		else if (!strcmp(key, "flink-conf.yaml"))
			rc = found(w, k, v, &w->e->flat, key, depth);
		else {
			w->path[depth] = key;
			rc = search(w, v, depth + 1);
		}
		if (rc != FM_OK)
			return rc;
	}
	return FM_OK;
}

/* One document: a ConfigMap's data, else anywhere (Helm values). */
static int one_doc(walk *w)
{
	const yaml_node_t *root = yaml_document_get_root_node(w->doc);
	if (!root || root->type != YAML_MAPPING_NODE)
		return FM_OK;
	const yaml_node_t *api = get(w->doc, root, "apiVersion"), *kind = get(w->doc, root, "kind");
	w->kind = api && scalar(kind) ? scalar(kind) : NULL;
	w->name = scalar(get(w->doc, get(w->doc, root, "metadata"), "name"));
	bool had = w->e->flat.text || w->e->yaml.text;
	int rc;
	if (w->kind && !strcmp(w->kind, "ConfigMap")) {
		w->path[0] = "data";
		rc = search(w, get(w->doc, root, "data"), 1);
	} else {
		rc = search(w, root, 0);
	}
	if (rc == FM_OK && w->kind && !had && !w->e->flat.text && !w->e->yaml.text && !w->e->other_kind) {
		if (!(w->e->other_kind = strdup(w->kind)))
			return FM_ENOMEM;
		w->e->other_line = (uint32_t)kind->start_mark.line + 1;
		w->e->other_col = (uint32_t)kind->start_mark.column + 1;
	}
	return rc;
}

int fm_embedded_find(const char *file, const char *data, size_t len, fm_embedded *e, fm_diag *d)
{
	*e = (fm_embedded){0};
	yaml_parser_t parser;
	if (!yaml_parser_initialize(&parser))
		return FM_ENOMEM;
	yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
	walk w = {.file = file, .data = data, .len = len, .e = e, .d = d};
	int rc = FM_OK;
	for (;;) {
		yaml_document_t doc;
		if (!yaml_parser_load(&parser, &doc)) {
			if (parser.error == YAML_MEMORY_ERROR)
				rc = FM_ENOMEM;
			break; /* a syntax error: the config parser reports it */
		}
		if (!yaml_document_get_root_node(&doc)) {
			yaml_document_delete(&doc);
			break;
		}
		w.doc = &doc;
		rc = one_doc(&w);
		yaml_document_delete(&doc);
		if (rc != FM_OK)
			break;
	}
	yaml_parser_delete(&parser);
	if (e->flat.text || e->yaml.text) {
		free(e->other_kind);
		e->other_kind = NULL;
	}
	return rc;
}

static void file_release(fm_embedded_file *f)
{
	free(f->text);
	free(f->where);
	*f = (fm_embedded_file){0};
}

void fm_embedded_release(fm_embedded *e)
{
	if (!e)
		return;
	file_release(&e->flat);
	file_release(&e->yaml);
	free(e->other_kind);
	*e = (fm_embedded){0};
}
