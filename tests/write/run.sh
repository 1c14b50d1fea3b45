#!/usr/bin/env bash
# `plan --write` under hostile conditions (docs/write.md is the contract):
#   disk full   — a full file system (a small tmpfs when we may mount one)
#                 and RLIMIT_FSIZE (SIGXFSZ ignored, writes fail with EFBIG):
#                 while writing the new file and while writing the backup.
#                 Exit 2, one line naming the file, the original and the
#                 existing FILE.bak byte for byte as before, no file left over.
#   owner       — root editing another user's file keeps that owner; a user
#                 who cannot give the new file the old owner (fchown EPERM)
#                 is refused and nothing changes (needs root + setpriv).
#   concurrency — N = 2, 4, 8 simultaneous `plan --write`s on one file, each
#                 setting its own key, TRIALS times each: every process that
#                 said "wrote" has its key in the final file (lost = 0), every
#                 other one exited non-zero saying "changed since it was read"
#                 or "locked", and the final file is a config Flink accepts;
#                 then TRIALS/10 trials where each writer retries until it has
#                 written: all N keys end up in the file.
# usage: run.sh FLINKMEM [TRIALS]   (prints the figures; exit 1 on a failure)
set -u
FLINKMEM=$(realpath "$1"); TRIALS=${2:-50}
export NO_COLOR=1 COLUMNS=0 # text unwrapped (a pipe gets 80 columns otherwise): one line per item
unset FLINK_CONF_DIR FLINK_PROPERTIES FLINK_TM_HEAP FLINK_JM_HEAP
T=$(mktemp -d); chmod 755 "$T"
MNT=""
cleanup() { [ -n "$MNT" ] && umount "$MNT" 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT
fails=0
bad() { echo "FAIL: $*"; fails=$((fails+1)); }

# A config.yaml of about 40 KB (a long comment block) so that "full" can be
# set between one and two copies of it.
mkconf() {
  { echo "# memory for the 4 GiB pods"
    for i in $(seq 1 500); do echo "# padding line $i: the quick brown fox jumps over the lazy dog ...."; done
    echo "taskmanager:"
    echo "  memory:"
    echo "    process.size: 4096m"
    echo "jobmanager:"
    echo "  memory:"
    echo "    process.size: 1600m"
  } >"$1"
}

# state DIR: every name with its type and content digest (what "nothing
# changed" compares).
state() { (cd "$1" && for f in $(ls -A); do printf '%s %s %s\n' "$f" "$(stat -c %F "$f")" "$(md5sum <"$f" 2>/dev/null | cut -c1-32)"; done); }

# expect_refused DIR RC ERRFILE WHAT BEFORE
expect_refused() {
  local dir=$1 rc=$2 err=$3 what=$4 before=$5
  [ "$rc" = 2 ] || bad "$what: exit $rc, want 2"
  local lines; lines=$(grep -c '^flinkmem: config.yaml: ' "$err")
  [ "$lines" = 1 ] || bad "$what: want one error line naming the file, got: $(cat "$err")"
  [ "$(state "$dir")" = "$before" ] || bad "$what: the directory changed: $(state "$dir")"
}

write_plan() { "$FLINKMEM" plan -c config.yaml --set taskmanager.memory.process.size="$1" --write >/dev/null; }

# ---- disk full: a small tmpfs ---------------------------------------------
disk_full_tmpfs() {
  MNT=$T/mnt; mkdir "$MNT"
  if ! mount -t tmpfs -o size=256k tmpfs "$MNT" 2>/dev/null; then
    echo "disk full (tmpfs): skipped (cannot mount a tmpfs here)"; MNT=""; return
  fi
  local pages need
  for room in 5 15; do   # pages free: less than one copy / room for the new file but not the backup
    rm -rf "${MNT:?}"/*; mkconf "$MNT/config.yaml"
    echo "an older backup" >"$MNT/config.yaml.bak"
    dd if=/dev/zero of="$MNT/filler" bs=4096 count=0 2>/dev/null
    pages=$(df -B4096 --output=avail "$MNT" | tail -1 | tr -d ' ')
    need=$((pages - room))
    dd if=/dev/zero of="$MNT/filler" bs=4096 count="$need" 2>/dev/null
    local before; before=$(state "$MNT")
    (cd "$MNT" && write_plan 5g 2>"$T/err"); local rc=$?
    expect_refused "$MNT" $rc "$T/err" "tmpfs with $room pages free" "$before"
    grep -q 'No space left on device' "$T/err" || bad "tmpfs $room pages: want ENOSPC named: $(cat "$T/err")"
    echo "disk full (tmpfs, $room pages free): $(grep '^flinkmem: config.yaml:' "$T/err")"
  done
  umount "$MNT"; MNT=""
}

# ---- disk full: RLIMIT_FSIZE -------------------------------------------------
disk_full_rlimit() {
  local d=$T/fsize; mkdir "$d"; mkconf "$d/config.yaml"
  echo "an older backup" >"$d/config.yaml.bak"
  local size; size=$(stat -c %s "$d/config.yaml")
  # 4096m -> 4g makes the new file 3 bytes shorter: a limit of size-1 lets
  # the new file through and stops the backup; a limit of 100 stops both
  for limit in 100 $((size - 1)); do
    local before; before=$(state "$d")
    # stderr through a pipe: the limit applies to every file the process writes
    { (cd "$d" && trap '' XFSZ && prlimit --fsize=$limit "$FLINKMEM" plan -c config.yaml \
         --set taskmanager.memory.process.size=4g --write 2>&1 >/dev/null); echo $? >"$T/rc"; } | cat >"$T/err"
    local rc; rc=$(cat "$T/rc")
    expect_refused "$d" $rc "$T/err" "RLIMIT_FSIZE $limit" "$before"
    grep -q 'File too large' "$T/err" || bad "RLIMIT_FSIZE $limit: want EFBIG named: $(cat "$T/err")"
    echo "disk full (RLIMIT_FSIZE $limit of $size bytes): $(grep '^flinkmem: config.yaml:' "$T/err")"
  done
}

# ---- owner -------------------------------------------------------------------
owner() {
  if [ "$(id -u)" != 0 ] || ! command -v setpriv >/dev/null || ! getent passwd 65534 >/dev/null; then
    echo "owner: skipped (needs root, setpriv and uid 65534)"; return
  fi
  local d=$T/own; mkdir "$d"; chmod 777 "$d"; mkconf "$d/config.yaml"
  chown 65534:65534 "$d/config.yaml"; chmod 640 "$d/config.yaml"
  (cd "$d" && write_plan 5g 2>"$T/err") || bad "root editing uid 65534's file: $(cat "$T/err")"
  [ "$(stat -c '%u:%g %a' "$d/config.yaml")" = "65534:65534 640" ] \
    || bad "owner/mode not kept: $(stat -c '%u:%g %a' "$d/config.yaml")"
  [ "$(stat -c '%u:%g %a' "$d/config.yaml.bak")" = "65534:65534 640" ] \
    || bad "backup owner/mode: $(stat -c '%u:%g %a' "$d/config.yaml.bak")"
  echo "owner: root keeps uid 65534's owner and mode: $(stat -c '%u:%g %a' "$d/config.yaml")"
  rm -f "$d"/config.yaml*; mkconf "$d/config.yaml"; chown 0:0 "$d/config.yaml"; chmod 666 "$d/config.yaml"
  local before; before=$(state "$d")
  (cd "$d" && setpriv --reuid=65534 --regid=65534 --clear-groups "$FLINKMEM" plan -c config.yaml \
     --set taskmanager.memory.process.size=5g --write >/dev/null 2>"$T/err"); local rc=$?
  expect_refused "$d" $rc "$T/err" "owner that cannot be kept" "$before"
  grep -q 'cannot keep its owner 0:0' "$T/err" || bad "owner: want the reason: $(cat "$T/err")"
  [ "$(stat -c '%u:%g' "$d/config.yaml")" = "0:0" ] || bad "owner changed"
  echo "owner: uid 65534 on root's 0666 file: $(grep '^flinkmem: config.yaml:' "$T/err")"
}

# ---- concurrency -----------------------------------------------------------------
concurrency() {
  local n=$1 d=$T/conc$1 lost=0 wrote=0 refused=0 badexit=0 invalid=0
  mkdir "$d"
  for trial in $(seq 1 "$TRIALS"); do
    rm -rf "${d:?}"/*; cp "$T/base.yaml" "$d/config.yaml"
    local pids=()
    for i in $(seq 1 "$n"); do
      (cd "$d" && "$FLINKMEM" plan -c config.yaml --set "test.writer-$i=w$i-t$trial" --write \
         >/dev/null 2>"$d/err$i"; echo $? >"$d/rc$i") &
      pids+=($!)
    done
    wait "${pids[@]}"
    for i in $(seq 1 "$n"); do
      local rc; rc=$(cat "$d/rc$i")
      if [ "$rc" = 0 ] && grep -q '^flinkmem: note: wrote config.yaml' "$d/err$i"; then
        wrote=$((wrote+1))
        grep -qx "test.writer-$i: w$i-t$trial" "$d/config.yaml" || { lost=$((lost+1)); bad "N=$n trial $trial: writer $i said wrote, its key is gone"; }
      elif [ "$rc" != 0 ] && grep -Eq '^flinkmem: config.yaml: (changed since it was read|locked by another writer)' "$d/err$i"; then
        refused=$((refused+1))
      else
        badexit=$((badexit+1)); bad "N=$n trial $trial: writer $i exit $rc: $(cat "$d/err$i")"
      fi
    done
    (cd "$d" && "$FLINKMEM" check -c config.yaml >/dev/null 2>&1) || { invalid=$((invalid+1)); bad "N=$n trial $trial: the final file does not check clean"; }
    ls "$d" | grep -q flinkmem- && bad "N=$n trial $trial: a temporary file was left: $(ls "$d")"
  done
  echo "concurrency N=$n: $TRIALS trials, $((n * TRIALS)) writers: wrote $wrote, refused $refused (changed since read / locked), lost changes $lost, other exits $badexit, invalid final files $invalid"
}

# ---- concurrency, writers that retry ------------------------------------------------
# Each writer runs again after "changed since it was read" until it writes;
# then every one of the N keys must be in the final file: no write may be
# based on a file another writer has replaced meanwhile.
retrying() {
  local n=$1 d=$T/retry$1 lost=0 runs=0 trials=$(( (TRIALS + 9) / 10 ))
  mkdir "$d"
  for trial in $(seq 1 "$trials"); do
    rm -rf "${d:?}"/*; cp "$T/base.yaml" "$d/config.yaml"
    local pids=()
    for i in $(seq 1 "$n"); do
      (cd "$d" && for try in $(seq 1 50); do
         "$FLINKMEM" plan -c config.yaml --set "test.writer-$i=w$i-t$trial" --write >/dev/null 2>"err$i"
         echo "$try" >"tries$i"
         grep -q '^flinkmem: note: wrote' "err$i" && break
         grep -Eq 'changed since it was read|locked by another writer' "err$i" || break
       done) &
      pids+=($!)
    done
    wait "${pids[@]}"
    for i in $(seq 1 "$n"); do
      runs=$((runs + $(cat "$d/tries$i")))
      grep -qx "test.writer-$i: w$i-t$trial" "$d/config.yaml" || { lost=$((lost+1)); bad "retrying N=$n trial $trial: writer $i's key is missing: $(cat "$d/err$i")"; }
    done
    (cd "$d" && "$FLINKMEM" check -c config.yaml >/dev/null 2>&1) || bad "retrying N=$n trial $trial: the final file does not check clean"
  done
  echo "retrying writers N=$n: $trials trials, $runs runs, keys missing at the end $lost"
}

mkconf "$T/base.yaml"
disk_full_tmpfs
disk_full_rlimit
owner
for n in 2 4 8; do concurrency $n; done
for n in 2 4 8; do retrying $n; done
[ $fails = 0 ] && echo "all passed" || echo "$fails failure(s)"
[ $fails = 0 ]
