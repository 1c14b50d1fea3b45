/* unwrap — undoes the soft line breaks of pasted, hard-wrapped text. Mail
 * archives and JIRA notifications wrap at ~72-80 columns and end each
 * soft-broken line with a space (format=flowed, RFC 3676), often under a
 * "> " quote prefix; an error message split that way matches no
 * signature. Code blocks and some mail clients wrap without the space: a
 * paragraph of 3+ lines filled to one width (60-100 columns) whose lines
 * stop where the next word would not fit is joined too. fm_unwrap joins every such line with the one it continues
 * and maps each joined line to its first source line. Pure, thread-safe. */
#ifndef FLINKMEM_UNWRAP_H
#define FLINKMEM_UNWRAP_H

#include <stddef.h>
#include <stdint.h>

typedef struct fm_unwrapped {
	char *text;     /* the joined text (NUL-terminated), NULL when nothing was joined */
	size_t len;
	uint64_t *map;  /* joined line i (0-based) -> its first source line (1-based) */
	size_t nlines;
} fm_unwrapped;

/* FM_OK (u->text NULL when no line was soft-broken) or FM_ENOMEM. */
int fm_unwrap(const char *t, size_t n, fm_unwrapped *u);
void fm_unwrapped_release(fm_unwrapped *u);

#endif
