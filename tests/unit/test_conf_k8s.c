/* test_conf_k8s — the FlinkDeployment reader against the operator's rules:
 * resource.memory through Flink's MemorySize first and fabric8's Quantity
 * second (2Gi, 2048m, 1.5G, 500M, "2 gb", invalid), resource.memory
 * overriding flinkConfiguration with provenance at the CR value, the
 * limit-factor as Flink reads a double, multi-document files, `kind: List`,
 * FlinkSessionJobs, non-CR YAML and the sniffer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "flinkmem/conf_k8s.h"

/* The operator's converted string for s, or "ERR:<message>". */
static char *mem(const char *s)
{
	fm_buf b = FM_BUF_INIT;
	fm_jexc e = {NULL, NULL};
	char *r = NULL;
	if (fm_k8s_memory_string(s, strlen(s), &b, &e) == 0) {
		r = strdup(b.data ? b.data : "");
	} else {
		assert_non_null(e.msg);
		if (asprintf(&r, "ERR:%s", e.msg) < 0)
			r = NULL;
	}
	fm_jexc_release(&e);
	fm_buf_release(&b);
	assert_non_null(r);
	return r;
}

#define ASSERT_MEM(in, want)                    \
	do {                                    \
		char *got_ = mem(in);           \
		assert_string_equal(got_, want); \
		free(got_);                     \
	} while (0)

static void test_memory_string(void **state)
{
	(void)state;
	/* Flink's grammar first: binary units, any case, MemorySize.toString. */
	ASSERT_MEM("2048m", "2 gb");
	ASSERT_MEM("1536m", "1536 mb");
	ASSERT_MEM("500M", "500 mb");
	ASSERT_MEM("2G", "2 gb");
	ASSERT_MEM("2 gb", "2 gb");
	ASSERT_MEM("1024k", "1 mb");
	ASSERT_MEM("2048", "2 kb");   /* bytes! */
	ASSERT_MEM("100", "100 bytes");
	ASSERT_MEM("0", "0 bytes");
	/* every unit divides 1 TiB: formatToString falls back to bytes */
	ASSERT_MEM("1t", "1099511627776 bytes");
	/* Kubernetes quantities when Flink says no */
	ASSERT_MEM("2Gi", "2147483648");
	ASSERT_MEM("100Mi", "104857600");
	ASSERT_MEM("2gib", "2147483648"); /* upper-cased, B dropped, I -> i */
	ASSERT_MEM("2e9", "2000000000");
	ASSERT_MEM("1.5G", "1500000000.0");
	ASSERT_MEM("1.5Gi", "1610612736.0");
	ASSERT_MEM("1Ei", "1.152921504606847E+18"); /* 2^60 through DECIMAL64 */
	/* neither */
	char *bad = mem("invalid");
	assert_true(strncmp(bad, "ERR:", 4) == 0);
	free(bad);
	bad = mem("");
	assert_true(strncmp(bad, "ERR:", 4) == 0);
	free(bad);
}

static void test_quantity_bytes(void **state)
{
	(void)state;
	int64_t b = 0;
	assert_int_equal(fm_k8s_quantity_bytes("1G", 2, &b), FM_OK);
	assert_int_equal(b, 1000000000);
	assert_int_equal(fm_k8s_quantity_bytes("1Gi", 3, &b), FM_OK);
	assert_int_equal(b, INT64_C(1) << 30);
	assert_int_equal(fm_k8s_quantity_bytes("500M", 4, &b), FM_OK);
	assert_int_equal(b, 500000000);
	assert_int_equal(fm_k8s_quantity_bytes("1.5Gi", 5, &b), FM_OK);
	assert_int_equal(b, 1610612736);
	assert_int_equal(fm_k8s_quantity_bytes("100m", 4, &b), FM_OK);
	assert_int_equal(b, 1); /* 0.1 bytes rounds up */
	assert_int_equal(fm_k8s_quantity_bytes("2048", 4, &b), FM_OK);
	assert_int_equal(b, 2048);
	assert_int_equal(fm_k8s_quantity_bytes("9E", 2, &b), FM_OK);
	assert_int_equal(b, INT64_C(9000000000000000000));
	assert_int_equal(fm_k8s_quantity_bytes("10E", 3, &b), FM_OK);
	assert_int_equal(b, INT64_MAX); /* saturates */
	/* a huge decimal exponent: zero stays zero, anything else saturates,
	 * both without walking the exponent digit by digit (fuzz finding) */
	assert_int_equal(fm_k8s_quantity_bytes("0G00900000000", 13, &b), FM_OK);
	assert_int_equal(b, 0);
	assert_int_equal(fm_k8s_quantity_bytes("1G00900000000", 13, &b), FM_OK);
	assert_int_equal(b, INT64_MAX);
	assert_int_equal(fm_k8s_quantity_bytes("2gb", 3, &b), FM_EINVAL);
	assert_int_equal(fm_k8s_quantity_bytes("-1Gi", 4, &b), FM_EINVAL);
	assert_int_equal(fm_k8s_quantity_bytes("", 0, &b), FM_EINVAL);
	assert_int_equal(fm_k8s_quantity_bytes("1 G", 3, &b), FM_EINVAL);
}

