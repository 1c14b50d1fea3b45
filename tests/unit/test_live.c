/* Unit tests of live's REST readers and analysis: each release's field
 * names, values as strings, malformed bodies, and the judgement over
 * scripted samples (trends need set sample times, which the CLI test
 * against a live server cannot give deterministically). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "flinkmem/live.h"

#define MIB ((int64_t)1 << 20)

static void read_ok(int rc)
{
	assert_int_equal(rc, FM_OK);
}

static const char conf_1728[] = "[{\"key\":\"taskmanager.memory.process.size\",\"value\":\"1728m\"},"
				"{\"key\":\"jobmanager.memory.process.size\",\"value\":\"1600m\"},"
				"{\"key\":\"taskmanager.numberOfTaskSlots\",\"value\":\"2\"}]";

/* A snapshot with ntm TaskManagers "tm-0".. and the config above. */
static void snap(fm_live_snap *s, size_t ntm, double t, int64_t submitted)
{
	fm_live_snap_init(s);
	s->t = t;
	s->jobs_submitted = submitted;
	s->jobs_running = 1;
	s->flink_version = strdup("1.20.0");
	fm_diag d = FM_DIAG_INIT;
	read_ok(fm_live_read_jm_config(s, conf_1728, sizeof conf_1728 - 1, &d));
	char list[4096];
	size_t at = (size_t)snprintf(list, sizeof list, "{\"taskmanagers\":[");
	for (size_t i = 0; i < ntm; i++)
		at += (size_t)snprintf(list + at, sizeof list - at, "%s{\"id\":\"tm-%zu\",\"slotsNumber\":2,\"freeSlots\":1}",
				       i ? "," : "", i);
	snprintf(list + at, sizeof list - at, "]}");
	read_ok(fm_live_read_tm_list(s, list, strlen(list), &d));
	fm_diag_release(&d);
}

static const fm_live_finding *find(const fm_live_report *r, const char *code)
{
	for (size_t i = 0; i < r->nf; i++)
		if (strcmp(r->f[i].code, code) == 0)
			return &r->f[i];
	return NULL;
}

