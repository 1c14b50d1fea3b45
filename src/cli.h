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
int cmd_live(int argc, char **argv);
int cmd_diagnose(int argc, char **argv);
int cmd_bash_java_utils(int argc, char **argv);

/* What the user gave and what we assembled from it. */
typedef struct cli_conf {
	/* inputs */
	const char *path;         /* -c, or FLINK_CONF_DIR; NULL = shipped defaults */
	const char **dynamic;     /* -D values "key=value" */
	size_t ndynamic;
	const char *version;      /* --flink-version */
	bool version_fallback;    /* --flink-version-fallback: a release past the
				     profiles' range gets the nearest profile */
	const char *name;         /* --name: the FlinkDeployment of a CR file */
	const char *op_version;   /* --operator-version: the Kubernetes operator release */
	size_t k8s_index;         /* with k8s_index_set: that FlinkDeployment */
	bool k8s_index_set;       /*   (check walks them all), no multi-doc note */
	bool k8s_jobs_ok;         /* a file with only FlinkSessionJobs is no error */
	const fm_k8s_set *k8s_from; /* the objects of the CR file path, already read
				       (not owned): k8s_index picks from them */
	fm_k8s_doc_fn k8s_each;   /* a CR file's FlinkDeployments after the first go */
	void *k8s_each_ctx;       /*   here while it is read (fm_k8s_load_stream) */
	bool conf_dir_only;       /* path is a conf dir, even when it is a file (BashJavaUtils) */
	bool keep_image;          /* keep the config file's bytes (plan edits them) */
	/* outputs */
	const fm_profile *profile;
	char *reason;             /* why this profile */
	char *release;            /* the release as requested or detected (--flink-version,
				     spec.flinkVersion, flink-dist jar); NULL: none named */
	bool release_refused;     /* a detected release is out of range (error printed) */
	fm_conf *conf;
	fm_logs load_logs;        /* WARNs of the legacy parser */
	fm_jchain load_err;       /* Flink's own load failure (both sides fail with it) */
	char *load_file;          /*   and where it is: file, line, column */
	unsigned load_line, load_col;
	fm_derive_env env;
	bool embedded;            /* the config is embedded in a ConfigMap or Helm
				     values (conf_embed.h): image is a blanked copy */
	/* -c is a FlinkDeployment / FlinkSessionJob file: */
	bool is_k8s;
	fm_k8s_set k8s;           /* every object of the file */
	const fm_k8s_doc *k8s_doc; /* the one whose configuration is in conf */
	fm_diag k8s_rejected[2];  /* JM, TM resources the operator refuses */
	int k8s_op;               /* op_version as fm_k8s_operator_version reads it (0: main) */
	/* with keep_image: the one config file read, byte for byte as parsed
	 * (read once: what plan edits and compares before writing) */
	char *image_file;
	char *image;
	size_t image_len;
	bool image_flat;          /* read by the legacy line parser */
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
/* After cli_read_file failed: "PATH: cannot read: why" (the cap named). */
void cli_read_err(const char *path);

/* The profile for a --flink-version style release, or NULL after a
 * one-line error (older than 1.10, or newer than the newest profile). */
const fm_profile *cli_profile(const char *release);
/* The same, the error starting "WHERE: " (where may be NULL). */
const fm_profile *cli_profile_at(const char *release, const char *where);
/* The same; with fallback a release newer than the profiles' range gets the
 * nearest older profile and one older than 1.10 the oldest, and *fell (when
 * not NULL) says so in words for the profile reason (else NULL). */
const fm_profile *cli_profile_fb(const char *release, const char *where, bool fallback, const char **fell);

/* "Flink R (rules of the S profile)" into out[cap] for titles (R: release,
 * else the profile's name; S: fm_profile_span); escaped by the renderer. */
void cli_release_title(char *out, size_t cap, const fm_profile *p, const char *release);

/* "flinkmem: <formatted>" on stderr. */
void cli_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Writes the buffer to stdout; 0 or 2 on a write error. */
int cli_write(const char *data, size_t len);
/* A renderer's result: "out of memory" and 2 when render_rc is not 0,
 * else cli_write of the buffer. */
int cli_write_rendered(int render_rc, const fm_buf *b);
/* The same for plain text built from input without escaping of its own:
 * each line through the terminal rule of escape.h (cut at FM_TEXT_CAP). */
int cli_write_text(const char *data, size_t len);

/* Colour for output on stdout: a terminal, NO_COLOR unset or empty, TERM
 * not "dumb". */
bool cli_color(void);

/* The width text output should fit: COLUMNS (20 or more; 0: no limit),
 * else the terminal's when stdout is one, else CLI_WIDTH_DEFAULT (pipes and
 * files). Every command's text goes through it (docs/output-formats.md). */
#define CLI_WIDTH_DEFAULT 80
size_t cli_width(void);

/* Wraps text output to cli_width() in place (fm_text_wrap); 0, or 2
 * after "out of memory". */
int cli_fit_width(fm_buf *b);

/* live's HTTP helper flinkmem-http (src/http/): next to this binary (a
 * build tree, or an install that keeps them together), then in the
 * install's libexec directory, then on PATH. NULL when none is found
 * (*looked then names the places, static text). Owned by the caller. */
char *cli_http_helper(const char **looked);
/* The environment the helper runs with (libcurl reads proxies there). */
char *const *cli_environ(void);

/* diagnose's signature database, compiled at build time (tools/gen_hsdb.c,
 * generated hsdb_blob.c); length 0 when the build could not make one. */
extern const unsigned char fm_hsdb_blob[];
extern const size_t fm_hsdb_blob_len;

#endif
