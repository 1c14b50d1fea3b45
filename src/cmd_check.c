/* cmd_check — `flinkmem check`: the pre-deploy gate, with the conventions
 * of the linters operators already run in CI and pre-commit: files as
 * arguments (several, one report), a severity threshold (--fail-on), rule
 * selection (--enable/--disable, a .flinkmem.yaml found upward from each
 * file), inline suppressions (# flinkmem: disable=ID), and text, JSON,
 * SARIF and gcc formats. Exit 1 when a reported finding meets the
 * threshold, 2 for unusable input or usage, else 0. */
#include <errno.h>
#include <fnmatch.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "flinkmem/lint.h"
#include "flinkmem/lintcfg.h"
#include "flinkmem/report.h"

/* Where SARIF's helpUri and the rule list point: docs/rules/ID.md as
 * installed, unless the build names a web copy (FM_RULES_URL). */
#ifndef FM_RULES_URL
#define FM_RULES_URL NULL
#endif

static const char check_usage[] =
	"usage: flinkmem check [-c PATH]... [FILE|DIR]... [-D key=value]... [-q]\n"
	"                      [--flink-version V] [--name NAME] [--no-project]\n"
	"                      [--operator-version V]\n"
	"                      [--format text|json|sarif|gcc] [--strict]\n"
	"                      [--fail-on error|warning|note] [--color auto|always|never]\n"
	"                      [--enable IDS]... [--disable IDS]...\n"
	"       flinkmem check --rules [--format json]\n"
"\n"
	"  -c, --config PATH      flink-conf.yaml, config.yaml, a conf directory or a\n"
	"                         FlinkDeployment YAML, as FILE|DIR arguments too;\n"
	"                         several give one report\n"
	"      --name NAME        only the FlinkDeployment with metadata.name NAME\n"
	"  -D key=value           a dynamic property, as on Flink's command line\n"
	"      --flink-version V  release to check against (1.10 ... 2.2)\n"
	"      --flink-version-fallback  a release past 2.2 or before 1.10: check\n"
	"                         with the nearest profile (and say so)\n"
	"      --operator-version V  Kubernetes operator release whose rules a\n"
	"                         FlinkDeployment follows (1.0 ... 1.15, main)\n"
	"      --format F         text (default), json, sarif, gcc\n"
	"      --fail-on S        exit 1 from severity S up: error (default),\n"
	"                         warning, note\n"
	"      --strict           the same as --fail-on warning\n"
	"      --enable IDS       turn rules on again (FM012,FM060 or all)\n"
	"      --disable IDS      turn rules off (after .flinkmem.yaml)\n"
	"      --no-project       ignore .flinkmem.yaml files\n"
	"  -q, --quiet            findings only: no header, no summary\n"
	"      --color WHEN       auto (default: a terminal, not TERM=dumb, no\n"
	"                         NO_COLOR), always, never\n"
	"      --rules            list the rules and exit\n"
	"\n"
	"In a checked file, '# flinkmem: disable=FM012' silences a rule on its line\n"
	"(or, alone on a line, on the next); 'disable-file=FM060' in the whole file.\n"
	"Exit status: 0 clean, 1 a finding at or above --fail-on, 2 usage or input\n"
	"error.\n";

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
static int lint_rest(cli_conf *cc, fm_findings *all, fm_conf *files)
{
	size_t len = cc->image_len;
	char *data = cc->image; /* the bytes read once, kept for suppressions */
	bool own = false;
	if (!data) {
		if (!(data = cli_read_file(cc->path, &len))) {
			cli_err("%s: cannot read: %s", cc->path, strerror(errno));
			return 2;
		}
		own = true;
	}
	rest r = {.cc = cc, .all = all, .files = files, .names = fm_conf_new()};
	fm_k8s_set first = {0};
	fm_diag d = FM_DIAG_INIT;
	int rc = !r.names ? FM_ENOMEM : fm_k8s_load_stream(cc->path, data, len, &first, lint_streamed, &r, &d);
	if (own)
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
	f->v[0] = (fm_finding){.rule = fm_lint_rule("FM003"), .severity = FM_SEV_ERROR, .file = cc->load_file,
			       .line = cc->load_line, .col = cc->load_col, .message = msg, .detail = detail};
	f->n = f->cap = 1;
	return 0;
}


/* ---- one report over several inputs ---------------------------------------- */

