#!/usr/bin/env python3
"""A stand-in JobManager REST endpoint for `flinkmem live` tests.

Serves a small cluster shaped as each release's REST handlers answer
(field names and nesting of TaskManagerDetailsInfo, TaskManagerMetricsInfo,
TaskExecutorMemoryConfiguration, ClusterOverviewWithVersion and the metric
handlers; values are ours), on 127.0.0.1 only, and injects faults. Prints
the port on the first line of stdout, then serves until killed or until
--max-seconds pass (it never outlives a test).

  server.py --release 1.17 [--tms N] [--scenario healthy|pressure|leak]
            [--fault none|overview-404|overview-500|tm-404|tm-metrics-500|
                     malformed|truncated|slow|huge|not-json-config]
"""
import argparse
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MIB = 1 << 20


def layout_1728m():
    # What Flink derives for taskmanager.memory.process.size: 1728m (1.12+
    # defaults); flinkmem re-derives the same from /jobmanager/config.
    return {
        "frameworkHeap": 134217728, "taskHeap": 402653174, "frameworkOffHeap": 134217728,
        "taskOffHeap": 0, "networkMemory": 134217730, "managedMemory": 536870920,
        "jvmMetaspace": 268435456, "jvmOverhead": 201326592,
        "totalFlinkMemory": 1342177280, "totalProcessMemory": 1811939328,
    }


