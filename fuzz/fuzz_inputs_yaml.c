/* fuzz_inputs_yaml — diagnose on arbitrary bytes read as a yaml input; see
 * inputs_common.h for the checks. */
#include "inputs_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	run_kind("apiVersion: v1\\n", "events.yaml", data, size);
	return 0;
}
