/* fuzz_patch — config edits on arbitrary bytes. The first byte picks the
 * format (flink-conf.yaml, config.yaml, FlinkDeployment) and one of a few
 * change sets; the rest is the file. fm_patch_apply must return a known
 * code, and when it succeeds its result (already re-read and checked by
 * patch itself) must differ from the input only if there were edits; the
 * unified diff of input and result must build; everything is freed. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_assert.h"
#include "flinkmem/patch.h"


static const fm_edit SET0[] = {{"taskmanager.memory.process.size", "4g"}};
static const fm_edit SET1[] = {{"taskmanager.memory.flink.size", NULL},
			       {"taskmanager.memory.managed.fraction", "0.40"},
			       {"jobmanager.memory.process.size", "2g"}};
static const fm_edit SET2[] = {{"a.b", "x: y"}, {"a", NULL}, {"a.b.c", "null"}};
static const fm_edit *const SETS[] = {SET0, SET1, SET2};
static const size_t NSET[] = {1, 3, 3};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	fm_patch_fmt fmt = (fm_patch_fmt)(data[0] % 3);
	size_t set = (size_t)(data[0] / 3) % 3;
	const char *text = (const char *)data + 1;
	size_t len = size - 1;
	fm_buf out = FM_BUF_INIT;
	fm_diag d = FM_DIAG_INIT;
	int rc = fm_patch_apply(fmt, "fuzz", text, len, 0, SETS[set], NSET[set], &out, NULL, &d);
	CHECK(rc == FM_OK || rc == FM_EINVAL || rc == FM_ESYNTAX || rc == FM_ETOOBIG || rc == FM_ENOMEM);
	CHECK(rc == FM_OK || d.msg != NULL);
	if (rc == FM_OK) {
		fm_buf diff = FM_BUF_INIT;
		int drc = fm_diff_unified(&diff, "fuzz", text, len, out.data ? out.data : "", out.len);
		CHECK(drc == FM_OK || drc == FM_ETOOBIG || drc == FM_ENOMEM);
		fm_buf_release(&diff);
	}
	/* no edits: the bytes come back unchanged */
	fm_buf same = FM_BUF_INIT;
	fm_diag_release(&d);
	if (fm_patch_apply(fmt, "fuzz", text, len, 0, NULL, 0, &same, NULL, &d) == FM_OK)
		CHECK(same.len == len && (len == 0 || memcmp(same.data, text, len) == 0));
	fm_buf_release(&same);
	fm_buf_release(&out);
	fm_diag_release(&d);
	return 0;
}
