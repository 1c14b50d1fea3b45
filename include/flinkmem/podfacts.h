/* podfacts — what a pod description says about the Flink process in it:
 * the container's memory limit and the Flink release of its image tag,
 * read from `kubectl describe pod` text or a pod's JSON/YAML. diagnose
 * uses them when the inputs hold no layout: the limit is the process size
 * Flink was given (the operator and native Kubernetes set the limit to
 * process size x limit-factor, 1 by default), never the shipped 1728m.
 * Text heuristics over bounded input; never fails. Pure; thread-safe. */
#ifndef FLINKMEM_PODFACTS_H
#define FLINKMEM_PODFACTS_H

#include <stddef.h>
#include <stdint.h>

typedef struct fm_pod_facts {
	int64_t mem_limit;   /* bytes; 0 when none found */
	char version[24];    /* "1.18.1" from an image tag naming flink; "" none */
	char image[128];     /* the image as written (for messages); "" none */
} fm_pod_facts;

/* Scans data[0..len) and fills what is still unset in f (first found
 * wins, so several inputs can be fed in turn). */
void fm_pod_facts_scan(const char *data, size_t len, fm_pod_facts *f);

/* A Kubernetes memory quantity ("8Gi", "1728Mi", "2G", "1.5Gi", "2e9",
 * "1073741824") in bytes; -1 when it is not one. */
int64_t fm_k8s_quantity(const char *s, size_t n);

/* kubectl describe's container blocks, fed one line [p, le) at a time:
 * "Containers:" / "Init Containers:" open a section whose "  NAME:" lines
 * (two spaces in, nothing after) head one container each. What the line
 * is: */
typedef enum fm_describe_line {
	FM_DL_BODY = 0, /* anything else (inside a block or not) */
	FM_DL_TOP,      /* a top-level field: ends the block before it */
	FM_DL_FLINK,    /* a Flink container's header: flink-main-container or named after the process */
	FM_DL_OTHER     /* another container's header (a sidecar, an init container) */
} fm_describe_line;
typedef struct fm_describe_walk {
	int inside; /* in a containers section */
} fm_describe_walk;
fm_describe_line fm_describe_walk_line(fm_describe_walk *w, const char *p, const char *le);

#endif
