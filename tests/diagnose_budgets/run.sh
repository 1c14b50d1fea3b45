#!/usr/bin/env bash
# Memory and time budgets of `flinkmem diagnose` (docs/budgets.md, issue 11):
# hostile inputs are generated here (nothing large is committed) and each
# run must finish under `prlimit --as` (address space, default 64 MiB) and
# a time limit, with the exit status and the message the budget promises.
#   tests/diagnose_budgets/run.sh FLINKMEM [AS_MIB]
# Not run under ASan (its shadow memory needs terabytes of address space).
set -u
FLINKMEM=$(realpath "$1"); AS_MIB=${2:-64}
export NO_COLOR=1 COLUMNS=0 # text unwrapped (a pipe gets 80 columns otherwise): one line per item
command -v prlimit >/dev/null || { echo "prlimit missing (util-linux)"; exit 1; }
d=$(mktemp -d); trap 'rm -rf "$d"' EXIT
pass=0; fail=0

# kills BYTES: a JobManager log of YARN container kills, every container distinct
kills() {
	awk -v bytes="$1" 'BEGIN { while (t < bytes) { n++
		id = sprintf("container_e10_1634010428940_125776_01_%06d", n + 1)
		l = sprintf("2021-12-06 00:%02d:%02d,%03d INFO  org.apache.flink.runtime.resourcemanager.active.ActiveResourceManager [] - Worker %s is terminated. Diagnostics: Container [pid=%d,containerID=%s] is running beyond physical memory limits. Current usage: 4.0 GB of 4 GB physical memory used; 6.2 GB of 8.4 GB virtual memory used. Killing container.", int(n / 60) % 60, n % 60, n % 1000, id, 1000 + n, id)
		print l; t += length(l) + 1 } }'
}
# pods BYTES: a pod list (JSON) of OOMKilled TaskManagers, one object a line
pods() {
	awk -v bytes="$1" 'BEGIN { print "{\"apiVersion\":\"v1\",\"kind\":\"List\",\"items\":["
		while (t < bytes) { l = sprintf("%s{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"flink-taskmanager-%d\",\"labels\":{\"component\":\"taskmanager\"}},\"status\":{\"containerStatuses\":[{\"name\":\"flink-main-container\",\"lastState\":{\"terminated\":{\"exitCode\":137,\"reason\":\"OOMKilled\"}}}]}}", n ? "," : "", n)
			print l; t += length(l) + 1; n++ }
		print "]}" }'
}
# deep N: [[[…]]] N levels
deep() { awk -v n="$1" 'BEGIN { for (i = 0; i < n; i++) printf "["; for (i = 0; i < n; i++) printf "]"; print "" }'; }

# check NAME WANT_RC STDOUT_GREP STDERR_GREP SECONDS -- ARGS...
check() {
	local name=$1 want=$2 outpat=$3 errpat=$4 secs=$5; shift 6
	local start=$SECONDS
	prlimit --as=$((AS_MIB << 20)) timeout "$secs" "$FLINKMEM" diagnose "$@" >"$d/out" 2>"$d/err"
	local rc=$? ok=1
	[ "$rc" = "$want" ] || { ok=0; echo "--- $name: exit $rc, expected $want"; head -c 400 "$d/err"; }
	[ -z "$outpat" ] || grep -q -e "$outpat" "$d/out" || { ok=0; echo "--- $name: stdout lacks '$outpat'"; head -c 400 "$d/out"; }
	[ -z "$errpat" ] || grep -q -e "$errpat" "$d/err" || { ok=0; echo "--- $name: stderr lacks '$errpat'"; head -c 400 "$d/err"; }
	if [ $ok = 1 ]; then pass=$((pass + 1)); echo "ok   $name ($((SECONDS - start)) s)"; else fail=$((fail + 1)); fi
}

kills $((8 << 20)) >"$d/kills8.log"
kills $((20 << 20)) >"$d/kills20.log"
n8=$(wc -l <"$d/kills8.log"); n20=$(wc -l <"$d/kills20.log")
check kills-8m 1 "and $((n8 - 1)) more" '' 60 -- "$d/kills8.log"
check kills-20m-json 1 "\"instancesTotal\":$n20" '' 120 -- --format json "$d/kills20.log"
check kills-20m-html 1 "instances: $n20" '' 120 -- --format html "$d/kills20.log"

