/* yaml_anchor — see yaml_anchor.h. Open addressing, linear probing, kept
 * at most half full. */
#include "yaml_anchor.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct fm__anchor_slot {
	const char *name; /* NULL: empty */
	size_t value;
};

static size_t hash(const char *s)
{
	uint64_t h = 14695981039346656037ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return (size_t)h;
}

/* The slot holding name, or the empty one where it would go. */
static struct fm__anchor_slot *find(const fm__anchor_map *m, const char *name)
{
	for (size_t i = hash(name) & (m->cap - 1);; i = (i + 1) & (m->cap - 1))
		if (!m->slot[i].name || strcmp(m->slot[i].name, name) == 0)
			return &m->slot[i];
}

int fm__anchor_put(fm__anchor_map *m, const char *name, size_t value)
{
	if ((m->n + 1) * 2 > m->cap) {
		size_t nc = m->cap ? m->cap * 2 : 64;
		fm__anchor_map g = {calloc(nc, sizeof(*g.slot)), nc, 0};
		if (!g.slot)
			return -1;
		for (size_t i = 0; i < m->cap; i++)
			if (m->slot[i].name) {
				*find(&g, m->slot[i].name) = m->slot[i];
				g.n++;
			}
		free(m->slot);
		*m = g;
	}
	struct fm__anchor_slot *s = find(m, name);
	if (!s->name)
		m->n++;
	*s = (struct fm__anchor_slot){name, value};
	return 0;
}

size_t fm__anchor_get(const fm__anchor_map *m, const char *name)
{
	if (!m->cap)
		return SIZE_MAX;
	const struct fm__anchor_slot *s = find(m, name);
	return s->name ? s->value : SIZE_MAX;
}

void fm__anchor_reset(fm__anchor_map *m)
{
	if (m->slot)
		memset(m->slot, 0, m->cap * sizeof(*m->slot));
	m->n = 0;
}

void fm__anchor_release(fm__anchor_map *m)
{
	free(m->slot);
	*m = (fm__anchor_map){0};
}
