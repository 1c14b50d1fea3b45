#!/usr/bin/env python3
"""`flinkmem check --format sarif` against the SARIF 2.1.0 schema's required
fields and value constraints (the parts of sarif-schema-2.1.0.json that the
objects flinkmem emits use): version "2.1.0", $schema, runs[].tool.driver.name,
reportingDescriptor.id, multiformatMessageString.text, result.message.text,
result.ruleId naming a rule of the driver, level enums, physicalLocation
.artifactLocation.uri, region.startLine/startColumn >= 1, and no property the
schema does not define for these objects. Also checks that the validator
rejects broken logs, so it cannot pass vacuously.
With FM_SARIF_SCHEMA naming a copy of the official sarif-schema-2.1.0.json
(not shipped here: its OASIS terms are not an open-source licence), every
log is also validated against it with python3-jsonschema.
Usage: check_sarif.py FLINKMEM TESTS_DIR   (python3 standard library only)"""
import copy
import json
import os
import shutil
import subprocess
import sys
import tempfile

LEVELS = {"none", "note", "warning", "error"}
ALLOWED = {
    "log": {"$schema", "version", "runs", "inlineExternalProperties", "properties"},
    "run": {"tool", "invocations", "conversion", "language", "versionControlProvenance",
            "originalUriBaseIds", "artifacts", "logicalLocations", "graphs", "results",
            "automationDetails", "runAggregates", "baselineGuid", "redactionTokens",
            "defaultEncoding", "defaultSourceLanguage", "newlineSequences",
            "columnKind", "externalPropertyFileReferences", "threadFlowLocations",
            "taxonomies", "addresses", "translations", "policies", "webRequests",
            "webResponses", "specialLocations", "properties"},
    "tool": {"driver", "extensions", "properties"},
    "driver": {"guid", "name", "organization", "product", "productSuite", "shortDescription",
               "fullDescription", "fullName", "version", "semanticVersion", "dottedQuadFileVersion",
               "releaseDateUtc", "downloadUri", "informationUri", "globalMessageStrings",
               "notifications", "rules", "taxa", "locations", "language", "contents",
               "isComprehensive", "localizedDataSemanticVersion", "minimumRequiredLocalizedDataSemanticVersion",
               "associatedComponent", "translationMetadata", "supportedTaxonomies", "properties"},
    "rule": {"id", "deprecatedIds", "guid", "deprecatedGuids", "name", "deprecatedNames",
             "shortDescription", "fullDescription", "messageStrings", "defaultConfiguration",
             "helpUri", "help", "relationships", "properties"},
    "config": {"enabled", "level", "rank", "parameters", "properties"},
    "result": {"ruleId", "ruleIndex", "rule", "kind", "level", "message", "analysisTarget",
               "locations", "guid", "correlationGuid", "occurrenceCount", "partialFingerprints",
               "fingerprints", "stacks", "codeFlows", "graphs", "graphTraversals",
               "relatedLocations", "suppressions", "baselineState", "rank", "attachments",
               "hostedViewerUri", "workItemUris", "provenance", "fixes", "taxa",
               "webRequest", "webResponse", "properties"},
    "location": {"id", "physicalLocation", "logicalLocations", "message", "annotations",
                 "relationships", "properties"},
    "physical": {"address", "artifactLocation", "region", "contextRegion", "properties"},
    "artifact": {"uri", "uriBaseId", "index", "description", "properties"},
    "region": {"startLine", "startColumn", "endLine", "endColumn", "charOffset", "charLength",
               "byteOffset", "byteLength", "snippet", "message", "sourceLanguage", "properties"},
    "message": {"text", "markdown", "id", "arguments", "properties"},
}


