/* fuzz_conf_k8s — the FlinkDeployment reader on arbitrary bytes: the CR
 * sniffer, the set loader, the effective configuration (strict and
 * lenient), the limit factors and the operator's memory-string conversion
 * of every resource.memory. Invariants: only documented error codes; a
 * loaded set has positions >= 1 on every deployment and value; effective
 * entries from resource.memory point into the file; the memory string of
 * an accepted resource.memory parses as a Flink size; everything is freed. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_assert.h"
#include "flinkmem/conf_k8s.h"
#include "flinkmem/memsize.h"


static void check_val(const fm_k8s_val *v, size_t size)
{
	if (!v->text)
		return;
	CHECK(v->text[v->len] == '\0');
	CHECK(v->line >= 1 && v->col >= 1 && v->key_line >= 1 && v->key_col >= 1);
	CHECK(v->len <= size);
}

static void check_memory(const fm_k8s_val *v)
{
	if (!v->text)
		return;
	fm_buf s = FM_BUF_INIT;
	fm_jexc e = {NULL, NULL};
	if (fm_k8s_memory_string(v->text, v->len, &s, &e) == 0) {
		CHECK(s.len > 0 && s.data[s.len] == '\0');
		CHECK(e.msg == NULL);
	} else {
		CHECK(s.len == 0);
	}
	int64_t b;
	(void)fm_k8s_quantity_bytes(v->text, v->len, &b);
	fm_jexc_release(&e);
	fm_buf_release(&s);
}

static void check_doc(const fm_k8s_doc *doc, size_t size)
{
	CHECK(doc->line >= 1 && doc->col >= 1);
	CHECK(doc->conf != NULL);
	const fm_k8s_role *roles[2] = {&doc->jm, &doc->tm};
	for (int i = 0; i < 2; i++) {
		check_val(&roles[i]->memory, size);
		check_val(&roles[i]->cpu, size);
		check_val(&roles[i]->pod.lim_memory, size);
		check_val(&roles[i]->pod.req_memory, size);
		check_memory(&roles[i]->memory);
	}
	check_val(&doc->pod.lim_memory, size);
	fm_conf *c = NULL;
	fm_diag d = FM_DIAG_INIT;
	int rc = fm_k8s_effective_conf(doc, &c, &d);
	CHECK(rc == FM_OK || rc == FM_EINVAL || rc == FM_ENOMEM);
	CHECK((rc == FM_OK) == (c != NULL));
	if (rc == FM_EINVAL)
		CHECK(d.msg && strstr(d.msg, " resource ") && d.line >= 1); /* the operator refusing a resource (memory, requirements) */
	if (c) {
		static const char *const keys[2] = {"jobmanager.memory.process.size",
						    "taskmanager.memory.process.size"};
		for (int i = 0; i < 2; i++) {
			const fm_entry *e = fm_conf_find(c, keys[i]);
			if (!e || e->at.src != FM_SRC_K8S || !roles[i]->memory.text)
				continue;
			int64_t bytes;
			fm_jexc je = {NULL, NULL};
			CHECK(fm_size_parse(e->text, e->text_len, &bytes, &je) == 0);
			CHECK(bytes >= 0 && e->at.line == roles[i]->memory.line);
			fm_jexc_release(&je);
		}
		double f;
		fm_diag fd = FM_DIAG_INIT;
		int frc = fm_k8s_memory_limit_factor(c, false, &f, &fd);
		CHECK(frc == FM_OK || frc == FM_EINVAL || frc == FM_ENOMEM);
		fm_diag_release(&fd);
	}
	fm_diag_release(&d);
	fm_conf_free(c);
	fm_diag rej[2] = {FM_DIAG_INIT, FM_DIAG_INIT};
	rc = fm_k8s_effective_conf_lenient(doc, &c, rej);
	CHECK(rc == FM_OK || rc == FM_ENOMEM);
	for (int i = 0; i < 2; i++) {
		CHECK(rej[i].code == 0 || rej[i].code == FM_EINVAL || rej[i].code == FM_ENOMEM);
		fm_diag_release(&rej[i]);
	}
	fm_conf_free(c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* An exact-size copy: no terminator the parser could lean on. */
	char *copy = malloc(size ? size : 1);
	if (!copy)
		return 0;
	if (size)
		memcpy(copy, data, size);
	(void)fm_k8s_looks_like_cr(copy, size);
	fm_k8s_set s;
	fm_diag d = FM_DIAG_INIT;
	int rc = fm_k8s_load_set("fuzz.yaml", copy, size, &s, &d);
	CHECK(rc == FM_OK || rc == FM_ESYNTAX || rc == FM_ETOOBIG || rc == FM_ENOMEM);
	if (rc != FM_OK)
		CHECK(d.msg != NULL || rc == FM_ENOMEM);
	if (rc == FM_OK) {
		for (size_t i = 0; i < s.ndocs; i++)
			check_doc(&s.docs[i], size);
		for (size_t i = 0; i < s.njobs; i++)
			CHECK(s.jobs[i].line >= 1);
		fm_k8s_set_release(&s);
	}
	fm_diag_release(&d);
	/* The memory conversion alone, on the raw bytes (short inputs only:
	 * the interesting grammar is in the first few dozen bytes). */
	if (size <= 64) {
		fm_k8s_val v = {copy, size, 1, 1, 1, 1};
		check_memory(&v);
	}
	free(copy);
	return 0;
}
