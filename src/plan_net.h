/* plan_net — the network-buffer and preset modes of `flinkmem plan`
 * (--job-plan, --parallelism/--all-to-all-edges, --slots, --preset): option
 * parsing, the plan they produce and its extra report section. Kept apart
 * from cmd_plan.c so the plan command's other modes stay independent. */
#ifndef FLINKMEM_PLAN_NET_H
#define FLINKMEM_PLAN_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cli.h"
#include "flinkmem/buf.h"
#include "flinkmem/plan.h"

typedef struct plan_net_opts {
	const char *job_plan;     /* --job-plan FILE */
	const char *slots;        /* --slots N */
	const char *parallelism;  /* --parallelism P */
	const char *edges;        /* --all-to-all-edges K */
	const char *exchange;     /* --exchange pipelined|blocking|hybrid */
	const char *preset;       /* --preset NAME */
	bool no_slot_sharing;     /* --no-slot-sharing */
} plan_net_opts;

/* getopt_long entries for the command's option table, and their handler:
 * returns true when c was one of ours. */
enum { PN_JOB_PLAN = 512, PN_SLOTS, PN_PARALLELISM, PN_EDGES, PN_EXCHANGE, PN_PRESET, PN_NO_SHARING };
#define PLAN_NET_LONGOPTS                                                                                   \
	{"job-plan", required_argument, NULL, PN_JOB_PLAN}, {"slots", required_argument, NULL, PN_SLOTS},      \
	{"parallelism", required_argument, NULL, PN_PARALLELISM},                                             \
	{"all-to-all-edges", required_argument, NULL, PN_EDGES}, {"exchange", required_argument, NULL, PN_EXCHANGE}, \
	{"preset", required_argument, NULL, PN_PRESET}, {"no-slot-sharing", no_argument, NULL, PN_NO_SHARING}
bool plan_net_option(plan_net_opts *o, int c, const char *arg);
bool plan_net_wanted(const plan_net_opts *o);

/* Usage lines for --help. */
extern const char plan_net_usage[];

/* Builds the plan. 0 ok; 2 after a one-line error on stderr; -1 ENOMEM.
 * text/json receive the extra report section (JSON: a `,"key":{...}`
 * member to splice into the plan object). */
int plan_net_build(cli_conf *cc, const plan_net_opts *o, const char *container, fm_plan *pl, fm_buf *text,
		   fm_buf *json, char *title, size_t tcap);

#endif
