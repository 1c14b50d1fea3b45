/* confwrite — the configuration file Flink's BashJavaUtils writes back
 * (UPDATE_AND_GET_FLINK_CONFIGURATION, MIGRATE_LEGACY_FLINK_CONFIGURATION_
 * TO_STANDARD_YAML), and the "Loading configuration property" lines its
 * configuration loader logs on the way.
 *
 * Flink keeps the configuration in a java.util.HashMap, so both the log
 * lines and the written file follow HashMap iteration order; the nested
 * config.yaml is snakeyaml-engine's block dump of that order (first seen
 * parent first), with its scalar quoting rules (YAML 1.2 Core schema: a
 * string that would read back as a number, bool or null is quoted).
 * This module simulates the map (capacity growth, bucket order, putAll
 * pre-sizing) and the emitter; it knows nothing about memory.
 *
 * Never prints, exits or reads the environment; thread-safe. */
#ifndef FLINKMEM_CONFWRITE_H
#define FLINKMEM_CONFWRITE_H

#include <stdbool.h>
#include <stddef.h>

#include "flinkmem/buf.h"
#include "flinkmem/conf.h"
#include "flinkmem/derive.h"
#include "flinkmem/options.h"

typedef struct fm_cw_input {
	const fm_profile *profile;
	/* The file as loaded (entries only from the file). */
	const fm_conf *file;
	/* true: the file was config.yaml (typed values, "standard YAML");
	 * yaml/yaml_len is its text, walked again for the key nesting. */
	bool standard;
	const char *yaml;
	size_t yaml_len;
	const char *abs_path;        /* the file's absolute path, for the log line */
	const char *shown;           /* the file as the reader's WARNs name it */
	const fm_logs *parse_logs;   /* the reader's WARN lines ("LEVEL message") */
	/* -D arguments as given after "-D": "key=value", or "key" (= true). */
	const char *const *dyn;
	size_t ndyn;
	/* UPDATE_AND_GET's edits, as the option values were given:
	 * -rmKey KEY, -rmKV KEY=VALUE, -repKV KEY,OLD,NEW. */
	const char *const *rm_key;
	size_t nrm_key;
	const char *const *rm_kv;
	size_t nrm_kv;
	const char *const *rep_kv;
	size_t nrep_kv;
	bool flatten;                /* -flatten */
} fm_cw_input;

/* The log lines ("LEVEL message") GlobalConfiguration.loadConfiguration
 * prints for this input after its "Using ... parser" line: the reader's
 * WARNs, "Loading configuration property: k, v" per key (HashMap order
 * from 1.19; up to 1.18 in file order, interleaved with the WARNs) and
 * "Loading dynamic configuration property" per -D (1.19+), sensitive
 * values hidden. Appends to logs. FM_OK or FM_ENOMEM. */
int fm_cw_load_logs(const fm_cw_input *in, fm_logs *logs);

/* Flink's argument checks that fail before anything is loaded (a -repKV
 * without three values: ArrayIndexOutOfBoundsException). FM_OK, or
 * FM_ESYNTAX with err set. */
int fm_cw_check_args(const fm_cw_input *in, fm_jchain *err);

/* UPDATE_AND_GET_FLINK_CONFIGURATION: what BashJavaUtils prints, each
 * output line after prefix ("BASH_JAVA_UTILS_EXEC_RESULT:") and '\n'-
 * terminated, appended to out. A multi-line value of the flattened form is
 * one output line with line breaks inside, as in Flink. When Flink itself fails (a key that is both a value and
 * a parent, a short -repKV), err gets its exception and FM_ESYNTAX is
 * returned. Load logs are not included (see fm_cw_load_logs). */
int fm_cw_update_and_get(const fm_cw_input *in, const char *prefix, fm_buf *out, fm_jchain *err);

/* MIGRATE_LEGACY_FLINK_CONFIGURATION_TO_STANDARD_YAML: in->file is the
 * legacy flink-conf.yaml as loaded; the nested config.yaml lines. */
int fm_cw_migrate(const fm_cw_input *in, const char *prefix, fm_buf *out, fm_jchain *err);

/* One value as snakeyaml-engine dumps it alone (YamlParserUtils.
 * toYAMLString): "4" for an int, "'4'" for the string 4, "'*'" ...
 * Exposed for tests. */
int fm_cw_yaml_scalar(fm_buf *b, const char *text, size_t len, fm_vtype type);

/* One scalar inside a flow sequence or mapping, as the same dumper writes
 * a List's items (the text Flink stores for a YAML sequence value); key:
 * the scalar is a mapping key. */
int fm_cw_flow_scalar(fm_buf *b, const char *text, size_t len, fm_vtype type, bool key);

#endif
