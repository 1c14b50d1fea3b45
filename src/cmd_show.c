/* cmd_show — `flinkmem show`: the TM and JM memory layout as Flink derives
 * it, in text, json, log (Flink's own block) or bash (BashJavaUtils lines). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "flinkmem/javanum.h"
#include "flinkmem/svg.h"

static const char show_usage[] =
	"usage: flinkmem show [-c PATH] [-D key=value]... [--flink-version V]\n"
	"                     [--name NAME] [--tm|--jm] [--format text|json|log|bash|svg]\n"
	"                     [--operator-version V]\n"
	"\n"
	"  -c, --config PATH      flink-conf.yaml, config.yaml, a conf directory, a\n"
	"                         FlinkDeployment YAML (the operator's rules apply) or a\n"
	"                         ConfigMap or Helm values embedding a config (default:\n"
	"                         $FLINK_CONF_DIR, else the config Flink ships)\n"
	"      --name NAME        the FlinkDeployment with metadata.name NAME\n"
	"                         (default: the first)\n"
	"  -D key=value           a dynamic property, as on Flink's command line\n"
	"      --flink-version V  release to reproduce (1.10 ... 2.2; 1.12.1 etc.)\n"
	"      --flink-version-fallback  a release past 2.2 or before 1.10: compute\n"
	"                         with the nearest profile (and say so)\n"
	"      --operator-version V  Kubernetes operator release whose rules a\n"
	"                         FlinkDeployment follows (1.0 ... 1.15, main)\n"
	"      --tm | --jm        only the TaskManager / only the JobManager\n"
	"                         (default: both)\n"
	"      --format F         text (default), json, log, bash, svg (a picture)\n"
	"  -h, --help             this help\n"
	"\n"
	"Text fits COLUMNS (or the terminal): narrower than 98 columns, the bytes\n"
	"column is left out.\n"
	"Exit status: 0 both layouts derived, 1 Flink rejects the config, 2 usage or\n"
	"input error.\n";

/* Copies a load failure into a side's error (Flink fails both sides). */
static int copy_chain(const fm_jchain *src, fm_jchain *dst)
{
	dst->v = calloc(src->n, sizeof(*dst->v));
	if (!dst->v)
		return -1;
	for (size_t i = 0; i < src->n; i++) {
		dst->v[i].cls = src->v[i].cls;
		dst->v[i].msg = strdup(src->v[i].msg ? src->v[i].msg : "");
		if (!dst->v[i].msg)
			return -1;
		dst->n = i + 1;
	}
	return 0;
}

static int prepend_logs(const fm_logs *first, fm_logs *l)
{
	fm_logs merged = FM_LOGS_INIT;
	for (size_t i = 0; i < first->n; i++)
		if (fm_logs_add(&merged, "", "%s", first->v[i]))
			return -1;
	for (size_t i = 0; i < l->n; i++)
		if (fm_logs_add(&merged, "", "%s", l->v[i]))
			return -1;
	for (size_t i = 0; i < merged.n; i++) /* drop the empty level's space */
		memmove(merged.v[i], merged.v[i] + 1, strlen(merged.v[i]));
	fm_logs_release(l);
	*l = merged;
	return 0;
}

/* For a FlinkDeployment: the flink-main-container memory Flink asks
 * Kubernetes for (the process size in whole MiB x limit factor), as text
 * lines or (json) as a "kubernetesContainer" member appended to the show
 * object: {"operator":"main","taskmanager":{"memoryRequest":bytes,
 * "memoryLimit":bytes,"memoryLimitFactor":x},"jobmanager":{...}}. */
