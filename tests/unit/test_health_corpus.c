/* test_health_corpus — every fix flinkmem proposes on real inputs is
 * healthy (issue 9's "done when"):
 *
 *  check: on every config file of the golden cases, under the releases
 *  that read it, each finding's fix applied alone makes that finding go
 *  and brings no error or warning the config did not have;
 *
 *  diagnose: on every case of the corpus (tests/corpus), each remedy whose
 *  fix Flink accepts keeps every component at or above its floor (the ones
 *  the fix itself sets are the fix's business) and `check` finds nothing
 *  new in the fixed config. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "flinkmem/diagnose.h"
#include "flinkmem/health.h"
#include "flinkmem/lint.h"
#include "flinkmem/signatures.h"
#include "flinkmem/sources.h"

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = NULL;
	size_t cap = 0, n = 0;
	for (;;) {
		if (n + 4096 > cap) {
			cap = cap ? cap * 2 : 8192;
			char *nb = realloc(buf, cap + 1);
			assert_non_null(nb);
			buf = nb;
		}
		size_t r = fread(buf + n, 1, cap - n, f);
		n += r;
		if (r == 0)
			break;
	}
	fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
}

/* Applies a fix snippet: "key: value" lines set, "# remove key" lines
 * remove; other comment lines are advice. false when nothing applies. */
static bool apply_fix(fm_conf *c, const char *fix)
{
	bool any = false;
	fm_origin at = {NULL, 0, 0, FM_SRC_DYNAMIC};
	for (const char *s = fix; s && *s;) {
		size_t len = strcspn(s, "\n");
		const char *colon = memchr(s, ':', len);
		char key[256], val[512];
		if (!strncmp(s, "# remove ", 9)) {
			size_t kl = strcspn(s + 9, " \n");
			if (kl < sizeof key) {
				memcpy(key, s + 9, kl);
				key[kl] = '\0';
				fm_conf_remove(c, key);
				any = true;
			}
		} else if (s[0] != '#' && colon && colon + 2 <= s + len && (size_t)(colon - s) < sizeof key &&
			   !memchr(s, ' ', (size_t)(colon - s)) && (size_t)(s + len - colon - 2) < sizeof val) {
			memcpy(key, s, (size_t)(colon - s));
			key[colon - s] = '\0';
			memcpy(val, colon + 2, (size_t)(s + len - colon - 2));
			val[s + len - colon - 2] = '\0';
			/* quoted k8s values */
			size_t vl = strlen(val);
			if (vl >= 2 && val[0] == '"' && val[vl - 1] == '"') {
				memmove(val, val + 1, vl - 2);
				val[vl - 2] = '\0';
			}
			if (strncmp(key, "spec.", 5) == 0)
				return false; /* the operator's fields: not a Flink key */
			assert_int_equal(fm_conf_set_str(c, key, val, &at), FM_OK);
			any = true;
		}
		s += len + (s[len] == '\n');
	}
	return any;
}

/* The same finding; "Flink rejects this side" (FM001/FM002) is one
 * finding whichever key the message names (a config with several problems
 * shows the next one once the first is fixed). */
static bool same(const fm_finding *a, const fm_finding *b)
{
	if (a->rule == b->rule && a->rule && (!strcmp(a->rule->id, "FM001") || !strcmp(a->rule->id, "FM002")))
		return true;
	return a->rule == b->rule && (a->key && b->key ? !strcmp(a->key, b->key) : a->key == b->key);
}

typedef struct counts {
	unsigned files, findings, fixes, diag_cases, remedies;
} counts;

static void check_conf(counts *n, const char *name, const fm_conf *c, const fm_profile *p);

static void check_file(counts *n, const char *path, const fm_profile *p)
{
	size_t len;
	char *data = slurp(path, &len);
	if (!data)
		return;
	bool flat = strstr(path, "flink-conf.yaml") != NULL;
	fm_conf *c = fm_conf_new();
	assert_non_null(c);
	fm_diag d = FM_DIAG_INIT;
	int rc = fm_conf_load_text(c, flat ? FM_FMT_FLAT : FM_FMT_YAML, path, data, len, p, NULL, &d);
	fm_diag_release(&d);
	free(data);
	if (rc != FM_OK || (!flat && p->order < 1190) || (flat && p->yaml_only)) {
		fm_conf_free(c);
		return;
	}
	n->files++;
	check_conf(n, path, c, p);
	fm_conf_free(c);
}

static bool starts(const fm_conf *c, const fm_profile *p, bool tm)
{
	bool ok;
	if (tm) {
		fm_tm_result r;
		assert_int_equal(fm_derive_tm(c, p, NULL, &r), FM_OK);
		ok = r.outcome == FM_DERIVED;
		fm_tm_result_release(&r);
	} else {
		fm_jm_result r;
		assert_int_equal(fm_derive_jm(c, p, NULL, &r), FM_OK);
		ok = r.outcome != FM_FLINK_ERROR;
		fm_jm_result_release(&r);
	}
	return ok;
}

