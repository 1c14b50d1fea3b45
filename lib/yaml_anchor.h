/* yaml_anchor — YAML anchor names -> a caller's value, for the two YAML
 * readers (conf_yaml, conf_k8s). A linear search per alias made a file of
 * N anchors and N aliases quadratic (1.3 MB: 6 s); this is a hash table.
 * Names are borrowed: the caller keeps them alive until reset or release.
 * A name added again takes the new value (YAML lets an anchor be
 * redefined; an alias names the latest). Private to lib/. */
#ifndef FLINKMEM_YAML_ANCHOR_H
#define FLINKMEM_YAML_ANCHOR_H

#include <stddef.h>

typedef struct fm__anchor_map {
	struct fm__anchor_slot *slot;
	size_t cap, n;
} fm__anchor_map;

/* 0, or -1 on ENOMEM (the map is unchanged). */
int fm__anchor_put(fm__anchor_map *m, const char *name, size_t value);
/* The latest value for name, or SIZE_MAX. */
size_t fm__anchor_get(const fm__anchor_map *m, const char *name);
void fm__anchor_reset(fm__anchor_map *m);   /* forget all names, keep memory */
void fm__anchor_release(fm__anchor_map *m);

#endif
