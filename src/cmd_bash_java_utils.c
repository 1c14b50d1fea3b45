/* cmd_bash_java_utils — a drop-in for Flink's BashJavaUtils as the start
 * scripts call it:
 *   flinkmem bash-java-utils GET_TM_RESOURCE_PARAMS|GET_JM_RESOURCE_PARAMS
 *            --configDir DIR [-Dk=v | -D k=v]...
 * It prints the BASH_JAVA_UTILS_EXEC_RESULT: lines on stdout after the log
 * lines, and on failure the exception the way the JVM reports an uncaught
 * one (stderr, exit 1). The release is taken from FLINKMEM_FLINK_VERSION
 * or --flink-version, else detected from the conf dir. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int cmd_bash_java_utils(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "--help") == 0) {
		fputs("usage: flinkmem bash-java-utils GET_TM_RESOURCE_PARAMS|GET_JM_RESOURCE_PARAMS "
		      "--configDir DIR [-Dkey=value]... [--flink-version V]\n",
		      argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	bool tm;
	if (strcmp(argv[1], "GET_TM_RESOURCE_PARAMS") == 0)
		tm = true;
	else if (strcmp(argv[1], "GET_JM_RESOURCE_PARAMS") == 0)
		tm = false;
	else {
		cli_err("bash-java-utils: unsupported command '%s'", argv[1]);
		return 2;
	}
	cli_conf cc = {0};
	const char **dyn = calloc((size_t)argc + 1, sizeof(*dyn));
	if (!dyn)
		return 2;
	cc.version = getenv("FLINKMEM_FLINK_VERSION");
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--configDir") == 0 && i + 1 < argc) {
			cc.path = argv[++i];
		} else if (strcmp(argv[i], "--flink-version") == 0 && i + 1 < argc) {
			cc.version = argv[++i];
		} else if (strcmp(argv[i], "-D") == 0 && i + 1 < argc) {
			dyn[cc.ndynamic++] = argv[++i];
		} else if (strncmp(argv[i], "-D", 2) == 0 && argv[i][2]) {
			dyn[cc.ndynamic++] = argv[i] + 2;
		} else {
			cli_err("bash-java-utils: unexpected argument '%s'", argv[i]);
			free(dyn);
			return 2;
		}
	}
	if (!cc.path) {
		cli_err("bash-java-utils: --configDir DIR is required");
		free(dyn);
		return 2;
	}
	cc.dynamic = dyn;
	cc.conf_dir_only = true; /* --configDir FILE fails as in Flink */
	int rc = cli_conf_load(&cc);
	fm_buf out = FM_BUF_INIT, err = FM_BUF_INIT;
	fm_tm_result tr = {0};
	fm_jm_result jr = {0};
	if (rc)
		goto done;
	for (size_t i = 0; i < cc.load_logs.n; i++)
		fm_buf_addf(&out, "%s\n", cc.load_logs.v[i]);
	const fm_jchain *failure = cc.load_err.n ? &cc.load_err : NULL;
	const fm_logs *logs = NULL;
	if (!failure && tm) {
		if (fm_derive_tm(cc.conf, cc.profile, &cc.env, &tr) != FM_OK) {
			rc = 2;
			goto done;
		}
		logs = &tr.logs;
		if (tr.outcome == FM_FLINK_ERROR)
			failure = &tr.err;
	} else if (!failure) {
		if (fm_derive_jm(cc.conf, cc.profile, &cc.env, &jr) != FM_OK) {
			rc = 2;
			goto done;
		}
		logs = &jr.logs;
		if (jr.outcome == FM_FLINK_ERROR)
			failure = &jr.err;
		if (jr.outcome == FM_UNSUPPORTED) {
			cli_err("Flink %s has no GET_JM_RESOURCE_PARAMS: %s", cc.profile->name, jr.unsupported);
			rc = 2;
			goto done;
		}
	}
	for (size_t i = 0; logs && i < logs->n; i++)
		fm_buf_addf(&out, "%s\n", logs->v[i]);
	if (failure) {
		fm_render_jchain(&err, failure, "Exception in thread \"main\" ");
		rc = 1;
	} else if (tm) {
		fm_buf_adds(&out, "INFO ");
		fm_render_tm_log(&out, &tr.l);
		fm_buf_addf(&out, "BASH_JAVA_UTILS_EXEC_RESULT:%s\nBASH_JAVA_UTILS_EXEC_RESULT:%s\n", tr.l.jvm_args,
			    tr.l.dynamic_configs);
	} else {
		fm_buf_adds(&out, "INFO ");
		fm_render_jm_log(&out, &jr.l);
		fm_buf_addf(&out, "BASH_JAVA_UTILS_EXEC_RESULT:%s\n", jr.l.jvm_args);
		if (jr.l.dynamic_configs)
			fm_buf_addf(&out, "BASH_JAVA_UTILS_EXEC_RESULT:%s\n", jr.l.dynamic_configs);
	}
	if (cli_write(out.data ? out.data : "", out.len))
		rc = 2;
	if (err.len)
		fputs(err.data, stderr);
done:
	fm_buf_release(&out);
	fm_buf_release(&err);
	fm_tm_result_release(&tr);
	fm_jm_result_release(&jr);
	cli_conf_release(&cc);
	free(dyn);
	return rc;
}
