/* events — one match to one typed event; see include/flinkmem/events.h. */
#include "flinkmem/events.h"
#include "flinkmem/escape.h"

#include "flinkmem/jchain.h"
#include "flinkmem/podfacts.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

const char *fm_process_name(fm_process p)
{
	static const char *names[] = {"unknown",    "taskmanager", "jobmanager", "client",  "sql-gateway",
				      "history-server", "job-server", "operator",   "submitter", "unknown"};
	return (size_t)p < sizeof names / sizeof names[0] ? names[p] : "unknown";
}

bool fm_process_outside(fm_process p)
{
	return p >= FM_PROC_CLIENT && p <= FM_PROC_OTHER;
}

fm_process fm_process_of_hint(fm_proc_hint h)
{
	switch (h) {
	case FM_PH_TM: return FM_PROC_TM;
	case FM_PH_JM: return FM_PROC_JM;
	case FM_PH_CLIENT: return FM_PROC_CLIENT;
	case FM_PH_SQL_GATEWAY: return FM_PROC_SQL_GATEWAY;
	case FM_PH_HISTORY: return FM_PROC_HISTORY;
	case FM_PH_JOB_SERVER: return FM_PROC_JOB_SERVER;
	case FM_PH_OPERATOR: return FM_PROC_OPERATOR;
	case FM_PH_SUBMITTER: return FM_PROC_SUBMITTER;
	case FM_PH_OTHER: return FM_PROC_OTHER;
	case FM_PH_ANY:
	case FM_PH_PEER: break;
	}
	return FM_PROC_UNKNOWN;
}

static bool dig(char c)
{
	return c >= '0' && c <= '9';
}

static int num2(const char *p)
{
	return (p[0] - '0') * 10 + (p[1] - '0');
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
 * days_from_civil). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

bool fm_log_time(const char *s, size_t n, int64_t *ms, char *out)
{
	size_t lim = n < 64 ? n : 64;
	for (size_t i = 0; i < lim && i + 19 <= n; i++) {
		const char *p = s + i;
		if (!(dig(p[0]) && dig(p[1]) && dig(p[2]) && dig(p[3]) && p[4] == '-' && dig(p[5]) && dig(p[6]) &&
		      p[7] == '-' && dig(p[8]) && dig(p[9]) && (p[10] == ' ' || p[10] == 'T') && dig(p[11]) &&
		      dig(p[12]) && p[13] == ':' && dig(p[14]) && dig(p[15]) && p[16] == ':' && dig(p[17]) && dig(p[18])))
			continue;
		int y = (p[0] - '0') * 1000 + (p[1] - '0') * 100 + num2(p + 2);
		int mo = num2(p + 5), d = num2(p + 8), h = num2(p + 11), mi = num2(p + 14), se = num2(p + 17);
		if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60)
			continue;
		int frac = 0;
		if (i + 20 < n && (p[19] == ',' || p[19] == '.') && dig(p[20])) {
			int k = 0;
			for (size_t j = 20; i + j < n && dig(p[j]); j++, k++)
				if (k < 3)
					frac = frac * 10 + (p[j] - '0');
			for (; k < 3; k++)
				frac *= 10;
		}
		*ms = ((days_from_civil(y, mo, d) * 24 + h) * 60 + mi) * 60000 + (int64_t)se * 1000 + frac;
		/* canonical text: date T time . millis */
		memcpy(out, p, 10);
		out[10] = 'T';
		memcpy(out + 11, p + 11, 8);
		out[19] = '.';
		out[20] = (char)('0' + frac / 100);
		out[21] = (char)('0' + frac / 10 % 10);
		out[22] = (char)('0' + frac % 10);
		out[23] = '\0';
		return true;
	}
	return false;
}

/* The terminal rule of escape.h, cut at cap input bytes ("..." marks it). */
int fm_escape_line(fm_buf *b, const char *s, size_t n, size_t cap)
{
	size_t lim = n < cap ? n : cap;
	int rc = fm_esc_text(b, s, lim);
	if (!rc && n > lim)
		rc = fm_buf_adds(b, "...");
	return rc;
}

