#!/usr/bin/env bash
# Corpus accuracy: runs `flinkmem diagnose --format json` on every case of
# tests/corpus/NN-name/ (all input files of the case) and compares with its
# `label` (format in tests/corpus/README.md). Prints one line per case, the
# figures (root-cause, process, fix-key recall, negative precision) and a
# confusion table; fails when root-cause accuracy is below MIN_ACCURACY
# percent (default 80) or when any case makes diagnose exit 2.
# usage: run.sh FLINKMEM CORPUS_DIR [MIN_ACCURACY [BATCH_FILE]]
# BATCH_FILE (e.g. tests/corpus/batches/batch-A.txt) limits the run to the
# case directories it lists, one per line: a blind batch's own figures.
# A negative is correct when rootCause is null and every incident has
# role "outside": an OOM of a client, another JVM system or a process the
# input does not show to be Flink's is reported as such, not blamed on the
# cluster.
set -u
FLINKMEM=$(realpath "$1"); CORPUS=$(realpath "$2"); MIN=${3:-80}; BATCH=${4:-}
export NO_COLOR=1 COLUMNS=0 # text unwrapped (a pipe gets 80 columns otherwise): one line per item
python3 - "$FLINKMEM" "$CORPUS" "$MIN" "$BATCH" <<'PY'
import json, os, subprocess, sys
flinkmem, corpus, minimum, batch = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4]
INPUTS = ["tm.log", "jm.log", "describe.txt", "events.json", "yarn.txt", "exceptions.json", "trace.txt"]
OUTSIDE = {"client", "sql-gateway", "history-server", "job-server", "operator", "submitter"}
cases = sorted(d for d in os.listdir(corpus) if os.path.isfile(os.path.join(corpus, d, "label")))
# Known misses (tests/corpus/known-misses.txt: "case-dir  why", one a
# line): measured misses of the blind batches that stay open. Any other
# miss is a regression and fails the run; a known miss that now passes is
# reported so it can be struck from the list.
known = {}
kpath = os.path.join(corpus, "known-misses.txt")
if os.path.exists(kpath):
    for l in open(kpath, encoding="utf-8"):
        if l.strip() and not l.startswith("#"):
            known[l.split()[0]] = l.strip()
regressions = []
fixed_known = []
if batch:
    wanted = {l.strip() for l in open(batch) if l.strip() and not l.startswith("#")}
    cases = [c for c in cases if c in wanted]
# FM_CORPUS_STRIDE=N: every Nth case (the sanitizer build checks memory
# safety and exit codes on a sample; the plain build scores every case)
cases = cases[::max(1, int(os.environ.get("FM_CORPUS_STRIDE", "1") or 1))]
ok = proc_ok = proc_n = fix_hit = fix_n = neg_ok = neg_n = crashes = 0
show_fix = os.environ.get("FM_SHOW_FIX") == "1"  # list positives whose fix misses
fix_pos = fix_pos_n = 0  # positives whose fix names at least one right key (issue 8's bar)
real = [0, 0]; synth = [0, 0]
confusion = {}
for case in cases:
    d = os.path.join(corpus, case)
    label = {}
    with open(os.path.join(d, "label"), encoding="utf-8") as f:
        for line in f:
            if "=" in line:
                k, v = line.rstrip("\n").split("=", 1)
                label[k] = v
    files = [f for f in INPUTS if os.path.exists(os.path.join(d, f))]
    r = subprocess.run([flinkmem, "diagnose", "--format", "json"] + files, cwd=d, capture_output=True)
    if r.returncode not in (0, 1):
        crashes += 1
        print(f"CRASH {case}: exit {r.returncode}: {r.stderr.decode(errors='replace').strip()}")
        continue
    out = json.loads(r.stdout)
    rc = out["rootCause"]
    want = label["failure"]
    got = rc["failure"] if rc else "none"
    if want == "none":
        neg_n += 1
        # silent: no root cause and no incident but those reported as
        # outside the cluster (a client's or another JVM's OOM, DESIGN §4)
        good = rc is None and all(i.get("role") == "outside" for i in out["incidents"])
        neg_ok += good
    else:
        good = got == want
    ok += good
    bucket = synth if label.get("source") == "synthetic" else real
    bucket[0] += good; bucket[1] += 1
    confusion[(want, got)] = confusion.get((want, got), 0) + 1
    pmark = ""
    if want != "none" and label.get("process", "unknown") != "unknown" and rc:
        proc_n += 1
        if rc["process"] == label["process"]:
            proc_ok += 1
        else:
            pmark = f" process={rc['process']} want {label['process']}"
    keys = [k for k in label.get("fix_keys", "").split(",") if k]
    if keys and want != "none":
        root = next((i for i in out["incidents"] if i["role"] == "root"), None)
        changed = set()
        if root and root.get("fix"):
            changed = {c["key"] for c in root["fix"].get("changes", [])}
            for a in root["fix"].get("advice", []):
                changed.add(a.split(":")[0])
        fix_n += len(keys)
        fix_hit += sum(1 for k in keys if k in changed)
        fix_pos_n += 1
        fix_pos += any(k in changed for k in keys)
        if show_fix and not any(k in changed for k in keys):
            print(f"FIX  {case}: want {','.join(keys)}; fix has {','.join(sorted(changed)) or '(none)'}")
    if not good and case not in known:
        regressions.append(case)
    if good and case in known:
        fixed_known.append(case)
    print(f"{'ok  ' if good else 'MISS'} {case}: want {want}, got {got}{pmark}{'  (known miss)' if not good and case in known else ''}")
n = len(cases)
pct = lambda a, b: 100.0 * a / b if b else 100.0
print()
print(f"root cause: {ok}/{n} = {pct(ok, n):.1f}%  (real {real[0]}/{real[1]}, synthetic {synth[0]}/{synth[1]})")
print(f"process:    {proc_ok}/{proc_n} = {pct(proc_ok, proc_n):.1f}%")
print(f"fix keys:   {fix_hit}/{fix_n} = {pct(fix_hit, fix_n):.1f}%  (positives whose fix names a right key: {fix_pos}/{fix_pos_n} = {pct(fix_pos, fix_pos_n):.1f}%)")
print(f"negatives:  {neg_ok}/{neg_n} silent = {pct(neg_ok, neg_n):.1f}%")
print("confusion (label -> diagnosed):")
for (w, g), c in sorted(confusion.items()):
    if w != g:
        print(f"  {w:22} -> {g:22} {c}")
for c in fixed_known:
    print(f"now right, strike from known-misses.txt: {c}")
if regressions:
    print("misses not in known-misses.txt (regressions): " + ", ".join(regressions))
if crashes or pct(ok, n) < minimum or regressions:
    print(f"FAIL: accuracy below {minimum}%, a miss (false alarm included) not in known-misses.txt, or diagnose exited 2")
    sys.exit(1)
PY