def validate(log):
    errs = []

    def err(path, what):
        errs.append(f"{path}: {what}")

    def keys(obj, kind, path):
        if not isinstance(obj, dict):
            err(path, "not an object")
            return False
        extra = set(obj) - ALLOWED[kind]
        if extra:
            err(path, f"properties the schema does not define: {sorted(extra)}")
        return True

    def text_msg(obj, path, need_text=True):
        if keys(obj, "message", path):
            t = obj.get("text")
            if need_text and not (isinstance(t, str) and t):
                err(path, "text missing or empty")

    def pos_int(v, path):
        if not (isinstance(v, int) and not isinstance(v, bool) and v >= 1):
            err(path, f"must be an integer >= 1, got {v!r}")

    if not keys(log, "log", "$"):
        return errs
    if log.get("version") != "2.1.0":
        err("$.version", f"must be \"2.1.0\", got {log.get('version')!r}")
    if not (isinstance(log.get("$schema"), str) and "sarif" in log["$schema"] and "2.1.0" in log["$schema"]):
        err("$.$schema", "missing or not a SARIF 2.1.0 schema URI")
    runs = log.get("runs")
    if not isinstance(runs, list) or not runs:
        err("$.runs", "required non-empty array")
        return errs
    for ri, run in enumerate(runs):
        rp = f"$.runs[{ri}]"
        if not keys(run, "run", rp):
            continue
        tool = run.get("tool")
        if not keys(tool, "tool", rp + ".tool"):
            continue
        driver = tool.get("driver")
        if not keys(driver, "driver", rp + ".tool.driver"):
            continue
        if not (isinstance(driver.get("name"), str) and driver["name"]):
            err(rp + ".tool.driver.name", "required non-empty string")
        rule_ids = []
        for i, rule in enumerate(driver.get("rules", [])):
            p = f"{rp}.tool.driver.rules[{i}]"
            if not keys(rule, "rule", p):
                continue
            if not (isinstance(rule.get("id"), str) and rule["id"]):
                err(p + ".id", "required non-empty string")
            rule_ids.append(rule.get("id"))
            for d in ("shortDescription", "fullDescription"):
                if d in rule:
                    text_msg(rule[d], f"{p}.{d}")
            if "defaultConfiguration" in rule:
                c = rule["defaultConfiguration"]
                if keys(c, "config", p + ".defaultConfiguration") and c.get("level", "warning") not in LEVELS:
                    err(p + ".defaultConfiguration.level", f"not one of {sorted(LEVELS)}")
        if len(set(rule_ids)) != len(rule_ids):
            err(rp + ".tool.driver.rules", "duplicate rule ids")
        results = run.get("results")
        if not isinstance(results, list):
            err(rp + ".results", "must be an array")
            continue
        for i, res in enumerate(results):
            p = f"{rp}.results[{i}]"
            if not keys(res, "result", p):
                continue
            if "message" not in res:
                err(p + ".message", "required")
            else:
                text_msg(res["message"], p + ".message")
            rid = res.get("ruleId")
            if not isinstance(rid, str) or rid not in rule_ids:
                err(p + ".ruleId", f"{rid!r} is not a rule of tool.driver.rules")
            if "ruleIndex" in res and (not isinstance(res["ruleIndex"], int) or
                                       res["ruleIndex"] >= len(rule_ids) or rule_ids[res["ruleIndex"]] != rid):
                err(p + ".ruleIndex", "does not index the ruleId's rule")
            if res.get("level", "warning") not in LEVELS:
                err(p + ".level", f"not one of {sorted(LEVELS)}")
            for li, loc in enumerate(res.get("locations", [])):
                lp = f"{p}.locations[{li}]"
                if not keys(loc, "location", lp):
                    continue
                phys = loc.get("physicalLocation")
                if phys is None:
                    continue
                if not keys(phys, "physical", lp + ".physicalLocation"):
                    continue
                art = phys.get("artifactLocation")
                if art is None and "address" not in phys:
                    err(lp + ".physicalLocation", "needs artifactLocation or address")
                if art is not None and keys(art, "artifact", lp + ".physicalLocation.artifactLocation"):
                    if not (isinstance(art.get("uri"), str) and art["uri"]):
                        err(lp + ".physicalLocation.artifactLocation.uri", "required non-empty string")
                reg = phys.get("region")
                if reg is not None and keys(reg, "region", lp + ".physicalLocation.region"):
                    if "startLine" not in reg and "charOffset" not in reg and "byteOffset" not in reg:
                        err(lp + ".physicalLocation.region", "needs startLine (or an offset)")
                    for k in ("startLine", "startColumn", "endLine", "endColumn"):
                        if k in reg:
                            pos_int(reg[k], f"{lp}.physicalLocation.region.{k}")
    return errs


def self_test(good):
    """The validator must catch each of these breakages."""
    def broken(mutate):
        log = copy.deepcopy(good)
        mutate(log)
        return validate(log)
    run = lambda l: l["runs"][0]
    cases = {
        "version": lambda l: l.__setitem__("version", "2.0.0"),
        "schema": lambda l: l.pop("$schema"),
        "driver name": lambda l: run(l)["tool"]["driver"].pop("name"),
        "rule id": lambda l: run(l)["tool"]["driver"]["rules"][0].pop("id"),
        "message text": lambda l: run(l)["results"][0]["message"].pop("text"),
        "unknown ruleId": lambda l: run(l)["results"][0].__setitem__("ruleId", "FM999"),
        "level": lambda l: run(l)["results"][0].__setitem__("level", "fatal"),
        "startLine": lambda l: run(l)["results"][0]["locations"][0]["physicalLocation"]["region"].__setitem__("startLine", 0),
        "uri": lambda l: run(l)["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"].pop("uri"),
        "extra property": lambda l: run(l)["results"][0].__setitem__("severity", "error"),
    }
    missed = [name for name, m in cases.items() if not broken(m)]
    return missed


