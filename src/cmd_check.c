/* cmd_check — `flinkmem check`: the pre-deploy gate. Exit 1 on any error
 * finding (or warning with --strict), 2 for unusable input, else 0. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "flinkmem/lint.h"
#include "flinkmem/report.h"

static const char check_usage[] =
	"usage: flinkmem check [-c PATH] [-D key=value]... [--flink-version V] [--name NAME]\n"
	"                      [--operator-version V]\n"
	"                      [--strict] [--format text|json|sarif] [--rules]\n"
	"\n"
	"  -c, --config PATH      flink-conf.yaml, config.yaml, a conf directory or a\n"
	"                         FlinkDeployment YAML (every FlinkDeployment in it)\n"
	"      --name NAME        only the FlinkDeployment with metadata.name NAME\n"
	"  -D key=value           a dynamic property, as on Flink's command line\n"
	"      --flink-version V  release to check against (1.10 ... 2.2)\n"
	"      --operator-version V  Kubernetes operator release whose rules a FlinkDeployment\n"
	"                         follows (1.0 ... 1.15, main; default: main)\n"
	"      --strict           warnings fail too (exit 1)\n"
	"      --format F         text (default), json, sarif\n"
	"      --rules            list the rules and exit\n"
	"\n"
	"Exit status: 0 clean, 1 error findings (or warnings with --strict), 2 usage or input error.\n";

/* Lints the configuration cur holds and moves its findings to all, with
 * "FlinkDeployment 'NAME' (Flink V): " in front when named. With files
 * not NULL, file names are re-pointed into it (cur is released before the
 * findings are printed). FM_OK or FM_ENOMEM. */
static int lint_one(const cli_conf *cur, fm_conf *files, bool named, fm_findings *all)
{
	fm_lint_input in = {cur->conf, cur->profile, &cur->env, cur->is_k8s ? NULL : getenv("FLINK_PROPERTIES"), 0, 0,
			    cur->k8s_doc, &cur->load_logs, cur->k8s_op};
	fm_findings one;
	if (fm_lint(&in, &one) != FM_OK)
		return FM_ENOMEM;
	int rc = FM_OK;
	for (size_t k = 0; k < one.n && rc == FM_OK; k++) {
		fm_finding *g = &one.v[k];
		if (named && cur->k8s_doc->name) {
			char *m = NULL;
			if (asprintf(&m, "FlinkDeployment '%s' (Flink %s): %s", cur->k8s_doc->name, cur->profile->name,
				     g->message ? g->message : "") < 0) {
				rc = FM_ENOMEM;
				break;
			}
			free(g->message);
			g->message = m;
		}
		if (g->file && files && !(g->file = fm_conf_intern(files, g->file))) {
			rc = FM_ENOMEM;
			break;
		}
		if (all->n == all->cap) {
			size_t nc = all->cap ? all->cap * 2 : 16;
			fm_finding *nv = realloc(all->v, nc * sizeof(*nv));
			if (!nv) {
				rc = FM_ENOMEM;
				break;
			}
			all->v = nv;
			all->cap = nc;
		}
		all->v[all->n++] = *g;
		*g = (fm_finding){0};
	}
	fm_findings_release(&one);
	return rc;
}

/* The first reading of a CR file keeps only its first FlinkDeployment. */
static int skip_doc(void *ctx, fm_k8s_doc *doc)
{
	(void)ctx;
	(void)doc;
	return FM_OK;
}

/* State of the second reading, which lints the later FlinkDeployments. */
typedef struct rest {
	const cli_conf *cc;
	fm_findings *all;
	fm_conf *files;  /* file names of their findings */
	fm_conf *names;  /* every FlinkDeployment's metadata.name (as keys), for FM106 */
	int rc;          /* 2 once a document could not be loaded */
} rest;

/* Records a FlinkDeployment's name. FM_OK or FM_ENOMEM. */
static int lint_streamed_name(rest *r, const char *name)
{
	return fm_conf_put(r->names, name, strlen(name), "", 0, FM_V_STR, 0, NULL);
}

/* fm_k8s_doc_fn: one later FlinkDeployment, with the options of cc. */
static int lint_streamed(void *ctx, fm_k8s_doc *doc)
{
	rest *r = ctx;
	if (doc->name && lint_streamed_name(r, doc->name) != FM_OK)
		return FM_ENOMEM;
	fm_k8s_set one = {.docs = doc, .ndocs = 1};
	cli_conf cur = {.path = r->cc->path, .dynamic = r->cc->dynamic, .ndynamic = r->cc->ndynamic,
			.version = r->cc->version, .op_version = r->cc->op_version, .k8s_from = &one, .k8s_index = 0, .k8s_index_set = true};
	int rc = FM_OK;
	if (cli_conf_load(&cur) != 0)
		r->rc = 2, rc = FM_EINVAL;
	else
		rc = lint_one(&cur, r->files, true, r->all);
	cli_conf_release(&cur);
	return rc;
}

