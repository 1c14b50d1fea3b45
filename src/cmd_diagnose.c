/* cmd_diagnose — `flinkmem diagnose`: logs, kubectl output, pod/event
 * JSON or YAML, YARN diagnostics, REST exception history or a pasted
 * stack trace in; root cause, evidence and a re-derived fix out.
 * Exit 1 when a memory failure is found, 0 when none, 2 for usage errors or
 * when no input could be read (inputs that fail are listed on stderr; the
 * others are still diagnosed). */
#include <getopt.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "flinkmem/diagnose.h"
#include "flinkmem/diagout.h"

static const char diagnose_usage[] =
	"usage: flinkmem diagnose [-c PATH] [--flink-version V] [--format text|json|html]\n"
	"                         [--jobs N] [--process P] FILE|DIR|-...\n"
	"\n"
	"  -c, --config PATH      the config the cluster should run with (compared\n"
	"                         with the log's layout; fixes start from it)\n"
	"      --flink-version V  release whose rules apply (default: the log\n"
	"                         header's, else the newest)\n"
	"      --flink-version-fallback  a release past 2.2 or before 1.10: the\n"
	"                         nearest profile (and say so)\n"
	"      --format F         text (default), json or html\n"
	"      --jobs N           scanner threads for plain log files\n"
	"      --process P        taskmanager or jobmanager: the process the inputs\n"
	"                         come from when neither their names (taskmanager.log,\n"
	"                         tm.log) nor their text say\n"
	"\n"
	"Inputs: TaskManager/JobManager logs (also .gz), directories (recursive), -\n"
	"for standard input, `kubectl describe pod` text, pod/event JSON or YAML, YARN\n"
	"container diagnostics and NodeManager lines, Flink REST exception history\n"
	"JSON, a pasted stack trace.\n"
	"\n"
	"Exit status: 0 no memory failure found, 1 memory failure found, 2 usage error\n"
	"or no input could be read.\n";

/* A partial report says so on stderr: one line per input not read, one
 * note per input skipped or read as plain text. */
static void print_input_msgs(const fm_dx_result *r)
{
	fm_buf b = FM_BUF_INIT;
	for (size_t i = 0; i < r->ninput_errors + r->ninput_notes; i++) {
		bool err = i < r->ninput_errors;
		fm_buf_reset(&b);
		if (!fm_dx_input_msg_text(&b, err ? &r->input_errors[i] : &r->input_notes[i - r->ninput_errors]))
			cli_err("%s%s", err ? "" : "note: ", b.data);
	}
	fm_buf_release(&b);
}

