/* cmd_live — `flinkmem live URL`: a running cluster through its REST API,
 * configured (re-derived) vs used per pool, findings, trends with --watch,
 * and the cluster's own exception history through diagnose.
 * Exit 0 nothing to act on, 1 a warning or error (or a memory failure in the
 * exception history), 2 usage or an endpoint the report cannot do without. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "flinkmem/diagnose.h"
#include "flinkmem/diagout.h"
#include "flinkmem/live.h"
#include "flinkmem/live_http.h"

static const char live_usage[] =
	"usage: flinkmem live URL [--format text|json] [--watch SECONDS [--count N]]\n"
	"                     [--tm ID] [--timeout SECONDS] [--cacert FILE] [--insecure]\n"
	"                     [--header 'Name: value']... [--user U:P | --netrc]\n"
	"                     [--flink-version V] [--max-jobs N]\n"
	"\n"
	"  URL                  a JobManager REST endpoint, e.g. http://127.0.0.1:8081\n"
	"                       after kubectl port-forward svc/NAME-rest 8081\n"
	"      --format F       text (default) or json (one document per sample)\n"
	"      --watch S        sample every S seconds and predict from the trend\n"
	"      --count N        with --watch: stop after N samples (default: until\n"
	"                       interrupted)\n"
	"      --tm ID          only this TaskManager\n"
	"      --timeout S      per request (default 10)\n"
	"      --cacert FILE    CA bundle for https; --insecure skips verification\n"
	"      --header H       extra request header (repeatable), e.g.\n"
	"                       'Authorization: Bearer ...'\n"
	"      --user U:P       basic authentication; --netrc reads ~/.netrc\n"
	"      --flink-version V  release whose rules apply (default: what the\n"
	"                       cluster reports)\n"
	"      --flink-version-fallback  a release past 2.2 or before 1.10: the\n"
	"                       nearest profile (and say so)\n"
	"      --max-jobs N     read the exception history of at most N\n"
	"                       failed/restarted jobs (default 10)\n"
	"\n"
	"Exit status: 0 nothing to act on, 1 warnings or a memory failure, 2 usage or\n"
	"unreachable cluster.\n";

#define MAX_SAMPLES 240 /* trends use the last 240 samples */