/* FM106 for the session jobs of cc's file whose deployment is not among
 * names, without holding every deployment. */
static int lint_jobs(const cli_conf *cc, const fm_conf *names, fm_findings *all)
{
	fm_k8s_set lost = {0};
	lost.jobs = malloc((cc->k8s.njobs ? cc->k8s.njobs : 1) * sizeof(*lost.jobs));
	if (!lost.jobs)
		return FM_ENOMEM;
	for (size_t i = 0; i < cc->k8s.njobs; i++) {
		const fm_k8s_sjob *j = &cc->k8s.jobs[i];
		if (!j->deployment || !fm_conf_has(names, j->deployment))
			lost.jobs[lost.njobs++] = *j; /* borrowed */
	}
	int rc = fm_lint_k8s_jobs(&lost, cc->path, all);
	free(lost.jobs);
	return rc;
}

/* FM106 when every FlinkDeployment is held in cc->k8s (--name, one). */
static int lint_held_jobs(const cli_conf *cc, fm_findings *all)
{
	fm_conf *names = fm_conf_new();
	int rc = names ? FM_OK : FM_ENOMEM;
	for (size_t i = 0; i < cc->k8s.ndocs && rc == FM_OK; i++)
		if (cc->k8s.docs[i].name)
			rc = fm_conf_put(names, cc->k8s.docs[i].name, strlen(cc->k8s.docs[i].name), "", 0, FM_V_STR, 0,
					 NULL);
	if (rc == FM_OK)
		rc = lint_jobs(cc, names, all);
	fm_conf_free(names);
	return rc;
}

/* Reads cc's CR file a second time, linting every FlinkDeployment after
 * the first as it is read (each released before the next), then the
 * session jobs. 0, or 2 after an error message. */
static int lint_rest(const cli_conf *cc, fm_findings *all, fm_conf *files)
{
	size_t len;
	char *data = cli_read_file(cc->path, &len);
	if (!data) {
		cli_err("%s: cannot read: %s", cc->path, strerror(errno));
		return 2;
	}
	rest r = {.cc = cc, .all = all, .files = files, .names = fm_conf_new()};
	fm_k8s_set first = {0};
	fm_diag d = FM_DIAG_INIT;
	int rc = !r.names ? FM_ENOMEM : fm_k8s_load_stream(cc->path, data, len, &first, lint_streamed, &r, &d);
	free(data);
	fm_k8s_set_release(&first); /* cc->k8s holds the same first deployment and jobs */
	const char *name0 = cc->k8s.ndocs ? cc->k8s.docs[0].name : NULL;
	if (rc == FM_OK && name0 && lint_streamed_name(&r, name0) != FM_OK)
		rc = FM_ENOMEM;
	if (rc == FM_OK)
		rc = lint_jobs(cc, r.names, all);
	fm_conf_free(r.names);
	if (rc != FM_OK && !r.rc)
		cli_err("%s", rc == FM_ENOMEM || !d.msg ? "out of memory" : d.msg);
	fm_diag_release(&d);
	return rc != FM_OK ? 2 : 0;
}

/* A config Flink cannot load (syntax error, duplicate key, null value, no
 * file in the conf dir): one FM003 finding carrying Flink's exception. */
static int unloadable(const cli_conf *cc, fm_findings *f)
{
	fm_buf det = FM_BUF_INIT;
	int rc = 0;
	for (size_t i = 0; i < cc->load_err.n && !rc; i++)
		rc = fm_buf_addf(&det, "%s%s: %s\n", i ? "  caused by " : "", cc->load_err.v[i].cls,
				 cc->load_err.v[i].msg ? cc->load_err.v[i].msg : "");
	f->v = calloc(1, sizeof(*f->v));
	char *msg = strdup("Flink cannot load this configuration: neither the JobManager nor a TaskManager starts");
	char *detail = rc ? NULL : fm_buf_detach(&det, NULL);
	fm_buf_release(&det);
	if (!f->v || !msg || !detail) {
		free(msg);
		free(detail);
		return -1;
	}
	f->v[0] = (fm_finding){fm_lint_rule("FM003"), FM_SEV_ERROR, NULL, cc->load_file, cc->load_line, cc->load_col,
			       msg, detail, NULL};
	f->n = f->cap = 1;
	return 0;
}

/* The findings in the chosen format on stdout; the exit status. */
static int emit(const cli_conf *cc, const char *format, const fm_findings *f, bool strict)
{
	fm_report_ctx ctx = {cc->profile, cc->reason, cc->path ? cc->path : (cc->nnotes ? cc->notes[0].detail : NULL)};
	fm_buf b = FM_BUF_INIT;
	int wrc = !strcmp(format, "json")    ? fm_report_json(&b, &ctx, f)
		  : !strcmp(format, "sarif") ? fm_report_sarif(&b, &ctx, f)
					     : fm_report_text(&b, &ctx, f, cli_color());
	int rc = cli_write_rendered(wrc, &b);
	if (!rc)
		for (size_t i = 0; i < f->n; i++)
			if (f->v[i].severity == FM_SEV_ERROR || (strict && f->v[i].severity == FM_SEV_WARNING))
				rc = 1;
	fm_buf_release(&b);
	return rc;
}