deep 200000 >"$d/deep.json"
check deep-json 0 '' 'nested deeper than 64 levels' 30 -- "$d/deep.json"
printf 'apiVersion: v1\nkind: Pod\nstatus: %s\n' "$(awk 'BEGIN { for (i = 0; i < 100000; i++) printf "{x: "; for (i = 0; i < 100000; i++) printf "}" }')" >"$d/deep.yaml"
check deep-yaml 0 '' 'nested deeper than 64 levels' 30 -- "$d/deep.yaml"

pods $((15 << 20)) >"$d/pods15.json"
check pods-15m 1 'container-killed-k8s in the taskmanager' '' 120 -- "$d/pods15.json"
pods $((20 << 20)) >"$d/pods20.json"
check pods-20m 1 'container-killed-k8s' 'JSON input larger than 16 MiB: read as plain text' 120 -- "$d/pods20.json"
check pods-20m-stdin 1 'container-killed-k8s' 'JSON input larger than 16 MiB: read as plain text' 120 -- - <"$d/pods20.json"
pods $((60 << 20)) >"$d/pods60.json"
check pods-60m 1 'container-killed-k8s' 'JSON input larger than 16 MiB: read as plain text' 180 -- "$d/pods60.json"
rm -f "$d/pods60.json" "$d/pods20.json" "$d/kills20.log"

# 200,000 one-line YAML documents, each an OOM: objects past 32768 share one
# input, failures whose process is unknown join their group as each input ends
awk 'BEGIN { for (i = 0; i < 200000; i++) print "---\nmessage: \"java.lang.OutOfMemoryError: Java heap space\"" }' >"$d/docs.yaml"
check yaml-documents 1 '200000 matching lines' 'more than 32768 objects' 120 -- --process tm "$d/docs.yaml"
# one 15 MB string value: its first MiB is scanned, not copied whole
awk 'BEGIN { printf "{\"message\": \"java.lang.OutOfMemoryError: Java heap space "; for (i = 0; i < 15 * 1024; i++) printf "%1024s", ""; print "\"}" }' >"$d/bigstr.json"
check json-long-value 1 'heap' '' 60 -- --process tm "$d/bigstr.json"
rm -f "$d/docs.yaml" "$d/bigstr.json"

# YAML aliases are not expanded: a billion-laughs document stays small
{
	echo 'a0: &a0 "java.lang.OutOfMemoryError: Java heap space"'
	for i in $(seq 1 30); do echo "a$i: &a$i [*a$((i - 1)), *a$((i - 1)), *a$((i - 1)), *a$((i - 1))]"; done
} >"$d/laughs.yaml"
check yaml-aliases 1 'heap' '' 30 -- --process tm "$d/laughs.yaml"

# a directory 40 levels deep with an OOM at the bottom, and a link cycle
p="$d/tree"; for i in $(seq 1 40); do p="$p/d$i"; done; mkdir -p "$p"
echo 'java.lang.OutOfMemoryError: Java heap space' >"$p/tm.log"
kills 2000 >"$d/tree/kills.log"; ln -s .. "$d/tree/d1/up"
check deep-dir 1 'container-killed-yarn' 'deeper than 32 directories' 60 -- "$d/tree"
check link-cycle 1 '' 'already read (symbolic link cycle' 60 -- "$d/tree"

# 10,000 logs in one directory, each with an OOM and a fatal exit: one
# incident, memory linear in the number of files (with scanner threads)
mkdir "$d/many"
awk -v dir="$d/many" 'BEGIN { for (i = 1; i <= 10000; i++) { f = dir "/tm" i ".log"
	print "2024-03-01 10:05:00,100 ERROR org.apache.flink.runtime.taskexecutor.TaskManagerRunner [] - Fatal error occurred while executing the TaskManager. Shutting it down..." >f
	print "java.lang.OutOfMemoryError: Java heap space" >f; close(f) } }'
check many-files 1 'and 9999 more' '' 120 -- --jobs 2 "$d/many"

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
