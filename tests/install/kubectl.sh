#!/usr/bin/env bash
# The kubectl plugin (dist/kubectl-flinkmem) against a stand-in kubectl on
# PATH that logs its arguments and answers from files: the right kubectl
# calls are made, namespace/context flags reach kubectl and not flinkmem,
# and flinkmem's output is what it prints for the same input given directly.
#   kubectl.sh FLINKMEM SRCDIR
set -u
FM=$(realpath "$1") SRC=$(realpath "$2")
PLUGIN=$SRC/dist/kubectl-flinkmem
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }
export FLINKMEM=$FM NO_COLOR=1 COLUMNS=0 FAKE=$tmp/fake
unset FLINK_CONF_DIR FLINK_PROPERTIES FLINK_TM_HEAP FLINK_JM_HEAP FLINKMEM_FLINK_VERSION
mkdir -p "$tmp/bin" "$FAKE"

# The stand-in: `kubectl ARGS` appends ARGS to $FAKE/calls; answers get
# flinkdeployment NAME, describe pod NAME, logs NAME [--previous] from
# $FAKE/<what>-NAME, and fails like kubectl when the file is absent.
cat >"$tmp/bin/kubectl" <<'EOF'
#!/bin/sh
echo "$*" >>"$FAKE/calls"
name=""; what=""; prev=""
while [ $# -gt 0 ]; do
	case $1 in
	-n | --namespace | --context) shift ;;
	--namespace=* | --context=* | -o | yaml | --all-containers=true) ;;
	--previous) prev=.previous ;;
	get | describe | logs) what=$1 ;;
	flinkdeployment | pod) ;;
	*) name=$1 ;;
	esac
	shift
done
f=$FAKE/$what-$name$prev
[ -f "$f" ] || { echo "Error from server (NotFound): \"$name\" not found" >&2; exit 1; }
cat "$f"
EOF
chmod +x "$tmp/bin/kubectl"
export PATH=$tmp/bin:$PATH

# A FlinkDeployment whose TaskManager memory Flink rejects.
cat >"$FAKE/get-job1" <<'EOF'
apiVersion: flink.apache.org/v1beta1
kind: FlinkDeployment
metadata:
  name: job1
  namespace: streaming
spec:
  flinkVersion: v1_18
  flinkConfiguration:
    taskmanager.numberOfTaskSlots: "2"
    taskmanager.memory.managed.size: 3g
  jobManager:
    resource:
      memory: 2048m
      cpu: 1
  taskManager:
    resource:
      memory: 2048m
      cpu: 1
status:
  jobStatus:
    state: RUNNING
EOF
cp "$FAKE/get-job1" "$tmp/job1.yaml"

: >"$FAKE/calls"
"$PLUGIN" check deployment/job1 -n streaming --format json >"$tmp/out" 2>"$tmp/err"; rc=$?
"$FM" check -c "$tmp/job1.yaml" --name job1 --format json >"$tmp/want" 2>/dev/null; want_rc=$?
[ $rc = $want_rc ] || bad "check deployment/job1: exit $rc, flinkmem gives $want_rc"
[ "$want_rc" = 1 ] || bad "the test's FlinkDeployment should have an error finding (exit $want_rc)"
# the file name differs (a temporary copy); everything else is the same
sed 's|[^"]*flinkdeployment-job1.yaml|FILE|g' "$tmp/out" >"$tmp/out.n"
sed 's|[^"]*job1.yaml|FILE|g' "$tmp/want" >"$tmp/want.n"
cmp -s "$tmp/out.n" "$tmp/want.n" || bad "check deployment/job1 differs from flinkmem check -c: $(diff "$tmp/want.n" "$tmp/out.n" | head -5)"
grep -qx -- "-n streaming get flinkdeployment job1 -o yaml" "$FAKE/calls" || bad "check: kubectl called as: $(cat "$FAKE/calls")"

"$PLUGIN" show flinkdeployment/job1 --context prod --tm >"$tmp/out" 2>&1
grep -q "Flink 1.18" "$tmp/out" || grep -q "1.18" "$tmp/out" || bad "show: the CR's flinkVersion is not used: $(head -3 "$tmp/out")"
grep -q -- "--context prod get flinkdeployment job1" "$FAKE/calls" || bad "show: --context did not reach kubectl"