int cmd_diagnose(int argc, char **argv)
{
	enum { OPT_FORMAT = 256, OPT_VERSION, OPT_JOBS, OPT_FALLBACK, OPT_PROCESS };
	static const struct option opts[] = {
		{"config", required_argument, NULL, 'c'}, {"flink-version", required_argument, NULL, OPT_VERSION},
		{"format", required_argument, NULL, OPT_FORMAT}, {"jobs", required_argument, NULL, OPT_JOBS},
		{"flink-version-fallback", no_argument, NULL, OPT_FALLBACK},
		{"process", required_argument, NULL, OPT_PROCESS}, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0},
	};
	const char *format = "text", *config = NULL, *version = NULL;
	unsigned jobs = 0;
	bool fallback = false;
	fm_process process = FM_PROC_UNKNOWN;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "c:h", opts, NULL)) != -1) {
		switch (c) {
		case 'c': config = optarg; break;
		case OPT_VERSION: version = optarg; break;
		case OPT_FALLBACK: fallback = true; break;
		case OPT_FORMAT: format = optarg; break;
		case OPT_JOBS: {
			char *end;
			unsigned long v = strtoul(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || v > 256) {
				cli_err("diagnose: --jobs wants a number from 0 to 256, not '%s'", optarg);
				return 2;
			}
			jobs = (unsigned)v;
			break;
		}
		case OPT_PROCESS:
			if (!strcmp(optarg, "taskmanager") || !strcmp(optarg, "tm")) {
				process = FM_PROC_TM;
			} else if (!strcmp(optarg, "jobmanager") || !strcmp(optarg, "jm")) {
				process = FM_PROC_JM;
			} else {
				cli_err("diagnose: --process wants taskmanager or jobmanager, not '%s'", optarg);
				return 2;
			}
			break;
		case 'h':
			fputs(diagnose_usage, stdout);
			return 0;
		default:
			fputs(diagnose_usage, stderr);
			return 2;
		}
	}
	if (strcmp(format, "text") && strcmp(format, "json") && strcmp(format, "html")) {
		cli_err("diagnose: unknown format '%s' (text, json, html)", format);
		return 2;
	}
	if (optind >= argc) {
		cli_err("diagnose: no input (give log files, directories, or - for standard input)");
		return 2;
	}
	fm_dx_opts o = {0};
	o.jobs = jobs;
	o.process = process;
	o.prebuilt = fm_hsdb_blob;
	o.prebuilt_len = fm_hsdb_blob_len;
	cli_conf cc = {0};
	char *reason = NULL;
	if (config) {
		cc.path = config;
		cc.version = version;
		cc.version_fallback = fallback;
		int rc = cli_conf_load(&cc);
		if (rc || cc.load_err.n) {
			cli_conf_release(&cc);
			return rc ? rc : 2;
		}
		o.conf = cc.conf;
		o.k8s = cc.k8s_doc;
		o.conf_name = config;
		o.fallback = cc.profile;
		o.fallback_reason = cc.reason;
	}
	if (version) {
		const char *fell = NULL;
		o.profile = cli_profile_fb(version, NULL, fallback, &fell); /* says why a release is unknown */
		if (!o.profile) {
			cli_conf_release(&cc);
			return 2;
		}
		if (asprintf(&reason, "chosen by --flink-version %s%s%s%s", version, fell ? " (" : "", fell ? fell : "",
			     fell ? ")" : "") < 0)
			reason = NULL;
		o.profile_reason = reason;
	}
#ifdef M_ARENA_MAX
	/* One malloc arena: each scanner thread would otherwise reserve its own
	 * 64 MiB of address space, and where that is refused (ulimit -v, a
	 * container's limit) glibc serves every small allocation of the thread
	 * from its own mmap'ed page. The scan allocates little; the bytes stay
	 * bounded either way (docs/budgets.md). */
	mallopt(M_ARENA_MAX, 1);
#endif
	fm_dx_result r;
	fm_diag d = FM_DIAG_INIT;
	int rc = fm_diagnose((const char *const *)argv + optind, (size_t)(argc - optind), &o, &r, &d);
	if (rc && r.ninput_errors) {
		print_input_msgs(&r);
		fm_dx_result_release(&r);
		fm_diag_release(&d);
		cli_conf_release(&cc);
		free(reason);
		return 2;
	}
	if (rc) {
		if (d.file && d.line)
			cli_err("%s:%u:%u: %s", d.file, d.line, d.col ? d.col : 1, d.msg ? d.msg : fm_strerror(rc));
		else if (d.file)
			cli_err("%s: %s", d.file, d.msg ? d.msg : fm_strerror(rc));
		else
			cli_err("%s", d.msg ? d.msg : fm_strerror(rc));
		fm_diag_release(&d);
		cli_conf_release(&cc);
		free(reason);
		return 2;
	}
	print_input_msgs(&r);
	r.release = version; /* echoed as asked (JSON flinkVersion) */
	fm_buf b = FM_BUF_INIT;
	int wrc = !strcmp(format, "json")   ? fm_render_diagnose_json(&b, &r)
		  : !strcmp(format, "html") ? fm_render_diagnose_html(&b, &r)
					    : fm_render_diagnose_text(&b, &r, cli_color());
	if (wrc) {
		cli_err("out of memory");
		rc = 2;
	} else if (!strcmp(format, "text") && (rc = cli_fit_width(&b)) != 0) {
		/* said why */
	} else {
		rc = cli_write(b.data ? b.data : "", b.len);
		if (!rc)
			rc = fm_diagnose_exit_status(&r);
	}
	fm_buf_release(&b);
	fm_dx_result_release(&r);
	fm_diag_release(&d);
	cli_conf_release(&cc);
	free(reason);
	return rc;
}