static bool parse_num(const char *s, double lo, double hi, double *out)
{
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (*s == '\0' || *end != '\0' || errno || !(v >= lo && v <= hi))
		return false;
	*out = v;
	return true;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void sleep_s(double s)
{
	struct timespec ts = {(time_t)s, (long)((s - (double)(time_t)s) * 1e9)};
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* The cluster's exception history through diagnose: text appended under
 * the findings, JSON as a "diagnosis" array; returns 1 when a memory
 * failure was found. */
static int diagnose_exceptions(const fm_live_snap *s, const fm_live_report *rep, bool json, fm_buf *out,
			       int *rc)
{
	int found = 0;
	fm_dx_opts o = {0};
	o.jobs = 1;
	o.conf = s->conf; /* fixes start from the cluster's own config and release */
	o.conf_name = "/jobmanager/config";
	o.profile = rep->profile;
	o.profile_reason = rep->profile_reason;
	o.prebuilt = fm_hsdb_blob;
	o.prebuilt_len = fm_hsdb_blob_len;
	size_t shown = 0;
	for (size_t i = 0; i < s->nexceptions && !*rc; i++) {
		fm_dx_result res;
		fm_diag d = FM_DIAG_INIT;
		char name[600];
		snprintf(name, sizeof name, "jobs/%.500s/exceptions", s->exception_jobs[i]);
		if (fm_diagnose_mem(s->exceptions[i], strlen(s->exceptions[i]), name, &o, &res, &d) != FM_OK) {
			fm_diag_release(&d);
			continue; /* an unreadable history is not a finding */
		}
		fm_diag_release(&d);
		/* the release live names: the one asked for, else the cluster's */
		res.release = rep->release ? rep->release
			      : s->flink_version && fm_profile_for(s->flink_version) == rep->profile ? s->flink_version
												      : NULL;
		if (fm_diagnose_exit_status(&res)) {
			found = 1;
			if (json) {
				*rc = fm_buf_adds(out, shown++ ? "," : "");
				if (!*rc)
					*rc = fm_render_diagnose_json(out, &res);
				while (out->len && out->data[out->len - 1] == '\n') /* one line per document */
					out->data[--out->len] = '\0';
			} else {
				*rc = fm_buf_addf(out, "\nmemory failure in the exception history of job %.500s:\n",
						  s->exception_jobs[i]);
				if (!*rc)
					*rc = fm_render_diagnose_text(out, &res, false);
			}
		}
		fm_dx_result_release(&res);
	}
	return found;
}

int cmd_live(int argc, char **argv)
{
	enum { OPT_FORMAT = 256, OPT_WATCH, OPT_COUNT, OPT_TM, OPT_TIMEOUT, OPT_CACERT, OPT_INSECURE,
	       OPT_HEADER, OPT_USER, OPT_NETRC, OPT_VERSION, OPT_MAXJOBS, OPT_FALLBACK };
	static const struct option opts[] = {
		{"format", required_argument, NULL, OPT_FORMAT}, {"watch", required_argument, NULL, OPT_WATCH},
		{"count", required_argument, NULL, OPT_COUNT}, {"tm", required_argument, NULL, OPT_TM},
		{"timeout", required_argument, NULL, OPT_TIMEOUT}, {"cacert", required_argument, NULL, OPT_CACERT},
		{"insecure", no_argument, NULL, OPT_INSECURE}, {"header", required_argument, NULL, OPT_HEADER},
		{"user", required_argument, NULL, OPT_USER}, {"netrc", no_argument, NULL, OPT_NETRC},
		{"flink-version", required_argument, NULL, OPT_VERSION},
		{"flink-version-fallback", no_argument, NULL, OPT_FALLBACK},
		{"max-jobs", required_argument, NULL, OPT_MAXJOBS}, {"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *format = "text", *tm = NULL, *version = NULL;
	bool fallback = false;
	const char *fell = NULL;
	char *vreason = NULL; /* the profile reason with a fallback */
	double watch = 0, count = 0, timeout = 10, maxjobs = 10;
	fm_http_opts ho = {0};
	char *helper = NULL;
	const char **headers = calloc((size_t)argc + 1, sizeof(*headers));
	if (!headers) {
		cli_err("live: out of memory");
		return 2;
	}
	int c, status = 2;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case OPT_FORMAT: format = optarg; break;
		case OPT_WATCH:
			if (!parse_num(optarg, 0.1, 86400, &watch)) {
				cli_err("live: --watch wants seconds from 0.1 to 86400, not '%s'", optarg);
				goto out;
			}
			break;
		case OPT_COUNT:
			if (!parse_num(optarg, 1, 1e9, &count) || count != (double)(long)count) {
				cli_err("live: --count wants a whole number of samples, not '%s'", optarg);
				goto out;
			}
			break;
		case OPT_TM: tm = optarg; break;
		case OPT_TIMEOUT:
			if (!parse_num(optarg, 0.001, 3600, &timeout)) {
				cli_err("live: --timeout wants seconds from 0.001 to 3600, not '%s'", optarg);
				goto out;
			}
			break;
		case OPT_CACERT: ho.cacert = optarg; break;
		case OPT_INSECURE: ho.insecure = true; break;
		case OPT_HEADER:
			if (!strchr(optarg, ':')) {
				cli_err("live: --header wants 'Name: value', not '%s'", optarg);
				goto out;
			}
			headers[ho.nheaders++] = optarg;
			break;
		case OPT_USER: ho.userpwd = optarg; break;
		case OPT_NETRC: ho.netrc = true; break;
		case OPT_VERSION: version = optarg; break;
		case OPT_FALLBACK: fallback = true; break;
		case OPT_MAXJOBS:
			if (!parse_num(optarg, 0, 1000, &maxjobs) || maxjobs != (double)(long)maxjobs) {
				cli_err("live: --max-jobs wants a number from 0 to 1000, not '%s'", optarg);
				goto out;
			}
			break;
		case 'h':
			fputs(live_usage, stdout);
			status = 0;
			goto out;
		default:
			fputs(live_usage, stderr);
			goto out;
		}
	}
	bool json = strcmp(format, "json") == 0;
	if (!json && strcmp(format, "text") != 0) {
		cli_err("live: unknown format '%s' (text, json)", format);
		goto out;
	}
	if (optind != argc - 1) {
		cli_err(optind >= argc ? "live: no URL (a JobManager REST endpoint, e.g. http://127.0.0.1:8081)"
				       : "live: one URL only");
		goto out;
	}
	const char *url = argv[optind];
	if (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0) {
		cli_err("live: %s: the URL must start with http:// or https://", url);
		goto out;
	}
	if (count && !watch) {
		cli_err("live: --count needs --watch");
		goto out;
	}
	const fm_profile *prof = NULL;
	if (version && !(prof = cli_profile_fb(version, NULL, fallback, &fell))) /* says why */
		goto out;
	if (fell && asprintf(&vreason, "--flink-version (%s)", fell) < 0)
		vreason = NULL;
	if (!fm_http_available()) {
		cli_err("live: this flinkmem was built without libcurl (install libcurl4-openssl-dev and rebuild)");
		goto out;
	}
	const char *looked = NULL;
	if (!(helper = cli_http_helper(&looked))) {
		cli_err("live: cannot find flinkmem-http, the HTTP helper live runs (looked %s)", looked);
		goto out;
	}
	ho.helper = helper;
	ho.env = cli_environ();
	ho.base = url;
	ho.headers = headers;
	ho.timeout_ms = (long)(timeout * 1000);
	fm_live_opts lo = {prof, vreason ? vreason : prof ? "--flink-version" : NULL, tm};

	fm_live_snap *samples[MAX_SAMPLES] = {0};
	size_t ns = 0;
	double t0 = now_s();
	for (long k = 0;; k++) {
		if (ns == MAX_SAMPLES) { /* keep the newest */
			fm_live_snap_release(samples[0]);
			free(samples[0]);
			memmove(samples, samples + 1, (MAX_SAMPLES - 1) * sizeof(*samples));
			ns--;
		}
		fm_live_snap *s = malloc(sizeof(*s));
		fm_diag d = FM_DIAG_INIT;
		if (!s) {
			cli_err("live: out of memory");
			status = 2;
			break;
		}
		if (fm_live_collect(&ho, tm, (size_t)maxjobs, now_s() - t0, s, &d) != FM_OK) {
			cli_err("live: %s", d.msg ? d.msg : "cannot read the cluster");
			fm_diag_release(&d);
			fm_live_snap_release(s);
			free(s);
			status = 2;
			break;
		}
		samples[ns++] = s;
		fm_live_report rep;
		fm_buf b;
		fm_buf_init(&b, 0);
		int rc = fm_live_analyze((const fm_live_snap *const *)samples, ns, &lo, &rep);
		rep.release = version; /* echoed as asked */
		if (!rc && json) {
			rc = fm_live_render_json(&b, s, &rep, url);
			if (!rc && b.len) { /* append the diagnosis before the closing brace */
				b.len--;
				rc = fm_buf_adds(&b, ",\"diagnosis\":[");
			}
		} else if (!rc) {
			rc = fm_live_render_text(&b, s, &rep, url);
		}
		int failed = rc ? 0 : diagnose_exceptions(s, &rep, json, &b, &rc);
		if (!rc && json)
			rc = fm_buf_adds(&b, "]}");
		if (!rc)
			rc = fm_buf_adds(&b, "\n");
		if (rc) {
			cli_err("live: %s", fm_strerror(rc));
			status = 2;
		} else if ((!json && cli_fit_width(&b) != 0) || cli_write(b.data, b.len) != 0) {
			status = 2;
		} else {
			status = (fm_live_exit_status(&rep) || failed) ? 1 : 0;
		}
		fm_buf_release(&b);
		fm_live_report_release(&rep);
		if (rc || status == 2 || !watch || (count && (double)(k + 1) >= count))
			break;
		fflush(stdout);
		sleep_s(watch);
	}
	for (size_t i = 0; i < ns; i++) {
		fm_live_snap_release(samples[i]);
		free(samples[i]);
	}
out:
	free(helper);
	free(vreason);
	free(headers);
	return status;
}
