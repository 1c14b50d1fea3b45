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
	"usage: flinkmem check [-c PATH] [-D key=value]... [--flink-version V] [--strict]\n"
	"                      [--format text|json|sarif] [--rules]\n"
	"\n"
	"  -c, --config PATH      flink-conf.yaml, config.yaml or a conf directory\n"
	"  -D key=value           a dynamic property, as on Flink's command line\n"
	"      --flink-version V  release to check against (1.10 ... 2.2)\n"
	"      --strict           warnings fail too (exit 1)\n"
	"      --format F         text (default), json, sarif\n"
	"      --rules            list the rules and exit\n"
	"\n"
	"Exit status: 0 clean, 1 error findings (or warnings with --strict), 2 usage or input error.\n";

int cmd_check(int argc, char **argv)
{
	enum { OPT_FORMAT = 256, OPT_VERSION, OPT_STRICT, OPT_RULES };
	static const struct option opts[] = {
		{"config", required_argument, NULL, 'c'}, {"flink-version", required_argument, NULL, OPT_VERSION},
		{"format", required_argument, NULL, OPT_FORMAT}, {"strict", no_argument, NULL, OPT_STRICT},
		{"rules", no_argument, NULL, OPT_RULES}, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0},
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
	int rc = cli_conf_load(&cc);
	if (rc || cc.load_err.n) {
		/* A config Flink cannot even load: nothing more to check. */
		if (!rc)
			rc = 2;
		cli_conf_release(&cc);
		free(dyn);
		return rc;
	}
	fm_lint_input in = {cc.conf, cc.profile, &cc.env, getenv("FLINK_PROPERTIES"), 0, 0};
	fm_findings f;
	if (fm_lint(&in, &f) != FM_OK) {
		cli_err("out of memory");
		cli_conf_release(&cc);
		free(dyn);
		return 2;
	}
	fm_report_ctx ctx = {cc.profile, cc.reason, cc.path ? cc.path : (cc.nnotes ? cc.notes[0].detail : NULL)};
	fm_buf b = FM_BUF_INIT;
	int wrc = !strcmp(format, "json")    ? fm_report_json(&b, &ctx, &f)
		  : !strcmp(format, "sarif") ? fm_report_sarif(&b, &ctx, &f)
					     : fm_report_text(&b, &ctx, &f, cli_color());
	if (wrc) {
		cli_err("out of memory");
		rc = 2;
	} else {
		rc = cli_write(b.data ? b.data : "", b.len);
	}
	if (!rc)
		for (size_t i = 0; i < f.n; i++)
			if (f.v[i].severity == FM_SEV_ERROR || (strict && f.v[i].severity == FM_SEV_WARNING))
				rc = 1;
	fm_buf_release(&b);
	fm_findings_release(&f);
	cli_conf_release(&cc);
	free(dyn);
	return rc;
}
