/* lintcfg — what `flinkmem check` is told to report, as linters do it:
 * rule selections (`--enable`/`--disable` lists, the project file
 * `.flinkmem.yaml`) and inline suppression comments in the checked files
 * (`# flinkmem: disable=FM012`). Parses bytes it is given; finding and
 * reading the files is the CLI's job. Owns no global state; thread-safe.
 * Rule ids are checked against fm_lint_rules: an unknown id is an error
 * with its position, never silently ignored. */
#ifndef FLINKMEM_LINTCFG_H
#define FLINKMEM_LINTCFG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "flinkmem/diag.h"
#include "flinkmem/lint.h"

/* A set of rules, by index in the fm_lint_rules table. */
#define FM_RULES_CAP 256
typedef struct fm_rule_set {
	uint64_t bits[FM_RULES_CAP / 64];
} fm_rule_set;

bool fm_rule_set_has(const fm_rule_set *s, const fm_rule_doc *r);
void fm_rule_set_add(fm_rule_set *s, const fm_rule_doc *r);
bool fm_rule_set_empty(const fm_rule_set *s);

/* Adds the rules of a list "FM012,FM013" (commas and/or blanks between
 * ids; "all" for every rule; ids are case-insensitive) to out. An unknown
 * id: FM_EINVAL with d->msg naming it (d->col its 1-based column in list).
 * FM_OK or FM_EINVAL. */
int fm_rule_ids_parse(const char *list, size_t len, fm_rule_set *out, fm_diag *d);

/* The project file `.flinkmem.yaml`:
 *   disable: [FM020, FM060]      (a list, or one string "FM020,FM060")
 *   enable: [FM060]              (turns a rule disabled above back on)
 *   fail-on: error|warning|note
 *   flink-version: "1.18"
 *   severity: {FM020: error}     (a rule's severity in this project)
 *   ignore: ["legacy/x.yaml", "old-*"]  (fnmatch patterns, relative to its dir)
 * Unknown keys and wrong types are errors (a typo must not turn a rule
 * set off silently). */
typedef struct fm_lintcfg {
	fm_rule_set disable, enable;
	bool has_fail_on;
	fm_severity fail_on;
	char *flink_version;           /* NULL when not given */
	struct fm_lintcfg_sev {
		const fm_rule_doc *rule;
		fm_severity severity;
	} *sev;
	size_t nsev;
	char **ignore;
	size_t nignore;
} fm_lintcfg;

/* Parses data (the bytes of file, which names it in errors). FM_OK;
 * FM_ESYNTAX or FM_EINVAL with d (file, line, col, key, message);
 * FM_ENOMEM. out is zeroed first and must be released either way. */
int fm_lintcfg_parse(const char *file, const char *data, size_t len, fm_lintcfg *out, fm_diag *d);
void fm_lintcfg_release(fm_lintcfg *c);

/* "error", "warning", "note" -> severity; false for anything else. */
bool fm_severity_parse(const char *s, fm_severity *out);
const char *fm_severity_name(fm_severity s);

/* Inline suppressions of one file: comments
 *   # flinkmem: disable=FM012[,FM013] [reason]       a line
 *   # flinkmem: disable-file=FM060[,...] [reason]    the whole file
 * A `disable` comment after a value silences findings on its own line;
 * one on a line of its own silences the next line that is not blank and
 * not a comment. */
typedef struct fm_suppression {
	uint32_t at;         /* line of the comment */
	uint32_t target;     /* the line it silences; 0: the whole file */
	fm_rule_set rules;
	char *why;           /* the text after the ids, or NULL */
} fm_suppression;

typedef struct fm_suppressions {
	fm_suppression *v;
	size_t n, cap;
} fm_suppressions;

/* Scans data for suppression comments. A comment that starts
 * "flinkmem:" but is not a valid directive (unknown verb, unknown id, no
 * ids) is an error: FM_EINVAL with d (file, line, col). FM_OK, FM_ENOMEM. */
int fm_suppressions_scan(const char *file, const char *data, size_t len, fm_suppressions *out, fm_diag *d);
void fm_suppressions_release(fm_suppressions *s);

/* Marks the findings a suppression of file covers: those with that file
 * (by name) on the target line, or anywhere in it (also findings with no
 * file, which are about the whole config) for file scope. Sets
 * suppressed_at, suppressed_file, suppressed_why. FM_OK or FM_ENOMEM. */
int fm_suppressions_apply(const fm_suppressions *s, const char *file, fm_findings *f);

/* Drops the findings of rules not in enabled and applies the severity
 * overrides (sev, nsev; may be 0); a finding whose severity changed moves
 * to its new severity's place (stable). Else the order is kept. */
void fm_findings_select(fm_findings *f, const fm_rule_set *enabled, const struct fm_lintcfg_sev *sev, size_t nsev);

#endif
