/* test_patch — comment-preserving config edits and the unified diff.
 * Fixed cases pin the exact bytes of typical edits (value span only,
 * trailing comment kept, CRLF kept, new keys under their parent mapping,
 * resource.memory of a FlinkDeployment, removal that empties a mapping).
 * The round-trip property runs many generated files of each format
 * (comments, blank lines, CRLF, nested and dotted keys, quoted values,
 * multi-document CRs) with random change sets, re-reads the result with
 * the real readers and requires: config == original + exactly the
 * changes, every comment line still there byte for byte, and the diff
 * applied to the original giving the result. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "flinkmem/conf.h"
#include "flinkmem/conf_flat.h"
#include "flinkmem/conf_k8s.h"
#include "flinkmem/conf_yaml.h"
#include "flinkmem/memsize.h"
#include "flinkmem/patch.h"

/* ---- helpers -------------------------------------------------------------- */

/* Applies edits; returns the new text (caller frees) or NULL with *rc. */
static char *apply(fm_patch_fmt f, const char *src, const fm_edit *e, size_t n, int *rc)
{
	fm_buf o = FM_BUF_INIT;
	fm_diag d = FM_DIAG_INIT;
	*rc = fm_patch_apply(f, "conf", src, strlen(src), 0, e, n, &o, NULL, &d);
	fm_diag_release(&d);
	if (*rc) {
		fm_buf_release(&o);
		return NULL;
	}
	size_t len;
	char *s = fm_buf_detach(&o, &len);
	assert_non_null(s);
	return s;
}

static void expect_patch(fm_patch_fmt f, const char *src, const fm_edit *e, size_t n, const char *want)
{
	int rc;
	char *got = apply(f, src, e, n, &rc);
	assert_int_equal(rc, FM_OK);
	assert_string_equal(got, want);
	free(got);
}

static int load(fm_patch_fmt f, const char *s, size_t n, fm_conf *c)
{
	fm_diag d = FM_DIAG_INIT;
	fm_logs l = FM_LOGS_INIT;
	int rc = f == FM_PATCH_FLAT ? fm_conf_load_flat(c, "conf", s, n, NULL, &l, &d) : fm_conf_load_yaml(c, "conf", s, n, &d);
	fm_logs_release(&l);
	fm_diag_release(&d);
	return rc;
}

/* ---- fixed cases: legacy flink-conf.yaml ---------------------------------------- */

static void flat_value_only(void **state)
{
	(void)state;
	fm_edit e[] = {{"taskmanager.memory.process.size", "4g"}};
	expect_patch(FM_PATCH_FLAT,
		     "# TM\n  taskmanager.memory.process.size:   1728m   # 2 GiB pod\nparallelism.default: 1\n", e, 1,
		     "# TM\n  taskmanager.memory.process.size:   4g   # 2 GiB pod\nparallelism.default: 1\n");
}

static void flat_crlf_insert_related(void **state)
{
	(void)state;
	fm_edit e[] = {{"taskmanager.memory.managed.fraction", "0.2"}, {"jobmanager.memory.process.size", "2g"}};
	expect_patch(FM_PATCH_FLAT,
		     "jobmanager.rpc.address: jm\r\ntaskmanager.memory.process.size: 2g\r\n# tail\r\nx.y: 1",
		     e, 2,
		     "jobmanager.rpc.address: jm\r\njobmanager.memory.process.size: 2g\r\n"
		     "taskmanager.memory.process.size: 2g\r\ntaskmanager.memory.managed.fraction: 0.2\r\n# tail\r\nx.y: 1");
	/* nothing related: appended, after a line end the file lacked */
	fm_edit e2[] = {{"state.backend.type", "rocksdb"}};
	expect_patch(FM_PATCH_FLAT, "a.b: 1", e2, 1, "a.b: 1\nstate.backend.type: rocksdb\n");
}

static void flat_last_duplicate_and_remove(void **state)
{
	(void)state;
	fm_edit e[] = {{"k.a", "3"}};
	expect_patch(FM_PATCH_FLAT, "k.a: 1\nk.a: 2 # wins\n", e, 1, "k.a: 1\nk.a: 3 # wins\n");
	fm_edit r[] = {{"k.a", NULL}};
	expect_patch(FM_PATCH_FLAT, "# c\nk.a: 1\nk.b: 2\nk.a: 2 # wins\n", r, 1, "# c\nk.b: 2\n");
}

