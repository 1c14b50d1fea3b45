/* fuzz_check — `check` end to end on arbitrary configs. Byte 0 picks the
 * format (legacy flink-conf.yaml, config.yaml, FlinkDeployment YAML) and
 * whether a TaskManager container limit is known, byte 1 the release
 * profile (every profile flinkmem knows), byte 2 the legacy heap
 * environment; the rest is the file. The config goes through fm_lint.
 *
 * Invariants (abort on violation):
 *  - every finding has a rule, a severity within the rule table's range, a
 *    non-empty one-line message, and a position inside the input (a line
 *    of the file) or none at all; a fix names each key once (a key set
 *    twice is a duplicate key in config.yaml: Flink refuses the file);
 *  - every fix is applied the way check verifies its own fixes
 *    (fm_lint_fix_apply) and the config checked again: the rule that gave
 *    the fix no longer fires as an error for that key, and a fix for a
 *    Flink rejection (FM001/FM002) leaves a config that side derives when
 *    it was the side's only rejection. check reports a side Flink rejects
 *    for several reasons (network min > max and the parts exceeding the
 *    total, or a size that does not parse and, read, is too small) once
 *    per reason, each with the fix for its own reason, possibly on the
 *    same key: one such fix alone leaves the next rejection, so with
 *    several rejections of a side neither holds, and what is checked is
 *    that the fixed config lints without running out of memory;
 *  - everything is freed (LeakSanitizer).
 * Fixes that edit a FlinkDeployment's spec.* fields cannot be applied to
 * the flattened config (fm_lint_fix_apply returns NULL): those are the
 * patch's business: the FlinkDeployment rules' fixes (FM10x, YAML for the
 * CR: "1.0" quoted, spec.*.resource.memory) go through fm_patch_apply on
 * the file as `plan --write` edits it, and the file is read and checked
 * again. A FlinkDeployment's other fixes are checked against its effective
 * configuration with the same document. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_assert.h"
#include "flinkmem/conf_flat.h"
#include "flinkmem/conf_k8s.h"
#include "flinkmem/derive.h"
#include "flinkmem/lint.h"
#include "flinkmem/patch.h"
#include "flinkmem/sources.h"


static const char PATH[] = "fuzz.yaml";

/* Lines of data[0..n): a final line without '\n' counts. */
static uint32_t count_lines(const char *s, size_t n)
{
	uint32_t lines = 1;
	for (size_t i = 0; i < n; i++)
		if (s[i] == '\n' || (s[i] == '\r' && (i + 1 == n || s[i + 1] != '\n')))
			lines++;
	return lines;
}

static bool rejects(const fm_finding *g)
{
	return g->rule && g->severity == FM_SEV_ERROR && (!strcmp(g->rule->id, "FM001") || !strcmp(g->rule->id, "FM002"));
}

/* Does h report again what g reported (same rule, same key)? */
static bool again(const fm_finding *g, const fm_finding *h)
{
	if (h->rule != g->rule || h->severity != FM_SEV_ERROR)
		return false;
	return g->key && h->key ? !strcmp(g->key, h->key) : g->key == h->key;
}

/* How many findings of f are Flink rejections of the same side as g. */
static size_t rejections_like(const fm_findings *f, const fm_finding *g)
{
	size_t n = 0;
	for (size_t i = 0; i < f->n; i++)
		n += rejects(&f->v[i]) && f->v[i].rule == g->rule;
	return n;
}

/* A fix names each key once: a snippet that sets a key twice is a
 * duplicate key in config.yaml, which Flink refuses to load. */
static void check_fix_keys(const char *fix)
{
	for (const char *s = fix; *s;) {
		size_t len = strcspn(s, "\n");
		const char *k;
		size_t n;
		const char *v;
		size_t vn;
		if (fm_lint_fix_line(s, len, &k, &n, &v, &vn)) {
			const char *t = s + len + (s[len] == '\n');
			while (*t) {
				size_t tl = strcspn(t, "\n");
				const char *k2, *v2;
				size_t n2, vn2;
				CHECK(!fm_lint_fix_line(t, tl, &k2, &n2, &v2, &vn2) || n2 != n || memcmp(k, k2, n) != 0);
				t += tl + (t[tl] == '\n');
			}
		}
		s += len + (s[len] == '\n');
	}
}

static void check_findings(const fm_findings *f, uint32_t lines)
{
	size_t nrules;
	(void)fm_lint_rules(&nrules);
	for (size_t i = 0; i < f->n; i++) {
		const fm_finding *g = &f->v[i];
		CHECK(g->rule && g->rule->id && fm_lint_rule(g->rule->id) == g->rule);
		CHECK(g->severity <= FM_SEV_NOTE);
		CHECK(g->message && *g->message && !strchr(g->message, '\n'));
		if (g->fix)
			check_fix_keys(g->fix);
		if (g->file) {
			CHECK(!strcmp(g->file, PATH));
			CHECK(g->line >= 1 && g->line <= lines);
		}
	}
}

