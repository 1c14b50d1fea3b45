/* conf_k8s — FlinkDeployment custom resources and the configuration the
 * Flink Kubernetes operator derives from them; see conf_k8s.h.
 *
 * Operator rules reproduced here, from apache/flink-kubernetes-operator
 * (FlinkConfigBuilder.java at 6fd4d0ff, the newest stored version of the
 * released builder; api/spec/ *.java at the commits named below):
 *  - buildFrom(): applyFlinkConfiguration() (spec.flinkConfiguration via
 *    Configuration.setString, i.e. every value a String) runs before
 *    applyJobManagerSpec() and applyTaskManagerSpec(), so resource.memory
 *    and resource.cpu override flinkConfiguration.
 *  - setResource(): memory -> TOTAL_PROCESS_MEMORY.key() through
 *    parseResourceMemoryString(); configureCpu(): cpu -> JOB_MANAGER_CPU /
 *    TASK_MANAGER_CPU .key() ("kubernetes.*.cpu.amount") always, plus the
 *    legacy "kubernetes.*.cpu" key when !flinkVersion.isEqualOrNewer(v1_17).
 *  - parseResourceMemoryString(): MemorySize.parse(m).toString(), and on
 *    IllegalArgumentException Quantity.parse(formatMemoryStringForK8sSpec
 *    (m)).getNumericalAmount() + "" (fabric8 Quantity, kubernetes-client
 *    kubernetes-model-core Quantity.java at 01eb4aea).
 *  - DefaultValidator.validateResources(): rejects a memory whose converted
 *    string MemorySize.parse cannot read: "<Component> resource memory
 *    parse error: <message>".
 *  - ConfigObjectNode.flattenHelper() (newer operators accept nested maps
 *    in flinkConfiguration; api/spec/ConfigObjectNode.java at 9349ea40):
 *    keys joined with '.', a list becomes one value, its items' asText()
 *    joined with ';' (a map or list item gives ""), an empty list no entry;
 *    scalars as text. Null values are dropped (the API server prunes them).
 *    Limitation: scalars keep the YAML text; the API server's JSON may
 *    print numbers differently (0.40 -> 0.4), which Flink reads alike.
 *  - FlinkVersion.java (2e05ee68): enum names vMAJOR_MINOR.
 *  - JobManagerSpec/TaskManagerSpec (225dc39d): JM replicas is an int
 *    defaulting to 1, TM replicas an Integer (null when absent);
 *    Resource.java (822bba57): cpu Double, memory String.
 *
 * YAML: libyaml events into a small DOM (anchors/aliases shared, merge
 * keys `<<` honoured as Kubernetes' go-yaml does), built and dropped one
 * document at a time, with caps on input size, nesting depth, node count,
 * anchors, alias-expanding work and bytes copied out (docs/budgets.md). */
#include "flinkmem/conf_k8s.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

#include "flinkmem/javanum.h"
#include "yaml_anchor.h"

#define MAX_NODES ((size_t)1 << 21)   /* CRs have hundreds; bounds memory */
#define MAX_ANCHORS 1024              /* per document */
#define WORK_BUDGET ((size_t)1 << 22) /* node visits in alias-expanding walks */
#define NOTE_SNIP 80                  /* chars of user text quoted in notes */
#define ENTRY_COST 64                 /* bytes a conf entry costs beyond its text */
#define MAX_CONF_KEYS 65536           /* flinkConfiguration entries of one
					 deployment (aliases can multiply keys) */

#define MAIN_CONTAINER "flink-main-container" /* Constants.MAIN_CONTAINER_NAME */

/* ======================================================================
 * DOM
 * ====================================================================== */

enum { YN_SCALAR = 0, YN_MAP, YN_SEQ };
enum { TAG_NONE = 0, TAG_STR, TAG_NULL, TAG_MERGE, TAG_OTHER };

typedef struct ynode ynode;
struct ynode {
	ynode **kid; /* map: key, value, key, value, ...; seq: items */
	size_t n, cap;
	char *text;  /* scalar, NUL-terminated */
	size_t len;
	uint32_t line, col;
	uint8_t kind;
	uint8_t plain; /* plain scalar style: null/merge resolution applies */
	uint8_t tag;
};

#define NODE_BLOCK 256
typedef struct nblock {
	struct nblock *next;
	size_t used;
	ynode n[NODE_BLOCK];
} nblock;

typedef struct anchor {
	char *name;
	ynode *node;
} anchor;

typedef struct ydom {
	nblock *blocks;
	size_t nnodes;
	anchor *anchors;
	size_t nanchors;
	fm__anchor_map amap; /* name -> index in anchors, the latest */
	size_t aliases; /* alias events read */
} ydom;

typedef struct frame {
	ynode *node;
	char *anchor; /* registered when the container ends (no self-reference) */
} frame;

static void anchors_reset(ydom *dom)
{
	for (size_t i = 0; i < dom->nanchors; i++)
		free(dom->anchors[i].name);
	dom->nanchors = 0;
	fm__anchor_reset(&dom->amap);
}

/* Frees the nodes (one document's: each is read, then dropped). */
static void dom_free(ydom *dom)
{
	nblock *b = dom->blocks;
	while (b) {
		nblock *next = b->next;
		for (size_t i = 0; i < b->used; i++) {
			free(b->n[i].kid);
			free(b->n[i].text);
		}
		free(b);
		b = next;
	}
	dom->blocks = NULL;
	dom->nnodes = 0;
	anchors_reset(dom);
}

static ynode *node_new(ydom *dom)
{
	if (dom->nnodes >= MAX_NODES)
		return NULL;
	if (!dom->blocks || dom->blocks->used == NODE_BLOCK) {
		nblock *b = calloc(1, sizeof(*b));
		if (!b)
			return NULL;
		b->next = dom->blocks;
		dom->blocks = b;
	}
	dom->nnodes++;
	return &dom->blocks->n[dom->blocks->used++];
}

static int node_add(ynode *parent, ynode *child)
{
	if (parent->n == parent->cap) {
		size_t ncap = parent->cap ? parent->cap * 2 : 4;
		ynode **nk = realloc(parent->kid, ncap * sizeof(*nk));
		if (!nk)
			return FM_ENOMEM;
		parent->kid = nk;
		parent->cap = ncap;
	}
	parent->kid[parent->n++] = child;
	return FM_OK;
}

static uint8_t tag_of(const yaml_char_t *tag)
{
	if (!tag)
		return TAG_NONE;
	const char *t = (const char *)tag;
	/* "!" is the non-specific tag of a quoted/flagged scalar: a string. */
	if (strcmp(t, "!") == 0 || strcmp(t, YAML_STR_TAG) == 0)
		return TAG_STR;
	if (strcmp(t, YAML_NULL_TAG) == 0)
		return TAG_NULL;
	if (strcmp(t, "tag:yaml.org,2002:merge") == 0)
		return TAG_MERGE;
	return TAG_OTHER;
}

static const char *shown(const char *path)
{
	return path ? path : "<input>";
}

static int syntax_error(const yaml_parser_t *p, const char *path, fm_diag *d)
{
	if (p->error == YAML_MEMORY_ERROR)
		return fm_diag_set(d, FM_ENOMEM, path, 0, 0, NULL, "out of memory reading YAML");
	uint32_t line = (uint32_t)p->problem_mark.line + 1;
	uint32_t col = (uint32_t)p->problem_mark.column + 1;
	const char *problem = p->problem ? p->problem : "malformed YAML";
	if (p->context) {
		return fm_diag_set(d, FM_ESYNTAX, path, line, col, NULL,
				   "%s:%u:%u: YAML syntax error: %s %s (line %u, column %u)",
				   shown(path), line, col, p->context, problem,
				   (unsigned)p->context_mark.line + 1,
				   (unsigned)p->context_mark.column + 1);
	}
	return fm_diag_set(d, FM_ESYNTAX, path, line, col, NULL, "%s:%u:%u: YAML syntax error: %s",
			   shown(path), line, col, problem);
}

static int register_anchor(ydom *dom, const char *path, const yaml_mark_t *m, char *name,
			   ynode *node, fm_diag *d)
{
	if (dom->nanchors == MAX_ANCHORS) {
		free(name);
		return fm_diag_set(d, FM_ETOOBIG, path, (uint32_t)m->line + 1,
				   (uint32_t)m->column + 1, NULL,
				   "%s:%u:%u: more than %d YAML anchors in one document", shown(path),
				   (unsigned)m->line + 1, (unsigned)m->column + 1, MAX_ANCHORS);
	}
	if (!dom->anchors) {
		dom->anchors = malloc(MAX_ANCHORS * sizeof(*dom->anchors));
		if (!dom->anchors) {
			free(name);
			return fm_diag_set(d, FM_ENOMEM, path, 0, 0, NULL, "out of memory");
		}
	}
	if (fm__anchor_put(&dom->amap, name, dom->nanchors)) {
		free(name);
		return fm_diag_set(d, FM_ENOMEM, path, 0, 0, NULL, "out of memory");
	}
	dom->anchors[dom->nanchors++] = (anchor){name, node};
	return FM_OK;
}

/* The node an alias names: the latest complete definition (YAML lets an
 * anchor be redefined). */
static ynode *find_anchor(const ydom *dom, const char *name)
{
	size_t i = fm__anchor_get(&dom->amap, name);
	return i == SIZE_MAX ? NULL : dom->anchors[i].node;
}

/* Called with each document's root (NULL when empty) and 0-based index;
 * the nodes are freed when it returns. Returns FM_OK or an error code. */
typedef int (*doc_fn)(void *ctx, const ydom *dom, const ynode *root, size_t index);

typedef struct builder {
	ydom *dom;
	doc_fn on_doc;
	void *ctx;
	const char *path;
	fm_diag *d;
	frame stack[FM_K8S_MAX_DEPTH + 1];
	size_t depth;
	ynode *root;
	bool have_root;
	size_t doc_index;
} builder;

static int attach(builder *b, ynode *n)
{
	if (b->depth == 0) {
		b->root = n;
		b->have_root = true;
		return FM_OK;
	}
	if (node_add(b->stack[b->depth - 1].node, n) != FM_OK)
		return fm_diag_set(b->d, FM_ENOMEM, b->path, 0, 0, NULL, "out of memory");
	return FM_OK;
}

static int too_many_nodes(builder *b, const yaml_mark_t *m)
{
	if (b->dom->nnodes >= MAX_NODES)
		return fm_diag_set(b->d, FM_ETOOBIG, b->path, (uint32_t)m->line + 1,
				   (uint32_t)m->column + 1, NULL,
				   "%s:%u:%u: more than %zu YAML nodes", shown(b->path),
				   (unsigned)m->line + 1, (unsigned)m->column + 1, MAX_NODES);
	return fm_diag_set(b->d, FM_ENOMEM, b->path, 0, 0, NULL, "out of memory");
}

static char *dup_anchor(const yaml_char_t *a, int *oom)
{
	if (!a)
		return NULL;
	char *s = strdup((const char *)a);
	if (!s)
		*oom = 1;
	return s;
}