static void flat_refuses_unwritable(void **state)
{
	(void)state;
	int rc;
	fm_edit e[] = {{"env.java.opts", "-Dx=1 #2"}};
	assert_null(apply(FM_PATCH_FLAT, "a: 1\n", e, 1, &rc));
	assert_int_equal(rc, FM_EINVAL);
	fm_edit e2[] = {{"a", " padded"}};
	assert_null(apply(FM_PATCH_FLAT, "a: 1\n", e2, 1, &rc));
	assert_int_equal(rc, FM_EINVAL);
	fm_edit e3[] = {{"a: b", "1"}};
	assert_null(apply(FM_PATCH_FLAT, "a: 1\n", e3, 1, &rc));
	assert_int_equal(rc, FM_EINVAL);
}

/* ---- fixed cases: config.yaml ------------------------------------------------------ */

static void yaml_nested_edit_insert(void **state)
{
	(void)state;
	fm_edit e[] = {{"taskmanager.memory.process.size", "4g"},
		       {"taskmanager.memory.managed.fraction", "0.40"},
		       {"jobmanager.memory.process.size", "2g"}};
	expect_patch(FM_PATCH_YAML,
		     "# top\ntaskmanager:\n    memory:\n        process.size: '1728m' # pod\n    numberOfTaskSlots: 2\n"
		     "# jm\njobmanager:\n    rpc.address: localhost\n",
		     e, 3,
		     "# top\ntaskmanager:\n    memory:\n        process.size: '4g' # pod\n"
		     "        managed.fraction: '0.40'\n    numberOfTaskSlots: 2\n"
		     "# jm\njobmanager:\n    rpc.address: localhost\n    memory.process.size: 2g\n");
}

static void yaml_quotes_when_plain_differs(void **state)
{
	(void)state;
	/* plain 0.40 would read back as the Double 0.4, plain null as null */
	fm_edit e[] = {{"a.f", "0.40"}, {"a.n", "null"}, {"a.s", "x: y"}, {"a.i", "1024"}};
	expect_patch(FM_PATCH_YAML, "a.f: 1\r\na.n: x\r\na.s: 1\r\na.i: 2\r\n", e, 4,
		     "a.f: \"0.40\"\r\na.n: \"null\"\r\na.s: \"x: y\"\r\na.i: 1024\r\n");
}

static void yaml_remove_empties_parent(void **state)
{
	(void)state;
	fm_edit e[] = {{"taskmanager.memory.flink.size", NULL}, {"taskmanager.memory.process.size", "2g"}};
	expect_patch(FM_PATCH_YAML,
		     "taskmanager:\n  memory:\n    # the flink size\n    flink.size: 1g\n  numberOfTaskSlots: 2\n", e, 2,
		     "taskmanager:\n  memory:\n    # the flink size\n    process.size: 2g\n  numberOfTaskSlots: 2\n");
	fm_edit r[] = {{"taskmanager.memory.flink.size", NULL}};
	expect_patch(FM_PATCH_YAML,
		     "taskmanager:\n  memory:\n    # the flink size\n    flink.size: 1g\n  numberOfTaskSlots: 2\n", r, 1,
		     "taskmanager:\n    # the flink size\n  numberOfTaskSlots: 2\n");
}

static void yaml_flow_and_empty(void **state)
{
	(void)state;
	fm_edit e[] = {{"b", "2"}};
	expect_patch(FM_PATCH_YAML, "{a: 1}\n", e, 1, "{a: 1, b: 2}\n");
	expect_patch(FM_PATCH_YAML, "# only a comment", e, 1, "# only a comment\nb: 2\n");
	/* two keys into an empty flow mapping; a removal first does not lose
	 * the line end the file lacked */
	fm_edit e2[] = {{"x", NULL}, {"a.b", "x: y"}, {"a.c", "null"}};
	expect_patch(FM_PATCH_YAML, "{}", e2, 3, "{a.b: \"x: y\", a.c: \"null\"}");
	expect_patch(FM_PATCH_YAML, "#", e2, 3, "#\na.b: \"x: y\"\na.c: \"null\"\n");
	/* a.b next to a mapping a.b.*: a top-level dotted key, not a duplicate b */
	expect_patch(FM_PATCH_YAML, "a:\n  b:\n    c: 1\n", e2 + 1, 1, "a:\n  b:\n    c: 1\na.b: \"x: y\"\n");
	expect_patch(FM_PATCH_YAML, "", e, 1, "b: 2\n");
}