static void test_details_per_release(void **state)
{
	(void)state;
	fm_live_snap s;
	snap(&s, 1, 0, 1);
	fm_diag d = FM_DIAG_INIT;
	/* 1.10/1.11: no memoryConfiguration, memorySegments* only */
	static const char v110[] = "{\"id\":\"tm-0\",\"hardware\":{\"cpuCores\":4,\"physicalMemory\":100},"
				   "\"metrics\":{\"heapUsed\":10,\"heapMax\":20,\"directUsed\":5,\"directMax\":6,"
				   "\"memorySegmentsAvailable\":7,\"memorySegmentsTotal\":8,"
				   "\"garbageCollectors\":[{\"name\":\"PS_Scavenge\",\"count\":3,\"time\":4}]}}";
	read_ok(fm_live_read_tm_details(&s.tms[0], v110, sizeof v110 - 1, &d));
	fm_live_tm *t = &s.tms[0];
	assert_false(t->has_cfg);
	assert_int_equal(t->jvm.heap_used, 10);
	assert_int_equal(t->jvm.direct_capacity, 6);
	assert_int_equal(t->seg_avail, 7);
	assert_int_equal(t->seg_total, 8);
	assert_int_equal(t->net_total, FM_LIVE_NA);
	assert_int_equal(t->cpu_cores, 4);
	assert_int_equal(t->jvm.ngc, 1);
	assert_string_equal(t->jvm.gc[0].name, "PS_Scavenge");
	assert_int_equal(t->jvm.gc[0].time_ms, 4);
	/* 2.x: memoryConfiguration, nettyShuffleMemory* only */
	static const char v22[] = "{\"id\":\"tm-0\",\"memoryConfiguration\":{\"frameworkHeap\":1,\"taskHeap\":2,"
				  "\"frameworkOffHeap\":3,\"taskOffHeap\":4,\"networkMemory\":5,\"managedMemory\":6,"
				  "\"jvmMetaspace\":7,\"jvmOverhead\":8,\"totalFlinkMemory\":9,\"totalProcessMemory\":10},"
				  "\"metrics\":{\"nettyShuffleMemoryAvailable\":0,\"nettyShuffleMemoryTotal\":64}}";
	read_ok(fm_live_read_tm_details(&s.tms[0], v22, sizeof v22 - 1, &d));
	assert_true(t->has_cfg);
	assert_int_equal(t->cfg[FM_LC_TASK_HEAP], 2);
	assert_int_equal(t->cfg[FM_LC_TOTAL_PROCESS], 10);
	assert_int_equal(t->net_avail, 0);
	assert_int_equal(t->net_total, 64);
	/* metric values are strings; a real or a junk value */
	static const char met[] = "[{\"id\":\"Status.JVM.Memory.Metaspace.Used\",\"value\":\"123\"},"
				  "{\"id\":\"Status.JVM.Memory.Metaspace.Max\",\"value\":\"2.5E2\"},"
				  "{\"id\":\"Status.Flink.Memory.Managed.Used\",\"value\":\"n/a\"}]";
	read_ok(fm_live_read_tm_metrics(t, met, sizeof met - 1, &d));
	assert_int_equal(t->jvm.meta_used, 123);
	assert_int_equal(t->jvm.meta_max, 250);
	assert_int_equal(t->managed_used, FM_LIVE_NA);
	/* shapes that are not the endpoint's: named errors */
	assert_int_equal(fm_live_read_tm_details(t, "[1]", 3, &d), FM_ESYNTAX);
	assert_non_null(strstr(d.msg, "expected"));
	assert_int_equal(fm_live_read_overview(&s, "{\"taskmanagers\": ", 17, &d), FM_ESYNTAX);
	assert_non_null(strstr(d.msg, "not JSON"));
	fm_diag_release(&d);
	fm_live_snap_release(&s);
}

static void test_overview_and_jobs(void **state)
{
	(void)state;
	fm_live_snap s;
	fm_live_snap_init(&s);
	fm_diag d = FM_DIAG_INIT;
	static const char ov[] = "{\"taskmanagers\":3,\"slots-total\":6,\"slots-available\":1,\"jobs-running\":2,"
				 "\"jobs-finished\":5,\"jobs-cancelled\":1,\"jobs-failed\":1,\"flink-version\":\"1.12.7\"}";
	read_ok(fm_live_read_overview(&s, ov, sizeof ov - 1, &d));
	assert_int_equal(s.jobs_submitted, 9);
	assert_string_equal(s.flink_version, "1.12.7");
	char **ids;
	size_t n;
	static const char jobs[] = "{\"jobs\":[{\"jid\":\"a\",\"state\":\"FAILED\"},{\"jid\":\"b\",\"state\":\"FINISHED\"},"
				   "{\"jid\":\"c\",\"state\":\"RESTARTING\"},{\"jid\":\"d\",\"state\":\"RUNNING\"}]}";
	read_ok(fm_live_read_jobs(jobs, sizeof jobs - 1, 2, &ids, &n, &d));
	assert_int_equal(n, 2); /* capped; FINISHED skipped */
	assert_string_equal(ids[0], "a");
	assert_string_equal(ids[1], "c");
	for (size_t i = 0; i < n; i++)
		free(ids[i]);
	free(ids);
	fm_diag_release(&d);
	fm_live_snap_release(&s);
}

/* Heap in use rising 10 MiB an hour towards a 200 MiB max: a warning with
 * the hours left; GC taking half the wall time between two samples. */
