#!/usr/bin/env python3
"""Re-derives helm-cases.jsonl (next to this script) from the reference Helm.

Usage: generate-cases.py [HELM]   (default: `/work/shared/tools/reference-helm` prints its path)

Reads the templates from helm-cases.jsonl (the "template" field of each line), renders each
one with real Helm (`TZ=UTC LC_ALL=C helm template --debug`, with a sibling template whose
output is invalid YAML so that Helm prints every rendered file raw), and rewrites the file
with the exact output or the error message (the conformance suite's rule: the last line,
after the last `>: ` of a raw Go error chain). All templates share the values in VALUES.
"""
import json, os, re, shutil, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
CASES = os.path.join(HERE, "helm-cases.jsonl")
VALUES = open(os.path.join(HERE, "helm-cases-values.yaml")).read()
SENTINEL = "<<<END>>>"


def helm_binary():
    if len(sys.argv) > 1:
        return sys.argv[1]
    return subprocess.check_output(["/work/shared/tools/reference-helm"]).decode().strip()


def render(helm, templates):
    work = tempfile.mkdtemp()
    chart = os.path.join(work, "c")
    os.makedirs(os.path.join(chart, "templates"))
    with open(os.path.join(chart, "Chart.yaml"), "w") as f:
        f.write("apiVersion: v2\nname: c\nversion: 0.1.0\n")
    with open(os.path.join(chart, "values.yaml"), "w") as f:
        f.write(VALUES)
    for i, t in templates:
        with open(os.path.join(chart, "templates", "t%04d.yaml" % i), "w") as f:
            f.write(t + SENTINEL)
    with open(os.path.join(chart, "templates", "zz.yaml"), "w") as f:
        f.write("a: b: c\n")
    env = dict(os.environ, TZ="UTC", LC_ALL="C")
    p = subprocess.run([helm, "template", "x", chart, "--debug"], capture_output=True, text=True, env=env)
    shutil.rmtree(work)
    return p.stdout + p.stderr


def extract(out, i):
    m = re.search(r"# Source: c/templates/t%04d\.yaml\n(.*?)%s" % (i, re.escape(SENTINEL)), out, re.S)
    return m.group(1) if m else None


def error_of(out):
    lines = [l for l in out.splitlines() if l.strip() and not l.startswith("level=")]
    if not lines:
        return "(no output: helm crashed)"
    last = lines[-1].strip()
    last = re.sub(r"^Error: ", "", last)
    last = re.sub(r"^execution error at \([^)]*\): ", "", last)
    if last.startswith("template: ") or "error calling" in last:
        last = last.rsplit(">: ", 1)[-1]
    return last


def main():
    helm = helm_binary()
    cases = [json.loads(l) for l in open(CASES) if l.strip()]
    out = render(helm, list(enumerate(c["template"] for c in cases)))
    for i, case in enumerate(cases):
        case.pop("output", None)
        case.pop("error", None)
        got = extract(out, i)
        if got is None:
            alone = render(helm, [(i, case["template"])])
            got = extract(alone, i)
            if got is None:
                case["error"] = error_of(alone)
                continue
        case["output"] = got
    with open(CASES, "w") as f:
        for case in cases:
            f.write(json.dumps(case) + "\n")


main()