static int on_event(builder *b, const yaml_event_t *ev)
{
	const yaml_mark_t *m = &ev->start_mark;
	uint32_t line = (uint32_t)m->line + 1, col = (uint32_t)m->column + 1;
	int oom = 0;
	switch (ev->type) {
	case YAML_DOCUMENT_START_EVENT:
		/* Anchors are scoped to their document. */
		anchors_reset(b->dom);
		b->root = NULL;
		b->have_root = false;
		return FM_OK;
	case YAML_DOCUMENT_END_EVENT: {
		/* Read the document, then drop its nodes: memory is bounded by
		 * the largest document, not the file. */
		int rc = b->on_doc(b->ctx, b->dom, b->have_root ? b->root : NULL, b->doc_index++);
		dom_free(b->dom);
		b->root = NULL;
		b->have_root = false;
		return rc;
	}
	case YAML_ALIAS_EVENT: {
		ynode *target = find_anchor(b->dom, (const char *)ev->data.alias.anchor);
		b->dom->aliases++;
		if (!target)
			return fm_diag_set(b->d, FM_ESYNTAX, b->path, line, col, NULL,
					   "%s:%u:%u: YAML syntax error: unknown alias '*%.*s'",
					   shown(b->path), line, col, NOTE_SNIP,
					   (const char *)ev->data.alias.anchor);
		return attach(b, target);
	}
	case YAML_SCALAR_EVENT: {
		ynode *n = node_new(b->dom);
		if (!n)
			return too_many_nodes(b, m);
		n->kind = YN_SCALAR;
		n->line = line;
		n->col = col;
		n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
		n->tag = tag_of(ev->data.scalar.tag);
		n->len = ev->data.scalar.length;
		n->text = malloc(n->len + 1);
		if (!n->text)
			return fm_diag_set(b->d, FM_ENOMEM, b->path, 0, 0, NULL, "out of memory");
		if (n->len)
			memcpy(n->text, ev->data.scalar.value, n->len);
		n->text[n->len] = '\0';
		char *a = dup_anchor(ev->data.scalar.anchor, &oom);
		if (oom)
			return fm_diag_set(b->d, FM_ENOMEM, b->path, 0, 0, NULL, "out of memory");
		int rc = attach(b, n);
		if (rc != FM_OK) {
			free(a);
			return rc;
		}
		return a ? register_anchor(b->dom, b->path, m, a, n, b->d) : FM_OK;
	}
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT: {
		if (b->depth >= FM_K8S_MAX_DEPTH)
			return fm_diag_set(b->d, FM_ETOOBIG, b->path, line, col, NULL,
					   "%s:%u:%u: YAML nested deeper than %d levels", shown(b->path),
					   line, col, FM_K8S_MAX_DEPTH);
		ynode *n = node_new(b->dom);
		if (!n)
			return too_many_nodes(b, m);
		bool map = ev->type == YAML_MAPPING_START_EVENT;
		n->kind = map ? YN_MAP : YN_SEQ;
		n->line = line;
		n->col = col;
		char *a = dup_anchor(map ? ev->data.mapping_start.anchor
					 : ev->data.sequence_start.anchor,
				     &oom);
		if (oom)
			return fm_diag_set(b->d, FM_ENOMEM, b->path, 0, 0, NULL, "out of memory");
		int rc = attach(b, n);
		if (rc != FM_OK) {
			free(a);
			return rc;
		}
		b->stack[b->depth++] = (frame){n, a};
		return FM_OK;
	}
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT: {
		frame f = b->stack[--b->depth];
		return f.anchor ? register_anchor(b->dom, b->path, m, f.anchor, f.node, b->d) : FM_OK;
	}
	default:
		return FM_OK;
	}
}

/* Parses data document by document, handing each to on_doc. */
static int dom_build(ydom *dom, const char *path, const char *data, size_t len, doc_fn on_doc,
		     void *ctx, fm_diag *d)
{
	yaml_parser_t p;
	if (!yaml_parser_initialize(&p))
		return fm_diag_set(d, FM_ENOMEM, path, 0, 0, NULL, "out of memory");
	yaml_parser_set_input_string(&p, (const unsigned char *)data, len);
	builder b;
	memset(&b, 0, sizeof(b));
	b.dom = dom;
	b.on_doc = on_doc;
	b.ctx = ctx;
	b.path = path;
	b.d = d;
	int rc = FM_OK;
	for (;;) {
		yaml_event_t ev;
		if (!yaml_parser_parse(&p, &ev)) {
			rc = syntax_error(&p, path, d);
			break;
		}
		bool end = ev.type == YAML_STREAM_END_EVENT;
		rc = on_event(&b, &ev);
		yaml_event_delete(&ev);
		if (rc != FM_OK || end)
			break;
	}
	while (b.depth > 0)
		free(b.stack[--b.depth].anchor);
	yaml_parser_delete(&p);
	return rc;
}

/* ======================================================================
 * Lookups (alias-expanding walks spend a shared budget)
 * ====================================================================== */

typedef struct kx {
	const char *path;
	fm_diag *d;
	size_t budget; /* node visits */
	size_t bytes, bytes_max; /* bytes copied out of the DOM, see spend_bytes() */
	size_t aliases; /* alias events in the file */
	int err; /* sticky: FM_ENOMEM or FM_ETOOBIG */
	fm_k8s_set *out;
	fm_k8s_doc_fn fn; /* streaming: FlinkDeployments after the first go here */
	void *ctx;
	size_t dcap, jcap;
	size_t nkeys; /* flinkConfiguration entries of the deployment being read */
} kx;

static bool spend(kx *k)
{
	if (k->err)
		return false;
	if (k->budget == 0) {
		k->err = fm_diag_set(k->d, FM_ETOOBIG, k->path, 0, 0, NULL,
				     "%s: YAML aliases expand to too much data", shown(k->path));
		return false;
	}
	k->budget--;
	return true;
}

/* Every byte copied out of the DOM (values, flattened keys, joined
 * lists; an aliased scalar is copied per use) counts against
 * FM_K8S_EXPAND_BASE + FM_K8S_EXPAND_FACTOR * input size, so a small file
 * of aliases cannot make gigabytes of copies. n is the copy's size, at
 * the node (line:col) being copied. */
static bool spend_bytes(kx *k, size_t n, uint32_t line, uint32_t col)
{
	if (k->err)
		return false;
	if (n <= k->bytes_max - k->bytes) {
		k->bytes += n;
		return true;
	}
	k->err = fm_diag_set(k->d, FM_ETOOBIG, k->path, line, col, NULL,
			     "%s:%u:%u: %s exceeds %zu bytes (flinkmem's limit for the values read from the file)",
			     shown(k->path), line, col, k->aliases ? "alias expansion" : "copied text",
			     k->bytes_max);
	return false;
}

static bool is_null(const ynode *n)
{
	if (!n)
		return true;
	if (n->kind != YN_SCALAR)
		return false;
	if (n->tag == TAG_NULL)
		return true;
	if (n->tag != TAG_NONE || !n->plain)
		return false;
	/* YAML's null forms (1.1 and 1.2 core agree on these). */
	static const char *const nulls[] = {"", "~", "null", "Null", "NULL"};
	for (size_t i = 0; i < sizeof(nulls) / sizeof(nulls[0]); i++)
		if (strcmp(n->text, nulls[i]) == 0 && strlen(nulls[i]) == n->len)
			return true;
	return false;
}

static bool is_merge_key(const ynode *k)
{
	return k->kind == YN_SCALAR &&
	       (k->tag == TAG_MERGE || (k->tag == TAG_NONE && k->plain && k->len == 2 &&
					memcmp(k->text, "<<", 2) == 0));
}

static bool scalar_is(const ynode *n, const char *s)
{
	size_t l = strlen(s);
	return n && n->kind == YN_SCALAR && n->len == l && memcmp(n->text, s, l) == 0;
}

/* Value of key in map m (the last duplicate wins, as Jackson's maps do),
 * else from the maps merged in with `<<` (earlier ones first). */
static const ynode *map_get_d(kx *k, const ynode *m, const char *key, const ynode **kn,
			      int depth)
{
	if (!m || m->kind != YN_MAP)
		return NULL;
	const ynode *found = NULL;
	for (size_t i = 0; i + 1 < m->n; i += 2) {
		if (!spend(k))
			return NULL;
		if (!is_merge_key(m->kid[i]) && scalar_is(m->kid[i], key)) {
			found = m->kid[i + 1];
			if (kn)
				*kn = m->kid[i];
		}
	}
	if (found || depth >= FM_K8S_MAX_DEPTH)
		return found;
	for (size_t i = 0; i + 1 < m->n; i += 2) {
		if (!is_merge_key(m->kid[i]))
			continue;
		const ynode *v = m->kid[i + 1];
		if (v->kind == YN_MAP) {
			found = map_get_d(k, v, key, kn, depth + 1);
		} else if (v->kind == YN_SEQ) {
			for (size_t j = 0; j < v->n && !found; j++)
				found = map_get_d(k, v->kid[j], key, kn, depth + 1);
		}
		if (found || k->err)
			return found;
	}
	return NULL;
}

static const ynode *map_get(kx *k, const ynode *m, const char *key, const ynode **kn)
{
	return map_get_d(k, m, key, kn, 0);
}

/* A non-null map value, else NULL. */
static const ynode *get_map(kx *k, const ynode *m, const char *key)
{
	const ynode *v = map_get(k, m, key, NULL);
	return v && v->kind == YN_MAP ? v : NULL;
}

/* ======================================================================
 * Small helpers
 * ====================================================================== */

