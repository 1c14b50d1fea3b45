#!/usr/bin/env bash
# Drop-in check, by hand: Flink's own start scripts (and optionally the
# official Docker entrypoint) on top of `flinkmem bash-java-utils`.
#
#   tests/dropin/run.sh FLINK_DIST [DOCKER_ENTRYPOINT]
#
# FLINK_DIST is an unpacked Flink distribution (bin/, conf/, lib/ with its
# flink-dist-<version>.jar); nothing of it is in this repository. A fake
# `java` first on PATH sends org.apache.flink.runtime.util.bash.BashJavaUtils
# to flinkmem and, for a TaskManager/JobManager main class, records the JVM
# command line instead of starting it. Each scenario runs in a scratch copy
# with FLINKMEM_FLINK_VERSION unset (the release comes from lib/) and checks:
# the JVM flags and the -D values equal `flinkmem show --format bash`,
# env.java.opts.* reach the JVM, application-mode arguments pass, a rejected
# config stops the start with Flink's message, config.yaml stays loadable.
# Exit 0 when every check passes; skipped (exit 0, a note) without FLINK_DIST.
set -u
here=$(cd "$(dirname "$0")" && pwd)
FLINKMEM=${FLINKMEM:-$here/../../build/flinkmem}
dist=${1:-}
entry=${2:-}
if [ -z "$dist" ] || [ ! -d "$dist/bin" ]; then
  echo "dropin: no Flink distribution given; skipped"; exit 0
fi
FLINKMEM=$(realpath "$FLINKMEM")
unset FLINKMEM_FLINK_VERSION FLINK_CONF_DIR FLINK_PROPERTIES FLINK_HOME FLINK_LIB_DIR JVM_ARGS
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
mkdir -p "$t/fake"
cat >"$t/fake/java" <<'EOF'
#!/usr/bin/env bash
# fake java: BashJavaUtils -> flinkmem; a Flink main class -> record argv
args=("$@")
for a in "$@"; do
  [ "$a" = -XshowSettings:properties ] && { echo "    java.specification.version = 17" >&2; exit 0; }
done
for i in "${!args[@]}"; do
  case "${args[$i]}" in
    org.apache.flink.runtime.util.bash.BashJavaUtils|org.apache.flink.runtime.util.BashJavaUtils)
      exec "$FLINKMEM" bash-java-utils "${args[@]:$((i + 1))}" ;;
    org.apache.flink.runtime.taskexecutor.TaskManagerRunner|\
    org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint|\
    org.apache.flink.container.entrypoint.StandaloneApplicationClusterEntryPoint|\
    org.apache.flink.container.entrypoint.StandaloneJobClusterEntryPoint)
      printf '%s\n' "$@" >"$JVMLOG"; echo "fake JVM: ${args[$i]}"; exit 0 ;;
  esac
done
echo "fake java: not handled: $*" >&2; exit 1
EOF
printf '#!/bin/sh\nshift\nexec "$@"\n' >"$t/fake/gosu"  # the image drops to user flink
chmod +x "$t/fake/java" "$t/fake/gosu"
export PATH="$t/fake:$PATH" FLINKMEM JVMLOG="$t/jvm.args"
pass=0; fail=0
ok() { pass=$((pass + 1)); echo "  ok   $*"; }
bad() { fail=$((fail + 1)); echo "  FAIL $*"; }

fresh() { # a scratch FLINK_HOME: the distribution's bin/conf/lib names
  rm -rf "$t/home" "$JVMLOG"; mkdir -p "$t/home/lib" "$t/home/log"
  cp -r "$dist/bin" "$dist/conf" "$t/home/"; chmod +x "$t/home/bin/"*.sh
  for j in "$dist"/lib/flink-dist*.jar; do : >"$t/home/lib/$(basename "$j")"; done
}
# the distribution's config file (config.yaml from 1.19, flink-conf.yaml before)
conffile() { [ -f "$t/home/conf/config.yaml" ] && echo "$t/home/conf/config.yaml" || echo "$t/home/conf/flink-conf.yaml"; }
norm() { tr -s ' ' | sed 's/^ //;s/ $//'; }
# flags before the main class and -D pairs after it, as one line each
jvm_flags() { sed -n '/^-Xmx/,/^-XX:MaxMetaspaceSize/p' "$JVMLOG" | tr '\n' ' ' | sed 's/ $//'; }
jvm_dyn() { awk 'f && $0=="-D" {getline v; printf "-D %s ", v} /Runner$|Entrypoint$|EntryPoint$/ {f=1}' "$JVMLOG" | norm; }
show_line() { # 1-2: TM flags and -D; 3-4: JM (absent where Java does not compute the JM)
  local side=--tm n=$1; [ "$1" -gt 2 ] && side=--jm n=$(($1 - 2))
  FLINK_LIB_DIR="$t/home/lib" "$FLINKMEM" show -c "$t/home/conf" $side --format bash 2>/dev/null |
  grep '^BASH_JAVA_UTILS_EXEC_RESULT:' | sed -n "${n}p" | sed 's/^BASH_JAVA_UTILS_EXEC_RESULT://' | norm; }

