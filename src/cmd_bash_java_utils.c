/* cmd_bash_java_utils — a drop-in for Flink's BashJavaUtils as the start
 * scripts and the Docker image call it:
 *   flinkmem bash-java-utils COMMAND --configDir DIR [-Dk=v | -D k=v]...
 * COMMAND is any the chosen release has: GET_TM_RESOURCE_PARAMS,
 * GET_JM_RESOURCE_PARAMS (1.11+), UPDATE_AND_GET_FLINK_CONFIGURATION and
 * MIGRATE_LEGACY_FLINK_CONFIGURATION_TO_STANDARD_YAML (1.19+),
 * GET_TM_RESOURCE_JVM_PARAMS / _DYNAMIC_CONFIGS (1.10).
 * Like Flink it keeps only the options the command knows (-c/--configDir,
 * -D..., and for UPDATE_AND_GET -flatten, -rmKey, -rmKV, -repKV) and drops
 * every other argument, so `standalone-job.sh start-foreground
 * --job-classname X` passes through. Output as Flink's: log lines in the
 * bash-utils layout ("INFO  [] - ...") and BASH_JAVA_UTILS_EXEC_RESULT:
 * lines on stdout; a failure is the uncaught exception on stderr, exit 1.
 * The release: --flink-version / FLINKMEM_FLINK_VERSION, else the
 * distribution's flink-dist jar, else the conf dir's file names. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "flinkmem/confwrite.h"
#include "flinkmem/escape.h"
#include "flinkmem/sources.h"

#define RESULT "BASH_JAVA_UTILS_EXEC_RESULT:"

typedef enum bju_cmd { C_TM, C_JM, C_UPDATE, C_MIGRATE, C_TM_JVM, C_TM_DYN } bju_cmd;


/* YamlParserUtils.loadYamlFile logs its error only for a snakeyaml
 * exception that carries a mark (syntax, duplicate key: "in reader, line
 * N"); the alias limit, bad UTF-8, special characters, a top level that is
 * not a mapping, a non-string key or a null value fail without it. */
static bool marked_yaml_error(const fm_jchain *ch)
{
	for (size_t i = 0; i < ch->n; i++)
		if (ch->v[i].cls && strcmp(ch->v[i].cls, "org.snakeyaml.engine.v2.exceptions.YamlEngineException") == 0 &&
		    ch->v[i].msg && strstr(ch->v[i].msg, " in reader, line "))
			return true;
	return false;
}

static const struct {
	const char *name;
	bju_cmd cmd;
} commands[] = {
	{"GET_TM_RESOURCE_PARAMS", C_TM},
	{"GET_JM_RESOURCE_PARAMS", C_JM},
	{"UPDATE_AND_GET_FLINK_CONFIGURATION", C_UPDATE},
	{"MIGRATE_LEGACY_FLINK_CONFIGURATION_TO_STANDARD_YAML", C_MIGRATE},
	{"GET_TM_RESOURCE_JVM_PARAMS", C_TM_JVM},
	{"GET_TM_RESOURCE_DYNAMIC_CONFIGS", C_TM_DYN},
};

/* Which commands a release's BashJavaUtils.Command enum has. */
static bool release_has(const fm_profile *p, bju_cmd c)
{
	bool r110 = p->order < 1110, modern = p->yaml_only || p->yaml_fallback;
	switch (c) {
	case C_TM_JVM:
	case C_TM_DYN: return r110;
	case C_TM:
	case C_JM: return !r110;
	default: return modern;
	}
}

/* The options one command's parser knows: short and long name (commons-cli
 * matches either after stripping one or two leading '-'), and whether it
 * takes a value. */
typedef struct opt {
	const char *s, *l;
	bool arg;
} opt;
static const opt common_opts[] = {{"c", "configDir", true}, {"D", NULL, true}};
static const opt update_opts[] = {{"c", "configDir", true}, {"D", NULL, true},
				   {"rmKey", "removeKey", true}, {"rmKV", "removeKeyValue", true},
				   {"repKV", "replaceKeyValue", true}, {"flatten", "flattenConfig", false}};