static char *dupn(const char *s, size_t n)
{
	char *r = malloc(n + 1);
	if (!r)
		return NULL;
	if (n)
		memcpy(r, s, n);
	r[n] = '\0';
	return r;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* A Java int from a decimal integer scalar ("[+-]?digits"), as Jackson
 * reads an int field. */
static bool parse_jint(const char *s, size_t n, int64_t *out)
{
	size_t i = 0;
	bool neg = false;
	if (i < n && (s[i] == '+' || s[i] == '-'))
		neg = s[i++] == '-';
	if (i == n)
		return false;
	int64_t v = 0;
	for (; i < n; i++) {
		if (!is_digit(s[i]))
			return false;
		v = v * 10 + (s[i] - '0');
		if (v > (int64_t)INT32_MAX + 1)
			return false;
	}
	v = neg ? -v : v;
	if (v > INT32_MAX || v < INT32_MIN)
		return false;
	*out = v;
	return true;
}

/* Notes go to the doc being built; an allocation failure is sticky. */
static void note(kx *k, fm_logs *l, const char *level, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void note(kx *k, fm_logs *l, const char *level, const char *fmt, ...)
{
	if (k->err)
		return;
	char *body = NULL;
	va_list ap;
	va_start(ap, fmt);
	int n = vasprintf(&body, fmt, ap);
	va_end(ap);
	if (n < 0 || fm_logs_add(l, level, "%s", body) != FM_OK)
		k->err = fm_diag_set(k->d, FM_ENOMEM, k->path, 0, 0, NULL, "out of memory");
	free(body);
}

/* Reads the scalar at m[key] into v (text NULL when absent or null).
 * Non-scalars are noted and treated as absent. */
static void get_val(kx *k, fm_logs *notes, const ynode *m, const char *key, const char *where,
		    fm_k8s_val *v)
{
	const ynode *kn = NULL;
	const ynode *n = map_get(k, m, key, &kn);
	if (!n || is_null(n) || k->err)
		return;
	if (n->kind != YN_SCALAR) {
		note(k, notes, "WARN", "%s:%u:%u: %s is not a scalar; ignored", shown(k->path),
		     n->line, n->col, where);
		return;
	}
	if (!spend_bytes(k, n->len, n->line, n->col))
		return;
	v->text = dupn(n->text, n->len);
	if (!v->text) {
		k->err = fm_diag_set(k->d, FM_ENOMEM, k->path, 0, 0, NULL, "out of memory");
		return;
	}
	v->len = n->len;
	v->line = n->line;
	v->col = n->col;
	v->key_line = kn ? kn->line : n->line;
	v->key_col = kn ? kn->col : n->col;
}

static void val_release(fm_k8s_val *v)
{
	free(v->text);
	memset(v, 0, sizeof(*v));
}

static void res_release(fm_k8s_res *r)
{
	val_release(&r->req_memory);
	val_release(&r->lim_memory);
	val_release(&r->req_cpu);
	val_release(&r->lim_cpu);
	val_release(&r->req_eph);
	val_release(&r->lim_eph);
}

static void role_release(fm_k8s_role *r)
{
	val_release(&r->memory);
	val_release(&r->cpu);
	val_release(&r->eph);
	val_release(&r->replicas);
	res_release(&r->pod);
	res_release(&r->resources);
}

static void doc_release(fm_k8s_doc *doc)
{
	free(doc->name);
	free(doc->ns);
	val_release(&doc->flink_version_raw);
	free(doc->flink_version);
	fm_conf_free(doc->conf);
	role_release(&doc->jm);
	role_release(&doc->tm);
	res_release(&doc->pod);
	val_release(&doc->parallelism);
	for (size_t i = 0; i < doc->nsession_jobs; i++)
		free(doc->session_jobs[i]);
	free(doc->session_jobs);
	fm_logs_release(&doc->notes);
	memset(doc, 0, sizeof(*doc));
}

static void sjob_release(fm_k8s_sjob *j)
{
	free(j->name);
	free(j->ns);
	free(j->deployment);
	memset(j, 0, sizeof(*j));
}

/* ======================================================================
 * Reading a FlinkDeployment
 * ====================================================================== */

/* Entries of a mapping (0 for anything else). */
static size_t map_len(const ynode *m)
{
	return m && m->kind == YN_MAP ? m->n / 2 : 0;
}

/* requests/limits of a ResourceRequirements map. */
static void read_res(kx *k, fm_logs *notes, const ynode *resources, const char *where,
		     fm_k8s_res *r)
{
	if (!resources)
		return;
	char w[160];
	const ynode *req = get_map(k, resources, "requests");
	const ynode *lim = get_map(k, resources, "limits");
	r->nreq = map_len(req);
	r->nlim = map_len(lim);
	r->line = resources->line;
	r->col = resources->col;
	snprintf(w, sizeof(w), "%s.requests.memory", where);
	get_val(k, notes, req, "memory", w, &r->req_memory);
	snprintf(w, sizeof(w), "%s.limits.memory", where);
	get_val(k, notes, lim, "memory", w, &r->lim_memory);
	snprintf(w, sizeof(w), "%s.requests.cpu", where);
	get_val(k, notes, req, "cpu", w, &r->req_cpu);
	snprintf(w, sizeof(w), "%s.limits.cpu", where);
	get_val(k, notes, lim, "cpu", w, &r->lim_cpu);
	snprintf(w, sizeof(w), "%s.requests.ephemeral-storage", where);
	get_val(k, notes, req, "ephemeral-storage", w, &r->req_eph);
	snprintf(w, sizeof(w), "%s.limits.ephemeral-storage", where);
	get_val(k, notes, lim, "ephemeral-storage", w, &r->lim_eph);
}

/* The flink-main-container of a pod template (Constants.MAIN_CONTAINER_NAME;
 * Flink's decorators set its memory/cpu from the configuration, so what is
 * written here is informational). */
static void read_pod_template(kx *k, fm_logs *notes, const ynode *tpl, const char *where,
			      fm_k8s_res *r)
{
	const ynode *spec = get_map(k, tpl, "spec");
	const ynode *cs = map_get(k, spec, "containers", NULL);
	if (!cs || cs->kind != YN_SEQ)
		return;
	for (size_t i = 0; i < cs->n && !k->err; i++) {
		if (!spend(k))
			return;
		const ynode *c = cs->kid[i];
		if (!scalar_is(map_get(k, c, "name", NULL), MAIN_CONTAINER))
			continue;
		char w[128];
		snprintf(w, sizeof(w), "%s.spec.containers[%zu].resources", where, i);
		read_res(k, notes, get_map(k, c, "resources"), w, r);
		return;
	}
}

static void read_role(kx *k, fm_k8s_doc *doc, const ynode *spec, const char *key,
		      fm_k8s_role *r)
{
	const ynode *kn = NULL;
	const ynode *role = map_get(k, spec, key, &kn);
	/* Java: spec.getJobManager() != null; `jobManager: {}` counts. */
	if (!role || is_null(role))
		return;
	r->present = true;
	r->line = kn ? kn->line : role->line;
	r->col = kn ? kn->col : role->col;
	if (role->kind != YN_MAP) {
		note(k, &doc->notes, "WARN", "%s:%u:%u: spec.%s is not a mapping; ignored",
		     shown(k->path), role->line, role->col, key);
		return;
	}
	char w[96];
	const ynode *res = get_map(k, role, "resource");
	r->has_resource = res != NULL;
	snprintf(w, sizeof(w), "spec.%s.resource.ephemeralStorage", key);
	get_val(k, &doc->notes, res, "ephemeralStorage", w, &r->eph);
	snprintf(w, sizeof(w), "spec.%s.resource.memory", key);
	get_val(k, &doc->notes, res, "memory", w, &r->memory);
	snprintf(w, sizeof(w), "spec.%s.resource.cpu", key);
	get_val(k, &doc->notes, res, "cpu", w, &r->cpu);
	if (r->cpu.text) {
		/* Resource.cpu is a Double: Jackson reads the JSON number the
		 * API server stored (Double.parseDouble of its text). */
		double v;
		if (fm_java_parse_double(r->cpu.text, r->cpu.len, &v) == 0) {
			r->has_cpu = true;
			r->cpu_value = v;
		} else {
			note(k, &doc->notes, "WARN", "%s:%u:%u: spec.%s.resource.cpu '%.*s' is not a number; ignored",
			     shown(k->path), r->cpu.line, r->cpu.col, key, NOTE_SNIP, r->cpu.text);
		}
	}
	snprintf(w, sizeof(w), "spec.%s.replicas", key);
	get_val(k, &doc->notes, role, "replicas", w, &r->replicas);
	if (r->replicas.text) {
		int64_t v;
		if (parse_jint(r->replicas.text, r->replicas.len, &v)) {
			r->has_replicas = true;
			r->replicas_value = v;
		} else {
			note(k, &doc->notes, "WARN", "%s:%u:%u: spec.%s.replicas '%.*s' is not an int; ignored",
			     shown(k->path), r->replicas.line, r->replicas.col, key, NOTE_SNIP,
			     r->replicas.text);
		}
	}
	snprintf(w, sizeof(w), "spec.%s.podTemplate", key);
	read_pod_template(k, &doc->notes, map_get(k, role, "podTemplate", NULL), w, &r->pod);
	snprintf(w, sizeof(w), "spec.%s.resources", key);
	read_res(k, &doc->notes, get_map(k, role, "resources"), w, &r->resources);
}

/* "v1_17" -> "1.17" (FlinkVersion enum names; Jackson matches them exactly). */
static char *version_of(const char *s, size_t n)
{
	if (n < 4 || s[0] != 'v')
		return NULL;
	size_t i = 1, us = 0;
	for (; i < n; i++) {
		if (s[i] == '_' && !us && i > 1)
			us = i;
		else if (!is_digit(s[i]))
			return NULL;
	}
	if (!us || us == n - 1 || us - 1 > 3 || n - us - 1 > 3)
		return NULL;
	char *r = dupn(s + 1, n - 1);
	if (r)
		r[us - 1] = '.';
	return r;
}

/* ConfigObjectNode.flattenHelper into the doc's conf. */
typedef struct flat {
	kx *k;
	fm_k8s_doc *doc;
	fm_buf key;
} flat;

static void flat_put(flat *f, const ynode *kn, const ynode *v)
{
	kx *k = f->k;
	if (memchr(f->key.data ? f->key.data : "", '\0', f->key.len)) {
		note(k, &f->doc->notes, "WARN", "%s:%u:%u: flinkConfiguration key with a NUL byte; ignored",
		     shown(k->path), kn->line, kn->col);
		return;
	}
	if (is_null(v)) {
		note(k, &f->doc->notes, "WARN", "%s:%u:%u: flinkConfiguration '%.*s' is null; ignored",
		     shown(k->path), v->line, v->col, NOTE_SNIP, f->key.data ? f->key.data : "");
		return;
	}
	if (++k->nkeys > MAX_CONF_KEYS) {
		k->err = fm_diag_set(k->d, FM_ETOOBIG, k->path, v->line, v->col, NULL,
				     "%s:%u:%u: flinkConfiguration has more than %d entries", shown(k->path),
				     v->line, v->col, MAX_CONF_KEYS);
		return;
	}
	if (!spend_bytes(k, f->key.len + v->len + ENTRY_COST, kn->line, kn->col))
		return;
	fm_origin at = {f->doc->file, v->line, v->col, FM_SRC_K8S};
	const char *key = f->key.data ? f->key.data : "";
	if (fm_conf_put_at(f->doc->conf, key, f->key.len, v->text, v->len, FM_V_STR, 0, &at,
			   kn->line, kn->col) != FM_OK)
		k->err = fm_diag_set(k->d, FM_ENOMEM, k->path, 0, 0, NULL, "out of memory");
}

static void flatten(flat *f, const ynode *kn, const ynode *v, int depth);

static void flatten_map(flat *f, const ynode *m, int depth)
{
	kx *k = f->k;
	size_t base = f->key.len;
	/* Merged maps first, the later-listed first, so that explicit keys
	 * and earlier merge sources win (last write wins in the conf). */
	for (size_t i = m->n; i >= 2 && !k->err; i -= 2) {
		const ynode *kk = m->kid[i - 2], *vv = m->kid[i - 1];
		if (!is_merge_key(kk))
			continue;
		if (vv->kind == YN_MAP) {
			flatten_map(f, vv, depth + 1);
		} else if (vv->kind == YN_SEQ) {
			for (size_t j = vv->n; j-- > 0 && !k->err;)
				if (vv->kid[j]->kind == YN_MAP)
					flatten_map(f, vv->kid[j], depth + 1);
		}
	}
	for (size_t i = 0; i + 1 < m->n && !k->err; i += 2) {
		const ynode *kk = m->kid[i], *vv = m->kid[i + 1];
		if (!spend(k))
			return;
		if (is_merge_key(kk))
			continue;
		if (kk->kind != YN_SCALAR) {
			note(k, &f->doc->notes, "WARN", "%s:%u:%u: flinkConfiguration key is not a scalar; ignored",
			     shown(k->path), kk->line, kk->col);
			continue;
		}
		f->key.len = base;
		if (base && fm_buf_addc(&f->key, '.') != FM_OK)
			goto oom;
		if (fm_buf_add(&f->key, kk->text, kk->len) != FM_OK)
			goto oom;
		flatten(f, kk, vv, depth + 1);
	}
	f->key.len = base;
	if (f->key.data)
		f->key.data[base] = '\0';
	return;
oom:
	k->err = fm_diag_set(k->d, FM_ENOMEM, k->path, 0, 0, NULL, "out of memory");
}

static void flatten(flat *f, const ynode *kn, const ynode *v, int depth)
{
	kx *k = f->k;
	if (k->err || !spend(k))
		return;
	if (depth > 2 * FM_K8S_MAX_DEPTH) {
		/* Reachable only through aliases of deep maps. */
		k->err = fm_diag_set(k->d, FM_ETOOBIG, k->path, v->line, v->col, NULL,
				     "%s:%u:%u: flinkConfiguration nested too deeply", shown(k->path),
				     v->line, v->col);
		return;
	}
	if (v->kind == YN_SCALAR) {
		flat_put(f, kn, v);
	} else if (v->kind == YN_MAP) {
		flatten_map(f, v, depth);
	} else if (v->n > 0) {
		/* arrayNodeToSemicolonSepratedString: items' asText() joined. */
		fm_buf joined = FM_BUF_INIT;
		int rc = FM_OK;
		for (size_t i = 0; i < v->n && rc == FM_OK; i++) {
			const ynode *it = v->kid[i];
			/* The join is counted as it grows; flat_put counts it again. */
			if (!spend_bytes(k, 1 + (it->kind == YN_SCALAR ? it->len : 0), it->line, it->col)) {
				fm_buf_release(&joined);
				return;
			}
			if (i)
				rc = fm_buf_addc(&joined, ';');
			if (rc == FM_OK && it->kind == YN_SCALAR)
				rc = is_null(it) ? fm_buf_adds(&joined, "null") : fm_buf_add(&joined, it->text, it->len);
		}
		if (rc != FM_OK) {
			fm_buf_release(&joined);
			k->err = fm_diag_set(k->d, FM_ENOMEM, k->path, 0, 0, NULL, "out of memory");
			return;
		}
		ynode tmp = *v;
		tmp.kind = YN_SCALAR;
		tmp.plain = 0;
		tmp.tag = TAG_STR;
		tmp.text = joined.data ? joined.data : (char *)"";
		tmp.len = joined.len;
		flat_put(f, kn, &tmp);
		fm_buf_release(&joined);
	}
}

static void read_flink_conf(kx *k, fm_k8s_doc *doc, const ynode *spec)
{
	const ynode *kn = NULL;
	const ynode *fc = map_get(k, spec, "flinkConfiguration", &kn);
	if (!fc || is_null(fc))
		return;
	if (fc->kind != YN_MAP) {
		note(k, &doc->notes, "WARN", "%s:%u:%u: spec.flinkConfiguration is not a mapping; ignored",
		     shown(k->path), fc->line, fc->col);
		return;
	}
	flat f = {k, doc, FM_BUF_INIT};
	flatten_map(&f, fc, 0);
	fm_buf_release(&f.key);
}

static const char *const limit_keys[2] = {
	"kubernetes.taskmanager.memory.limit-factor",
	"kubernetes.jobmanager.memory.limit-factor",
};

static void read_limit_factors(kx *k, fm_k8s_doc *doc)
{
	for (int jm = 0; jm < 2; jm++) {
		double v = 1.0;
		fm_diag d = FM_DIAG_INIT;
		int rc = fm_k8s_memory_limit_factor(doc->conf, jm, &v, &d);
		if (rc == FM_ENOMEM)
			k->err = fm_diag_set(k->d, FM_ENOMEM, k->path, 0, 0, NULL, "out of memory");
		else if (rc != FM_OK)
			note(k, &doc->notes, "WARN", "%s:%u:%u: %s; using 1.0", shown(k->path), d.line,
			     d.col, d.msg ? d.msg : "unparsable limit factor");
		fm_diag_release(&d);
		if (jm)
			doc->jm_mem_limit_factor = v;
		else
			doc->tm_mem_limit_factor = v;
	}
}

/* Stores doc in the set, or when streaming and it is not the first, hands
 * it to the callback and releases it (FM_OK either way; a callback's error
 * is sticky in k->err). FM_ENOMEM leaves doc to the caller. */
static int push_doc(kx *k, fm_k8s_doc *doc)
{
	fm_k8s_set *s = k->out;
	if (k->fn && s->ndocs > 0) {
		s->nstreamed++;
		int rc = k->fn(k->ctx, doc);
		doc_release(doc);
		if (rc != FM_OK)
			k->err = fm_diag_set(k->d, rc, k->path, 0, 0, NULL, "%s",
					     rc == FM_ENOMEM ? "out of memory" : fm_strerror(rc));
		return FM_OK;
	}
	if (s->ndocs == k->dcap) {
		size_t ncap = k->dcap ? k->dcap * 2 : 4;
		fm_k8s_doc *nd = realloc(s->docs, ncap * sizeof(*nd));
		if (!nd)
			return FM_ENOMEM;
		s->docs = nd;
		k->dcap = ncap;
	}
	s->docs[s->ndocs++] = *doc;
	return FM_OK;
}

static char *scalar_dup(kx *k, const ynode *n)
{
	if (!n || is_null(n) || n->kind != YN_SCALAR || !spend_bytes(k, n->len, n->line, n->col))
		return NULL;
	char *s = dupn(n->text, n->len);
	if (!s)
		k->err = fm_diag_set(k->d, FM_ENOMEM, k->path, 0, 0, NULL, "out of memory");
	return s;
}

static void read_deployment(kx *k, const ynode *obj, const ynode *kind, size_t doc_index)
{
	fm_k8s_doc doc;
	memset(&doc, 0, sizeof(doc));
	doc.doc_index = doc_index;
	doc.line = kind->line;
	doc.col = kind->col;
	doc.jm_mem_limit_factor = doc.tm_mem_limit_factor = 1.0;
	doc.jm.replicas_value = 1; /* JobManagerSpec.replicas = 1 */
	k->nkeys = 0; /* per deployment; the byte budget bounds the file */
	doc.conf = fm_conf_new();
	if (!doc.conf)
		goto oom;
	if (k->path && !(doc.file = fm_conf_intern(doc.conf, k->path)))
		goto oom;

	const ynode *meta = get_map(k, obj, "metadata");
	doc.name = scalar_dup(k, map_get(k, meta, "name", NULL));
	doc.ns = scalar_dup(k, map_get(k, meta, "namespace", NULL));
	const ynode *spec = get_map(k, obj, "spec");
	if (!spec && !k->err)
		note(k, &doc.notes, "WARN", "%s:%u:%u: FlinkDeployment without a spec mapping",
		     shown(k->path), kind->line, kind->col);

	get_val(k, &doc.notes, spec, "flinkVersion", "spec.flinkVersion", &doc.flink_version_raw);
	if (doc.flink_version_raw.text) {
		doc.flink_version = version_of(doc.flink_version_raw.text, doc.flink_version_raw.len);
		if (doc.flink_version)
			doc.profile = fm_profile_for(doc.flink_version);
		else
			note(k, &doc.notes, "WARN",
			     "%s:%u:%u: spec.flinkVersion '%.*s' is not a FlinkVersion (vMAJOR_MINOR)",
			     shown(k->path), doc.flink_version_raw.line, doc.flink_version_raw.col,
			     NOTE_SNIP, doc.flink_version_raw.text);
	} else if (spec) {
		note(k, &doc.notes, "WARN", "%s:%u:%u: spec.flinkVersion is missing (the operator requires it)",
		     shown(k->path), spec->line, spec->col);
	}

	const ynode *job = map_get(k, spec, "job", NULL);
	doc.application = job && !is_null(job);
	get_val(k, &doc.notes, get_map(k, spec, "job"), "parallelism", "spec.job.parallelism",
		&doc.parallelism);
	if (doc.parallelism.text) {
		int64_t v;
		if (parse_jint(doc.parallelism.text, doc.parallelism.len, &v)) {
			doc.has_parallelism = true;
			doc.parallelism_value = v;
		} else {
			note(k, &doc.notes, "WARN", "%s:%u:%u: spec.job.parallelism '%.*s' is not an int; ignored",
			     shown(k->path), doc.parallelism.line, doc.parallelism.col, NOTE_SNIP,
			     doc.parallelism.text);
		}
	}
	read_flink_conf(k, &doc, spec);
	read_pod_template(k, &doc.notes, map_get(k, spec, "podTemplate", NULL), "spec.podTemplate",
			  &doc.pod);
	read_role(k, &doc, spec, "jobManager", &doc.jm);
	read_role(k, &doc, spec, "taskManager", &doc.tm);
	if (!k->err)
		read_limit_factors(k, &doc);
	if (k->err)
		goto fail;
	if (push_doc(k, &doc) != FM_OK)
		goto oom;
	return;
oom:
	k->err = fm_diag_set(k->d, FM_ENOMEM, k->path, 0, 0, NULL, "out of memory");
fail:
	doc_release(&doc);
}

static void read_session_job(kx *k, const ynode *obj, const ynode *kind, size_t doc_index)
{
	fm_k8s_sjob j;
	memset(&j, 0, sizeof(j));
	j.doc_index = doc_index;
	j.line = kind->line;
	j.col = kind->col;
	const ynode *meta = get_map(k, obj, "metadata");
	j.name = scalar_dup(k, map_get(k, meta, "name", NULL));
	j.ns = scalar_dup(k, map_get(k, meta, "namespace", NULL));
	j.deployment = scalar_dup(k, map_get(k, get_map(k, obj, "spec"), "deploymentName", NULL));
	if (k->err)
		goto fail;
	fm_k8s_set *s = k->out;
	if (s->njobs == k->jcap) {
		size_t ncap = k->jcap ? k->jcap * 2 : 4;
		fm_k8s_sjob *nj = realloc(s->jobs, ncap * sizeof(*nj));
		if (!nj) {
			k->err = fm_diag_set(k->d, FM_ENOMEM, k->path, 0, 0, NULL, "out of memory");
			goto fail;
		}
		s->jobs = nj;
		k->jcap = ncap;
	}
	s->jobs[s->njobs++] = j;
	return;
fail:
	sjob_release(&j);
}

static void read_object(kx *k, const ynode *obj, size_t doc_index, int depth)
{
	if (!obj || obj->kind != YN_MAP || k->err)
		return;
	const ynode *kind = map_get(k, obj, "kind", NULL);
	if (!kind || kind->kind != YN_SCALAR)
		return;
	if (scalar_is(kind, "FlinkDeployment")) {
		read_deployment(k, obj, kind, doc_index);
	} else if (scalar_is(kind, "FlinkSessionJob")) {
		read_session_job(k, obj, kind, doc_index);
	} else if (scalar_is(kind, "List") && depth == 0) {
		/* kubectl get -o yaml of several objects. */
		const ynode *items = map_get(k, obj, "items", NULL);
		if (items && items->kind == YN_SEQ)
			for (size_t i = 0; i < items->n && !k->err; i++)
				read_object(k, items->kid[i], doc_index, depth + 1);
	}
}

/* doc_fn for dom_build: the objects of one document. */
static int read_doc(void *ctx, const ydom *dom, const ynode *root, size_t index)
{
	kx *k = ctx;
	k->aliases = dom->aliases;
	read_object(k, root, index, 0);
	return k->err;
}

static int by_name(const void *a, const void *b)
{
	const fm_k8s_doc *x = *(const fm_k8s_doc *const *)a, *y = *(const fm_k8s_doc *const *)b;
	return strcmp(x->name, y->name);
}

/* Session jobs name their cluster: record them on it. Deployments are
 * looked up through a sorted index (jobs x deployments would be
 * quadratic in a file of many of both). */
static int link_session_jobs(fm_k8s_set *s)
{
	if (!s->njobs || !s->ndocs)
		return FM_OK;
	fm_k8s_doc **idx = malloc(s->ndocs * sizeof(*idx));
	if (!idx)
		return FM_ENOMEM;
	size_t n = 0;
	for (size_t x = 0; x < s->ndocs; x++)
		if (s->docs[x].name)
			idx[n++] = &s->docs[x];
	qsort(idx, n, sizeof(*idx), by_name);
	int rc = FM_OK;
	for (size_t i = 0; i < s->njobs && rc == FM_OK; i++) {
		const fm_k8s_sjob *j = &s->jobs[i];
		if (!j->deployment)
			continue;
		/* the first deployment of that name, then every one after it */
		size_t lo = 0, hi = n;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if (strcmp(idx[mid]->name, j->deployment) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		for (; lo < n && strcmp(idx[lo]->name, j->deployment) == 0; lo++) {
			fm_k8s_doc *doc = idx[lo];
			/* Same namespace (absent = the one kubectl applies to). */
			if ((doc->ns || j->ns) && !(doc->ns && j->ns && strcmp(doc->ns, j->ns) == 0))
				continue;
			char **nv = realloc(doc->session_jobs, (doc->nsession_jobs + 1) * sizeof(*nv));
			if (!nv) {
				rc = FM_ENOMEM;
				break;
			}
			doc->session_jobs = nv;
			nv[doc->nsession_jobs] = strdup(j->name ? j->name : "");
			if (!nv[doc->nsession_jobs]) {
				rc = FM_ENOMEM;
				break;
			}
			doc->nsession_jobs++;
		}
	}
	free(idx);
	return rc;
}

void fm_k8s_set_release(fm_k8s_set *s)
{
	if (!s)
		return;
	fm_k8s_docs_free(s->docs, s->ndocs);
	for (size_t i = 0; i < s->njobs; i++)
		sjob_release(&s->jobs[i]);
	free(s->jobs);
	memset(s, 0, sizeof(*s));
}

int fm_k8s_load_set(const char *path, const char *data, size_t len, fm_k8s_set *out,
		    fm_diag *d)
{
	return fm_k8s_load_stream(path, data, len, out, NULL, NULL, d);
}

int fm_k8s_load_stream(const char *path, const char *data, size_t len, fm_k8s_set *out,
		       fm_k8s_doc_fn fn, void *ctx, fm_diag *d)
{
	memset(out, 0, sizeof(*out));
	if (!data && len)
		return fm_diag_set(d, FM_EUSAGE, path, 0, 0, NULL, "no input data");
	if (len > FM_K8S_MAX_INPUT)
		return fm_diag_set(d, FM_ETOOBIG, path, 0, 0, NULL,
				   "%s: %zu bytes is over the %zu MiB limit for a custom resource file",
				   shown(path), len, FM_K8S_MAX_INPUT >> 20);
	ydom dom;
	memset(&dom, 0, sizeof(dom));
	kx k = {.path = path, .d = d, .budget = WORK_BUDGET, .out = out, .fn = fn, .ctx = ctx,
		.bytes_max = FM_K8S_EXPAND_BASE + FM_K8S_EXPAND_FACTOR * len};
	int rc = dom_build(&dom, path, data ? data : "", len, read_doc, &k, d);
	dom_free(&dom);
	free(dom.anchors);
	fm__anchor_release(&dom.amap);
	if (rc == FM_OK)
		rc = k.err;
	if (rc == FM_OK && link_session_jobs(out) != FM_OK)
		rc = fm_diag_set(d, FM_ENOMEM, path, 0, 0, NULL, "out of memory");
	if (rc != FM_OK)
		fm_k8s_set_release(out);
	return rc;
}

void fm_k8s_docs_free(fm_k8s_doc *docs, size_t n)
{
	if (!docs)
		return;
	for (size_t i = 0; i < n; i++)
		doc_release(&docs[i]);
	free(docs);
}

int fm_k8s_load(const char *path, const char *data, size_t len, fm_k8s_doc **docs,
		size_t *ndocs, fm_diag *d)
{
	*docs = NULL;
	*ndocs = 0;
	fm_k8s_set s;
	int rc = fm_k8s_load_set(path, data, len, &s, d);
	if (rc != FM_OK)
		return rc;
	if (s.ndocs == 0) {
		if (s.njobs > 0) {
			const fm_k8s_sjob *j = &s.jobs[0];
			rc = fm_diag_set(d, FM_EINVAL, path, j->line, j->col, NULL,
					 "no FlinkDeployment in %s (%zu FlinkSessionJob%s, e.g. '%.*s' "
					 "on deployment '%.*s': a session job runs on its "
					 "FlinkDeployment's cluster and has no memory settings of its own)",
					 shown(path), s.njobs, s.njobs == 1 ? "" : "s", NOTE_SNIP,
					 j->name ? j->name : "?", NOTE_SNIP,
					 j->deployment ? j->deployment : "?");
		} else {
			rc = fm_diag_set(d, FM_EINVAL, path, 0, 0, NULL, "no FlinkDeployment in %s",
					 shown(path));
		}
		fm_k8s_set_release(&s);
		return rc;
	}
	*docs = s.docs;
	*ndocs = s.ndocs;
	for (size_t i = 0; i < s.njobs; i++)
		sjob_release(&s.jobs[i]);
	free(s.jobs);
	return FM_OK;
}

/* ======================================================================
 * The operator's memory string: MemorySize, else Kubernetes Quantity
 * ====================================================================== */

/* MemorySize.toString() (formatToString): the largest unit dividing the
 * size, searched upward from bytes and stopping at the first that does not
 * divide it; when every unit divides it (0, multiples of 1 TiB) the
 * search finds nothing and Flink falls back to bytes. */
static int memsize_to_string(fm_buf *out, int64_t bytes)
{
	static const struct {
		int64_t mult;
		const char *name;
	} u[] = {{1, "bytes"}, {1LL << 10, "kb"}, {1LL << 20, "mb"}, {1LL << 30, "gb"}, {1LL << 40, "tb"}};
	size_t pick = 0;
	for (size_t i = 0; i < sizeof(u) / sizeof(u[0]); i++) {
		if (bytes % u[i].mult != 0) {
			pick = i == 0 ? 0 : i - 1;
			break;
		}
	}
	return fm_buf_addf(out, "%lld %s", (long long)(bytes / u[pick].mult), u[pick].name);
}

/* A java.math.BigDecimal: sign, unscaled magnitude digits, scale. */
typedef struct jbig {
	fm_buf mag; /* decimal digits, no leading zeros; "0" for zero */
	bool neg;
	int64_t scale;
} jbig;

/* new BigDecimal(s) for what Quantity can hand it: [+-]? digits with one
 * optional point ('e'/'E' never reach it: they are unit characters). */
static int jbig_parse(jbig *b, const char *s, size_t n, fm_jexc *e)
{
	size_t i = 0, ndig = 0, frac = 0;
	bool point = false;
	b->neg = false;
	if (i < n && (s[i] == '+' || s[i] == '-'))
		b->neg = s[i++] == '-';
	for (; i < n; i++) {
		if (s[i] == '.' && !point) {
			point = true;
		} else if (is_digit(s[i])) {
			ndig++;
			if (point)
				frac++;
			if (!(b->mag.len == 0 && s[i] == '0') && fm_buf_addc(&b->mag, s[i]) != FM_OK)
				return fm_jexc_set(e, FM_JCLS_NFE, "out of memory");
		} else {
			break;
		}
	}
	/* java.math.BigDecimal(char[], ...)'s own messages (JDK 11+); an
	 * empty string fails on its first array access, an exception without
	 * a message that the operator's text shows as "null" */
	if (n == 0)
		return fm_jexc_set(e, FM_JCLS_NFE, "null");
	if (i != n && s[i] == '.')
		return fm_jexc_set(e, FM_JCLS_NFE, "Character array contains more than one decimal point.");
	if (i != n && (unsigned char)s[i] < 0x80)
		return fm_jexc_set(e, FM_JCLS_NFE,
				   "Character %c is neither a decimal digit number, decimal point, nor \"e\" "
				   "notation exponential mark.", s[i]);
	if (i != n || ndig == 0)
		return fm_jexc_set(e, FM_JCLS_NFE, "No digits found.");
	if (b->mag.len == 0) {
		if (fm_buf_addc(&b->mag, '0') != FM_OK)
			return fm_jexc_set(e, FM_JCLS_NFE, "out of memory");
		b->neg = false; /* BigDecimal has no negative zero */
	}
	b->scale = (int64_t)frac;
	return 0;
}

/* this.multiply(m * 10^-mscale), exact (BigDecimal.multiply without a
 * MathContext): scales add, magnitudes multiply. m < 2^61. */
static int jbig_mul(jbig *b, uint64_t m, int64_t mscale)
{
	b->scale += mscale;
	if (b->mag.len == 1 && b->mag.data[0] == '0')
		return FM_OK;
	size_t n = b->mag.len, cap = n + 21;
	char *r = malloc(cap);
	if (!r)
		return FM_ENOMEM;
	size_t k = cap;
	uint64_t carry = 0;
	for (size_t i = n; i-- > 0;) {
		uint64_t v = (uint64_t)(b->mag.data[i] - '0') * m + carry;
		r[--k] = (char)('0' + v % 10);
		carry = v / 10;
	}
	while (carry) {
		r[--k] = (char)('0' + carry % 10);
		carry /= 10;
	}
	while (k < cap - 1 && r[k] == '0')
		k++;
	fm_buf_reset(&b->mag);
	int rc = fm_buf_add(&b->mag, r + k, cap - k);
	free(r);
	return rc;
}

/* BigDecimal.toString(): plain when scale >= 0 and the adjusted exponent
 * is >= -6, else scientific with a forced exponent sign. */
static int jbig_to_string(const jbig *b, fm_buf *out)
{
	const char *c = b->mag.data;
	int64_t clen = (int64_t)b->mag.len;
	int rc = FM_OK;
	if (b->neg)
		rc |= fm_buf_addc(out, '-');
	if (b->scale == 0)
		return rc | fm_buf_add(out, c, (size_t)clen);
	int64_t adjusted = -b->scale + (clen - 1);
	if (b->scale >= 0 && adjusted >= -6) {
		int64_t pad = b->scale - clen;
		if (pad >= 0) {
			rc |= fm_buf_adds(out, "0.");
			for (; pad > 0 && rc == FM_OK; pad--)
				rc |= fm_buf_addc(out, '0');
			rc |= fm_buf_add(out, c, (size_t)clen);
		} else {
			rc |= fm_buf_add(out, c, (size_t)-pad);
			rc |= fm_buf_addc(out, '.');
			rc |= fm_buf_add(out, c - pad, (size_t)b->scale);
		}
		return rc;
	}
	rc |= fm_buf_addc(out, c[0]);
	if (clen > 1) {
		rc |= fm_buf_addc(out, '.');
		rc |= fm_buf_add(out, c + 1, (size_t)clen - 1);
	}
	if (adjusted != 0)
		rc |= fm_buf_addf(out, "E%s%lld", adjusted > 0 ? "+" : "", (long long)adjusted);
	return rc;
}

/* BigDecimal("10").pow(n, MathContext.DECIMAL64) as an unscaled value and
 * scale: 16 significant digits, so 10^n for n >= 16 is 10^15 scaled by
 * -(n-15); negative n goes through ONE.divide(...), whose exact quotient
 * keeps the least scale: unscaled 1, scale -n. */
static int pow10_dec64(int64_t n, uint64_t *m, int64_t *scale, fm_jexc *e)
{
	if (n < -999999999 || n > 999999999)
		return fm_jexc_set(e, FM_JCLS_ARITH, "Invalid operation");
	if (n < 0) {
		*m = 1;
		*scale = -n;
	} else if (n <= 15) {
		uint64_t v = 1;
		for (int64_t i = 0; i < n; i++)
			v *= 10;
		*m = v;
		*scale = 0;
	} else {
		*m = UINT64_C(1000000000000000);
		*scale = -(n - 15);
	}
	return 0;
}

/* Quantity.getMultiple(format). */
static int quantity_multiple(const char *f, size_t n, uint64_t *m, int64_t *scale, fm_jexc *e)
{
	bool digit = false;
	for (size_t i = 0; i < n; i++)
		digit |= is_digit(f[i]);
	if (digit && n > 1) {
		/* "Decimal exponent case": Integer.parseInt(format.substring(1)),
		 * whatever the first character is. */
		int64_t ex;
		if (!parse_jint(f + 1, n - 1, &ex))
			return fm_jexc_set(e, FM_JCLS_NFE, "For input string: \"%.*s\"", (int)(n - 1), f + 1);
		return pow10_dec64(ex, m, scale, e);
	}
	static const struct {
		const char *f;
		int bin; /* 2^bin, else 10^dec */
		int dec;
	} t[] = {
		{"Ki", 10, 0}, {"Mi", 20, 0}, {"Gi", 30, 0}, {"Ti", 40, 0}, {"Pi", 50, 0}, {"Ei", 60, 0},
		{"n", 0, -9},  {"u", 0, -6},  {"m", 0, -3},  {"k", 0, 3},   {"M", 0, 6},   {"G", 0, 9},
		{"T", 0, 12},  {"P", 0, 15},  {"E", 0, 18},  {"", 0, 0},
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		if (strlen(t[i].f) != n || memcmp(t[i].f, f, n) != 0)
			continue;
		if (t[i].bin == 60) {
			/* 2^60 has 19 digits: DECIMAL64 rounds it HALF_EVEN to
			 * 1152921504606847E+3. */
			*m = UINT64_C(1152921504606847);
			*scale = -3;
		} else if (t[i].bin) {
			*m = UINT64_C(1) << t[i].bin;
			*scale = 0;
		} else {
			return pow10_dec64(t[i].dec, m, scale, e);
		}
		return 0;
	}
	return fm_jexc_set(e, FM_JCLS_IAE, "Invalid quantity format passed to parse");
}

/* Java's String.trim().replaceAll("\\s", "").toUpperCase(), then one
 * trailing B dropped and a trailing I made "i"
 * (FlinkConfigBuilder.formatMemoryStringForK8sSpec). */
static int k8s_format(const char *s, size_t n, fm_buf *q)
{
	fm_java_trim(&s, &n);
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r')
			continue;
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if (fm_buf_addc(q, c) != FM_OK)
			return FM_ENOMEM;
	}
	if (q->len && q->data[q->len - 1] == 'B')
		q->data[--q->len] = '\0';
	if (q->len && q->data[q->len - 1] == 'I')
		q->data[q->len - 1] = 'i';
	return FM_OK;
}

/* Quantity.indexOfUnit. */
static size_t unit_index(const char *q, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strchr("eEinumkKMGTP", q[i]) && q[i])
			return i;
	return n;
}

/* Quantity.parse + getAmountInBytes into b (caller releases b->mag). */
static int quantity_big(const char *q, size_t n, jbig *b, fm_jexc *e)
{
	/* Quantity.parse */
	if (n == 0)
		return fm_jexc_set(e, FM_JCLS_IAE, "Invalid quantity string format passed.");
	size_t u = unit_index(q, n);
	bool fdigit = false;
	for (size_t i = u; i < n; i++)
		fdigit |= is_digit(q[i]);
	if (fdigit && is_alpha(q[n - 1]))
		return fm_jexc_set(e, FM_JCLS_IAE, "Invalid quantity string format passed");
	/* getAmountInBytes: a leading '.' gets a "0" (same split after). */
	int rc = jbig_parse(b, q, u, e);
	if (rc == 0) {
		uint64_t m = 1;
		int64_t mscale = 0;
		rc = quantity_multiple(q + u, n - u, &m, &mscale, e);
		if (rc == 0 && jbig_mul(b, m, mscale) != FM_OK)
			rc = fm_jexc_set(e, FM_JCLS_IAE, "out of memory");
	}
	return rc;
}

static int quantity_amount(const char *q, size_t n, fm_buf *out, fm_jexc *e)
{
	jbig b = {FM_BUF_INIT, false, 0};
	int rc = quantity_big(q, n, &b, e);
	if (rc == 0 && jbig_to_string(&b, out) != FM_OK)
		rc = fm_jexc_set(e, FM_JCLS_IAE, "out of memory");
	fm_buf_release(&b.mag);
	return rc;
}

int fm_k8s_quantity_bytes(const char *s, size_t n, int64_t *bytes)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] >= 0x80 || s[i] == ' ' || s[i] == '\t')
			return FM_EINVAL;
	jbig b = {FM_BUF_INIT, false, 0};
	fm_jexc e = {NULL, NULL};
	int rc = quantity_big(s, n, &b, &e);
	fm_jexc_release(&e);
	if (rc != 0 || b.neg) {
		fm_buf_release(&b.mag);
		return FM_EINVAL;
	}
	/* Integer part of mag * 10^-scale, rounded up (Kubernetes' Value()
	 * rounds a fractional byte count up); saturates at INT64_MAX. */
	const char *c = b.mag.data;
	int64_t clen = (int64_t)b.mag.len, ip = clen - b.scale;
	uint64_t v = 0;
	bool frac = false, sat = false;
	for (int64_t i = 0; i < ip && !sat; i++) {
		/* past the digits only zeros follow: a zero stays zero (an
		 * exponent like "0E900000000" must not cost 9e8 steps), and any
		 * other value saturates within 19 steps */
		if (i >= clen && v == 0)
			break;
		unsigned d = i < clen ? (unsigned)(c[i] - '0') : 0;
		if (v > (UINT64_C(9223372036854775807) - d) / 10)
			sat = true;
		else
			v = v * 10 + d;
	}
	for (int64_t i = ip < 0 ? 0 : ip; i < clen; i++)
		frac |= c[i] != '0';
	if (frac && !sat) {
		if (v == UINT64_C(9223372036854775807))
			sat = true;
		else
			v++;
	}
	fm_buf_release(&b.mag);
	*bytes = sat ? INT64_MAX : (int64_t)v;
	return FM_OK;
}