static void yaml_awkward_inputs(void **state)
{
	(void)state;
	/* a BOM and multi-byte characters before the edited value */
	fm_edit e[] = {{"a.b", "2g"}};
	expect_patch(FM_PATCH_YAML, "\xEF\xBB\xBF# \xC3\xA9t\xC3\xA9\nx: \"\xE2\x82\xAC\xE2\x82\xAC\"\na:\n  b: 1g # \xC3\xBC\n", e, 1,
		     "\xEF\xBB\xBF# \xC3\xA9t\xC3\xA9\nx: \"\xE2\x82\xAC\xE2\x82\xAC\"\na:\n  b: 2g # \xC3\xBC\n");
	/* a block scalar value becomes a plain one on the same line */
	expect_patch(FM_PATCH_YAML, "a:\n  b: |\n    1g\nc: 1\n", e, 1, "a:\n  b: 2g\nc: 1\n");
	int rc;
	/* an alias or a sequence value is not ours to rewrite */
	assert_null(apply(FM_PATCH_YAML, "x: &s 1g\na.b: *s\n", e, 1, &rc));
	assert_int_equal(rc, FM_EINVAL);
	assert_null(apply(FM_PATCH_YAML, "a.b: [1g]\n", e, 1, &rc));
	assert_int_equal(rc, FM_EINVAL);
	/* removing inside a flow mapping would rewrite its neighbours */
	fm_edit r[] = {{"a.b", NULL}};
	assert_null(apply(FM_PATCH_YAML, "a: {b: 1, c: 2}\n", r, 1, &rc));
	assert_int_equal(rc, FM_EINVAL);
	/* broken YAML */
	assert_null(apply(FM_PATCH_YAML, "a: [1\n", e, 1, &rc));
	assert_int_equal(rc, FM_ESYNTAX);
	/* YAML that parses but that Flink cannot load (a null value) */
	assert_null(apply(FM_PATCH_YAML, "a.c:\nx: 1\n", e, 1, &rc));
	assert_true(rc == FM_EINVAL || rc == FM_ESYNTAX);
	/* a top level that is not a mapping */
	assert_null(apply(FM_PATCH_YAML, "- 1\n", e, 1, &rc));
	assert_int_equal(rc, FM_EINVAL);
}

/* ---- fixed cases: FlinkDeployment ------------------------------------------------------- */

#define CR_HEAD "apiVersion: flink.apache.org/v1beta1\nkind: FlinkDeployment\nmetadata:\n  name: job\nspec:\n  flinkVersion: v1_18\n"

static void k8s_resource_memory(void **state)
{
	(void)state;
	fm_edit e[] = {{"taskmanager.memory.process.size", "4g"},
		       {"jobmanager.memory.process.size", "3g"},
		       {"taskmanager.memory.managed.fraction", "0.2"}};
	expect_patch(FM_PATCH_K8S,
		     CR_HEAD "  flinkConfiguration:\n    taskmanager.numberOfTaskSlots: \"2\"\n"
			     "  jobManager:\n    resource:\n      memory: \"2048m\"\n      cpu: 1\n"
			     "  taskManager:\n    resource:\n      memory: 2Gi # pod size\n      cpu: 1\n",
		     e, 3,
		     CR_HEAD "  flinkConfiguration:\n    taskmanager.numberOfTaskSlots: \"2\"\n"
			     "    taskmanager.memory.managed.fraction: \"0.2\"\n"
			     "  jobManager:\n    resource:\n      memory: \"3g\"\n      cpu: 1\n"
			     "  taskManager:\n    resource:\n      memory: 4Gi # pod size\n      cpu: 1\n");
	int rc;
	fm_edit r[] = {{"taskmanager.memory.process.size", NULL}};
	assert_null(apply(FM_PATCH_K8S, CR_HEAD "  taskManager:\n    resource:\n      memory: 2Gi\n", r, 1, &rc));
	assert_int_equal(rc, FM_EINVAL);
}

static void k8s_new_flink_configuration(void **state)
{
	(void)state;
	fm_edit e[] = {{"taskmanager.memory.process.size", "4g"}};
	/* `flinkConfiguration:` with nothing under it */
	expect_patch(FM_PATCH_K8S, CR_HEAD "  flinkConfiguration:\n  job:\n    parallelism: 2\n", e, 1,
		     CR_HEAD "  flinkConfiguration:\n    taskmanager.memory.process.size: \"4g\"\n  job:\n    parallelism: 2\n");
	int rc;
	fm_buf o = FM_BUF_INIT;
	fm_diag d = FM_DIAG_INIT;
	const char *one = CR_HEAD "  job:\n    parallelism: 2\n";
	assert_int_equal(fm_patch_apply(FM_PATCH_K8S, "cr", one, strlen(one), 1, e, 1, &o, NULL, &d), FM_EINVAL);
	fm_diag_release(&d);
	assert_null(apply(FM_PATCH_K8S, "kind: ConfigMap\n", e, 1, &rc));
	assert_int_equal(rc, FM_EINVAL);
	expect_patch(FM_PATCH_K8S, "---\nkind: ConfigMap\napiVersion: v1\n---\n" CR_HEAD "  job:\n    parallelism: 2\n", e, 1,
		     "---\nkind: ConfigMap\napiVersion: v1\n---\n" CR_HEAD
		     "  job:\n    parallelism: 2\n  flinkConfiguration:\n    taskmanager.memory.process.size: \"4g\"\n");
}