size_t fm_numbers(const char *s, size_t n, int64_t *out, size_t max)
{
	size_t k = 0, i = 0;
	while (i < n && k < max) {
		if (!dig(s[i])) {
			i++;
			continue;
		}
		bool neg = i > 0 && s[i - 1] == '-' && (i < 2 || !dig(s[i - 2]));
		/* skip digits glued to letters (ids like container_e12, 0x...) */
		bool glued = i > 0 && ((s[i - 1] >= 'A' && s[i - 1] <= 'Z') || (s[i - 1] >= 'a' && s[i - 1] <= 'z') ||
				       s[i - 1] == '_');
		int64_t v = 0;
		bool over = false;
		while (i < n && dig(s[i])) {
			if (v > (INT64_MAX - 9) / 10)
				over = true;
			else
				v = v * 10 + (s[i] - '0');
			i++;
		}
		if (i + 1 < n && s[i] == '.' && dig(s[i + 1]))
			while (++i < n && dig(s[i]))
				;
		if (!glued && !over)
			out[k++] = neg ? -v : v;
	}
	return k;
}

/* needle in h[0..n) (lines may hold NUL: no strstr). */
static const char *memfind(const char *h, size_t n, const char *needle)
{
	size_t m = strlen(needle);
	return m ? memmem(h, n, needle, m) : NULL;
}

/* Copies a token (stops at space, quote, bracket, comma, closing paren; a
 * trailing '.' is dropped) into out. */
static void take_token(const char *p, const char *end, char *out, size_t cap)
{
	while (p < end && (*p == ' ' || *p == '\'' || *p == '"' || *p == '['))
		p++;
	size_t k = 0;
	while (p < end && k + 1 < cap) {
		char c = *p;
		if (c == ' ' || c == '\'' || c == '"' || c == ']' || c == ',' || c == ')' || c == '(' || c == '\t' ||
		    (unsigned char)c < 0x20 || (unsigned char)c >= 0x7f)
			break;
		out[k++] = c;
		p++;
	}
	while (k && out[k - 1] == '.')
		k--;
	out[k] = '\0';
}

/* A named other process: pod, container or resource id. */
static void find_peer(const char *t, size_t n, char *out)
{
	static const char *marks[] = {"containerID=", "Container container_", "Worker ", "TaskManager with id ",
				      "TaskExecutor connection ", "Disconnect TaskExecutor ", "TaskManager pod ",
				      "remote task manager ", "task manager '", NULL};
	out[0] = '\0';
	for (size_t i = 0; marks[i]; i++) {
		const char *p = memfind(t, n, marks[i]);
		if (!p)
			continue;
		p += strlen(marks[i]);
		if (!strcmp(marks[i], "Container container_"))
			p -= strlen("container_");
		take_token(p, t + n, out, FM_PEER_MAX);
		if (out[0])
			return;
	}
	/* a bare YARN container id anywhere */
	const char *c = memfind(t, n, "container_");
	if (c) {
		take_token(c, t + n, out, FM_PEER_MAX);
		return;
	}
	/* the ResourceManager's report of an application attempt
	 * (RMAppAttemptImpl: "Updating application attempt appattempt_... with
	 * final state: FAILED, and exit status: -104"): its container is the
	 * application master, Flink's JobManager */
	c = memfind(t, n, "appattempt_");
	if (c)
		take_token(c, t + n, out, FM_PEER_MAX);
}

static bool has(const char *t, size_t n, const char *s)
{
	return memfind(t, n, s) != NULL;
}

/* "(3/8)" or "(3/8)#1": a subtask name. */
static bool subtask_marker(const char *t, size_t n)
{
	for (size_t i = 0; i + 4 < n; i++) {
		if (t[i] != '(' || !dig(t[i + 1]))
			continue;
		size_t j = i + 1;
		while (j < n && dig(t[j]))
			j++;
		if (j + 1 < n && t[j] == '/' && dig(t[j + 1])) {
			j++;
			while (j < n && dig(t[j]))
				j++;
			if (j < n && t[j] == ')')
				return true;
		}
	}
	return false;
}

