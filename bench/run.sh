#!/usr/bin/env bash
# Benchmarks for `flinkmem show` (issue: derivation engine). Prints figures,
# asserts nothing. Compares, in the same run: flinkmem show, /bin/true (the
# cost of any process start) and `java -version` (the floor of any JVM-based
# computation such as Flink's BashJavaUtils), plus derivations per second in
# one process (bench_derive).
set -u
cd "$(dirname "$0")/.."
B=build/flinkmem
[ -x "$B" ] || make >/dev/null
runs=${RUNS:-300}
time_runs() { # cmd... -> mean ms over $runs
  local s e
  s=$(date +%s%N)
  for ((i = 0; i < runs; i++)); do "$@" >/dev/null 2>&1; done
  e=$(date +%s%N)
  echo "scale=3; ($e - $s) / 1000000 / $runs" | bc
}
t_true=$(time_runs /bin/true)
t_show=$(time_runs "$B" show -c examples/flink-conf.yaml)
t_json=$(time_runs "$B" show -c examples/config.yaml --format json)
echo "per invocation, mean of $runs runs:"
echo "  /bin/true                          ${t_true} ms"
echo "  flinkmem show (flink-conf.yaml)    ${t_show} ms   ratio to /bin/true: $(echo "scale=2; $t_show / $t_true" | bc)"
echo "  flinkmem show --format json (yaml) ${t_json} ms   ratio to /bin/true: $(echo "scale=2; $t_json / $t_true" | bc)"
if command -v java >/dev/null; then
  runs=20 t_java=$(runs=20; time_runs java -version)
  echo "  java -version                      ${t_java} ms   (flinkmem is $(echo "scale=0; $t_java / $t_show" | bc)x faster)"
else
  echo "  java -version                      (java not installed)"
fi
if command -v hyperfine >/dev/null; then
  hyperfine -N --warmup 20 --runs 200 '/bin/true' "$B show -c examples/flink-conf.yaml" 2>/dev/null | grep -E 'Time|±' || true
fi
echo "libraries linked by build/flinkmem:"; ldd "$B" | awk '{print "  " $1}'
[ -x build/bench/bench_derive ] && build/bench/bench_derive