class Cluster:
    def __init__(self, release, tms, scenario):
        self.release = release
        self.tms = tms
        self.scenario = scenario
        self.samples = 0  # /overview requests served: one per sample
        self.lock = threading.Lock()

    def major_minor(self):
        parts = self.release.split(".")
        return int(parts[0]), int(parts[1])

    def tm_id(self, i):
        return "10.0.0.%d:6122-%06x" % (10 + i, 0xa1b200 + i)

    def overview(self):
        with self.lock:
            self.samples += 1
            k = self.samples
        submitted = k if self.scenario == "leak" else 3
        o = {"taskmanagers": self.tms, "slots-total": 2 * self.tms,
             "slots-available": self.tms, "jobs-running": 1,
             "jobs-finished": submitted - 1, "jobs-cancelled": 0, "jobs-failed": 0,
             "flink-version": self.release + ".1", "flink-commit": "abc1234"}
        if self.major_minor() >= (1, 15):
            o["taskmanagers-blocked"] = 0
            o["slots-free-and-blocked"] = 0
        return o

    def jm_config(self):
        kv = [("jobmanager.memory.process.size", "1600m"),
              ("taskmanager.memory.process.size", "1728m"),
              ("taskmanager.numberOfTaskSlots", "2"),
              ("rest.port", "8081")]
        if self.scenario == "pressure":
            kv.append(("state.backend.type" if self.major_minor() >= (1, 17) else "state.backend",
                       "hashmap"))
        return [{"key": k, "value": v} for k, v in kv]

    def taskmanagers(self):
        if getattr(self, "_tms", None) is None:
            self._tms = self._make_taskmanagers()
            self._index = {t["id"]: i for i, t in enumerate(self._tms["taskmanagers"])}
        return self._tms

    def _make_taskmanagers(self):
        out = []
        for i in range(self.tms):
            t = {"id": self.tm_id(i), "path": "pekko.tcp://flink@10.0.0.%d:6122/user/rpc/taskmanager_0" % (10 + i),
                 "dataPort": 6121, "timeSinceLastHeartbeat": 1700000000000,
                 "slotsNumber": 2, "freeSlots": 1,
                 "hardware": {"cpuCores": 2, "physicalMemory": 8 * 1024 * MIB,
                              "freeMemory": 512 * MIB, "managedMemory": 536870920}}
            if self.major_minor() >= (1, 12):
                t["memoryConfiguration"] = layout_1728m()
            out.append(t)
        return {"taskmanagers": out}

    def tm_metrics_info(self, i):
        k = max(self.samples, 1)
        heap_max = 536870912 - 16 * MIB
        used = 200 * MIB
        direct = 140 * MIB
        if self.scenario == "pressure" and i == 0:
            used = heap_max - 4 * MIB
            direct = 260 * MIB  # of a 256 MiB + 2 B limit: over 90%
        m = {"heapUsed": used, "heapCommitted": heap_max, "heapMax": heap_max,
             "nonHeapUsed": 90 * MIB, "nonHeapCommitted": 100 * MIB, "nonHeapMax": -1,
             "directCount": 40, "directUsed": direct, "directMax": direct,
             "mappedCount": 0, "mappedUsed": 0, "mappedMax": 0,
             "garbageCollectors": [
                 {"name": "G1_Young_Generation", "count": 10 * k, "time": 100 * k if self.scenario != "leak" else 100},
                 {"name": "G1_Old_Generation", "count": 0, "time": 0}]}
        segs_total = 4096
        avail = 0 if (self.scenario == "pressure" and i == 0) else 3000
        mm = self.major_minor()
        if mm < (2, 0):
            m["memorySegmentsAvailable"] = avail
            m["memorySegmentsTotal"] = segs_total
        if (1, 12) <= mm < (2, 0):
            m["nettyShuffleMemorySegmentsAvailable"] = avail
            m["nettyShuffleMemorySegmentsUsed"] = segs_total - avail
            m["nettyShuffleMemorySegmentsTotal"] = segs_total
        if mm >= (1, 12):
            m["nettyShuffleMemoryAvailable"] = avail * 32768
            m["nettyShuffleMemoryUsed"] = (segs_total - avail) * 32768
            m["nettyShuffleMemoryTotal"] = segs_total * 32768
        return m

    def tm_details(self, tid):
        tms = self.taskmanagers()["taskmanagers"]
        i = self._index.get(tid)
        if i is not None:
                t = tms[i]
                d = dict(t)
                d["metrics"] = self.tm_metrics_info(i)
                if self.major_minor() >= (1, 12):
                    d["allocatedSlots"] = [{"jobId": "f" * 32, "resource": {"cpuCores": 1.0}}]
                if self.major_minor() >= (1, 16):
                    d["blocked"] = False
                return d
        return None

    def metric_values(self, names, tm_index=None):
        k = max(self.samples, 1)
        mm = self.major_minor()
        vals = {}
        meta_used = 80 * MIB
        if self.scenario == "leak":
            meta_used = 60 * MIB + k * 40 * MIB
        if self.scenario == "pressure" and tm_index == 0:
            meta_used = 250 * MIB
        if mm >= (1, 12):
            vals["Status.JVM.Memory.Metaspace.Used"] = meta_used
            vals["Status.JVM.Memory.Metaspace.Max"] = 268435456
            vals["Status.Flink.Memory.Managed.Used"] = 0
            vals["Status.Flink.Memory.Managed.Total"] = 536870920
        if tm_index is None:  # the JobManager
            vals.update({"Status.JVM.Memory.Heap.Used": 300 * MIB,
                         "Status.JVM.Memory.Heap.Committed": 448 * MIB,
                         "Status.JVM.Memory.Heap.Max": 448 * MIB,
                         "Status.JVM.Memory.NonHeap.Used": 120 * MIB,
                         "Status.JVM.Memory.NonHeap.Max": -1,
                         "Status.JVM.Memory.Direct.Count": 12,
                         "Status.JVM.Memory.Direct.MemoryUsed": 20 * MIB,
                         "Status.JVM.Memory.Direct.TotalCapacity": 20 * MIB,
                         "Status.JVM.Memory.Mapped.MemoryUsed": 0})
            if mm >= (1, 12):
                vals["Status.JVM.Memory.Metaspace.Used"] = 70 * MIB
                del vals["Status.Flink.Memory.Managed.Used"]
                del vals["Status.Flink.Memory.Managed.Total"]
        # the metric handlers answer values as strings
        return [{"id": n, "value": str(vals[n])} for n in names if n in vals]

    def jobs(self):
        return {"jobs": [{"jid": "a" * 32, "name": "orders", "state": "RUNNING"},
                         {"jid": "b" * 32, "name": "old", "state": "FINISHED"}]}

    def exceptions(self, jid):
        if self.scenario == "pressure":
            trace = ("java.lang.OutOfMemoryError: Metaspace. The metaspace out-of-memory error has occurred. "
                     "This can mean two things: either the job requires a larger size of JVM metaspace to "
                     "load classes or there is a class loading leak.\n\tat java.lang.ClassLoader.defineClass1"
                     "(Native Method)\n\tat org.apache.flink.runtime.execution.librarycache.FlinkUserCodeClassLoader"
                     ".loadClass(FlinkUserCodeClassLoader.java:63)\n")
            return {"root-exception": trace, "timestamp": 1700000000000, "all-exceptions": [],
                    "truncated": False,
                    "exceptionHistory": {"entries": [{"exceptionName": "java.lang.OutOfMemoryError",
                                                      "stacktrace": trace, "timestamp": 1700000000000,
                                                      "taskName": "Source: orders (1/2)",
                                                      "location": "10.0.0.10:6122",
                                                      "taskManagerId": self.tm_id(0),
                                                      "concurrentExceptions": []}],
                                         "truncated": False}}
        return {"root-exception": None, "timestamp": None, "all-exceptions": [], "truncated": False,
                "exceptionHistory": {"entries": [], "truncated": False}}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body are two writes
    cluster = None
    fault = "none"

    def log_message(self, *args):
        pass

    def send(self, code, obj=None, raw=None):
        body = raw if raw is not None else json.dumps(obj).encode()
        if self.fault == "truncated" and self.path.startswith("/taskmanagers/"):
            # promise more than is sent, then close: a cut body
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body) + 100))
            self.end_headers()
            self.wfile.write(body[: len(body) // 2])
            self.close_connection = True
            return
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        c, f = self.cluster, self.fault
        path, _, query = self.path.partition("?")
        names = []
        if query.startswith("get="):
            names = query[4:].split(",")
        if f == "slow" and path == "/overview":
            time.sleep(3)
        if path == "/overview":
            if f == "overview-404":
                return self.send(404, {"errors": ["Not found: /overview"]})
            if f == "overview-500":
                return self.send(500, {"errors": ["Internal server error."]})
            if f == "malformed":
                return self.send(200, raw=b'{"taskmanagers": 2, "slots-total": ')
            return self.send(200, c.overview())
        if path == "/config":
            return self.send(200, {"refresh-interval": 3000, "timezone-name": "UTC",
                                   "timezone-offset": 0, "flink-version": c.release + ".1",
                                   "flink-revision": "abc1234 @ 2024-01-01T00:00:00+01:00",
                                   "features": {"web-submit": False}})
        if path == "/jobmanager/config":
            if f == "not-json-config":
                return self.send(200, raw=b"<html>proxy error</html>")
            return self.send(200, c.jm_config())
        if path == "/jobmanager/metrics":
            return self.send(200, c.metric_values(names))
        if path == "/taskmanagers":
            if f == "huge":  # 80 MiB, past flinkmem's 64 MiB cap per response
                return self.send(200, raw=b'{"taskmanagers":[' + b'{"id":"x"},' * (8 << 20) + b'{"id":"y"}]}')
            return self.send(200, c.taskmanagers())
        if path == "/jobs/overview":
            return self.send(200, c.jobs())
        if path.startswith("/jobs/") and path.endswith("/exceptions"):
            return self.send(200, c.exceptions(path.split("/")[2]))
        if path.startswith("/taskmanagers/"):
            rest = path[len("/taskmanagers/"):]
            tid, _, sub = rest.partition("/")
            tid = tid.replace("%3A", ":")
            c.taskmanagers()
            idx = c._index.get(tid)
            if idx is None:
                return self.send(404, {"errors": ["TaskManager not found"]})
            if sub == "metrics":
                if f == "tm-metrics-500" and idx == 0:
                    return self.send(500, {"errors": ["Internal server error."]})
                return self.send(200, c.metric_values(names, idx))
            if sub == "":
                if f == "tm-404" and idx == 1:
                    return self.send(404, {"errors": ["Could not find TaskExecutor " + tid]})
                return self.send(200, c.tm_details(tid))
        return self.send(404, {"errors": ["Not found: " + path]})


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--release", default="1.20")
    ap.add_argument("--tms", type=int, default=2)
    ap.add_argument("--scenario", default="healthy")
    ap.add_argument("--fault", default="none")
    ap.add_argument("--max-seconds", type=float, default=120)
    a = ap.parse_args()
    Handler.cluster = Cluster(a.release, a.tms, a.scenario)
    Handler.fault = a.fault
    ThreadingHTTPServer.request_queue_size = 256  # the default 5 drops SYNs of parallel clients
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    print(srv.server_address[1], flush=True)
    threading.Timer(a.max_seconds, srv.shutdown).start()
    srv.serve_forever()


if __name__ == "__main__":
    main()
