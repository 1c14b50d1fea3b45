/* gen_tmlog — writes a realistic Flink TaskManager log of a given size for
 * the scan benchmark: log4j layout (timestamp, level, logger, message),
 * startup configuration lines, task/checkpoint/network chatter, an
 * occasional non-memory stack trace, and a memory failure signature every
 * ~100k lines. Deterministic (fixed PRNG seed), so runs are comparable.
 *
 *   gen_tmlog SIZE [OUT]     SIZE: bytes, or with k/m/g suffix (1g = 1 GiB)
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rs = 0x2545f4914f6cdd1dULL;
static uint64_t rnd(void)
{
	rs ^= rs << 13;
	rs ^= rs >> 7;
	rs ^= rs << 17;
	return rs;
}

static const char *const loggers[] = {
	"org.apache.flink.runtime.taskexecutor.TaskExecutor",
	"org.apache.flink.runtime.taskmanager.Task",
	"org.apache.flink.runtime.state.heap.HeapKeyedStateBackendBuilder",
	"org.apache.flink.streaming.runtime.tasks.StreamTask",
	"org.apache.flink.runtime.io.network.netty.NettyServer",
	"org.apache.flink.runtime.checkpoint.channel.ChannelStateWriteRequestExecutorImpl",
	"org.apache.kafka.clients.consumer.internals.ConsumerCoordinator",
	"org.apache.flink.runtime.taskexecutor.slot.TaskSlotTableImpl",
};

static const char *const ops[] = {"Source: Kafka[orders]", "Map", "Window(TumblingEventTimeWindows(60000))",
				  "KeyedProcess", "Sink: Iceberg[events]", "Filter -> Timestamps/Watermarks"};

/* Memory failure lines the signatures must find (one every ~100k lines). */
static const char *const failures[] = {
	"java.lang.OutOfMemoryError: Java heap space",
	"java.lang.OutOfMemoryError: Direct buffer memory",
	"java.lang.OutOfMemoryError: Metaspace",
	"java.io.IOException: Insufficient number of network buffers: required 65, but only 12 available. "
	"The total number of network buffers is currently set to 2048 of 32768 bytes each.",
	"org.apache.flink.runtime.memory.MemoryAllocationException: Could not allocate 512 pages",
	"java.util.concurrent.TimeoutException: Heartbeat of TaskManager with id 10.0.3.17:6122-3f9a1c timed out.",
	"Fatal error occurred while executing the TaskManager. Shutting it down...",
};

static size_t stamp(char *b, size_t cap, uint64_t ms, const char *level, const char *logger)
{
	uint64_t s = ms / 1000;
	return (size_t)snprintf(b, cap, "2024-05-%02u %02u:%02u:%02u,%03u %-5s %-60s [] - ",
				(unsigned)(1 + s / 86400 % 28), (unsigned)(s / 3600 % 24),
				(unsigned)(s / 60 % 60), (unsigned)(s % 60), (unsigned)(ms % 1000), level,
				logger);
}

static size_t message(char *b, size_t cap, uint64_t line)
{
	const char *op = ops[rnd() % (sizeof(ops) / sizeof(ops[0]))];
	unsigned sub = (unsigned)(rnd() % 8), par = 8;
	uint64_t id = rnd();
	switch (rnd() % 9) {
	case 0:
		return (size_t)snprintf(b, cap, "%s (%u/%u)#0 (%016" PRIx64 "_%u) switched from RUNNING to FINISHED.",
					op, sub + 1, par, id, sub);
	case 1:
		return (size_t)snprintf(b, cap, "Received task %s (%u/%u)#0 (%016" PRIx64 "), deploy into slot with allocation id %016" PRIx64 ".",
					op, sub + 1, par, id, rnd());
	case 2:
		return (size_t)snprintf(b, cap, "Checkpoint %" PRIu64 " of job %016" PRIx64 " completed in %u ms; "
					"state size %u KB, checkpointed data %u KB.",
					line / 500, id, (unsigned)(rnd() % 5000), (unsigned)(rnd() % 900000),
					(unsigned)(rnd() % 90000));
	case 3:
		return (size_t)snprintf(b, cap, "[Consumer clientId=consumer-orders-%u, groupId=orders] Seeking to offset %" PRIu64
					" for partition orders-%u", sub, id % 100000000, sub);
	case 4:
		return (size_t)snprintf(b, cap, "Successful registration at resource manager akka.tcp://flink@jobmanager:6123/user/rpc/resourcemanager_0 under registration id %016" PRIx64 ".", id);
	case 5:
		return (size_t)snprintf(b, cap, "Free slot TaskSlot(index:%u, state:ACTIVE, resource profile: ResourceProfile{cpuCores=1, taskHeapMemory=%u.000mb, managedMemory=%u.000mb}, allocationId: %016" PRIx64 ").",
					sub, 384 + sub, 512, id);
	case 6:
		return (size_t)snprintf(b, cap, "Un-registering task and sending final execution state FINISHED to JobManager for task %s (%u/%u)#0 %016" PRIx64 ".",
					op, sub + 1, par, id);
	case 7:
		return (size_t)snprintf(b, cap, "Finished to build heap keyed state-backend with %u key groups in %u ms.",
					128u << (sub % 3), (unsigned)(rnd() % 40));
	default:
		return (size_t)snprintf(b, cap, "Channel state write request executor for %s started, %u buffers in flight.",
					op, (unsigned)(rnd() % 64));
	}
}

