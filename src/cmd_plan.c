/* cmd_plan — `flinkmem plan`: what-if (--set), goal-seek (--want,
 * --container), release comparison (--compare-version), shown as before /
 * after layouts with deltas; every "after" is re-derived by the engine. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "flinkmem/atomicfile.h"
#include "flinkmem/memsize.h"
#include "flinkmem/render.h"
#include "flinkmem/conf_k8s.h"
#include "flinkmem/lint.h"
#include "flinkmem/memsize.h"
#include "flinkmem/patch.h"
#include "flinkmem/plan.h"
#include "plan_net.h"
#include "flinkmem/svg.h"

static const char plan_usage[] =
	"usage: flinkmem plan [-c PATH] [-D key=value]... [--flink-version V]\n"
	"                     [--name NAME] [--set key=value]...\n"
	"                     [--want component=size]... [--container SIZE]\n"
	"                     [--compare-version V] [--write]\n"
	"                     [--format text|json|patch|svg] [--slots N] [--preset NAME]\n"
	"                     [--job-plan FILE | --parallelism P [--all-to-all-edges K]]\n"
	"\n"
	"  -c PATH                a config file, conf dir or FlinkDeployment YAML\n"
	"  --name NAME            the FlinkDeployment with metadata.name NAME\n"
	"                         (default: the first)\n"
	"  --set key=value        what-if: change a key (key= removes it); repeatable\n"
	"  --want GOAL            goal: task-heap>=2g, managed=1g, network>=256m,\n"
	"                         metaspace=512m, jm-heap>=2g, overhead, framework-heap,\n"
	"                         task-off-heap, ...; repeatable\n"
	"  --container SIZE       pin the process size (the container's memory)\n"
	"  --compare-version V    the same config under another Flink release\n"
	"  --flink-version-fallback  a release past 2.2 or before 1.10 (also for\n"
	"                         --compare-version): the nearest profile, said so\n"
	"  --format patch         a unified diff of the -c file with the changes\n"
	"                         (comments kept)\n"
	"  --format svg           before and after as a picture\n"
	"  --write                edit the -c file in place (locked, atomic; the\n"
	"                         original goes to FILE.bak, or FILE.bak.1, ... when\n"
	"                         that exists: see docs/write.md)\n"
	"%s"
	"\n"
	"Text fits COLUMNS (or the terminal); sizes are in Flink's units (bytes in\n"
	"--format json).\n"
	"Exit status: 0 a plan Flink accepts, 1 the goals cannot be met (or the result\n"
	"is rejected), 2 usage.\n";

typedef struct row {
	const char *name;
	int64_t a, b;
} row;

#define HUMAN_CAP (FM_SIZE_HUMAN_MAX + 2)

/* A size as Flink prints it ("1.425gb"), without the bytes in brackets,
 * into out[HUMAN_CAP]. */
static void human(char *out, int64_t v)
{
	char h[FM_SIZE_HUMAN_MAX];
	fm_size_human_c(h, v < 0 ? -v : v);
	char *paren = strstr(h, " (");
	if (paren)
		*paren = '\0';
	snprintf(out, HUMAN_CAP, "%s%s", v < 0 ? "-" : "", h);
}

/* Text is in Flink's units ("1.425gb", as its logs print sizes), deltas
 * too: one unit system per format (docs/output-formats.md); the bytes are
 * in --format json. */
static int add_rows(fm_buf *b, const row *rows, size_t n)
{
	int rc = fm_buf_addf(b, "  %-28s %12s %12s %12s\n", "", "before", "after", "delta");
	for (size_t i = 0; i < n && !rc; i++) {
		char d[HUMAN_CAP + 1] = "";
		char a[HUMAN_CAP] = "-", c[HUMAN_CAP] = "-";
		if (rows[i].a >= 0 && rows[i].b >= 0 && rows[i].a != rows[i].b) {
			human(d + 1, rows[i].b - rows[i].a);
			d[0] = rows[i].b > rows[i].a ? '+' : ' ';
		}
		if (rows[i].a >= 0)
			human(a, rows[i].a);
		if (rows[i].b >= 0)
			human(c, rows[i].b);
		rc = fm_buf_addf(b, "  %-28s %12s %12s %12s\n", rows[i].name, a, c, d[0] == ' ' ? d + 1 : d);
	}
	return rc;
}