int cmd_check(int argc, char **argv)
{
	enum { OPT_FORMAT = 256, OPT_VERSION, OPT_STRICT, OPT_RULES, OPT_NAME, OPT_OPERATOR };
	static const struct option opts[] = {
		{"config", required_argument, NULL, 'c'}, {"flink-version", required_argument, NULL, OPT_VERSION},
		{"format", required_argument, NULL, OPT_FORMAT}, {"strict", no_argument, NULL, OPT_STRICT},
		{"rules", no_argument, NULL, OPT_RULES}, {"name", required_argument, NULL, OPT_NAME},
		{"operator-version", required_argument, NULL, OPT_OPERATOR},
		{"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0},
	};
	cli_conf cc = {0};
	const char **dyn = calloc((size_t)argc + 1, sizeof(*dyn));
	if (!dyn)
		return 2;
	const char *format = "text";
	bool strict = false;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "c:D:h", opts, NULL)) != -1) {
		switch (c) {
		case 'c': cc.path = optarg; break;
		case 'D': dyn[cc.ndynamic++] = optarg; break;
		case OPT_VERSION: cc.version = optarg; break;
		case OPT_FORMAT: format = optarg; break;
		case OPT_STRICT: strict = true; break;
		case OPT_NAME: cc.name = optarg; break;
		case OPT_OPERATOR: cc.op_version = optarg; break;
		case OPT_RULES: {
			size_t n;
			const fm_rule_doc *r = fm_lint_rules(&n);
			for (size_t i = 0; i < n; i++)
				printf("%s  %-32s %-7s %s\n", r[i].id, r[i].name,
				       r[i].severity == FM_SEV_ERROR ? "error" : r[i].severity == FM_SEV_WARNING ? "warning" : "note",
				       r[i].summary);
			free(dyn);
			return 0;
		}
		case 'h':
			free(dyn);
			fputs(check_usage, stdout);
			return 0;
		default:
			free(dyn);
			fputs(check_usage, stderr);
			return 2;
		}
	}
	if (optind < argc) {
		cli_err("check: unexpected argument '%s' (use -c PATH for a config)", argv[optind]);
		free(dyn);
		return 2;
	}
	if (strcmp(format, "text") && strcmp(format, "json") && strcmp(format, "sarif")) {
		cli_err("check: unknown format '%s' (text, json, sarif)", format);
		free(dyn);
		return 2;
	}
	cc.dynamic = dyn;
	cc.k8s_jobs_ok = true;
	cc.k8s_index_set = true; /* every FlinkDeployment is checked: no "using the first" note */
	/* A CR file without --name: every FlinkDeployment in it, each with its
	 * own profile; findings stay grouped per deployment. The first reading
	 * keeps only the first deployment (and the session jobs); a second one
	 * lints each later deployment as it is read and drops it, so time is
	 * linear and memory bounded by the largest document (plus findings). */
	if (!cc.name)
		cc.k8s_each = skip_doc;
	int rc = cli_conf_load(&cc);
	fm_findings f = {0};
	if (!rc && cc.load_err.n) {
		/* A config Flink cannot even load: that is the one finding. */
		if (unloadable(&cc, &f)) {
			cli_err("out of memory");
			rc = 2;
		} else {
			rc = emit(&cc, format, &f, strict);
		}
		fm_findings_release(&f);
		cli_conf_release(&cc);
		free(dyn);
		return rc;
	}
	if (rc) {
		cli_conf_release(&cc);
		free(dyn);
		return rc;
	}
	fm_conf *files = fm_conf_new();
	bool oom = !files;
	bool many = cc.k8s_doc && !cc.name && cc.k8s.ndocs + cc.k8s.nstreamed > 1;
	if (!oom && (cc.k8s_doc || !cc.is_k8s))
		oom = lint_one(&cc, NULL, many, &f) != FM_OK;
	if (!oom && cc.k8s.nstreamed)
		rc = lint_rest(&cc, &f, files);
	else if (!oom && cc.is_k8s)
		oom = lint_held_jobs(&cc, &f) != FM_OK;
	if (rc || oom) {
		if (oom) {
			cli_err("out of memory");
			rc = 2;
		}
		fm_findings_release(&f);
		fm_conf_free(files);
		cli_conf_release(&cc);
		free(dyn);
		return rc;
	}
	rc = emit(&cc, format, &f, strict);
	fm_findings_release(&f);
	fm_conf_free(files);
	cli_conf_release(&cc);
	free(dyn);
	return rc;
}
