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
# Starts: start-foreground, daemon, start-cluster.sh (HA), standalone-job.sh,
# native Kubernetes scripts, bin/flink, historyserver.sh; with the entrypoint
# also the image's build step (config-parser-utils.sh -repKV/-rmKV) and the
# taskmanager/jobmanager/standalone-job roles, FLINK_PROPERTIES included.
# Exit 0 when every check passes; skipped (exit 0, a note) without FLINK_DIST.
# DROPIN_KEEP=1 keeps the scratch directory (its path is printed).
set -u
here=$(cd "$(dirname "$0")" && pwd)
FLINKMEM=${FLINKMEM:-$here/../../build/flinkmem}
dist=${1:-}
entry=${2:-}
if [ -z "$dist" ] || [ ! -d "$dist/bin" ]; then
  echo "dropin: no Flink distribution given; skipped"; exit 0
fi
if [ -n "$entry" ] && [ ! -f "$entry" ]; then echo "dropin: $entry: no such entrypoint" >&2; exit 2; fi
FLINKMEM=$(realpath "$FLINKMEM")
unset FLINKMEM_FLINK_VERSION FLINK_CONF_DIR FLINK_PROPERTIES FLINK_HOME FLINK_LIB_DIR JVM_ARGS
t=$(mktemp -d); [ -n "${DROPIN_KEEP:-}" ] && echo "scratch: $t" || trap 'rm -rf "$t"' EXIT
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
    org.apache.flink.container.entrypoint.StandaloneJobClusterEntryPoint|\
    org.apache.flink.kubernetes.entrypoint.KubernetesSessionClusterEntrypoint|\
    org.apache.flink.kubernetes.entrypoint.KubernetesApplicationClusterEntrypoint|\
    org.apache.flink.kubernetes.taskmanager.KubernetesTaskExecutorRunner|\
    org.apache.flink.runtime.webmonitor.history.HistoryServer|org.apache.flink.client.cli.CliFrontend)
      # also per class (start-cluster.sh starts two) and the log4j env
      printf '%s\n' "$@" >"$JVMLOG.${args[$i]##*.}"; cp "$JVMLOG.${args[$i]##*.}" "$JVMLOG"
      printf 'MAX_LOG_FILE_NUMBER=%s\nROOT_LOG_LEVEL=%s\n' "${MAX_LOG_FILE_NUMBER-}" "${ROOT_LOG_LEVEL-}" >"$JVMLOG.env"
      echo "fake JVM: ${args[$i]}"
      # a daemon must still run when flink-daemon.sh checks its pid
      [ -n "${FAKE_JVM_LINGER:-}" ] && sleep "$FAKE_JVM_LINGER"; exit 0 ;;
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
  rm -rf "$t/home" "$JVMLOG"*; mkdir -p "$t/home/lib" "$t/home/log"
  cp -r "$dist/bin" "$dist/conf" "$t/home/"; chmod +x "$t/home/bin/"*.sh
  for j in "$dist"/lib/flink-dist*.jar; do : >"$t/home/lib/$(basename "$j")"; done
}
# the distribution's config file (config.yaml from 1.19, flink-conf.yaml before)
conffile() { [ -f "$t/home/conf/config.yaml" ] && echo "$t/home/conf/config.yaml" || echo "$t/home/conf/flink-conf.yaml"; }
norm() { tr -s ' ' | sed 's/^ //;s/ $//'; }
# flags before the main class and -D pairs after it, as one line each
jvm_flags() { sed -n '/^-Xmx/,/^-XX:MaxMetaspaceSize/p' "${1:-$JVMLOG}" | tr '\n' ' ' | sed 's/ $//'; }
jvm_dyn() { awk 'f && $0=="-D" {getline v; printf "-D %s ", v} /Runner$|Entrypoint$|EntryPoint$/ {f=1}' "${1:-$JVMLOG}" | norm; }
# the configuration as the scripts see it (config.sh's -flatten), one key: value a line
flat() { FLINK_LIB_DIR="$t/home/lib" "$FLINKMEM" bash-java-utils UPDATE_AND_GET_FLINK_CONFIGURATION \
  --configDir "$t/home/conf" -flatten 2>/dev/null | sed -n 's/^BASH_JAVA_UTILS_EXEC_RESULT://p' | sort; }