"$PLUGIN" plan deployment/job1 --write >/dev/null 2>"$tmp/err"; rc=$?
[ $rc = 2 ] && grep -q "temporary copy" "$tmp/err" || bad "plan --write on a cluster object: exit $rc, $(cat "$tmp/err")"

"$PLUGIN" check deployment/missing >/dev/null 2>"$tmp/err"; rc=$?
[ $rc = 2 ] && grep -q "kubectl get flinkdeployment missing failed" "$tmp/err" || bad "missing object: exit $rc, $(cat "$tmp/err")"

# A pod killed for its heap: the OutOfMemoryError is in the previous
# container's log, the restart in describe.
cat >"$FAKE/describe-tm1" <<'EOF'
Name:         tm1
Namespace:    streaming
Labels:       app=job1
              component=taskmanager
              type=flink-native-kubernetes
Containers:
  flink-main-container:
    State:          Running
    Last State:     Terminated
      Reason:       Error
      Exit Code:    239
    Restart Count:  1
EOF
printf '2024-01-01 10:00:00,000 INFO  org.apache.flink.runtime.taskexecutor.TaskExecutor [] - started\n' >"$FAKE/logs-tm1"
cat >"$FAKE/logs-tm1.previous" <<'EOF'
2024-01-01 09:59:00,000 INFO  org.apache.flink.runtime.taskexecutor.TaskManagerRunner [] - Starting TaskManager (Version: 1.18.1, Scala: 2.12, Rev:a8c8b1c, Date:2024-01-10T01:00:00+01:00)
2024-01-01 09:59:59,000 ERROR org.apache.flink.runtime.taskexecutor.TaskManagerRunner [] - Fatal error occurred while executing the TaskManager. Shutting it down...
java.lang.OutOfMemoryError: Java heap space
EOF
: >"$FAKE/calls"
"$PLUGIN" diagnose pod/tm1 -n streaming --format json >"$tmp/out" 2>"$tmp/err"; rc=$?
[ $rc = 1 ] || bad "diagnose pod/tm1: exit $rc (expected 1, a memory failure): $(head -3 "$tmp/err")"
grep -q '"failure":"heap"' "$tmp/out" || bad "diagnose pod/tm1: no heap failure: $(head -c 300 "$tmp/out")"
grep -q 'tm1.previous.log' "$tmp/out" || bad "diagnose pod/tm1: the previous log is not read"
for call in "-n streaming describe pod tm1" "-n streaming logs tm1 --all-containers=true" \
	"-n streaming logs tm1 --all-containers=true --previous"; do
	grep -qx -- "$call" "$FAKE/calls" || bad "diagnose: no 'kubectl $call' (calls: $(tr '\n' ';' <"$FAKE/calls"))"
done
# Never restarted: no previous log, still diagnosed.
rm "$FAKE/logs-tm1.previous"
"$PLUGIN" diagnose pod/tm1 >"$tmp/out" 2>"$tmp/err"; rc=$?
[ $rc = 0 ] || [ $rc = 1 ] || bad "diagnose without a previous log: exit $rc: $(cat "$tmp/err")"

# live: the port-forward hint.
"$PLUGIN" live svc/job1-rest >/dev/null 2>"$tmp/err"; rc=$?
[ $rc = 2 ] && grep -q "kubectl port-forward svc/job1-rest 8081" "$tmp/err" || bad "live svc/: exit $rc, $(cat "$tmp/err")"

# Anything else is flinkmem.
[ "$("$PLUGIN" --version)" = "$("$FM" --version)" ] || bad "kubectl flinkmem --version is not flinkmem's"
"$PLUGIN" --help | grep -q "kubectl flinkmem check" || bad "kubectl flinkmem --help"
"$PLUGIN" show pod/x >/dev/null 2>"$tmp/err"; [ $? = 2 ] || bad "show pod/x should be refused"

[ $fail = 0 ] && echo "kubectl plugin: all checks passed"
exit $fail
