#!/usr/bin/env bash
# The Kubernetes operator's own test cases (validator, config builder,
# scaling realizer, pod factories), restated as FlinkDeployment specs, run
# through `check` and `show`. Each spec's header says what the operator
# does with it:
#   # operator: 1.15 | main        release line (--operator-version)
#   # expect: accepted             no error finding, exit 0
#   # expect: refused: TEXT        an error finding whose text has TEXT, exit 1
#   # expect-no: FMnnn             that rule must not fire
#   # tm.process: BYTES            TaskManager total process size (show --format json)
#   # jm.process: BYTES
#   # tm.container: REQ LIM        flink-main-container memory request and limit (show)
#   # jm.container: REQ LIM
#   # tm.cpu: REQ LIM              flink-main-container cpu request and limit (show)
#   # jm.cpu: REQ LIM
# usage: run.sh FLINKMEM DIR [--no-operator-flag]   (prints agree/disagree counts)
set -u
export COLUMNS=0 # text unwrapped (a pipe gets 80 columns otherwise): one line per item
FM=$1
DIR=$2
NOFLAG=${3:-}
agree=0
disagree=0
for f in "$DIR"/*.yaml; do
	name=$(basename "$f" .yaml)
	hdr() { sed -n "s/^# $1: //p" "$f" | head -n 1; }
	op=$(hdr operator)
	args=()
	if [ -n "$op" ] && [ -z "$NOFLAG" ]; then args=(--operator-version "$op"); fi
	bad=""
	out=$("$FM" check -c "$f" "${args[@]}" 2>&1)
	rc=$?
	errors=$(printf '%s\n' "$out" | sed -n '/^Errors (/,/^Warnings (\|^Notes (\|^[0-9]* error/p')
	expect=$(hdr expect)
	case "$expect" in
	accepted)
		[ "$rc" = 0 ] && [ -z "$errors" ] || bad="$bad; expected no error, got rc $rc"
		;;
	refused:*)
		want=${expect#refused: }
		[ "$rc" = 1 ] || bad="$bad; expected exit 1, got $rc"
		printf '%s\n' "$errors" | grep -qF -- "$want" || bad="$bad; no error saying: $want"
		;;
	*) bad="$bad; bad header: expect '$expect'" ;;
	esac
	while read -r rule; do
		[ -z "$rule" ] && continue
		printf '%s\n' "$out" | grep -q "\[$rule " && bad="$bad; $rule fired"
	done < <(sed -n 's/^# expect-no: //p' "$f")
	for side in tm jm; do
		want=$(hdr "$side.process")
		if [ -n "$want" ]; then
			flag=--tm; key=taskmanager
			[ "$side" = jm ] && flag=--jm && key=jobmanager
			got=$("$FM" show -c "$f" "${args[@]}" "$flag" --format json 2>/dev/null |
				sed -n "s/.*\"$key\":{[^}]*\"totalProcessMemory\":\([0-9]*\).*/\1/p")
			[ "$got" = "$want" ] || bad="$bad; $side process $got, want $want"
		fi
		# the show line of this side's container, when a header asks for it
		line=""
		if [ -n "$(hdr "$side.container")$(hdr "$side.cpu")" ]; then
			who=TaskManager
			[ "$side" = jm ] && who=JobManager
			line=$("$FM" show -c "$f" "${args[@]}" 2>/dev/null | grep "^$who container (")
		fi
		for what in container cpu; do
			want=$(hdr "$side.$what")
			[ -z "$want" ] && continue
			if [ "$what" = container ]; then
				got=$(printf '%s\n' "$line" | sed -n 's/.*: memory request \([0-9]*Mi\), limit \([0-9]*Mi\).*/\1 \2/p')
			else
				got=$(printf '%s\n' "$line" | sed -n 's/.*; cpu request \([0-9.E]*\), limit \([0-9.E]*\)$/\1 \2/p')
			fi
			[ "$got" = "$want" ] || bad="$bad; $side $what '$got', want '$want'"
		done
	done
	if [ -z "$bad" ]; then
		agree=$((agree + 1))
	else
		disagree=$((disagree + 1))
		echo "DISAGREE $name${bad}"
	fi
done
echo "operator cases: $agree agree, $disagree disagree"
[ "$disagree" = 0 ]