/* ---- diff ------------------------------------------------------------------------------------- */

/* Applies a unified diff made by fm_diff_unified to a; NULL when a hunk
 * does not match. A line followed by "\ No newline" has no terminator. */
static char *apply_diff(const char *a, const char *diff)
{
	size_t alen = strlen(a), na = 0, ai = 0;
	const char *la[4096];
	size_t ln[4096];
	for (size_t p = 0; p < alen && na < 4096;) {
		size_t q = p;
		while (q < alen && a[q] != '\n')
			q++;
		if (q < alen)
			q++;
		la[na] = a + p;
		ln[na++] = q - p;
		p = q;
	}
	fm_buf out = FM_BUF_INIT;
	const char *p = diff;
	for (int i = 0; i < 2 && *p; i++) /* --- / +++ */
		p = strchr(p, '\n') ? strchr(p, '\n') + 1 : p + strlen(p);
	while (*p) {
		const char *nl = strchr(p, '\n');
		if (!nl)
			goto bad;
		if (p[0] == '@') {
			unsigned long s0, c0 = 1;
			if (sscanf(p, "@@ -%lu,%lu", &s0, &c0) < 1)
				goto bad;
			size_t target = c0 == 0 ? s0 : s0 - 1;
			while (ai < target && ai < na)
				fm_buf_add(&out, la[ai], ln[ai]), ai++;
			p = nl + 1;
			continue;
		}
		char t = p[0];
		size_t bn = (size_t)(nl - p); /* content + '\n' minus the tag */
		const char *next = nl + 1;
		if (next[0] == '\\') { /* no terminator on this one */
			bn--;
			next = strchr(next, '\n') ? strchr(next, '\n') + 1 : next + strlen(next);
		}
		const char *bytes = p + 1;
		if (t == ' ' || t == '-') {
			if (ai >= na || ln[ai] != bn || memcmp(la[ai], bytes, bn))
				goto bad;
			if (t == ' ')
				fm_buf_add(&out, bytes, bn);
			ai++;
		} else if (t == '+') {
			fm_buf_add(&out, bytes, bn);
		} else {
			goto bad;
		}
		p = next;
	}
	while (ai < na)
		fm_buf_add(&out, la[ai], ln[ai]), ai++;
	fm_buf_add(&out, "", 0);
	size_t len;
	return fm_buf_detach(&out, &len);
bad:
	fm_buf_release(&out);
	return NULL;
}

static void diff_exact(void **state)
{
	(void)state;
	const char *a = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n14\n15\n16\n";
	const char *b = "1\n2\n3\nfour\n5\n6\n7\n8\n9\n10\n11\n12\n13\n14\n15\n16\nseventeen";
	fm_buf o = FM_BUF_INIT;
	assert_int_equal(fm_diff_unified(&o, "conf/x.yaml", a, strlen(a), b, strlen(b)), FM_OK);
	assert_string_equal(o.data, "--- a/conf/x.yaml\n+++ b/conf/x.yaml\n"
				    "@@ -1,7 +1,7 @@\n 1\n 2\n 3\n-4\n+four\n 5\n 6\n 7\n"
				    "@@ -14,3 +14,4 @@\n 14\n 15\n 16\n+seventeen\n\\ No newline at end of file\n");
	fm_buf_reset(&o);
	assert_int_equal(fm_diff_unified(&o, "x", a, strlen(a), a, strlen(a)), FM_OK);
	assert_int_equal(o.len, 0);
	/* close changes share one hunk; an empty side */
	assert_int_equal(fm_diff_unified(&o, "x", "", 0, "a\n", 2), FM_OK);
	assert_string_equal(o.data, "--- a/x\n+++ b/x\n@@ -0,0 +1 @@\n+a\n");
	fm_buf_reset(&o);
	assert_int_equal(fm_diff_unified(&o, "x", "a\nb\nc\n", 6, "a\nB\nc\nD\n", 8), FM_OK);
	assert_string_equal(o.data, "--- a/x\n+++ b/x\n@@ -1,3 +1,4 @@\n a\n-b\n+B\n c\n+D\n");
	fm_buf_release(&o);
}

/* ---- round-trip property ------------------------------------------------------------------------ */

static uint64_t rng = 0x9E3779B97F4A7C15u;
static uint32_t rnd(uint32_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng % n);
}

