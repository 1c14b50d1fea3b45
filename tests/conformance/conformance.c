/* conformance — runs Flink's own results (vectors produced by running
 * Flink's Java code) through libflinkmem and compares every field: sizes,
 * JVM args, dynamic configs, exception class and message (the contract),
 * plus the cause chain and the logged lines (reported separately).
 *
 * Per profile: the profile's own file, and the 1.20 records that the older
 * file does not list (they give the same result under that release), as
 * vectors/README.md prescribes. Exit 1 on any contract mismatch.
 * usage: conformance VECTOR_DIR [PROFILE [ID]] */
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "flinkmem/derive.h"
#include "flinkmem/sources.h"

typedef struct stats {
	long records, sides, contract_fail, cause_fail, log_fail;
} stats;

static bool verbose;
static const char *only_id;
/* Logs are compared only on a profile's own records: the 1.20 records
 * borrowed for an older profile promise equal results, not equal logs. */
static bool compare_logs;

/* Reads a whole gzip file; NULL if missing. */
static char *read_gz(const char *path, size_t *len)
{
	gzFile g = gzopen(path, "rb");
	if (!g)
		return NULL;
	size_t cap = 1 << 20, n = 0;
	char *buf = malloc(cap);
	for (;;) {
		if (!buf)
			break;
		if (cap - n < (1 << 16)) {
			char *nb = realloc(buf, cap * 2);
			if (!nb) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = nb;
			cap *= 2;
		}
		int r = gzread(g, buf + n, (unsigned)(cap - n - 1));
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	gzclose(g);
	if (buf)
		buf[n] = '\0';
	*len = n;
	return buf;
}

typedef struct idset {
	char **v;
	size_t n;
} idset;

static bool idset_has(const idset *s, const char *id)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->v[i], id) == 0)
			return true;
	return false;
}

static void idset_add(idset *s, const char *id)
{
	s->v = realloc(s->v, (s->n + 1) * sizeof(char *));
	s->v[s->n++] = strdup(id);
}

static void idset_free(idset *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	s->v = NULL;
	s->n = 0;
}

static void report(const char *prof, const char *id, const char *side, const char *what,
		   const char *want, const char *got)
{
	if (verbose || only_id)
		fprintf(stderr, "[%s] %s %s %s\n   want: %s\n   got:  %s\n", prof, id, side, what,
			want ? want : "(none)", got ? got : "(none)");
}

static bool cmp_int(const char *prof, const char *id, const char *side, json_t *o, const char *k,
		    long long got)
{
	json_t *v = json_object_get(o, k);
	if (!json_is_integer(v) || json_integer_value(v) != got) {
		char w[32], g[32];
		snprintf(w, sizeof w, "%lld", v ? (long long)json_integer_value(v) : -1LL);
		snprintf(g, sizeof g, "%lld", got);
		report(prof, id, side, k, w, g);
		return false;
	}
	return true;
}

static bool cmp_str(const char *prof, const char *id, const char *side, json_t *o, const char *k,
		    const char *got)
{
	json_t *v = json_object_get(o, k);
	const char *want = json_string_value(v);
	if ((want == NULL) != (got == NULL) || (want && strcmp(want, got) != 0)) {
		report(prof, id, side, k, want, got);
		return false;
	}
	return true;
}

/* Compares an error object with our chain; returns contract ok, sets *cause_ok. */
static bool cmp_error(const char *prof, const char *id, const char *side, json_t *err,
		      const fm_jchain *ch, bool *cause_ok)
{
	*cause_ok = true;
	if (ch->n == 0) {
		report(prof, id, side, "error", json_string_value(json_object_get(err, "message")),
		       "(success)");
		return false;
	}
	bool ok = cmp_str(prof, id, side, err, "class", ch->v[0].cls) &
		  cmp_str(prof, id, side, err, "message", ch->v[0].msg);
	json_t *causes = json_object_get(err, "causes");
	/* "causes" is the getCause() chain: everything below the top. */
	if (json_array_size(causes) != ch->n - 1) {
		*cause_ok = false;
	} else {
		for (size_t i = 1; i < ch->n; i++) {
			json_t *c = json_array_get(causes, i - 1);
			if (strcmp(json_string_value(json_object_get(c, "class")), ch->v[i].cls) ||
			    strcmp(json_string_value(json_object_get(c, "message")), ch->v[i].msg ? ch->v[i].msg : ""))
				*cause_ok = false;
		}
	}
	if (!*cause_ok && ok && (verbose || only_id)) {
		fprintf(stderr, "[%s] %s %s causes differ; ours:\n", prof, id, side);
		for (size_t i = 0; i < ch->n; i++)
			fprintf(stderr, "     %s | %s\n", ch->v[i].cls, ch->v[i].msg);
	}
	return ok;
}