check_start() { # $1 name, $2 = tm|jm, rest: script and args
  local name=$1 side=$2; shift 2
  (cd "$t/home" && "$@") >"$t/out" 2>&1; local rc=$?
  if [ $rc -ne 0 ] || [ ! -s "$JVMLOG" ]; then bad "$name: start failed (exit $rc)"; tail -5 "$t/out"; return; fi
  local f=1 d=2; [ "$side" = jm ] && f=3 d=4
  if [ -z "$(show_line $f)" ]; then ok "$name: started (this release computes no $side flags in Java)"; return; fi
  [ "$(jvm_flags)" = "$(show_line $f)" ] && ok "$name: JVM flags = show ($(jvm_flags | cut -c1-60)...)" \
    || bad "$name: JVM flags '$(jvm_flags)' != show '$(show_line $f)'"
  local want; want=$(show_line $d)
  if [ -n "$want" ]; then
    [ "$(jvm_dyn)" = "$want" ] && ok "$name: -D values = show ($(echo "$want" | wc -w) words)" \
      || bad "$name: -D '$(jvm_dyn)' != show '$want'"
  fi
}

echo "distribution: $dist ($(basename "$dist"/lib/flink-dist*.jar))"
fresh
check_start "taskmanager.sh start-foreground" tm bin/taskmanager.sh start-foreground
if grep -q "add-opens" "$(conffile)"; then
  grep -q -- '--add-opens=java.base/java.lang=ALL-UNNAMED' "$JVMLOG" 2>/dev/null && ok "env.java.opts.all reaches the TM JVM" \
    || bad "env.java.opts.all missing from the TM JVM"
fi
check_start "jobmanager.sh start-foreground" jm bin/jobmanager.sh start-foreground
[ -f "$t/home/bin/standalone-job.sh" ] && check_start "standalone-job.sh (application mode)" jm bin/standalone-job.sh start-foreground \
  --job-classname com.example.Job --fromSavepoint file:///tmp/sp
grep -qx -- --job-classname "$JVMLOG" 2>/dev/null && grep -qx com.example.Job "$JVMLOG" &&
  grep -qx file:///tmp/sp "$JVMLOG" && ok "application-mode arguments reach the entrypoint" \
  || bad "application-mode arguments lost"

fresh
printf '\nenv.java.opts.taskmanager: -Dfrom.tm.opts=1\nenv.java.opts.jobmanager: -Dfrom.jm.opts=1\n' >>"$(conffile)"
check_start "TM with env.java.opts.taskmanager" tm bin/taskmanager.sh start-foreground
grep -qx -- -Dfrom.tm.opts=1 "$JVMLOG" 2>/dev/null && ok "env.java.opts.taskmanager reaches the TM JVM" \
  || bad "env.java.opts.taskmanager missing"
check_start "JM with env.java.opts.jobmanager" jm bin/jobmanager.sh start-foreground
grep -qx -- -Dfrom.jm.opts=1 "$JVMLOG" 2>/dev/null && ok "env.java.opts.jobmanager reaches the JM JVM" \
  || bad "env.java.opts.jobmanager missing"

fresh
printf '\ntaskmanager.memory.process.size: 100m\n' >>"$(conffile)"
(cd "$t/home" && bin/taskmanager.sh start-foreground) >"$t/out" 2>&1; rc=$?
if [ $rc -ne 0 ] && [ ! -s "$JVMLOG" ] && grep -q "IllegalConfigurationException" "$t/out"; then
  ok "rejected TM config stops the start (exit $rc): $(grep -o 'IllegalConfigurationException: [^.]*' "$t/out" | head -1 | cut -c1-90)"
else bad "rejected TM config: exit $rc, JVM started: $([ -s "$JVMLOG" ] && echo yes || echo no)"; fi

# Configs whose fate depends on the release (detected from lib/ alone):
# the start must succeed with show's flags exactly when show succeeds.
same_verdict() { # $1 name
  local name=$1 srcr
  FLINK_LIB_DIR="$t/home/lib" "$FLINKMEM" show -c "$t/home/conf" --tm --format bash >"$t/show" 2>/dev/null; srcr=$?
  (cd "$t/home" && bin/taskmanager.sh start-foreground) >"$t/out" 2>&1; local rc=$?
  if [ $srcr -eq 0 ]; then
    [ $rc -eq 0 ] && [ "$(jvm_flags)" = "$(sed -n 1p "$t/show" | sed 's/^BASH_JAVA_UTILS_EXEC_RESULT://')" ] &&
      ok "$name: starts, flags = show" || bad "$name: show accepts, start gave exit $rc"
  else
    [ $rc -ne 0 ] && [ ! -s "$JVMLOG" ] && ok "$name: rejected like show ($(grep -o 'Exception: [^(]*' "$t/out" | head -1 | cut -c1-70))" ||
      bad "$name: show rejects, start gave exit $rc"
  fi
}
fresh
# taskmanager.memory.process.size -> the legacy taskmanager.heap.size (1.x only)
sed -i 's/^    process:$/    heap:/; s/^taskmanager:$/taskmanager:\n  heap.size: 1g/' "$(conffile)"
sed -i 's/^taskmanager.memory.process.size:.*/taskmanager.heap.size: 1g/' "$(conffile)"
same_verdict "legacy taskmanager.heap.size"
fresh
rm -f "$t/home/conf/config.yaml"
printf 'taskmanager.memory.process.size: 1728m\njobmanager.memory.process.size: 1600m\n' >"$t/home/conf/flink-conf.yaml"
same_verdict "flink-conf.yaml only"

