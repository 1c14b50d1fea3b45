/* fuzz_http_frame — the frame reader of live's HTTP helper protocol on
 * arbitrary bytes (what a broken or foreign flinkmem-http may write): every
 * frame returned has a key shorter than FM__FRAME_KEY and a NUL-terminated
 * payload of at most the limit; the reader ends with one of its texts. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz_assert.h"
#include "../lib/http_frame.h"

#define PIPE_MAX 60000 /* under a pipe's default 64 KiB: written before reading */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int p[2];
	if (pipe(p) != 0)
		return 0;
	size_t n = size < PIPE_MAX ? size : PIPE_MAX;
	CHECK(fm__frame_write_all(p[1], data, n) == 0);
	close(p[1]);
	fm__frame_rd *r = calloc(1, sizeof *r);
	if (!r) {
		close(p[0]);
		return 0;
	}
	r->fd = p[0];
	r->timeout_ms = 1000;
	for (;;) {
		char key[FM__FRAME_KEY];
		char *val = NULL;
		size_t len = 0;
		const char *why = NULL;
		if (fm__frame_get(r, key, &val, &len, 4096, &why) != 0) {
			CHECK(why != NULL && val == NULL);
			break;
		}
		CHECK(strlen(key) > 0 && strlen(key) < FM__FRAME_KEY);
		CHECK(val != NULL && len <= 4096 && val[len] == '\0');
		free(val);
	}
	free(r);
	close(p[0]);
	return 0;
}
