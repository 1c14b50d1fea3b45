/* fuzz_inputs_json — diagnose on arbitrary bytes read as a json input; see
 * inputs_common.h for the checks. */
#include "inputs_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	run_kind("{", "pod.json", data, size);
	return 0;
}