static fm_k8s_set load(const char *yaml)
{
	fm_k8s_set s;
	fm_diag d = FM_DIAG_INIT;
	int rc = fm_k8s_load_set("cr.yaml", yaml, strlen(yaml), &s, &d);
	if (rc != FM_OK)
		fail_msg("load failed: %s", d.msg ? d.msg : "?");
	fm_diag_release(&d);
	return s;
}

static const char overrides[] =
	"apiVersion: flink.apache.org/v1beta1\n"           /* 1 */
	"kind: FlinkDeployment\n"                           /* 2 */
	"metadata:\n"                                       /* 3 */
	"  name: basic\n"                                   /* 4 */
	"spec:\n"                                           /* 5 */
	"  flinkVersion: v1_16\n"                           /* 6 */
	"  flinkConfiguration:\n"                           /* 7 */
	"    taskmanager.memory.process.size: 4g\n"         /* 8 */
	"    jobmanager.memory.process.size: 1g\n"          /* 9 */
	"    kubernetes.taskmanager.memory.limit-factor: \"1.5\"\n" /* 10 */
	"  jobManager:\n"                                   /* 11 */
	"    resource:\n"                                   /* 12 */
	"      cpu: 0.5\n"                                  /* 13 */
	"  taskManager:\n"                                  /* 14 */
	"    resource:\n"                                   /* 15 */
	"      memory: \"2Gi\"\n"                           /* 16 */
	"      cpu: 2\n";                                   /* 17 */

static void test_resource_overrides_conf(void **state)
{
	(void)state;
	fm_k8s_set s = load(overrides);
	assert_int_equal(s.ndocs, 1);
	const fm_k8s_doc *doc = &s.docs[0];
	assert_string_equal(doc->name, "basic");
	assert_string_equal(doc->flink_version, "1.16");
	assert_non_null(doc->profile);
	assert_int_equal(doc->line, 2);
	assert_true(doc->tm_mem_limit_factor == 1.5);
	assert_true(doc->jm_mem_limit_factor == 1.0);
	fm_conf *c = NULL;
	fm_diag d = FM_DIAG_INIT;
	assert_int_equal(fm_k8s_effective_conf(doc, &c, &d), FM_OK);
	/* resource.memory wins over flinkConfiguration, pointing at the CR value */
	const fm_entry *e = fm_conf_find(c, "taskmanager.memory.process.size");
	assert_non_null(e);
	assert_string_equal(e->text, "2147483648");
	assert_int_equal(e->at.src, FM_SRC_K8S);
	assert_string_equal(e->at.file, "cr.yaml");
	assert_int_equal(e->at.line, 16);
	assert_int_equal(e->at.col, 15);
	assert_int_equal(e->key_line, 16);
	assert_int_equal(e->key_col, 7);
	/* no resource.memory for the JM: flinkConfiguration's value stays */
	e = fm_conf_find(c, "jobmanager.memory.process.size");
	assert_non_null(e);
	assert_string_equal(e->text, "1g");
	assert_int_equal(e->at.line, 9);
	/* cpu as a Double, new key plus the legacy one before v1_17 */
	e = fm_conf_find(c, "kubernetes.taskmanager.cpu.amount");
	assert_non_null(e);
	assert_string_equal(e->text, "2.0");
	e = fm_conf_find(c, "kubernetes.jobmanager.cpu");
	assert_non_null(e);
	assert_string_equal(e->text, "0.5");
	assert_int_equal(e->at.line, 13);
	/* the doc's own flinkConfiguration is untouched */
	assert_string_equal(fm_conf_find(doc->conf, "taskmanager.memory.process.size")->text, "4g");
	fm_conf_free(c);
	fm_diag_release(&d);
	fm_k8s_set_release(&s);
}

