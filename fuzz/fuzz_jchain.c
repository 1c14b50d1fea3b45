/* fuzz_jchain — the exception-chain parser on arbitrary bytes: it must not
 * crash or leak, and the tree it returns must hold together (parents before
 * children, depth = parent's + 1, kept frames within bounds, capped
 * messages, a memory root that is a memory node). Any violation aborts. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "flinkmem/jchain.h"

static void check(int ok)
{
	if (!ok)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fm_jtrace t;
	if (fm_jchain_parse((const char *)data, size, &t))
		return 0;
	check(t.n <= FM_JNODES_MAX);
	for (size_t i = 0; i < t.n; i++) {
		const fm_jnode *x = &t.v[i];
		check(x->cls && x->msg);
		check(strlen(x->msg) <= FM_JMSG_MAX);
		check(x->nkept <= FM_JFRAMES && x->nkept <= x->nframes);
		if (x->parent < 0) {
			check(x->depth == 0);
		} else {
			check((size_t)x->parent < i);
			check(x->depth == t.v[x->parent].depth + 1);
		}
		(void)fm_jnode_process(&t, i);
	}
	int r = fm_jchain_memory_root(&t);
	check(r < (int)t.n);
	if (r >= 0)
		check(fm_jnode_memory(&t.v[r]));
	fm_jtrace_release(&t);
	(void)fm_jchain_line_process((const char *)data, size);
	return 0;
}