int fm_k8s_memory_string(const char *s, size_t n, fm_buf *out, fm_jexc *e)
{
	int64_t bytes;
	fm_jexc ignored = {NULL, NULL};
	int rc = fm_size_parse(s, n, &bytes, &ignored);
	fm_jexc_release(&ignored);
	if (rc == 0) {
		if (memsize_to_string(out, bytes) != FM_OK)
			return fm_jexc_set(e, FM_JCLS_IAE, "out of memory");
		return 0;
	}
	/* Every MemorySize.parse failure is an IllegalArgumentException
	 * (NumberFormatException included): fall back to the quantity. */
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] >= 0x80)
			/* Java would upper-case and digit-test non-ASCII by Unicode
			 * rules; such strings never make a valid quantity anyway. */
			return fm_jexc_set(e, FM_JCLS_IAE,
					   "Invalid quantity string format passed (non-ASCII character)");
	fm_buf q = FM_BUF_INIT;
	if (k8s_format(s, n, &q) != FM_OK) {
		fm_buf_release(&q);
		return fm_jexc_set(e, FM_JCLS_IAE, "out of memory");
	}
	size_t mark = out->len;
	rc = quantity_amount(q.data ? q.data : "", q.len, out, e);
	if (rc != 0 && out->data) {
		out->len = mark;
		out->data[mark] = '\0';
	}
	fm_buf_release(&q);
	return rc;
}

