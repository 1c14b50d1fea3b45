#!/bin/sh
# check_labels.sh - validate the diagnosis corpus in tests/corpus/.
#
# Every case directory NN-short-name/ must hold a `label` file with exactly the
# keys source, failure, process, fix_keys, flink_version, note (key=value, one
# per line, each once), values from the allowed vocabulary, and at least one
# input file with a known name.  The README table must list every case.
# Prints one line per problem and exits 1 if there is any, 0 otherwise.
#
# Usage: tests/corpus/check_labels.sh [CORPUS_DIR]   (default: the script's dir)

dir=${1:-$(dirname "$0")}
status=0

fail() {
	printf 'check_labels: %s\n' "$1" >&2
	status=1
}

failures=' heap gc-overhead direct metaspace network-buffers managed-memory rocksdb-native native-thread native-memory container-killed-k8s container-killed-yarn config-invalid none '
# processes outside the cluster (DESIGN section 4): their failures are never a TM/JM root cause
processes=' taskmanager jobmanager unknown client sql-gateway history-server job-server operator submitter '
inputs=' tm.log jm.log describe.txt events.json yarn.txt exceptions.json trace.txt '
keys='source failure process fix_keys flink_version note'

[ -d "$dir" ] || { fail "$dir: not a directory"; exit 2; }
readme="$dir/README.md"
[ -f "$readme" ] || fail "$readme: missing"

ncases=0
for case in "$dir"/*/; do
	[ -d "$case" ] || continue
	case=${case%/}
	name=${case##*/}
	# batches/ lists the case directories of each blind batch, it is no case
	[ "$name" = batches ] && continue
	ncases=$((ncases + 1))
	label="$case/label"

	if ! printf '%s\n' "$name" | grep -Eq '^[0-9]{2,4}-[a-z0-9][a-z0-9.-]*$'; then
		fail "$case: directory name must look like NN-short-name (NN: 2 or 3 digits)"
	fi
	if [ -f "$readme" ] && ! grep -q "$name" "$readme"; then
		fail "$readme: case $name is not listed"
	fi

	# input files: at least one known name, nothing unknown
	ninput=0
	for f in "$case"/* "$case"/.[!.]*; do
		[ -e "$f" ] || continue
		base=${f##*/}
		[ "$base" = label ] && continue
		case "$inputs" in
		*" $base "*)
			ninput=$((ninput + 1))
			[ -s "$f" ] || fail "$f: empty input file"
			;;
		*) fail "$f: unknown file (allowed: label$inputs)" ;;
		esac
	done
	[ "$ninput" -gt 0 ] || fail "$case: no input file (one of:$inputs)"

	if [ ! -f "$label" ]; then
		fail "$label: missing"
		continue
	fi

	# label syntax: key=value lines, known keys, each exactly once
	lineno=0
	seen=' '
	source_v='' failure_v='' process_v='' fixkeys_v='' note_v=''
	while IFS= read -r line || [ -n "$line" ]; do
		lineno=$((lineno + 1))
		case "$line" in
		*=*) ;;
		*) fail "$label:$lineno: not a key=value line"; continue ;;
		esac
		key=${line%%=*}
		val=${line#*=}
		case " $keys " in
		*" $key "*) ;;
		*) fail "$label:$lineno: unknown key ($key)"; continue ;;
		esac
		case "$seen" in
		*" $key "*) fail "$label:$lineno: duplicate key ($key)" ;;
		esac
		seen="$seen$key "
		case "$key" in
		source) source_v=$val ;;
		failure) failure_v=$val ;;
		process) process_v=$val ;;
		fix_keys) fixkeys_v=$val ;;
		note) note_v=$val ;;
		esac
	done <"$label"
	if grep -q "$(printf '\r')" "$label"; then
		fail "$label: CR characters in label"
	fi

	for k in $keys; do
		case "$seen" in
		*" $k "*) ;;
		*) fail "$label: missing key ($k)" ;;
		esac
	done

	case "$source_v" in
	synthetic | http://?* | https://?*) ;;
	index:*)
		# a file the search index holds but names no repository for: index:<digits>
		printf '%s\n' "${source_v#index:}" | grep -Eq '^[0-9]+$' ||
			fail "$label: source 'index:' must be followed by the index id, digits only (source)"
		;;
	*) fail "$label: source must be a public http(s) URL, 'index:<id>' or 'synthetic' (source)" ;;
	esac
	case "$source_v" in
	*" "*) fail "$label: source contains a space (source)" ;;
	esac
	case "$failures" in
	*" $failure_v "*) ;;
	*) fail "$label: failure '$failure_v' is not in the vocabulary (failure)" ;;
	esac
	case "$processes" in
	*" $process_v "*) ;;
	*) fail "$label: process '$process_v' must be one of:$processes(process)" ;;
	esac
	if [ -n "$fixkeys_v" ]; then
		[ "$failure_v" = none ] && fail "$label: a 'none' case must have empty fix_keys (fix_keys)"
		old_ifs=$IFS
		IFS=,
		for k in $fixkeys_v; do
			if ! printf '%s\n' "$k" | grep -Eq '^[a-z][a-zA-Z0-9-]*(\.[a-zA-Z0-9][a-zA-Z0-9-]*)+$'; then
				fail "$label: '$k' does not look like a Flink config key (fix_keys)"
			fi
		done
		IFS=$old_ifs
	fi
	[ -n "$note_v" ] || fail "$label: empty note (note)"
done

[ "$ncases" -gt 0 ] || fail "$dir: no case directories"
[ "$status" -eq 0 ] && printf 'check_labels: %d cases OK\n' "$ncases"
exit "$status"
