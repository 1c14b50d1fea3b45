#!/usr/bin/env python3
"""Reads one JSON document on stdin the way a strict consumer does: the bytes
must be UTF-8 (no replacement, no surrogates) and json.loads must accept them;
the raw text must hold no control byte a terminal would act on. Prints one
line saying so, or what is wrong (exit 1)."""
import json
import re
import sys

data = sys.stdin.buffer.read()
try:
    text = data.decode("utf-8", errors="strict")
    json.loads(text)
except (UnicodeDecodeError, ValueError) as e:
    print(f"REJECTED: {type(e).__name__}: {e}")
    sys.exit(1)
raw = re.findall(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", text)
if raw:
    print(f"REJECTED: {len(raw)} raw control character(s)")
    sys.exit(1)
print(f"strict JSON, valid UTF-8, no raw controls ({len(data)} bytes)")
