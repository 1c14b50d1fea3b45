/* patch — comment-preserving edits of a user's config file, a unified diff
 * of the result. Writing the result is atomicfile's job.
 *
 * Owns: locating keys in the original bytes (the legacy flink-conf.yaml by
 * Flink's line rules; config.yaml and FlinkDeployment YAML through a small
 * libyaml DOM that keeps byte spans), turning a change set into byte-range
 * replacements that touch only the edited value spans, inserted lines and
 * removed entries, and checking the result by re-reading it with the real
 * readers (fm_conf_load_flat / fm_conf_load_yaml / fm_k8s_load): an edit
 * whose result would read back as anything other than "the original plus
 * exactly these changes" is refused, never written.
 * Untouched bytes stay untouched: comments, order, blank lines, quoting,
 * CRLF line ends. Does not choose what to change (plan does).
 * Thread-safe; no global state; never touches the file system. */
#ifndef FLINKMEM_PATCH_H
#define FLINKMEM_PATCH_H

#include <stddef.h>
#include <stdint.h>

#include "flinkmem/buf.h"
#include "flinkmem/conf.h"
#include "flinkmem/diag.h"

typedef enum fm_patch_fmt {
	FM_PATCH_FLAT, /* legacy flink-conf.yaml (line parser) */
	FM_PATCH_YAML, /* config.yaml, flat dotted or nested keys */
	FM_PATCH_K8S,  /* FlinkDeployment: spec.flinkConfiguration, resource.memory */
} fm_patch_fmt;

/* One change: value NULL removes the key. Strings are borrowed. */
typedef struct fm_edit {
	const char *key;
	const char *value;
} fm_edit;

/* Input caps: larger files or more edits are FM_ETOOBIG. */
#define FM_PATCH_MAX_BYTES ((size_t)64 << 20)
#define FM_PATCH_MAX_EDITS 4096

/* Applies edits to data[0..len) in the given format and appends the new
 * file to out. path names the file in messages (may be NULL). k8s_doc picks
 * the FlinkDeployment (0-based, in the order fm_k8s_load returns them;
 * ignored for the other formats).
 *
 * Where an edit goes:
 *  - an existing key (the entry Flink reads, i.e. the last one): only its
 *    value span changes; a trailing comment stays; quoting style is kept
 *    when the value was quoted, and added only when a plain scalar would
 *    read back differently (e.g. "0.40" or "null");
 *  - a new key: flink-conf.yaml -> after the last line sharing the longest
 *    dotted prefix, else at the end; YAML -> inside the deepest existing
 *    block mapping on its dotted path, with that mapping's indentation
 *    (again after the closest related entry), as the remaining dotted key;
 *    FlinkDeployment -> under spec.flinkConfiguration (created when absent);
 *  - {taskmanager,jobmanager}.memory.process.size of a FlinkDeployment whose
 *    role sets resource.memory -> that resource.memory value (the operator
 *    overrides process.size with it), in the units style already used there;
 *  - a removed key: every entry of it is deleted (a mapping emptied by this
 *    goes too); full-line comments inside deleted lines are kept.
 * notes (may be NULL) gets one "INFO ..." line per edit saying where it
 * went. Errors (d filled, nothing appended): FM_EINVAL for a value the
 * format cannot hold (a '#' or line break in flink-conf.yaml), a key whose
 * value is a mapping/sequence/alias, an entry that cannot be removed
 * without rewriting its neighbours, or a result that does not read back
 * as intended; FM_ESYNTAX when the original does not parse; FM_ETOOBIG;
 * FM_ENOMEM. */
int fm_patch_apply(fm_patch_fmt fmt, const char *path, const char *data, size_t len, size_t k8s_doc,
		   const fm_edit *edits, size_t n, fm_buf *out, fm_logs *notes, fm_diag *d);

/* Unified diff of a -> b, line by line (a line keeps its own \n or \r\n),
 * with "--- a/NAME" / "+++ b/NAME" headers, 3 lines of context, hunks
 * merged when their context touches, and "\ No newline at end of file"
 * where a side ends without one. Appends nothing when a equals b.
 * Returns FM_OK, FM_ENOMEM, or FM_ETOOBIG when the files differ in more
 * than a few thousand places (the edit distance search is capped). */
int fm_diff_unified(fm_buf *out, const char *name, const char *a, size_t alen, const char *b, size_t blen);

#endif