static const char *KEYS[] = {
	"taskmanager.memory.process.size", "taskmanager.memory.flink.size", "taskmanager.memory.managed.fraction",
	"taskmanager.memory.network.min", "taskmanager.memory.network.max", "taskmanager.memory.jvm-overhead.fraction",
	"taskmanager.memory.task.heap.size", "taskmanager.numberOfTaskSlots", "jobmanager.memory.process.size",
	"jobmanager.memory.heap.size", "jobmanager.rpc.address", "parallelism.default", "state.backend.type",
	"env.java.opts.taskmanager",
};
#define NKEYS (sizeof KEYS / sizeof KEYS[0])

/* Values for changes: sizes, fractions and the awkward ones. */
static const char *VALS[] = {"2g", "4096m", "0.25", "0.40", "1024", "true", "yes", "null", "~", "1e3", "0x10",
			     "[a]", "{x}", "a b", "x: y", "x #y", "'q'", "\"d\"", "é ü", "-5", "12:30", "rocksdb",
			     "-XX:+UseG1GC -Dx=1", "2 gb", "1728m"};
#define NVALS (sizeof VALS / sizeof VALS[0])

/* Values the generated originals hold, spelled so every reader takes them. */
static const char *ORIG_VALS[] = {"1728m", "1g", "0.4", "2", "localhost", "h\xC3\xA9llo w\xC3\xB6rld \xE2\x82\xAC", "rocksdb", "512mb"};

static void add_eol(fm_buf *b, const char *eol)
{
	fm_buf_adds(b, eol);
}

static void comment(fm_buf *b, const char *eol, int indent, unsigned id)
{
	fm_buf_addf(b, "%*s# comment %u: keep me; 2g, key: value%s", indent, "", id, eol);
}

static void gen_flat(fm_buf *b)
{
	const char *eol = rnd(3) == 0 ? "\r\n" : "\n";
	unsigned n = 1 + rnd(10);
	for (unsigned i = 0; i < n; i++) {
		switch (rnd(6)) {
		case 0: comment(b, eol, (int)rnd(3), i); break;
		case 1: add_eol(b, eol); break;
		case 2: fm_buf_addf(b, "not a key value line %u%s", i, eol); break;
		default:
			fm_buf_addf(b, "%*s%s:%*s%s%s%s", (int)rnd(2), "", KEYS[rnd(NKEYS)], 1 + (int)rnd(3), "",
				    ORIG_VALS[rnd(8)], rnd(3) ? "" : "   # trailing", eol);
		}
	}
	if (rnd(4) == 0)
		fm_buf_adds(b, "last.line.without.eol: 1");
}

static void yaml_scalar(fm_buf *b, const char *v)
{
	switch (rnd(3)) {
	case 0: fm_buf_addf(b, "'%s'", v); break;
	case 1: fm_buf_addf(b, "\"%s\"", v); break;
	default: fm_buf_adds(b, v);
	}
}

/* A config.yaml (or a flinkConfiguration body at base indentation): each
 * chosen key split into nested mappings at random points, grouped under
 * shared parents, with comments and blank lines between entries. */
typedef struct gnode {
	char name[64];
	int leaf;           /* value index when a leaf */
	struct gnode *kids[16];
	int nk;
} gnode;

static gnode *gnode_get(gnode *p, const char *name, size_t n)
{
	for (int i = 0; i < p->nk; i++)
		if (strlen(p->kids[i]->name) == n && !memcmp(p->kids[i]->name, name, n))
			return p->kids[i];
	if (p->nk == 16)
		return NULL;
	gnode *g = calloc(1, sizeof(*g));
	assert_non_null(g);
	memcpy(g->name, name, n);
	g->leaf = -1;
	p->kids[p->nk++] = g;
	return g;
}

static void gnode_free(gnode *g)
{
	for (int i = 0; i < g->nk; i++)
		gnode_free(g->kids[i]);
	free(g);
}

static void gen_tree_emit(fm_buf *b, const gnode *g, int indent, int step, const char *eol, bool k8s, unsigned *cid)
{
	for (int i = 0; i < g->nk; i++) {
		const gnode *k = g->kids[i];
		if (rnd(5) == 0)
			comment(b, eol, rnd(2) ? indent : 0, (*cid)++);
		if (rnd(8) == 0)
			add_eol(b, eol);
		fm_buf_addf(b, "%*s%s:", indent, "", k->name);
		if (k->leaf >= 0) {
			fm_buf_adds(b, " ");
			if (k8s)
				fm_buf_addf(b, "\"%s\"", ORIG_VALS[k->leaf]);
			else
				yaml_scalar(b, ORIG_VALS[k->leaf]);
			fm_buf_addf(b, "%s%s", rnd(3) ? "" : "  # trailing", eol);
		} else {
			fm_buf_addf(b, "%s%s", rnd(4) ? "" : " # parent", eol);
			gen_tree_emit(b, k, indent + step, step, eol, k8s, cid);
		}
	}
}