if [ -f "$dist/bin/migrate-config-file.sh" ]; then
  fresh
  rm -f "$t/home/conf/config.yaml"
  printf 'taskmanager.memory.process.size: 2g\njobmanager.memory.process.size: 1600m\ntaskmanager.numberOfTaskSlots: 3\nenv.java.opts.taskmanager: -Dmigrated=1\n' >"$t/home/conf/flink-conf.yaml"
  (cd "$t/home" && bin/migrate-config-file.sh) >"$t/out" 2>&1; rc=$?
  if [ $rc -eq 0 ] && grep -q "numberOfTaskSlots: '3'" "$t/home/conf/config.yaml"; then
    ok "migrate-config-file.sh wrote config.yaml ($(wc -l <"$t/home/conf/config.yaml") lines, slots '3')"
    rm "$t/home/conf/flink-conf.yaml"
    same_verdict "migrated config.yaml"
    grep -qx -- -Dmigrated=1 "$JVMLOG" 2>/dev/null && ok "migrated env.java.opts.taskmanager reaches the JVM" \
      || bad "migrated java opts missing"
  else bad "migrate-config-file.sh: exit $rc"; tail -5 "$t/out"; fi
fi

if [ -n "$entry" ]; then
  for role in taskmanager jobmanager; do
    fresh; cp "$entry" "$t/home/bin/docker-entrypoint.sh"
    before=$(wc -l <"$(conffile)")
    (cd "$t/home" && FLINK_HOME="$t/home" JOB_MANAGER_RPC_ADDRESS=jm TASK_MANAGER_NUMBER_OF_TASK_SLOTS=4 \
      FLINK_PROPERTIES=$'taskmanager.memory.process.size: 2g\njobmanager.memory.process.size: 2500m\nenv.java.opts.taskmanager: -Dfrom.props=1' \
      bash bin/docker-entrypoint.sh $role) >"$t/out" 2>&1; rc=$?
    if [ $rc -ne 0 ] || [ ! -s "$JVMLOG" ]; then bad "docker $role: start failed (exit $rc)"; tail -5 "$t/out"; continue; fi
    ok "docker $role started ($(basename "$(conffile)") $before -> $(wc -l <"$(conffile)") lines)"
    if grep -q "BASH_JAVA_UTILS\|ERROR\|Exception\|flinkmem:" "$(conffile)"; then
      bad "docker $role: tool output inside $(basename "$(conffile)")"
    elif [ -f "$t/home/conf/config.yaml" ]; then
      FLINK_LIB_DIR="$t/home/lib" "$FLINKMEM" bash-java-utils UPDATE_AND_GET_FLINK_CONFIGURATION \
        --configDir "$t/home/conf" 2>&1 | grep -q '^BASH_JAVA_UTILS_EXEC_RESULT:' &&
        ok "docker $role: config.yaml loads again" || bad "docker $role: config.yaml does not load"
    else ok "docker $role: $(basename "$(conffile)") has no tool output"; fi
    if [ $role = taskmanager ]; then
      f=1 d=2
      grep -qx -- -Dfrom.props=1 "$JVMLOG" && ok "docker: FLINK_PROPERTIES env.java.opts.taskmanager reaches the JVM" \
        || bad "docker: FLINK_PROPERTIES java opts missing"
      { jvm_dyn | grep -q "taskmanager.numberOfTaskSlots=4" ||
        grep -Eq "^ *(taskmanager.)?numberOfTaskSlots: '?4'?$" "$(conffile)"; } &&
        ok "docker: TASK_MANAGER_NUMBER_OF_TASK_SLOTS=4 reaches the TaskManager" || bad "docker: slots not 4"
    else f=3 d=4; fi
    if [ -z "$(show_line $f)" ]; then ok "docker $role: started (no $role flags computed in Java)"; continue; fi
    [ "$(jvm_flags)" = "$(show_line $f)" ] && ok "docker $role: JVM flags = show ($(jvm_flags | cut -c1-40)...)" \
      || bad "docker $role: flags '$(jvm_flags)' != show '$(show_line $f)'"
    [ "$(jvm_dyn)" = "$(show_line $d)" ] && ok "docker $role: -D values = show" || bad "docker $role: -D differ"
  done
fi
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