static int render_side_error(fm_buf *b, const char *when, const fm_jchain *e)
{
	return fm_buf_addf(b, "  %s: Flink rejects it: %s: %s\n", when, e->v[0].cls, e->v[0].msg);
}

static int render_text(fm_buf *b, const fm_plan *pl, const char *title)
{
	int rc = fm_buf_addf(b, "%s\n", title);
	if (pl->nchanges) {
		rc = rc || fm_buf_adds(b, "\nChanges:\n");
		for (size_t i = 0; i < pl->nchanges && !rc; i++)
			rc = fm_buf_addf(b, "  %s: %s -> %s\n", pl->changes[i].key,
					 pl->changes[i].from ? pl->changes[i].from : "(unset)",
					 pl->changes[i].to ? pl->changes[i].to : "(removed)");
	}
	const fm_tm_result *ta = &pl->before_tm, *tb = &pl->after_tm;
	rc = rc || fm_buf_adds(b, "\nTaskManager\n");
	if (!rc && ta->outcome == FM_FLINK_ERROR)
		rc = render_side_error(b, "before", &ta->err);
	if (!rc && tb->outcome == FM_FLINK_ERROR)
		rc = render_side_error(b, "after", &tb->err);
	{
		const fm_tm_layout *x = ta->outcome == FM_DERIVED ? &ta->l : NULL, *y = tb->outcome == FM_DERIVED ? &tb->l : NULL;
#define V(l, f) ((l) ? (l)->f : -1)
		row rows[] = {
			{"Total Process Memory", V(x, total_process), V(y, total_process)},
			{"  Total Flink Memory", V(x, total_flink), V(y, total_flink)},
			{"    Framework Heap", V(x, framework_heap), V(y, framework_heap)},
			{"    Task Heap", V(x, task_heap), V(y, task_heap)},
			{"    Managed", V(x, managed), V(y, managed)},
			{"    Framework Off-Heap", V(x, framework_off_heap), V(y, framework_off_heap)},
			{"    Task Off-Heap", V(x, task_off_heap), V(y, task_off_heap)},
			{"    Network", V(x, network), V(y, network)},
			{"  JVM Metaspace", V(x, metaspace), V(y, metaspace)},
			{"  JVM Overhead", V(x, overhead), V(y, overhead)},
		};
		rc = rc || add_rows(b, rows, sizeof rows / sizeof rows[0]);
		if (!rc && y)
			rc = fm_buf_addf(b, "  JVM flags after: %s\n", y->jvm_args);
	}
	const fm_jm_result *ja = &pl->before_jm, *jb = &pl->after_jm;
	rc = rc || fm_buf_adds(b, "\nJobManager\n");
	if (jb->outcome == FM_UNSUPPORTED) {
		rc = rc || fm_buf_addf(b, "  not computed by this release\n");
	} else {
		if (!rc && ja->outcome == FM_FLINK_ERROR)
			rc = render_side_error(b, "before", &ja->err);
		if (!rc && jb->outcome == FM_FLINK_ERROR)
			rc = render_side_error(b, "after", &jb->err);
		const fm_jm_layout *x = ja->outcome == FM_DERIVED ? &ja->l : NULL, *y = jb->outcome == FM_DERIVED ? &jb->l : NULL;
		row rows[] = {
			{"Total Process Memory", V(x, total_process), V(y, total_process)},
			{"  Total Flink Memory", V(x, total_flink), V(y, total_flink)},
			{"    JVM Heap", V(x, jvm_heap), V(y, jvm_heap)},
			{"    Off-Heap", V(x, off_heap), V(y, off_heap)},
			{"  JVM Metaspace", V(x, metaspace), V(y, metaspace)},
			{"  JVM Overhead", V(x, overhead), V(y, overhead)},
		};
#undef V
		rc = rc || add_rows(b, rows, sizeof rows / sizeof rows[0]);
	}
	if (pl->nnotes) {
		rc = rc || fm_buf_adds(b, "\nNotes:\n");
		for (size_t i = 0; i < pl->nnotes && !rc; i++)
			rc = fm_buf_addf(b, "  - %s\n", pl->notes[i]);
	}
	if (pl->nchanges) {
		rc = rc || fm_buf_adds(b, "\nConfig snippet:\n");
		for (size_t i = 0; i < pl->nchanges && !rc; i++) {
			if (pl->changes[i].to)
				rc = fm_buf_addf(b, "  %s: %s\n", pl->changes[i].key, pl->changes[i].to);
			else
				rc = fm_buf_addf(b, "  # remove %s\n", pl->changes[i].key);
		}
	}
	return rc;
}