static void test_rejected_memory(void **state)
{
	(void)state;
	static const char y[] = "apiVersion: flink.apache.org/v1beta1\n"
				"kind: FlinkDeployment\n"
				"metadata: {name: x}\n"
				"spec:\n"
				"  flinkVersion: v1_20\n"
				"  flinkConfiguration: {taskmanager.memory.process.size: 3g}\n"
				"  jobManager: {resource: {memory: \"1.5G\"}}\n"
				"  taskManager: {resource: {memory: \"lots\"}}\n";
	fm_k8s_set s = load(y);
	assert_int_equal(s.ndocs, 1);
	fm_conf *c = NULL;
	fm_diag d = FM_DIAG_INIT;
	assert_int_equal(fm_k8s_effective_conf(&s.docs[0], &c, &d), FM_EINVAL);
	assert_null(c);
	/* 1.5G -> 1500000000.0, which MemorySize.parse refuses */
	assert_non_null(strstr(d.msg, "JobManager resource memory parse error: "));
	assert_non_null(strstr(d.msg, "'.0'"));
	assert_int_equal(d.line, 7);
	assert_string_equal(d.key, "spec.jobManager.resource.memory");
	fm_diag_release(&d);
	/* lenient: both refusals reported, flinkConfiguration stays */
	fm_diag rej[2] = {FM_DIAG_INIT, FM_DIAG_INIT};
	assert_int_equal(fm_k8s_effective_conf_lenient(&s.docs[0], &c, rej), FM_OK);
	assert_int_equal(rej[0].code, FM_EINVAL);
	assert_int_equal(rej[1].code, FM_EINVAL);
	assert_non_null(strstr(rej[1].msg, "TaskManager resource memory parse error"));
	assert_int_equal(rej[1].line, 8);
	assert_string_equal(fm_conf_find(c, "taskmanager.memory.process.size")->text, "3g");
	assert_false(fm_conf_has(c, "jobmanager.memory.process.size"));
	fm_diag_release(&rej[0]);
	fm_diag_release(&rej[1]);
	fm_conf_free(c);
	fm_k8s_set_release(&s);
}

static void test_limit_factor(void **state)
{
	(void)state;
	static const char y[] = "apiVersion: flink.apache.org/v1beta1\n"
				"kind: FlinkDeployment\n"
				"spec:\n"
				"  flinkVersion: v1_18\n"
				"  flinkConfiguration:\n"
				"    kubernetes.jobmanager.memory.limit-factor: \" 2 \"\n"
				"    kubernetes.taskmanager.memory.limit-factor: much\n";
	fm_k8s_set s = load(y);
	const fm_k8s_doc *doc = &s.docs[0];
	assert_true(doc->jm_mem_limit_factor == 2.0); /* Double.parseDouble trims */
	assert_true(doc->tm_mem_limit_factor == 1.0); /* unparsable: 1.0 and a note */
	bool noted = false;
	for (size_t i = 0; i < doc->notes.n; i++)
		noted |= strstr(doc->notes.v[i], "cr.yaml:7:49") != NULL &&
			 strstr(doc->notes.v[i], "Could not parse value 'much'") != NULL;
	assert_true(noted);
	double f = 0;
	fm_diag d = FM_DIAG_INIT;
	assert_int_equal(fm_k8s_memory_limit_factor(doc->conf, false, &f, &d), FM_EINVAL);
	assert_int_equal(d.line, 7);
	assert_int_equal(d.col, 49);
	fm_diag_release(&d);
	assert_int_equal(fm_k8s_memory_limit_factor(doc->conf, true, &f, &d), FM_OK);
	assert_true(f == 2.0);
	assert_int_equal(fm_k8s_memory_limit_factor(NULL, true, &f, &d), FM_OK);
	assert_true(f == 1.0);
	fm_k8s_set_release(&s);
}