/* A rule list of --enable/--disable, in command-line order. */
typedef struct sel_arg {
	bool on;
	const char *ids;
} sel_arg;

typedef struct check_opts {
	const char **dynamic;
	size_t ndynamic;
	const char *version, *name, *format, *op_version;
	bool has_fail_on, strict, quiet, no_project, version_fallback;
	fm_severity fail_on;
	sel_arg *sel;              /* checked by check_sel before any input */
	size_t nsel;
} check_opts;

typedef struct report {
	fm_findings all;
	fm_conf *pool;             /* the strings every finding and input names */
	fm_report_input *inputs;
	size_t ninputs;
	bool fails;                /* a reported finding met its input's threshold */
	char *cwd;                 /* with locations: %SRCROOT% (realpath of ".") */
} report;

static int oom(void)
{
	cli_err("out of memory");
	return 2;
}

/* The directory a path's project file is searched from: the path itself
 * when it is a directory, else the one holding it ("." with no slash). */
static char *start_dir(const char *path)
{
	struct stat st;
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return realpath(path, NULL);
	const char *sl = strrchr(path, '/');
	if (!sl)
		return realpath(".", NULL);
	char *d = sl == path ? strdup("/") : strndup(path, (size_t)(sl - path));
	char *abs = d ? realpath(d, NULL) : NULL;
	free(d);
	return abs;
}

/* An absolute path as shown: relative to the working directory when it
 * is under it (stable output, short lines), else as is. */
static char *shown_path(const char *abs)
{
	char *cwd = realpath(".", NULL);
	size_t cl = cwd ? strlen(cwd) : 0;
	char *s = strdup(cwd && !strncmp(abs, cwd, cl) && abs[cl] == '/' ? abs + cl + 1 : abs);
	free(cwd);
	return s;
}

/* The nearest .flinkmem.yaml from dir upward (as .editorconfig and
 * .shellcheckrc are found): its path and directory, or false. */
static bool project_find(const char *path, char **file, char **dir)
{
	char *d = start_dir(path);
	while (d) {
		char *f = NULL;
		struct stat st;
		if (asprintf(&f, "%s%s.flinkmem.yaml", d, strcmp(d, "/") ? "/" : "") < 0) {
			free(d);
			return false;
		}
		if (stat(f, &st) == 0 && S_ISREG(st.st_mode)) {
			*file = shown_path(f);
			free(f);
			*dir = d;
			return *file != NULL;
		}
		free(f);
		char *sl = strrchr(d, '/');
		if (!sl || !strcmp(d, "/")) {
			free(d);
			return false;
		}
		if (sl == d)
			sl[1] = '\0';
		else
			*sl = '\0';
	}
	return false;
}

#define PROJECT_CAP ((size_t)1 << 20)

/* Reads and parses the project file; 0, or 2 after a one-line error. */
static int project_load(const char *file, fm_lintcfg *pc)
{
	struct stat st;
	if (stat(file, &st) == 0 && (size_t)st.st_size > PROJECT_CAP) {
		cli_err("%s: larger than flinkmem's limit of 1 MiB for a project file", file);
		return 2;
	}
	size_t len;
	char *data = cli_read_file(file, &len);
	if (!data) {
		cli_read_err(file);
		return 2;
	}
	fm_diag d = FM_DIAG_INIT;
	int rc = fm_lintcfg_parse(file, data, len, pc, &d);
	free(data);
	if (rc == FM_ENOMEM) {
		fm_diag_release(&d);
		return oom();
	}
	if (rc != FM_OK) {
		if (d.key)
			cli_err("%s:%u:%u: %s (%s)", file, d.line, d.col, d.msg ? d.msg : fm_strerror(rc), d.key);
		else
			cli_err("%s:%u:%u: %s", file, d.line, d.col, d.msg ? d.msg : fm_strerror(rc));
	}
	fm_diag_release(&d);
	return rc != FM_OK ? 2 : 0;
}

/* An ignore pattern of the project file matching path (relative to the
 * project file's directory, or by its base name). */
static bool project_ignores(const fm_lintcfg *pc, const char *dir, const char *path)
{
	if (!pc->nignore)
		return false;
	char *abs = realpath(path, NULL);
	const char *rel = abs;
	size_t dl = strlen(dir);
	if (abs && !strncmp(abs, dir, dl) && abs[dl] == '/')
		rel = abs + dl + 1;
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	bool hit = false;
	for (size_t i = 0; i < pc->nignore && !hit; i++)
		hit = (rel && fnmatch(pc->ignore[i], rel, FNM_PATHNAME) == 0) || fnmatch(pc->ignore[i], base, 0) == 0;
	free(abs);
	return hit;
}

