#!/usr/bin/env bash
# `flinkmem live` against tests/live/server.py (loopback only, started and
# stopped here): each line of cases.txt runs one server with a release's
# response shapes and a scenario or fault, then compares flinkmem's output
# (stdout + stderr, the port replaced by PORT) and exit status with
# expected/NAME. FM_UPDATE=1 rewrites the expected files. Also checks:
# connection refused and a TLS handshake against a plain server are one-line
# errors with exit 2; every JSON output validates against docs/schemas/live.schema.json;
# a missing or failing HTTP helper (flinkmem-http) is one line and exit 2.
# usage: run.sh FLINKMEM TESTS_DIR
set -u
FLINKMEM=$(realpath "$1"); DIR=$(realpath "$2")/live
export NO_COLOR=1 COLUMNS=0 # text unwrapped (a pipe gets 80 columns otherwise): one line per item
tmp=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$tmp"' EXIT
fail=0; n=0

start_server() { # args -> sets PORT and SPID
	local pf=$tmp/port.$RANDOM
	python3 "$DIR/server.py" --max-seconds 60 "$@" >"$pf" 2>"$tmp/server.err" &
	SPID=$!
	for _ in $(seq 100); do [ -s "$pf" ] && break; sleep 0.05; done
	PORT=$(head -1 "$pf")
	[ -n "$PORT" ] || { echo "server did not start: $*"; cat "$tmp/server.err"; exit 1; }
}

check_json() { # file -> validates every line (documents) against the schema
	python3 "$DIR/../schemas/validate.py" "$DIR/../../docs/schemas" --schema live "$1" >"$tmp/schema.out" ||
		{ cat "$tmp/schema.out"; return 1; }
}

while IFS='|' read -r name sargs fargs want; do
	name=$(echo "$name" | xargs); [ -z "$name" ] && continue
	case $name in \#*) continue ;; esac
	want=$(echo "$want" | xargs)
	n=$((n + 1))
	# shellcheck disable=SC2086
	start_server $sargs
	out=$tmp/$name.out
	# shellcheck disable=SC2086
	"$FLINKMEM" live "http://127.0.0.1:$PORT" $fargs >"$out" 2>&1
	got=$?
	kill $SPID 2>/dev/null; wait $SPID 2>/dev/null
	sed -i "s/127\.0\.0\.1:$PORT/127.0.0.1:PORT/g; s/port $PORT/port PORT/g" "$out"
	echo "exit $got" >>"$out"
	exp=$DIR/expected/$name
	if [ "${FM_UPDATE:-}" = 1 ]; then cp "$out" "$exp"; fi
	if [ "$got" != "$want" ]; then
		echo "FAIL $name: exit $got, want $want"; fail=$((fail + 1)); continue
	fi
	if ! diff -u "$exp" "$out" >"$tmp/diff"; then
		echo "FAIL $name: output differs"; head -40 "$tmp/diff"; fail=$((fail + 1)); continue
	fi
	case $fargs in *json*)
		if ! check_json "$out" 2>"$tmp/schema.err"; then
			echo "FAIL $name: JSON does not validate"; tail -5 "$tmp/schema.err"; fail=$((fail + 1)); continue
		fi ;;
	esac
	echo "ok   $name"
done <"$DIR/cases.txt"

# connection refused: a port nobody listens on
n=$((n + 1))
free=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
"$FLINKMEM" live "http://127.0.0.1:$free" >"$tmp/refused" 2>&1; got=$?
if [ $got = 2 ] && [ "$(wc -l <"$tmp/refused")" = 1 ] && grep -q "/overview" "$tmp/refused"; then
	echo "ok   connection-refused"
else
	echo "FAIL connection-refused: exit $got"; cat "$tmp/refused"; fail=$((fail + 1))
fi
# TLS against a plain HTTP server
n=$((n + 1))
start_server --release 1.20
"$FLINKMEM" live "https://127.0.0.1:$PORT" --timeout 2 >"$tmp/tls" 2>&1; got=$?
kill $SPID 2>/dev/null; wait $SPID 2>/dev/null
if [ $got = 2 ] && [ "$(wc -l <"$tmp/tls")" = 1 ] && grep -q "https://127.0.0.1:$PORT/overview" "$tmp/tls"; then
	echo "ok   tls-error"
