/* inputs — kind detection and flattening of structured inputs; see
 * include/flinkmem/inputs.h. */
#include "flinkmem/inputs.h"

#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#define DEPTH_MAX 64

const char *fm_input_kind_name(fm_input_kind k)
{
	static const char *n[] = {"log", "gzip log", "kubectl describe", "JSON", "YAML", "empty"};
	return k <= FM_IN_EMPTY ? n[k] : "log";
}

static bool starts(const char *p, const char *end, const char *s)
{
	size_t m = strlen(s);
	return (size_t)(end - p) >= m && memcmp(p, s, m) == 0;
}

fm_input_kind fm_input_detect(const char *peek, size_t n)
{
	const unsigned char *u = (const unsigned char *)peek;
	if (n >= 2 && u[0] == 0x1f && u[1] == 0x8b)
		return FM_IN_GZIP;
	const char *p = peek, *end = peek + n;
	if (n >= 3 && u[0] == 0xef && u[1] == 0xbb && u[2] == 0xbf)
		p += 3;
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
		p++;
	if (p == end)
		return FM_IN_EMPTY;
	if (*p == '{' || *p == '[')
		return FM_IN_JSON;
	/* YAML documents: the first non-comment line is a k8s object key or a document start */
	const char *q = p;
	while (q < end && *q == '#') {
		const char *nl = memchr(q, '\n', (size_t)(end - q));
		if (!nl)
			break;
		q = nl + 1;
	}
	if (starts(q, end, "apiVersion:") || starts(q, end, "kind:") || starts(q, end, "---") ||
	    starts(q, end, "metadata:") || starts(q, end, "items:"))
		return FM_IN_YAML;
	/* describe text: "Name:" at a line start and "Namespace:" soon after */
	if (starts(p, end, "Name:")) {
		for (const char *r = p; r < end; r++)
			if (r[0] == '\n' && starts(r + 1, end, "Namespace:"))
				return FM_IN_DESCRIBE;
	}
	return FM_IN_LOG;
}

/* ---- flattening ----------------------------------------------------------- */

typedef struct walker {
	yaml_document_t *doc;
	fm_unit *u;
	char path[512];
	size_t plen;
	const char *prefix; /* timestamp prefix for each line, "" when none */
	size_t limit;       /* synthetic byte budget */
	int rc;
} walker;

static int add_line(walker *w, const char *val, size_t n, uint64_t src)
{
	fm_unit *u = w->u;
	if (u->nlines == u->cap) {
		size_t nc = u->cap ? u->cap * 2 : 64;
		uint64_t *nv = realloc(u->src, nc * sizeof *nv);
		if (!nv)
			return FM_ENOMEM;
		u->src = nv;
		u->cap = nc;
	}
	if (u->text.len + n + w->plen + 64 > w->limit)
		return FM_ETOOBIG;
	int rc = FM_OK;
	if (w->prefix[0])
		rc = fm_buf_adds(&u->text, w->prefix) || fm_buf_addc(&u->text, ' ');
	if (!rc && w->plen)
		rc = fm_buf_add(&u->text, w->path, w->plen) || fm_buf_add(&u->text, ": ", 2);
	/* a NUL or newline inside a value would break the line structure */
	for (size_t i = 0; i < n && !rc; i++)
		rc = fm_buf_addc(&u->text, val[i] == '\0' || val[i] == '\n' || val[i] == '\r' ? ' ' : val[i]);
	if (!rc)
		rc = fm_buf_addc(&u->text, '\n');
	if (rc)
		return rc == FM_ETOOBIG ? FM_ETOOBIG : FM_ENOMEM;
	u->src[u->nlines++] = src;
	return FM_OK;
}

/* A scalar: the first line with its key path, following lines bare (stack
 * traces keep their "Caused by:" shape). */
