#!/usr/bin/env bash
# Every JSON document flinkmem prints validates against its schema in
# docs/schemas/ (one per command, picked by the envelope's "command"):
# the golden cases' JSON output (tests/cases/*/expected.out of cases whose
# cmd asks for JSON), fresh runs of each command and JSON shape (error
# sides, unsupported sides, FlinkDeployments, several inputs, suppressions,
# rule table, plan's job plans and pins, diagnose fixes), and the schemas
# must reject broken documents (so they are not `{}`).
# usage: run.sh FLINKMEM SRCDIR
set -u
FM=$(realpath "$1"); SRC=$(realpath "$2")
SCHEMAS=$SRC/docs/schemas; CASES=$SRC/tests/cases
V() { python3 "$SRC/tests/schemas/validate.py" "$SCHEMAS" "$@"; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
export NO_COLOR=1
unset COLUMNS FLINK_CONF_DIR FLINK_PROPERTIES FLINK_TM_HEAP FLINK_JM_HEAP FLINKMEM_FLINK_VERSION FLINK_HOME FLINK_LIB_DIR
fail=0

# 1. the goldens
for d in "$CASES"/*/; do
	grep -q -e '--format json' -e '--rules' "$d/cmd" 2>/dev/null || continue
	grep -h '^{"flinkmem".*}$' "$d/expected.out" >>"$tmp/golden.jsonl" # whole documents, not grep -o pieces
done
n=$(wc -l <"$tmp/golden.jsonl")
[ "$n" -ge 40 ] || { echo "FAIL: only $n golden JSON documents found"; fail=1; }
echo "goldens: $(V "$tmp/golden.jsonl" | tail -1)"; V "$tmp/golden.jsonl" >/dev/null || { V "$tmp/golden.jsonl"; fail=1; }

# 2. fresh runs, one document each (exit status 0 or 1: a finding is no error)
run() { ( cd "$1" && shift && "$FM" "$@" ) >>"$tmp/fresh.jsonl" 2>>"$tmp/fresh.err"
	rc=$?; [ $rc -le 1 ] || { echo "FAIL: flinkmem $* exited $rc"; cat "$tmp/fresh.err"; fail=1; }; }
printf 'taskmanager.memory.flink.size: 1088\njobmanager.memory.flink.size: 1024\n' >"$tmp/rejected.yaml"
run "$SRC" show --format json
run "$SRC" show --format json --tm -c examples/flink-conf.yaml --flink-version 1.17.2
run "$SRC" show --format json --jm -c examples/config.yaml
run "$SRC" show --format json --flink-version 1.10.0
run "$SRC" show --format json --flink-version 1.11.6
run "$SRC" show --format json -c "$tmp/rejected.yaml"
run "$SRC" show --format json --flink-version 3.0 --flink-version-fallback
run "$CASES/show_k8s_cr" show --format json -c cr.yaml
run "$CASES/show_k8s_container_json" show --format json -c cr.yaml
run "$SRC" check --format json examples/flink-conf.yaml
run "$SRC" check --format json examples/flink-conf.yaml examples/config.yaml "$tmp/rejected.yaml"
run "$CASES/check_suppress" check --format json flink-conf.yaml --flink-version 1.20
run "$SRC" check --rules --format json
run "$SRC" plan --format json -c examples/flink-conf.yaml --want task-heap=2g
run "$SRC" plan --format json -c examples/flink-conf.yaml --want task-heap=8g --container 4g
run "$SRC" plan --format json -c examples/flink-conf.yaml --set taskmanager.memory.managed.fraction=0.2
run "$SRC" plan --format json -c examples/flink-conf.yaml --compare-version 1.16
run "$SRC" plan --format json --parallelism 512 --all-to-all-edges 2 --slots 4 --container 4g
run "$CASES/plan_netbuf_batch_20" plan --format json --job-plan batch.json --flink-version 1.20
run "$CASES/diagnose_metaspace_tm_jm/in" diagnose --format json tm.log jm.log
run "$CASES/diagnose_describe_oomkilled" diagnose --format json describe.txt
run "$CASES/diagnose_html_pinned" diagnose --format json --flink-version 1.17 net.txt
printf 'nothing to see here\n' >"$tmp/quiet.log"
run "$SRC" diagnose --format json "$tmp/quiet.log"
for c in show check plan diagnose; do
	grep -q "\"command\":\"$c\"" "$tmp/fresh.jsonl" || { echo "FAIL: no fresh $c document"; fail=1; }
done
echo "fresh runs: $(V "$tmp/fresh.jsonl" | tail -1)"; V "$tmp/fresh.jsonl" >/dev/null || { V "$tmp/fresh.jsonl"; fail=1; }

# 3. broken documents are rejected: each mutation of a fresh document
python3 - "$tmp/fresh.jsonl" "$tmp/broken.jsonl" <<'PY'
import json, sys
docs = [json.loads(l) for l in open(sys.argv[1])]
def first(cmd, pred=lambda d: True):
    return json.loads(json.dumps(next(d for d in docs if d.get("command") == cmd and pred(d))))
out = []
d = first("show"); del d["schemaVersion"]; out.append(d)
d = first("show"); d["schemaVersion"] = 2; out.append(d)
d = first("show"); d["command"] = "shw"; out.append(d)
d = first("show", lambda d: "taskmanager" in d and "taskHeap" in d["taskmanager"]); d["taskmanager"]["taskHeap"] = -1; out.append(d)
d = first("show", lambda d: "taskmanager" in d and "taskHeap" in d["taskmanager"]); d["taskmanager"]["taskHeap"] = "1g"; out.append(d)
d = first("show"); d["flinkVersion"] = "latest"; out.append(d)
d = first("check", lambda d: d.get("findings")); d["findings"][0]["severity"] = "fatal"; out.append(d)
d = first("check", lambda d: d.get("findings")); d["findings"][0]["rule"] = "X1"; out.append(d)
d = first("check", lambda d: "rules" in d); d["rules"][0]["severity"] = "info"; out.append(d)
d = first("plan"); del d["before"]; out.append(d)
d = first("plan"); d["feasible"] = "yes"; out.append(d)
d = first("diagnose", lambda d: d.get("incidents")); d["incidents"][0]["failure"] = "oom"; out.append(d)
d = first("diagnose", lambda d: d.get("incidents")); d["incidents"][0]["role"] = "cause"; out.append(d)
d = first("diagnose", lambda d: d.get("rootCause")); d["rootCause"]["process"] = "client"; out.append(d)
with open(sys.argv[2], "w") as f:
    for d in out:
        f.write(json.dumps(d, separators=(",", ":")) + "\n")
PY
[ $? = 0 ] || { echo "FAIL: could not build the broken documents"; fail=1; }
echo "broken documents: $(V --expect-invalid "$tmp/broken.jsonl" | tail -1)"
V --expect-invalid "$tmp/broken.jsonl" >/dev/null || { V --expect-invalid "$tmp/broken.jsonl"; fail=1; }
[ $fail = 0 ] && echo "json schemas: ok"
exit $fail