static bool cmp_logs(json_t *want, const fm_logs *got)
{
	if (json_array_size(want) != got->n)
		return false;
	for (size_t i = 0; i < got->n; i++)
		if (strcmp(json_string_value(json_array_get(want, i)), got->v[i]))
			return false;
	return true;
}

static void dump_logs(const char *prof, const char *id, const char *side, json_t *want, const fm_logs *got)
{
	if (!(verbose || only_id))
		return;
	fprintf(stderr, "[%s] %s %s logs differ\n", prof, id, side);
	for (size_t i = 0; i < json_array_size(want); i++)
		fprintf(stderr, "   want: %s\n", json_string_value(json_array_get(want, i)));
	for (size_t i = 0; i < got->n; i++)
		fprintf(stderr, "   got:  %s\n", got->v[i]);
}

/* Builds the config for a record as the oracle wrote it to its conf dir. */
static int build_conf(const fm_profile *p, json_t *rec, fm_conf *c, fm_logs *logs, fm_jchain *load_err)
{
	const char *fmt = json_string_value(json_object_get(rec, "format"));
	bool yaml = fmt && strcmp(fmt, "config.yaml") == 0;
	bool is_flat_named = !fmt || strcmp(fmt, "flink-conf.yaml") == 0;
	if (p->yaml_only) {
		if (is_flat_named && json_object_get(rec, "from_format") == NULL && fmt)
			return fm_missing_file_chain("$FLINK_CONF_DIR/config.yaml",
						     "$FLINK_CONF_DIR/config.yaml", load_err) ? -1 : 1;
		yaml = true;
	} else if (!p->yaml_fallback) {
		yaml = false;
	}
	fm_buf text = FM_BUF_INIT;
	json_t *file = json_object_get(rec, "file");
	if (file) {
		fm_buf_adds(&text, json_string_value(file));
	} else {
		const char *k;
		json_t *v;
		json_object_foreach(json_object_get(rec, "config"), k, v)
			fm_buf_addf(&text, "%s: %s\n", k, json_string_value(v));
	}
	fm_diag d = FM_DIAG_INIT;
	const char *name = yaml ? "$FLINK_CONF_DIR/config.yaml" : "$FLINK_CONF_DIR/flink-conf.yaml";
	int rc = fm_conf_load_text(c, yaml ? FM_FMT_YAML : FM_FMT_FLAT, name, text.data ? text.data : "",
				   text.len, p, logs, &d);
	fm_buf_release(&text);
	if (rc != FM_OK) {
		if (rc == FM_ENOMEM)
			return -1;
		fm_load_error_chain(&d, load_err);
		fm_diag_release(&d);
		return 1;
	}
	fm_diag_release(&d);
	const char *k;
	json_t *v;
	json_object_foreach(json_object_get(rec, "dynamic"), k, v) {
		char *arg = NULL;
		if (asprintf(&arg, "%s=%s", k, json_string_value(v)) < 0)
			return -1;
		fm_diag dd = FM_DIAG_INIT;
		fm_conf_add_dynamic(c, arg, strlen(arg), &dd);
		fm_diag_release(&dd);
		free(arg);
	}
	return 0;
}

/* fm_derive_*_numbers: the same outcome, exception chain and sizes as the
 * full derivation, and no strings. */
static bool same_chain(const fm_jchain *a, const fm_jchain *b)
{
	if (a->n != b->n)
		return false;
	for (size_t i = 0; i < a->n; i++)
		if (strcmp(a->v[i].cls, b->v[i].cls) || strcmp(a->v[i].msg ? a->v[i].msg : "", b->v[i].msg ? b->v[i].msg : ""))
			return false;
	return true;
}

static bool same_tm_numbers(const fm_conf *c, const fm_profile *p, const fm_derive_env *de, const fm_tm_result *full)
{
	fm_tm_result r;
	if (fm_derive_tm_numbers(c, p, de, &r) != FM_OK)
		return false;
	const fm_tm_layout *a = &full->l, *b = &r.l;
	bool ok = r.outcome == full->outcome && same_chain(&r.err, &full->err) && !b->jvm_args &&
		  !b->dynamic_configs && r.logs.n == 0 && a->framework_heap == b->framework_heap &&
		  a->task_heap == b->task_heap && a->framework_off_heap == b->framework_off_heap &&
		  a->task_off_heap == b->task_off_heap && a->network == b->network && a->managed == b->managed &&
		  a->total_flink == b->total_flink && a->metaspace == b->metaspace && a->overhead == b->overhead &&
		  a->total_process == b->total_process && a->jvm_heap == b->jvm_heap && a->jvm_direct == b->jvm_direct &&
		  !strcmp(a->cpu_cores, b->cpu_cores) && a->num_slots == b->num_slots &&
		  a->has_num_slots == b->has_num_slots;
	fm_tm_result_release(&r);
	return ok;
}