static void test_multi_doc(void **state)
{
	(void)state;
	static const char y[] = "# leading comment\n"
				"apiVersion: v1\n"
				"kind: ServiceAccount\n"
				"metadata: {name: flink}\n"
				"---\n"
				"apiVersion: flink.apache.org/v1beta1\n"
				"kind: FlinkDeployment\n"
				"metadata: {name: a}\n"
				"spec: {flinkVersion: v1_17, taskManager: {resource: {memory: 1g}}}\n"
				"---\n"
				"apiVersion: flink.apache.org/v1beta1\n"
				"kind: FlinkSessionJob\n"
				"metadata: {name: job1}\n"
				"spec: {deploymentName: b}\n"
				"---\n"
				"apiVersion: flink.apache.org/v1beta1\n"
				"kind: FlinkDeployment\n"
				"metadata: {name: b}\n"
				"spec: {flinkVersion: v2_0, jobManager: {resource: {memory: 2048m}}}\n"
				"---\n";
	assert_true(fm_k8s_looks_like_cr(y, strlen(y)));
	fm_k8s_set s = load(y);
	assert_int_equal(s.ndocs, 2);
	assert_int_equal(s.njobs, 1);
	assert_string_equal(s.docs[0].name, "a");
	assert_int_equal(s.docs[0].doc_index, 1);
	assert_int_equal(s.docs[0].line, 7);
	assert_string_equal(s.docs[1].name, "b");
	assert_int_equal(s.docs[1].doc_index, 3);
	assert_string_equal(s.docs[1].flink_version, "2.0");
	assert_false(s.docs[0].application);
	assert_string_equal(s.jobs[0].deployment, "b");
	assert_int_equal(s.jobs[0].line, 12);
	/* the session job is linked to its cluster only */
	assert_int_equal(s.docs[0].nsession_jobs, 0);
	assert_int_equal(s.docs[1].nsession_jobs, 1);
	assert_string_equal(s.docs[1].session_jobs[0], "job1");
	assert_string_equal(s.docs[0].tm.memory.text, "1g");
	assert_true(s.docs[1].jm.present);
	assert_false(s.docs[1].tm.present);
	fm_k8s_set_release(&s);
}

static void test_kind_list(void **state)
{
	(void)state;
	static const char y[] = "apiVersion: v1\n"
				"kind: List\n"
				"items:\n"
				"- apiVersion: flink.apache.org/v1beta1\n"
				"  kind: FlinkDeployment\n"
				"  metadata:\n"
				"    name: in-list\n"
				"  spec:\n"
				"    flinkVersion: v1_19\n"
				"    job: {jarURI: local:///x.jar, parallelism: 4}\n"
				"    taskManager:\n"
				"      resource: {memory: 4096m}\n"
				"      podTemplate:\n"
				"        spec:\n"
				"          containers:\n"
				"          - name: sidecar\n"
				"            resources: {limits: {memory: 64Mi}}\n"
				"          - name: flink-main-container\n"
				"            resources: {limits: {memory: 3Gi}, requests: {memory: 3Gi}}\n";
	assert_true(fm_k8s_looks_like_cr(y, strlen(y)));
	fm_k8s_set s = load(y);
	assert_int_equal(s.ndocs, 1);
	const fm_k8s_doc *doc = &s.docs[0];
	assert_string_equal(doc->name, "in-list");
	assert_true(doc->application);
	assert_true(doc->has_parallelism);
	assert_int_equal(doc->parallelism_value, 4);
	/* the main container's limits, not the sidecar's */
	assert_string_equal(doc->tm.pod.lim_memory.text, "3Gi");
	assert_int_equal(doc->tm.pod.lim_memory.line, 19);
	assert_string_equal(doc->tm.pod.req_memory.text, "3Gi");
	fm_k8s_set_release(&s);
}