/* Applies each fix of f to c and checks the result (see the header). */
/* An error finding whose fix this target applies (see the header). */
static bool checkable(const fm_lint_input *in, const fm_finding *g)
{
	return g->fix && g->severity == FM_SEV_ERROR && !(in->k8s && !strncmp(g->rule->id, "FM10", 4));
}

/* The invariants for finding g of f whose fix gave t, linted as a. */
static void check_fixed(const fm_lint_input *in, const fm_findings *f, const fm_finding *g, const fm_conf *t,
			const fm_findings *a)
{
	bool several = rejects(g) && rejections_like(f, g) > 1;
	for (size_t k = 0; a && k < a->n && !several; k++)
		CHECK(!again(g, &a->v[k]));
	if (!rejects(g) || several) {
		/* one of several rejections of a side: the others remain */
	} else if (!strcmp(g->rule->id, "FM001")) {
		fm_tm_result tm;
		if (fm_derive_tm(t, in->profile, in->env, &tm) == FM_OK) {
			CHECK(tm.outcome == FM_DERIVED);
			fm_tm_result_release(&tm);
		}
	} else {
		fm_jm_result jm;
		if (fm_derive_jm(t, in->profile, in->env, &jm) == FM_OK) {
			CHECK(jm.outcome == FM_DERIVED);
			fm_jm_result_release(&jm);
		}
	}
}

/* Applies each distinct fix of f once and checks every finding giving it. */
static void check_fixes(const fm_lint_input *in, const fm_findings *f)
{
	for (size_t i = 0; i < f->n; i++) {
		const fm_finding *g = &f->v[i];
		if (!checkable(in, g))
			continue;
		bool seen = false;
		for (size_t j = 0; j < i && !seen; j++)
			seen = checkable(in, &f->v[j]) && !strcmp(f->v[j].fix, g->fix);
		if (seen)
			continue;
		bool oom = false;
		fm_conf *t = fm_lint_fix_apply(in->conf, g->fix, &oom);
		if (!t)
			continue;
		fm_lint_input tin = *in;
		tin.conf = t;
		fm_findings a;
		bool linted = fm_lint(&tin, &a) == FM_OK;
		for (size_t m = i; m < f->n; m++)
			if (checkable(in, &f->v[m]) && !strcmp(f->v[m].fix, g->fix))
				check_fixed(in, f, &f->v[m], t, linted ? &a : NULL);
		if (linted)
			fm_findings_release(&a);
		fm_conf_free(t);
	}
}

/* A FlinkDeployment fix's lines as CR edits (patch's keys): the role's
 * resource.memory through its process-size key (patch writes that into
 * resource.memory where the role sets it), YAML double quotes taken off.
 * vals[] owns what it holds. 0, or -1 when the fix edits another spec.*
 * field or does not fit. */
static int k8s_edits(const char *fix, fm_edit *e, char **vals, size_t cap, size_t *n)
{
	*n = 0;
	for (const char *s = fix; *s;) {
		size_t len = strcspn(s, "\n"), kl, vl;
		const char *k, *v;
		if (fm_lint_fix_line(s, len, &k, &kl, &v, &vl)) {
			const char *key = NULL;
			if (kl == 32 && !strncmp(k, "spec.taskManager.resource.memory", kl))
				key = "taskmanager.memory.process.size";
			else if (kl == 31 && !strncmp(k, "spec.jobManager.resource.memory", kl))
				key = "jobmanager.memory.process.size";
			else if (kl >= 5 && !strncmp(k, "spec.", 5))
				return -1;
			if (*n == cap)
				return -1;
			char *kv = key ? NULL : strndup(k, kl);
			if (v && vl >= 2 && v[0] == '"' && v[vl - 1] == '"' && !memchr(v + 1, '"', vl - 2) &&
			    !memchr(v + 1, '\\', vl - 2)) {
				v++;
				vl -= 2;
			}
			char *vv = v ? strndup(v, vl) : NULL;
			vals[2 * *n] = kv;
			vals[2 * *n + 1] = vv;
			e[*n] = (fm_edit){key ? key : kv, vv};
			(*n)++;
			if ((!key && !kv) || (v && !vv))
				return -1;
		}
		s += len + (s[len] == '\n');
	}
	return 0;
}

/* Each FlinkDeployment rule's fix (FM10x) applied to the CR text the way
 * `plan --write` edits a file (fm_patch_apply), the file read again and
 * deployment di checked: the same invariants as check_fixes. Edits patch
 * refuses (it re-reads its result and refuses anything else than the
 * intended change) are skipped. */