static int emit_scalar(walker *w, yaml_node_t *node)
{
	const char *v = (const char *)node->data.scalar.value;
	size_t n = node->data.scalar.length;
	uint64_t line = node->start_mark.line + 1;
	bool block = node->data.scalar.style == YAML_LITERAL_SCALAR_STYLE ||
		     node->data.scalar.style == YAML_FOLDED_SCALAR_STYLE;
	size_t saved = w->plen;
	size_t start = 0, k = 0;
	for (size_t i = 0; i <= n; i++) {
		if (i < n && v[i] != '\n')
			continue;
		uint64_t src = block ? line + 1 + k : line;
		int rc = add_line(w, v + start, i - start, src);
		if (rc)
			return rc;
		w->plen = 0; /* continuation lines carry no path */
		start = i + 1;
		k++;
		if (i + 1 == n)
			break;
	}
	w->plen = saved;
	return FM_OK;
}

static int walk(walker *w, yaml_node_t *node, int depth)
{
	if (!node || depth > DEPTH_MAX)
		return FM_OK;
	switch (node->type) {
	case YAML_SCALAR_NODE:
		return emit_scalar(w, node);
	case YAML_SEQUENCE_NODE:
		for (yaml_node_item_t *it = node->data.sequence.items.start; it < node->data.sequence.items.top; it++) {
			int rc = walk(w, yaml_document_get_node(w->doc, *it), depth + 1);
			if (rc)
				return rc;
		}
		return FM_OK;
	case YAML_MAPPING_NODE:
		for (yaml_node_pair_t *pr = node->data.mapping.pairs.start; pr < node->data.mapping.pairs.top; pr++) {
			yaml_node_t *k = yaml_document_get_node(w->doc, pr->key);
			if (!k || k->type != YAML_SCALAR_NODE)
				continue;
			size_t saved = w->plen;
			size_t kl = k->data.scalar.length;
			if (w->plen + kl + 1 < sizeof w->path) {
				if (w->plen)
					w->path[w->plen++] = '.';
				memcpy(w->path + w->plen, k->data.scalar.value, kl);
				w->plen += kl;
			}
			int rc = walk(w, yaml_document_get_node(w->doc, pr->value), depth + 1);
			w->plen = saved;
			if (rc)
				return rc;
		}
		return FM_OK;
	default:
		return FM_OK;
	}
}

static yaml_node_t *get(yaml_document_t *d, yaml_node_t *m, const char *key)
{
	if (!m || m->type != YAML_MAPPING_NODE)
		return NULL;
	for (yaml_node_pair_t *pr = m->data.mapping.pairs.start; pr < m->data.mapping.pairs.top; pr++) {
		yaml_node_t *k = yaml_document_get_node(d, pr->key);
		if (k && k->type == YAML_SCALAR_NODE && k->data.scalar.length == strlen(key) &&
		    !memcmp(k->data.scalar.value, key, k->data.scalar.length))
			return yaml_document_get_node(d, pr->value);
	}
	return NULL;
}

