/* conf_yaml — the config.yaml reader (Flink 1.19+ "standard YAML"), by the
 * rules of GlobalConfiguration.loadYAMLResource: snakeyaml-engine 2.6 with
 * the YAML 1.2 Core schema, nested mappings flattened to dotted keys (the
 * later entry in the document wins), sequences kept as their one-line YAML
 * flow dump, and the whole load failing on duplicate keys, null values,
 * non-string keys or a top level that is not a mapping.
 * Owns the YAML -> fm_conf step only: syntax via libyaml's event parser
 * with our own bounded stack, typing, flattening, provenance, and the
 * Java exception Flink raises as the cause of its
 * "RuntimeException: Error parsing YAML configuration.".
 * No global state; thread-safe for distinct fm_conf/fm_diag objects. */
#ifndef FLINKMEM_CONF_YAML_H
#define FLINKMEM_CONF_YAML_H

#include <stddef.h>

#include "flinkmem/conf.h"
#include "flinkmem/diag.h"

/* Hard cap on the input (FM_ETOOBIG past it). */
#define FM_YAML_MAX_BYTES ((size_t)64 << 20)
/* Deepest nesting of collections we follow (FM_ESYNTAX past it). */
#define FM_YAML_MAX_DEPTH 256
/* Expansion budget (FM_ETOOBIG "alias expansion exceeds N bytes" past
 * it): the flattened config -- every key with its dotted prefix, every
 * value (a list as its one-line dump), each alias use at full size, plus
 * 64 bytes per entry -- may total at most BASE + FACTOR * file size.
 * snakeyaml shares an aliased scalar; we copy it per use, so this is a
 * resource limit of ours on top of snakeyaml's 50 collection aliases. */
#define FM_YAML_EXPAND_BASE ((size_t)16 << 20)
#define FM_YAML_EXPAND_FACTOR 16
/* 0x/0o integers longer than this many digits are refused (FM_ETOOBIG):
 * their decimal text costs time quadratic in the length. Decimal
 * integers have no limit (their text is kept as written, normalised). */
#define FM_YAML_MAX_RADIX_DIGITS 2048

/* Loads the YAML text data[0..len) into c. path names the file in
 * provenance and messages (interned in c; NULL means "config.yaml").
 * Values keep their YAML Core type: FM_V_STR, FM_V_INT (text = decimal
 * digits), FM_V_FLOAT (num, text = Double.toString), FM_V_BOOL, FM_V_LIST
 * (text = the one-line YAML dump Flink stores for a sequence, e.g. "[2g]").
 * Entries get at = the value's position, key_line/key_col = the key's,
 * src FM_SRC_YAML. c is changed only when the whole file loads.
 * Time and memory are linear in len up to the limits above.
 * Returns FM_OK, or FM_ESYNTAX / FM_EINVAL / FM_ETOOBIG / FM_ENOMEM with d
 * filled: msg (one line naming line and column), file, line, col, key when
 * known, and jclass/jmsg = the cause Flink reports (e.g.
 * org.snakeyaml.engine.v2.exceptions.YamlEngineException with snakeyaml's
 * multi-line text, or java.lang.NullPointerException "Value must not be
 * null."). */
int fm_conf_load_yaml(fm_conf *c, const char *path, const char *data, size_t len, fm_diag *d);

#endif