static bool same_jm_numbers(const fm_conf *c, const fm_profile *p, const fm_derive_env *de, const fm_jm_result *full)
{
	fm_jm_result r;
	if (fm_derive_jm_numbers(c, p, de, &r) != FM_OK)
		return false;
	const fm_jm_layout *a = &full->l, *b = &r.l;
	bool ok = r.outcome == full->outcome && same_chain(&r.err, &full->err) && !b->jvm_args &&
		  !b->dynamic_configs && r.logs.n == 0 && a->jvm_heap == b->jvm_heap && a->off_heap == b->off_heap &&
		  a->total_flink == b->total_flink && a->metaspace == b->metaspace && a->overhead == b->overhead &&
		  a->total_process == b->total_process && a->direct_limit == b->direct_limit;
	fm_jm_result_release(&r);
	return ok;
}

static void run_record(const fm_profile *p, json_t *rec, stats *st)
{
	const char *id = json_string_value(json_object_get(rec, "id"));
	if (only_id && strcmp(only_id, id) != 0)
		return;
	st->records++;
	fm_conf *c = fm_conf_new();
	fm_logs load_logs = FM_LOGS_INIT;
	fm_jchain load_err = {0};
	int lrc = build_conf(p, rec, c, &load_logs, &load_err);
	json_t *env = json_object_get(rec, "env");
	fm_derive_env de = {json_string_value(json_object_get(env, "FLINK_TM_HEAP")),
			    json_string_value(json_object_get(env, "FLINK_JM_HEAP"))};
	for (int side = 0; side < 2; side++) {
		const char *sn = side ? "jm" : "tm";
		json_t *want = json_object_get(rec, sn);
		json_t *werr = json_object_get(want, "error");
		st->sides++;
		bool ok = true, cause_ok = true, logs_ok = true;
		if (json_object_get(want, "unsupported")) {
			fm_jm_result jr;
			if (side == 0 || fm_derive_jm(c, p, &de, &jr) != FM_OK || jr.outcome != FM_UNSUPPORTED) {
				report(p->name, id, sn, "unsupported", "unsupported", "computed");
				ok = false;
			}
			if (side == 1)
				fm_jm_result_release(&jr);
		} else if (lrc != 0) {
			ok = werr && cmp_error(p->name, id, sn, werr, &load_err, &cause_ok);
			if (!werr)
				report(p->name, id, sn, "load", "success", load_err.n ? load_err.v[0].msg : "?");
		} else if (side == 0) {
			fm_tm_result r;
			if (fm_derive_tm(c, p, &de, &r) != FM_OK) {
				ok = false;
			} else {
				if (!same_tm_numbers(c, p, &de, &r)) {
					report(p->name, id, sn, "numbers-only derivation", "the full one's numbers", "others");
					ok = false;
				}
				fm_logs all = FM_LOGS_INIT;
				for (size_t i = 0; i < load_logs.n; i++)
					fm_logs_add(&all, "", "%s", load_logs.v[i]);
				if (werr) {
					ok = cmp_error(p->name, id, sn, werr, &r.err, &cause_ok);
				} else if (r.outcome != FM_DERIVED) {
					report(p->name, id, sn, "outcome", "success", r.err.n ? r.err.v[0].msg : "?");
					ok = false;
				} else {
					fm_tm_layout *l = &r.l;
					ok = cmp_int(p->name, id, sn, want, "frameworkHeap", l->framework_heap) &
					     cmp_int(p->name, id, sn, want, "taskHeap", l->task_heap) &
					     cmp_int(p->name, id, sn, want, "frameworkOffHeap", l->framework_off_heap) &
					     cmp_int(p->name, id, sn, want, "taskOffHeap", l->task_off_heap) &
					     cmp_int(p->name, id, sn, want, "network", l->network) &
					     cmp_int(p->name, id, sn, want, "managed", l->managed) &
					     cmp_int(p->name, id, sn, want, "totalFlink", l->total_flink) &
					     cmp_int(p->name, id, sn, want, "metaspace", l->metaspace) &
					     cmp_int(p->name, id, sn, want, "jvmOverhead", l->overhead) &
					     cmp_int(p->name, id, sn, want, "totalProcess", l->total_process) &
					     cmp_int(p->name, id, sn, want, "jvmHeap", l->jvm_heap) &
					     cmp_int(p->name, id, sn, want, "jvmDirect", l->jvm_direct) &
					     cmp_str(p->name, id, sn, want, "cpuCores", l->cpu_cores) &
					     cmp_str(p->name, id, sn, want, "jvmArgs", l->jvm_args) &
					     cmp_str(p->name, id, sn, want, "dynamicConfigs", l->dynamic_configs);
					if (json_object_get(want, "numSlots"))
						ok &= l->has_num_slots &&
						      cmp_int(p->name, id, sn, want, "numSlots", l->num_slots);
					else if (l->has_num_slots)
						ok = false;
				}
				/* load WARNs come first in Flink's log */
				fm_logs merged = FM_LOGS_INIT;
				for (size_t i = 0; i < load_logs.n; i++)
					fm_logs_add(&merged, "", "%s", load_logs.v[i]);
				for (size_t i = 0; i < r.logs.n; i++)
					fm_logs_add(&merged, "", "%s", r.logs.v[i]);
				for (size_t i = 0; i < merged.n; i++)
					memmove(merged.v[i], merged.v[i] + 1, strlen(merged.v[i]));
				logs_ok = cmp_logs(json_object_get(want, "logs"), &merged);
				if (!logs_ok && ok && compare_logs)
					dump_logs(p->name, id, sn, json_object_get(want, "logs"), &merged);
				fm_logs_release(&merged);
				fm_logs_release(&all);
				fm_tm_result_release(&r);
			}
		} else {
			fm_jm_result r;
			if (fm_derive_jm(c, p, &de, &r) != FM_OK) {
				ok = false;
			} else {
				if (!same_jm_numbers(c, p, &de, &r)) {
					report(p->name, id, sn, "numbers-only derivation", "the full one's numbers", "others");
					ok = false;
				}
				if (werr) {
					ok = cmp_error(p->name, id, sn, werr, &r.err, &cause_ok);
				} else if (r.outcome != FM_DERIVED) {
					report(p->name, id, sn, "outcome", "success", r.err.n ? r.err.v[0].msg : "?");
					ok = false;
				} else {
					fm_jm_layout *l = &r.l;
					ok = cmp_int(p->name, id, sn, want, "jvmHeap", l->jvm_heap) &
					     cmp_int(p->name, id, sn, want, "offHeap", l->off_heap) &
					     cmp_int(p->name, id, sn, want, "totalFlink", l->total_flink) &
					     cmp_int(p->name, id, sn, want, "metaspace", l->metaspace) &
					     cmp_int(p->name, id, sn, want, "jvmOverhead", l->overhead) &
					     cmp_int(p->name, id, sn, want, "totalProcess", l->total_process) &
					     cmp_str(p->name, id, sn, want, "jvmArgs", l->jvm_args) &
					     cmp_str(p->name, id, sn, want, "dynamicConfigs", l->dynamic_configs);
				}
				fm_logs merged = FM_LOGS_INIT;
				for (size_t i = 0; i < load_logs.n; i++)
					fm_logs_add(&merged, "", "%s", load_logs.v[i]);
				for (size_t i = 0; i < r.logs.n; i++)
					fm_logs_add(&merged, "", "%s", r.logs.v[i]);
				for (size_t i = 0; i < merged.n; i++)
					memmove(merged.v[i], merged.v[i] + 1, strlen(merged.v[i]));
				logs_ok = cmp_logs(json_object_get(want, "logs"), &merged);
				if (!logs_ok && ok && compare_logs)
					dump_logs(p->name, id, sn, json_object_get(want, "logs"), &merged);
				fm_logs_release(&merged);
				fm_jm_result_release(&r);
			}
		}
		if (!ok)
			st->contract_fail++;
		else if (!cause_ok)
			st->cause_fail++;
		if (ok && !logs_ok && compare_logs)
			st->log_fail++;
	}
	fm_jchain_release(&load_err);
	fm_logs_release(&load_logs);
	fm_conf_free(c);
}