static const char *sval(yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

static fm_process proc_of(const char *s)
{
	if (!s)
		return FM_PROC_UNKNOWN;
	if (strstr(s, "taskmanager") || strstr(s, "taskexecutor"))
		return FM_PROC_TM;
	if (strstr(s, "jobmanager"))
		return FM_PROC_JM;
	return FM_PROC_UNKNOWN;
}

static int new_unit(fm_units *out, fm_unit **u)
{
	fm_unit *nv = realloc(out->v, (out->n + 1) * sizeof *nv);
	if (!nv)
		return FM_ENOMEM;
	out->v = nv;
	*u = &out->v[out->n++];
	**u = (fm_unit){0};
	return FM_OK;
}

static int flatten_unit(yaml_document_t *d, yaml_node_t *node, fm_units *out, size_t limit)
{
	fm_unit *u;
	if (new_unit(out, &u))
		return FM_ENOMEM;
	const char *kind = sval(get(d, node, "kind"));
	yaml_node_t *meta = get(d, node, "metadata");
	const char *name = sval(get(d, meta, "name"));
	const char *component = sval(get(d, get(d, meta, "labels"), "component"));
	const char *what = kind ? kind : "document";
	const char *stamp = NULL;
	if (get(d, node, "root-exception") || get(d, node, "exceptionHistory") || get(d, node, "all-exceptions")) {
		what = "Flink REST exceptions";
		u->proc = FM_PROC_TM; /* job exceptions are task failures unless a hint names the JobManager */
	}
	if (kind && !strcmp(kind, "Event")) {
		yaml_node_t *io = get(d, node, "involvedObject");
		name = sval(get(d, io, "name"));
		stamp = sval(get(d, node, "lastTimestamp"));
		if (!stamp)
			stamp = sval(get(d, node, "eventTime"));
		if (!stamp)
			stamp = sval(get(d, node, "firstTimestamp"));
	}
	if (kind && (!strcmp(kind, "Pod") || !strcmp(kind, "Event") || !strcmp(kind, "FlinkDeployment") ||
		     !strcmp(kind, "Deployment")))
		u->platform = FM_PLAT_K8S;
	if (component && u->proc == FM_PROC_UNKNOWN)
		u->proc = proc_of(component);
	if (u->proc == FM_PROC_UNKNOWN)
		u->proc = proc_of(name);
	if ((name && !(u->instance = strdup(name))) || !(u->what = strdup(what)))
		return FM_ENOMEM;
	char prefix[40] = "";
	if (stamp && strlen(stamp) < sizeof prefix)
		memcpy(prefix, stamp, strlen(stamp) + 1);
	walker w = {d, u, {0}, 0, prefix, limit, 0};
	return walk(&w, node, 0);
}

int fm_input_flatten(const char *data, size_t len, const char *name, fm_units *out, fm_diag *d)
{
	*out = (fm_units){0};
	if (len > FM_STRUCT_MAX)
		return fm_diag_set(d, FM_ETOOBIG, name, 0, 0, NULL, "structured input larger than %zu bytes",
				   (size_t)FM_STRUCT_MAX);
	yaml_parser_t parser;
	if (!yaml_parser_initialize(&parser))
		return fm_diag_set(d, FM_ENOMEM, name, 0, 0, NULL, "out of memory");
	yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
	size_t limit = len * 4 + 4096;
	int rc = FM_OK;
	for (;;) {
		yaml_document_t doc;
		if (!yaml_parser_load(&parser, &doc)) {
			rc = fm_diag_set(d, FM_ESYNTAX, name, (uint32_t)parser.problem_mark.line + 1,
					 (uint32_t)parser.problem_mark.column + 1, NULL, "not valid JSON/YAML: %s",
					 parser.problem ? parser.problem : "parse error");
			break;
		}
		yaml_node_t *root = yaml_document_get_root_node(&doc);
		if (!root) {
			yaml_document_delete(&doc);
			break;
		}
		yaml_node_t *items = get(&doc, root, "items");
		if (items && items->type == YAML_SEQUENCE_NODE) {
			for (yaml_node_item_t *it = items->data.sequence.items.start; it < items->data.sequence.items.top && !rc;
			     it++)
				rc = flatten_unit(&doc, yaml_document_get_node(&doc, *it), out, limit);
		} else if (root->type == YAML_SEQUENCE_NODE) {
			for (yaml_node_item_t *it = root->data.sequence.items.start; it < root->data.sequence.items.top && !rc;
			     it++)
				rc = flatten_unit(&doc, yaml_document_get_node(&doc, *it), out, limit);
		} else {
			rc = flatten_unit(&doc, root, out, limit);
		}
		yaml_document_delete(&doc);
		if (rc) {
			rc = fm_diag_set(d, rc, name, 0, 0, NULL, rc == FM_ETOOBIG ? "structured input expands too much"
										 : "out of memory");
			break;
		}
	}
	yaml_parser_delete(&parser);
	if (rc)
		fm_units_release(out);
	return rc;
}

void fm_units_release(fm_units *u)
{
	if (!u)
		return;
	for (size_t i = 0; i < u->n; i++) {
		free(u->v[i].instance);
		free(u->v[i].what);
		fm_buf_release(&u->v[i].text);
		free(u->v[i].src);
	}
	free(u->v);
	*u = (fm_units){0};
}