/* Whether h's own fix, applied on top of t, makes Flink reject a side t
 * starts: check never shows such a fix, so h stays (a floor no
 * TaskManager can hold, e.g. 65536 slots of 1g segments). */
static bool followup_rejected(const fm_conf *t, const fm_finding *h, const fm_profile *p)
{
	if (!h->fix)
		return false;
	fm_conf *u = fm_conf_dup(t);
	assert_non_null(u);
	bool rejected = false;
	if (apply_fix(u, h->fix))
		for (int tm = 1; tm >= 0 && !rejected; tm--)
			rejected = starts(t, p, tm) && !starts(u, p, tm);
	fm_conf_free(u);
	return rejected;
}

/* Each error/warning fix of check on c, applied alone, removes its finding
 * and brings no error or warning c did not have, unless that one's own
 * fix would make Flink reject the result (see followup_rejected). */
static void check_conf(counts *n, const char *name, const fm_conf *c, const fm_profile *p)
{
	const char *path = name;
	fm_lint_input in = {.conf = c, .profile = p};
	fm_findings f;
	assert_int_equal(fm_lint(&in, &f), FM_OK);
	for (size_t i = 0; i < f.n; i++) {
		const fm_finding *g = &f.v[i];
		if (g->severity == FM_SEV_NOTE)
			continue;
		n->findings++;
		if (!g->fix)
			continue;
		fm_conf *t = fm_conf_dup(c);
		assert_non_null(t);
		if (!apply_fix(t, g->fix)) {
			fm_conf_free(t);
			continue;
		}
		n->fixes++;
		fm_lint_input tin = {.conf = t, .profile = p};
		fm_findings after;
		assert_int_equal(fm_lint(&tin, &after), FM_OK);
		for (size_t k = 0; k < after.n; k++) {
			const fm_finding *h = &after.v[k];
			/* a prediction about t with its other errors fixed too, not a
			 * finding of t itself */
			if (h->severity == FM_SEV_NOTE || h->behind_errors)
				continue;
			bool old = false;
			for (size_t j = 0; j < f.n && !old; j++)
				old = j != i && same(h, &f.v[j]);
			if (!old && !followup_rejected(t, h, p)) {
				for (size_t j = 0; j < fm_conf_len(c); j++)
					fprintf(stderr, "  config %s: %s\n", fm_conf_at(c, j)->key, fm_conf_at(c, j)->text);
				fail_msg("%s (Flink %s): the fix of %s (%s) leaves %s: %s", path, p->name, g->rule->id, g->fix,
					 h->rule->id, h->message);
			}
		}
		fm_findings_release(&after);
		fm_conf_free(t);
	}
	fm_findings_release(&f);
}

/* A fix snippet line splits at the first ": " like a flink-conf.yaml
 * line, so a key holding a ':' (Flink reads such keys) is set as is.
 * Found by fuzz_check: the key was cut at its own ':' and the fix of
 * FM012 set another key. */
static void test_fix_key_with_colon(void **st)
{
	(void)st;
	fm_conf *c = fm_conf_new();
	assert_non_null(c);
	bool oom = false;
	fm_conf *t = fm_lint_fix_apply(c, "taskmanager.msize:emory.network.fraction: 0.1\n# remove a:b (why)\n", &oom);
	assert_non_null(t);
	assert_false(oom);
	const fm_entry *e = fm_conf_find(t, "taskmanager.msize:emory.network.fraction");
	assert_non_null(e);
	assert_string_equal(e->text, "0.1");
	assert_false(fm_conf_has(t, "taskmanager.msize"));
	fm_conf_free(t);
	fm_conf_free(c);
}