static int k8s_container_lines(fm_buf *b, const cli_conf *cc, const fm_tm_result *tm, const fm_jm_result *jm,
			       bool json)
{
	char op[16] = "main";
	if (cc->k8s_op != FM_K8S_OP_MAIN)
		snprintf(op, sizeof op, "1.%d", cc->k8s_op);
	if (json) {
		/* reopen the object: drop its closing brace and newline */
		while (b->len && (b->data[b->len - 1] == '\n' || b->data[b->len - 1] == ' '))
			b->len--;
		if (!b->len || b->data[b->len - 1] != '}')
			return 0;
		b->len--;
		b->data[b->len] = '\0';
		if (fm_buf_addf(b, ",\"kubernetesContainer\":{\"operator\":\"%s\"", op) != FM_OK)
			return -1;
	}
	for (int isjm = 0; isjm < 2; isjm++) {
		int64_t process = isjm ? (jm && jm->outcome == FM_DERIVED ? jm->l.total_process : 0)
				       : (tm && tm->outcome == FM_DERIVED ? tm->l.total_process : 0);
		if (process <= 0)
			continue;
		double factor = 1.0;
		fm_diag d = FM_DIAG_INIT;
		int rc = fm_k8s_memory_limit_factor(cc->conf, isjm, &factor, &d);
		fm_diag_release(&d);
		if (rc == FM_ENOMEM)
			return -1;
		if (rc != FM_OK || !(factor >= 1))
			continue; /* Flink refuses the pod (check says why) */
		int64_t req, lim;
		fm_k8s_container_mib(process, factor, &req, &lim);
		char f[FM_JAVA_DTOA_MAX], cr[FM_JAVA_DTOA_MAX], cl[FM_JAVA_DTOA_MAX];
		fm_java_double_to_string(factor, f);
		double creq, clim;
		fm_k8s_container_cpu(cc->conf, isjm, &creq, &clim);
		fm_java_double_to_string(creq, cr);
		fm_java_double_to_string(clim, cl);
		if (json) {
			if (fm_buf_addf(b, ",\"%s\":{\"memoryRequest\":%lld,\"memoryLimit\":%lld,\"memoryLimitFactor\":%s,"
					   "\"cpuRequest\":%s,\"cpuLimit\":%s}",
					isjm ? "jobmanager" : "taskmanager", (long long)req << 20, (long long)lim << 20, f, cr, cl) != FM_OK)
				return -1;
			continue;
		}
		if (fm_buf_addf(b, "%s container (Kubernetes operator %s): memory request %lldMi, limit %lldMi (limit-factor %s); "
				   "cpu request %s, limit %s\n",
				isjm ? "JobManager" : "TaskManager", op, (long long)req, (long long)lim, f, cr, cl) != FM_OK)
			return -1;
	}
	if (json && fm_buf_adds(b, "}}\n") != FM_OK)
		return -1;
	return 0;
}