static const opt *find_opt(const opt *o, size_t n, const char *tok)
{
	if (tok[0] != '-')
		return NULL;
	const char *t = tok + (tok[1] == '-' ? 2 : 1);
	for (size_t i = 0; i < n; i++)
		if (strcmp(o[i].s, t) == 0 || (o[i].l && strcmp(o[i].l, t) == 0))
			return &o[i];
	return NULL;
}

typedef struct args {
	const char *dir;
	bool dir_missing_value;
	const char **dyn, **rm_key, **rm_kv, **rep_kv;
	size_t ndyn, nrm_key, nrm_kv, nrep_kv;
	bool flatten;
	const char *version;
} args;

/* FlinkConfigLoader.filterCmdArgs, then commons-cli on what is left. */
static int parse_args(int argc, char **argv, bool update, args *a)
{
	size_t n = (size_t)argc + 1;
	a->dyn = calloc(n, sizeof(char *));
	a->rm_key = calloc(n, sizeof(char *));
	a->rm_kv = calloc(n, sizeof(char *));
	a->rep_kv = calloc(n, sizeof(char *));
	if (!a->dyn || !a->rm_key || !a->rm_kv || !a->rep_kv)
		return 2;
	const opt *os = update ? update_opts : common_opts;
	size_t nos = update ? sizeof(update_opts) / sizeof(*os) : sizeof(common_opts) / sizeof(*os);
	for (int i = 2; i < argc; i++) {
		const char *t = argv[i];
		if (strcmp(t, "--flink-version") == 0 && i + 1 < argc) {
			a->version = argv[++i]; /* flinkmem's own: the release */
			continue;
		}
		const opt *o = find_opt(os, nos, t);
		if (o) {
			const char *v = o->arg && i + 1 < argc ? argv[++i] : NULL;
			if (!o->arg) {
				a->flatten = true;
			} else if (!v) {
				if (strcmp(o->s, "c") == 0)
					a->dir_missing_value = true;
			} else if (strcmp(o->s, "c") == 0) {
				if (!a->dir)
					a->dir = v; /* commons-cli: the first value wins */
			} else if (strcmp(o->s, "D") == 0) {
				a->dyn[a->ndyn++] = v;
			} else if (strcmp(o->s, "rmKey") == 0) {
				a->rm_key[a->nrm_key++] = v;
			} else if (strcmp(o->s, "rmKV") == 0) {
				a->rm_kv[a->nrm_kv++] = v;
			} else {
				a->rep_kv[a->nrep_kv++] = v;
			}
		} else if (strncmp(t, "-D", 2) == 0 && t[2]) {
			a->dyn[a->ndyn++] = t + 2;
		}
		/* anything else: Flink ignores it */
	}
	return 0;
}

static void args_release(args *a)
{
	free(a->dyn);
	free(a->rm_key);
	free(a->rm_kv);
	free(a->rep_kv);
}

/* "LEVEL message" -> the log4j-bash-utils layout "%-5p %x - %m%n". */
/* Log lines reproduce Flink's bash-utils log byte for byte (the
 * conformance test compares them with Flink's own): the scripts print them
 * together with the configuration lines, which must carry the file's raw
 * bytes anyway. Exceptions go through fm_render_jchain, which escapes. */
static int add_log(fm_buf *b, const char *line)
{
	const char *sp = strchr(line, ' ');
	size_t ll = sp ? (size_t)(sp - line) : strlen(line);
	return fm_buf_addf(b, "%-5.*s [] - %s\n", (int)ll, line, sp ? sp + 1 : "");
}

static int add_logs(fm_buf *b, const fm_logs *l)
{
	int rc = 0;
	for (size_t i = 0; l && i < l->n; i++)
		rc |= add_log(b, l->v[i]);
	return rc;
}