static fm_process line_process(const char *t, size_t n)
{
	fm_process o = fm_outside_process(t, n);
	if (o != FM_PROC_UNKNOWN)
		return o;
	if (has(t, n, "Flink Master"))
		return FM_PROC_JM;
	if (has(t, n, "task executor has to be shutdown") || has(t, n, "runtime.taskexecutor.") ||
	    has(t, n, "o.a.f.r.taskexecutor.") || has(t, n, "TaskManagerRunner") || has(t, n, "taskmanager.Task ") ||
	    has(t, n, "TaskExecutorRunner")) /* Yarn-, KubernetesTaskExecutorRunner (the TaskManager's main classes) */
		return FM_PROC_TM;
	/* (Yarn-, StandaloneApplicationClusterEntryPoint spell it with a capital P) */
	if (has(t, n, "runtime.entrypoint.") || has(t, n, "o.a.f.r.entrypoint.") || has(t, n, "ClusterEntrypoint") ||
	    has(t, n, "ClusterEntryPoint") ||
	    has(t, n, "runtime.rest.handler.") || has(t, n, "o.a.f.r.rest.handler.") || has(t, n, "runtime.dispatcher.") ||
	    has(t, n, "o.a.f.r.dispatcher.") || has(t, n, "runtime.jobmaster.") || has(t, n, "o.a.f.r.jobmaster.") ||
	    has(t, n, "'jobmanager-") || has(t, n, "[jobmanager-") || has(t, n, "AM Container"))
		return FM_PROC_JM;
	/* a message naming only one side's keys (config errors, hints) */
	bool tmk = has(t, n, "taskmanager.memory.") || has(t, n, "TaskManager memory configuration failed");
	bool jmk = has(t, n, "jobmanager.memory.") || has(t, n, "JobManager memory configuration failed");
	if (tmk != jmk)
		return tmk ? FM_PROC_TM : FM_PROC_JM;
	return FM_PROC_UNKNOWN;
}

/* The sizes Flink prints in a memory-configuration exception, in order:
 * MemorySize's "(1.250gb (1342177280 bytes))" gives the exact bytes, "(0
 * bytes)" and a quote that lost them ("(320.000mb)") the human form
 * (TaskExecutorFlinkMemoryUtils, JobManagerFlinkMemoryUtils,
 * ProcessMemoryUtils all format sizes this way). The evidence text is
 * cut short; these numbers are what remedy rebuilds the config from. */
static size_t printed_sizes(const char *t, size_t n, int64_t *out, size_t max)
{
	static const struct { const char *u; int64_t m; } units[] = {
		{"tb", INT64_C(1) << 40}, {"gb", INT64_C(1) << 30}, {"mb", INT64_C(1) << 20}, {"kb", 1024}, {" bytes", 1}};
	size_t k = 0;
	for (size_t i = 0; i + 1 < n && k < max; i++) {
		if (t[i] != '(' || t[i + 1] < '0' || t[i + 1] > '9')
			continue;
		size_t j = i + 1;
		int64_t whole = 0, milli = 0;
		while (j < n && t[j] >= '0' && t[j] <= '9' && whole < INT64_C(1) << 50)
			whole = whole * 10 + (t[j++] - '0');
		if (j < n && t[j] == '.') {
			int d = 0;
			for (j++; j < n && t[j] >= '0' && t[j] <= '9'; j++, d++)
				if (d < 3)
					milli = milli * 10 + (t[j] - '0');
			for (; d < 3; d++)
				milli *= 10;
		}
		int64_t v = -1;
		for (size_t u = 0; u < sizeof units / sizeof units[0] && v < 0; u++) {
			size_t ul = strlen(units[u].u);
			if (j + ul <= n && !memcmp(t + j, units[u].u, ul)) {
				v = whole * units[u].m + milli * units[u].m / 1000;
				j += ul;
			}
		}
		if (v < 0)
			continue;
		/* " (N bytes))": the exact value follows the human one */
		if (j + 2 < n && t[j] == ' ' && t[j + 1] == '(') {
			size_t q = j + 2;
			int64_t b = 0;
			while (q < n && t[q] >= '0' && t[q] <= '9' && b < INT64_C(1) << 60)
				b = b * 10 + (t[q++] - '0');
			if (q > j + 2 && q + 6 <= n && !memcmp(t + q, " bytes", 6)) {
				v = b;
				j = q + 6;
			}
		}
		out[k++] = v;
		i = j - 1;
	}
	return k;
}

/* The gutter a multi-container log tool puts before each line, its length
 * (0 if none) and the container it names into name (cap bytes):
 * `docker compose logs` ("jobmanager_1  | ", "taskmanager-1  | ": the
 * service padded, then a bar) and `kubectl logs --prefix`
 * ("[pod/flink-taskmanager-1-1/flink-main-container] "). */
