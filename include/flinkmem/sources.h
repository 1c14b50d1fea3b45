/* sources — assembling the configuration the way Flink's start scripts do:
 * the file chosen by the release's rule (flink-conf.yaml and/or
 * config.yaml), then `-D key=value` on top, plus FLINK_PROPERTIES as the
 * official Docker image applies it. Failures Flink itself reports (missing
 * config file, YAML that does not load) come back as a Java exception
 * chain, so `show` prints them exactly like BashJavaUtils would.
 * Never reads the environment: callers pass values in. */
#ifndef FLINKMEM_SOURCES_H
#define FLINKMEM_SOURCES_H

#include <stddef.h>

#include "flinkmem/conf.h"
#include "flinkmem/derive.h"
#include "flinkmem/options.h"

typedef enum fm_fmt { FM_FMT_FLAT, FM_FMT_YAML } fm_fmt;

/* Loads text in the given format. For FM_FMT_YAML a load failure is
 * returned as FM_ESYNTAX with d->jclass/jmsg set to the cause Flink shows. */
int fm_conf_load_text(fm_conf *c, fm_fmt fmt, const char *path, const char *data, size_t len,
		      const fm_profile *p, fm_logs *logs, fm_diag *d);

/* One -D argument "key=value" (split at the first '='; Flink's CLI does
 * the same). FM_EUSAGE when there is no '=' or the key is empty. */
int fm_conf_add_dynamic(fm_conf *c, const char *arg, size_t len, fm_diag *d);

/* FLINK_PROPERTIES as docker-entrypoint.sh applies it: up to 1.18 the text
 * is appended to flink-conf.yaml (same line rules); from 1.19 each line
 * loses all whitespace and is split at the first ':' into a -D pair. */
int fm_conf_add_flink_properties(fm_conf *c, fm_fmt fmt, const char *text, const fm_profile *p,
				 fm_logs *logs, fm_diag *d);

/* The Java exception chain for a config that cannot be loaded, as the
 * TM/JM side reports it: RuntimeException "Error parsing YAML
 * configuration." around d's cause, or the "does not exist" error. */
int fm_load_error_chain(const fm_diag *d, fm_jchain *out);

/* "The Flink config file '<dir>/<name>' (<abs>) does not exist." */
int fm_missing_file_chain(const char *shown, const char *abs, fm_jchain *out);

#endif