static void gen_tree(fm_buf *b, int indent, int step, const char *eol, bool k8s, unsigned *cid)
{
	gnode root = {.leaf = -1};
	unsigned n = 1 + rnd(8);
	for (unsigned i = 0; i < n; i++) {
		const char *key = KEYS[rnd(NKEYS)];
		gnode *cur = &root;
		const char *p = key;
		while (cur) {
			const char *dot = strchr(p, '.');
			if (!dot || rnd(2)) {
				/* the rest as one (dotted) key: a leaf unless taken */
				gnode *l = gnode_get(cur, p, strlen(p));
				if (l && l->nk == 0 && l->leaf < 0)
					l->leaf = (int)rnd(8);
				else if (l && l->leaf < 0 && l->nk == 0)
					l->leaf = 0;
				break;
			}
			gnode *next = gnode_get(cur, p, (size_t)(dot - p));
			if (!next || next->leaf >= 0)
				break;
			cur = next;
			p = dot + 1;
		}
	}
	/* a mapping that got no leaf below it would read as null: give it one */
	gnode *stack[64];
	int sp = 0;
	stack[sp++] = &root;
	while (sp) {
		gnode *g = stack[--sp];
		for (int i = 0; i < g->nk; i++) {
			gnode *k = g->kids[i];
			if (k->leaf < 0 && k->nk == 0)
				k->leaf = 1;
			if (k->nk && sp < 64)
				stack[sp++] = k;
		}
	}
	gen_tree_emit(b, &root, indent, step, eol, k8s, cid);
	for (int i = 0; i < root.nk; i++)
		gnode_free(root.kids[i]);
}

static void gen_yaml(fm_buf *b)
{
	const char *eol = rnd(3) == 0 ? "\r\n" : "\n";
	unsigned cid = 0;
	if (rnd(2))
		comment(b, eol, 0, 999);
	gen_tree(b, 0, 2 + 2 * (int)rnd(2), eol, false, &cid);
	if (rnd(3) == 0)
		comment(b, eol, 0, 998);
}

static void gen_k8s(fm_buf *b, bool *tm_mem, bool *jm_mem)
{
	const char *eol = "\n";
	unsigned cid = 0;
	int step = 2 + 2 * (int)rnd(2);
	if (rnd(3) == 0)
		fm_buf_addf(b, "apiVersion: v1%skind: ConfigMap%smetadata:%s%*sname: other%s---%s", eol, eol, eol, step, "",
			    eol, eol);
	fm_buf_addf(b, "# the job%sapiVersion: flink.apache.org/v1beta1%skind: FlinkDeployment%smetadata:%s%*sname: gen%s"
		       "spec:%s%*sflinkVersion: v1_18%s",
		    eol, eol, eol, eol, step, "", eol, eol, step, "", eol);
	if (rnd(4)) {
		fm_buf_addf(b, "%*sflinkConfiguration:%s", step, "", eol);
		gen_tree(b, 2 * step, step, eol, true, &cid);
	}
	*jm_mem = rnd(2);
	*tm_mem = rnd(2);
	static const char *mem[] = {"2048m", "2Gi", "\"1g\"", "1536Mi"};
	if (*jm_mem)
		fm_buf_addf(b, "%*sjobManager:%s%*sresource:%s%*smemory: %s%s%*scpu: 1%s", step, "", eol, 2 * step, "", eol,
			    3 * step, "", mem[rnd(4)], eol, 3 * step, "", eol);
	if (*tm_mem)
		fm_buf_addf(b, "%*staskManager:%s%*s# pods%s%*sresource:%s%*smemory: %s # pod%s", step, "", eol, 2 * step,
			    "", eol, 2 * step, "", eol, 3 * step, "", mem[rnd(4)], eol);
	if (rnd(2))
		comment(b, eol, 0, 997);
}

/* Comment lines of s (without their terminators), each checked in t. */
static void assert_comments_kept(const char *s, const char *t)
{
	for (const char *p = s; *p;) {
		size_t n = strcspn(p, "\r\n");
		size_t i = 0;
		while (i < n && (p[i] == ' ' || p[i] == '\t'))
			i++;
		if (i < n && p[i] == '#') {
			/* the same bytes must start a line of t */
			bool found = false;
			for (const char *q = t; *q && !found;) {
				size_t m = strcspn(q, "\r\n");
				found = m == n && !memcmp(q, p, n);
				q += m;
				while (*q == '\r' || *q == '\n')
					q++;
			}
			if (!found)
				fail_msg("comment line lost: %.*s\n--- before\n%s\n--- after\n%s", (int)n, p, s, t);
		}
		p += n;
		while (*p == '\r' || *p == '\n')
			p++;
	}
}

