/* fuzz_job_plan — the job-plan reader on arbitrary bytes: fm_job_plan_parse
 * must not crash or leak; on failure it names a position inside the input
 * (line/col within its lines) and a message; on success every vertex has
 * an id and a parallelism in range and every edge joins existing vertices.
 * A parsed plan then goes through the demand computation for every
 * release era, with and without slot sharing, which must stay >= 0. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_assert.h"
#include "flinkmem/netbuf.h"


int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fm_job_plan jp;
	fm_diag d = FM_DIAG_INIT;
	int rc = fm_job_plan_parse((const char *)data, size, "fuzz.json", &jp, &d);
	if (rc != FM_OK) {
		CHECK(rc == FM_ESYNTAX || rc == FM_EINVAL || rc == FM_ETOOBIG || rc == FM_ENOMEM);
		CHECK(d.msg != NULL);
		uint32_t lines = 1;
		for (size_t i = 0; i < size; i++)
			lines += data[i] == '\n';
		CHECK(d.line <= lines + 1);
		CHECK(jp.nv == 0 && jp.v == NULL && jp.e == NULL);
		fm_diag_release(&d);
		return 0;
	}
	for (size_t i = 0; i < jp.nv; i++) {
		CHECK(jp.v[i].id && jp.v[i].name);
		CHECK(jp.v[i].parallelism >= 1 && jp.v[i].parallelism <= FM_NB_MAX_PARALLELISM);
	}
	for (size_t i = 0; i < jp.ne; i++)
		CHECK(jp.e[i].from < jp.nv && jp.e[i].to < jp.nv);
	static const fm_nb_era eras[] = {FM_NB_ERA_110, FM_NB_ERA_111, FM_NB_ERA_112, FM_NB_ERA_117, FM_NB_ERA_2X};
	for (size_t e = 0; e < sizeof eras / sizeof eras[0]; e++) {
		fm_nb_rules r = {eras[e], 2, 8, 0, 512, 1, true, e == 4, 32768};
		for (int share = 0; share < 2; share++) {
			fm_nb_demand dm;
			if (fm_nb_demand_compute(&jp, &r, 1 + (int32_t)(size % 7), share, &dm) == FM_OK) {
				CHECK(dm.per_tm >= 0);
				fm_nb_demand_release(&dm);
			}
		}
	}
	fm_job_plan_release(&jp);
	fm_diag_release(&d);
	return 0;
}