static void test_not_a_cr(void **state)
{
	(void)state;
	static const char flat[] = "taskmanager.memory.process.size: 2g\nkind: of\n";
	assert_false(fm_k8s_looks_like_cr(flat, strlen(flat)));
	static const char other[] = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\n";
	assert_false(fm_k8s_looks_like_cr(other, strlen(other)));
	assert_false(fm_k8s_looks_like_cr(NULL, 0));
	static const char json[] = "{\"apiVersion\": \"flink.apache.org/v1beta1\", \"kind\": \"FlinkDeployment\"}";
	assert_true(fm_k8s_looks_like_cr(json, strlen(json)));
	/* a valid YAML file without FlinkDeployment: an empty set, and
	 * fm_k8s_load says so */
	fm_k8s_set s = load(other);
	assert_int_equal(s.ndocs, 0);
	assert_int_equal(s.njobs, 0);
	fm_k8s_set_release(&s);
	fm_k8s_doc *docs = NULL;
	size_t n = 9;
	fm_diag d = FM_DIAG_INIT;
	assert_int_equal(fm_k8s_load("o.yaml", other, strlen(other), &docs, &n, &d), FM_EINVAL);
	assert_null(docs);
	assert_int_equal(n, 0);
	assert_non_null(strstr(d.msg, "no FlinkDeployment in o.yaml"));
	fm_diag_release(&d);
	/* broken YAML: a syntax error with its position */
	static const char broken[] = "apiVersion: flink.apache.org/v1beta1\nkind: FlinkDeployment\nspec: [a, b\n";
	assert_int_equal(fm_k8s_load_set("b.yaml", broken, strlen(broken), &s, &d), FM_ESYNTAX);
	assert_non_null(strstr(d.msg, "b.yaml:"));
	assert_true(d.line >= 3);
	fm_diag_release(&d);
}

static void test_nested_conf(void **state)
{
	(void)state;
	/* ConfigObjectNode: nested maps join keys with '.', a list is one
	 * ';'-joined value, an empty list and a null give no entry */
	static const char y[] = "apiVersion: flink.apache.org/v1beta1\n"
				"kind: FlinkDeployment\n"
				"spec:\n"
				"  flinkVersion: v1_20\n"
				"  flinkConfiguration:\n"
				"    taskmanager:\n"
				"      memory:\n"
				"        process.size: 3g\n"
				"    env.java.opts.all: [-Xss1m, \"-Dx=y\", {a: b}]\n"
				"    empty: []\n"
				"    nothing: ~\n";
	fm_k8s_set s = load(y);
	const fm_conf *c = s.docs[0].conf;
	const fm_entry *e = fm_conf_find(c, "taskmanager.memory.process.size");
	assert_non_null(e);
	assert_string_equal(e->text, "3g");
	assert_int_equal(e->at.line, 8);
	assert_int_equal(e->at.col, 23);
	e = fm_conf_find(c, "env.java.opts.all");
	assert_non_null(e);
	assert_string_equal(e->text, "-Xss1m;-Dx=y;");
	assert_int_equal(e->at.line, 9);
	assert_false(fm_conf_has(c, "empty"));
	assert_false(fm_conf_has(c, "nothing"));
	assert_int_equal(fm_conf_len(c), 2);
	fm_k8s_set_release(&s);
}

static void test_aliases_bounded(void **state)
{
	(void)state;
	/* a billion-laughs style file fails cleanly instead of expanding */
	fm_buf b = FM_BUF_INIT;
	assert_int_equal(fm_buf_adds(&b, "apiVersion: flink.apache.org/v1beta1\nkind: FlinkDeployment\n"
					 "a0: &a0 {b0: x, b1: x, b2: x, b3: x, b4: x, b5: x, b6: x, b7: x, b8: x, b9: x}\n"), FM_OK);
	for (int i = 1; i < 12; i++)
		assert_int_equal(fm_buf_addf(&b, "a%d: &a%d {b0: *a%d, b1: *a%d, b2: *a%d, b3: *a%d, b4: *a%d, b5: *a%d, "
					     "b6: *a%d, b7: *a%d, b8: *a%d, b9: *a%d}\n",
					     i, i, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1), FM_OK);
	assert_int_equal(fm_buf_adds(&b, "spec:\n  flinkConfiguration:\n    k: *a11\n"), FM_OK);
	fm_k8s_set s;
	fm_diag d = FM_DIAG_INIT;
	int rc = fm_k8s_load_set("bomb.yaml", b.data, b.len, &s, &d);
	assert_int_equal(rc, FM_ETOOBIG);
	assert_non_null(strstr(d.msg, "bomb.yaml:"));
	fm_diag_release(&d);
	fm_buf_release(&b);
}

/* A FlinkDeployment whose flinkConfiguration has x: a scalar of vlen
 * bytes anchored &b, then n keys kI: *b (key kI on line 8 + I). */