/* after == before + edits, text by text (types kept for untouched keys). */
static void assert_conf_is(const fm_conf *before, const fm_conf *after, const fm_edit *e, size_t ne,
			   const bool *routed, const char *ctx)
{
	fm_conf *want = fm_conf_dup(before);
	assert_non_null(want);
	for (size_t i = 0; i < ne; i++) {
		if (routed && routed[i])
			continue;
		fm_origin at = {NULL, 0, 0, FM_SRC_DYNAMIC};
		if (e[i].value)
			assert_int_equal(fm_conf_set_str(want, e[i].key, e[i].value, &at), FM_OK);
		else
			fm_conf_remove(want, e[i].key);
	}
	if (fm_conf_len(want) != fm_conf_len(after))
		fail_msg("entry count %zu, want %zu\n%s", fm_conf_len(after), fm_conf_len(want), ctx);
	for (size_t i = 0; i < fm_conf_len(want); i++) {
		const fm_entry *w = fm_conf_at(want, i), *g = fm_conf_find(after, w->key);
		if (!g || strcmp(g->text, w->text))
			fail_msg("%s: got %s, want %s\n%s", w->key, g ? g->text : "(absent)", w->text, ctx);
		const fm_entry *b = fm_conf_find(before, w->key);
		bool edited = false;
		for (size_t k = 0; k < ne; k++)
			edited = edited || !strcmp(e[k].key, w->key);
		if (b && !edited && b->type != g->type)
			fail_msg("%s changed type\n%s", w->key, ctx);
	}
	fm_conf_free(want);
}

static int64_t role_bytes(const fm_k8s_role *r)
{
	fm_buf b = FM_BUF_INIT;
	fm_jexc je = {0};
	int64_t v = -1;
	assert_int_equal(fm_k8s_memory_string(r->memory.text, r->memory.len, &b, &je), 0);
	assert_int_equal(fm_size_parse(b.data, b.len, &v, &je), 0);
	fm_buf_release(&b);
	fm_jexc_release(&je);
	return v;
}

