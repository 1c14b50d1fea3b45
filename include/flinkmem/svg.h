/* svg — the memory layout as a picture: for each process (TaskManager,
 * JobManager) nested stacked bars, total process memory on top, split into
 * Flink memory / JVM metaspace / JVM overhead, Flink memory split into its
 * components; one set of bars per side (one for `show`, before and after
 * for `plan` and `diagnose --format html`) on a common scale so lengths
 * compare; every bar drawn is labelled with its name and size, inside when
 * it is wide enough, else below the row on a leader line (lanes chosen so
 * that no label overlaps another and no leader crosses a label), and
 * carries a <title> tooltip; a table below gives every size with its exact
 * bytes, and the change between two sides (changes under 1 MiB, side
 * effects of fractions, in grey, not as a change) or, for one side, each
 * component's share of the process. Self-contained SVG 1.1 with no
 * scripts or external references; all text through escape.h's HTML/XML
 * rule.
 * Writes into an fm_buf; never prints. Thread-safe. */
#ifndef FLINKMEM_SVG_H
#define FLINKMEM_SVG_H

#include <stddef.h>

#include "flinkmem/buf.h"
#include "flinkmem/derive.h"

/* One configuration's layouts. tm/jm NULL: that process is not drawn.
 * A side whose outcome is FM_FLINK_ERROR or FM_UNSUPPORTED is drawn as
 * its message instead of bars. */
typedef struct fm_svg_side {
	const char *label; /* "before", "after"; NULL for a single side */
	const fm_tm_result *tm;
	const fm_jm_result *jm;
} fm_svg_side;

#define FM_SVG_MAX_SIDES 4

/* Appends a whole SVG document. title: the heading (may be NULL).
 * 1 <= nsides <= FM_SVG_MAX_SIDES. Returns FM_OK, FM_ENOMEM/FM_ETOOBIG
 * from the buffer, or FM_EUSAGE for a bad side count. */
int fm_render_svg(fm_buf *b, const char *title, const fm_svg_side *sides, size_t nsides);

/* FM_SVG_INLINE: an <svg> element to put inside an HTML page: no XML
 * declaration, scales down to the width of its container. */
#define FM_SVG_INLINE 1u
int fm_render_svg_ex(fm_buf *b, const char *title, const fm_svg_side *sides, size_t nsides, unsigned flags);

#endif