static size_t log_gutter(const char *t, size_t n, char *name, size_t cap)
{
	const char *e = t + n, *q = t, *ns, *ne;
	if (n > 6 && !memcmp(t, "[pod/", 5)) {
		ns = t + 5;
		for (ne = ns; ne < e && *ne != '/' && *ne != ']' && *ne != ' '; ne++)
			;
		for (q = ne; q < e && *q != ']' && *q != ' '; q++)
			;
		if (ne == ns || q + 1 >= e || *q != ']' || q[1] != ' ')
			return 0;
		q += 2;
	} else {
		ns = t;
		while (q < e && (isalnum((unsigned char)*q) || *q == '_' || *q == '-' || *q == '.'))
			q++;
		ne = q;
		const char *b = q;
		while (q < e && *q == ' ')
			q++;
		if (ne == ns || q == b || e - q < 2 || q[0] != '|' || q[1] != ' ' || !isalpha((unsigned char)*ns))
			return 0;
		q += 2;
	}
	size_t k = (size_t)(ne - ns) < cap - 1 ? (size_t)(ne - ns) : cap - 1;
	memcpy(name, ns, k);
	name[k] = '\0';
	return (size_t)(q - t);
}

/* A size as ContainersMonitorImpl prints it, read forward from p: "4.1 GB",
 * "512 MB", "2.0gb" (binary prefixes, one decimal; some distributions
 * write lower case), in bytes; 0 when p does not start one. */
static int64_t yarn_size(const char *p, const char *e)
{
	int64_t whole = 0, tenths = 0;
	const char *d = p;
	for (; p < e && isdigit((unsigned char)*p); p++) {
		if (whole > (INT64_MAX >> 41) / 10)
			return 0;
		whole = whole * 10 + (*p - '0');
	}
	if (p == d)
		return 0;
	if (p + 1 < e && *p == '.' && isdigit((unsigned char)p[1]))
		for (tenths = p[1] - '0', p += 1; p < e && isdigit((unsigned char)*p); p++)
			;
	while (p < e && *p == ' ')
		p++;
	int shift = 0;
	if (p < e && *p && strchr("KkMmGgTt", *p)) {
		shift = *p == 'K' || *p == 'k' ? 10 : *p == 'M' || *p == 'm' ? 20 : *p == 'G' || *p == 'g' ? 30 : 40;
		p++;
	}
	if (p >= e || (*p != 'B' && *p != 'b'))
		return 0;
	return ((whole * 10 + tenths) << shift) / 10;
}

/* The container limit in YARN's kill diagnostics: "Current usage: 4.1 GB of
 * 4 GB physical memory used". 0 when absent. */
static int64_t yarn_limit(const char *t, size_t n)
{
	const char *p = memfind(t, n, "B physical memory used");
	if (!p)
		p = memfind(t, n, "b physical memory used");
	if (!p)
		return 0;
	/* back over the prefix letter, blanks and the number to its "of " */
	const char *b = p;
	if (b > t && b[-1] && strchr("KkMmGgTt", b[-1]))
		b--;
	while (b > t && b[-1] == ' ')
		b--;
	while (b > t && (isdigit((unsigned char)b[-1]) || b[-1] == '.'))
		b--;
	if (b - t < 3 || memcmp(b - 3, "of ", 3))
		return 0;
	return yarn_size(b, p + 1);
}

/* The physical usage in the same diagnostics ("Current usage: 4.1 GB of"),
 * in bytes; 0 when absent. */
static int64_t yarn_usage(const char *t, size_t n)
{
	const char *p = memfind(t, n, "Current usage: ");
	return p ? yarn_size(p + 15, t + n) : 0;
}

/* The limit of the memory cgroup the kernel OOM killer acted on: "memory:
 * usage 4194304kB, limit 4194304kB, failcnt 12" (mm/memcontrol.c,
 * mem_cgroup_print_oom_info in 4.x and mem_cgroup_print_oom_meminfo from
 * 5.x, cgroup v1 and v2 alike), in bytes. 0 when absent or unlimited
 * (PAGE_COUNTER_MAX prints as about 8 EiB). */
/* "<digits>kB" at p (the kernel's sizes), in bytes; 0 when not that or a
 * PiB or more (no process or container holds that much). */