static void test_heap_trend_and_gc(void **state)
{
	(void)state;
	fm_live_snap v[4];
	const fm_live_snap *pv[4];
	for (int i = 0; i < 4; i++) {
		snap(&v[i], 1, 3600.0 * i, 3);
		v[i].tms[0].jvm.heap_max = 200 * MIB;
		v[i].tms[0].jvm.heap_used = (100 + 10 * i) * MIB;
		pv[i] = &v[i];
	}
	/* GC: 5 s of the last 10 s (only the last two samples' times matter) */
	v[2].t = v[3].t - 10;
	v[2].tms[0].jvm.gc = calloc(1, sizeof(fm_live_gc));
	v[3].tms[0].jvm.gc = calloc(1, sizeof(fm_live_gc));
	v[2].tms[0].jvm.gc[0] = (fm_live_gc){strdup("G1"), 1, 1000};
	v[3].tms[0].jvm.gc[0] = (fm_live_gc){strdup("G1"), 9, 6000};
	v[2].tms[0].jvm.ngc = v[3].tms[0].jvm.ngc = 1;
	v[2].t = 7200, v[3].t = 10800; /* restore the hourly series */
	fm_live_report r;
	read_ok(fm_live_analyze(pv, 4, NULL, &r));
	const fm_live_finding *f = find(&r, "heap-trend");
	assert_non_null(f);
	assert_int_equal(f->sev, FM_LIVE_WARNING);
	assert_non_null(strstr(f->message, "+5.0%/h"));
	assert_non_null(strstr(f->message, "~7 h"));
	assert_non_null(f->fix); /* re-derived by plan: a larger heap (a grown process keeps its fractions) */
	assert_true(strstr(f->fix, "task.heap.size") || strstr(f->fix, "process.size"));
	/* 5000 ms of GC in 3600 s: under 10%, no finding */
	assert_null(find(&r, "gc-time"));
	fm_live_report_release(&r);
	v[2].t = 10790; /* now 5 s of GC in 10 s */
	const fm_live_snap *last2[2] = {&v[2], &v[3]};
	read_ok(fm_live_analyze(last2, 2, NULL, &r));
	f = find(&r, "gc-time");
	assert_non_null(f);
	assert_int_equal(f->sev, FM_LIVE_WARNING);
	assert_non_null(strstr(f->message, "50%"));
	fm_live_report_release(&r);
	for (int i = 0; i < 4; i++)
		fm_live_snap_release(&v[i]);
}

/* Metaspace growing 40 MiB per submission with 76 MiB left: one more. */
static void test_metaspace_per_submission(void **state)
{
	(void)state;
	fm_live_snap v[3];
	const fm_live_snap *pv[3];
	for (int i = 0; i < 3; i++) {
		snap(&v[i], 1, 60.0 * i, 1 + i);
		v[i].tms[0].jvm.meta_used = (100 + 40 * i) * MIB;
		v[i].tms[0].jvm.meta_max = 256 * MIB;
		pv[i] = &v[i];
	}
	fm_live_report r;
	read_ok(fm_live_analyze(pv, 3, NULL, &r));
	const fm_live_finding *f = find(&r, "metaspace-trend");
	assert_non_null(f);
	assert_int_equal(f->sev, FM_LIVE_WARNING);
	assert_non_null(strstr(f->message, "+40.0 MiB per job submission: 1 more submission until"));
	assert_non_null(f->fix);
	assert_non_null(strstr(f->fix, "taskmanager.memory.jvm-metaspace.size"));
	assert_null(find(&r, "metaspace-high")); /* 180 of 256 MiB is not yet 90% */
	fm_live_report_release(&r);
	/* one sample alone predicts nothing */
	read_ok(fm_live_analyze(pv + 2, 1, NULL, &r));
	assert_null(find(&r, "metaspace-trend"));
	fm_live_report_release(&r);
	for (int i = 0; i < 3; i++)
		fm_live_snap_release(&v[i]);
}

/* Direct memory is judged against our derived -XX:MaxDirectMemorySize
 * (the REST directMax is the pool's capacity, not the limit); a TaskManager
 * whose reported layout differs from the derivation is named; the same
 * note on many TaskManagers is one finding. */