static void check_k8s_fixes(const char *text, size_t len, size_t di, const fm_lint_input *in, const fm_findings *f)
{
	for (size_t i = 0; i < f->n; i++) {
		const fm_finding *g = &f->v[i];
		if (!g->fix || g->severity != FM_SEV_ERROR || strncmp(g->rule->id, "FM10", 4))
			continue;
		fm_edit e[16];
		char *vals[32] = {NULL};
		size_t n = 0;
		fm_buf out = FM_BUF_INIT;
		fm_diag d = FM_DIAG_INIT;
		fm_k8s_set set = {0};
		bool loaded = false;
		if (!k8s_edits(g->fix, e, vals, 16, &n) && n &&
		    fm_patch_apply(FM_PATCH_K8S, PATH, text, len, di, e, n, &out, NULL, &d) == FM_OK) {
			fm_diag_release(&d);
			loaded = fm_k8s_load_set(PATH, out.data ? out.data : "", out.len, &set, &d) == FM_OK;
			CHECK(loaded && set.ndocs > di); /* patch checked its result reads back */
		}
		if (loaded) {
			fm_conf *eff = NULL;
			fm_diag rej[2] = {FM_DIAG_INIT, FM_DIAG_INIT};
			if (fm_k8s_effective_conf_lenient(&set.docs[di], &eff, rej) == FM_OK) {
				fm_lint_input tin = *in;
				tin.conf = eff;
				tin.k8s = &set.docs[di];
				fm_findings a;
				bool linted = fm_lint(&tin, &a) == FM_OK;
				check_fixed(in, f, g, eff, linted ? &a : NULL);
				if (linted)
					fm_findings_release(&a);
			}
			fm_conf_free(eff);
			fm_diag_release(&rej[0]);
			fm_diag_release(&rej[1]);
			fm_k8s_set_release(&set);
		}
		for (size_t k = 0; k < 32; k++)
			free(vals[k]);
		fm_buf_release(&out);
		fm_diag_release(&d);
	}
}

static void lint_and_check(const fm_lint_input *in, uint32_t lines)
{
	fm_findings f;
	if (fm_lint(in, &f) != FM_OK)
		return;
	check_findings(&f, lines);
	check_fixes(in, &f);
	fm_findings_release(&f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 3)
		return 0;
	size_t np = 0;
	while (fm_profiles[np])
		np++;
	int fmt = data[0] % 3;
	int64_t limit = (data[0] / 3) % 4 ? (int64_t)((data[0] / 12) + 1) << 28 : 0;
	const fm_profile *p = fm_profiles[data[1] % np];
	static const fm_derive_env envs[] = {{NULL, NULL}, {"1g", "768m"}, {"4096", NULL}, {NULL, "-1"}};
	const fm_derive_env *env = &envs[data[2] % 4];
	/* an exact-size copy: no terminator the readers could lean on */
	size_t len = size - 3;
	char *text = malloc(len ? len : 1);
	if (!text)
		return 0;
	if (len)
		memcpy(text, data + 3, len);
	uint32_t lines = count_lines(text, len);
	fm_diag d = FM_DIAG_INIT;
	fm_logs logs = {0};
	if (fmt < 2) {
		fm_conf *c = fm_conf_new();
		int rc = !c ? FM_ENOMEM
		     : fmt == 0 ? fm_conf_load_flat(c, PATH, text, len, p, &logs, &d)
				: fm_conf_load_text(c, FM_FMT_YAML, PATH, text, len, p, &logs, &d);
		if (rc == FM_OK) {
			fm_lint_input in = {c, p, env, NULL, limit, 0, NULL, fmt == 0 ? &logs : NULL, 0};
			lint_and_check(&in, lines);
		}
		fm_conf_free(c);
	} else {
		fm_k8s_set set;
		if (fm_k8s_load_set(PATH, text, len, &set, &d) == FM_OK) {
			for (size_t i = 0; i < set.ndocs && i < 2; i++) {
				const fm_k8s_doc *doc = &set.docs[i];
				fm_conf *eff = NULL;
				fm_diag rej[2] = {FM_DIAG_INIT, FM_DIAG_INIT};
				if (fm_k8s_effective_conf_lenient(doc, &eff, rej) == FM_OK) {
					fm_lint_input in = {eff, doc->profile ? doc->profile : p, env, NULL, limit, 0, doc,
							    NULL, 0};
					fm_findings f;
					if (fm_lint(&in, &f) == FM_OK) {
						check_findings(&f, lines);
						check_fixes(&in, &f);
						check_k8s_fixes(text, len, i, &in, &f);
						fm_findings_release(&f);
					}
				}
				fm_conf_free(eff);
				fm_diag_release(&rej[0]);
				fm_diag_release(&rej[1]);
			}
			fm_findings jobs = {0};
			if (fm_lint_k8s_jobs(&set, PATH, &jobs) == FM_OK)
				check_findings(&jobs, lines);
			fm_findings_release(&jobs);
			fm_k8s_set_release(&set);
		}
	}
	fm_logs_release(&logs);
	fm_diag_release(&d);
	free(text);
	return 0;
}
