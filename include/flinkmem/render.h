/* render — turns derivation results into text for people and programs:
 * the text tree, the JSON document of DESIGN §4 (our own writer: exact
 * int64, stable key order), Flink's own "Final ... Memory configuration"
 * log block and BashJavaUtils' result lines. Writes into an fm_buf; never
 * prints. Thread-safe. */
#ifndef FLINKMEM_RENDER_H
#define FLINKMEM_RENDER_H

#include <stdbool.h>

#include "flinkmem/buf.h"
#include "flinkmem/derive.h"
#include "flinkmem/options.h"

/* One configuration source shown in every output. */
typedef struct fm_source_note {
	const char *kind;   /* "flink-conf.yaml", "config.yaml", "-D", "FLINK_PROPERTIES", "builtin" ... */
	const char *detail; /* path or text */
} fm_source_note;

typedef struct fm_show {
	const fm_profile *profile;
	const char *profile_reason;  /* "--flink-version 1.16", "detected: config.yaml", "default" */
	const fm_source_note *sources;
	size_t nsources;
	const fm_tm_result *tm;      /* NULL = not requested */
	const fm_jm_result *jm;
	const char *release;         /* the release as requested or detected ("1.17",
					"1.17.2"); NULL: the profile's name */
} fm_show;

/* The JSON envelope (docs/output-formats.md): every JSON document flinkmem
 * prints starts with the same members, so one reader handles them all. */
#define FM_SCHEMA_VERSION 1
/* Longest fm_profile_span result, with its NUL. */
#define FM_PROFILE_SPAN_MAX 40

/* The releases a profile covers, short: "1.17-1.18", "1.16", "1.12.2-1.12.7"
 * (a whole release line is named without its patch, a line shared with
 * another profile keeps it). Into out[FM_PROFILE_SPAN_MAX]. */
void fm_profile_span(const fm_profile *p, char *out);
/* Writes the members `"flinkmem":V,"schemaVersion":N,"command":C` and, with
 * a profile, `,"flinkVersion":R,"profile":S` (R: release, else the
 * profile's name; S: fm_profile_span). No braces: the caller opens the
 * object and goes on with its own members after a comma. */
int fm_json_envelope(fm_buf *b, const char *command, const fm_profile *p, const char *release);
/* "Flink R (rules of the S profile)" for text output (R and S as above;
 * the release is echoed, so it goes through the terminal rule). */
int fm_text_release(fm_buf *b, const fm_profile *p, const char *release);

int fm_render_show_text(fm_buf *b, const fm_show *s, bool color);
/* The same for a terminal of width columns (0: no limit, the same as
 * fm_render_show_text): below the full table's 98 columns the bytes column
 * is left out (sizes and shares stay). Pass the result through
 * fm_text_wrap for the long lines (JVM flags, messages). */
int fm_render_show_text_w(fm_buf *b, const fm_show *s, bool color, size_t width);

/* Appends text (n bytes) with every line longer than width columns broken
 * at blanks (a word longer than a line is cut); a continuation line is
 * indented under the value of a "  Label:   value" line, else 4 columns
 * deeper than the line. Columns count UTF-8 characters; ANSI colour
 * sequences count none. width 0: copied unchanged. */
int fm_text_wrap(fm_buf *b, const char *text, size_t n, size_t width);
int fm_render_show_json(fm_buf *b, const fm_show *s);
/* One side as the JSON object `show` prints for it (DESIGN §4): the layout,
 * {"error":...} or {"unsupported":...}; shared by plan and diagnose. */
int fm_render_tm_json(fm_buf *b, const fm_tm_result *r);
int fm_render_jm_json(fm_buf *b, const fm_jm_result *r);
/* Flink's "Final TaskExecutor Memory configuration:" block (no log prefix). */
int fm_render_tm_log(fm_buf *b, const fm_tm_layout *l);
int fm_render_jm_log(fm_buf *b, const fm_jm_layout *l);
/* Java-style exception text: "cls: msg" then "Caused by: cls: msg" lines. */
int fm_render_jchain(fm_buf *b, const fm_jchain *c, const char *first_prefix);
/* A JSON number from an int64, written digit by digit (never via double). */
int fm_json_int(fm_buf *b, int64_t v);
/* s as a JSON string literal, or null for NULL. */
int fm_json_str(fm_buf *b, const char *s);

#endif
