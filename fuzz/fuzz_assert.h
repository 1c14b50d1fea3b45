/* fuzz_assert — CHECK(c): a broken invariant in a fuzz target aborts, which
 * libFuzzer records as a finding (assert() vanishes under NDEBUG). */
#ifndef FUZZ_ASSERT_H
#define FUZZ_ASSERT_H

#include <stdlib.h>

#define CHECK(c)                 \
	do {                     \
		if (!(c))        \
			abort(); \
	} while (0)

#endif