typedef void (*rec_fn)(json_t *rec, void *ctx);

static int for_each_record(const char *path, rec_fn fn, void *ctx)
{
	size_t len;
	char *data = read_gz(path, &len);
	if (!data) {
		fprintf(stderr, "conformance: cannot read %s\n", path);
		return -1;
	}
	char *line = data;
	while (line && *line) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		if (*line) {
			json_error_t je;
			json_t *rec = json_loads(line, 0, &je);
			if (!rec) {
				fprintf(stderr, "conformance: %s: bad JSON: %s\n", path, je.text);
				free(data);
				return -1;
			}
			fn(rec, ctx);
			json_decref(rec);
		}
		line = nl ? nl + 1 : NULL;
	}
	free(data);
	return 0;
}

typedef struct run_ctx {
	const fm_profile *p;
	stats *st;
	idset *skip;
	idset *own;
} run_ctx;

static void collect_id(json_t *rec, void *ctx)
{
	idset_add((idset *)ctx, json_string_value(json_object_get(rec, "id")));
}

static void run_cb(json_t *rec, void *ctx)
{
	run_ctx *rc = ctx;
	const char *id = json_string_value(json_object_get(rec, "id"));
	if (rc->skip && (idset_has(rc->skip, id) || idset_has(rc->own, id)))
		return;
	run_record(rc->p, rec, rc->st);
}