static void roundtrip_one(fm_patch_fmt f, unsigned iter)
{
	fm_buf src = FM_BUF_INIT;
	bool tm_mem = false, jm_mem = false;
	if (f == FM_PATCH_FLAT)
		gen_flat(&src);
	else if (f == FM_PATCH_YAML)
		gen_yaml(&src);
	else
		gen_k8s(&src, &tm_mem, &jm_mem);
	fm_buf_add(&src, "", 0);
	const char *s = src.data;
	fm_edit e[6];
	size_t ne = 0, want_n = 1 + rnd(5);
	while (ne < want_n) {
		const char *k = KEYS[rnd(NKEYS)];
		bool dup = false;
		for (size_t i = 0; i < ne; i++)
			dup = dup || !strcmp(e[i].key, k);
		if (dup)
			continue;
		bool routed = f == FM_PATCH_K8S && ((tm_mem && !strcmp(k, "taskmanager.memory.process.size")) ||
						    (jm_mem && !strcmp(k, "jobmanager.memory.process.size")));
		const char *v = rnd(5) == 0 && !routed ? NULL : routed ? (rnd(2) ? "4g" : "3072m") : VALS[rnd(NVALS)];
		e[ne++] = (fm_edit){k, v};
	}
	char ctx[8192];
	fm_buf o = FM_BUF_INIT;
	fm_diag d = FM_DIAG_INIT;
	int rc = fm_patch_apply(f, "gen", s, src.len, 0, e, ne, &o, NULL, &d);
	int cn = snprintf(ctx, sizeof ctx, "iter %u fmt %d: %s\n--- edits\n", iter, (int)f, d.msg ? d.msg : "");
	for (size_t i = 0; i < ne && cn > 0 && (size_t)cn < sizeof ctx; i++)
		cn += snprintf(ctx + cn, sizeof ctx - (size_t)cn, "%s=%s\n", e[i].key, e[i].value ? e[i].value : "(remove)");
	if (cn > 0 && (size_t)cn < sizeof ctx)
		snprintf(ctx + cn, sizeof ctx - (size_t)cn, "--- file\n%s", s);
	if (f == FM_PATCH_FLAT && rc == FM_EINVAL) {
		/* only for what the line parser cannot hold */
		bool unwritable = false;
		for (size_t i = 0; i < ne; i++)
			unwritable = unwritable || (e[i].value && strpbrk(e[i].value, "#"));
		if (!unwritable)
			fail_msg("refused\n%s", ctx);
		goto out;
	}
	if (rc != FM_OK)
		fail_msg("rc %d\n%s", rc, ctx);
	fm_buf_add(&o, "", 0);
	size_t n = strlen(ctx);
	snprintf(ctx + n, sizeof ctx - n, "\n--- result\n%s", o.data);
	assert_comments_kept(s, o.data);
	if (f != FM_PATCH_K8S) {
		fm_conf *a = fm_conf_new(), *b = fm_conf_new();
		assert_int_equal(load(f, s, src.len, a), FM_OK);
		if (load(f, o.data, o.len, b) != FM_OK)
			fail_msg("result does not load\n%s", ctx);
		assert_conf_is(a, b, e, ne, NULL, ctx);
		fm_conf_free(a);
		fm_conf_free(b);
	} else {
		fm_k8s_doc *x = NULL, *y = NULL;
		size_t nx = 0, ny = 0;
		fm_diag d2 = FM_DIAG_INIT;
		assert_int_equal(fm_k8s_load("gen", s, src.len, &x, &nx, &d2), FM_OK);
		if (fm_k8s_load("gen", o.data, o.len, &y, &ny, &d2) != FM_OK || nx != 1 || ny != 1)
			fail_msg("result does not load\n%s", ctx);
		bool routed[6] = {false};
		for (size_t i = 0; i < ne; i++) {
			const fm_k8s_role *ro = !strcmp(e[i].key, "taskmanager.memory.process.size") ? &x[0].tm
						: !strcmp(e[i].key, "jobmanager.memory.process.size") ? &x[0].jm
													  : NULL;
			const fm_k8s_role *rn = ro == &x[0].tm ? &y[0].tm : &y[0].jm;
			if (!ro || !ro->memory.text)
				continue;
			routed[i] = true;
			int64_t want;
			fm_jexc je = {0};
			assert_int_equal(fm_size_parse(e[i].value, strlen(e[i].value), &want, &je), 0);
			if (role_bytes(rn) != want)
				fail_msg("%s: resource.memory not %s\n%s", e[i].key, e[i].value, ctx);
		}
		assert_conf_is(x[0].conf, y[0].conf, e, ne, routed, ctx);
		fm_k8s_docs_free(x, nx);
		fm_k8s_docs_free(y, ny);
		fm_diag_release(&d2);
	}
	/* the diff turns the original into the result */
	fm_buf df = FM_BUF_INIT;
	assert_int_equal(fm_diff_unified(&df, "gen", s, src.len, o.data, o.len), FM_OK);
	fm_buf_add(&df, "", 0);
	char *back = apply_diff(s, df.data);
	if (!back || strcmp(back, o.data))
		fail_msg("diff does not apply\n%s\n--- diff\n%s\n--- applied\n%s", ctx, df.data, back ? back : "(hunk mismatch)");
	free(back);
	fm_buf_release(&df);
out:
	fm_diag_release(&d);
	fm_buf_release(&o);
	fm_buf_release(&src);
}

static void roundtrip_flat(void **state)
{
	(void)state;
	for (unsigned i = 0; i < 3000; i++)
		roundtrip_one(FM_PATCH_FLAT, i);
}

static void roundtrip_yaml(void **state)
{
	(void)state;
	for (unsigned i = 0; i < 3000; i++)
		roundtrip_one(FM_PATCH_YAML, i);
}

static void roundtrip_k8s(void **state)
{
	(void)state;
	for (unsigned i = 0; i < 2000; i++)
		roundtrip_one(FM_PATCH_K8S, i);
}

static void no_edits_no_change(void **state)
{
	(void)state;
	const char *s = "# c\r\na:\r\n  b: 1 # t\r\n";
	expect_patch(FM_PATCH_YAML, s, NULL, 0, s);
	expect_patch(FM_PATCH_FLAT, s, NULL, 0, s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(flat_value_only),
		cmocka_unit_test(flat_crlf_insert_related),
		cmocka_unit_test(flat_last_duplicate_and_remove),
		cmocka_unit_test(flat_refuses_unwritable),
		cmocka_unit_test(yaml_nested_edit_insert),
		cmocka_unit_test(yaml_quotes_when_plain_differs),
		cmocka_unit_test(yaml_remove_empties_parent),
		cmocka_unit_test(yaml_flow_and_empty),
		cmocka_unit_test(yaml_awkward_inputs),
		cmocka_unit_test(k8s_resource_memory),
		cmocka_unit_test(k8s_new_flink_configuration),
		cmocka_unit_test(diff_exact),
		cmocka_unit_test(no_edits_no_change),
		cmocka_unit_test(roundtrip_flat),
		cmocka_unit_test(roundtrip_yaml),
		cmocka_unit_test(roundtrip_k8s),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