static char *alias_cr(size_t vlen, size_t n, size_t *len)
{
	fm_buf b = FM_BUF_INIT;
	assert_int_equal(fm_buf_adds(&b, "apiVersion: flink.apache.org/v1beta1\nkind: FlinkDeployment\n"
					 "metadata:\n  name: a\nspec:\n  flinkVersion: v1_20\n"
					 "  flinkConfiguration:\n    x: &b \""), FM_OK);
	for (size_t i = 0; i < vlen; i++)
		assert_int_equal(fm_buf_addc(&b, 'z'), FM_OK);
	assert_int_equal(fm_buf_adds(&b, "\"\n"), FM_OK);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(fm_buf_addf(&b, "    k%zu: *b\n", i), FM_OK);
	return fm_buf_detach(&b, len);
}

static void test_scalar_alias_budget(void **state)
{
	(void)state;
	/* a few aliased scalars: each key gets the text */
	size_t len;
	char *y = alias_cr(1000, 20, &len);
	fm_k8s_set s;
	fm_diag d = FM_DIAG_INIT;
	assert_int_equal(fm_k8s_load_set("cr.yaml", y, len, &s, &d), FM_OK);
	free(y);
	assert_int_equal(s.ndocs, 1);
	const fm_entry *e = fm_conf_find(s.docs[0].conf, "k19");
	assert_non_null(e);
	assert_int_equal(e->text_len, 1000);
	fm_k8s_set_release(&s);
	/* 100 KB x 2,000 uses (200 MB of copies) stops at the budget, at the
	 * key of the entry that passes it */
	y = alias_cr(100000, 2000, &len);
	assert_int_equal(fm_k8s_load_set("cr.yaml", y, len, &s, &d), FM_ETOOBIG);
	free(y);
	size_t budget = FM_K8S_EXPAND_BASE + FM_K8S_EXPAND_FACTOR * len;
	assert_true(d.line > 8 && d.line < 8 + budget / 100000 + 2);
	assert_int_equal(d.col, 5);
	char want[128];
	snprintf(want, sizeof want, "cr.yaml:%u:5: alias expansion exceeds %zu bytes", d.line, budget);
	assert_non_null(strstr(d.msg, want));
	assert_int_equal(s.ndocs, 0);
	fm_diag_release(&d);
}

static void test_many_documents(void **state)
{
	(void)state;
	/* read one document at a time: anchors stay per document, every
	 * deployment keeps its own values and index */
	fm_buf b = FM_BUF_INIT;
	for (int i = 0; i < 3000; i++)
		assert_int_equal(fm_buf_addf(&b, "%sapiVersion: flink.apache.org/v1beta1\nkind: FlinkDeployment\n"
					     "metadata: {name: d%d}\nspec:\n  flinkVersion: v1_20\n"
					     "  flinkConfiguration: {a: &m %dm, b: *m}\n"
					     "  taskManager: {resource: {memory: *m}}\n",
					     i ? "---\n" : "", i, i + 1), FM_OK);
	fm_k8s_set s;
	fm_diag d = FM_DIAG_INIT;
	assert_int_equal(fm_k8s_load_set("cr.yaml", b.data, b.len, &s, &d), FM_OK);
	assert_int_equal(s.ndocs, 3000);
	assert_string_equal(s.docs[2999].name, "d2999");
	assert_int_equal(s.docs[2999].doc_index, 2999);
	assert_string_equal(s.docs[2999].tm.memory.text, "3000m");
	/* an alias's value sits where its anchor is (line 8i + 6) */
	assert_int_equal(s.docs[2999].tm.memory.line, 2999 * 8 + 6);
	assert_int_equal(s.docs[2999].tm.memory.key_line, 2999 * 8 + 7);
	assert_string_equal(fm_conf_find(s.docs[1234].conf, "b")->text, "1235m");
	fm_k8s_set_release(&s);
	/* a redefined anchor: an alias names the latest definition */
	fm_buf r = FM_BUF_INIT;
	assert_int_equal(fm_buf_adds(&r, "kind: FlinkDeployment\nspec:\n  flinkConfiguration: {a: &m 1g, b: *m, "
					 "c: &m 2g, d: *m}\n"), FM_OK);
	assert_int_equal(fm_k8s_load_set("cr.yaml", r.data, r.len, &s, &d), FM_OK);
	assert_string_equal(fm_conf_find(s.docs[0].conf, "b")->text, "1g");
	assert_string_equal(fm_conf_find(s.docs[0].conf, "d")->text, "2g");
	fm_k8s_set_release(&s);
	fm_buf_release(&r);
	/* an alias to an anchor of an earlier document is an error */
	assert_int_equal(fm_buf_adds(&b, "---\nkind: FlinkDeployment\nspec: {x: *m}\n"), FM_OK);
	assert_int_equal(fm_k8s_load_set("cr.yaml", b.data, b.len, &s, &d), FM_ESYNTAX);
	assert_non_null(strstr(d.msg, "unknown alias '*m'"));
	fm_diag_release(&d);
	fm_buf_release(&b);
}

