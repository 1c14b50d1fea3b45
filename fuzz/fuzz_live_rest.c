/* fuzz_live_rest — every REST response reader of `flinkmem live` on
 * arbitrary bytes (a hostile or broken endpoint): none may crash or leak;
 * a failure says why (d.msg); whatever was read then goes through the
 * analysis and both renderers, which must not crash either. The first byte
 * picks the reader, so one corpus covers them all. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_assert.h"
#include "flinkmem/live.h"


int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	unsigned which = data[0] % 8;
	const char *body = (const char *)data + 1;
	size_t n = size - 1;
	fm_live_snap s;
	fm_live_snap_init(&s);
	fm_diag d = FM_DIAG_INIT;
	int rc = FM_OK;
	switch (which) {
	case 0: rc = fm_live_read_config(&s, body, n, &d); break;
	case 1: rc = fm_live_read_overview(&s, body, n, &d); break;
	case 2: rc = fm_live_read_jm_config(&s, body, n, &d); break;
	case 3: rc = fm_live_read_tm_list(&s, body, n, &d); break;
	case 4:
	case 5: {
		/* details and metrics on a listed TaskManager */
		static const char list[] = "{\"taskmanagers\":[{\"id\":\"tm-1\",\"slotsNumber\":2,\"freeSlots\":1}]}";
		CHECK(fm_live_read_tm_list(&s, list, sizeof list - 1, &d) == FM_OK);
		rc = which == 4 ? fm_live_read_tm_details(&s.tms[0], body, n, &d)
				: fm_live_read_tm_metrics(&s.tms[0], body, n, &d);
		break;
	}
	case 6: rc = fm_live_read_jm_metrics(&s, body, n, &d); break;
	default: {
		char **ids = NULL;
		size_t nids = 0;
		rc = fm_live_read_jobs(body, n, 10, &ids, &nids, &d);
		CHECK(nids <= 10);
		for (size_t i = 0; i < nids; i++)
			free(ids[i]);
		free(ids);
		break;
	}
	}
	if (rc != FM_OK) {
		CHECK(rc == FM_ESYNTAX || rc == FM_ETOOBIG || rc == FM_ENOMEM);
		CHECK(d.msg != NULL);
	}
	fm_diag_release(&d);
	const fm_live_snap *v[2] = {&s, &s};
	fm_live_report r;
	if (fm_live_analyze(v, 2, NULL, &r) == FM_OK) {
		fm_buf b;
		fm_buf_init(&b, 0);
		CHECK(fm_live_render_text(&b, &s, &r, "http://fuzz") == FM_OK);
		fm_buf_reset(&b);
		CHECK(fm_live_render_json(&b, &s, &r, "http://fuzz") == FM_OK);
		fm_buf_release(&b);
		fm_live_report_release(&r);
	}
	fm_live_snap_release(&s);
	return 0;
}