static void test_check_fixes(void **st)
{
	(void)st;
	const char *root = getenv("FM_TESTDATA");
	if (!root)
		fail_msg("FM_TESTDATA is not set (ctest sets it to tests/)");
	char dir[4096];
	snprintf(dir, sizeof dir, "%s/cases", root);
	DIR *dh = opendir(dir);
	assert_non_null(dh);
	counts n = {0};
	const char *releases[] = {"1.16", "1.20", "2.2"};
	struct dirent *de;
	while ((de = readdir(dh)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		static const char *const names[] = {"flink-conf.yaml", "config.yaml"};
		for (size_t k = 0; k < 2; k++) {
			char path[8192];
			snprintf(path, sizeof path, "%s/%s/%s", dir, de->d_name, names[k]);
			struct stat sb;
			if (stat(path, &sb) != 0)
				continue;
			for (size_t r = 0; r < 3; r++)
				check_file(&n, path, fm_profile_for(releases[r]));
		}
	}
	closedir(dh);
	printf("check: %u config files x releases, %u error/warning findings, %u fixes applied and re-checked\n", n.files,
	       n.findings, n.fixes);
	assert_true(n.fixes > 10);
}

/* The config the remedy started from: the fixed one with every change
 * undone. */
static fm_conf *undo(const fm_plan *pl)
{
	fm_conf *c = fm_conf_dup(pl->after);
	assert_non_null(c);
	fm_origin at = {NULL, 0, 0, FM_SRC_DYNAMIC};
	for (size_t i = 0; i < pl->nchanges; i++) {
		if (pl->changes[i].from)
			assert_int_equal(fm_conf_set_str(c, pl->changes[i].key, pl->changes[i].from, &at), FM_OK);
		else
			fm_conf_remove(c, pl->changes[i].key);
	}
	return c;
}

static void check_remedy(counts *n, const char *cname, const fm_plan *pl, const fm_profile *p, bool jm)
{
	const fm_tm_layout *tl = pl->after_tm.outcome == FM_DERIVED ? &pl->after_tm.l : NULL;
	const fm_jm_layout *jl = pl->after_jm.outcome == FM_DERIVED ? &pl->after_jm.l : NULL;
	if (jm ? !jl : !tl)
		return;
	n->remedies++;
	fm_floors fl;
	fm_health_floors(pl->after, p, &fl);
	/* what the fix sets explicitly is its own choice */
	const char *skip[FM_H_COUNT];
	size_t ns = fm_health_user_set(pl->after, skip, FM_H_COUNT);
	int64_t have;
	const fm_health_floor *v = fm_health_violation(&fl, jm ? NULL : tl, jm ? jl : NULL, skip, ns, &have);
	if (v)
		fail_msg("corpus %s: the fix leaves %s at %lld bytes, under its floor %lld", cname, v->component,
			 (long long)have, (long long)v->bytes);
	fm_conf *base = undo(pl);
	fm_findings bad;
	assert_int_equal(fm_health_lint(pl->after, base, p, NULL, 0, &bad), FM_OK);
	if (bad.n)
		fail_msg("corpus %s: check finds %s on the fixed config: %s", cname, bad.v[0].rule->id, bad.v[0].message);
	fm_findings_release(&bad);
	fm_conf_free(base);
}

static void test_diagnose_remedies(void **st)
{
	(void)st;
	const char *root = getenv("FM_TESTDATA");
	if (!root)
		fail_msg("FM_TESTDATA is not set (ctest sets it to tests/)");
	char dir[4096];
	snprintf(dir, sizeof dir, "%s/corpus", root);
	DIR *dh = opendir(dir);
	assert_non_null(dh);
	size_t np;
	const fm_pattern *pats = fm_signature_patterns(&np);
	fm_scanner *sc = fm_scanner_new(pats, np, NULL);
	assert_non_null(sc);
	counts n = {0};
	static const char *const inputs[] = {"tm.log", "jm.log", "describe.txt", "events.json", "yarn.txt",
					     "exceptions.json", "trace.txt"};
	struct dirent *de;
	while ((de = readdir(dh)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		char paths[7][8192];
		const char *pv[7];
		size_t k = 0;
		for (size_t i = 0; i < 7; i++) {
			snprintf(paths[k], sizeof paths[k], "%s/%s/%s", dir, de->d_name, inputs[i]);
			struct stat sb;
			if (stat(paths[k], &sb) == 0)
				pv[k] = paths[k], k++;
		}
		if (!k)
			continue;
		n.diag_cases++;
		fm_dx_opts o = {0};
		o.scanner = sc;
		o.jobs = 1;
		fm_dx_result r;
		fm_diag d = FM_DIAG_INIT;
		int rc = fm_diagnose(pv, k, &o, &r, &d);
		fm_diag_release(&d);
		if (rc != FM_OK)
			continue;
		for (size_t i = 0; r.fix && i < r.a.n; i++) {
			const fm_remedy *m = &r.fix[i];
			if (m->has_fix && m->fix_ok)
				check_remedy(&n, de->d_name, &m->fix, r.profile, m->jm);
			if (m->has_pinned && m->pinned_ok)
				check_remedy(&n, de->d_name, &m->pinned, r.profile, m->jm);
		}
		fm_dx_result_release(&r);
	}
	closedir(dh);
	fm_scanner_free(sc);
	printf("diagnose: %u corpus cases, %u remedies checked for floors and check findings\n", n.diag_cases,
	       n.remedies);
	assert_true(n.remedies > 10);
}

static uint64_t rng = 0x9E3779B97F4A7C15ULL;

static uint64_t rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545F4914F6CDD1DULL;
}

static int64_t between(int64_t lo, int64_t hi)
{
	return lo + (int64_t)(rnd() % (uint64_t)(hi - lo + 1));
}

static void put(fm_conf *c, const char *k, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void put(fm_conf *c, const char *k, const char *fmt, ...)
{
	char v[64];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(v, sizeof v, fmt, ap);
	va_end(ap);
	fm_origin at = {"random.yaml", 1, 1, FM_SRC_YAML};
	assert_int_equal(fm_conf_set_str(c, k, v, &at), FM_OK);
}

/* Random configs, many of them broken the ways people break them (sizes
 * too small or without a unit, ranges upside down, a managed size larger
 * than the process, a fixed task heap, deprecated keys, JVM flags): every
 * fix check offers passes check. */
static void test_check_fixes_random(void **st)
{
	(void)st;
	counts n = {0};
	size_t np = 0;
	while (fm_profiles[np])
		np++;
	const char *ns = getenv("FM_PROPERTY_N");
	int iters = ns ? atoi(ns) : 400;
	const char *seed = getenv("FM_PROPERTY_SEED");
	if (seed)
		rng = strtoull(seed, NULL, 0) | 1;
	for (int it = 0; it < iters; it++) {
		const fm_profile *p = fm_profiles[rnd() % np];
		fm_conf *c = fm_conf_new();
		assert_non_null(c);
		put(c, "jobmanager.memory.process.size", "%lldm", (long long)between(256, 4096));
		put(c, "taskmanager.memory.process.size", rnd() % 8 ? "%lldm" : "%lld", (long long)between(256, 16384));
		if (rnd() % 3 == 0)
			put(c, "taskmanager.memory.managed.size", "%lldm", (long long)between(0, 12288));
		if (rnd() % 3 == 0)
			put(c, "taskmanager.memory.managed.fraction", "0.%d", (int)between(0, 9));
		if (rnd() % 4 == 0)
			put(c, "taskmanager.memory.task.heap.size", "%lldm", (long long)between(16, 8192));
		if (rnd() % 4 == 0) {
			put(c, "taskmanager.memory.network.min", "%lldm", (long long)between(16, 2048));
			put(c, "taskmanager.memory.network.max", "%lldm", (long long)between(16, 2048));
		}
		if (rnd() % 5 == 0)
			put(c, "taskmanager.memory.jvm-overhead.min", "%lldm", (long long)between(64, 2048));
		if (rnd() % 6 == 0)
			put(c, "taskmanager.network.memory.max", "%lldm", (long long)between(64, 2048));
		if (rnd() % 6 == 0)
			put(c, "state.backend.type", "%s", rnd() % 2 ? "rocksdb" : "hashmap");
		if (rnd() % 4 == 0)
			put(c, "taskmanager.numberOfTaskSlots", "%d", (int)between(1, 16));
		if (rnd() % 8 == 0)
			put(c, "env.java.opts.taskmanager", "-Xmx%dg -XX:MaxPermSize=256m", (int)between(1, 8));
		if (rnd() % 8 == 0)
			put(c, "execution.runtime-mode", "batch");
		/* managed-memory consumers and RocksDB's own budget (FM067, FM068) */
		if (rnd() % 6 == 0)
			put(c, "state.backend.rocksdb.memory.fixed-per-slot", "%lldm", (long long)between(1, 4096));
		if (rnd() % 10 == 0)
			put(c, "python.fn-execution.bundle.size", "%d", (int)between(1, 100000));
		if (rnd() % 8 == 0)
			put(c, "taskmanager.memory.managed.consumer-weights", "%s",
			    (const char *[]){"OPERATOR:70", "PYTHON:30", "STATE_BACKEND:0,OPERATOR:10", "DATAPROC:5",
					     "operator:70,state_backend:70"}[rnd() % 5]);
		/* RocksDB's per-TaskManager budget, read only with managed: false (FM070) */
		if (rnd() % 8 == 0)
			put(c, "state.backend.rocksdb.memory.fixed-per-tm", "%lldm", (long long)between(1, 8192));
		if (rnd() % 8 == 0)
			put(c, "state.backend.rocksdb.memory.managed", "%s", rnd() % 2 ? "false" : "true");
		check_conf(&n, "random config", c, p);
		fm_conf_free(c);
	}
	printf("check on random configs: %u error/warning findings, %u fixes applied and re-checked\n", n.findings,
	       n.fixes);
	assert_true(n.fixes > 100);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fix_key_with_colon),
		cmocka_unit_test(test_check_fixes),
		cmocka_unit_test(test_check_fixes_random),
		cmocka_unit_test(test_diagnose_remedies),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
