/* escape — the one rule for putting text that came from input (config
 * keys and values, file names, --name, log lines, Flink messages echoing
 * them) into flinkmem's output, so that no input can steer a terminal or
 * break a strict JSON reader.
 *
 * Terminal text (fm_esc_text): printable ASCII and valid UTF-8 pass; a
 * backslash is shown as \\, a tab as \t, every other control byte (C0,
 * DEL), every byte that is not part of valid UTF-8, and every byte of the
 * characters that are valid UTF-8 but still act on a terminal or reorder
 * text (C1 controls U+0080..U+009F, bidi embeddings, overrides, isolates
 * and marks, line/paragraph separators) as \xNN: lower-case hex, one per
 * byte. Line breaks are escaped too: callers that print several lines
 * split first.
 *
 * JSON strings (fm_buf_add_json_str in buf.h) use the same classification:
 * invalid UTF-8 becomes U+FFFD (one per byte), controls and the steering
 * characters become \u00NN / \uNNNN, so the document is always valid UTF-8.
 *
 * HTML and XML text or attribute values (fm_esc_html): the terminal rule,
 * except that a backslash passes unchanged (log text the incidents already
 * escaped for the terminal keeps its look) and & < > " ' become entities.
 * The result is valid UTF-8 with no control character, so it is also fit
 * for XML 1.0 (inline SVG); no input can open a tag or a script.
 *
 * Never prints; thread-safe. */
#ifndef FLINKMEM_ESCAPE_H
#define FLINKMEM_ESCAPE_H

#include <stddef.h>
#include <stdint.h>

#include "flinkmem/buf.h"

/* Echoed input in terminal text is cut after this many bytes. */
#define FM_TEXT_CAP 2000
/* ... and a text of many lines after about this many bytes of output. */
#define FM_TEXT_LINES_CAP (8 * FM_TEXT_CAP)

/* Decodes the UTF-8 sequence at s[0..n): its length (1..4) and code point,
 * or 0 for an invalid, overlong, truncated or surrogate sequence. */
size_t fm_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp);

/* True for code points that are valid but act on a terminal or on the
 * order text is shown in (C1 controls, bidi controls, U+2028/U+2029). */
int fm_cp_steers(uint32_t cp);

/* Appends s[0..n) escaped for a terminal (the rule above). */
int fm_esc_text(fm_buf *b, const char *s, size_t n);

/* Appends s[0..n) as JSON string content (what fm_buf_add_json_str does). */
int fm_esc_json(fm_buf *b, const char *s, size_t n);

/* Appends s[0..n) escaped for HTML/XML (the rule above). */
int fm_esc_html(fm_buf *b, const char *s, size_t n);
/* The same over at most cap bytes (cut on a character boundary), then
 * "..." when something was cut. */
int fm_esc_html_capped(fm_buf *b, const char *s, size_t n, size_t cap);
/* fm_esc_html of a NUL-terminated string; NULL appends nothing. */
int fm_esc_htmls(fm_buf *b, const char *s);

/* fm_esc_text over at most cap bytes of s (cut on a character boundary),
 * then "... (N more bytes)" when something was cut. */
int fm_esc_text_capped(fm_buf *b, const char *s, size_t n, size_t cap);

/* Formats like printf, then appends the result through
 * fm_esc_text_capped(FM_TEXT_CAP). For one-line messages that mix our own
 * words with input: the format must not rely on control characters. */
int fm_esc_addf(fm_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Appends text that may hold several lines: each line escaped and capped
 * like fm_esc_text_capped(FM_TEXT_CAP), "... (N more lines)" after about
 * FM_TEXT_LINES_CAP bytes of output, line breaks kept, each continuation line preceded by indent. A trailing
 * line break is dropped. */
int fm_esc_lines(fm_buf *b, const char *s, const char *indent);

#endif