static int64_t kb_at(const char *p, const char *e)
{
	int64_t kb = 0;
	const char *d = p;
	for (; p < e && isdigit((unsigned char)*p); p++) {
		if (kb >= (int64_t)1 << 40)
			return 0;
		kb = kb * 10 + (*p - '0');
	}
	if (p == d || e - p < 2 || memcmp(p, "kB", 2) || kb >= (int64_t)1 << 40)
		return 0;
	return kb * 1024;
}

static int64_t memcg_limit(const char *t, size_t n)
{
	const char *p = memfind(t, n, "memory: usage ");
	if (!p)
		return 0;
	const char *e = t + n;
	p += 14;
	while (p < e && isdigit((unsigned char)*p))
		p++;
	if (e - p < 10 || memcmp(p, "kB, limit ", 10))
		return 0;
	return kb_at(p + 10, e);
}

/* What a system OOM's victim held resident: the kill line's anon-rss,
 * file-rss and shmem-rss in kB (mm/oom_kill.c __oom_kill_process, 4.x and
 * later), in bytes; 0 when not printed. */
static int64_t victim_rss(const char *t, size_t n)
{
	static const char *const parts[] = {"anon-rss:", "file-rss:", "shmem-rss:"};
	int64_t sum = 0;
	for (size_t k = 0; k < sizeof parts / sizeof parts[0]; k++) {
		const char *p = memfind(t, n, parts[k]);
		if (p)
			sum += kb_at(p + strlen(parts[k]), t + n); /* each under 2^50: no overflow */
	}
	return sum;
}

/* The command a kernel OOM kill names as its victim (mm/oom_kill.c):
 * "Kill(ed) process PID (COMM)" or the oom-kill summary's "task=COMM,"
 * (4.19+). COMM is the task's comm, at most 15 bytes (TASK_COMM_LEN);
 * out gets "" when the line names none. */
static void victim_comm(const char *t, size_t n, char out[16])
{
	out[0] = 0;
	const char *e = t + n, *p = memfind(t, n, "Killed process "), *q = NULL;
	if (p)
		p += 15;
	else if ((p = memfind(t, n, "Kill process ")) != NULL)
		p += 13;
	if (p) {
		while (p < e && isdigit((unsigned char)*p))
			p++;
		if (e - p > 2 && p[0] == ' ' && p[1] == '(') {
			p += 2;
			q = memchr(p, ')', (size_t)(e - p));
		}
	} else if ((p = memfind(t, n, ",task=")) != NULL) {
		p += 6;
		q = memchr(p, ',', (size_t)(e - p));
	}
	if (!q || q == p || q - p > 15)
		return;
	memcpy(out, p, (size_t)(q - p));
	out[q - p] = 0;
}

/* A kernel OOM victim (a process: its thread group leader's comm) that
 * can be a Flink process or its worker: the JVM ("java") or a Python
 * interpreter (PyFlink's workers). */
static bool kernel_victim_flinkish(const char *c)
{
	return !strcmp(c, "java") || !strncmp(c, "python", 6) || !strncmp(c, "pypy", 4);
}

/* The quantity after lead, up to a comma or blank ("3145728Ki", "2Gi"), in
 * bytes; 0 when absent or not a quantity. */
static int64_t quantity_after(const char *t, size_t n, const char *lead)
{
	const char *p = memfind(t, n, lead);
	if (!p)
		return 0;
	p += strlen(lead);
	const char *e = p;
	while (e < t + n && *e != ',' && *e != ' ' && *e != '\t')
		e++;
	if (e > p && e[-1] == '.')
		e--; /* the sentence's end */
	int64_t v = e > p ? fm_k8s_quantity(p, (size_t)(e - p)) : -1;
	return v > 0 ? v : 0;
}

