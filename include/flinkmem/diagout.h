/* diagout — renders a diagnosis: text for people (root cause first, the
 * evidence as file:line with log text already escaped, the fix as a config
 * snippet with the before/after layout), the JSON of DESIGN §4 (our own
 * writer: exact int64, stable key order) and a one-page HTML report. Writes into an fm_buf; never
 * prints. Thread-safe. */
#ifndef FLINKMEM_DIAGOUT_H
#define FLINKMEM_DIAGOUT_H

#include <stdbool.h>

#include "flinkmem/buf.h"
#include "flinkmem/diagnose.h"

int fm_render_diagnose_text(fm_buf *b, const fm_dx_result *r, bool color);
int fm_render_diagnose_json(fm_buf *b, const fm_dx_result *r);
/* A self-contained HTML page (all log text HTML-escaped). */
int fm_render_diagnose_html(fm_buf *b, const fm_dx_result *r);
/* "PATH:LINE:COL: message" or "PATH: message" (no newline). */
int fm_dx_input_msg_text(fm_buf *b, const fm_dx_input_msg *m);
/* 1 when a memory failure was found (a root-cause incident), else 0. */
int fm_diagnose_exit_status(const fm_dx_result *r);
#endif