static uint64_t parse_size(const char *s)
{
	char *end;
	uint64_t v = strtoull(s, &end, 10);
	switch (*end) {
	case 'k': case 'K': return v << 10;
	case 'm': case 'M': return v << 20;
	case 'g': case 'G': return v << 30;
	default: return v;
	}
}

int main(int argc, char **argv)
{
	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: gen_tmlog SIZE [OUT]\n");
		return 2;
	}
	uint64_t size = parse_size(argv[1]);
	FILE *out = argc == 3 ? fopen(argv[2], "wb") : stdout;
	if (!out) {
		perror(argv[2]);
		return 2;
	}
	static char buf[1 << 20];
	size_t cap = sizeof(buf), len = 0;
	uint64_t written = 0, line = 0, ms = 1714557600000ULL % 86400000ULL;
	static const char *const conf[] = {
		"taskmanager.memory.process.size, 4096m", "taskmanager.numberOfTaskSlots, 4",
		"taskmanager.memory.managed.fraction, 0.4", "state.backend.type, rocksdb",
		"taskmanager.memory.network.fraction, 0.1", "jobmanager.rpc.address, flink-jobmanager"};
	while (written + len < size) {
		char *b = buf + len;
		size_t room = cap - len, n;
		line++;
		ms += rnd() % 40;
		if (line <= sizeof(conf) / sizeof(conf[0])) {
			n = stamp(b, room, ms, "INFO", "org.apache.flink.configuration.GlobalConfiguration");
			n += (size_t)snprintf(b + n, room - n, "Loading configuration property: %s", conf[line - 1]);
		} else if (rnd() % 100000 == 0) {
			const char *f = failures[rnd() % (sizeof(failures) / sizeof(failures[0]))];
			n = stamp(b, room, ms, "ERROR", loggers[1]);
			n += (size_t)snprintf(b + n, room - n, "Task failed with %s", f);
		} else if (rnd() % 20000 == 0) { /* a harmless stack trace */
			n = (size_t)snprintf(b, room, "java.net.SocketTimeoutException: Read timed out\n"
				"\tat java.base/sun.nio.ch.NioSocketImpl.timedRead(NioSocketImpl.java:283)\n"
				"\tat org.apache.kafka.common.network.Selector.poll(Selector.java:481)\n"
				"\tat org.apache.flink.streaming.connectors.kafka.internals.KafkaConsumerThread.run(KafkaConsumerThread.java:249)");
		} else {
			unsigned lv = (unsigned)(rnd() % 50);
			n = stamp(b, room, ms, lv == 0 ? "WARN" : lv == 1 ? "DEBUG" : "INFO",
				  loggers[rnd() % (sizeof(loggers) / sizeof(loggers[0]))]);
			n += message(b + n, room - n, line);
		}
		b[n++] = '\n';
		len += n;
		if (cap - len < 4096 || written + len >= size) {
			size_t keep = written + len > size ? (size_t)(size - written) : len;
			if (fwrite(buf, 1, keep, out) != keep) {
				perror("write");
				return 1;
			}
			written += keep;
			len = 0;
		}
	}
	if (fclose(out) != 0) {
		perror("close");
		return 1;
	}
	return 0;
}