static void test_direct_layout_grouping(void **state)
{
	(void)state;
	fm_live_snap s;
	snap(&s, 5, 0, 1);
	for (size_t i = 0; i < s.ntm; i++) {
		s.tms[i].managed_total = 512 * MIB;
		s.tms[i].managed_used = 0;
	}
	s.tms[0].jvm.direct_used = 250 * MIB; /* of 268435458 bytes derived */
	s.tms[0].jvm.direct_capacity = 250 * MIB;
	s.tms[1].has_cfg = true;
	const int64_t cfg[FM_LC_COUNT] = {134217728, 999, 134217728, 0, 134217730, 536870920,
					  268435456, 201326592, 1342177280, 1811939328};
	memcpy(s.tms[1].cfg, cfg, sizeof cfg);
	const fm_live_snap *pv[1] = {&s};
	fm_live_report r;
	read_ok(fm_live_analyze(pv, 1, NULL, &r));
	const fm_live_finding *f = find(&r, "direct-high");
	assert_non_null(f);
	assert_string_equal(f->process, "taskmanager tm-0");
	assert_non_null(strstr(f->message, "256.0 MiB limit"));
	f = find(&r, "layout-differs");
	assert_non_null(f);
	assert_string_equal(f->process, "taskmanager tm-1");
	assert_non_null(strstr(f->message, "taskHeap 999 (derived 402653174)"));
	f = find(&r, "managed-unused");
	assert_non_null(f);
	assert_string_equal(f->process, "5 taskmanagers (tm-0, tm-1, tm-2, +2 more)");
	size_t managed = 0;
	for (size_t i = 0; i < r.nf; i++)
		managed += strcmp(r.f[i].code, "managed-unused") == 0;
	assert_int_equal(managed, 1);
	/* the RocksDB backend uses managed memory: no such note */
	fm_live_report_release(&r);
	fm_origin at = {NULL, 0, 0, FM_SRC_DYNAMIC};
	read_ok(fm_conf_set_str(s.conf, "state.backend.type", "rocksdb", &at));
	read_ok(fm_live_analyze(pv, 1, NULL, &r));
	assert_null(find(&r, "managed-unused"));
	fm_live_report_release(&r);
	fm_live_snap_release(&s);
}

/* Text output keeps network-supplied bytes inert and fits 80 columns. */
static void test_render_escapes_and_width(void **state)
{
	(void)state;
	fm_live_snap s;
	snap(&s, 1, 0, 1);
	free(s.tms[0].id);
	s.tms[0].id = strdup("evil\x1b[2J\x07-tm-with-a-very-long-identifier-0");
	s.tms[0].jvm.meta_used = 250 * MIB;
	s.tms[0].jvm.meta_max = 256 * MIB;
	const fm_live_snap *pv[1] = {&s};
	fm_live_report r;
	read_ok(fm_live_analyze(pv, 1, NULL, &r));
	fm_buf b;
	fm_buf_init(&b, 0);
	read_ok(fm_live_render_text(&b, &s, &r, "http://127.0.0.1:8081"));
	assert_null(memchr(b.data, 0x1b, b.len));
	assert_null(memchr(b.data, 0x07, b.len));
	for (const char *p = b.data; *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		if (len > 80)
			fail_msg("line over 80 columns: %.*s", (int)len, p);
		p += len + (nl ? 1 : 0);
	}
	fm_buf_reset(&b);
	read_ok(fm_live_render_json(&b, &s, &r, "http://127.0.0.1:8081"));
	assert_non_null(strstr(b.data, "evil\\u001b[2J\\u0007"));
	fm_buf_release(&b);
	fm_live_report_release(&r);
	fm_live_snap_release(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_details_per_release),
		cmocka_unit_test(test_overview_and_jobs),
		cmocka_unit_test(test_heap_trend_and_gc),
		cmocka_unit_test(test_metaspace_per_submission),
		cmocka_unit_test(test_direct_layout_grouping),
		cmocka_unit_test(test_render_escapes_and_width),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
