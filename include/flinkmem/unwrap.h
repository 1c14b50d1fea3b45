/* unwrap — undoes what a mail, a page or a tracker did to pasted program
 * output, so it scans as printed. Mail archives and JIRA notifications
 * wrap at ~72-80 columns and end each soft-broken line with a space
 * (format=flowed, RFC 3676), often under a "> " quote prefix; code blocks
 * and some mail clients wrap without the space: a paragraph of 3+ lines
 * filled to one width (60-100 columns) whose lines stop where the next
 * word would not fit is joined too. Quote marks are dropped from every
 * line, HTML entities (&lt; &quot; &#39; ...) decoded, terminal colour
 * sequences (ESC [ ... m) dropped, and a line holding
 * two frames or more (a page that lost its line breaks) split again before
 * each frame, "Caused by:", "Suppressed:" and "... N more". Each output
 * line maps to its first source line. Pure, thread-safe. */
#ifndef FLINKMEM_UNWRAP_H
#define FLINKMEM_UNWRAP_H

#include <stddef.h>
#include <stdint.h>

typedef struct fm_unwrapped {
	char *text;     /* the undone text (NUL-terminated), NULL when it equals the input */
	size_t len;
	uint64_t *map;  /* output line i (0-based) -> its first source line (1-based) */
	size_t nlines;
} fm_unwrapped;

/* FM_OK (u->text NULL when nothing was undone) or FM_ENOMEM. */
int fm_unwrap(const char *t, size_t n, fm_unwrapped *u);
void fm_unwrapped_release(fm_unwrapped *u);

#endif