/* ======================================================================
 * Effective configuration
 * ====================================================================== */

static bool older_than_1_17(const fm_k8s_doc *doc)
{
	/* FlinkVersion.isEqualOrNewer(v1_17); an unknown version is treated as
	 * current (the operator itself rejects a CR without one). */
	const char *v = doc->flink_version;
	if (!v)
		return false;
	long major = 0, minor = 0;
	const char *p = v;
	while (is_digit(*p))
		major = major * 10 + (*p++ - '0');
	if (*p++ != '.')
		return false;
	while (is_digit(*p))
		minor = minor * 10 + (*p++ - '0');
	return major < 1 || (major == 1 && minor < 17);
}

/* Quantity.getNumericalAmount().doubleValue() of a quantity as written
 * (fabric8's grammar, no operator upper-casing); BigDecimal.doubleValue
 * rounds correctly, as strtod does. 0, or -1 with e. */
static int quantity_double(const char *s, size_t n, double *out, fm_jexc *e)
{
	fm_buf t = FM_BUF_INIT;
	int rc = quantity_amount(s, n, &t, e);
	if (rc == 0) {
		errno = 0;
		*out = strtod(t.data ? t.data : "0", NULL);
	}
	fm_buf_release(&t);
	return rc;
}

/* The signum of Quantity.getAmountInBytes(q): -1, 0, 1, or -2 with e. */
static int quantity_sign(const char *s, size_t n, fm_jexc *e)
{
	jbig b = {FM_BUF_INIT, false, 0};
	int rc = quantity_big(s, n, &b, e);
	int sign = rc ? -2 : b.neg ? -1 : (b.mag.len == 1 && b.mag.data[0] == '0') ? 0 : 1;
	fm_buf_release(&b.mag);
	return sign;
}

