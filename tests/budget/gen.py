#!/usr/bin/env python3
"""Writes one hostile input for the budget test (run.sh); they are
megabytes each, so they are generated, not committed.
usage: gen.py KIND OUT [N]"""
import sys

DEPLOY = """apiVersion: flink.apache.org/v1beta1
kind: FlinkDeployment
metadata:
  name: d{i}
spec:
  flinkVersion: v1_20
  flinkConfiguration:
    taskmanager.numberOfTaskSlots: "2"
    state.backend.type: rocksdb
{extra}  jobManager:
    resource:
      memory: "2048m"
      cpu: 1
  taskManager:
    resource:
      memory: "{tm}"
      cpu: 1
  job:
    jarURI: local:///opt/flink/examples/streaming/StateMachineExample.jar
    parallelism: 2
"""
HEAD = "taskmanager.memory.process.size: 2g\njobmanager.memory.process.size: 1600m\n"
BIG = 'big: &a "' + "x" * 100000 + '"\n'  # a 100 KB scalar, anchored


def yaml_scalar_alias():
    # ~200 KB: the 100 KB scalar referenced by 10,000 keys (1 GB flattened).
    return HEAD + BIG + "".join("k%d: *a\n" % i for i in range(10000))


def yaml_list_alias():
    # aliases to the scalar in a list, the list aliased 40 times.
    return HEAD + BIG + "l: &l [" + ", ".join(["*a"] * 2000) + "]\n" + \
        "".join("m%d: *l\n" % i for i in range(40))


def yaml_long_key():
    # no alias: a 100 KB key is the prefix of 10,000 nested keys.
    return HEAD + "? " + "k" * 100000 + "\n:\n" + "".join("  c%d: 1\n" % i for i in range(10000))


def yaml_long_int():
    # 1 MB of digits: a valid YAML Core int (a BigInteger to snakeyaml).
    return HEAD + "x.long: -000" + "7" * 1000000 + "\n"


def yaml_padded_int():
    # 1 MB of leading zeros in front of a process size in bytes (1 GiB).
    return "jobmanager.memory.process.size: 1600m\n" \
        "taskmanager.memory.process.size: +" + "0" * 1000000 + "1073741824\n"


def yaml_long_hex():
    return HEAD + "x.long: 0x" + "f" * 1000000 + "\n"


def k8s_alias():
    # ~3 MB FlinkDeployment: a 1 MB scalar in flinkConfiguration
    # referenced by 200,000 keys.
    extra = '    x: &b "' + "z" * 1000000 + '"\n' + "".join("    k%d: *b\n" % i for i in range(200000))
    return DEPLOY.format(i=0, tm="2g", extra=extra)


def k8s_many(n=2000):
    # n FlinkDeployments, every other one with a unitless memory (findings).
    return "---\n".join(DEPLOY.format(i=i, tm="2g" if i % 2 else "2048", extra="") for i in range(n))


def k8s_jobs(n=10000):
    # n FlinkDeployments and n FlinkSessionJobs naming absent deployments:
    # matching jobs to deployments must not be n x n.
    d = ["kind: FlinkDeployment\napiVersion: flink.apache.org/v1beta1\nmetadata: {name: d%d}\n"
         "spec: {flinkVersion: v1_20, taskManager: {resource: {memory: 2g}}, "
         "jobManager: {resource: {memory: 1g}}}\n" % i for i in range(n)]
    j = ["kind: FlinkSessionJob\napiVersion: flink.apache.org/v1beta1\nmetadata: {name: j%d}\n"
         "spec: {deploymentName: x%d}\n" % (i, i) for i in range(n)]
    return "---\n".join(d + j)


def yaml_anchors(n=50000):
    # n anchors, then n aliases: one alias lookup per anchor must not be n.
    return HEAD + "".join("a%d: &a%d v\n" % (i, i) for i in range(n)) + \
        "l: [" + ", ".join("*a%d" % i for i in range(n)) + "]\n"


def k8s_anchors(n=500000):
    # 1,024 anchors (the most per document), n aliases to the first one.
    anchors = ", ".join("&a%d v" % i for i in range(1024))
    return DEPLOY.format(i=0, tm="2g", extra="") + "  a: [" + anchors + "]\n  l:\n" + "  - *a0\n" * n


KINDS = {"yaml-scalar-alias": yaml_scalar_alias, "yaml-list-alias": yaml_list_alias,
         "yaml-long-key": yaml_long_key, "yaml-long-int": yaml_long_int,
         "yaml-long-hex": yaml_long_hex,
         "yaml-padded-int": yaml_padded_int, "k8s-alias": k8s_alias, "k8s-many": k8s_many,
         "k8s-jobs": k8s_jobs, "yaml-anchors": yaml_anchors, "k8s-anchors": k8s_anchors}

if __name__ == "__main__":
    kind, out = sys.argv[1], sys.argv[2]
    args = [int(a) for a in sys.argv[3:]]
    with open(out, "w") as f:
        f.write(KINDS[kind](*args))