/* A multi-line block (the memory summary) is one log call per line. */
static int add_info_block(fm_buf *b, const char *text)
{
	int rc = 0;
	while (text && *text) {
		const char *nl = strchr(text, '\n');
		size_t n = nl ? (size_t)(nl - text) : strlen(text);
		rc |= fm_buf_addf(b, "INFO  [] - %.*s\n", (int)n, text);
		text += n + (nl ? 1 : 0);
	}
	return rc;
}

/* The uncaught exception, as the JVM prints it (frames left out). */
/* Multi-line text to stderr, each line escaped. */
static void put_escaped(const char *text)
{
	fm_buf e = FM_BUF_INIT;
	int rc = 0;
	while (text && *text && !rc) {
		const char *nl = strchr(text, '\n');
		size_t n = nl ? (size_t)(nl - text) : strlen(text);
		rc = fm_esc_text(&e, text, n);
		if (!rc)
			rc = fm_buf_addc(&e, '\n');
		text += n + (nl ? 1 : 0);
	}
	if (e.data)
		fputs(e.data, stderr);
	fm_buf_release(&e);
}

static void print_exception(const char *cls, const char *msg)
{
	fm_buf b = FM_BUF_INIT;
	if (msg ? fm_buf_addf(&b, "Exception in thread \"main\" %s: %s", cls, msg)
		: fm_buf_addf(&b, "Exception in thread \"main\" %s", cls))
		fputs("Exception in thread \"main\" java.lang.OutOfMemoryError\n", stderr);
	else
		put_escaped(b.data);
	fm_buf_release(&b);
}

static void print_chain(const fm_jchain *c)
{
	fm_buf b = FM_BUF_INIT; /* fm_render_jchain escapes the messages */
	fm_render_jchain(&b, c, "Exception in thread \"main\" ");
	if (b.data)
		fputs(b.data, stderr);
	fm_buf_release(&b);
}

/* java.io.File: dir + "/" + name, and its getAbsolutePath (no symlink or
 * ".." resolution, just the working directory in front). */
static int file_paths(const char *dir, const char *name, char **shown, char **abs)
{
	size_t dl = strlen(dir);
	while (dl > 1 && dir[dl - 1] == '/')
		dl--;
	if (asprintf(shown, "%.*s%s%s", (int)dl, dir, name ? "/" : "", name ? name : "") < 0)
		return 2;
	if ((*shown)[0] == '/') {
		*abs = strdup(*shown);
	} else {
		char cwd[PATH_MAX];
		if (!getcwd(cwd, sizeof cwd) || asprintf(abs, "%s/%s", cwd, *shown) < 0)
			*abs = strdup(*shown);
	}
	return *abs ? 0 : 2;
}

static bool is_file(const char *dir, const char *name)
{
	char *p = NULL;
	if (asprintf(&p, "%s/%s", dir, name) < 0)
		return false;
	struct stat st;
	bool ok = stat(p, &st) == 0 && !S_ISDIR(st.st_mode);
	free(p);
	return ok;
}

/* The file GlobalConfiguration opens for this release, or NULL. */
static const char *conf_name(const fm_profile *p, const char *dir, bool migrate)
{
	bool flat = is_file(dir, "flink-conf.yaml"), yaml = is_file(dir, "config.yaml");
	if (migrate)
		return flat ? "flink-conf.yaml" : NULL;
	if (p->yaml_only)
		return yaml ? "config.yaml" : NULL;
	if (p->yaml_fallback)
		return flat ? "flink-conf.yaml" : yaml ? "config.yaml" : NULL;
	return flat ? "flink-conf.yaml" : NULL;
}