/* The plan document: the envelope every command's JSON starts with, then
 * the plan's own members; before and after are `show` documents. */
static int render_json(fm_buf *b, const fm_plan *pl, const cli_conf *cc, const fm_profile *after_p, const char *after_rel)
{
	int rc = fm_buf_addc(b, '{') || fm_json_envelope(b, "plan", cc->profile, cc->release) ||
		 fm_buf_adds(b, ",\"profileReleases\":") || fm_json_str(b, cc->profile->releases) ||
		 fm_buf_adds(b, ",\"profileReason\":") || fm_json_str(b, cc->reason) || fm_buf_adds(b, ",\"feasible\":") ||
		 fm_buf_adds(b, pl->feasible ? "true" : "false") || fm_buf_adds(b, ",\"changes\":[");
	for (size_t i = 0; i < pl->nchanges && !rc; i++)
		rc = fm_buf_adds(b, i ? ",{\"key\":" : "{\"key\":") || fm_json_str(b, pl->changes[i].key) ||
		     fm_buf_adds(b, ",\"from\":") || fm_json_str(b, pl->changes[i].from) || fm_buf_adds(b, ",\"to\":") ||
		     fm_json_str(b, pl->changes[i].to) || fm_buf_addc(b, '}');
	rc = rc || fm_buf_adds(b, "]");
	if (!rc && pl->smallest_process > 0) /* the goals are impossible inside the pin: the size that holds them */
		rc = fm_buf_adds(b, ",\"smallestProcessSize\":") || fm_json_int(b, pl->smallest_process);
	rc = rc || fm_buf_adds(b, ",\"notes\":[");
	for (size_t i = 0; i < pl->nnotes && !rc; i++)
		rc = (i && fm_buf_addc(b, ',')) || fm_json_str(b, pl->notes[i]);
	fm_show s1 = {cc->profile, NULL, NULL, 0, &pl->before_tm, &pl->before_jm, cc->release};
	fm_show s2 = {after_p, NULL, NULL, 0, &pl->after_tm, &pl->after_jm, after_rel};
	rc = rc || fm_buf_adds(b, "],\"before\":") || fm_render_show_json(b, &s1);
	if (!rc)
		b->len--; /* drop the newline */
	rc = rc || fm_buf_adds(b, ",\"after\":") || fm_render_show_json(b, &s2);
	if (!rc)
		b->len--;
	return rc || fm_buf_adds(b, "}\n");
}

/* --format patch / --write: the plan's change set applied to the -c file
 * only (settings from -D or the environment are not files we own). The
 * edit starts from the very bytes the plan was computed from (cli_conf
 * keeps them: the file is read once), on the FlinkDeployment --name chose,
 * and the write happens only if the file still holds those bytes. */
