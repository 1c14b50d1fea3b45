/* cli — shared pieces of the command-line front end: the subcommand entry
 * points, config assembly from -c/-D/environment (the only place that
 * reads the environment), and error printing. */
#ifndef FLINKMEM_CLI_H
#define FLINKMEM_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include "flinkmem/conf.h"
#include "flinkmem/conf_k8s.h"
#include "flinkmem/derive.h"
#include "flinkmem/render.h"

int cmd_show(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_plan(int argc, char **argv);
int cmd_diagnose(int argc, char **argv);
int cmd_bash_java_utils(int argc, char **argv);

/* What the user gave and what we assembled from it. */
typedef struct cli_conf {
	/* inputs */
	const char *path;         /* -c, or FLINK_CONF_DIR; NULL = shipped defaults */
	const char **dynamic;     /* -D values "key=value" */
	size_t ndynamic;
	const char *version;      /* --flink-version */
	const char *name;         /* --name: the FlinkDeployment of a CR file */
	size_t k8s_index;         /* with k8s_index_set: that FlinkDeployment */
	bool k8s_index_set;       /*   (check walks them all), no multi-doc note */
	bool k8s_jobs_ok;         /* a file with only FlinkSessionJobs is no error */
	/* outputs */
	const fm_profile *profile;
	char *reason;             /* why this profile */
	fm_conf *conf;
	fm_logs load_logs;        /* WARNs of the legacy parser */
	fm_jchain load_err;       /* Flink's own load failure (both sides fail with it) */
	fm_derive_env env;
	/* -c is a FlinkDeployment / FlinkSessionJob file: */
	bool is_k8s;
	fm_k8s_set k8s;           /* every object of the file */
	const fm_k8s_doc *k8s_doc; /* the one whose configuration is in conf */
	fm_diag k8s_rejected[2];  /* JM, TM resource.memory the operator refuses */
	fm_source_note notes[8];
	char *note_text[8];
	size_t nnotes;
} cli_conf;

/* For show and plan: when the operator refuses the CR's resource.memory,
 * prints it as `flinkmem: FILE:L:C: message (key)` and returns 1; else 0. */
int cli_conf_k8s_refused(const cli_conf *cc);

/* Assembles the configuration. Returns 0, or 2 after printing a one-line
 * error (unreadable input, bad -D, unknown version). */
int cli_conf_load(cli_conf *cc);
void cli_conf_release(cli_conf *cc);

/* Release detection from the distribution (FLINK_LIB_DIR, else
 * FLINK_HOME/lib, else conf_dir/../lib: flink-dist-<version>.jar); sets
 * cc->profile and cc->reason when found. cli_conf_load runs it before the
 * file-name rule. conf_dir may be NULL. */
void cli_conf_detect_release(cli_conf *cc, const char *conf_dir);

/* Reads a whole file (capped); NULL with errno set on failure. */
char *cli_read_file(const char *path, size_t *len);

/* "flinkmem: <formatted>" on stderr. */
void cli_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Writes the buffer to stdout; 0 or 2 on a write error. */
int cli_write(const char *data, size_t len);

bool cli_color(void);

#endif