static const fm_profile *pick_profile(const args *a, char **why)
{
	*why = NULL;
	if (a->version)
		return cli_profile(a->version); /* says why when it is unknown */
	cli_conf cc = {0};
	cli_conf_detect_release(&cc, a->dir);
	free(cc.release);
	if (cc.release_refused) /* the jar names a release past the profiles (said why) */
		return NULL;
	if (cc.profile) {
		*why = cc.reason;
		return cc.profile;
	}
	free(cc.reason);
	if (!a->dir)
		return fm_profile_newest();
	bool flat = is_file(a->dir, "flink-conf.yaml"), yaml = is_file(a->dir, "config.yaml");
	return flat && !yaml ? fm_profile_for("1.20") : fm_profile_newest();
}

static int run(bju_cmd cmd, const char *cmd_name, const args *a, fm_buf *out)
{
	char *why = NULL;
	const fm_profile *p = pick_profile(a, &why);
	free(why);
	if (!p)
		return 2;
	if (!release_has(p, cmd)) {
		fprintf(stderr, "Exception in thread \"main\" java.lang.IllegalArgumentException: No enum constant "
				"org.apache.flink.runtime.util.%sBashJavaUtils.Command.%s\n",
			p->order < 1110 ? "" : "bash.", cmd_name);
		return 1;
	}
	if (!a->dir) {
		add_log(out, "ERROR Could not parse the command line options.");
		cli_write(out->data, out->len);
		fprintf(stderr,
			"Exception in thread \"main\" org.apache.flink.runtime.entrypoint.FlinkParseException: Failed to "
			"parse the command line arguments.\nCaused by: %s\n",
			a->dir_missing_value ? "org.apache.commons.cli.MissingArgumentException: Missing argument for option: c"
					     : "org.apache.commons.cli.MissingOptionException: Missing required option: c");
		return 1;
	}
	char *shown = NULL, *abs = NULL;
	struct stat st;
	if (stat(a->dir, &st) != 0) {
		int rc = file_paths(a->dir, NULL, &shown, &abs);
		if (!rc) {
			char *msg = NULL;
			if (asprintf(&msg, "The given configuration directory name '%s' (%s) does not describe an existing "
					   "directory.", a->dir, abs) >= 0)
				print_exception(FM_JCLS_ICE, msg);
			free(msg);
		}
		free(shown);
		free(abs);
		return rc ? 2 : 1;
	}
	const char *name = S_ISDIR(st.st_mode) ? conf_name(p, a->dir, cmd == C_MIGRATE) : NULL;
	if (!name) {
		if (cmd == C_MIGRATE && p->yaml_fallback) {
			print_exception("java.lang.IllegalStateException", NULL); /* checkState */
			return 1;
		}
		const char *want = cmd == C_MIGRATE || (!p->yaml_only && !p->yaml_fallback) ? "flink-conf.yaml"
											      : "config.yaml";
		int rc = file_paths(a->dir, want, &shown, &abs);
		fm_jchain ch = {0};
		if (!rc && fm_missing_file_chain(shown, abs, &ch) == FM_OK)
			print_chain(&ch);
		fm_jchain_release(&ch);
		free(shown);
		free(abs);
		return rc ? 2 : 1;
	}
	if (file_paths(a->dir, name, &shown, &abs)) {
		free(shown);
		return 2;
	}
	fm_cw_input in = {.profile = p, .abs_path = abs, .dyn = a->dyn, .ndyn = cmd == C_MIGRATE ? 0 : a->ndyn,
			  .rm_key = a->rm_key, .nrm_key = a->nrm_key, .rm_kv = a->rm_kv, .nrm_kv = a->nrm_kv,
			  .rep_kv = a->rep_kv, .nrep_kv = a->nrep_kv, .flatten = a->flatten};
	fm_jchain err = {0};
	if (cmd == C_UPDATE && fm_cw_check_args(&in, &err) != FM_OK) {
		print_chain(&err);
		fm_jchain_release(&err);
		free(shown);
		free(abs);
		return 1;
	}
	/* The file alone: -D is applied by the simulation (UPDATE_AND_GET) or
	 * below (memory). BashJavaUtils never reads FLINK_PROPERTIES. */
	unsetenv("FLINK_PROPERTIES");
	char vbuf[32];
	snprintf(vbuf, sizeof vbuf, "%s", p->name);
	cli_conf cc = {.path = shown, .version = vbuf};
	if (strcmp(name, "flink-conf.yaml") == 0 && p->yaml_only)
		cc.version = "1.20"; /* 2.x migration still reads the legacy file */
	int rc = cli_conf_load(&cc);
	fm_tm_result tr = {0};
	fm_jm_result jr = {0};
	fm_conf *full = NULL;
	size_t ylen = 0;
	char *ytext = NULL;
	if (rc)
		goto done;
	in.file = cc.conf;
	in.standard = p->yaml_only || strcmp(name, "config.yaml") == 0;
	if (in.standard && cmd != C_MIGRATE) {
		ytext = cli_read_file(shown, &ylen);
		in.yaml = ytext;
		in.yaml_len = ylen;
	}
	bool modern = p->yaml_only || p->yaml_fallback;
	if (modern)
		fm_buf_addf(out, "INFO  [] - Using %s YAML parser to load flink configuration file from %s.\n",
			    strcmp(name, "config.yaml") == 0 ? "standard" : "legacy", abs);
	in.shown = shown;
	in.parse_logs = &cc.load_logs;
	if (cc.load_err.n || (cmd == C_MIGRATE && p->yaml_only))
		add_logs(out, &cc.load_logs); /* no property lines follow */
	if (cc.load_err.n) {
		if (marked_yaml_error(&cc.load_err))
			fm_buf_addf(out, "ERROR [] - Failed to parse YAML configuration\n");
		cli_write(out->data, out->len);
		print_chain(&cc.load_err);
		rc = 1;
		goto done;
	}
	if (!(cmd == C_MIGRATE && p->yaml_only)) {
		fm_logs ll = FM_LOGS_INIT;
		if (fm_cw_load_logs(&in, &ll) != FM_OK) {
			fm_logs_release(&ll);
			rc = 2;
			goto done;
		}
		add_logs(out, &ll);
		fm_logs_release(&ll);
	}
	if (cmd == C_UPDATE || cmd == C_MIGRATE) {
		fm_buf lines = FM_BUF_INIT;
		int wrc = cmd == C_UPDATE ? fm_cw_update_and_get(&in, RESULT, &lines, &err)
					  : fm_cw_migrate(&in, RESULT, &lines, &err);
		if (wrc == FM_ESYNTAX) {
			cli_write(out->data, out->len);
			print_chain(&err);
			rc = 1;
		} else if (wrc != FM_OK) {
			cli_err("out of memory");
			rc = 2;
		} else {
			fm_buf_add(out, lines.data ? lines.data : "", lines.len);
			rc = cli_write(out->data, out->len);
		}
		fm_buf_release(&lines);
		fm_jchain_release(&err);
		goto done;
	}
	/* Memory commands: the file plus -D (a bare -Dkey means key=true). */
	full = fm_conf_dup(cc.conf);
	for (size_t i = 0; full && i < a->ndyn; i++) {
		const char *d = a->dyn[i];
		char *kv = NULL;
		if (asprintf(&kv, "%s%s", d, strchr(d, '=') ? "" : "=true") < 0)
			break;
		fm_diag dg = FM_DIAG_INIT;
		if (fm_conf_add_dynamic(full, kv, strlen(kv), &dg) != FM_OK)
			cli_err("ignoring -D%s: %s", d, dg.msg ? dg.msg : "bad -D");
		fm_diag_release(&dg);
		free(kv);
	}
	if (!full) {
		rc = 2;
		goto done;
	}
	const fm_jchain *failure = NULL;
	const fm_logs *logs = NULL;
	bool tm = cmd != C_JM;
	if (tm) {
		if (fm_derive_tm(full, p, &cc.env, &tr) != FM_OK) {
			rc = 2;
			goto done;
		}
		logs = &tr.logs;
		if (tr.outcome == FM_FLINK_ERROR)
			failure = &tr.err;
	} else {
		if (fm_derive_jm(full, p, &cc.env, &jr) != FM_OK) {
			rc = 2;
			goto done;
		}
		logs = &jr.logs;
		if (jr.outcome == FM_FLINK_ERROR)
			failure = &jr.err;
	}
	add_logs(out, logs);
	if (failure) {
		cli_write(out->data, out->len);
		print_chain(failure);
		rc = 1;
		goto done;
	}
	fm_buf blk = FM_BUF_INIT;
	if (tm)
		fm_render_tm_log(&blk, &tr.l);
	else
		fm_render_jm_log(&blk, &jr.l);
	add_info_block(out, blk.data);
	fm_buf_release(&blk);
	if (cmd == C_TM || cmd == C_TM_JVM)
		fm_buf_addf(out, RESULT "%s\n", tr.l.jvm_args);
	if (cmd == C_TM || cmd == C_TM_DYN)
		fm_buf_addf(out, RESULT "%s\n", tr.l.dynamic_configs);
	if (cmd == C_JM) {
		fm_buf_addf(out, RESULT "%s\n", jr.l.jvm_args);
		if (jr.l.dynamic_configs)
			fm_buf_addf(out, RESULT "%s\n", jr.l.dynamic_configs);
	}
	rc = cli_write(out->data ? out->data : "", out->len);
done:
	fm_conf_free(full);
	free(ytext);
	fm_tm_result_release(&tr);
	fm_jm_result_release(&jr);
	cli_conf_release(&cc);
	free(shown);
	free(abs);
	return rc;
}