/* The process size string the operator writes for a memory value:
 * ResourceConfigUtils.parseResourceMemoryString from 1.7, the text as
 * written before. 0, or -1 with e. */
static int op_memory_string(int op, const fm_k8s_val *v, fm_buf *out, fm_jexc *e)
{
	if (op != FM_K8S_OP_MAIN && op < 7)
		return fm_buf_add(out, v->text, v->len) == FM_OK ? 0 : fm_jexc_set(e, FM_JCLS_IAE, "out of memory");
	return fm_k8s_memory_string(v->text, v->len, out, e);
}

/* The operator's bytes for a memory value (what MemorySize.parse makes of
 * op_memory_string), or -1 with e. */
static int64_t op_memory_bytes(int op, const fm_k8s_val *v, fm_jexc *e)
{
	fm_buf s = FM_BUF_INIT;
	int64_t bytes = -1;
	int bad = op_memory_string(op, v, &s, e);
	if (!bad && fm_size_parse(s.data ? s.data : "", s.len, &bytes, e) != 0)
		bytes = -1;
	fm_buf_release(&s);
	return bad ? -1 : bytes;
}

int fm_k8s_operator_version(const char *s, int *op)
{
	if (!s)
		return FM_EINVAL;
	if (strcmp(s, "main") == 0 || strcmp(s, "latest") == 0 || strcmp(s, "newest") == 0) {
		*op = FM_K8S_OP_MAIN;
		return FM_OK;
	}
	if (strncmp(s, "release-", 8) == 0)
		s += 8;
	if (s[0] != '1' || s[1] != '.' || !is_digit(s[2]))
		return FM_EINVAL;
	const char *p = s + 2;
	long minor = 0;
	while (is_digit(*p) && minor < 1000)
		minor = minor * 10 + (*p++ - '0');
	if (*p == '.') { /* a patch release: same rules as its line */
		p++;
		if (!is_digit(*p))
			return FM_EINVAL;
		while (is_digit(*p))
			p++;
	}
	if (*p || minor > FM_K8S_OP_NEWEST_RELEASE)
		return FM_EINVAL;
	*op = minor == 0 ? 1 : (int)minor; /* 1.0 shares 1.1's rules; 0 means main */
	return FM_OK;
}

/* ResourceConfigUtils.hasResourceRequirements: requests or limits with an
 * entry; read only by operator builds past release-1.15.0. */
static bool has_requirements(int op, const fm_k8s_role *r)
{
	return op == FM_K8S_OP_MAIN && (r->resources.nreq || r->resources.nlim);
}

const char *fm_k8s_memory_field(const fm_k8s_doc *doc, int op, bool jm, const fm_k8s_val **v)
{
	const fm_k8s_role *r = jm ? &doc->jm : &doc->tm;
	*v = NULL;
	if (!r->present)
		return NULL;
	if (has_requirements(op, r)) {
		if (r->resources.req_memory.text) {
			*v = &r->resources.req_memory;
			return jm ? "spec.jobManager.resources.requests.memory" : "spec.taskManager.resources.requests.memory";
		}
		if (r->resources.lim_memory.text) {
			*v = &r->resources.lim_memory;
			return jm ? "spec.jobManager.resources.limits.memory" : "spec.taskManager.resources.limits.memory";
		}
		return NULL; /* the deprecated resource field is ignored then */
	}
	if (r->memory.text) {
		*v = &r->memory;
		return jm ? "spec.jobManager.resource.memory" : "spec.taskManager.resource.memory";
	}
	return NULL;
}

bool fm_k8s_memory_defined(const fm_k8s_doc *doc, int op, bool jm)
{
	const fm_k8s_role *r = jm ? &doc->jm : &doc->tm;
	/* up to 1.3 only a resource without memory is refused, whatever
	 * flinkConfiguration says */
	if (op != FM_K8S_OP_MAIN && op <= 3)
		return !(r->present && r->has_resource && !r->memory.text);
	if (!r->present)
		return false;
	/* isMemoryDefined(resource): a memory that is not blank */
	bool blank = true;
	for (size_t i = 0; r->memory.text && i < r->memory.len; i++)
		blank &= r->memory.text[i] == ' ' || (r->memory.text[i] >= '\t' && r->memory.text[i] <= '\r');
	if (!blank)
		return true;
	return op == FM_K8S_OP_MAIN && (r->resources.req_memory.text || r->resources.lim_memory.text);
}

const char *fm_k8s_memory_undefined_msg(int op, bool jm)
{
	if (op != FM_K8S_OP_MAIN && op <= 3)
		return jm ? "JobManager resource memory must be defined." : "TaskManager resource memory must be defined.";
	if (op == FM_K8S_OP_MAIN)
		return jm ? "JobManager resource memory must be defined using `spec.jobManager.resource.memory` or "
			    "`spec.jobManager.resources.requests.memory`"
			  : "TaskManager resource memory must be defined using `spec.taskManager.resource.memory` or "
			    "`spec.taskManager.resources.requests.memory`";
	return jm ? "JobManager resource memory must be defined using `spec.jobManager.resource.memory`"
		  : "TaskManager resource memory must be defined using `spec.taskManager.resource.memory`";
}