static int edit_file(const cli_conf *cc, const fm_plan *pl, bool show_diff, bool write)
{
	const char *file = cc->image_file, *data = cc->image;
	size_t len = cc->image_len;
	if (!file) {
		cli_err("plan: %s needs a config file to edit (-c FILE or a conf dir)", show_diff ? "--format patch" : "--write");
		return 2;
	}
	if (cc->embedded) { /* the image holds only the embedded lines */
		cli_err("plan: %s: %s edits flink-conf.yaml, config.yaml or a FlinkDeployment, not a config inside a ConfigMap "
			"or Helm values", file, show_diff ? "--format patch" : "--write");
		return 2;
	}
	fm_patch_fmt fmt = cc->is_k8s ? FM_PATCH_K8S : cc->image_flat ? FM_PATCH_FLAT : FM_PATCH_YAML;
	size_t doc = cc->is_k8s && cc->k8s_doc ? (size_t)(cc->k8s_doc - cc->k8s.docs) : 0;
	fm_edit *ed = calloc(pl->nchanges + 1, sizeof(*ed));
	fm_buf nb = FM_BUF_INIT, diff = FM_BUF_INIT;
	fm_logs notes = FM_LOGS_INIT;
	fm_diag d = FM_DIAG_INIT;
	char *bak = NULL, *written = NULL;
	int rc = 2;
	if (!ed) {
		cli_err("out of memory");
		goto out;
	}
	size_t ne = 0;
	for (size_t i = 0; i < pl->nchanges; i++) {
		const fm_change *ch = &pl->changes[i];
		if (ch->from && ch->to ? !strcmp(ch->from, ch->to) : ch->from == ch->to)
			continue;
		ed[ne++] = (fm_edit){ch->key, ch->to};
		const fm_entry *e = fm_conf_find(cc->conf, ch->key);
		if (e && e->at.src != FM_SRC_BUILTIN && (!e->at.file || strcmp(e->at.file, file)))
			cli_err("note: %s is also set by %s, which overrides %s: change it there too", ch->key,
				e->at.file ? e->at.file : e->at.src == FM_SRC_DYNAMIC ? "-D" : "the environment", file);
	}
	for (size_t i = 0; i < cc->nnotes; i++)
		if (cc->notes[i].kind && (!strcmp(cc->notes[i].kind, "-D") || !strcmp(cc->notes[i].kind, "FLINK_PROPERTIES"))) {
			cli_err("note: only %s is edited; settings from -D and FLINK_PROPERTIES stay as they are", file);
			break;
		}
	if (fm_patch_apply(fmt, file, data, len, doc, ed, ne, &nb, &notes, &d) != FM_OK) {
		if (d.line)
			cli_err("%s:%u:%u: %s", file, d.line, d.col, d.msg ? d.msg : fm_strerror(d.code));
		else
			cli_err("%s: %s", file, d.msg ? d.msg : fm_strerror(d.code));
		goto out;
	}
	for (size_t i = 0; i < notes.n; i++)
		cli_err("note: %s", notes.v[i] + (strncmp(notes.v[i], "INFO ", 5) ? 0 : 5));
	if (show_diff) {
		if (fm_diff_unified(&diff, file, data, len, nb.data ? nb.data : "", nb.len) != FM_OK) {
			cli_err("out of memory");
			goto out;
		}
		if ((rc = cli_write(diff.data ? diff.data : "", diff.len)) != 0)
			goto out;
	}
	rc = 0;
	if (write) {
		if (!pl->feasible) {
			cli_err("plan: not writing %s: Flink would reject the planned configuration", file);
			rc = 1;
		} else if (nb.len == len && (!len || !memcmp(nb.data, data, len))) {
			cli_err("note: %s already says this; nothing written", file);
		} else if (fm_atomic_replace(file, data, len, nb.data, nb.len, &bak, &written, &d) != FM_OK) {
			cli_err("%s: %s", file, d.msg ? d.msg : fm_strerror(d.code));
			rc = 2;
		} else if (strcmp(written, file)) {
			cli_err("note: wrote %s, the target of the symlink %s (the original is in %s)", written, file, bak);
		} else {
			cli_err("note: wrote %s (the original is in %s)", file, bak);
		}
	}
out:
	fm_diag_release(&d);
	fm_logs_release(&notes);
	fm_buf_release(&nb);
	fm_buf_release(&diff);
	free(ed);
	free(bak);
	free(written);
	return rc;
}