/* The findings of one loaded config: every FlinkDeployment of a CR file,
 * or one FM003 when Flink cannot load it. 0, or 2 after an error. */
static int collect(cli_conf *cc, fm_findings *f, fm_conf *files)
{
	if (cc->load_err.n)
		return unloadable(cc, f) ? oom() : 0;
	bool many = cc->k8s_doc && !cc->name && cc->k8s.ndocs + cc->k8s.nstreamed > 1;
	if ((cc->k8s_doc || !cc->is_k8s) && lint_one(cc, NULL, many, f) != FM_OK)
		return oom();
	if (cc->k8s.nstreamed)
		return lint_rest(cc, f, files);
	if (cc->is_k8s && lint_held_jobs(cc, f) != FM_OK)
		return oom();
	return 0;
}

/* Inline suppressions of the file read (cc->image); 0, or 2 after an
 * error naming the comment. */
static int suppress(const cli_conf *cc, fm_findings *f)
{
	if (!cc->image || !cc->image_file)
		return 0;
	fm_suppressions s;
	fm_diag d = FM_DIAG_INIT;
	int rc = fm_suppressions_scan(cc->image_file, cc->image, cc->image_len, &s, &d);
	if (rc == FM_OK)
		rc = fm_suppressions_apply(&s, cc->image_file, f);
	fm_suppressions_release(&s);
	if (rc == FM_ENOMEM)
		rc = oom();
	else if (rc != FM_OK)
		cli_err("%s:%u:%u: %s", d.file ? d.file : cc->image_file, d.line, d.col, d.msg ? d.msg : fm_strerror(rc));
	fm_diag_release(&d);
	return rc ? 2 : 0;
}

/* The rules this input reports: all, then the project file's disable and
 * enable, then --enable/--disable in order. */
static fm_rule_set enabled_rules(const check_opts *o, const fm_lintcfg *pc)
{
	fm_rule_set on = {0};
	size_t n;
	const fm_rule_doc *r = fm_lint_rules(&n);
	for (size_t i = 0; i < n; i++)
		if (!fm_rule_set_has(&pc->disable, &r[i]) || fm_rule_set_has(&pc->enable, &r[i]))
			fm_rule_set_add(&on, &r[i]);
	for (size_t k = 0; k < o->nsel; k++) {
		fm_rule_set ids = {0};
		fm_rule_ids_parse(o->sel[k].ids, strlen(o->sel[k].ids), &ids, NULL); /* checked in cmd_check */
		for (size_t w = 0; w < FM_RULES_CAP / 64; w++)
			on.bits[w] = o->sel[k].on ? on.bits[w] | ids.bits[w] : on.bits[w] & ~ids.bits[w];
	}
	return on;
}

/* For locations every tool can show (SARIF, gcc): a finding with no file
 * of its own (defaults, -D, FLINK_PROPERTIES) points at the file checked,
 * and SARIF names files relative to %SRCROOT% (the working directory)
 * when they are under it. */
static int locate(report *r, const cli_conf *cc, fm_findings *f, bool sarif)
{
	const char *main_file = cc->image_file ? cc->image_file : cc->load_file;
	for (size_t i = 0; i < f->n; i++) {
		fm_finding *g = &f->v[i];
		if (main_file && (!g->file || strcmp(g->file, main_file) != 0) &&
		    !(g->file && cc->path && !strcmp(g->file, cc->path))) {
			g->file = main_file;
			g->line = g->col = 0;
		}
		struct stat st;
		if (!main_file && g->file && stat(g->file, &st) != 0)
			g->file = NULL; /* "(shipped config)", FLINK_PROPERTIES: no file to show */
		if (!sarif || !g->file || !r->cwd)
			continue;
		char *abs = realpath(g->file, NULL);
		size_t cl = strlen(r->cwd);
		const char *rel = abs && !strncmp(abs, r->cwd, cl) && abs[cl] == '/' ? abs + cl + 1 : abs;
		if (rel && !(g->file = fm_conf_intern(r->pool, rel))) {
			free(abs);
			return FM_ENOMEM;
		}
		free(abs);
	}
	return FM_OK;
}

