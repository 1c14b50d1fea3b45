/* fuzz_inputs_describe — diagnose on arbitrary bytes read as a describe input; see
 * inputs_common.h for the checks. */
#include "inputs_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	run_kind("Name:         flink-taskmanager-1-1\\nNamespace:    default\\n", "describe.txt", data, size);
	return 0;
}
