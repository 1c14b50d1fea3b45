/* jchain — Java exception chains as trees, not lines: the exception
 * header (class and message, `Exception in thread "T"`), `Caused by:`,
 * `Suppressed:`, frames (`at C.m(...)`), `... N more`, multi-line messages,
 * traces escaped inside one line (JSON strings with \n\t), and Python
 * tracebacks that carry a Java trace (py4j.protocol.Py4JJavaError, Beam's
 * "Error received from SDK harness"). The root cause is the deepest memory
 * cause of the chain; wrappers (JobExecutionException, SQLException,
 * RuntimeError, ...) only carry it. Frames and thread names name the process
 * the cause happened in. Bounded: at most FM_JNODES_MAX nodes, FM_JFRAMES
 * frames kept per node (all are counted), messages capped at FM_JMSG_MAX
 * bytes. Pure; thread-safe. */
#ifndef FLINKMEM_JCHAIN_H
#define FLINKMEM_JCHAIN_H

#include <stdbool.h>
#include <stddef.h>

#include "flinkmem/events.h"

#define FM_JNODES_MAX 256
#define FM_JFRAMES 16
#define FM_JMSG_MAX 1024

typedef enum fm_jnode_kind { FM_JN_TOP = 0, FM_JN_CAUSE, FM_JN_SUPPRESSED } fm_jnode_kind;

typedef struct fm_jnode {
	fm_jnode_kind kind;
	char *cls;                 /* "java.lang.OutOfMemoryError", Python "MemoryError" (owned) */
	char *msg;                 /* message, "" when none (owned) */
	char *thread;              /* from `Exception in thread "T"`, NULL when none (owned) */
	int parent;                /* the node this one is the cause of (or suppressed in); -1 for a top */
	int depth;                 /* 0 for a top, parent's + 1 */
	bool python;               /* a Python exception (traceback) */
	size_t nframes;            /* frames seen */
	size_t more;               /* "... N more": frames shared with the enclosing trace */
	char *frames[FM_JFRAMES];  /* "pkg.Class.method" of the first frames (owned) */
	size_t nkept;
} fm_jnode;

typedef struct fm_jtrace {
	fm_jnode *v;
	size_t n;
} fm_jtrace;

/* Parses every chain in s[0..n). Lines end at LF; when the text holds an
 * escaped trace (fm_jchain_escaped), the two-byte sequence backslash-n ends
 * lines too and backslash-t is blank. FM_OK or FM_ENOMEM (out is empty). */
int fm_jchain_parse(const char *s, size_t n, fm_jtrace *out);
void fm_jtrace_release(fm_jtrace *t); /* accepts NULL */

/* True when s holds a trace written as an escaped string ("\n\tat ",
 * "\nCaused by: "). */
bool fm_jchain_escaped(const char *s, size_t n);

/* True when the node's class or message is a memory failure (the class
 * names and message stems of the catalogue's memory rows). */
bool fm_jnode_memory(const fm_jnode *x);

/* The deepest memory cause: causes before suppressed ones, then the deepest
 * node, then the last one written. -1 when the trace holds none. */
int fm_jchain_memory_root(const fm_jtrace *t);

/* The process node i ran in, from its frames (the first one that names a
 * process wins), then its thread name, then the frames it shares with the
 * nodes that enclose it. FM_PROC_UNKNOWN when nothing names one. */
fm_process fm_jnode_process(const fm_jtrace *t, size_t i);

/* Parses one line and returns the process of its deepest memory cause
 * (FM_PROC_UNKNOWN when none or on allocation failure). */
fm_process fm_jchain_line_process(const char *s, size_t n);

/* A logger, class or frame in t[0..n) that only a process outside the
 * cluster logs from (abbreviated logger names as Flink's %c{1.} writes
 * them); FM_PROC_UNKNOWN when none. */
fm_process fm_outside_process(const char *t, size_t n);
/* The process one frame or thread name points at (FM_PROC_UNKNOWN). */
fm_process fm_jframe_process(const char *frame);

/* Whether [q, e) starts with a frame's method as the JVM prints it,
 * "a.b.C.m(" (after "at "): a dotted name of identifier characters ('$',
 * '<init>', a module's '/') up to '('. Pages and trackers strip the tab
 * before "at", so this shape is what tells a frame from words. */
bool fm_jframe_shape(const char *q, const char *e);

/* A Throwable written as JSON fields, not as its printed line: the class and
 * the message side by side in one object, as the Flink Kubernetes
 * operator's status.error writes it (FlinkResourceException: "type",
 * "message", its throwableList alike), log4j2's JsonLayout ("message",
 * "name") and JsonTemplateLayout's Logstash and ECS event templates
 * ("exception_class"/"exception_message", "error.type"/"error.message").
 * Appends "<class>: <message>\n" to out for each one in s[0..n) (a class
 * must be a dotted Throwable name; the message is unescaped, its line
 * breaks made blanks, capped at FM_JMSG_MAX bytes). Returns how many, or
 * -1 on allocation failure. */
struct fm_buf;
int fm_jchain_split_fields(const char *s, size_t n, struct fm_buf *out);

/* The same pairs as a parsed document's mapping holds them (keys without
 * quotes): the pair a class key k[0..n) starts (-1: none); the message slot
 * (0..FM_JSPLIT_SLOTS-1) a key fills (-1: none), and the slot of a pair's
 * message. A value is a class when fm_jchain_throwable_name says so. */
#define FM_JSPLIT_SLOTS 3
int fm_jchain_split_class_key(const char *k, size_t n);
int fm_jchain_split_msg_slot(const char *k, size_t n);
int fm_jchain_split_pair_slot(int pair);
bool fm_jchain_throwable_name(const char *s, size_t n);
#endif