static bool fails(const fm_findings *f, fm_severity threshold)
{
	for (size_t i = 0; i < f->n; i++)
		if (!f->v[i].suppressed_at && f->v[i].severity <= threshold)
			return true;
	return false;
}

/* Moves f's findings into the report, their strings into its pool. */
static int gather(report *r, fm_findings *f)
{
	for (size_t i = 0; i < f->n; i++)
		if (f->v[i].file && !(f->v[i].file = fm_conf_intern(r->pool, f->v[i].file)))
			return FM_ENOMEM;
	if (r->all.n + f->n > r->all.cap) {
		size_t nc = (r->all.n + f->n) * 2;
		fm_finding *nv = realloc(r->all.v, nc * sizeof(*nv));
		if (!nv)
			return FM_ENOMEM;
		r->all.v = nv;
		r->all.cap = nc;
	}
	if (f->n)
		memcpy(r->all.v + r->all.n, f->v, f->n * sizeof(*f->v));
	r->all.n += f->n;
	free(f->v);
	*f = (fm_findings){0};
	return FM_OK;
}

static int add_input(report *r, const cli_conf *cc, const char *reason)
{
	fm_report_input *nv = realloc(r->inputs, (r->ninputs + 1) * sizeof(*nv));
	if (!nv)
		return FM_ENOMEM;
	r->inputs = nv;
	const char *label = cc->path ? cc->path : (cc->nnotes ? cc->notes[0].detail : NULL);
	fm_report_input *in = &r->inputs[r->ninputs];
	*in = (fm_report_input){cc->profile, reason ? fm_conf_intern(r->pool, reason) : NULL,
				label ? fm_conf_intern(r->pool, label) : NULL,
				cc->release ? fm_conf_intern(r->pool, cc->release) : NULL};
	if ((reason && !in->profile_reason) || (label && !in->config_label) || (cc->release && !in->release))
		return FM_ENOMEM;
	r->ninputs++;
	return FM_OK;
}

/* Checks one input (path NULL: FLINK_CONF_DIR or the shipped config) into
 * the report. 0, or 2 after a one-line error. */
static int check_input(const check_opts *o, const char *path, report *r)
{
	fm_lintcfg pc = {0};
	char *pfile = NULL, *pdir = NULL;
	int rc = 0;
	if (!o->no_project && project_find(path ? path : ".", &pfile, &pdir)) {
		rc = project_load(pfile, &pc);
		if (!rc && path && project_ignores(&pc, pdir, path)) {
			if (!o->quiet)
				cli_err("note: %s: not checked (ignore in %s)", path, pfile);
			rc = -1;
		}
	}
	cli_conf cc = {.path = path, .dynamic = o->dynamic, .ndynamic = o->ndynamic, .name = o->name, .op_version = o->op_version,
		       .version = o->version ? o->version : pc.flink_version, .version_fallback = o->version_fallback,
		       .keep_image = true, .k8s_jobs_ok = true,
		       .k8s_index_set = true /* every FlinkDeployment is checked: no "using the first" note */};
	/* A CR file without --name: every FlinkDeployment in it, each with its
	 * own profile; findings stay grouped per deployment. The first reading
	 * keeps only the first deployment (and the session jobs); a second one
	 * lints each later deployment as it is read and drops it, so time is
	 * linear and memory bounded by the largest document (plus findings). */
	if (!cc.name)
		cc.k8s_each = skip_doc;
	fm_findings f = {0};
	if (!rc && !o->version && pc.flink_version && !cli_profile_fb(pc.flink_version, pfile, o->version_fallback, NULL))
		rc = 2;
	if (!rc)
		rc = cli_conf_load(&cc);
	if (!rc)
		rc = collect(&cc, &f, r->pool);
	char *reason = NULL;
	if (!rc && !o->version && pc.flink_version &&
	    asprintf(&reason, "chosen by flink-version %s in %s", pc.flink_version, pfile) < 0)
		rc = oom();
	if (!rc)
		rc = suppress(&cc, &f);
	if (!rc) {
		fm_rule_set on = enabled_rules(o, &pc);
		fm_findings_select(&f, &on, pc.sev, pc.nsev);
		fm_severity th = o->has_fail_on ? o->fail_on : o->strict ? FM_SEV_WARNING : pc.has_fail_on ? pc.fail_on : FM_SEV_ERROR;
		r->fails |= fails(&f, th);
		bool sarif = !strcmp(o->format, "sarif");
		if ((sarif || !strcmp(o->format, "gcc")) && locate(r, &cc, &f, sarif) != FM_OK)
			rc = oom();
	}
	if (!rc && (add_input(r, &cc, reason ? reason : cc.reason) != FM_OK || gather(r, &f) != FM_OK))
		rc = oom();
	free(reason);
	fm_findings_release(&f);
	cli_conf_release(&cc);
	fm_lintcfg_release(&pc);
	free(pfile);
	free(pdir);
	return rc < 0 ? 0 : rc;
}