static void test_conf_keys_per_deployment(void **state)
{
	(void)state;
	/* 100 deployments x 700 flinkConfiguration keys: 70,000 in the file,
	 * under the 65,536-entry cap of each deployment */
	fm_buf b = FM_BUF_INIT;
	for (int i = 0; i < 100; i++) {
		assert_int_equal(fm_buf_addf(&b, "%skind: FlinkDeployment\nmetadata: {name: d%d}\nspec:\n"
					     "  flinkConfiguration: {", i ? "---\n" : "", i), FM_OK);
		for (int k = 0; k < 700; k++)
			assert_int_equal(fm_buf_addf(&b, "%sk%d: v", k ? ", " : "", k), FM_OK);
		assert_int_equal(fm_buf_adds(&b, "}\n"), FM_OK);
	}
	fm_k8s_set s;
	fm_diag d = FM_DIAG_INIT;
	assert_int_equal(fm_k8s_load_set("cr.yaml", b.data, b.len, &s, &d), FM_OK);
	assert_int_equal(s.ndocs, 100);
	assert_int_equal(fm_conf_len(s.docs[99].conf), 700);
	fm_k8s_set_release(&s);
	fm_buf_release(&b);
}

typedef struct seen {
	size_t n;
	char names[8][8];
	size_t stop_at; /* fail on this call (1-based), 0: never */
} seen;

static int on_doc(void *ctx, fm_k8s_doc *doc)
{
	seen *s = ctx;
	if (s->n < 8)
		snprintf(s->names[s->n], sizeof s->names[0], "%s", doc->name ? doc->name : "?");
	return ++s->n == s->stop_at ? FM_ENOMEM : FM_OK;
}

static void test_stream(void **state)
{
	(void)state;
	static const char y[] = "kind: FlinkSessionJob\napiVersion: flink.apache.org/v1beta1\n"
				"metadata: {name: j}\nspec: {deploymentName: c}\n---\n"
				"kind: FlinkDeployment\nmetadata: {name: a}\n---\n"
				"kind: FlinkDeployment\nmetadata: {name: b}\n---\n"
				"kind: FlinkDeployment\nmetadata: {name: c}\n";
	fm_k8s_set s;
	fm_diag d = FM_DIAG_INIT;
	seen sn = {0};
	/* the first deployment and the jobs stay; the others go to the callback in order */
	assert_int_equal(fm_k8s_load_stream("cr.yaml", y, strlen(y), &s, on_doc, &sn, &d), FM_OK);
	assert_int_equal(s.ndocs, 1);
	assert_string_equal(s.docs[0].name, "a");
	assert_int_equal(s.nstreamed, 2);
	assert_int_equal(s.njobs, 1);
	assert_int_equal(sn.n, 2);
	assert_string_equal(sn.names[0], "b");
	assert_string_equal(sn.names[1], "c");
	fm_k8s_set_release(&s);
	/* a callback's error stops the load */
	sn = (seen){.stop_at = 1};
	assert_int_equal(fm_k8s_load_stream("cr.yaml", y, strlen(y), &s, on_doc, &sn, &d), FM_ENOMEM);
	assert_int_equal(sn.n, 1);
	assert_int_equal(s.ndocs, 0);
	fm_diag_release(&d);
}

/* spec.*.resources on main: request over resource, limit factors as raw
 * quantity ratios, the validator's refusals with their positions. */
