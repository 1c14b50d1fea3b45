/* cmd_check — `flinkmem check`: the pre-deploy gate. Exit 1 on any error
 * finding (or warning with --strict), 2 for unusable input, else 0. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "flinkmem/lint.h"
#include "flinkmem/report.h"

static const char check_usage[] =
	"usage: flinkmem check [-c PATH] [-D key=value]... [--flink-version V] [--name NAME]\n"
	"                      [--strict] [--format text|json|sarif] [--rules]\n"
	"\n"
	"  -c, --config PATH      flink-conf.yaml, config.yaml, a conf directory or a\n"
	"                         FlinkDeployment YAML (every FlinkDeployment in it)\n"
	"      --name NAME        only the FlinkDeployment with metadata.name NAME\n"
	"  -D key=value           a dynamic property, as on Flink's command line\n"
	"      --flink-version V  release to check against (1.10 ... 2.2)\n"
	"      --strict           warnings fail too (exit 1)\n"
	"      --format F         text (default), json, sarif\n"
	"      --rules            list the rules and exit\n"
	"\n"
	"Exit status: 0 clean, 1 error findings (or warnings with --strict), 2 usage or input error.\n";

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
	enum { OPT_FORMAT = 256, OPT_VERSION, OPT_STRICT, OPT_RULES, OPT_NAME };
	static const struct option opts[] = {
		{"config", required_argument, NULL, 'c'}, {"flink-version", required_argument, NULL, OPT_VERSION},
		{"format", required_argument, NULL, OPT_FORMAT}, {"strict", no_argument, NULL, OPT_STRICT},
		{"rules", no_argument, NULL, OPT_RULES}, {"name", required_argument, NULL, OPT_NAME},
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
	/* A CR file without --name: every FlinkDeployment in it, each with its
	 * own profile; findings stay grouped per deployment. */
	size_t nextra = cc.k8s_doc && !cc.name && cc.k8s.ndocs > 1 ? cc.k8s.ndocs - 1 : 0;
	cli_conf *extra = nextra ? calloc(nextra, sizeof(*extra)) : NULL;
	if (nextra && !extra) {
		cli_err("out of memory");
		cli_conf_release(&cc);
		free(dyn);
		return 2;
	}
	bool oom = false;
	for (size_t i = 0; i <= nextra && !rc && !oom; i++) {
		cli_conf *cur = &cc;
		if (i > 0) {
			cur = &extra[i - 1];
			cur->path = cc.path;
			cur->dynamic = cc.dynamic;
			cur->ndynamic = cc.ndynamic;
			cur->version = cc.version;
			cur->k8s_index = i;
			cur->k8s_index_set = true;
			rc = cli_conf_load(cur);
			if (rc)
				break;
		}
		if (!cur->k8s_doc && cur->is_k8s)
			continue; /* FlinkSessionJobs only */
		fm_lint_input in = {cur->conf, cur->profile, &cur->env, cur->is_k8s ? NULL : getenv("FLINK_PROPERTIES"), 0, 0,
				    cur->k8s_doc, &cur->load_logs};
		fm_findings one;
		if (fm_lint(&in, &one) != FM_OK) {
			oom = true;
			break;
		}
		for (size_t k = 0; k < one.n && !oom; k++) {
			fm_finding *g = &one.v[k];
			if (nextra && cur->k8s_doc->name) {
				char *m = NULL;
				if (asprintf(&m, "FlinkDeployment '%s' (Flink %s): %s", cur->k8s_doc->name, cur->profile->name,
					     g->message ? g->message : "") < 0) {
					oom = true;
					break;
				}
				free(g->message);
				g->message = m;
			}
			if (f.n == f.cap) {
				size_t nc = f.cap ? f.cap * 2 : 16;
				fm_finding *nv = realloc(f.v, nc * sizeof(*nv));
				if (!nv) {
					oom = true;
					break;
				}
				f.v = nv;
				f.cap = nc;
			}
			f.v[f.n++] = *g;
			*g = (fm_finding){0};
		}
		fm_findings_release(&one);
	}
	if (!rc && !oom && cc.is_k8s && fm_lint_k8s_jobs(&cc.k8s, cc.path, &f) != FM_OK)
		oom = true;
	if (rc || oom) {
		if (oom) {
			cli_err("out of memory");
			rc = 2;
		}
		fm_findings_release(&f);
		for (size_t i = 0; i < nextra; i++)
			cli_conf_release(&extra[i]);
		free(extra);
		cli_conf_release(&cc);
		free(dyn);
		return rc;
	}
	rc = emit(&cc, format, &f, strict);
	fm_findings_release(&f);
	for (size_t i = 0; i < nextra; i++)
		cli_conf_release(&extra[i]);
	free(extra);
	cli_conf_release(&cc);
	free(dyn);
	return rc;
}