int cmd_bash_java_utils(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "--help") == 0) {
		/* the first line names every option: the completions are read from it */
		fputs("usage: flinkmem bash-java-utils CMD --configDir DIR [-Dk=v] [--flink-version V]\n"
		      "  CMD: GET_TM_RESOURCE_PARAMS, GET_JM_RESOURCE_PARAMS,\n"
		      "       UPDATE_AND_GET_FLINK_CONFIGURATION [-flatten] [-rmKey K] [-rmKV K=V]\n"
		      "                                          [-repKV K,OLD,NEW],\n"
		      "       MIGRATE_LEGACY_FLINK_CONFIGURATION_TO_STANDARD_YAML,\n"
		      "       GET_TM_RESOURCE_JVM_PARAMS, GET_TM_RESOURCE_DYNAMIC_CONFIGS (1.10)\n"
		      "  -D is repeatable; the release: --flink-version, else FLINKMEM_FLINK_VERSION,\n"
		      "  else the distribution's flink-dist jar, else the conf dir's files.\n",
		      argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	size_t i = 0;
	while (i < sizeof(commands) / sizeof(*commands) && strcmp(commands[i].name, argv[1]) != 0)
		i++;
	args a = {0};
	a.version = getenv("FLINKMEM_FLINK_VERSION");
	if (a.version && !*a.version)
		a.version = NULL;
	bool update = i < sizeof(commands) / sizeof(*commands) && commands[i].cmd == C_UPDATE;
	if (parse_args(argc, argv, update, &a)) {
		args_release(&a);
		cli_err("out of memory");
		return 2;
	}
	int rc;
	if (i == sizeof(commands) / sizeof(*commands)) {
		/* Command.valueOf: the enum of the release the dir belongs to */
		char *why = NULL;
		const fm_profile *p = a.dir ? pick_profile(&a, &why) : NULL;
		free(why);
		fprintf(stderr, "Exception in thread \"main\" java.lang.IllegalArgumentException: No enum constant "
				"org.apache.flink.runtime.util.%sBashJavaUtils.Command.%s\n",
			p && p->order < 1110 ? "" : "bash.", argv[1]);
		rc = 1;
	} else {
		fm_buf out = FM_BUF_INIT;
		rc = run(commands[i].cmd, argv[1], &a, &out);
		fm_buf_release(&out);
	}
	args_release(&a);
	return rc;
}