static void test_resources_main(void **state)
{
	(void)state;
	static const char y[] = "apiVersion: flink.apache.org/v1beta1\n"
				"kind: FlinkDeployment\n"
				"metadata: {name: r}\n"
				"spec:\n"
				"  flinkVersion: v1_20\n"
				"  jobManager:\n"
				"    resource: {memory: 1024m}\n"
				"    resources: {requests: {memory: 1Gi, cpu: 500m}, limits: {memory: 2048Mi, cpu: \"1\"}}\n"
				"  taskManager:\n"
				"    resources: {requests: {memory: 4Gi}, limits: {memory: 2Gi}}\n";
	fm_k8s_set s = load(y);
	assert_int_equal(s.ndocs, 1);
	fm_conf *c = NULL;
	fm_diag rej[2] = {FM_DIAG_INIT, FM_DIAG_INIT};
	assert_int_equal(fm_k8s_effective_conf_op(&s.docs[0], FM_K8S_OP_MAIN, &c, rej), FM_OK);
	assert_int_equal(rej[0].code, 0);
	/* 1Gi is no Flink size: the quantity's byte count, resource ignored */
	assert_string_equal(fm_conf_find(c, "jobmanager.memory.process.size")->text, "1073741824");
	assert_string_equal(fm_conf_find(c, "kubernetes.jobmanager.cpu.amount")->text, "0.5");
	assert_string_equal(fm_conf_find(c, "kubernetes.jobmanager.memory.limit-factor")->text, "2.0");
	assert_string_equal(fm_conf_find(c, "kubernetes.jobmanager.cpu.limit-factor")->text, "2.0");
	assert_int_equal(rej[1].code, FM_EINVAL);
	assert_string_equal(rej[1].msg, "TaskManager resource requirements memory request (4Gi) must not exceed its limit (2Gi)");
	assert_int_equal(rej[1].line, 10);
	fm_diag_release(&rej[0]);
	fm_diag_release(&rej[1]);
	fm_conf_free(c);
	/* 1.15 reads only resource: the TaskManager has no memory */
	assert_int_equal(fm_k8s_effective_conf_op(&s.docs[0], 15, &c, rej), FM_OK);
	assert_string_equal(fm_conf_find(c, "jobmanager.memory.process.size")->text, "1 gb");
	assert_false(fm_conf_has(c, "taskmanager.memory.process.size"));
	assert_false(fm_k8s_memory_defined(&s.docs[0], 15, false));
	assert_true(fm_k8s_memory_defined(&s.docs[0], FM_K8S_OP_MAIN, false));
	fm_diag_release(&rej[0]);
	fm_diag_release(&rej[1]);
	fm_conf_free(c);
	fm_k8s_set_release(&s);
}

static void test_operator_version_and_container(void **state)
{
	(void)state;
	int op = -1;
	assert_int_equal(fm_k8s_operator_version("1.15", &op), FM_OK);
	assert_int_equal(op, 15);
	assert_int_equal(fm_k8s_operator_version("release-1.7.0", &op), FM_OK);
	assert_int_equal(op, 7);
	assert_int_equal(fm_k8s_operator_version("main", &op), FM_OK);
	assert_int_equal(op, FM_K8S_OP_MAIN);
	assert_int_equal(fm_k8s_operator_version("1.16", &op), FM_EINVAL);
	assert_int_equal(fm_k8s_operator_version("2.0", &op), FM_EINVAL);
	assert_int_equal(fm_k8s_operator_version("1.", &op), FM_EINVAL);
	int64_t req, lim;
	/* a process a fraction of a MiB above 2702 MiB: the request is 2702Mi */
	fm_k8s_container_mib((INT64_C(2702) << 20) + 12345, 1.0, &req, &lim);
	assert_int_equal(req, 2702);
	assert_int_equal(lim, 2702);
	fm_k8s_container_mib(INT64_C(2048) << 20, 1.5, &req, &lim);
	assert_int_equal(lim, 3072);
	/* (int) of a huge product saturates, as Java's cast does */
	fm_k8s_container_mib(INT64_C(2048) << 20, 2.0e9, &req, &lim);
	assert_int_equal(lim, INT32_MAX);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_memory_string),
		cmocka_unit_test(test_quantity_bytes),
		cmocka_unit_test(test_resource_overrides_conf),
		cmocka_unit_test(test_rejected_memory),
		cmocka_unit_test(test_limit_factor),
		cmocka_unit_test(test_multi_doc),
		cmocka_unit_test(test_kind_list),
		cmocka_unit_test(test_not_a_cr),
		cmocka_unit_test(test_nested_conf),
		cmocka_unit_test(test_aliases_bounded),
		cmocka_unit_test(test_scalar_alias_budget),
		cmocka_unit_test(test_many_documents),
		cmocka_unit_test(test_stream),
		cmocka_unit_test(test_conf_keys_per_deployment),
		cmocka_unit_test(test_resources_main),
		cmocka_unit_test(test_operator_version_and_container),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