/* Appends "; " between the messages of validateResourceRequirements. */
static int add_msg(fm_buf *b, const fm_k8s_val **first, const fm_k8s_val *at, const char **fkey, const char *key,
		   const char *fmt, ...) __attribute__((format(printf, 6, 7)));
static int add_msg(fm_buf *b, const fm_k8s_val **first, const fm_k8s_val *at, const char **fkey, const char *key,
		   const char *fmt, ...)
{
	if (b->len && fm_buf_adds(b, "; ") != FM_OK)
		return FM_ENOMEM;
	va_list ap;
	va_start(ap, fmt);
	int rc = fm_buf_vaddf(b, fmt, ap);
	va_end(ap);
	if (!*first) {
		*first = at;
		*fkey = key;
	}
	return rc;
}

/* DefaultValidator.validateQuantities for one section (requests/limits):
 * memory as the operator reads it, cpu and ephemeral-storage as quantities. */
static int check_section(const char *comp, const char *role, const char *section, const fm_k8s_val *mem,
			 const fm_k8s_val *eph, const fm_k8s_val *cpu, fm_buf *b, const fm_k8s_val **first,
			 const char **fkey, char *keybuf, size_t kcap)
{
	/* HashMap order of the three keys: memory and ephemeral-storage share
	 * a bucket before cpu's. */
	const fm_k8s_val *vals[3] = {mem, eph, cpu};
	const char *names[3] = {"memory", "ephemeral-storage", "cpu"};
	for (int i = 0; i < 3; i++) {
		const fm_k8s_val *v = vals[i];
		if (!v->text)
			continue;
		fm_jexc e = {NULL, NULL};
		int rc = FM_OK;
		bool was_first = *first == NULL;
		if (i == 0) {
			int64_t bytes = op_memory_bytes(FM_K8S_OP_MAIN, v, &e);
			if (bytes < 0 && !e.msg)
				rc = FM_ENOMEM;
			else if (bytes < 0)
				rc = add_msg(b, first, v, fkey, keybuf, "%s resource requirements %s %s parse error: %s", comp,
					     section, names[i], e.msg);
			else if (bytes == 0)
				rc = add_msg(b, first, v, fkey, keybuf, "%s resource requirements %s %s must be positive: %s",
					     comp, section, names[i], v->text);
		} else {
			int sign = quantity_sign(v->text, v->len, &e);
			if (sign == -2 && !e.msg)
				rc = FM_ENOMEM;
			else if (sign == -2)
				rc = add_msg(b, first, v, fkey, keybuf, "%s resource requirements %s %s parse error: %s", comp,
					     section, names[i], e.msg);
			else if (i == 2 && sign <= 0)
				rc = add_msg(b, first, v, fkey, keybuf, "%s resource requirements %s %s must be positive: %s",
					     comp, section, names[i], v->text);
			else if (i == 1 && sign < 0)
				rc = add_msg(b, first, v, fkey, keybuf,
					     "%s resource requirements %s %s must not be negative: %s", comp, section,
					     names[i], v->text);
		}
		fm_jexc_release(&e);
		if (rc != FM_OK)
			return FM_ENOMEM;
		if (was_first && *first)
			snprintf(keybuf, kcap, "spec.%s.resources.%s.%s", role, section, names[i]);
	}
	return FM_OK;
}

/* validateRequestNotAboveLimit: cpu as numbers, memory as the operator
 * reads it; unparsable values were reported already. */
static int check_not_above(const char *comp, const char *role, const fm_k8s_res *r, bool memory, fm_buf *b,
			   const fm_k8s_val **first, const char **fkey, char *keybuf, size_t kcap)
{
	const fm_k8s_val *req = memory ? &r->req_memory : &r->req_cpu;
	const fm_k8s_val *lim = memory ? &r->lim_memory : &r->lim_cpu;
	if (!req->text || !lim->text)
		return FM_OK;
	fm_jexc e = {NULL, NULL};
	bool above = false;
	if (memory) {
		int64_t rq = op_memory_bytes(FM_K8S_OP_MAIN, req, &e);
		fm_jexc_release(&e);
		int64_t lm = rq >= 0 ? op_memory_bytes(FM_K8S_OP_MAIN, lim, &e) : -1;
		fm_jexc_release(&e);
		above = rq >= 0 && lm >= 0 && rq > lm;
	} else {
		double rq, lm;
		bool ok = quantity_double(req->text, req->len, &rq, &e) == 0;
		fm_jexc_release(&e);
		ok = ok && quantity_double(lim->text, lim->len, &lm, &e) == 0;
		fm_jexc_release(&e);
		above = ok && rq > lm;
	}
	if (!above)
		return FM_OK;
	bool was_first = *first == NULL;
	if (add_msg(b, first, req, fkey, keybuf, "%s resource requirements %s request (%s) must not exceed its limit (%s)",
		    comp, memory ? "memory" : "cpu", req->text, lim->text) != FM_OK)
		return FM_ENOMEM;
	if (was_first)
		snprintf(keybuf, kcap, "spec.%s.resources.requests.%s", role, memory ? "memory" : "cpu");
	return FM_OK;
}

/* HighAvailabilityMode.isHighAvailabilityModeActivated(flinkConfiguration);
 * up to 1.3 FlinkUtils.isKubernetesHAActivated: Kubernetes HA only. */
static bool ha_active(const fm_conf *c, int op)
{
	const fm_entry *e = c ? fm_conf_find(c, "high-availability.type") : NULL;
	if (!e && c)
		e = fm_conf_find(c, "high-availability");
	if (!e)
		return false;
	if (op != FM_K8S_OP_MAIN && op <= 3)
		return strcasecmp(e->text, "kubernetes") == 0 ||
		       strcmp(e->text, "org.apache.flink.kubernetes.highavailability.KubernetesHaServicesFactory") == 0;
	return strcasecmp(e->text, "NONE") != 0 && strcasecmp(e->text, "standalone") != 0;
}

int fm_k8s_validate_role(const fm_k8s_doc *doc, int op, bool jm, fm_diag *d)
{
	const fm_k8s_role *r = jm ? &doc->jm : &doc->tm;
	const char *comp = jm ? "JobManager" : "TaskManager";
	const char *role = jm ? "jobManager" : "taskManager";
	if (!r->present)
		return FM_OK;
	fm_buf b = FM_BUF_INIT;
	const fm_k8s_val *first = NULL;
	const char *fkey = NULL;
	char keybuf[96];
	int rc = FM_OK;
	/* validateResources: memory, then ephemeral storage (from 1.5), the
	 * messages run together as the operator's StringBuilder has them */
	if (r->memory.text) {
		fm_jexc e = {NULL, NULL};
		if (op_memory_bytes(op, &r->memory, &e) < 0) {
			if (!e.msg)
				rc = FM_ENOMEM;
			else if (fm_buf_addf(&b, "%s resource memory parse error: %s", comp, e.msg) != FM_OK)
				rc = FM_ENOMEM;
			first = &r->memory;
			snprintf(keybuf, sizeof keybuf, "spec.%s.resource.memory", role);
		}
		fm_jexc_release(&e);
	}
	if (rc == FM_OK && r->eph.text && (op == FM_K8S_OP_MAIN || op >= 5)) {
		fm_jexc e = {NULL, NULL};
		/* Quantity.parse(storage) then getAmountInBytes */
		if (quantity_sign(r->eph.text, r->eph.len, &e) == -2) {
			if (!e.msg || fm_buf_addf(&b, "%s resource ephemeral storage parse error: %s", comp, e.msg) != FM_OK)
				rc = FM_ENOMEM;
			if (!first) {
				first = &r->eph;
				snprintf(keybuf, sizeof keybuf, "spec.%s.resource.ephemeralStorage", role);
			}
		}
		fm_jexc_release(&e);
	}
	/* validateResourceRequirements (main): any resources mapping, even
	 * one that carries nothing */
	if (rc == FM_OK && !b.len && op == FM_K8S_OP_MAIN) {
		const fm_k8s_res *q = &r->resources;
		rc = check_section(comp, role, "requests", &q->req_memory, &q->req_eph, &q->req_cpu, &b, &first, &fkey,
				   keybuf, sizeof keybuf);
		if (rc == FM_OK)
			rc = check_section(comp, role, "limits", &q->lim_memory, &q->lim_eph, &q->lim_cpu, &b, &first,
					   &fkey, keybuf, sizeof keybuf);
		if (rc == FM_OK)
			rc = check_not_above(comp, role, q, false, &b, &first, &fkey, keybuf, sizeof keybuf);
		if (rc == FM_OK)
			rc = check_not_above(comp, role, q, true, &b, &first, &fkey, keybuf, sizeof keybuf);
	}
	/* validateJmReplicas / validateTmReplicas */
	if (rc == FM_OK && !b.len && r->has_replicas) {
		if (r->replicas_value < 1)
			rc = fm_buf_addf(&b, "%s replicas should not be configured less than one.", comp);
		else if (jm && r->replicas_value > 1 && !ha_active(doc->conf, op))
			rc = fm_buf_adds(&b, op != FM_K8S_OP_MAIN && op <= 3
						     ? "Kubernetes High availability should be enabled when starting standby JobManagers."
						     : "High availability should be enabled when starting standby JobManagers.");
		if (b.len) {
			first = &r->replicas;
			snprintf(keybuf, sizeof keybuf, "spec.%s.replicas", role);
		}
	}
	if (rc != FM_OK) {
		fm_buf_release(&b);
		return fm_diag_set(d, FM_ENOMEM, doc->file, 0, 0, NULL, "out of memory");
	}
	if (!b.len)
		return FM_OK;
	rc = fm_diag_set(d, FM_EINVAL, doc->file, first ? first->line : r->line, first ? first->col : r->col, keybuf,
			 "%s", b.data);
	fm_buf_release(&b);
	return rc;
}

void fm_k8s_container_mib(int64_t process_bytes, double factor, int64_t *req_mib, int64_t *lim_mib)
{
	/* getMebiBytes() as an int, then (int) (mem * factor): Java's
	 * saturating double-to-int cast */
	int64_t mib = process_bytes >> 20;
	if (mib > INT32_MAX)
		mib = INT32_MAX;
	double l = (double)mib * factor;
	*req_mib = mib;
	*lim_mib = l != l ? 0 : l >= 2147483647.0 ? INT32_MAX : l <= -2147483648.0 ? INT32_MIN : (int64_t)l;
}

/* conf.setDouble for a role's cpu: kubernetes.*.cpu.amount, and the legacy
 * kubernetes.*.cpu key the operator writes for Flink before 1.17. */
static int put_cpu(const fm_k8s_doc *doc, bool jm, fm_conf *c, double cpu, const fm_k8s_val *v)
{
	char txt[FM_JAVA_DTOA_MAX];
	size_t tl = fm_java_double_to_string(cpu, txt);
	fm_origin at = {doc->file, v->line, v->col, FM_SRC_K8S};
	const char *keys[2] = {
		jm ? "kubernetes.jobmanager.cpu.amount" : "kubernetes.taskmanager.cpu.amount",
		older_than_1_17(doc) ? (jm ? "kubernetes.jobmanager.cpu" : "kubernetes.taskmanager.cpu") : NULL,
	};
	for (int i = 0; i < 2; i++)
		if (keys[i] && fm_conf_put_at(c, keys[i], strlen(keys[i]), txt, tl, FM_V_FLOAT, cpu, &at, v->key_line,
					      v->key_col) != FM_OK)
			return FM_ENOMEM;
	return FM_OK;
}

/* ResourceConfigUtils.computeLimitFactor: limit / request as raw quantity
 * numbers (so "2048m" is 2.048 here although the process size reads it as
 * MiB), only with both set and a positive request. */