int cmd_show(int argc, char **argv)
{
	enum { OPT_TM = 256, OPT_JM, OPT_FORMAT, OPT_VERSION, OPT_NAME, OPT_OPERATOR, OPT_FALLBACK };
	static const struct option opts[] = {
		{"config", required_argument, NULL, 'c'},
		{"flink-version", required_argument, NULL, OPT_VERSION},
		{"flink-version-fallback", no_argument, NULL, OPT_FALLBACK},
		{"format", required_argument, NULL, OPT_FORMAT},
		{"tm", no_argument, NULL, OPT_TM},
		{"jm", no_argument, NULL, OPT_JM},
		{"name", required_argument, NULL, OPT_NAME},
		{"operator-version", required_argument, NULL, OPT_OPERATOR},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	cli_conf cc = {0};
	const char **dyn = calloc((size_t)argc + 1, sizeof(*dyn));
	if (!dyn)
		return 2;
	bool want_tm = false, want_jm = false;
	const char *format = "text";
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "c:D:h", opts, NULL)) != -1) {
		switch (c) {
		case 'c': cc.path = optarg; break;
		case 'D': dyn[cc.ndynamic++] = optarg; break;
		case OPT_VERSION: cc.version = optarg; break;
		case OPT_FALLBACK: cc.version_fallback = true; break;
		case OPT_FORMAT: format = optarg; break;
		case OPT_TM: want_tm = true; break;
		case OPT_JM: want_jm = true; break;
		case OPT_NAME: cc.name = optarg; break;
		case OPT_OPERATOR: cc.op_version = optarg; break;
		case 'h':
			free(dyn);
			fputs(show_usage, stdout);
			return 0;
		default:
			free(dyn);
			fputs(show_usage, stderr);
			return 2;
		}
	}
	if (optind < argc) {
		cli_err("show: unexpected argument '%s' (use -c PATH for a config)", argv[optind]);
		free(dyn);
		return 2;
	}
	if (strcmp(format, "text") && strcmp(format, "json") && strcmp(format, "log") && strcmp(format, "bash") &&
	    strcmp(format, "svg")) {
		cli_err("show: unknown format '%s' (text, json, log, bash, svg)", format);
		free(dyn);
		return 2;
	}
	if (want_tm && want_jm) {
		/* the contract is [--tm|--jm]: one side, or both without either */
		cli_err("show: --tm and --jm exclude each other (without either, both are shown)");
		free(dyn);
		return 2;
	}
	if (!want_tm && !want_jm)
		want_tm = want_jm = true;
	cc.dynamic = dyn;
	int rc = cli_conf_load(&cc);
	if (!rc)
		rc = cli_conf_k8s_refused(&cc);
	if (rc) {
		cli_conf_release(&cc);
		free(dyn);
		return rc;
	}
	fm_tm_result tm = {0};
	fm_jm_result jm = {0};
	int err = 0;
	if (cc.load_err.n) {
		tm.outcome = jm.outcome = FM_FLINK_ERROR;
		if (copy_chain(&cc.load_err, &tm.err) || copy_chain(&cc.load_err, &jm.err))
			err = 1;
		if (!cc.profile->has_jm) {
			fm_jchain_release(&jm.err);
			fm_derive_jm(cc.conf, cc.profile, &cc.env, &jm);
		}
	} else {
		if (want_tm && fm_derive_tm(cc.conf, cc.profile, &cc.env, &tm) != FM_OK)
			err = 1;
		if (want_jm && fm_derive_jm(cc.conf, cc.profile, &cc.env, &jm) != FM_OK)
			err = 1;
		if (!err && ((want_tm && prepend_logs(&cc.load_logs, &tm.logs)) ||
			     (want_jm && prepend_logs(&cc.load_logs, &jm.logs))))
			err = 1;
	}
	if (err) {
		cli_err("out of memory");
		rc = 2;
		goto out;
	}
	fm_show s = {cc.profile, cc.reason, cc.notes, cc.nnotes, want_tm ? &tm : NULL, want_jm ? &jm : NULL, cc.release};
	fm_buf b = FM_BUF_INIT;
	int wrc = 0;
	if (strcmp(format, "json") == 0) {
		wrc = fm_render_show_json(&b, &s);
		if (!wrc && cc.is_k8s && cc.k8s_doc)
			wrc = k8s_container_lines(&b, &cc, want_tm ? &tm : NULL, want_jm ? &jm : NULL, true);
	} else if (strcmp(format, "text") == 0) {
		/* fits the terminal: COLUMNS, else a terminal's width */
		size_t width = cli_width();
		wrc = fm_render_show_text_w(&b, &s, cli_color(), width);
		if (!wrc && cc.is_k8s && cc.k8s_doc)
			wrc = fm_buf_adds(&b, "\n") || k8s_container_lines(&b, &cc, want_tm ? &tm : NULL, want_jm ? &jm : NULL, false);
		if (!wrc && width) {
			fm_buf w = FM_BUF_INIT;
			wrc = fm_text_wrap(&w, b.data ? b.data : "", b.len, width);
			fm_buf_release(&b);
			b = w;
		}
	} else if (strcmp(format, "svg") == 0) {
		char title[256], rel[160];
		cli_release_title(rel, sizeof rel, cc.profile, cc.release);
		snprintf(title, sizeof title, "%s: memory layout", rel);
		fm_svg_side side = {NULL, want_tm ? &tm : NULL, want_jm ? &jm : NULL};
		wrc = fm_render_svg(&b, title, &side, 1);
	} else {
		bool log = strcmp(format, "log") == 0;
		if (want_tm) {
			if (tm.outcome == FM_DERIVED)
				wrc = log ? fm_render_tm_log(&b, &tm.l)
					  : fm_buf_addf(&b, "BASH_JAVA_UTILS_EXEC_RESULT:%s\nBASH_JAVA_UTILS_EXEC_RESULT:%s\n",
							tm.l.jvm_args, tm.l.dynamic_configs);
			else
				wrc = fm_render_jchain(&b, &tm.err, "TaskManager: ");
		}
		if (want_jm && !wrc) {
			if (jm.outcome == FM_DERIVED) {
				wrc = log ? fm_render_jm_log(&b, &jm.l)
					  : fm_buf_addf(&b, "BASH_JAVA_UTILS_EXEC_RESULT:%s\n", jm.l.jvm_args);
				if (!log && !wrc && jm.l.dynamic_configs)
					wrc = fm_buf_addf(&b, "BASH_JAVA_UTILS_EXEC_RESULT:%s\n", jm.l.dynamic_configs);
			} else if (jm.outcome == FM_UNSUPPORTED) {
				wrc = fm_buf_addf(&b, "JobManager: not computed by Flink %s: %s\n", cc.profile->name, jm.unsupported);
			} else {
				wrc = fm_render_jchain(&b, &jm.err, "JobManager: ");
			}
		}
	}
	if (wrc) {
		cli_err("out of memory");
		rc = 2;
	} else {
		rc = cli_write(b.data ? b.data : "", b.len);
		if (!rc && ((want_tm && tm.outcome == FM_FLINK_ERROR) || (want_jm && jm.outcome == FM_FLINK_ERROR)))
			rc = 1;
	}
	fm_buf_release(&b);
out:
	fm_tm_result_release(&tm);
	fm_jm_result_release(&jm);
	cli_conf_release(&cc);
	free(dyn);
	return rc;
}