static int list_rules(const char *format)
{
	fm_buf b = FM_BUF_INIT;
	int wrc = !strcmp(format, "json") ? fm_report_rules_json(&b, FM_RULES_URL) : fm_report_rules_text(&b);
	int rc = cli_write_rendered(wrc, &b);
	fm_buf_release(&b);
	return rc;
}

/* Parses --color WHEN; false for anything else. */
static bool color_arg(const char *s, int *mode)
{
	*mode = !strcmp(s, "auto") ? 0 : !strcmp(s, "always") ? 1 : !strcmp(s, "never") ? 2 : -1;
	return *mode >= 0;
}

static int emit(const check_opts *o, report *r, bool color)
{
	fm_report_ctx ctx = {0};
	if (r->ninputs) {
		ctx.profile = r->inputs[0].profile;
		ctx.profile_reason = r->inputs[0].profile_reason;
		ctx.config_label = r->inputs[0].config_label;
		ctx.release = r->inputs[0].release;
		ctx.more = r->inputs + 1;
		ctx.nmore = r->ninputs - 1;
	}
	ctx.quiet = o->quiet;
	ctx.help_base = FM_RULES_URL;
	char *root = NULL;
	if (r->cwd && asprintf(&root, "%s/", r->cwd) < 0)
		return oom();
	ctx.srcroot = root;
	fm_buf b = FM_BUF_INIT;
	int wrc = !strcmp(o->format, "json")    ? fm_report_json(&b, &ctx, &r->all)
		  : !strcmp(o->format, "sarif") ? fm_report_sarif(&b, &ctx, &r->all)
		  : !strcmp(o->format, "gcc")   ? fm_report_gcc(&b, &ctx, &r->all)
						: fm_report_text(&b, &ctx, &r->all, color);
	/* text fits the terminal (COLUMNS, else a terminal's width) */
	size_t width = !strcmp(o->format, "text") ? cli_width() : 0;
	if (!wrc && width) {
		fm_buf w = FM_BUF_INIT;
		wrc = fm_text_wrap(&w, b.data ? b.data : "", b.len, width);
		fm_buf_release(&b);
		b = w;
	}
	int rc = cli_write_rendered(wrc, &b);
	fm_buf_release(&b);
	free(root);
	return rc;
}

/* Every --enable/--disable list is checked before any input is read. */
static int check_sel(const check_opts *o)
{
	for (size_t k = 0; k < o->nsel; k++) {
		fm_rule_set ids = {0};
		fm_diag d = FM_DIAG_INIT;
		if (fm_rule_ids_parse(o->sel[k].ids, strlen(o->sel[k].ids), &ids, &d) != FM_OK) {
			cli_err("check: --%s %s: %s", o->sel[k].on ? "enable" : "disable", o->sel[k].ids,
				d.msg ? d.msg : "bad rule list");
			fm_diag_release(&d);
			return 2;
		}
	}
	return 0;
}

