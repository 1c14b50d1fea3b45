/* signatures — the signature table; see include/flinkmem/signatures.h.
 * Order matters: on one line, the first signature of a failure kind wins,
 * so Flink's hint texts (which name the process) come before the bare JDK
 * texts, and specific texts before catch-alls. Texts are the exact log
 * strings from shared/knowledge (Flink, JDK, Kubernetes, Hadoop). The three
 * rows marked [verify] there were checked in public sources: the kubelet's
 * "System OOM encountered, victim process:" node event, the eviction text
 * "The node was low on resource: memory." and HotSpot's "Terminating due to
 * java.lang.OutOfMemoryError:" followed by exit status 3. */
#include "flinkmem/signatures.h"

#include <pthread.h>
#include <string.h>

#define LIT false
#define RE true

/* Fix-key groups shared by several rows. */
#define K_TM_HEAP "taskmanager.memory.task.heap.size,taskmanager.memory.managed.fraction,taskmanager.memory.process.size"
#define K_JM_HEAP "jobmanager.memory.heap.size,jobmanager.memory.process.size"
#define K_ANY_HEAP K_TM_HEAP "," K_JM_HEAP
#define K_TM_DIRECT "taskmanager.memory.task.off-heap.size,taskmanager.memory.framework.off-heap.size"
#define K_ANY_DIRECT K_TM_DIRECT ",jobmanager.memory.off-heap.size"
#define K_META "taskmanager.memory.jvm-metaspace.size,jobmanager.memory.jvm-metaspace.size"
#define K_NET "taskmanager.memory.network.fraction,taskmanager.memory.network.min,taskmanager.memory.network.max"
#define K_MANAGED \
	"taskmanager.memory.managed.size,taskmanager.memory.managed.fraction,taskmanager.memory.managed.consumer-weights"
#define K_KILL                                                                                                  \
	"taskmanager.memory.jvm-overhead.min,taskmanager.memory.jvm-overhead.max,taskmanager.memory.jvm-overhead." \
	"fraction,taskmanager.memory.process.size,state.backend.rocksdb.memory.managed,taskmanager.memory.managed.size"
#define K_VMEM "yarn.nodemanager.vmem-check-enabled,yarn.nodemanager.vmem-pmem-ratio"
#define K_NATIVE "taskmanager.memory.jvm-overhead.min,taskmanager.memory.jvm-overhead.fraction,taskmanager.memory.process.size"
#define K_THREAD "taskmanager.memory.jvm-overhead.min,taskmanager.memory.jvm-overhead.fraction,taskmanager.numberOfTaskSlots"

#define P(id, re, expr, fail, ph, anchor, keys, what) {id, expr, re, false, fail, FM_ROLE_PRIMARY, ph, anchor, keys, what}
#define R(id, re, expr, role, ph, keys, what) {id, expr, re, false, FM_F_NONE, role, ph, NULL, keys, what}
#define RF(id, re, expr, fail, role, ph, keys, what) {id, expr, re, false, fail, role, ph, NULL, keys, what}