def main():
    flinkmem, tests = os.path.abspath(sys.argv[1]), sys.argv[2]
    env = {k: v for k, v in os.environ.items()
           if k not in ("FLINK_CONF_DIR", "FLINK_PROPERTIES", "FLINK_TM_HEAP", "FLINK_JM_HEAP")}
    runs = [
        ["-c", os.path.join(tests, "cases/data/traps.flink-conf.yaml"), "--flink-version", "1.20"],
        ["-c", os.path.join(tests, "cases/check_k8s_all_deployments/cr.yaml")],
        ["-c", os.path.join(tests, "cases/check_fm105_template_limit/cr.yaml")],
        ["-c", os.path.join(tests, "data/shipped/operator/basic.yaml")],
        ["-D", "taskmanager.memory.process.size=4096", "-D", "jobmanager.memory.process.size=1600m"],
    ]
    # Hostile input: escape sequences and bytes that are not UTF-8 in a
    # value, a key and the file name; and a file Flink cannot load (FM003).
    tmp = tempfile.mkdtemp()
    hostile = os.path.join(tmp, "ev\x1b[2Jil\x07-flink-conf.yaml")
    with open(hostile, "wb") as f:
        f.write(b"taskmanager.memory.process.size: 1g\x1b]52;c;aGk=\x07\n"
                b"taskmanager.memory.proces\x1b[8m.size: 2g\n"
                b"taskmanager.memory.managed.fraction: 0.4\xff\xfe\xc2\x9b\n")
    dup = os.path.join(tmp, "config.yaml")
    with open(dup, "w") as f:
        f.write("taskmanager.memory.process.size: 1g\ntaskmanager.memory.process.size: 2g\n")
    runs += [["-c", hostile, "--flink-version", "1.20"], ["-c", dup]]
    runs += [[os.path.join(tests, "cases/check_suppress/flink-conf.yaml"), "--flink-version", "1.20"],
             [os.path.join(tests, "cases/data/traps.flink-conf.yaml"),
              os.path.join(tests, "cases/check_k8s_all_deployments/cr.yaml"), "--flink-version", "1.20"]]
    schema_check = None
    schema_path = os.environ.get("FM_SARIF_SCHEMA")
    if schema_path and os.path.exists(schema_path):
        import jsonschema
        with open(schema_path) as f:
            schema = json.load(f)
        cls = jsonschema.validators.validator_for(schema)
        schema_check = cls(schema, format_checker=jsonschema.FormatChecker())
        print(f"validating against {schema_path}")
    else:
        print("FM_SARIF_SCHEMA not set: the structural checks only")
    failures = 0
    nresults = 0
    first_with_locations = None
    for args in runs:
        p = subprocess.run([flinkmem, "check", "--format", "sarif"] + args, env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        if p.returncode not in (0, 1):
            print(f"FAIL {args}: exit {p.returncode}: {p.stderr.strip()}")
            failures += 1
            continue
        try:
            # strict consumers: the bytes must be UTF-8, then JSON
            log = json.loads(p.stdout.decode("utf-8", errors="strict"))
        except (UnicodeDecodeError, json.JSONDecodeError) as e:
            print(f"FAIL {args}: not UTF-8 JSON: {e}")
            failures += 1
            continue
        errs = validate(log)
        if schema_check is not None:
            errs += [f"schema: {e.message[:200]} at {list(e.path)}" for e in schema_check.iter_errors(log)]
        for r in log["runs"][0].get("results", []):
            if not r.get("locations") and args[:1] != ["-D"]:
                errs.append(f"result {r.get('ruleId')} has no location")
        for e in errs:
            print(f"FAIL {args}: {e}")
        failures += bool(errs)
        results = log["runs"][0].get("results", [])
        nresults += len(results)
        if first_with_locations is None and any(r.get("locations") for r in results):
            first_with_locations = log
        # findings exist exactly when the run exits 1 or reports any
        if p.returncode == 1 and not results:
            print(f"FAIL {args}: exit 1 without results")
            failures += 1
    # FLINK_PROPERTIES and -D findings point at the checked file, never at
    # a pseudo-file URI; a default's finding (FM002 here) has a location too
    cfg = os.path.join(tmp, "config.yaml")
    with open(cfg, "w") as f:
        f.write("taskmanager.memory.process.size: 4g\n")
    penv = dict(env, FLINK_PROPERTIES="env.java.opts.taskmanager: -XX:+UseG1GC -Xss1m")
    p = subprocess.run([flinkmem, "check", "--format", "sarif", cfg, "--flink-version", "1.20",
                        "-D", "jobmanager.memory.process.size=2048"],
                       env=penv, cwd=tmp, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    res = json.loads(p.stdout)["runs"][0]["results"]
    uris = sorted({loc["physicalLocation"]["artifactLocation"]["uri"] for r in res for loc in r.get("locations", [])})
    rules = sorted(r["ruleId"] for r in res)
    if uris != ["config.yaml"] or not all(r.get("locations") for r in res) or "FM080" not in rules or "FM010" not in rules:
        print(f"FAIL: FLINK_PROPERTIES/-D findings: rules {rules}, uris {uris}")
        failures += 1
    if first_with_locations is None:
        print("FAIL: no run produced a located result to self-test with")
        failures += 1
    else:
        missed = self_test(first_with_locations)
        for m in missed:
            print(f"FAIL self-test: a log with a broken {m} passed validation")
        failures += len(missed)
    shutil.rmtree(tmp, ignore_errors=True)
    print(f"{len(runs)} SARIF logs, {nresults} results checked; {failures} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