int fm_event_make(const fm_sig *sigs, size_t sig, const char *text, size_t len, uint64_t line, fm_event *ev)
{
	const fm_sig *s = &sigs[sig];
	*ev = (fm_event){0};
	ev->sig = sig;
	ev->s = s;
	ev->line = line;
	ev->rocksdb_managed = -1;
	size_t g = log_gutter(text, len, ev->src, sizeof ev->src);
	if (!fm_log_time(text + g, len - g, &ev->time_ms, ev->time))
		ev->time_ms = -1;
	ev->proc = fm_process_of_hint(s->proc);
	if (ev->proc == FM_PROC_UNKNOWN)
		ev->proc = line_process(text, len);
	/* a whole trace on one line (JSON strings, REST answers): the frames
	 * of its deepest memory cause name the process */
	if ((s->role == FM_ROLE_PRIMARY) && fm_jchain_escaped(text, len)) {
		fm_process q = fm_jchain_line_process(text, len);
		if (q != FM_PROC_UNKNOWN)
			ev->proc = q;
	}
	/* a Docker event's attributes name its container: neither a Flink
	 * process's name nor a Flink image, another workload's container */
	if (!strcmp(s->id, "DOCKER_EVENT_OOM")) {
		const char *a = memchr(text, '(', len);
		size_t an = a ? len - (size_t)(a - text) : 0;
		const char *img = a ? memmem(a, an, "image=", 6) : NULL;
		size_t in = 0;
		while (img && img + 6 + in < text + len && img[6 + in] != ',' && img[6 + in] != ')')
			in++;
		if (a && !has(a, an, "taskmanager") && !has(a, an, "jobmanager") && !(img && has(img + 6, in, "flink")))
			ev->proc = FM_PROC_OTHER;
	}
	ev->subtask = subtask_marker(text, len) || (has(text, len, "switched from") && has(text, len, "to FAILED"));
	/* the operator's AuditUtils logs every Kubernetes Event it emits
	 * (">>> Event[Job] | Warning | JOBEXCEPTION | <message>"); a JobException
	 * event carries the job's own exception (JobStatusObserver, from the
	 * JobManager's REST): a task's unless frames below say otherwise */
	if (ev->proc == FM_PROC_OPERATOR && has(text, len, ">>> Event[") && has(text, len, "| JOBEXCEPTION")) {
		ev->proc = FM_PROC_UNKNOWN;
		ev->relayed_job = true;
	}
	if (s->proc == FM_PH_PEER || s->role == FM_ROLE_CONTEXT)
		find_peer(text, len, ev->peer);
	if (s->anchor) {
		const char *a = memfind(text, len, s->anchor);
		if (a)
			ev->nnum = fm_numbers(a, len - (size_t)(a - text), ev->num, FM_EVENT_NUMS);
	} else if (s->failure == FM_F_CONFIG && strncmp(s->id, "CFG_ILLEGAL", 11)) {
		ev->nnum = printed_sizes(text, len, ev->num, FM_EVENT_NUMS);
	}
	ev->netty_shaded = has(text, len, "org.apache.flink.shaded.netty");
	if (s->failure == FM_F_YARN)
		ev->container_limit = yarn_limit(text, len);
	else if (!strcmp(s->id, "KERNEL_MEMCG_LIMIT"))
		ev->container_limit = memcg_limit(text, len);
	/* the kubelet's eviction message per container (eviction/helpers.go):
	 * "Container %s was using %s, request is %s, has larger consumption
	 * of %v." */
	if (!strcmp(s->id, "KERNEL_OOM_SYSTEM") || !strcmp(s->id, "KERNEL_CGROUP_OOM"))
		ev->victim_rss = victim_rss(text, len);
	/* earlyoom names its victim and its resident size: "\"COMM\": badness
	 * N, VmRSS M MiB" (older: "oom_score N, VmRSS M MiB") */
	if (!strcmp(s->id, "EARLYOOM_KILL")) {
		const char *q = memchr(text, '"', len);
		const char *qe = q ? memchr(q + 1, '"', len - (size_t)(q + 1 - text)) : NULL;
		if (qe && qe - q - 1 > 0 && qe - q - 1 <= 15) {
			memcpy(ev->victim, q + 1, (size_t)(qe - q - 1));
			ev->victim[qe - q - 1] = 0;
		}
		const char *r = memfind(text, len, "VmRSS ");
		int64_t mib = 0;
		for (r = r ? r + 6 : NULL; r && r < text + len && isdigit((unsigned char)*r) && mib < (INT64_C(1) << 40); r++)
			mib = mib * 10 + (*r - '0');
		ev->victim_rss = mib * 1048576;
		if (ev->victim[0] && !kernel_victim_flinkish(ev->victim))
			ev->proc = FM_PROC_OTHER;
	}
	/* systemd names the unit: the cgroup oomd killed ("Killed PATH due
	 * to"), or the unit prefixing its own line ("NAME.service: A process
	 * of this unit ..."); a unit that is not Flink's is another program's */
	if ((!strcmp(s->id, "SYSTEMD_OOMD_KILL") || !strcmp(s->id, "SYSTEMD_UNIT_OOM")) && ev->proc == FM_PROC_UNKNOWN) {
		const char *u = !strcmp(s->id, "SYSTEMD_OOMD_KILL") ? memfind(text, len, "Killed ") : NULL;
		const char *ue = u ? memfind(u, len - (size_t)(u - text), " due to") : NULL;
		if (!u) {
			ue = memfind(text, len, ": A process of this unit");
			if (!ue)
				ue = memfind(text, len, ": Failed with result");
			u = ue;
			while (u && u > text && u[-1] != ' ')
				u--;
		}
		if (u && ue && ue > u && !has(u, (size_t)(ue - u), "flink") && !has(u, (size_t)(ue - u), "taskmanager") &&
		    !has(u, (size_t)(ue - u), "jobmanager") && !has(u, (size_t)(ue - u), "taskexecutor"))
			ev->proc = FM_PROC_OTHER;
	}
	if (!strncmp(s->id, "KERNEL_", 7)) {
		victim_comm(text, len, ev->victim);
		/* the victim the kernel names is the container's process: a JVM,
		 * or a Python worker a TaskManager runs. Another program (a log
		 * shipper's or a mesh's sidecar, a shell) is that program's kill,
		 * not Flink's. (The task that invoked the killer is a thread,
		 * named by the JVM's thread name: it says nothing of the victim) */
		if (ev->victim[0] && !kernel_victim_flinkish(ev->victim))
			ev->proc = FM_PROC_OTHER;
	}
	/* Flink's resource manager relays a worker pod's end in one line
	 * (KubernetesPod.getTerminatedDiagnostics: each container's "NAME(
	 * exitCode=, reason=, message=)" and the pod's "Failed(reason=Evicted,
	 * message=...)"): the kubelet's eviction message on it says which
	 * resource ran low (eviction/helpers.go "The node was low on resource:
	 * %v."); exit 137 with another reason is a SIGKILL for that reason */
	const char *low = s->failure == FM_F_K8S && s->role == FM_ROLE_PRIMARY
				  ? memfind(text, len, "The node was low on resource: ") : NULL;
	if (low && has(low, len - (size_t)(low - text), "low on resource: memory"))
		ev->evicted = true;
	bool bare = !strcmp(s->id, "FLINK_POD_EXIT_137") || !strcmp(s->id, "K8S_EXIT_137") ||
		    !strcmp(s->id, "K8S_EXITCODE_137");
	if (bare && !ev->evicted && (low || has(text, len, "reason=ContainerStatusUnknown")))
		ev->not_memory = true;
	if (!strcmp(s->id, "K8S_EVICTED_CONTAINER") || !strcmp(s->id, "K8S_EVICTED_MEMORY") || ev->evicted) {
		ev->evict_request = quantity_after(text, len, "request is ");
		ev->evict_usage = ev->evict_request ? quantity_after(text, len, " was using ") : 0;
	}
	/* the kill's usage line alone: physical memory well under its limit
	 * means the virtual limit killed it */
	if (!strcmp(s->id, "YARN_KILL_USAGE") && ev->container_limit > 0)
		ev->yarn_vmem = yarn_usage(text, len) < ev->container_limit / 20 * 19;
	if (!strcmp(s->id, "ROCKSDB_SCOPE_INFO"))
		ev->rocksdb_managed = has(text, len, "managed=true") ? 1 : 0;
	else if (!strcmp(s->id, "ROCKSDB_SCOPE_INFO_OLD"))
		ev->rocksdb_managed = has(text, len, "managed memory") ? 1 : 0;
	fm_buf b = FM_BUF_INIT;
	if (fm_escape_line(&b, text, len, FM_EVENT_TEXT_MAX)) {
		fm_buf_release(&b);
		return FM_ENOMEM;
	}
	ev->text = fm_buf_detach(&b, NULL);
	if (!ev->text)
		return FM_ENOMEM;
	if (len > FM_EVENT_TEXT_MAX) {
		if (fm_escape_line(&b, text, len, FM_EVENT_JUDGE_MAX) || !(ev->whole = fm_buf_detach(&b, NULL))) {
			fm_buf_release(&b);
			fm_event_release(ev);
			return FM_ENOMEM;
		}
	}
	return FM_OK;
}

void fm_event_release(fm_event *ev)
{
	if (!ev)
		return;
	free(ev->text);
	free(ev->whole);
	ev->text = ev->whole = NULL;
}