static const struct {
	const char *file;
	const char *profile_release;
} files[] = {
	{"flink-2.2.1", "2.2.1"}, {"flink-1.20.0", "1.20.0"}, {"flink-1.18.1", "1.18.1"},
	{"flink-1.16.3", "1.16.3"}, {"flink-1.15.4", "1.15.4"}, {"flink-1.14.6", "1.14.6"},
	{"flink-1.13.6", "1.13.6"}, {"flink-1.12.7", "1.12.7"}, {"flink-1.12.1", "1.12.1"},
	{"flink-1.11.6", "1.11.6"}, {"flink-1.11.2", "1.11.2"}, {"flink-1.11.1", "1.11.1"},
	{"flink-1.10.3", "1.10.3"}, {"flink-1.10.0", "1.10.0"},
};

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: conformance VECTOR_DIR [PROFILE [ID]]\n");
		return 2;
	}
	const char *dir = argv[1];
	const char *only_prof = argc > 2 ? argv[2] : NULL;
	only_id = argc > 3 ? argv[3] : NULL;
	verbose = getenv("FM_VERBOSE") != NULL;
	stats total = {0};
	int bad = 0;
	for (size_t f = 0; f < sizeof(files) / sizeof(files[0]); f++) {
		if (only_prof && strcmp(only_prof, files[f].profile_release) != 0)
			continue;
		const fm_profile *p = fm_profile_for(files[f].profile_release);
		stats st = {0};
		char path[4096];
		snprintf(path, sizeof path, "%s/%s.jsonl.gz", dir, files[f].file);
		run_ctx rc = {p, &st, NULL, NULL};
		compare_logs = true;
		if (for_each_record(path, run_cb, &rc) != 0)
			return 2;
		compare_logs = false;
		bool older = strcmp(files[f].file, "flink-2.2.1") && strcmp(files[f].file, "flink-1.20.0");
		if (older) {
			/* The 1.20 records this release computes the same way. */
			idset own = {0}, withheld = {0};
			for_each_record(path, collect_id, &own);
			snprintf(path, sizeof path, "%s/%s.withheld-ids.gz", dir, files[f].file);
			size_t wl;
			char *w = read_gz(path, &wl);
			for (char *t = w; t && *t;) {
				size_t n = strcspn(t, " \n\t,");
				if (n) {
					char save = t[n];
					t[n] = '\0';
					idset_add(&withheld, t);
					t[n] = save;
				}
				t += n + (t[n] ? 1 : 0);
			}
			free(w);
			snprintf(path, sizeof path, "%s/flink-1.20.0.jsonl.gz", dir);
			run_ctx rc2 = {p, &st, &withheld, &own};
			if (for_each_record(path, run_cb, &rc2) != 0)
				return 2;
			idset_free(&own);
			idset_free(&withheld);
		}
		printf("%-8s %-14s records %5ld  sides %5ld  contract-fail %4ld  cause-diff %4ld  log-diff %4ld\n",
		       p->name, p->releases, st.records, st.sides, st.contract_fail, st.cause_fail, st.log_fail);
		total.records += st.records;
		total.sides += st.sides;
		total.contract_fail += st.contract_fail;
		total.cause_fail += st.cause_fail;
		total.log_fail += st.log_fail;
		if (st.contract_fail)
			bad = 1;
	}
	printf("%ld passed, %ld failed\n", total.sides - total.contract_fail, total.contract_fail);
	printf("(cause chains differing on passing sides: %ld; log lines differing: %ld)\n",
	       total.cause_fail, total.log_fail);
	return bad;
}
