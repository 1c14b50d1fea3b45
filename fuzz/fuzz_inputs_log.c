/* fuzz_inputs_log — diagnose on arbitrary bytes read as a log input; see
 * inputs_common.h for the checks. */
#include "inputs_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	run_kind("", "tm.log", data, size);
	return 0;
}
