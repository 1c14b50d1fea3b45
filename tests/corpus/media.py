#!/usr/bin/env python3
"""Media test: the same report, carried the ways users paste it, gets the
same diagnosis. Every case that diagnose answers right as stored (root cause
for positives, silence for negatives) is re-fed after a transformation a
real medium applies, and must stay right:
  quote   a mail reply's "> " on every line
  quote2  a reply to a reply ("> > ")
  html    a page's text copied as its markup (& < > " ' as entities)
  crlf    Windows line ends
  indent  a Markdown code block (four spaces)
  utf16   Windows PowerShell 5's `>` redirect (UTF-16LE with a mark)
  ansi    a terminal's copy of colourised levels (ESC [ 1;31m ERROR ESC [ 0m)
Structured inputs (events.json, exceptions.json) keep their bytes under the
line-level transformations (no tool quotes a JSON document line by line),
and are re-encoded under utf16.
usage: media.py FLINKMEM CORPUS_DIR [TRANSFORM...]"""
import concurrent.futures
import html, json, os, re, subprocess, sys, tempfile

INPUTS = ["tm.log", "jm.log", "describe.txt", "events.json", "yarn.txt", "exceptions.json", "trace.txt"]
STRUCTURED = {"events.json", "exceptions.json"}


def lines(s, prefix):
    return "".join(prefix + l + "\n" for l in s.splitlines())


MEDIA = {
    "quote": lambda s: lines(s, "> "),
    "quote2": lambda s: lines(s, "> > "),
    "html": lambda s: html.escape(s, quote=True),
    "crlf": lambda s: s.replace("\r\n", "\n").replace("\n", "\r\n"),
    "indent": lambda s: lines(s, "    "),
    "utf16": lambda s: s,
    "ansi": lambda s: re.sub(r"\b(ERROR|WARN|INFO|Caused by)\b", lambda m: "\x1b[1;31m" + m.group(1) + "\x1b[0m", s),
}


def verdict(flinkmem, cwd, files):
    r = subprocess.run([flinkmem, "diagnose", "--format", "json"] + files, cwd=cwd, capture_output=True)
    if r.returncode not in (0, 1):
        return f"exit {r.returncode}"
    out = json.loads(r.stdout)
    rc = out["rootCause"]
    if rc is None:
        return "none" if all(i.get("role") == "outside" for i in out["incidents"]) else "incident"
    return rc["failure"]


def one_case(flinkmem, d, case, media):
    """The case's results per medium: [(name, kind index, right?, failure text)]."""
    with open(os.path.join(d, "label"), encoding="utf-8") as f:
        want = dict(l.rstrip("\n").split("=", 1) for l in f if "=" in l)["failure"]
    files = [f for f in INPUTS if os.path.exists(os.path.join(d, f))]
    if verdict(flinkmem, d, files) != want:
        return []  # a miss as stored is corpus_accuracy's business
    out = []
    for name, fn in media.items():
        with tempfile.TemporaryDirectory() as td:
            for f in files:
                with open(os.path.join(d, f), encoding="utf-8", errors="surrogateescape", newline="") as src:
                    text = src.read()
                if name != "utf16" and f in STRUCTURED:
                    moved = text
                else:
                    moved = fn(text)
                enc = "utf-16" if name == "utf16" else "utf-8"
                if name == "utf16":
                    # bytes that are not UTF-8 (a Latin-1 log kept as stored)
                    # reach UTF-16 as the console's code page read them
                    moved = re.sub("[\udc80-\udcff]", lambda m: chr(ord(m.group()) - 0xDC00), moved)
                with open(os.path.join(td, f), "w", encoding=enc, errors="surrogateescape", newline="") as dst:
                    dst.write(moved)
            got = verdict(flinkmem, td, files)
        out.append((name, 0 if want != "none" else 2, got == want, f"{name}: {case}: want {want}, got {got}"))
    return out


def main():
    flinkmem, corpus = os.path.realpath(sys.argv[1]), os.path.realpath(sys.argv[2])
    media = {k: MEDIA[k] for k in (sys.argv[3:] or MEDIA)}
    os.environ.update(NO_COLOR="1", COLUMNS="0")
    score = {k: [0, 0, 0, 0] for k in media}  # positives right, positives, negatives right, negatives
    failures = []
    cases = [c for c in sorted(os.listdir(corpus)) if os.path.isfile(os.path.join(corpus, c, "label"))]
    # FM_MEDIA_STRIDE=N: every Nth case (the sanitizer build checks memory
    # safety on a sample; the plain build checks every case's answer)
    stride = max(1, int(os.environ.get("FM_MEDIA_STRIDE", "1") or 1))
    cases = cases[::stride]
    # one diagnose per case and medium, each its own process: run them on
    # every core (the report stays in case order)
    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        results = pool.map(lambda c: one_case(flinkmem, os.path.join(corpus, c), c, media), cases)
        for res in results:
            for name, k, right, failure in res:
                score[name][k + 1] += 1
                if right:
                    score[name][k] += 1
                else:
                    failures.append(failure)
    for name, (po, pn, no, nn) in score.items():
        print(f"{name:7} positives {po}/{pn}  negatives {no}/{nn}")
    for f in failures:
        print("FAIL " + f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
