/* diagout_int — what the text/JSON renderer (diagout.c) shares with the
 * HTML renderer (diagout_html.c). Internal to lib/. */
#ifndef FLINKMEM_DIAGOUT_INT_H
#define FLINKMEM_DIAGOUT_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "flinkmem/buf.h"
#include "flinkmem/diagnose.h"

/* The name of input i, "-" when out of range. */
const char *fm__dx_in_name(const fm_dx_result *r, uint32_t i);
/* "the taskmanager", "the client", or, for a process the input does not
 * name, "a process not shown to be Flink's" (headings of text and HTML) */
const char *fm__dx_where(const fm_incident *x, char *buf, size_t n);
/* The release the output names: the one asked for, else the log header's
 * or the container image's when that chose the profile; NULL: none (the
 * profile's name stands in). */
const char *fm__dx_release(const fm_dx_result *r);
/* True when the incident has more than one instance. */
bool fm__dx_many(const fm_incident *x);
/* Plain text: how many instances, and the first few with their lines. */
int fm__dx_instances_text(fm_buf *b, const fm_dx_result *r, const fm_incident *x, const char *indent);

#endif
