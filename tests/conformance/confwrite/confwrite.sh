#!/usr/bin/env bash
# Checks `flinkmem bash-java-utils` UPDATE_AND_GET_FLINK_CONFIGURATION and
# MIGRATE_LEGACY_FLINK_CONFIGURATION_TO_STANDARD_YAML against cases.txt
# (written by GenConfwrite.java from the real JDK HashMap and
# snakeyaml-engine 2.6). Compared: the "Loading ... configuration property"
# log lines and every BASH_JAVA_UTILS_EXEC_RESULT: line, in order; a
# ClassCastException Flink would throw counts as one line.
# usage: confwrite.sh FLINKMEM CASES.TXT
set -u
fm=$1; cases=$2
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
pass=0; fail=0
run_case() {
  local id=$1 ver=$2 file=$3 cmd=UPDATE_AND_GET_FLINK_CONFIGURATION name=$3
  if [ "$file" = migrate-flink-conf.yaml ]; then cmd=MIGRATE_LEGACY_FLINK_CONFIGURATION_TO_STANDARD_YAML; name=flink-conf.yaml; fi
  rm -rf "$t/conf"; mkdir "$t/conf"; mv "$t/file" "$t/conf/$name"
  mapfile -t argv < "$t/args"
  "$fm" bash-java-utils "$cmd" --configDir "$t/conf" --flink-version "$ver" "${argv[@]}" >"$t/out" 2>&1
  # our side, in the reference's terms
  # (a line with no known start continues the one before: a value with
  # line breaks, printed as is)
  local keep=0
  while IFS= read -r l; do
    case "$l" in
      "INFO  [] - Loading "*) keep=1; [ "$cmd" = MIGRATE_LEGACY_FLINK_CONFIGURATION_TO_STANDARD_YAML ] && keep=0
        [ $keep = 1 ] && printf '%s\n' "${l#INFO  [] - }" ;;
      BASH_JAVA_UTILS_EXEC_RESULT:*) keep=1; printf 'RESULT %s\n' "${l#BASH_JAVA_UTILS_EXEC_RESULT:}" ;;
      "Exception in thread \"main\" "*) keep=0; l=${l#Exception in thread \"main\" }; printf 'RESULT EXCEPTION %s\n' "${l%%:*}" ;;
      "INFO  [] - "*|"WARN  [] - "*|"ERROR [] - "*|"Caused by: "*) keep=0 ;;
      *) [ $keep = 1 ] && printf '%s\n' "$l" ;;
    esac
  done <"$t/out" >"$t/got"
  if cmp -s "$t/got" "$t/expect"; then pass=$((pass+1)); else
    fail=$((fail+1)); echo "--- case $id ($ver $file $cmd):"; diff "$t/expect" "$t/got" | head -10; fi
}
sec=; cur=
while IFS= read -r line; do
  case "$line" in
    "=== "*) [ -n "$cur" ] && run_case $cur; cur=${line#=== }; : >"$t/file"; : >"$t/args"; : >"$t/expect"; continue ;;
    "--- file") sec=file; continue ;;
    "--- args") sec=args; continue ;;
    "--- expect") sec=expect; continue ;;
  esac
  printf '%s\n' "$line" >>"$t/$sec"
done <"$cases"
[ -n "$cur" ] && run_case $cur
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