static int put_factor(const fm_k8s_doc *doc, fm_conf *c, const char *key, const fm_k8s_val *req,
		      const fm_k8s_val *lim)
{
	if (!req->text || !lim->text)
		return FM_OK;
	fm_jexc e = {NULL, NULL};
	double rq, lm;
	bool ok = quantity_double(req->text, req->len, &rq, &e) == 0;
	fm_jexc_release(&e);
	ok = ok && quantity_double(lim->text, lim->len, &lm, &e) == 0;
	fm_jexc_release(&e);
	if (!ok || !(rq > 0))
		return FM_OK;
	double f = lm / rq;
	char txt[FM_JAVA_DTOA_MAX];
	size_t tl = fm_java_double_to_string(f, txt);
	fm_origin at = {doc->file, lim->line, lim->col, FM_SRC_K8S};
	return fm_conf_put_at(c, key, strlen(key), txt, tl, FM_V_FLOAT, f, &at, lim->key_line, lim->key_col);
}

static int apply_role(const fm_k8s_doc *doc, int op, bool jm, fm_conf *c, fm_diag *d)
{
	const fm_k8s_role *r = jm ? &doc->jm : &doc->tm;
	if (!r->present)
		return FM_OK;
	/* The validator first: a refused role is reported, and only a memory
	 * it cannot read is left out of the configuration. */
	int vrc = fm_k8s_validate_role(doc, op, jm, d);
	if (vrc == FM_ENOMEM)
		return vrc;
	const fm_k8s_val *mv;
	const char *field = fm_k8s_memory_field(doc, op, jm, &mv);
	if (field) {
		fm_buf s = FM_BUF_INIT;
		fm_jexc e = {NULL, NULL};
		int bad = op_memory_string(op, mv, &s, &e);
		int64_t bytes;
		if (!bad)
			bad = fm_size_parse(s.data ? s.data : "", s.len, &bytes, &e);
		if (bad && !e.msg) {
			fm_buf_release(&s);
			return fm_diag_set(d, FM_ENOMEM, doc->file, 0, 0, NULL, "out of memory");
		}
		if (!bad) {
			fm_origin at = {doc->file, mv->line, mv->col, FM_SRC_K8S};
			const char *key = jm ? "jobmanager.memory.process.size" : "taskmanager.memory.process.size";
			if (fm_conf_put_at(c, key, strlen(key), s.data, s.len, FM_V_STR, 0, &at, mv->key_line,
					   mv->key_col) != FM_OK)
				bad = -2;
		} else if (vrc == FM_OK && d) {
			/* refused by Flink's grammar although the validator took
			 * it (never for the operator's own conversions) */
			vrc = fm_diag_set(d, FM_EINVAL, doc->file, mv->line, mv->col, field, "%s resource memory parse error: %s",
					  jm ? "JobManager" : "TaskManager", e.msg);
		}
		if (vrc == FM_EINVAL && bad != -2 && e.msg && d && !d->jclass)
			fm_diag_java(d, e.cls, e.msg);
		fm_jexc_release(&e);
		fm_buf_release(&s);
		if (bad == -2)
			return fm_diag_set(d, FM_ENOMEM, doc->file, 0, 0, NULL, "out of memory");
	}
	if (has_requirements(op, r)) {
		const fm_k8s_res *q = &r->resources;
		const fm_k8s_val *cv = q->req_cpu.text ? &q->req_cpu : q->lim_cpu.text ? &q->lim_cpu : NULL;
		double cpu;
		fm_jexc e = {NULL, NULL};
		if (cv && quantity_double(cv->text, cv->len, &cpu, &e) == 0 && put_cpu(doc, jm, c, cpu, cv) != FM_OK) {
			fm_jexc_release(&e);
			return fm_diag_set(d, FM_ENOMEM, doc->file, 0, 0, NULL, "out of memory");
		}
		fm_jexc_release(&e);
		if (put_factor(doc, c, jm ? "kubernetes.jobmanager.cpu.limit-factor" : "kubernetes.taskmanager.cpu.limit-factor",
			       &q->req_cpu, &q->lim_cpu) != FM_OK ||
		    put_factor(doc, c, limit_keys[jm ? 1 : 0], &q->req_memory, &q->lim_memory) != FM_OK)
			return fm_diag_set(d, FM_ENOMEM, doc->file, 0, 0, NULL, "out of memory");
	} else if (r->has_cpu && put_cpu(doc, jm, c, r->cpu_value, &r->cpu) != FM_OK) {
		return fm_diag_set(d, FM_ENOMEM, doc->file, 0, 0, NULL, "out of memory");
	}
	return vrc;
}

int fm_k8s_effective_conf_op(const fm_k8s_doc *doc, int op, fm_conf **out, fm_diag rejected[2])
{
	*out = NULL;
	fm_conf *c = doc->conf ? fm_conf_dup(doc->conf) : fm_conf_new();
	if (!c)
		return FM_ENOMEM;
	/* applyJobManagerSpec() runs before applyTaskManagerSpec(). */
	for (int jm = 1; jm >= 0; jm--) {
		int rc = apply_role(doc, op, jm, c, &rejected[jm ? 0 : 1]);
		if (rc != FM_OK && rc != FM_EINVAL) {
			fm_conf_free(c);
			return rc;
		}
	}
	*out = c;
	return FM_OK;
}

int fm_k8s_effective_conf_lenient(const fm_k8s_doc *doc, fm_conf **out, fm_diag rejected[2])
{
	return fm_k8s_effective_conf_op(doc, FM_K8S_OP_MAIN, out, rejected);
}

int fm_k8s_effective_conf(const fm_k8s_doc *doc, fm_conf **out, fm_diag *d)
{
	fm_diag rej[2] = {FM_DIAG_INIT, FM_DIAG_INIT};
	fm_conf *c = NULL;
	int rc = fm_k8s_effective_conf_op(doc, FM_K8S_OP_MAIN, &c, rej);
	if (rc == FM_OK) {
		/* the JobManager's refusal first, as the validator has it */
		fm_diag *r = rej[0].code ? &rej[0] : rej[1].code ? &rej[1] : NULL;
		if (r) {
			fm_conf_free(c);
			c = NULL;
			rc = r->code;
			if (d) {
				*d = *r;
				*r = (fm_diag)FM_DIAG_INIT;
			}
		}
	} else if (d) {
		rc = fm_diag_set(d, rc, doc->file, 0, 0, NULL, "out of memory");
	}
	fm_diag_release(&rej[0]);
	fm_diag_release(&rej[1]);
	*out = c;
	return rc;
}

/* A double option as Configuration reads it; def when unset or unreadable. */
static double conf_double(const fm_conf *c, const char *key, double def)
{
	const fm_entry *e = c ? fm_conf_find(c, key) : NULL;
	double v;
	if (!e)
		return def;
	if (e->type == FM_V_FLOAT)
		return e->num;
	return fm_java_parse_double(e->text, e->text_len, &v) == 0 ? v : def;
}

void fm_k8s_container_cpu(const fm_conf *c, bool jm, double *req, double *lim)
{
	double cpu;
	if (jm) {
		cpu = conf_double(c, "kubernetes.jobmanager.cpu.amount", 1.0);
	} else {
		/* TaskExecutorProcessUtils.getCpuCoresWithFallbackConfigOption */
		cpu = conf_double(c, "taskmanager.cpu.cores", -1.0);
		if (!(cpu > 0))
			cpu = conf_double(c, "kubernetes.taskmanager.cpu.amount", -1.0);
		if (!(cpu > 0))
			cpu = conf_double(c, "taskmanager.numberOfTaskSlots", 1.0);
	}
	*req = cpu;
	*lim = cpu * conf_double(c, jm ? "kubernetes.jobmanager.cpu.limit-factor" : "kubernetes.taskmanager.cpu.limit-factor",
				 1.0);
}

int fm_k8s_memory_limit_factor(const fm_conf *c, bool jm, double *out, fm_diag *d)
{
	const char *key = limit_keys[jm ? 1 : 0];
	*out = 1.0; /* KubernetesConfigOptions.*_MEMORY_LIMIT_FACTOR default */
	const fm_entry *e = c ? fm_conf_find(c, key) : NULL;
	if (!e)
		return FM_OK;
	if (e->type == FM_V_FLOAT) {
		*out = e->num;
		return FM_OK;
	}
	/* ConfigurationUtils.convertToDouble: Double.parseDouble(o.toString()). */
	double v;
	int jr = fm_java_parse_double(e->text, e->text_len, &v);
	if (jr == 0) {
		*out = v;
		return FM_OK;
	}
	int rc = fm_diag_set(d, FM_EINVAL, e->at.file, e->at.line, e->at.col, key,
			     "Could not parse value '%s' for key '%s'.", e->text, key);
	if (rc != FM_EINVAL)
		return rc;
	return fm_diag_java(d, FM_JCLS_IAE, d ? d->msg : "") == FM_OK ? FM_EINVAL : FM_ENOMEM;
}

/* ======================================================================
 * Sniffing
 * ====================================================================== */

static bool starts(const char *s, size_t n, const char *p)
{
	size_t l = strlen(p);
	return n >= l && memcmp(s, p, l) == 0;
}

/* After "apiVersion" and its colon: optional blanks and quote, then the
 * operator's API group. */
static bool flink_api(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (i < n && (s[i] == '"' || s[i] == '\''))
		i++;
	return starts(s + i, n - i, "flink.apache.org/");
}

/* Skips blanks and a JSON/YAML key quote, matches key, its closing quote
 * and the colon; returns the offset after the colon or 0. */
static size_t key_at(const char *s, size_t n, const char *key)
{
	size_t i = 0;
	char q = 0;
	if (i < n && (s[i] == '"' || s[i] == '\''))
		q = s[i++];
	if (!starts(s + i, n - i, key))
		return 0;
	i += strlen(key);
	if (q) {
		if (i >= n || s[i] != q)
			return 0;
		i++;
	}
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	return i < n && s[i] == ':' ? i + 1 : 0;
}

bool fm_k8s_looks_like_cr(const char *data, size_t len)
{
	if (!data)
		return false;
	bool api = false, kind = false, list = false, item_api = false;
	size_t i = 0;
	/* A JSON object: members may sit anywhere; look at top-level-looking
	 * ones by scanning for the member names. */
	size_t j = 0;
	while (j < len && (data[j] == ' ' || data[j] == '\t' || data[j] == '\r' || data[j] == '\n'))
		j++;
	bool json = j < len && data[j] == '{';
	while (i < len) {
		size_t e = i;
		while (e < len && data[e] != '\n' && data[e] != '\r')
			e++;
		const char *s = data + i;
		size_t n = e - i;
		if (json) {
			for (size_t p = 0; p < n; p++) {
				size_t a = key_at(s + p, n - p, "apiVersion");
				if (s[p] == '"' && a && flink_api(s + p + a, n - p - a))
					api = true;
				if (s[p] == '"' && key_at(s + p, n - p, "kind"))
					kind = true;
			}
		} else {
			size_t a = key_at(s, n, "apiVersion");
			if (a && flink_api(s + a, n - a))
				api = true;
			size_t k = key_at(s, n, "kind");
			if (k) {
				kind = true;
				const char *v = s + k;
				size_t vn = n - k;
				while (vn && (*v == ' ' || *v == '\t')) {
					v++;
					vn--;
				}
				if (starts(v, vn, "List"))
					list = true;
			}
			/* `kind: List` items: "- apiVersion: flink..." at any indent. */
			size_t p = 0;
			while (p < n && (s[p] == ' ' || s[p] == '\t'))
				p++;
			if (p < n && s[p] == '-') {
				p++;
				while (p < n && s[p] == ' ')
					p++;
			}
			if (p > 0) {
				size_t ia = key_at(s + p, n - p, "apiVersion");
				if (ia && flink_api(s + p + ia, n - p - ia))
					item_api = true;
			}
		}
		i = e + 1;
	}
	return kind && (api || (list && item_api));
}
