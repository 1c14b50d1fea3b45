#!/usr/bin/env python3
"""Validates flinkmem JSON documents against docs/schemas/.

usage: validate.py SCHEMA_DIR [--schema NAME] [--expect-invalid] FILE...

Every line of FILE that starts with '{' is one JSON document (flinkmem
prints one per line); a line that does not parse fails. The schema is the
document's own "command" (check --rules: check-rules) unless --schema names
one. --expect-invalid inverts the verdict: every document must be rejected
(to show the schemas can fail). Exit 0 when all pass, 1 otherwise."""
import json
import os
import sys

import jsonschema

try:  # jsonschema 4.18+: references through a registry (RefResolver is deprecated there)
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT7
except ImportError:  # Debian 12's jsonschema 4.10
    Registry = None


def validator_for(schema, store):
    if Registry is not None:
        reg = Registry().with_resources(
            (i, Resource.from_contents(s, default_specification=DRAFT7)) for i, s in store.items())
        return jsonschema.Draft7Validator(schema, registry=reg)
    resolver = jsonschema.RefResolver(schema["$id"], schema, store=store)
    return jsonschema.Draft7Validator(schema, resolver=resolver)


def load_store(d):
    store, by_name = {}, {}
    for f in sorted(os.listdir(d)):
        if not f.endswith(".schema.json"):
            continue
        s = json.load(open(os.path.join(d, f), encoding="utf-8"))
        jsonschema.Draft7Validator.check_schema(s)
        store[s["$id"]] = s
        by_name[f[: -len(".schema.json")]] = s
    return store, by_name


def schema_name(doc):
    cmd = doc.get("command") if isinstance(doc, dict) else None
    if cmd == "check" and "rules" in doc:
        return "check-rules"
    return cmd


def main(argv):
    d, args = argv[1], argv[2:]
    forced, invert = None, False
    while args and args[0].startswith("--"):
        if args[0] == "--schema":
            forced, args = args[1], args[2:]
        elif args[0] == "--expect-invalid":
            invert, args = True, args[1:]
        else:
            sys.exit("validate.py: unknown option " + args[0])
    store, by_name = load_store(d)
    bad = docs = 0
    for path in args:
        with open(path, encoding="utf-8") as fh:
            for n, line in enumerate(fh, 1):
                if not line.startswith("{"):
                    continue
                docs += 1
                where = "%s:%d" % (path, n)
                try:
                    doc = json.loads(line)
                except ValueError as e:
                    print("FAIL %s: not JSON: %s" % (where, e))
                    bad += 1
                    continue
                name = forced or schema_name(doc)
                schema = by_name.get(name)
                if schema is None:  # an unknown command is a rejection too
                    if not invert:
                        print("FAIL %s: no schema for command %r" % (where, name))
                        bad += 1
                    continue
                errs = sorted(validator_for(schema, store).iter_errors(doc),
                              key=lambda e: list(e.absolute_path))
                if invert and not errs:
                    print("FAIL %s: accepted by %s.schema.json, expected a rejection" % (where, name))
                    bad += 1
                elif not invert and errs:
                    e = errs[0]
                    print("FAIL %s (%s.schema.json): %s at /%s" % (where, name, e.message[:300],
                                                                  "/".join(map(str, e.absolute_path))))
                    bad += 1
    if docs == 0:
        print("FAIL: no JSON document in " + " ".join(args))
        return 1
    print("%d documents, %d failed" % (docs, bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