int cmd_check(int argc, char **argv)
{
	enum { OPT_FORMAT = 256, OPT_VERSION, OPT_STRICT, OPT_RULES, OPT_NAME, OPT_FAIL_ON, OPT_ENABLE, OPT_DISABLE,
	       OPT_COLOR, OPT_NO_PROJECT, OPT_OPERATOR, OPT_FALLBACK };
	static const struct option opts[] = {
		{"config", required_argument, NULL, 'c'}, {"flink-version", required_argument, NULL, OPT_VERSION},
		{"format", required_argument, NULL, OPT_FORMAT}, {"strict", no_argument, NULL, OPT_STRICT},
		{"fail-on", required_argument, NULL, OPT_FAIL_ON}, {"enable", required_argument, NULL, OPT_ENABLE},
		{"disable", required_argument, NULL, OPT_DISABLE}, {"no-project", no_argument, NULL, OPT_NO_PROJECT},
		{"quiet", no_argument, NULL, 'q'}, {"color", required_argument, NULL, OPT_COLOR},
		{"rules", no_argument, NULL, OPT_RULES}, {"name", required_argument, NULL, OPT_NAME},
		{"operator-version", required_argument, NULL, OPT_OPERATOR},
		{"flink-version-fallback", no_argument, NULL, OPT_FALLBACK},
		{"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0},
	};
	check_opts o = {.format = "text"};
	const char **dyn = calloc((size_t)argc + 1, sizeof(*dyn));
	const char **paths = calloc((size_t)argc + 1, sizeof(*paths));
	o.sel = calloc((size_t)argc + 1, sizeof(*o.sel));
	if (!dyn || !paths || !o.sel) {
		free(dyn), free(paths), free(o.sel);
		return oom();
	}
	o.dynamic = dyn;
	size_t npaths = 0;
	bool rules = false;
	int color_mode = 0, rc = -1, c;
	optind = 1;
	while (rc < 0 && (c = getopt_long(argc, argv, "c:D:hq", opts, NULL)) != -1) {
		switch (c) {
		case 'c': paths[npaths++] = optarg; break;
		case 'D': dyn[o.ndynamic++] = optarg; break;
		case 'q': o.quiet = true; break;
		case OPT_VERSION: o.version = optarg; break;
		case OPT_FALLBACK: o.version_fallback = true; break;
		case OPT_FORMAT: o.format = optarg; break;
		case OPT_STRICT: o.strict = true; break;
		case OPT_NAME: o.name = optarg; break;
		case OPT_OPERATOR: o.op_version = optarg; break;
		case OPT_NO_PROJECT: o.no_project = true; break;
		case OPT_RULES: rules = true; break;
		case OPT_ENABLE:
		case OPT_DISABLE: o.sel[o.nsel++] = (sel_arg){c == OPT_ENABLE, optarg}; break;
		case OPT_FAIL_ON:
			if (!fm_severity_parse(optarg, &o.fail_on)) {
				cli_err("check: --fail-on '%s': expected error, warning or note", optarg);
				rc = 2;
			}
			o.has_fail_on = true;
			break;
		case OPT_COLOR:
			if (!color_arg(optarg, &color_mode)) {
				cli_err("check: --color '%s': expected auto, always or never", optarg);
				rc = 2;
			}
			break;
		case 'h':
			fputs(check_usage, stdout);
			rc = 0;
			break;
		default:
			fputs(check_usage, stderr);
			rc = 2;
			break;
		}
	}
	while (rc < 0 && optind < argc)
		paths[npaths++] = argv[optind++];
	const char *formats = rules ? "text json" : "text json sarif gcc";
	if (rc < 0) {
		bool known = false;
		for (const char *f = formats; *f && !known;) {
			size_t n = strcspn(f, " ");
			known = strlen(o.format) == n && !strncmp(f, o.format, n);
			f += n + (f[n] == ' ');
		}
		if (!known) {
			cli_err("check: unknown format '%s'%s (%s)", o.format, rules ? " for --rules" : "", formats);
			rc = 2;
		}
	}
	if (rc < 0 && rules)
		rc = list_rules(o.format);
	if (rc < 0)
		rc = check_sel(&o) ? 2 : -1;
	if (rc >= 0) {
		free(dyn), free(paths), free(o.sel);
		return rc;
	}
	report r = {.pool = fm_conf_new()};
	if (!r.pool)
		rc = oom();
	if (rc < 0 && !strcmp(o.format, "sarif") && !(r.cwd = realpath(".", NULL)))
		rc = oom();
	/* Each input is checked even after one fails to load: its error is
	 * printed, the others are reported, and the exit status is 2. */
	int worst = 0;
	for (size_t i = 0; rc < 0 && i < (npaths ? npaths : 1); i++) {
		int one = check_input(&o, npaths ? paths[i] : NULL, &r);
		if (one > worst)
			worst = one;
	}
	if (rc < 0 && (r.ninputs || !worst)) {
		bool color = color_mode == 1 || (color_mode == 0 && cli_color());
		rc = emit(&o, &r, color);
		if (!rc && r.fails)
			rc = 1;
	}
	if (worst > rc)
		rc = worst;
	fm_findings_release(&r.all);
	fm_conf_free(r.pool);
	free(r.inputs);
	free(r.cwd);
	free(dyn), free(paths), free(o.sel);
	return rc;
}