static const fm_sig table[] = {
	/* another system's process: its OutOfMemoryError is not Flink's. First in
	 * the table: on a line that also holds an error (one JSON record with its
	 * trace), the line's logger is read before the error it logs */
	R("CTX_OTHER_SYSTEM", RE, "(org\\.apache\\.spark\\.|org\\.apache\\.hadoop\\.mapred\\.YarnChild|"
	  "kafka\\.server\\.KafkaServer|org\\.elasticsearch\\.bootstrap\\.|"
	  /* the server's uncaught-error handler, under its short logger name
	   * too ("[o.e.b.ElasticsearchUncaughtExceptionHandler]": "fatal error in
	   * thread [...], exiting"); OpenSearch's fork of it */
	  "(Elasticsearch|OpenSearch)UncaughtExceptionHandler|org\\.apache\\.cassandra\\.service\\.|"
	  "io\\.trino\\.server\\.|org\\.apache\\.hadoop\\.hbase\\.regionserver\\.HRegionServer|"
	  "org\\.apache\\.kafka\\.connect\\.runtime\\.|org\\.apache\\.hive\\.service\\.server\\.HiveServer2|"
	  "com\\.facebook\\.presto\\.server\\.|"
	  /* server-side packages only (a Flink TaskManager runs their clients):
	   * Pulsar's standalone starter and broker, BookKeeper's bookie,
	   * SeaTunnel's own Zeta engine, Tez and Pig task runtimes; Spark's
	   * executor container entrypoint and its driver's ExecutorLostFailure */
	  "org\\.apache\\.pulsar\\.PulsarStandaloneStarter|org\\.apache\\.pulsar\\.broker\\.|bookkeeper\\.bookie\\.|"
	  "org\\.apache\\.seatunnel\\.engine\\.server\\.|org\\.apache\\.tez\\.|org\\.apache\\.pig\\.|"
	  "spark-kubernetes-executor|ExecutorLostFailure|"
	  /* other JVM servers' own daemons */
	  "org\\.apache\\.zookeeper\\.server\\.|org\\.apache\\.storm\\.daemon\\.|org\\.apache\\.nifi\\.|"
	  "org\\.apache\\.druid\\.server\\.|org\\.apache\\.solr\\.core\\.|org\\.logstash\\.|org\\.apache\\.ignite\\.|"
	  /* a Hazelcast member's own operations and services (SeaTunnel's Zeta
	   * engine and Jet clusters are built on it; a client never runs them) */
	  "com\\.hazelcast\\.(internal\\.(partition|locksupport|cluster)|spi\\.impl\\.operationservice)\\.|"
	  /* and its operation threads, which only a member has (OperationExecutorImpl
	   * names them "hz.<instance>.generic-operation.thread-N", also
	   * "priority-generic-operation" and "partition-operation") */
	  "hz\\.[^ .]+\\.(priority-generic|generic|partition)-operation\\.thread-|"
	  /* storage servers whose clients a TaskManager runs: Alluxio's master
	   * and worker, a Ratis (Raft) server, HDFS's NameNode and DataNode,
	   * HBase's master */
	  "alluxio\\.(master|worker)\\.|org\\.apache\\.ratis\\.server\\.|org\\.apache\\.hadoop\\.hdfs\\.server\\.|"
	  "org\\.apache\\.hadoop\\.hbase\\.master\\.)",
	  FM_ROLE_CONTEXT, FM_PH_OTHER, NULL, "another system's process (Spark, MapReduce, Kafka, ...)"),
	/* ---- heap ---------------------------------------------------------- */
	P("OOM_HEAP_JM_HINT", LIT, "Java heap space. A heap space-related out-of-memory error has occurred.", FM_F_HEAP,
	  FM_PH_JM, NULL, K_JM_HEAP, "JobManager heap exhausted (Flink's JobManager hint)"),
	P("OOM_HEAP", LIT, "OutOfMemoryError: Java heap space", FM_F_HEAP, FM_PH_ANY, NULL, K_ANY_HEAP,
	  "JVM heap exhausted"),
	/* Flink up to 1.14 ships a failure to the JobManager and the checkpoint
	 * coordinator as a SerializedThrowable that keeps only the original
	 * message (FLINK-25970 added the class name in 1.15); log4j2 prints the
	 * wrapper's own class: "org.apache.flink.util.SerializedThrowable: Java
	 * heap space" is a remote OutOfMemoryError */
	P("FLINK_SERIALIZED_OOM_HEAP", LIT, "SerializedThrowable: Java heap space", FM_F_HEAP, FM_PH_ANY, NULL, K_ANY_HEAP,
	  "JVM heap exhausted (a failure relayed by Flink up to 1.14)"),
	P("FLINK_SERIALIZED_OOM_GC", LIT, "SerializedThrowable: GC overhead limit exceeded", FM_F_GC_OVERHEAD, FM_PH_ANY,
	  NULL, K_ANY_HEAP, "the collector could not free heap (a failure relayed by Flink up to 1.14)"),
	P("FLINK_SERIALIZED_OOM_METASPACE", LIT, "SerializedThrowable: Metaspace", FM_F_METASPACE, FM_PH_ANY, NULL, K_META,
	  "JVM metaspace exhausted (a failure relayed by Flink up to 1.14)"),
	P("FLINK_SERIALIZED_OOM_DIRECT", LIT, "SerializedThrowable: Direct buffer memory", FM_F_DIRECT, FM_PH_ANY, NULL,
	  K_ANY_DIRECT, "JVM direct memory limit reached (a failure relayed by Flink up to 1.14)"),
	/* ZGC's unified-logging line when an allocation finds no heap page
	 * (ZHeap/XHeap::out_of_memory, JDK 11-23): the allocating thread gets
	 * "OutOfMemoryError: Java heap space" next, often in another file (a GC
	 * log written beside the process log). Tags may be padded: "[gc    ]" */
	P("ZGC_OUT_OF_MEMORY", RE, "\\[gc *\\] Out Of Memory \\(", FM_F_HEAP, FM_PH_ANY, NULL, K_ANY_HEAP,
	  "ZGC found no free heap for an allocation (a Java heap space OutOfMemoryError)"),
	P("OOM_GC_OVERHEAD", LIT, "OutOfMemoryError: GC overhead limit exceeded", FM_F_GC_OVERHEAD, FM_PH_ANY, NULL,
	  K_ANY_HEAP, "the collector spends nearly all time reclaiming almost nothing: heap too small or a leak"),
	P("OOM_ARRAY_LIMIT", LIT, "OutOfMemoryError: Requested array size exceeds VM limit", FM_F_HEAP, FM_PH_ANY, NULL,
	  "(user code / record size)", "one array larger than the JVM allows: a record or collection bug, not heap size"),
	/* the JDK's own size limits (java.base, 11-21): one array or string
	 * past Integer.MAX_VALUE elements, whatever the heap size */
	P("JDK_ARRAY_LENGTH_TOO_LARGE", RE, "OutOfMemoryError: Required array length [0-9]+ \\+ [0-9]+ is too large",
	  FM_F_HEAP, FM_PH_ANY, NULL, "(user code / record size)",
	  "an array grew past the JVM's largest length: a record or collection bug, not heap size"),
	P("JDK_STRING_TOO_LONG", RE, "OutOfMemoryError: (UTF16 String size is [0-9]+|Overflow: String length out of range)",
	  FM_F_HEAP, FM_PH_ANY, NULL, "(user code / record size)",
	  "a string grew past the JVM's largest length: a record bug, not heap size"),
	/* Unsafe.allocateMemory (11-21): malloc refused the process memory
	 * (Flink's managed memory and network buffers are allocated this way) */
	P("JDK_UNSAFE_ALLOCATE", RE, "OutOfMemoryError: Unable to allocate [0-9]+ bytes", FM_F_NATIVE_MEMORY, FM_PH_ANY,
	  NULL, K_NATIVE, "the operating system refused native memory to the JVM (malloc failed)"),
	P("FLINK_ARRAY_TOO_LARGE", RE, "(OutOfMemoryError: Required array size too large|Required minimum heap size [0-9]+ "
	  "exceeds maximum size of)", FM_F_HEAP, FM_PH_ANY, NULL, "(user code / record size)",
	  "Flink refused to grow an array past the JVM's limit: a record or state bug, not heap size"),
	P("SERIALIZE_EXCEEDS_HEAP", LIT, "exceeds JVM heap space", FM_F_HEAP, FM_PH_ANY, NULL, "(user code / record size)",
	  "one record serializes to more than an array can hold: a record bug, not heap size"),
	/* Wrappers that keep the JVM text but change the class (JDBC drivers,
	 * client libraries): "java.sql.SQLException: Java heap space". */
	P("WRAPPED_HEAP", LIT, "Exception: Java heap space", FM_F_HEAP, FM_PH_ANY, NULL, K_ANY_HEAP,
	  "heap exhausted (an OutOfMemoryError re-thrown by a driver or library under its own class)"),
	P("WRAPPED_GC_OVERHEAD", LIT, "Exception: GC overhead limit exceeded", FM_F_GC_OVERHEAD, FM_PH_ANY, NULL,
	  K_ANY_HEAP, "GC overhead limit (an OutOfMemoryError re-thrown under another class)"),
	P("PGJDBC_OOM", LIT, "Ran out of memory retrieving query results.", FM_F_HEAP, FM_PH_ANY, NULL,
	  K_ANY_HEAP ",(JDBC fetch size)", "the PostgreSQL driver ran out of heap holding a result set (set a fetch size)"),
	/* ---- direct -------------------------------------------------------- */
	P("OOM_DIRECT_JM_HINT", LIT, "either Flink Master requires a larger size of JVM direct memory", FM_F_DIRECT,
	  FM_PH_JM, NULL, "jobmanager.memory.off-heap.size,jobmanager.memory.enable-jvm-direct-memory-limit",
	  "JobManager direct memory exhausted (Flink's JobManager hint)"),
	P("OOM_DIRECT_TM_HINT", LIT, "either job(s) require(s) a larger size of JVM direct memory",
	  FM_F_DIRECT, FM_PH_TM, NULL, K_TM_DIRECT, "TaskManager direct memory exhausted (Flink's TaskManager hint)"),
	/* the fixed text through the first count is NetworkBufferPool's alone;
	 * the other counts may be cut off in a paste (a slide, a cut line) */
	P("NBP_ALLOC_FAIL", RE,
	  "Could not allocate enough memory segments for NetworkBufferPool \\(required \\((MB|Mb)\\): [0-9]+(, allocated "
	  "\\((MB|Mb)\\): [0-9]+, missing \\((MB|Mb)\\): [0-9]+\\))?",
	  FM_F_NETWORK, FM_PH_TM, "NetworkBufferPool",
	  K_NET ",env.java.opts.taskmanager(remove -XX:MaxDirectMemorySize)",
	  "the TaskManager could not allocate its network memory as direct memory at start"),
	/* the counts after the request may be cut off in a paste (the remedy
	 * reads the request alone) */
	P("NETTY_DIRECT_OOM", RE,
	  "OutOfDirectMemoryError: failed to allocate [0-9]+ byte\\(s\\) of direct memory( \\(used: [0-9]+, max: [0-9]+\\))?",
	  FM_F_DIRECT, FM_PH_ANY, "failed to allocate", K_TM_DIRECT, "Netty ran out of direct memory"),
	P("OOM_DIRECT_JDK17", RE,
	  /* the counts may sit on the next line of a wrapped paste, or be cut
	   * off with the words after "direct" */
	  "OutOfMemoryError: Cannot reserve [0-9]+ bytes of direct( buffer memory( \\(allocated: [0-9]+, limit: [0-9]+\\))?)?",
	  FM_F_DIRECT, FM_PH_ANY, "Cannot reserve", K_ANY_DIRECT, "JVM direct memory limit reached (JDK 17+ text)"),
	P("BATCH_SHUFFLE_DIRECT", LIT, "Can't allocate enough direct buffer for batch shuffle read buffer pool",
	  FM_F_DIRECT, FM_PH_TM, "allocated:",
	  "taskmanager.memory.framework.off-heap.batch-shuffle.size,taskmanager.memory.framework.off-heap.size",
	  "the batch shuffle read pool (framework off-heap) could not get its direct memory"),
	P("NBP_QUEUE_FAIL", LIT, "Could not allocate buffer queue of length", FM_F_NETWORK, FM_PH_TM, "length", K_NET,
	  "the network buffer pool could not allocate its segment queue"),
	P("OOM_DIRECT", LIT, "OutOfMemoryError: Direct buffer memory", FM_F_DIRECT, FM_PH_ANY, NULL, K_ANY_DIRECT,
	  "JVM direct memory limit reached"),
	/* ---- metaspace ----------------------------------------------------- */
	P("OOM_METASPACE_JM_HINT", LIT, "either Flink Master requires a larger size of JVM metaspace", FM_F_METASPACE,
	  FM_PH_JM, NULL, "jobmanager.memory.jvm-metaspace.size", "JobManager metaspace exhausted (Flink's hint)"),
	P("OOM_METASPACE_TM_HINT", LIT, "either the job requires a larger size of JVM metaspace to load classes",
	  FM_F_METASPACE, FM_PH_ANY, NULL, "taskmanager.memory.jvm-metaspace.size",
	  "metaspace exhausted (Flink's TaskManager hint)"),
	P("OOM_METASPACE", LIT, "OutOfMemoryError: Metaspace", FM_F_METASPACE, FM_PH_ANY, NULL, K_META,
	  "JVM metaspace exhausted"),
	P("OOM_COMPRESSED_CLASS", LIT, "OutOfMemoryError: Compressed class space", FM_F_METASPACE, FM_PH_ANY, NULL,
	  K_META ",env.java.opts.taskmanager(-XX:CompressedClassSpaceSize)", "compressed class space exhausted"),
	/* ---- native -------------------------------------------------------- */
	P("OOM_NATIVE_THREAD", RE, "OutOfMemoryError: unable to create (new )?native thread", FM_F_NATIVE_THREAD,
	  FM_PH_ANY, NULL, K_THREAD, "the JVM could not start another thread (threads, pids or stack memory)"),
	P("JVM_NATIVE_OOM", LIT, "There is insufficient memory for the Java Runtime Environment to continue.",
	  FM_F_NATIVE_MEMORY, FM_PH_ANY, NULL, "taskmanager.memory.process.size,taskmanager.memory.jvm-overhead.min",
	  "the JVM could not get native memory from the OS (malloc/mmap failed)"),
	P("JVM_NATIVE_ALLOC_FAIL", RE, "Native memory allocation \\((mmap|malloc)\\) failed to (map|allocate) [0-9]+ bytes",
	  FM_F_NATIVE_MEMORY, FM_PH_ANY, "failed to", K_NATIVE, "a native allocation of the JVM failed"),
	P("JVM_COMMIT_MEMORY_FAIL", RE, "os::commit_memory\\(0x[0-9a-fA-F]+, [0-9]+, [0-9]\\) failed; error=", FM_F_NATIVE_MEMORY,
	  FM_PH_ANY, ", ", K_NATIVE, "the JVM could not commit memory it had reserved (the OS refused: ENOMEM)"),
	P("HS_ERR_OOM", LIT, "Out of Memory Error (", FM_F_NATIVE_MEMORY, FM_PH_ANY, NULL, K_NATIVE,
	  "hs_err report of a native out-of-memory crash of the JVM"),
	P("JVM_MAP_FAILED", LIT, "OutOfMemoryError: Map failed", FM_F_NATIVE_MEMORY, FM_PH_ANY, NULL,
	  K_NATIVE ",(vm.max_map_count)", "mmap of a file failed: address space or vm.max_map_count exhausted"),
	P("FORK_ENOMEM", RE, "(error=12, Cannot allocate memory|fork: Cannot allocate memory)", FM_F_NATIVE_MEMORY,
	  FM_PH_ANY, NULL, K_NATIVE, "starting a child process (python, a shell) failed: no memory left to fork"),
	P("CXX_BAD_ALLOC", LIT, "terminate called after throwing an instance of 'std::bad_alloc'", FM_F_ROCKSDB,
	  FM_PH_ANY, NULL, K_KILL, "a native (C++) allocation failed and aborted the process; in Flink that is RocksDB"),
	P("JVM_THREAD_EAGAIN", RE, "(Failed to start (the native )?thread|pthread_create failed \\(EAGAIN\\))",
	  FM_F_NATIVE_THREAD, FM_PH_ANY, NULL, K_THREAD,
	  "the JVM could not start a thread (unified-logging warning: EAGAIN = thread/pid limit or memory)"),
	/* HotSpot exits so when it cannot start a GC worker (JDK 8's
	 * gcTaskThread.cpp, "Cannot create GC thread"; workgroup.cpp from 9,
	 * "worker GC thread"), under the generic "insufficient memory" header */
	P("JVM_GC_THREAD_CREATE", RE, "Cannot create (worker )?GC thread\\. Out of system resources", FM_F_NATIVE_THREAD,
	  FM_PH_ANY, NULL, K_THREAD, "the JVM could not start a GC thread (threads, pids limit or stack memory)"),
	P("FORK_EAGAIN", LIT, "fork: retry: Resource temporarily unavailable", FM_F_NATIVE_THREAD, FM_PH_ANY, NULL,
	  K_THREAD, "the container hit its process/thread limit (pids)"),
	P("JVM_HEAP_RESERVE_FAIL", RE, "Could not reserve enough space for ([0-9]+KB )?object heap", FM_F_CONFIG, FM_PH_ANY,
	  "space for", "taskmanager.memory.process.size,jobmanager.memory.process.size",
	  "-Xmx larger than the machine or address space allows"),
	/* HotSpot's own argument checks: the JVM never starts */
	P("JVM_HEAP_ARGS", RE, "(Initial heap size set to a larger value than the maximum heap size|Invalid (maximum|initial) "
	  "heap size: -Xm|Too small (maximum|initial) heap)",
	  FM_F_CONFIG, FM_PH_ANY, NULL, "env.java.opts.taskmanager,env.java.opts.jobmanager,taskmanager.memory.process.size",
	  "the JVM rejected its heap flags (an -Xms/-Xmx in env.java.opts fights Flink's own)"),
	/* ---- network buffers ----------------------------------------------- */
	P("NET_INSUFFICIENT_ANCIENT", RE,
	  "Insufficient number of network buffers: required [0-9]+, but only [0-9]+ of [0-9]+ available", FM_F_NETWORK,
	  FM_PH_TM, "required", "taskmanager.network.numberOfBuffers",
	  "not enough network buffers (Flink <= 1.3 wording)"),
	P("NET_INSUFFICIENT", RE, "Insufficient number of network buffers: required [0-9]+, but only [0-9]+ available",
	  FM_F_NETWORK, FM_PH_TM, "required", K_NET ",taskmanager.network.memory.read-buffer.required-per-gate.max",
	  "a task needs more network buffers than the TaskManager has left"),
	P("NET_INSUFFICIENT_WRAPPED", LIT, "Insufficient number of network buffers", FM_F_NETWORK, FM_PH_TM, "required",
	  K_NET, "not enough network buffers (message wrapped or reworded)"),
	/* the same NetworkBufferPool message hard-wrapped by a mail or an
	 * 80-column page before "buffers:": its tail is still the producer's */
	P("NET_INSUFFICIENT_TAIL", RE, "^[[:space:]]*buffers: required [0-9]+, but only [0-9]+ available", FM_F_NETWORK,
	  FM_PH_TM, "required", K_NET, "a task needs more network buffers than the TaskManager has left (wrapped message)"),
	P("NET_EXCLUSIVE_TIMEOUT", LIT, "Timeout triggered when requesting exclusive buffers", FM_F_NETWORK, FM_PH_TM,
	  "timeout which is", K_NET ",taskmanager.network.memory.buffers-request-timeout",
	  "exclusive network buffers could not be obtained in time"),
	P("BATCH_SHUFFLE_READ_TIMEOUT", LIT,
	  "Buffer request timeout, this means there is a fierce contention of the batch shuffle read memory", FM_F_DIRECT,
	  FM_PH_TM, NULL, "taskmanager.memory.framework.off-heap.batch-shuffle.size,taskmanager.memory.framework.off-heap.size",
	  "batch shuffle read memory (part of framework off-heap) is too small"),
	/* ---- managed memory / RocksDB -------------------------------------- */
	P("ROCKSDB_SHARED_RESERVE", RE,
	  "Could not created the shared memory resource of size [0-9]+\\. Not enough memory left to reserve from the "
	  "slot's managed memory",
	  FM_F_MANAGED, FM_PH_TM, "of size", K_MANAGED ",state.backend.rocksdb.memory.managed",
	  "RocksDB could not reserve its cache from the slot's managed memory"),
	P("ROCKSDB_ACQUIRE_FAIL", LIT, "Failed to acquire shared cache resource for RocksDB", FM_F_MANAGED, FM_PH_TM,
	  NULL, K_MANAGED ",state.backend.rocksdb.memory.managed,state.backend.rocksdb.memory.fixed-per-slot",
	  "RocksDB could not get its shared cache from managed memory"),
	/* 1.10/1.11's MemoryManager check of the same: a consumer's fraction of
	 * the slot's managed memory is 0 (from 1.12 it is the "should not be 0"
	 * text below and this one only guards values above 1) */
	P("MANAGED_FRACTION_RANGE", LIT, "The fraction of memory to allocate must within (0, 1]", FM_F_MANAGED, FM_PH_TM,
	  NULL, K_MANAGED, "an operator's share of the slot's managed memory was 0 (no managed memory for it)"),
	P("MANAGED_ZERO_FRACTION", LIT, "The fraction of memory to allocate should not be 0", FM_F_MANAGED, FM_PH_TM, NULL,
	  "taskmanager.memory.managed.consumer-weights,taskmanager.memory.managed.size",
	  "an operator needs managed memory but its consumer type has weight 0 (consumer-weights)"),
	P("MANAGED_RESERVE", RE, "Could not allocate [0-9]+ bytes, only [0-9]+ bytes are remaining", FM_F_MANAGED,
	  FM_PH_TM, "Could not allocate", K_MANAGED, "an operator asked for more managed memory than its slot has"),
	P("MANAGED_PAGES", RE, "Could not allocate [0-9]+ pages", FM_F_MANAGED, FM_PH_TM, "Could not allocate", K_MANAGED,
	  "managed memory pages could not be allocated"),
	P("BATCH_TOO_FEW_SEGMENTS", LIT, "Too few memory segments provided.", FM_F_MANAGED, FM_PH_TM, "at least",
	  K_MANAGED, "a batch hash table or join got fewer managed memory pages than it needs"),
	P("BATCH_SORTER_TOO_LITTLE", LIT, "Too little memory provided to sorter to perform task.", FM_F_MANAGED, FM_PH_TM,
	  "at least", K_MANAGED, "a batch sorter got fewer managed memory pages than it needs"),
	P("BATCH_MIN_PAGES", RE, "(requires at least [0-9]+ memory pages|needs at least [0-9]+ memory segments)",
	  FM_F_MANAGED, FM_PH_TM, "at least", K_MANAGED, "a batch operator got fewer managed memory pages than it needs"),
	/* DataSet/batch runtime (flink-runtime operators): the hash join's
	 * MutableHashTable.ensureNumBuffersReturned and the combine drivers'
	 * sort buffer, both sized from the task's managed memory pages */
	P("BATCH_HASH_MORE_BUFFERS", LIT, "More buffers requested available than totally available.", FM_F_MANAGED,
	  FM_PH_TM, NULL, K_MANAGED, "a batch hash join asked for more managed memory pages than it was given"),
	P("BATCH_SORT_RECORD_TOO_LARGE", LIT, "Cannot write record to fresh sort buffer. Record too large.", FM_F_MANAGED,
	  FM_PH_TM, NULL, K_MANAGED, "one record does not fit a combiner's empty sort buffer (managed memory pages)"),
	/* AbstractPagedOutputView (1.10-2.x) throws this when its first page is
	 * null: SimpleCollectingOutputView and SpillingBuffer take it from a
	 * memory segment source that is already empty (no managed memory) */
	P("PAGED_VIEW_NO_SEGMENT", LIT, "Initial Segment may not be null", FM_F_MANAGED, FM_PH_TM, NULL, K_MANAGED,
	  "an operator's memory segment pool had no page to start with (no managed memory left for it)"),
	/* Batch operators of flink-runtime and the table runtime that refuse to
	 * start or go on with the pages their managed memory share gives them
	 * (found at release-1.10.0 and master 67d23fc; the sort-shuffle text
	 * from 1.13). Each names memory pages, never heap. */
	P("SORT_MERGE_JOIN_TOO_SMALL", RE, "Memory size is too small: [0-9]+, please increase manage memory",
	  FM_F_MANAGED, FM_PH_TM, NULL, K_MANAGED, "a SQL sort-merge join got less managed memory than it needs"),
	P("BYTES_MAP_TOO_SMALL", RE, "(Too small memory allocated for BytesHashMap|The minBucketMemorySize is not valid!)",
	  FM_F_MANAGED, FM_PH_TM, NULL, K_MANAGED,
	  "a SQL hash aggregate's map got too few managed memory pages for its buckets"),
	P("BATCH_PAGES_TOO_FEW", RE,
	  "(The Cross task was initialized with too little memory|Merger needs at least 2 memory pages|"
	  "Normalized-Key sorter requires at least [0-9]+ memory buffers|Block Resettable iterator requires at leat one "
	  "page of memory|Hashtable memory ran out in a non-spillable situation|Attempting to begin (probing|reading "
	  "spilled) (of )?partition without any memory available)",
	  FM_F_MANAGED, FM_PH_TM, NULL, K_MANAGED, "a batch operator got fewer managed memory pages than it needs"),
	P("SOLUTION_SET_MEMORY", RE, "Memory ran out\\. (Compaction failed\\. )?numPartitions: ", FM_F_MANAGED, FM_PH_TM,
	  NULL, K_MANAGED, "an iteration's solution-set hash table filled its managed memory"),
	P("TABLE_BUFFER_RECORD_TOO_BIG", LIT, "Record is too big, it can't be added to a empty InMemoryBuffer!",
	  FM_F_MANAGED, FM_PH_TM, NULL, K_MANAGED,
	  "one record is larger than a SQL operator's in-memory buffer of managed memory pages"),
	/* MemoryManager of 1.0-1.9 (removed in 1.10): the managed memory it was
	 * given is under one page; only that older model prints it */
	P("MM_LESS_THAN_ONE_PAGE", LIT, "The given amount of memory amounted to less than one page", FM_F_MANAGED,
	  FM_PH_TM, NULL, K_MANAGED, "the TaskManager's managed memory is smaller than one memory page"),
	P("SORT_BUFFER_RECORD_MAX", LIT, "The record exceeds the maximum size of a sort buffer", FM_F_MANAGED, FM_PH_TM,
	  NULL, K_MANAGED, "one record is larger than the largest sort buffer the sorter's managed memory allows"),
	P("SORT_SHUFFLE_TOO_FEW_BUFFERS", RE, "(Too few sort buffers, please increase|No guaranteed buffers for sort\\.)",
	  FM_F_NETWORK, FM_PH_TM, NULL,
	  "taskmanager.network.sort-shuffle.min-buffers," K_NET,
	  "a sort-shuffle result partition got fewer network buffers than its minimum"),
	P("TABLE_HASH_NO_BUFFERS", LIT, "RuntimeException: No enough buffers!", FM_F_MANAGED, FM_PH_TM, NULL, K_MANAGED,
	  "a SQL hash join/aggregate ran out of managed memory buffers"),
	/* 1.12-1.16 throw it ("was: %s. It may be because ..."); from 1.17 the
	 * runner only WARNs ("was: 0.0, use off-heap memory instead") and runs
	 * the worker on off-heap memory: no failure (commit 9cc55d6) */
	P("PYTHON_MANAGED_FRACTION", RE, "managed memory fraction for Python worker process must be within \\(0, 1\\], was: [^,]*\\. ",
	  FM_F_MANAGED, FM_PH_TM, NULL,
	  "taskmanager.memory.managed.consumer-weights,taskmanager.memory.managed.fraction,python.fn-execution.memory.managed",
	  "the Python worker got no managed memory (consumer weight PYTHON is 0 or managed memory is 0)"),
	P("PYTHON_MEMORY_ERROR", RE, "(^|[^A-Za-z.])MemoryError", FM_F_MANAGED, FM_PH_ANY, NULL,
	  "taskmanager.memory.managed.consumer-weights,taskmanager.memory.managed.fraction,python.fn-execution.memory.managed",
	  "a Python worker ran out of memory (its limit is the managed memory given to PYTHON)"),
	P("MEMORY_ALLOCATION_EXC", RE, "Memory(Allocation|Reservation)Exception", FM_F_MANAGED, FM_PH_TM, NULL, K_MANAGED,
	  "managed memory could not be reserved (wording not known in detail)"),
	P("ROCKSDB_NATIVE_ALLOC", RE, "RocksDBException.*(Cannot allocate memory|bad_alloc)", FM_F_ROCKSDB, FM_PH_TM,
	  NULL, K_KILL, "RocksDB's native allocation failed"),
	/* ---- container kills: Kubernetes ----------------------------------- */
	/* KubernetesPod's termination diagnostics (1.12+): always
	 * "NAME(exitCode=%d, reason=%s, message=%s)"; other tools print the
	 * first two fields alone */
	P("FLINK_POD_OOMKILLED", RE, "\\(exitCode=137, reason=OOMKilled, message=", FM_F_K8S, FM_PH_PEER, NULL, K_KILL,
	  "the JobManager saw a TaskManager pod OOM-killed by its memory limit"),
	P("FLINK_POD_EXIT_137", RE, "\\(exitCode=137, reason=[^,)]*, message=", FM_F_K8S, FM_PH_PEER, NULL, K_KILL,
	  "a TaskManager pod was killed with SIGKILL (exit 137)"),
	P("K8S_OOMKILLED_REASON", RE, "[Rr]eason\"?:[[:space:]]*\"?OOMKilled", FM_F_K8S, FM_PH_ANY, NULL,
	  K_KILL ",kubernetes.taskmanager.memory.limit-factor", "the container exceeded its memory limit (OOMKilled)"),
	P("K8S_EXIT_137", RE, "Exit Code:[[:space:]]+137", FM_F_K8S, FM_PH_ANY, NULL, K_KILL,
	  "the container was killed with SIGKILL (exit 137)"),
	P("K8S_EXITCODE_137", RE, "exitCode\"?:[[:space:]]*\"?137", FM_F_K8S, FM_PH_ANY, NULL, K_KILL,
	  "the container was killed with SIGKILL (exitCode 137)"),
	P("KERNEL_CGROUP_OOM", RE, "Memory cgroup out of memory: Kill(ed)? process", FM_F_K8S, FM_PH_ANY, NULL, K_KILL,
	  "the kernel OOM killer killed a process of the container"),
	P("KERNEL_OOM_MEMCG", LIT, "oom-kill:constraint=CONSTRAINT_MEMCG", FM_F_K8S, FM_PH_ANY, NULL, K_KILL,
	  "the kernel OOM killer acted on a memory cgroup (the container's limit)"),
	P("KERNEL_OOM_SYSTEM", RE, "Out of memory: Kill(ed)? process", FM_F_K8S, FM_PH_ANY, NULL,
	  "kubernetes.taskmanager.memory.limit-factor,taskmanager.memory.process.size",
	  "the kernel OOM killer killed a process because the whole machine ran out of memory"),
	P("KERNEL_OOM_INVOKED", LIT, "invoked oom-killer: gfp_mask=", FM_F_K8S, FM_PH_ANY, NULL, K_KILL,
	  "the kernel OOM killer was invoked"),
	P("K8S_EVICTED_CONTAINER", LIT, "has larger consumption of memory", FM_F_K8S, FM_PH_ANY, NULL,
	  "kubernetes.taskmanager.memory.limit-factor,taskmanager.memory.process.size",
	  "the kubelet evicted the pod: the node ran low on memory and this container used more than it requested"),
	P("K8S_MEMORY_PRESSURE", LIT, "The node had condition: [MemoryPressure]", FM_F_K8S, FM_PH_ANY, NULL,
	  "kubernetes.taskmanager.memory.limit-factor,taskmanager.memory.process.size",
	  "the node is under memory pressure: the kubelet rejected or evicted the pod"),
	/* userspace killers of a host that ran low on memory: systemd-oomd
	 * (oomd-manager.c: "Killed %s due to memory pressure for %s being
	 * ..." / "... due to swap used (%lu) / total (%lu) being more than
	 * ...") and earlyoom (kill.c: "sending %s to process %d uid %d
	 * \"%s\": ..."); systemd's own words for a unit whose process the
	 * kernel's OOM killer took (unit.c, service.c's result "oom-kill") */
	P("SYSTEMD_OOMD_KILL", RE, "Killed [^ ]+ due to (memory pressure for [^ ]+ being|swap used \\()", FM_F_K8S,
	  FM_PH_ANY, NULL, "kubernetes.taskmanager.memory.limit-factor,taskmanager.memory.process.size",
	  "systemd-oomd killed a unit because the machine's memory pressure or swap use stayed above its limit"),
	P("EARLYOOM_KILL", RE, "sending SIG(TERM|KILL) to process [0-9]+ uid [0-9]+ \"", FM_F_K8S, FM_PH_ANY, NULL,
	  "kubernetes.taskmanager.memory.limit-factor,taskmanager.memory.process.size",
	  "earlyoom killed a process because the machine's available memory fell below its threshold"),
	P("SYSTEMD_UNIT_OOM", RE, "(A process of this unit has been killed by the OOM killer\\.|Failed with result "
	  "'oom-kill'\\.)", FM_F_K8S, FM_PH_ANY, NULL, K_KILL,
	  "the kernel's OOM killer killed a process of a systemd unit (its MemoryMax, or the machine ran out)"),
	P("NODE_SYSTEM_OOM", LIT, "System OOM encountered, victim process:", FM_F_K8S, FM_PH_ANY, NULL,
	  "kubernetes.taskmanager.memory.limit-factor,taskmanager.memory.process.size",
	  "node-level OOM: the node ran out of memory"),
	P("K8S_EVICTED_MEMORY", LIT, "The node was low on resource: memory.", FM_F_K8S, FM_PH_ANY, NULL,
	  "kubernetes.taskmanager.memory.limit-factor,taskmanager.memory.process.size",
	  "the pod was evicted because the node ran low on memory"),
	P("K8S_OOMKILLED_ANY", LIT, "OOMKilled", FM_F_K8S, FM_PH_ANY, NULL, K_KILL,
	  "the container was OOM-killed"),
	/* `docker events` (docker/cli's printOutput: "<time> <type> <action>
	 * <id> (<attr>=<v>, ...)"): the daemon's "oom" event is the kernel's
	 * OOM kill of the container's cgroup; its name= attribute names it */
	P("DOCKER_EVENT_OOM", RE, " container oom [0-9a-f]{12,64}", FM_F_K8S, FM_PH_ANY, NULL, K_KILL,
	  "Docker reports the container's OOM kill (its memory limit)"),
	P("K8S_OOMKILLING_EVENT", LIT, "OOMKilling", FM_F_K8S, FM_PH_ANY, NULL, K_KILL,
	  "the kubelet reports an OOM kill"),
	/* ---- container kills: YARN ----------------------------------------- */
	P("YARN_VMEM_KILL", RE, "is running ([0-9]+B )?beyond (the 'VIRTUAL' memory limit|virtual memory limits)",
	  FM_F_YARN, FM_PH_PEER, "Current usage:", K_VMEM, "YARN killed the container for virtual memory (a YARN policy)"),
	/* YARN's elastic memory control (DefaultOOMHandler): the NodeManager's
	 * containers together filled the node's YARN cgroup; it kills one over
	 * its own request ("... was killed by elastic cgroups OOM handler using
	 * N when requested only M"), else the newest ("container %s killed by
	 * elastic cgroups OOM handler.") */
	P("YARN_ELASTIC_OVER", RE, "was killed by elastic cgroups OOM handler using [0-9]+ when requested only [0-9]+",
	  FM_F_YARN, FM_PH_PEER, NULL, K_KILL,
	  "YARN's elastic memory control killed a container that used more than it requested"),
	P("YARN_ELASTIC_OOM", LIT, "killed by elastic cgroups OOM handler.", FM_F_YARN, FM_PH_PEER, NULL,
	  "yarn.nodemanager.resource.memory-mb,taskmanager.memory.process.size",
	  "YARN's elastic memory control killed a container because the node's containers together ran out"),
	P("YARN_PMEM_KILL", RE, "is running ([0-9]+B )?beyond (the 'PHYSICAL' memory limit|physical memory limits)",
	  FM_F_YARN, FM_PH_PEER, "Current usage:", K_KILL, "YARN killed the container for physical memory"),
	/* the kill's usage alone (an excerpt that dropped "is running beyond"):
	 * ContainersMonitorImpl writes "Current usage:" only in the kill
	 * diagnostics (its periodic "Memory usage of ProcessTree" line has the
	 * same figures without it) */
	P("YARN_KILL_USAGE", RE, "Current usage: [0-9.]+ ?[KMGTkmgt]?[Bb] of [0-9.]+ ?[KMGTkmgt]?[Bb] physical memory used",
	  FM_F_YARN, FM_PH_PEER, "Current usage:", K_KILL, "YARN killed the container at its memory limit (usage shown)"),
	P("YARN_EXIT_PMEM", RE, "[Ee]xit ?([Cc]ode|[Ss]tatus):[[:space:]]*-104", FM_F_YARN, FM_PH_PEER, NULL, K_KILL,
	  "YARN exit status -104: physical memory limit exceeded"),
	P("YARN_EXIT_VMEM", RE, "[Ee]xit ?([Cc]ode|[Ss]tatus):[[:space:]]*-103", FM_F_YARN, FM_PH_PEER, NULL, K_VMEM,
	  "YARN exit status -103: virtual memory limit exceeded"),
	P("YARN_EXIT_137", RE, "(Exit code is 137|[Ee]xit ?[Cc]ode:[[:space:]]*137|non-zero exit code 137)", FM_F_YARN, FM_PH_PEER, NULL, K_KILL,
	  "the container was killed with SIGKILL (exit 137)"),
	/* Users often only describe a YARN kill ("the container running the
	 * JobManager is killed by the ResourceManager"). Only the managers count
	 * as killers: "killed by YARN" alone is also Flink's release/lost text. */
	P("YARN_KILL_PROSE", RE,
	  "[Cc]ontainer[^.]{0,80} (is|was|were|got|gets|get|be|being) killed by (the )?([Yy][Aa][Rr][Nn] )?"
	  "([Rr]esource ?[Mm]anager|[Nn]ode ?[Mm]anager)",
	  FM_F_YARN, FM_PH_ANY, NULL, K_KILL, "a YARN container killed by the resource or node manager (as described)"),
	/* ---- config --------------------------------------------------------- */
	/* the TaskManager's shuffle service builds its batch shuffle read pool at
	 * start (NettyShuffleServiceFactory, 1.13+): a pool smaller than one
	 * memory segment stops the TaskManager (BatchShuffleReadBufferPool) */
	P("CFG_BATCH_SHUFFLE_BELOW_SEGMENT", LIT,
	  "config value for 'taskmanager.memory.framework.off-heap.batch-shuffle.size' must be no smaller than",
	  FM_F_CONFIG, FM_PH_TM, NULL, "taskmanager.memory.framework.off-heap.batch-shuffle.size,taskmanager.memory.segment-size",
	  "the batch shuffle read memory is set below one network buffer (taskmanager.memory.segment-size)"),
	/* Pre-1.10 (pre-FLIP-49) checks: plain IllegalArgumentExceptions from the
	 * container parameters (both processes) and the YARN client (-jm/-tm). */
	P("CFG_LEGACY_CUTOFF_MIN", RE,
	  "The configuration value '(containerized|yarn)\\.heap-cutoff-min'='[0-9]+' is larger than the total container "
	  "memory [0-9]+",
	  FM_F_CONFIG, FM_PH_ANY, NULL, "containerized.heap-cutoff-min,taskmanager.heap.size,jobmanager.heap.size",
	  "the legacy heap cut-off minimum is larger than the whole container"),
	P("CFG_LEGACY_CUTOFF_RATIO", RE,
	  "The configuration value '(containerized|yarn)\\.heap-cutoff-ratio' must be between 0 and 1", FM_F_CONFIG,
	  FM_PH_ANY, NULL, "containerized.heap-cutoff-ratio", "the legacy heap cut-off ratio is out of range"),
	P("CFG_LEGACY_JM_BELOW_MIN", RE,
	  "The JobManager memory( \\([0-9]+\\))? is below the minimum required memory amount of [0-9]+ MB", FM_F_CONFIG,
	  FM_PH_JM, NULL, "jobmanager.heap.size,jobmanager.heap.mb,jobmanager.memory.process.size",
	  "the JobManager container asked of YARN is below the client's minimum"),
	P("CFG_LEGACY_TM_BELOW_MIN", RE,
	  "The TaskManager memory( \\([0-9]+\\))? is below the minimum required memory amount of [0-9]+ MB", FM_F_CONFIG,
	  FM_PH_TM, NULL, "taskmanager.heap.size,taskmanager.heap.mb,taskmanager.memory.process.size",
	  "the TaskManager container asked of YARN is below the client's minimum"),
	/* 1.4-1.9's start scripts (jobmanager.sh, standalone-job.sh,
	 * taskmanager.sh, config.sh) check the old keys themselves and print
	 * "[ERROR] ..." before any JVM starts; 1.10 replaced them with
	 * BashJavaUtils. The key to set is named in the text. */
	P("CFG_LEGACY_SCRIPT_JM_SIZE", RE, "\\[ERROR\\] Configured (JobManager )?memory size is not a valid value\\. Please set",
	  FM_F_CONFIG, FM_PH_JM, NULL, "(the named key)", "the start script refused the JobManager heap size (1.4-1.9)"),
	P("CFG_LEGACY_SCRIPT_TM_SIZE", RE,
	  "\\[ERROR\\] Configured TaskManager (JVM heap size is not a number|memory size is not a valid value)\\. Please set",
	  FM_F_CONFIG, FM_PH_TM, NULL, "(the named key)", "the start script refused the TaskManager heap size (1.4-1.9)"),
	P("CFG_LEGACY_SCRIPT_NETWORK", RE,
	  "\\[ERROR\\] (Configured TaskManager network buffer memory (min/max|fraction) '|Configured TaskManager memory "
	  "size \\([0-9]+ MB, from '[^']*'\\) must be larger than the network buffer memory size|Remaining TaskManager "
	  "memory size \\()",
	  FM_F_CONFIG, FM_PH_TM, NULL,
	  "taskmanager.network.memory.fraction,taskmanager.network.memory.min,taskmanager.network.memory.max,"
	  "taskmanager.heap.size",
	  "the start script refused the network buffer memory or what it leaves of the heap (1.4-1.9)"),
	P("CFG_LEGACY_SCRIPT_MANAGED", RE, "\\[ERROR\\] Configured TaskManager managed memory fraction '[^']*' is not a valid value",
	  FM_F_CONFIG, FM_PH_TM, NULL, "taskmanager.memory.fraction",
	  "the start script refused the managed memory fraction (1.4-1.9)"),
	P("CFG_LEGACY_SCRIPT_UNIT", RE,
	  "\\[ERROR\\] (Memory size unit [^ ']+ does not match any of the recognized units|The value .* cannot be re "
	  "represented as 64bit number of bytes)",
	  FM_F_CONFIG, FM_PH_ANY, NULL, "(the offending key)",
	  "the start script could not read a memory size (1.7-1.9)"),
	/* YarnClusterDescriptor (1.10-2.x): a process size above YARN's largest
	 * container ("Maximum Memory: <N>MB Requested: <M>MB" on the next line) */
	P("CFG_YARN_JM_ABOVE_MAX", LIT, "The cluster does not have the requested resources for the JobManager available!",
	  FM_F_CONFIG, FM_PH_JM, NULL, "jobmanager.memory.process.size,yarn.scheduler.maximum-allocation-mb",
	  "the JobManager's process size is larger than YARN's largest container"),
	P("CFG_YARN_TM_ABOVE_MAX", LIT, "The cluster does not have the requested resources for the TaskManagers available!",
	  FM_F_CONFIG, FM_PH_TM, NULL, "taskmanager.memory.process.size,yarn.scheduler.maximum-allocation-mb",
	  "the TaskManagers' process size is larger than YARN's largest container"),
	/* RocksDBMemoryConfiguration (1.10-2.x) rejects a fixed size of 0 */
	P("CFG_ROCKSDB_FIXED_PER_SLOT_ZERO", LIT, "Total memory per slot must be > 0", FM_F_CONFIG, FM_PH_TM, NULL,
	  "state.backend.rocksdb.memory.fixed-per-slot", "RocksDB's fixed memory per slot is set to 0"),
	/* ManagedMemoryUtils (1.12-2.x) rejects a negative consumer weight */
	P("CFG_MANAGED_WEIGHT_NEGATIVE", LIT, "Managed memory weight should not be negative.", FM_F_CONFIG, FM_PH_TM, NULL,
	  "taskmanager.memory.managed.consumer-weights", "a managed memory consumer weight is negative"),
	P("CFG_REQUIRED", RE, "need to be configured explicitly", FM_F_CONFIG, FM_PH_ANY, NULL,
	  "taskmanager.memory.process.size,taskmanager.memory.flink.size,jobmanager.memory.process.size",
	  "no memory size configured (or the config file was not read)"),
	P("CFG_METASPACE_OVERHEAD_EXCEED", RE,
	  "Sum of configured JVM Metaspace .*and JVM Overhead .*exceed configured Total Process Memory",
	  FM_F_CONFIG, FM_PH_ANY, NULL, "taskmanager.memory.process.size,taskmanager.memory.jvm-metaspace.size",
	  "process size smaller than metaspace + overhead"),
	P("CFG_OVERHEAD_RANGE", RE, "Derived JVM Overhead size \\(.*\\) is not in configured JVM Overhead range",
	  FM_F_CONFIG, FM_PH_ANY, NULL, "taskmanager.memory.process.size,taskmanager.memory.flink.size",
	  "process and Flink sizes disagree with the overhead range"),
	/* ProcessMemoryUtils, both sides: a process size set below the Flink
	 * memory derived from the parts plus metaspace */
	P("CFG_PROCESS_LESS_THAN_SUM", LIT, "is less than the sum of the derived Total Flink Memory size", FM_F_CONFIG,
	  FM_PH_ANY, NULL, "taskmanager.memory.process.size,taskmanager.memory.flink.size,jobmanager.memory.process.size",
	  "process size below the derived Flink memory plus metaspace"),
	P("CFG_PROCESS_NOT_ADD_UP", LIT, "do not add up to the configured Total Process Memory size", FM_F_CONFIG,
	  FM_PH_ANY, NULL, "taskmanager.memory.process.size", "fine-grained sizes and process size disagree"),
	P("CFG_TM_SUM_EXCEEDS_FLINK", RE, "Sum of configured Framework Heap Memory \\(.*\\) exceed configured Total Flink Memory",
	  FM_F_CONFIG, FM_PH_TM, NULL, "taskmanager.memory.process.size,taskmanager.memory.managed.fraction",
	  "components larger than total Flink memory"),
	P("CFG_NETWORK_RANGE", RE, "Derived Network Memory size \\(.*\\) is not in configured Network Memory range",
	  FM_F_CONFIG, FM_PH_TM, NULL, K_NET, "network remainder outside its min/max"),
	P("CFG_NETWORK_INCONSISTENT", LIT, "but the derived Network Memory is inconsistent with its configuration",
	  FM_F_CONFIG, FM_PH_TM, NULL, K_NET, "network memory inconsistent with its configuration"),
	P("CFG_FLINK_NOT_ADD_UP", LIT, "do not add up to the configured Total Flink Memory size", FM_F_CONFIG, FM_PH_TM,
	  NULL, "taskmanager.memory.flink.size", "components and Flink size disagree"),
	P("CFG_FRACTION_RANGE", RE, "Inconsistently configured .* and its min \\(.*\\), max \\(.*\\) value", FM_F_CONFIG,
	  FM_PH_ANY, NULL, "*.fraction,*.min,*.max", "a fraction or min/max pair is invalid"),
	P("CFG_CANNOT_READ_SIZE", RE, "Cannot read memory size from config option '[^']+'", FM_F_CONFIG, FM_PH_ANY, NULL,
	  "(the named key)", "a memory size could not be parsed"),
	/* Configuration.getOptional (1.10+): a value that does not convert to
	 * the option's type, here a memory option's; the cause below says why
	 * (unit, not a number, overflow) */
	P("CFG_PARSE_VALUE", RE,
	  "Could not parse value ('[^']*' )?for key '(taskmanager|jobmanager)\\.(memory|heap|network\\.memory)\\.[^']*'",
	  FM_F_CONFIG, FM_PH_ANY, NULL, "(the named key)", "a memory option's value could not be read"),
	/* 1.5-1.9's TaskManagerServicesConfiguration: a managed memory size
	 * (taskmanager.memory.size) that does not parse */
	P("CFG_LEGACY_CANNOT_READ", RE, "IllegalConfigurationException: Could not read (taskmanager|jobmanager)\\.[a-z.-]+",
	  FM_F_CONFIG, FM_PH_ANY, NULL, "(the named key)", "a memory option's value could not be read (1.5-1.9)"),
	P("CFG_BAD_UNIT", RE, "Memory size unit '[^']*' does not match any of the recognized units", FM_F_CONFIG,
	  FM_PH_ANY, NULL, "(the offending key)", "a memory size uses a unit Flink does not know (e.g. Gi)"),
	P("CFG_JM_SUM_EXCEEDS", LIT, "and the configured or default Off-heap Memory", FM_F_CONFIG, FM_PH_JM, NULL,
	  "jobmanager.memory.heap.size,jobmanager.memory.off-heap.size,jobmanager.memory.flink.size",
	  "JobManager heap + off-heap larger than its Flink size"),
	P("CFG_JM_FLINK_LT_OFFHEAP", RE, "The configured Total Flink Memory .* is less than the configured Off-heap Memory",
	  FM_F_CONFIG, FM_PH_JM, NULL, "jobmanager.memory.flink.size,jobmanager.memory.off-heap.size",
	  "JobManager Flink size smaller than its off-heap"),
	P("SCRIPT_PARAMS_FAIL", LIT, "Could not get JVM parameters and dynamic configurations properly", FM_F_CONFIG,
	  FM_PH_ANY, NULL, "(see the exception above it)", "the start script could not compute the memory layout"),
	P("CFG_NETWORK_MIN_MAX_UNRESOLVED", RE,
	  "The network memory min \\(.*\\) and max \\(.*\\) mismatch, the network memory has to be resolved",
	  FM_F_CONFIG, FM_PH_TM, NULL, K_NET, "the TaskManager started with an unresolved network memory range (1.10/1.11)"),
	/* Catch-all for memory wordings not listed above (other releases, forks):
	 * Flink's configuration exception about a memory option ("Memory" as a
	 * word: not MemoryStateBackend). Kept after the specific rows, which win
	 * on the same line. */
	P("CFG_ILLEGAL_MEMORY_ANY", RE, "IllegalConfigurationException: .*[Mm]emory[^A-Za-z]", FM_F_CONFIG, FM_PH_ANY, NULL,
	  "taskmanager.memory.process.size,jobmanager.memory.process.size",
	  "Flink rejected a memory configuration (wording not known in detail)"),
	P("OP_TM_MEMORY_MISSING", LIT, "TaskManager resource memory must be defined using", FM_F_CONFIG, FM_PH_TM, NULL,
	  "spec.taskManager.resource.memory", "FlinkDeployment lacks the TaskManager memory"),
	P("OP_JM_MEMORY_MISSING", LIT, "JobManager resource memory must be defined using", FM_F_CONFIG, FM_PH_JM, NULL,
	  "spec.jobManager.resource.memory", "FlinkDeployment lacks the JobManager memory"),
	P("OP_MEMORY_PARSE", RE, "(JobManager|TaskManager) resource memory parse error", FM_F_CONFIG, FM_PH_ANY, NULL,
	  "spec.jobManager.resource.memory,spec.taskManager.resource.memory", "FlinkDeployment memory does not parse"),
	/* ---- fatal exits: the process dies; the cause is elsewhere ---------- */
	R("JVM_EXIT_ON_OOM", LIT, "Terminating due to java.lang.OutOfMemoryError:", FM_ROLE_FATAL, FM_PH_ANY,
	  "(see OOM type)", "-XX:+ExitOnOutOfMemoryError ended the JVM (exit 3)"),
	R("JVM_ABORT_ON_OOM", LIT, "Aborting due to java.lang.OutOfMemoryError:", FM_ROLE_FATAL, FM_PH_ANY,
	  "(see OOM type)", "-XX:+CrashOnOutOfMemoryError aborted the JVM"),
	R("TM_FATAL", LIT, "Fatal error occurred while executing the TaskManager. Shutting it down...", FM_ROLE_FATAL,
	  FM_PH_TM, "(see cause)", "the TaskManager shuts down on a fatal error"),
	R("JM_FATAL", LIT, "Fatal error occurred in the cluster entrypoint.", FM_ROLE_FATAL, FM_PH_JM, "(see cause)",
	  "the JobManager shuts down on a fatal error (exit 2)"),
	R("TASK_HALT", RE, "Encountered fatal error [A-Za-z0-9_.$]+ - terminating the JVM", FM_ROLE_FATAL, FM_PH_TM,
	  "taskmanager.jvm-exit-on-oom", "a task thread halted the JVM (exit 255)"),
	R("UNCAUGHT_FATAL", RE, "FATAL: Thread '[^']*' produced an uncaught exception\\. Stopping the process\\.\\.\\.",
	  FM_ROLE_FATAL, FM_PH_ANY, "(see cause)", "an uncaught exception stops the process (exit 239)"),
	R("K8S_EXIT_239", RE, "(Exit Code:[[:space:]]+239|exitCode=239)", FM_ROLE_FATAL, FM_PH_ANY,
	  "(see the uncaught exception in the log)", "exit 239: Flink's fatal-exit handler"),
	/* ---- secondary symptoms --------------------------------------------- */
	R("FLINK_POD_TERMINATED", LIT, "Pod terminated, container termination statuses: [", FM_ROLE_SECONDARY, FM_PH_PEER,
	  "(see exitCode/reason)", "a TaskManager pod ended"),
	R("WORKER_TERMINATED", RE, "Worker [^ ]+ is terminated\\. Diagnostics: ", FM_ROLE_SECONDARY, FM_PH_PEER,
	  "(see diagnostics)", "the resource manager lost a TaskManager"),
	R("HB_TM_TIMEOUT", RE, "[Hh]eartbeat of TaskManager with id .* timed out", FM_ROLE_SECONDARY, FM_PH_PEER,
	  "heartbeat.timeout", "a TaskManager stopped answering heartbeats (died or stalled)"),
	R("TM_UNREACHABLE", RE, "TaskManager with id .* is no longer reachable", FM_ROLE_SECONDARY, FM_PH_PEER,
	  "heartbeat.rpc-failure-threshold", "a TaskManager is no longer reachable"),
	R("HB_JM_TIMEOUT", RE, "The heartbeat of JobManager with id .* timed out", FM_ROLE_SECONDARY, FM_PH_JM,
	  "heartbeat.timeout", "the JobManager stopped answering heartbeats"),
	R("HB_RM_TIMEOUT", RE, "The heartbeat of ResourceManager with id .* timed out", FM_ROLE_SECONDARY, FM_PH_JM,
	  "heartbeat.timeout", "the ResourceManager stopped answering heartbeats"),
	R("REMOTE_TM_CLOSED", LIT, "Connection unexpectedly closed by remote task manager", FM_ROLE_SECONDARY, FM_PH_PEER,
	  "(find the dead TaskManager)", "a peer TaskManager's connection closed"),
	R("REMOTE_TM_LOST", LIT, "This indicates that the remote task manager was lost.", FM_ROLE_SECONDARY, FM_PH_PEER,
	  "(find the dead TaskManager)", "a peer TaskManager was lost"),
	R("RM_CLOSE_TE", RE, "Closing TaskExecutor connection [^ ]+ because: ", FM_ROLE_SECONDARY, FM_PH_PEER,
	  "(see reason)", "the resource manager dropped a TaskManager"),
	R("YARN_EXIT_143", RE, "(Exit code is 143|[Ee]xit ?[Cc]ode:[[:space:]]*143|non-zero exit code 143)", FM_ROLE_SECONDARY, FM_PH_PEER,
	  "(correlate with pmem/preemption)", "SIGTERM (exit 143): stop, preemption or kill on request"),
	/* Flink's SignalHandler (1.x-2.x) logs the signal a process got: the
	 * first one of a YARN or Kubernetes kill, a stop or a preemption */
	R("FLINK_SIGTERM", LIT, "RECEIVED SIGNAL 15: SIGTERM. Shutting down as requested.", FM_ROLE_SECONDARY, FM_PH_ANY,
	  "(see the container's diagnostics)",
	  "the process got SIGTERM: a stop, a preemption or the first signal of a YARN or Kubernetes kill (the container's "
	  "diagnostics or kubectl describe say which)"),
	R("FLINK_YARN_CONTAINER_FAILED", RE, "Container container_[0-9e_]+ marked as failed\\.", FM_ROLE_SECONDARY,
	  FM_PH_PEER, "(see exit code)", "a YARN container failed"),
	R("FLINK_YARN_ABORTED", LIT, "killed by YARN, either due to being released by the application or being 'lost'",
	  FM_ROLE_SECONDARY, FM_PH_PEER, "(node/RM issue)", "YARN released or lost a container"),
	R("YARN_KILLED_BY_AM", RE, "(Container killed by the ApplicationMaster|[Ee]xit ?([Cc]ode|[Ss]tatus):[[:space:]]*-10[05-9])",
	  FM_ROLE_SECONDARY, FM_PH_PEER, "(see why the application released it)",
	  "YARN stopped the container on request (released, killed by the AM or RM): a consequence, not memory"),
	R("K8S_BACKOFF", LIT, "Back-off restarting failed container", FM_ROLE_SECONDARY, FM_PH_ANY,
	  "(check lastState.terminated.reason)", "the container keeps restarting"),
	R("K8S_CRASHLOOP", LIT, "CrashLoopBackOff", FM_ROLE_SECONDARY, FM_PH_ANY, "(check lastState.terminated.reason)",
	  "the container keeps restarting"),
	R("OP_CRASHLOOP_MSG", RE, "\\[[a-z0-9-]+\\] (CrashLoop - |[Bb]ack-off )", FM_ROLE_SECONDARY, FM_PH_JM,
	  "(check lastState.terminated.reason)", "the operator sees the JobManager crash-looping"),
	R("OP_RESTART_THRESHOLD", RE, "Restart count hit threshold: [0-9]+", FM_ROLE_SECONDARY, FM_PH_ANY,
	  "kubernetes.operator.cluster.health-check.restarts.threshold", "the operator counts too many restarts"),
	/* ---- information ----------------------------------------------------- */
	R("NET_USAGE_HIGH", RE, "Memory usage \\[[0-9]+%\\] is too high to satisfy all of the requests", FM_ROLE_INFO,
	  FM_PH_TM, K_NET, "network memory is nearly used up (throughput, not a failure)"),
	R("NET_MSG_LEGACY_KEYS", LIT, "by setting the configuration keys 'taskmanager.network.memory.fraction'",
	  FM_ROLE_INFO, FM_PH_TM, "taskmanager.network.memory.fraction", "network message of Flink 1.5-1.9"),
	R("CLASSLOADER_CLOSED", LIT, "Trying to access closed classloader.", FM_ROLE_INFO, FM_PH_ANY,
	  "classloader.check-leaked-classloader", "user code kept a class loader alive: class-loader leak hint"),
	/* a local MiniCluster (an IDE run, a test, a local environment):
	 * MiniCluster.start and TaskExecutorResourceUtils.adjustForLocalExecution
	 * (1.10-2.x); its TaskManager shares the one JVM the user started */
	R("LOCAL_MINICLUSTER", RE, "(Starting Flink Mini Cluster|required for local execution is not set)", FM_ROLE_INFO,
	  FM_PH_ANY, NULL, "a local MiniCluster in the user's own JVM"),
	R("JOB_RESTARTING", RE, "switched from state [A-Z_]+ to RESTARTING", FM_ROLE_INFO, FM_PH_JM, NULL,
	  "a job restarts"),
	/* keys of the memory model before 1.10 (1.5-1.9 docs; heap.mb and
	 * numberOfBuffers from 1.4 and older), in a config, a message or a
	 * command line: the fix also speaks that model */
	R("LEGACY_MODEL_KEY", RE,
	  "(taskmanager\\.heap\\.(size|mb)|jobmanager\\.heap\\.(size|mb)|containerized\\.heap-cutoff-(ratio|min)|"
	  "taskmanager\\.network\\.memory\\.(min|max|fraction)[^-A-Za-z.]|taskmanager\\.network\\.numberOfBuffers|"
	  "taskmanager\\.memory\\.(fraction|size)[^-A-Za-z.])",
	  FM_ROLE_INFO, FM_PH_ANY, NULL, "a key of the memory model before 1.10"),
	/* a release before 1.10 named in the text or a jar ("Flink 1.8",
	 * "flink-dist_2.11-1.8.0.jar", "/opt/flink-1.9.1/lib"): that release
	 * has the same older model */
	R("LEGACY_RELEASE", RE, "[Ff]link[-_ ]([A-Za-z]+[-_ :]+)?([0-9.]+-)?v?1\\.[0-9](\\.[0-9]+)?([^0-9.]|\\.[^0-9])",
	  FM_ROLE_INFO, FM_PH_ANY, NULL, "a Flink release before 1.10"),
	/* the client's state-change lines of the legacy runtime (1.0-1.8,
	 * ExecutionGraphMessages: "MM/dd/yyyy HH:mm:ss", a tab, then a task's
	 * "(6/16) switched to FAILED" or "Job execution switched to status") */
	R("LEGACY_STATE_CHANGE", RE,
	  "[0-9]{2}/[0-9]{2}/[0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2}[[:space:]]+([^[:space:]].*\\([0-9]+/[0-9]+\\) switched to "
	  "[A-Z]+|Job execution switched to status [A-Z]+)",
	  FM_ROLE_INFO, FM_PH_ANY, NULL, "a state change printed by a release before 1.9"),
	/* a TaskManager launched with heap sizes in MiB, Xms before Xmx, then
	 * MaxDirectMemorySize: the order and units of BootstrapTools and
	 * taskmanager.sh in 1.5-1.9; from 1.10 Flink writes bytes, -Xmx first */
	R("LEGACY_TM_LAUNCH", RE, "-Xms[0-9]+[mM] -Xmx[0-9]+[mM] -XX:MaxDirectMemorySize=", FM_ROLE_INFO, FM_PH_TM, NULL,
	  "a TaskManager started by a release before 1.10"),
	/* the line below YarnClusterDescriptor's refusal (1.10-2.x): YARN's
	 * largest container ("8192MB" for the JobManager, "8192" for the
	 * TaskManagers) and the size asked for */
	R("YARN_MAX_ALLOCATION", RE, "Maximum Memory: [0-9]+(MB)? Requested: [0-9]+MB", FM_ROLE_INFO, FM_PH_ANY, NULL,
	  "YARN's largest container and the size asked for"),
	/* the kernel's account of the memory cgroup at an OOM kill (4.x-6.x,
	 * torvalds/linux mm/memcontrol.c): the limit is the container's */
	R("KERNEL_MEMCG_LIMIT", RE, "memory: usage [0-9]+kB, limit [0-9]+kB, failcnt", FM_ROLE_INFO, FM_PH_ANY, NULL,
	  "the memory cgroup's usage and limit at an OOM kill"),
	R("JOB_SUBMITTED", RE, "(Received JobGraph submission|Submitting job [0-9a-f]+)", FM_ROLE_INFO, FM_PH_JM, NULL,
	  "a job is submitted"),
	/* RocksDBSharedResourcesFactory, and from 2.0 ForStSharedResourcesFactory
	 * (the same line with "ForSt") */
	R("ROCKSDB_SCOPE_INFO", RE, "Getting shared memory for (RocksDB|ForSt): shareScope=(SLOT|TM), managed=(true|false)",
	  FM_ROLE_INFO, FM_PH_TM, "state.backend.rocksdb.memory.managed", "RocksDB memory budget"),
	R("ROCKSDB_SCOPE_INFO_OLD", RE, "Getting (managed memory|fixed-size) shared cache for RocksDB\\.", FM_ROLE_INFO,
	  FM_PH_TM, "state.backend.rocksdb.memory.managed", "RocksDB memory budget"),
	R("OP_MEMORY_PRESSURE", RE, "(GC Pressure|Heap Usage) [0-9.E-]+ is above the allowed limit for scaling operations",
	  FM_ROLE_INFO, FM_PH_TM, "taskmanager.memory.task.heap.size", "autoscaler sees heap/GC pressure"),
	R("OP_MEMORY_TUNING", LIT, "Memory tuning recommends the following configuration", FM_ROLE_INFO, FM_PH_ANY,
	  "job.autoscaler.memory.tuning.enabled", "autoscaler memory recommendation"),
	R("CFG_JM_HEAP_BELOW_MIN", RE,
	  "The configured or derived JVM heap memory size \\(.*\\) is less than its recommended minimum value",
	  FM_ROLE_INFO, FM_PH_JM, "jobmanager.memory.heap.size", "JobManager heap below the recommended minimum"),
	R("CFG_OVERHEAD_FRACTION_MISMATCH", LIT, "does not match the configured JVM Overhead fraction", FM_ROLE_INFO,
	  FM_PH_ANY, "taskmanager.memory.jvm-overhead.fraction", "derived overhead differs from its fraction"),
	R("CFG_LEGACY_SPLIT_WARN", LIT, "Error while trying to split key and value in configuration file", FM_ROLE_INFO,
	  FM_PH_ANY, "(the dropped key)", "a config line was dropped by the legacy parser"),
	R("CFG_STANDARD_YAML", LIT, "Using standard YAML parser to load flink configuration file from", FM_ROLE_INFO,
	  FM_PH_ANY, "-", "config.yaml in use"),
	R("CFG_LEGACY_YAML", LIT, "Using legacy YAML parser to load flink configuration file from", FM_ROLE_INFO,
	  FM_PH_ANY, "-", "flink-conf.yaml in use"),
	/* ---- the layout (logconf reads these) -------------------------------- */
	R("LAYOUT_TM_BLOCK", LIT, "Final TaskExecutor Memory configuration:", FM_ROLE_LAYOUT, FM_PH_TM, NULL,
	  "TaskManager layout block"),
	R("LAYOUT_JM_BLOCK", LIT, "Final Master Memory configuration:", FM_ROLE_LAYOUT, FM_PH_JM, NULL,
	  "JobManager layout block"),
	R("LAYOUT_ITEM", RE,
	  "(Memory|Framework|Task|Managed|Network|Metaspace|Overhead|Heap|Off-heap):[[:space:]]+([0-9.]+ ?[kmgtKMGT]?i?[bB] "
	  "\\([0-9]+ bytes\\)|0 bytes)",
	  FM_ROLE_LAYOUT, FM_PH_ANY, NULL, "one line of a layout block"),
	R("LAYOUT_FRACTION_CAPPED", RE, "The derived from fraction [a-z ]+ memory \\(.*\\) is (less|greater) than its (min|max) value",
	  FM_ROLE_LAYOUT, FM_PH_ANY, "*.min,*.max,*.fraction", "a fraction was clamped"),
	R("LAYOUT_RESOURCE_PARAMS", RE, "(TM_|JM_)?RESOURCE_PARAMS extraction logs:", FM_ROLE_LAYOUT, FM_PH_ANY, NULL,
	  "start-script layout block"),
	R("LAYOUT_JVM_FLAG", RE, "-(Xmx|Xms|XX:MaxDirectMemorySize=|XX:MaxMetaspaceSize=)[0-9]+[kKmMgGtT]?", FM_ROLE_LAYOUT,
	  FM_PH_ANY, NULL, "a JVM memory flag (JVM Options / jvm_params; last one wins)"),
	R("LAYOUT_DYNAMIC", RE, "(taskmanager|jobmanager)\\.memory\\.[a-z.-]+=[0-9]+", FM_ROLE_LAYOUT, FM_PH_ANY, NULL,
	  "a -D memory size (program arguments / dynamic_configs)"),
	R("LAYOUT_JVM_PARAMS", RE, "jvm_params: -Xmx[0-9]+ -Xms[0-9]+", FM_ROLE_LAYOUT, FM_PH_ANY, NULL,
	  "JVM flags computed by the start script"),
	R("LAYOUT_DYNAMIC_CONFIGS", LIT, "dynamic_configs: -D ", FM_ROLE_LAYOUT, FM_PH_ANY, NULL,
	  "sizes computed by the start script as -D"),
	R("ENV_MAX_HEAP", RE, "Maximum heap size: [0-9]+ MiBytes", FM_ROLE_LAYOUT, FM_PH_ANY, NULL, "effective heap"),
	R("ENV_JVM_OPTIONS", LIT, " JVM Options:", FM_ROLE_LAYOUT, FM_PH_ANY, NULL, "JVM options follow"),
	R("ENV_PROGRAM_ARGS", LIT, " Program Arguments:", FM_ROLE_LAYOUT, FM_PH_ANY, NULL, "program arguments follow"),
	R("NET_POOL_ALLOCATED", RE,
	  "Allocated [0-9]+ MB for network buffer pool \\(number of memory segments: [0-9]+, bytes per segment: [0-9]+\\)",
	  FM_ROLE_LAYOUT, FM_PH_TM, NULL, "network buffer pool size"),
	R("CFG_LOADED_PROPERTY", RE, "Loading (dynamic )?configuration property: [A-Za-z0-9_.-]+, ", FM_ROLE_LAYOUT,
	  FM_PH_ANY, NULL, "a config value as loaded"),
	R("RM_NEW_WORKER", RE, "Requesting new worker with resource spec WorkerResourceSpec \\{", FM_ROLE_LAYOUT,
	  FM_PH_JM, NULL, "TaskManager sizes requested by the resource manager"),
	R("K8S_NEW_TM_POD", RE, "Creating new TaskManager pod with name [^ ]+ and resource <[0-9]+,[0-9.]+>",
	  FM_ROLE_LAYOUT, FM_PH_JM, NULL, "TaskManager pod size (MiB)"),
	/* ---- context: which process, which pod, which release ---------------- */
	R("CTX_STARTING", RE, "Starting [A-Za-z ]+ \\(Version: ", FM_ROLE_CONTEXT, FM_PH_ANY, NULL,
	  "process header with the Flink version"),
	/* (and flink-daemon.sh's "Starting taskexecutor daemon on host H.", all
	 * releases: the daemon's name before its JVM logs anything) */
	R("CTX_STARTING_OLD", RE, "Starting (TaskManager|TaskExecutor|YARN TaskExecutor runner|[A-Za-z]*ClusterEntrypoint|"
	  "JobManager|Job Manager|Task Manager|(taskexecutor|taskmanager|standalonesession|standalonejob|jobmanager) "
	  "daemon on host)",
	  FM_ROLE_CONTEXT, FM_PH_ANY, NULL, "process start line"),
	/* Keyed on the rare "to FAIL..." end: "switched from" starts a large
	 * share of all lines and would make every one of them a candidate. */
	R("CTX_TASK_FAILED", RE, "[A-Z] to FAIL(ED|ING)", FM_ROLE_CONTEXT, FM_PH_ANY, NULL,
	  "a task failed: the exception that follows comes from a TaskManager"),
	/* A job's failure carried to the client or the JobManager: the cause
	 * below it happened in a task, whatever process prints it. */
	R("CTX_JOB_FAILED", RE, "(JobExecutionException: Job execution failed|Recovery is suppressed by)", FM_ROLE_CONTEXT,
	  FM_PH_TM, NULL, "a job failed: the exception that follows comes from a task"),
	R("CTX_AM_CONTAINER", LIT, "AM Container for", FM_ROLE_CONTEXT, FM_PH_JM, NULL,
	  "YARN application master container: the JobManager"),
	/* (not PackagedProgramUtils or OptimizerPlanEnvironment: the CLI builds
	 * job graphs with them too; the web submission's handler and
	 * application mode's bootstrap are the JobManager's own) */
	R("CTX_JM_FRAME", RE, "(JarRunHandler|ApplicationDispatcherBootstrap|jobmanager-io-thread|"
	  "jobmanager-future-thread|JobManagerProcessUtils|at org\\.apache\\.flink\\.runtime\\.(dispatcher|scheduler|"
	  "resourcemanager)\\.|at org\\.apache\\.flink\\.runtime\\.jobmaster\\.JobMaster[.$]|"
	  "at org\\.apache\\.flink\\.runtime\\.(checkpoint\\.CheckpointCoordinator|source\\.coordinator\\.|"
	  "operators\\.coordination\\.(OperatorCoordinatorHolder|RecreateOnResetOperatorCoordinator)))",
	  FM_ROLE_CONTEXT, FM_PH_JM, NULL, "a JobManager-only frame or thread (the checkpoint and source coordinators run there)"),
	/* Stack frames only ("at ...StreamTask.invoke"): the same class as a
	 * logger name starts a large share of all TaskManager log lines. */
	R("CTX_TM_FRAME", RE,
	  "(at [A-Za-z0-9_.$]*(streaming\\.runtime\\.tasks\\.StreamTask|runtime\\.taskmanager\\.Task\\.|"
	  "ContaineredTaskManagerParameters\\.|TaskExecutorProcessUtils\\.)|Flink Task Threads)",
	  FM_ROLE_CONTEXT, FM_PH_TM, NULL, "a TaskManager-only frame or thread"),
	/* processes outside the cluster: their loggers, classes, headers */
	/* ... and the frames of a job's submission that run only in the
	 * client: ClusterClient.run (1.5-1.10; Client.run before, Stratosphere's
	 * eu.stratosphere.client.program.Client too), the session and per-job
	 * executors of flink-clients (1.10+), JobClient.submitJobAndWait (the
	 * pre-1.5 client actor; Stratosphere's nephele.client.JobClient). Not
	 * PackagedProgram or ContextEnvironment: application mode and the web
	 * submission run those inside the JobManager. */
	R("CTX_CLIENT", RE, "(client\\.cli\\.CliFrontend|o\\.a\\.f\\.c\\.c\\.CliFrontend|org\\.apache\\.flink\\.table\\.client\\.|"
	  "The program finished with the following exception:|Starting Command Line Client|"
	  "at [a-z.]*client\\.program\\.(Cluster)?Client\\.run\\(|"
	  "at [a-z.]*client\\.deployment\\.executors\\.Abstract(Session|Job)ClusterExecutor\\.|"
	  "at [a-z.]*client\\.JobClient\\.submitJob)",
	  FM_ROLE_CONTEXT, FM_PH_CLIENT, NULL, "the Flink client (CLI, SQL client)"),
	R("CTX_SQL_GATEWAY", RE, "(org\\.apache\\.flink\\.table\\.gateway\\.|o\\.a\\.f\\.t\\.g\\.|Starting SqlGateway)",
	  FM_ROLE_CONTEXT, FM_PH_SQL_GATEWAY, NULL, "the SQL gateway"),
	R("CTX_HISTORY", RE, "(webmonitor\\.history\\.HistoryServer[^A-Za-z]|o\\.a\\.f\\.r\\.w\\.h\\.HistoryServer[^A-Za-z]|"
	  "Starting HistoryServer)",
	  FM_ROLE_CONTEXT, FM_PH_HISTORY, NULL, "the history server"),
	R("CTX_JOB_SERVER", RE, "(FlinkJobServerDriver|org\\.apache\\.beam\\.runners\\.jobsubmission\\.)", FM_ROLE_CONTEXT,
	  FM_PH_JOB_SERVER, NULL, "Beam's Flink job server"),
	R("CTX_OPERATOR", RE, "(org\\.apache\\.flink\\.kubernetes\\.operator\\.|o\\.a\\.f\\.k\\.o\\.)", FM_ROLE_CONTEXT,
	  FM_PH_OPERATOR, NULL, "the Flink Kubernetes operator"),
	R("CTX_REST_SERVER_SIDE", LIT, "Exception on server side:", FM_ROLE_CONTEXT, FM_PH_JM, NULL,
	  "a REST answer: the exception below happened in the JobManager"),
	R("CTX_PY4J", LIT, "py4j.protocol.Py4JJavaError", FM_ROLE_CONTEXT, FM_PH_CLIENT, NULL,
	  "a PyFlink driver: the Java error below was raised in the client's gateway JVM unless frames say otherwise"),
	R("CTX_POD_NAME", RE, "Name:[[:space:]]+[A-Za-z0-9.-]+", FM_ROLE_CONTEXT, FM_PH_ANY, NULL,
	  "kubectl describe: pod name"),
	R("CTX_COMPONENT", RE, "component[=:][[:space:]]*\"?(taskmanager|jobmanager)", FM_ROLE_CONTEXT, FM_PH_ANY, NULL,
	  "Flink pod label"),
	/* the NodeManager's diagnostics of a failed launch quote the end of the
	 * container's own output ("Error file: prelaunch.err.\nLast 4096 bytes
	 * of prelaunch.err :\nLast 4096 bytes of stderr :", ContainerLaunch) */
	R("CTX_YARN_STDERR_TAIL", RE, "Last [0-9]+ bytes of (stderr|prelaunch\\.err|taskmanager\\.err|jobmanager\\.err) :",
	  FM_ROLE_CONTEXT, FM_PH_PEER, NULL, "the end of a YARN container's stderr, quoted in its diagnostics"),
	R("CTX_CONTAINER_ID", RE, "container_(e[0-9]+_)?[0-9]+_[0-9]+_[0-9]+_[0-9]+", FM_ROLE_CONTEXT, FM_PH_ANY, NULL,
	  "a YARN container id"),
	/* ---- look-alikes: not memory failures -------------------------------- */
	R("NEG_CLASS_NOT_FOUND", RE, "(java\\.lang\\.ClassNotFoundException|java\\.lang\\.NoClassDefFoundError)",
	  FM_ROLE_NEGATIVE, FM_PH_ANY, NULL, "a class is missing from the classpath: packaging, not memory"),
	/* Flink's configuration loader (GlobalConfiguration, YamlParserUtils
	 * from 1.19, ConfigurationFileMigrationUtils): the file could not be
	 * read at all; the start script then fails before any memory is
	 * computed ("Could not get JVM parameters ...") */
	R("NEG_CONF_UNREADABLE", RE,
	  "(Failed to parse YAML configuration|Error parsing YAML configuration|Failed to find YAML file|"
	  "Error while trying to split key and value in configuration file)",
	  FM_ROLE_NEGATIVE, FM_PH_ANY, NULL,
	  "Flink could not read its configuration file (YAML syntax, a duplicate key, a missing file), so the start "
	  "script's BashJavaUtils computed no memory; fix the file (`flinkmem check` reports it as FM003)"),
	/* GlobalConfiguration.loadConfiguration: no config file (2.x reads
	 * only config.yaml) or no config directory; the process stops before
	 * any memory is computed or used */
	R("CFG_FILE_MISSING", RE,
	  "(The Flink config file '[^']*' \\(.*\\) does not exist|The given configuration directory name '[^']*' .* "
	  "does not describe an existing directory)",
	  FM_ROLE_NEGATIVE, FM_PH_ANY, "(provide conf/config.yaml)",
	  "Flink found no configuration file (Flink 2.x reads only conf/config.yaml; bin/migrate-config-file.sh converts a "
	  "flink-conf.yaml) and stopped before computing any memory: not a memory failure"),
	R("NEG_DISK_FULL", LIT, "No space left on device", FM_ROLE_NEGATIVE, FM_PH_ANY, NULL,
	  "the disk is full: free disk space or move tmp/state directories, not memory"),
	R("NEG_EPERM", RE, "(error='Operation not permitted'|errno=1\\)|pthread_create failed \\(EPERM\\))",
	  FM_ROLE_NEGATIVE, FM_PH_ANY, NULL,
	  "the OS refused the request (a permission/seccomp problem), so the JVM's memory message is not about memory"),
	/* HotSpot exits with this while it starts its GC workers (JDK 8's
	 * GC task threads; 11+'s WorkerManager, which only warns when it adds
	 * workers later): a JVM that cannot start its first threads meets the
	 * OS's thread limit (pids cgroup, ulimit -u) or a container runtime's
	 * seccomp refusing clone3, not a memory budget; its hs_err header says
	 * "insufficient memory" all the same */
	R("NEG_JVM_START_THREADS", RE, "Cannot create (worker )?GC thread\\. Out of system resources", FM_ROLE_NEGATIVE,
	  FM_PH_ANY, NULL,
	  "the JVM could not start its GC threads at start-up: the OS refused threads (a pids or process limit, or an "
	  "old container runtime's seccomp), not a memory budget"),
	/* bash's error prolog ("%s: line %d: ", error.c) from config.sh, the
	 * script that runs BashJavaUtils: the shell failed before Java ran (a
	 * Java path with a space, a wrong JAVA_HOME or env.java.home), so the
	 * start script's "Could not get JVM parameters" computed no memory */
	R("NEG_SCRIPT_SHELL_ERROR", RE, "config\\.sh: line [0-9]+: ", FM_ROLE_NEGATIVE, FM_PH_ANY,
	  "(fix the Java path: JAVA_HOME or env.java.home)",
	  "the start script's shell failed in config.sh before Java could run BashJavaUtils (a Java path with a space, "
	  "a wrong JAVA_HOME or env.java.home, no java), so no memory was computed; fix the Java path, not memory"),
	/* RocksDBOperationUtils.sanityCheckArenaBlockSize (ForSt's copy says
	 * ForStStateBackend): the write-buffer manager's mutable limit (7/8 of
	 * its capacity, a share of the slot's managed memory) is under one
	 * arena block, so RocksDB flushes memtables constantly. A WARN while
	 * the job runs on: too little managed memory per slot, not a crash */
	R("NEG_ROCKSDB_ARENA_OVER_LIMIT", RE, "(RocksDB|ForSt)StateBackend performance will be poor because of the current "
	  "Flink memory configuration", FM_ROLE_NEGATIVE, FM_PH_ANY,
	  "(taskmanager.memory.managed.size or taskmanager.memory.managed.fraction up)",
	  "Flink warned that RocksDB's write-buffer budget, a share of the slot's managed memory, is under one arena "
	  "block: RocksDB flushes its memtables constantly (high IO and CPU, a slow job, not a crash); give each slot "
	  "more managed memory (`flinkmem check` FM067 names the floor)"),
	/* kuberuntime_manager.go (computePodActions): "Container %s failed
	 * liveness probe" / "... startup probe", then ", will be restarted" */
	R("NEG_K8S_PROBE_KILL", RE, "failed (liveness|startup) probe, will be restarted", FM_ROLE_NEGATIVE, FM_PH_ANY,
	  NULL, "the kubelet killed the container because its liveness or startup probe failed: SIGKILL, not a memory limit"),
	R("NEG_EVICTED_STORAGE", LIT, "The node was low on resource: ephemeral-storage", FM_ROLE_NEGATIVE, FM_PH_ANY,
	  NULL, "the pod was evicted for local disk (ephemeral storage), not memory"),
	/* the kubelet's status for a container it cannot find when the pod
	 * ends (kubelet_pods.go: reason ContainerStatusUnknown, "The container
	 * could not be located when the pod was terminated", exit code 137
	 * filled in): a lost node or runtime, no kill of the process */
	R("NEG_K8S_STATUS_UNKNOWN", LIT, "ContainerStatusUnknown", FM_ROLE_NEGATIVE, FM_PH_ANY, NULL,
	  "the kubelet could not find the container when the pod ended (a lost node or container runtime): its exit "
	  "code 137 is filled in, not a memory kill"),
	R("NEG_CODE_CACHE", LIT, "CodeCache is full. Compiler has been disabled.", FM_ROLE_NEGATIVE, FM_PH_ANY, NULL,
	  "the JIT code cache is full: the JVM runs slower (raise -XX:ReservedCodeCacheSize), no memory failure"),
	R("NEG_YARN_PREEMPTED", RE, "(was preempted by yarn|Container preempted by scheduler|[Ee]xit ?([Cc]ode|[Ss]tatus):[[:space:]]*-102)",
	  FM_ROLE_NEGATIVE, FM_PH_ANY, NULL, "YARN's scheduler preempted the container for another queue: not a memory failure"),
	R("NEG_YARN_DISKS", RE, "(threshold number of the nodemanager-local-directories|[Ee]xit ?([Cc]ode|[Ss]tatus):[[:space:]]*-101)",
	  FM_ROLE_NEGATIVE, FM_PH_ANY, NULL, "the NodeManager's disks failed: not a memory failure"),
	R("NEG_YARN_LOST_NODE", LIT, "Container released on a *lost* node", FM_ROLE_NEGATIVE, FM_PH_ANY, NULL,
	  "the node was lost (network or NodeManager down): not a memory failure"),
	R("NEG_KAFKA_BUFFER", LIT, "BufferExhaustedException", FM_ROLE_NEGATIVE, FM_PH_ANY, NULL,
	  "the Kafka producer's own buffer (buffer.memory) filled because the broker is slow: not Flink memory"),
	R("NEG_NO_SLOTS", RE, "(NoResourceAvailableException|Could not acquire the minimum required resources)",
	  FM_ROLE_NEGATIVE, FM_PH_ANY, NULL, "no free slots (too few TaskManagers or slots): not a memory failure"),
	R("NEG_GC_LIFETIME", LIT, "GC life time", FM_ROLE_NEGATIVE, FM_PH_ANY, NULL,
	  "a database's MVCC garbage-collection life time (e.g. TiDB), not JVM memory"),
	R("NEG_NETWORK", RE, "(java\\.net\\.UnknownHostException|java\\.net\\.ConnectException: Connection refused|No route to host)",
	  FM_ROLE_NEGATIVE, FM_PH_ANY, NULL, "a network error: hosts unreachable or refusing connections"),
};

#define NSIG (sizeof table / sizeof table[0])

static fm_pattern patterns[NSIG];
static pthread_once_t patterns_once = PTHREAD_ONCE_INIT;

static void build_patterns(void)
{
	for (size_t i = 0; i < NSIG; i++)
		patterns[i] = (fm_pattern){table[i].id, table[i].expr, table[i].regex, table[i].icase};
}

const fm_sig *fm_signatures(size_t *n)
{
	*n = NSIG;
	return table;
}

const fm_pattern *fm_signature_patterns(size_t *n)
{
	pthread_once(&patterns_once, build_patterns); /* the scanner's view of the table, built once */
	*n = NSIG;
	return patterns;
}

int fm_signature_find(const char *id)
{
	for (size_t i = 0; i < NSIG; i++)
		if (!strcmp(table[i].id, id))
			return (int)i;
	return -1;
}

const char *fm_failure_name(fm_failure f)
{
	static const char *names[FM_F_COUNT] = {
		"none", "heap", "gc-overhead", "direct", "metaspace", "network-buffers", "managed-memory",
		"rocksdb-native", "native-thread", "container-killed-k8s", "container-killed-yarn", "config-invalid",
		"native-memory",
	};
	return f < FM_F_COUNT ? names[f] : "none";
}