int cmd_plan(int argc, char **argv)
{
	enum { OPT_VERSION = 256, OPT_SET, OPT_WANT, OPT_CONTAINER, OPT_COMPARE, OPT_FORMAT, OPT_NAME, OPT_WRITE,
	       OPT_FALLBACK };
	static const struct option opts[] = {
		{"config", required_argument, NULL, 'c'}, {"flink-version", required_argument, NULL, OPT_VERSION},
		{"set", required_argument, NULL, OPT_SET}, {"want", required_argument, NULL, OPT_WANT},
		{"container", required_argument, NULL, OPT_CONTAINER}, {"compare-version", required_argument, NULL, OPT_COMPARE},
		{"format", required_argument, NULL, OPT_FORMAT}, {"name", required_argument, NULL, OPT_NAME},
		{"write", no_argument, NULL, OPT_WRITE}, {"help", no_argument, NULL, 'h'},
		{"flink-version-fallback", no_argument, NULL, OPT_FALLBACK}, PLAN_NET_LONGOPTS,
		{NULL, 0, NULL, 0},
	};
	cli_conf cc = {0};
	plan_net_opts net = {0};
	fm_buf net_text = FM_BUF_INIT, net_json = FM_BUF_INIT;
	size_t cap = (size_t)argc + 1;
	const char **dyn = calloc(cap, sizeof(*dyn)), **sets = calloc(cap, sizeof(*sets)), **wants = calloc(cap, sizeof(*wants));
	size_t nsets = 0, nwants = 0;
	const char *container = NULL, *compare = NULL, *format = "text";
	int rc = 2, c;
	bool write = false;
	if (!dyn || !sets || !wants)
		goto out;
	optind = 1;
	while ((c = getopt_long(argc, argv, "c:D:h", opts, NULL)) != -1) {
		switch (c) {
		case 'c': cc.path = optarg; break;
		case 'D': dyn[cc.ndynamic++] = optarg; break;
		case OPT_VERSION: cc.version = optarg; break;
		case OPT_FALLBACK: cc.version_fallback = true; break;
		case OPT_SET: sets[nsets++] = optarg; break;
		case OPT_WANT: wants[nwants++] = optarg; break;
		case OPT_CONTAINER: container = optarg; break;
		case OPT_COMPARE: compare = optarg; break;
		case OPT_FORMAT: format = optarg; break;
		case OPT_NAME: cc.name = optarg; break;
		case OPT_WRITE: write = true; break;
		case 'h':
			printf(plan_usage, plan_net_usage);
			rc = 0;
			goto out;
		default:
			if (plan_net_option(&net, c, optarg))
				break;
			fprintf(stderr, plan_usage, plan_net_usage);
			goto out;
		}
	}
	if (optind < argc) {
		cli_err("plan: unexpected argument '%s'", argv[optind]);
		goto out;
	}
	if (strcmp(format, "text") && strcmp(format, "json") && strcmp(format, "patch") && strcmp(format, "svg")) {
		cli_err("plan: unknown format '%s' (text, json, patch, svg)", format);
		goto out;
	}
	if (container) {
		/* a usage error, before any config is read: 0 or no size at all
		 * would silently mean "not pinned" further down */
		int64_t cb = 0;
		fm_jexc je = {0};
		if (fm_size_parse(container, strlen(container), &cb, &je) != 0 || cb <= 0) {
			cli_err("plan: --container %s: %s", container, je.msg ? je.msg : "must be a positive size");
			fm_jexc_release(&je);
			goto out;
		}
	}
	if (net.slots && !plan_net_wanted(&net)) {
		cli_err("plan: --slots goes with --preset, --job-plan or --parallelism; for other plans use --set "
			"taskmanager.numberOfTaskSlots=N");
		goto out;
	}
	if (!nsets && !nwants && !compare && !container && !plan_net_wanted(&net)) {
		cli_err("plan: say what to plan: --set, --want, --container, --compare-version, --job-plan or --preset (see --help)");
		goto out;
	}
	cc.dynamic = dyn;
	cc.keep_image = write || !strcmp(format, "patch");
	if ((rc = cli_conf_load(&cc)) != 0 || (rc = cli_conf_k8s_refused(&cc)) != 0)
		goto out;
	rc = 2;
	if (cc.load_err.n) {
		cli_err("plan: Flink cannot load this configuration: %s", cc.load_err.v[0].msg);
		rc = 1;
		goto out;
	}
	fm_plan pl = {0};
	const fm_profile *after_p = cc.profile;
	char title[512];
	int prc;
	if (plan_net_wanted(&net)) {
		if (nsets || nwants || compare) {
			cli_err("plan: --job-plan, --parallelism and --preset do not combine with --set, --want or --compare-version");
			goto out;
		}
		int nrc = plan_net_build(&cc, &net, container, &pl, &net_text, &net_json, title, sizeof title);
		if (nrc == 2)
			goto out;
		prc = nrc ? FM_ENOMEM : FM_OK;
	} else if (compare) {
		after_p = cli_profile_fb(compare, NULL, cc.version_fallback, NULL);
		if (!after_p)
			goto out;
		fm_plan_whatif(cc.conf, cc.profile, &cc.env, NULL, NULL, 0, &pl);
		fm_tm_result_release(&pl.after_tm);
		fm_jm_result_release(&pl.after_jm);
		prc = fm_derive_tm(cc.conf, after_p, &cc.env, &pl.after_tm) | fm_derive_jm(cc.conf, after_p, &cc.env, &pl.after_jm);
		pl.feasible = pl.after_tm.outcome != FM_FLINK_ERROR && pl.after_jm.outcome != FM_FLINK_ERROR;
		char r1[160], r2[160];
		cli_release_title(r1, sizeof r1, cc.profile, cc.release);
		cli_release_title(r2, sizeof r2, after_p, compare);
		snprintf(title, sizeof title, "The same configuration under %s before and %s after", r1, r2);
	} else if (nwants || container) {
		fm_goal *goals = calloc(nwants + 1, sizeof(*goals));
		if (!goals)
			goto out;
		for (size_t i = 0; i < nwants; i++) {
			char *why = NULL;
			if (fm_goal_parse(wants[i], &goals[i], &why) != 0) {
				cli_err("plan: %s", why ? why : "bad --want");
				free(why);
				free(goals);
				goto out;
			}
		}
		int64_t cb = 0;
		if (container) {
			fm_jexc je = {0};
			if (fm_size_parse(container, strlen(container), &cb, &je) != 0) {
				cli_err("plan: --container %s: %s", container, je.msg ? je.msg : "bad size");
				fm_jexc_release(&je);
				free(goals);
				goto out;
			}
		}
		prc = fm_plan_goals(cc.conf, cc.profile, &cc.env, goals, nwants, cb, &pl);
		free(goals);
		char r1[160];
		cli_release_title(r1, sizeof r1, cc.profile, cc.release);
		snprintf(title, sizeof title, "Goal-seek for %s%s%s", r1, container ? ", process size pinned to " : "",
			 container ? container : "");
	} else {
		const char **keys = calloc(nsets, sizeof(*keys)), **vals = calloc(nsets, sizeof(*vals));
		char **owned = calloc(nsets, sizeof(*owned));
		if (!keys || !vals || !owned) {
			free(keys);
			free(vals);
			free(owned);
			goto out;
		}
		bool bad = false;
		for (size_t i = 0; i < nsets; i++) {
			owned[i] = strdup(sets[i]);
			char *eq = owned[i] ? strchr(owned[i], '=') : NULL;
			if (!eq || eq == owned[i]) {
				cli_err("plan: --set needs key=value, got '%s'", sets[i]);
				bad = true;
				break;
			}
			*eq = '\0';
			keys[i] = owned[i];
			vals[i] = eq[1] ? eq + 1 : NULL;
			/* a FlinkDeployment's resource.memory is the process size
			 * (the operator sets it from there; check's fixes name it so):
			 * its Flink key, the Kubernetes quantity read as bytes. Other
			 * spec paths are no Flink keys */
			if (!strncmp(keys[i], "spec.", 5)) {
				bool tmr = !strcmp(keys[i], "spec.taskManager.resource.memory");
				bool jmr = !strcmp(keys[i], "spec.jobManager.resource.memory");
				char *v = vals[i] ? strdup(vals[i]) : NULL;
				size_t vn = v ? strlen(v) : 0;
				if (v && vn >= 2 && (v[0] == '"' || v[0] == '\'') && v[vn - 1] == v[0]) {
					memmove(v, v + 1, vn - 2);
					v[vn - 2] = '\0';
				}
				int64_t q = -1;
				if (v && fm_k8s_quantity_bytes(v, strlen(v), &q) != FM_OK)
					q = -1;
				free(v);
				if (!cc.is_k8s || !(tmr || jmr) || q <= 0) {
					cli_err("plan: --set %s: %s", keys[i],
						!cc.is_k8s || !(tmr || jmr)
							? "not a Flink key (the FlinkDeployment's spec.taskManager.resource.memory and "
							  "spec.jobManager.resource.memory are: their process size)"
							: "not a Kubernetes memory quantity");
					bad = true;
					break;
				}
				char *nv = NULL;
				if (asprintf(&nv, "%lldb", (long long)q) < 0) {
					bad = true;
					break;
				}
				free(owned[i]);
				owned[i] = nv;
				keys[i] = tmr ? "taskmanager.memory.process.size" : "jobmanager.memory.process.size";
				vals[i] = nv;
			}
			/* a key Flink does not know changes nothing: a what-if that
			 * writes it shows a layout the user will not get (check's
			 * FM020); removing one (key=) is fine */
			const char *closest = NULL;
			if (vals[i] && fm_lint_unknown_key(cc.profile, keys[i], &closest)) {
				cli_err("plan: --set %s: not a Flink key in %s, so it would change nothing%s%s%s", keys[i],
					cc.release ? cc.release : "this release", closest ? "; did you mean " : "",
					closest ? closest : "", closest ? "?" : "");
				bad = true;
				break;
			}
		}
		/* On a FlinkDeployment the operator sets each process size from
		 * spec.*.resource.memory whatever else the config says */
		const char *pinned[2];
		size_t npinned = 0;
		const char *pk[2] = {"taskmanager.memory.process.size", "jobmanager.memory.process.size"};
		for (int s2 = 0; s2 < 2 && cc.is_k8s; s2++)
			if (fm_conf_has(cc.conf, pk[s2]))
				pinned[npinned++] = pk[s2];
		prc = bad ? -1
			  : fm_plan_whatif_pinned(cc.conf, cc.profile, &cc.env, keys, vals, nsets, pinned, npinned, &pl);
		for (size_t i = 0; i < nsets; i++)
			free(owned[i]);
		free(owned);
		free(keys);
		free(vals);
		if (bad)
			goto out;
		char r1[160];
		cli_release_title(r1, sizeof r1, cc.profile, cc.release);
		snprintf(title, sizeof title, "What-if for %s", r1);
	}
	if (prc != FM_OK) {
		cli_err("out of memory");
		fm_plan_release(&pl);
		goto out;
	}
	fm_buf b = FM_BUF_INIT;
	bool patch = !strcmp(format, "patch");
	rc = 0;
	if (!patch) {
		if (!strcmp(format, "json")) {
			int jrc = render_json(&b, &pl, &cc, after_p, compare ? compare : cc.release);
			if (!jrc && net_json.len && b.len >= 2) {
				b.len -= 2; /* splice before the closing "}\n" */
				jrc = fm_buf_add(&b, net_json.data, net_json.len) || fm_buf_adds(&b, "}\n");
			}
			if (jrc) {
				cli_err("out of memory");
				rc = 2;
			}
		} else if (!strcmp(format, "svg")) {
			fm_svg_side sides[2] = {{"before", &pl.before_tm, &pl.before_jm}, {"after", &pl.after_tm, &pl.after_jm}};
			if (fm_render_svg(&b, title, sides, 2) != FM_OK) {
				cli_err("out of memory");
				rc = 2;
			}
		} else {
			/* fits the terminal: COLUMNS, else a terminal's width */
			size_t width = cli_width();
			if (render_text(&b, &pl, title) || (net_text.len && fm_buf_add(&b, net_text.data, net_text.len))) {
				cli_err("out of memory");
				rc = 2;
			}
			if (!rc && width) {
				fm_buf w = FM_BUF_INIT;
				if (fm_text_wrap(&w, b.data ? b.data : "", b.len, width)) {
					cli_err("out of memory");
					rc = 2;
				}
				fm_buf_release(&b);
				b = w;
			}
		}
		if (!rc)
			rc = strcmp(format, "text") ? cli_write(b.data ? b.data : "", b.len)
						    : cli_write_text(b.data ? b.data : "", b.len);
	}
	if (!rc && (patch || write))
		rc = edit_file(&cc, &pl, patch, write);
	if (!rc && !pl.feasible)
		rc = 1;
	fm_buf_release(&b);
	fm_plan_release(&pl);
out:
	fm_buf_release(&net_text);
	fm_buf_release(&net_json);
	cli_conf_release(&cc);
	free(dyn);
	free(sets);
	free(wants);
	return rc;
}