wait_for() { local i; for i in $(seq 50); do [ -s "$1" ] && return 0; sleep 0.1; done; return 1; }
show_line() { # 1-2: TM flags and -D; 3-4: JM (absent where Java does not compute the JM); then show's -D
  local side=--tm n=$1; [ "$1" -gt 2 ] && side=--jm n=$(($1 - 2)); shift
  FLINK_LIB_DIR="$t/home/lib" "$FLINKMEM" show -c "$t/home/conf" $side --format bash "$@" 2>/dev/null |
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

# The config shapes a config.yaml may have: every start's flags = show and
# the java opts arrive, whatever the shape.
shape() { # $1 name, $2 the whole config.yaml
  fresh; rm -f "$t/home/conf/flink-conf.yaml"; printf '%s\n' "$2" >"$t/home/conf/config.yaml"
  check_start "$1: taskmanager.sh" tm bin/taskmanager.sh start-foreground
  grep -qx -- -Dshape.tm=1 "$JVMLOG" 2>/dev/null && ok "$1: env.java.opts.taskmanager reaches the TM JVM" || bad "$1: TM java opts lost"
  check_start "$1: jobmanager.sh" jm bin/jobmanager.sh start-foreground
  grep -qx -- -Dshape.jm=1 "$JVMLOG" 2>/dev/null && ok "$1: env.java.opts.jobmanager reaches the JM JVM" || bad "$1: JM java opts lost"
}
if [ -f "$dist/conf/config.yaml" ]; then
  shape "flat config.yaml" 'taskmanager.memory.process.size: 2g
taskmanager.memory.managed.fraction: 0.3
jobmanager.memory.process.size: 1g
env.java.opts.taskmanager: -Dshape.tm=1
env.java.opts.jobmanager: -Dshape.jm=1'
  shape "nested config.yaml, quoted values" 'taskmanager:
  memory:
    process.size: "2g"
    network:
      fraction: '"'0.2'"'
jobmanager:
  memory:
    process:
      size: '"'1500m'"'
env:
  java:
    opts:
      taskmanager: "-Dshape.tm=1"
      jobmanager: '"'-Dshape.jm=1'"''
  shape "anchors and flow mappings" 'sizes: {tm: &tm 3g, jm: &jm 1200m}
taskmanager.memory.process.size: *tm
jobmanager: {memory: {process.size: *jm}}
env.java.opts: {taskmanager: -Dshape.tm=1, jobmanager: -Dshape.jm=1}'
fi

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

# Every env.* option the scripts read reaches its JVM (each key read from
# config.sh's -flatten output): admin defaults, per-process opts, log level.
fresh
printf '\nenv.java.default-opts.all: -Ddef.all=1\nenv.java.default-opts.taskmanager: -Ddef.tm=1\nenv.java.default-opts.jobmanager: -Ddef.jm=1\nenv.java.opts.historyserver: -Dopts.hs=1\nenv.java.opts.client: -Dopts.cli=1\nenv.log.level: DEBUG\n' >>"$(conffile)"
envkeys() { # $1 what, $2 script and args..., then: --, the -D flags wanted
  local what=$1 i; shift; local cmd=(); while [ "$1" != -- ]; do cmd+=("$1"); shift; done; shift
  rm -f "$JVMLOG"; (cd "$t/home" && "${cmd[@]}") >"$t/out" 2>&1
  for i in "$@"; do grep -qx -- "$i" "$JVMLOG" 2>/dev/null || { bad "$what: $i missing"; tail -3 "$t/out"; return; }; done
  ok "$what: $* reach the JVM"
}
if grep -q env.java.default-opts "$t/home/bin/config.sh"; then
  envkeys "taskmanager.sh" bin/taskmanager.sh start-foreground -- -Ddef.all=1 -Ddef.tm=1
  envkeys "jobmanager.sh" bin/jobmanager.sh start-foreground -- -Ddef.all=1 -Ddef.jm=1
fi
grep -q env.java.opts.historyserver "$t/home/bin/config.sh" && envkeys "historyserver.sh" bin/historyserver.sh start-foreground -- -Dopts.hs=1
grep -q env.java.opts.client "$t/home/bin/config.sh" && envkeys "bin/flink (client)" bin/flink list -- -Dopts.cli=1
if grep -q env.log.level "$t/home/bin/config.sh"; then
  grep -qx ROOT_LOG_LEVEL=DEBUG "$JVMLOG.env" && ok "env.log.level reaches log4j (ROOT_LOG_LEVEL)" || bad "env.log.level: $(cat "$JVMLOG.env")"
fi

# A rejected JobManager config stops the start like a rejected TaskManager one.
fresh
printf '\njobmanager.memory.process.size: 100m\n' >>"$(conffile)"
(cd "$t/home" && bin/jobmanager.sh start-foreground) >"$t/out" 2>&1; rc=$?
if [ -n "$(show_line 3)" ]; then
  if [ $rc -ne 0 ] && [ ! -s "$JVMLOG" ] && grep -q "IllegalConfigurationException" "$t/out"; then
    ok "rejected JM config stops the start (exit $rc): $(grep -o 'IllegalConfigurationException: [^.]*' "$t/out" | head -1 | cut -c1-90)"
  else bad "rejected JM config: exit $rc, JVM started: $([ -s "$JVMLOG" ] && echo yes || echo no)"; fi
fi

# Daemon mode (flink-daemon.sh): env.log.dir, env.pid.dir and env.log.max
# come only from config.sh's -flatten output.
fresh
printf '\nenv.log.dir: %s\nenv.pid.dir: %s\nenv.log.max: 3\n' "$t/dlogs" "$t/dpids" >>"$(conffile)"
mkdir -p "$t/dlogs"  # flink-daemon.sh writes its .out there before the JVM runs
(cd "$t/home" && FAKE_JVM_LINGER=0.5 bin/taskmanager.sh start) >"$t/out" 2>&1; rc=$?
if [ $rc -eq 0 ] && wait_for "$JVMLOG.env"; then
  grep -q "^-Dlog.file=$t/dlogs/flink-.*-taskexecutor-0-" "$JVMLOG" && ls "$t"/dpids/flink-*-taskexecutor.pid >/dev/null 2>&1 &&
    ok "taskmanager.sh start (daemon): log in env.log.dir, pid in env.pid.dir" || bad "daemon: env.log.dir/env.pid.dir not used"
  grep -qx MAX_LOG_FILE_NUMBER=3 "$JVMLOG.env" && ok "daemon: env.log.max reaches the JVM's environment" \
    || bad "daemon: $(cat "$JVMLOG.env")"
  [ "$(jvm_flags)" = "$(show_line 1)" ] && ok "daemon: JVM flags = show" || bad "daemon: flags '$(jvm_flags)' != show"
else bad "taskmanager.sh start (daemon): exit $rc"; tail -5 "$t/out"; fi
sleep 0.6

# start-cluster.sh in HA mode: high-availability.type comes from -flatten,
# conf/masters gives jobmanager.sh start HOST PORT, conf/workers the TM.
fresh
printf '\nhigh-availability.type: zookeeper\nhigh-availability.zookeeper.quorum: localhost:2181\nhigh-availability.storageDir: file://%s/ha\nenv.pid.dir: %s\n' \
  "$t" "$t/cpids" >>"$(conffile)"
printf 'localhost:8091\n' >"$t/home/conf/masters"; printf 'localhost\n' >"$t/home/conf/workers"
(cd "$t/home" && FAKE_JVM_LINGER=0.5 bin/start-cluster.sh) >"$t/out" 2>&1; rc=$?
jmlog=$(ls "$JVMLOG".Standalone*Entrypoint 2>/dev/null | head -1)
if [ $rc -eq 0 ] && grep -q "Starting HA cluster with 1 masters" "$t/out" && wait_for "$JVMLOG.TaskManagerRunner" && [ -n "$jmlog" ]; then
  ok "start-cluster.sh (HA from config): JobManager and TaskManager started"
  # 2.x passes them as -D, up to 1.20 as --host/--webui-port
  { { grep -qx rest.port=8091 "$jmlog" && grep -qx jobmanager.rpc.address=localhost "$jmlog"; } ||
    grep -A1 -x -- --webui-port "$jmlog" | grep -qx 8091; } &&
    ok "start-cluster.sh: masters host/port reach the JobManager" || bad "start-cluster.sh: masters entry lost"
  [ -z "$(show_line 3)" ] || { [ "$(jvm_flags "$jmlog")" = "$(show_line 3)" ] && jmdyn=$(jvm_dyn "$jmlog") && [ "${jmdyn% -D jobmanager.rpc.address=localhost -D rest.port=8091}" = "$(show_line 4)" ] &&
    ok "start-cluster.sh: JobManager flags and -D = show" || bad "start-cluster.sh: JM flags '$(jvm_flags "$jmlog")' != show"; }
  [ "$(jvm_flags "$JVMLOG.TaskManagerRunner")" = "$(show_line 1)" ] && [ "$(jvm_dyn "$JVMLOG.TaskManagerRunner")" = "$(show_line 2)" ] &&
    ok "start-cluster.sh: TaskManager flags and -D = show" || bad "start-cluster.sh: TM flags differ from show"
else bad "start-cluster.sh: exit $rc"; tail -5 "$t/out"; fi
sleep 0.6

# Native Kubernetes: the JobManager pod runs kubernetes-jobmanager.sh with the
# client's -D; the TaskManager pod gets its flags from the JobManager
# (FLINK_TM_JVM_MEM_OPTS) and runs no memory command.
if [ -f "$dist/bin/kubernetes-jobmanager.sh" ]; then
  for ep in kubernetes-session kubernetes-application; do
    fresh
    (cd "$t/home" && bin/kubernetes-jobmanager.sh $ep -Djobmanager.memory.process.size=2000m -Dkubernetes.cluster-id=dropin) >"$t/out" 2>&1; rc=$?
    if [ $rc -ne 0 ] || [ ! -s "$JVMLOG" ]; then bad "kubernetes-jobmanager.sh $ep: start failed (exit $rc)"; tail -5 "$t/out"; continue; fi
    [ "$(jvm_flags)" = "$(show_line 3 -D jobmanager.memory.process.size=2000m)" ] &&
      [ "$(jvm_dyn)" = "$(show_line 4 -D jobmanager.memory.process.size=2000m)" ] &&
      ok "kubernetes-jobmanager.sh $ep: flags and -D = show -D ($(jvm_flags | cut -c1-30)...)" ||
      bad "kubernetes-jobmanager.sh $ep: flags '$(jvm_flags)' != show '$(show_line 3 -D jobmanager.memory.process.size=2000m)'"
    grep -qx -- -Dkubernetes.cluster-id=dropin "$JVMLOG" && ok "kubernetes-jobmanager.sh $ep: the client's -D reach the entrypoint" \
      || bad "kubernetes-jobmanager.sh $ep: client -D lost"
  done
fi
if [ -f "$dist/bin/kubernetes-taskmanager.sh" ]; then
  fresh
  printf '\nenv.java.opts.taskmanager: -Dfrom.tm.opts=1\n' >>"$(conffile)"
  (cd "$t/home" && FLINK_TM_JVM_MEM_OPTS="$(show_line 1)" bin/kubernetes-taskmanager.sh -Dtaskmanager.resource-id=pod-1) >"$t/out" 2>&1; rc=$?
  if [ $rc -eq 0 ] && [ "$(jvm_flags)" = "$(show_line 1)" ] && grep -qx -- -Dfrom.tm.opts=1 "$JVMLOG" &&
    grep -qx -- -Dtaskmanager.resource-id=pod-1 "$JVMLOG"; then
    ok "kubernetes-taskmanager.sh: flags, env.java.opts.taskmanager and -D reach the JVM"
  else bad "kubernetes-taskmanager.sh: exit $rc"; tail -5 "$t/out"; fi
fi

if [ -n "$entry" ]; then
  # The image as its Dockerfile builds it (1.19+ with config.yaml): the
  # bind addresses rewritten through config-parser-utils.sh, at build time.
  image() {
    fresh; cp "$entry" "$t/home/bin/docker-entrypoint.sh"
    [ -f "$t/home/conf/config.yaml" ] && [ -f "$t/home/bin/config-parser-utils.sh" ] || return 0
    local want; want=$(flat | sed -E 's/^(rest.address|rest.bind-address|jobmanager.bind-host|taskmanager.bind-host): localhost$/\1: 0.0.0.0/;/^taskmanager.host: localhost$/d')
    bash "$t/home/bin/config-parser-utils.sh" "$t/home/conf" "$t/home/bin" "$t/home/lib" \
      -repKV rest.address,localhost,0.0.0.0 -repKV rest.bind-address,localhost,0.0.0.0 \
      -repKV jobmanager.bind-host,localhost,0.0.0.0 -repKV taskmanager.bind-host,localhost,0.0.0.0 \
      -rmKV taskmanager.host=localhost >"$t/out" 2>&1 || { bad "image build step: exit $?"; return 1; }
    [ "$(flat)" = "$want" ] || { bad "image build step: config.yaml $(diff <(echo "$want") <(flat) | head -3 | tr '\n' ' ')"; return 1; }
  }
  image && [ -f "$t/home/conf/config.yaml" ] &&
    ok "image build step (config-parser-utils.sh -repKV/-rmKV): bind addresses 0.0.0.0, every other key kept ($(flat | wc -l) keys)"
  props=$'taskmanager.memory.process.size: 2g\njobmanager.memory.process.size: 2500m\nenv.java.opts.taskmanager: -Dfrom.props=1\nenv.log.max: 3'
  set_keys='^(jobmanager.rpc.address|blob.server.port|query.server.port|taskmanager.numberOfTaskSlots|taskmanager.memory.process.size|jobmanager.memory.process.size|env.java.opts.taskmanager|env.log.max): '
  # a -D value is a string: Flink's writer quotes '3', config.sh strips the
  # quotes only from 2.1 (FLINK-37125), log4j gets '3' before
  logmax=3; grep -q "Remove leading and ending single quotes" "$dist/bin/config.sh" || logmax="'3'"
  for role in taskmanager jobmanager standalone-job; do
    image || continue
    before=$(wc -l <"$(conffile)") flat0=$(flat)
    app=(); [ $role = standalone-job ] && app=(--job-classname com.example.Job --fromSavepoint file:///tmp/sp)
    (cd "$t/home" && FLINK_HOME="$t/home" JOB_MANAGER_RPC_ADDRESS=jm TASK_MANAGER_NUMBER_OF_TASK_SLOTS=4 \
      FLINK_PROPERTIES="$props" bash bin/docker-entrypoint.sh $role "${app[@]}") >"$t/out" 2>&1; rc=$?
    if [ $rc -ne 0 ] || [ ! -s "$JVMLOG" ]; then bad "docker $role: start failed (exit $rc)"; tail -5 "$t/out"; continue; fi
    ok "docker $role started ($(basename "$(conffile)") $before -> $(wc -l <"$(conffile)") lines)"
    if grep -q "BASH_JAVA_UTILS\|ERROR\|Exception\|flinkmem:" "$(conffile)"; then
      bad "docker $role: tool output inside $(basename "$(conffile)")"
    elif [ -f "$t/home/conf/config.yaml" ]; then
      # config.yaml never damaged: every key the entrypoint does not set is
      # unchanged, the ones it sets have the values given
      lost=$(comm -23 <(echo "$flat0" | grep -Ev "$set_keys") <(flat))
      got=$(flat | grep -E "$set_keys" | tr -d "'" | tr '\n' ';')
      [ -z "$lost" ] && [ "$got" = "blob.server.port: 6124;env.java.opts.taskmanager: -Dfrom.props=1;env.log.max: 3;jobmanager.memory.process.size: 2500m;jobmanager.rpc.address: jm;query.server.port: 6125;taskmanager.memory.process.size: 2g;taskmanager.numberOfTaskSlots: 4;" ] &&
        ok "docker $role: config.yaml loads again, $(echo "$flat0" | grep -Evc "$set_keys") keys kept, 8 set" ||
        bad "docker $role: config.yaml changed: lost '$lost', set '$got'"
    else ok "docker $role: $(basename "$(conffile)") has no tool output"; fi
    f=3 d=4
    if [ $role = taskmanager ]; then
      f=1 d=2
      grep -qx -- -Dfrom.props=1 "$JVMLOG" && ok "docker: FLINK_PROPERTIES env.java.opts.taskmanager reaches the JVM" \
        || bad "docker: FLINK_PROPERTIES java opts missing"
      { jvm_dyn | grep -q "taskmanager.numberOfTaskSlots=4" ||
        grep -Eq "^ *(taskmanager.)?numberOfTaskSlots: '?4'?$" "$(conffile)"; } &&
        ok "docker: TASK_MANAGER_NUMBER_OF_TASK_SLOTS=4 reaches the TaskManager" || bad "docker: slots not 4"
      grep -qx "MAX_LOG_FILE_NUMBER=$logmax" "$JVMLOG.env" && ok "docker: FLINK_PROPERTIES env.log.max reaches log4j as $logmax" \
        || bad "docker: $(cat "$JVMLOG.env"), want $logmax"
    fi
    if [ $role = standalone-job ]; then
      grep -qx com.example.Job "$JVMLOG" && grep -qx file:///tmp/sp "$JVMLOG" &&
        ok "docker standalone-job: application-mode arguments reach the entrypoint" || bad "docker standalone-job: arguments lost"
    fi
    if [ -z "$(show_line $f)" ]; then ok "docker $role: started (no $role flags computed in Java)"; continue; fi
    [ "$(jvm_flags)" = "$(show_line $f)" ] && ok "docker $role: JVM flags = show ($(jvm_flags | cut -c1-40)...)" \
      || bad "docker $role: flags '$(jvm_flags)' != show '$(show_line $f)'"
    [ "$(jvm_dyn)" = "$(show_line $d)" ] && ok "docker $role: -D values = show" || bad "docker $role: -D differ"
  done
  # FLINK_PROPERTIES that Flink rejects: the container stops with Flink's message
  image
  (cd "$t/home" && FLINK_HOME="$t/home" JOB_MANAGER_RPC_ADDRESS=jm \
    FLINK_PROPERTIES='taskmanager.memory.process.size: 100m' bash bin/docker-entrypoint.sh taskmanager) >"$t/out" 2>&1; rc=$?
  if [ $rc -ne 0 ] && [ ! -s "$JVMLOG" ] && grep -q "IllegalConfigurationException" "$t/out" &&
    ! grep -q "BASH_JAVA_UTILS\|ERROR\|Exception\|flinkmem:" "$(conffile)"; then
    ok "docker taskmanager, FLINK_PROPERTIES rejected: exit $rc, Flink's message, $(basename "$(conffile)") intact"
  else bad "docker rejected FLINK_PROPERTIES: exit $rc, JVM started: $([ -s "$JVMLOG" ] && echo yes || echo no)"; tail -3 "$t/out"; fi
fi
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