else
	echo "FAIL tls-error: exit $got"; cat "$tmp/tls"; fail=$((fail + 1))
fi
# The HTTP helper (flinkmem-http, next to flinkmem): missing, failing to
# start (as when libcurl is not installed), or fed a broken request stream.
# Each is one line and exit 2, and nothing hangs.
mkdir -p "$tmp/alone" "$tmp/fake"
cp "$FLINKMEM" "$tmp/alone/flinkmem"; cp "$FLINKMEM" "$tmp/fake/flinkmem"
printf '#!/bin/sh\necho "flinkmem-http: error while loading shared libraries: libcurl.so.4: cannot open shared object file" >&2\nexit 127\n' >"$tmp/fake/flinkmem-http"
chmod +x "$tmp/fake/flinkmem-http"
n=$((n + 1))
if [ -e /usr/local/libexec/flinkmem/flinkmem-http ] || [ -e /usr/libexec/flinkmem/flinkmem-http ]; then
	echo "ok   helper-missing (skipped: a flinkmem-http is installed)"
else
	PATH=/nonexistent "$tmp/alone/flinkmem" live http://127.0.0.1:1 >"$tmp/alone.out" 2>&1; got=$?
	if [ $got = 2 ] && [ "$(wc -l <"$tmp/alone.out")" = 1 ] && grep -q "cannot find flinkmem-http" "$tmp/alone.out"; then
		echo "ok   helper-missing"
	else
		echo "FAIL helper-missing: exit $got"; cat "$tmp/alone.out"; fail=$((fail + 1))
	fi
fi
n=$((n + 1))
"$tmp/fake/flinkmem" live http://127.0.0.1:1 >"$tmp/fake.out" 2>&1; got=$?
if [ $got = 2 ] && [ "$(wc -l <"$tmp/fake.out")" = 1 ] && grep -q "/overview: flinkmem-http: error while loading shared libraries: libcurl.so.4" "$tmp/fake.out"; then
	echo "ok   helper-cannot-start"
else
	echo "FAIL helper-cannot-start: exit $got"; cat "$tmp/fake.out"; fail=$((fail + 1))
fi
# fake_helper NAME SCRIPT RE: a flinkmem-http that runs SCRIPT (sh) next
# to a copy of flinkmem; live must end in one line matching RE, exit 2
fake_helper() {
	mkdir -p "$tmp/$1"; cp "$FLINKMEM" "$tmp/$1/flinkmem"
	printf '#!/bin/sh\ncat >/dev/null & %s\nsleep 0.2\n' "$2" >"$tmp/$1/flinkmem-http"
	chmod +x "$tmp/$1/flinkmem-http"
	n=$((n + 1))
	"$tmp/$1/flinkmem" live http://127.0.0.1:1 >"$tmp/$1.out" 2>&1; got=$?
	if [ $got = 2 ] && [ "$(wc -l <"$tmp/$1.out")" = 1 ] && grep -q "$3" "$tmp/$1.out"; then
		echo "ok   helper-$1"
	else
		echo "FAIL helper-$1: exit $got"; cat "$tmp/$1.out"; fail=$((fail + 1))
	fi
}
# a helper that answers with a frame for a request never asked
fake_helper bad-answer 'printf "req 7\\n99 200body 2\\nok"' "/overview: .*flinkmem-http: malformed frame"
# a helper whose first line is far longer than a frame header (one read
# returns it whole): refused, not copied past the header's buffer
fake_helper long-line 'printf "%0600d\\n" 0' "flinkmem-http: malformed frame"
helper=$(dirname "$FLINKMEM")/flinkmem-http
for bad in 'bogus\n' 'path 99999999999\n' 'timeout 2\nxx' 'base 4\nhttp'; do
	n=$((n + 1))
	printf "$bad" | "$helper" >"$tmp/helper.out" 2>"$tmp/helper.err"; got=$?
	if [ $got = 2 ] && [ "$(wc -l <"$tmp/helper.err")" = 1 ] && grep -q '^flinkmem-http: ' "$tmp/helper.err" && [ ! -s "$tmp/helper.out" ]; then
		echo "ok   helper-bad-stream $bad"
	else
		echo "FAIL helper-bad-stream $bad: exit $got"; cat "$tmp/helper.err"; fail=$((fail + 1))
	fi
done
echo "$((n - fail)) passed, $fail failed"
[ $fail = 0 ]
