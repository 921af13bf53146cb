#!/usr/bin/env python3
"""Regenerates helm_cases.json: corner cases of Helm's values flags, each run through the real
Helm 4 (`helm template chart ARGS` with the conformance setflag chart, which has no values.yaml).

Usage: gen_helm_cases.py [HELM]   (default: the output of /work/shared/tools/reference-helm)

Each case records `args`, the `files` created in the working directory, and what Helm printed:
`values` (toJson .Values) and `kinds` (the Go kind of every leaf), or `error` (the whole message
after `Error: `). Expected values come only from Helm; edit the CASES list, never the JSON.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", "..", "..", ".."))
CHART = os.path.join(REPO, "testdata", "conformance", "setflag", "chart")

S, SS, SJ, SL, SF, F = "--set", "--set-string", "--set-json", "--set-literal", "--set-file", "-f"

# (id, args, files)
CASES = [
    # --set: silent stops (errors that wrap io.EOF)
    ("set-trailing-dot", [S, "a."], {}),
    ("set-index-without-value", [S, "a[0]"], {}),
    ("set-index-then-dot-at-end", [S, "a[0]."], {}),
    ("set-unclosed-nested-index", [S, "a[0][1=x"], {}),
    ("set-unclosed-index-in-list-map", [S, "a[0].b[0=x"], {}),
    ("set-unclosed-index-keeps-earlier-pairs", [S, "b=1,a[0=x"], {}),
    ("set-unclosed-index-after-scalar", [S, "a=x", S, "a[0=x"], {}),
    ("set-unclosed-index-replaces-non-map-in-place", [S, "a[1].x=1", S, "a[0].b[0=x"], {}),
    ("set-unclosed-index-nested-in-place", [S, "a[0][0]=1", S, "a[0][0].q[0=y"], {}),
    ("set-unclosed-index-nested-extension-lost", [S, "a[2][0].q[0=y"], {}),
    ("set-unclosed-index-nested-shared-extension-lost", [S, "a[0][0]=1", S, "a[0][3].q[0=y"], {}),
    # --set: errors
    ("set-leading-comma", [S, ",a=1"], {}),
    ("set-nil-then-map", [S, "a=null", S, "a.b=1"], {}),
    ("set-nil-then-index", [S, "a=null", S, "a[0]=1"], {}),
    ("set-string-then-index", [S, "a=x", S, "a[0]=y"], {}),
    ("set-map-then-index", [S, "a.b=1", S, "a[0]=1"], {}),
    ("set-bool-then-nested-index", [S, "a[0]=true", S, "a[0][0]=1"], {}),
    ("set-empty-index", [S, "a[]=1"], {}),
    ("set-index-out-of-int-range", [S, "a[9223372036854775808]=1"], {}),
    ("set-index-too-large", [S, "a[99999]=1"], {}),
    ("set-index-unicode", [S, "a[é]=1"], {}),
    ("set-index-trailing-unicode", [S, "a[0]xé\t=1"], {}),
    ("set-index-negative-nested", [S, "a[0][-2]=1"], {}),
    ("set-index-too-large-after-nested-error", [S, "a[70000].b[x]=1"], {}),
    ("set-key-unicode-no-value", [S, "clé\tx"], {}),
    ("set-key-trailing-backslash", [S, "a\\"], {}),
    ("set-list-unterminated-escape", [S, "a={x\\}"], {}),
    ("set-list-extra-brace", [S, "a={x}}"], {}),
    ("set-nested-31-under-list", [S, "x[0].a1.a2.a3.a4.a5.a6.a7.a8.a9.a10.a11.a12.a13.a14.a15.a16.a17.a18.a19.a20.a21.a22.a23.a24.a25.a26.a27.a28.a29.a30.a31=v"], {}),
    ("set-nested-32-under-list", [S, "x[0].a1.a2.a3.a4.a5.a6.a7.a8.a9.a10.a11.a12.a13.a14.a15.a16.a17.a18.a19.a20.a21.a22.a23.a24.a25.a26.a27.a28.a29.a30.a31.a32=v"], {}),
    ("set-nested-32-after-list-map", [S, "x.a1.a2.a3.a4.a5.a6.a7.a8.a9.a10.a11.a12.a13.a14.a15.a16.a17.a18.a19.a20.a21.a22.a23.a24.a25.a26.a27.a28.a29.a30[0].b=v"], {}),
    # --set: values
    ("set-typed-corners", [S, "a=falſe,b=-007,c=+0,d=-0,e=TRUE,f=nULl,g=+,h=-,i=1_000,j=٣"], {}),
    ("set-list-then-key-without-comma", [S, "a={x}y=1"], {}),
    ("set-list-trailing-comma", [S, "a={x},"], {}),
    ("set-list-empty-items", [S, "a={,}"], {}),
    ("set-list-typed-numbers", [S, "a={1,0,-1,007,null}"], {}),
    ("set-index-empty-braces", [S, "a[0]={}"], {}),
    ("set-index-empty-value", [S, "a[0]=,b=1"], {}),
    ("set-value-backslash-only", [S, "a=\\"], {}),
    ("set-value-double-equals", [S, "a==b"], {}),
    ("set-index-signs-and-zeros", [S, "a[+1]=x,b[01]=y,c[-0]=z"], {}),
    ("set-index-braces-in-value", [S, "a[1]={x,y},a[0]=z"], {}),
    ("set-nested-list-grows", [S, "a[0][0]=1", S, "a[0][2]=3"], {}),
    ("set-list-map-merge-in-place", [S, "a[1].x=1", S, "a[1].y=2,a[0].z=3"], {}),
    ("set-leading-dot-nested", [S, ".a.b=x,c=1"], {}),
    ("set-empty-key-index", [S, "[0]=x,c=1"], {}),
    # --set-string
    ("set-string-null-word", [SS, "a=null,b={},c[0].d=1,e=TRUE"], {}),
    ("set-string-error", [SS, "a"], {}),
    # --set-literal
    ("literal-index-no-escape", [SL, "a[0]=x,y\\z"], {}),
    ("literal-index-trailing-data", [SL, "a[0]x=1"], {}),
    ("literal-key-without-value", [SL, "a"], {}),
    ("literal-nested-key-without-value", [SL, "a.b"], {}),
    ("literal-comma-in-key", [SL, "a,b=1"], {}),
    ("literal-backslash-key", [SL, "a\\=b=c"], {}),
    ("literal-index-unicode", [SL, "a[é]=1"], {}),
    ("literal-unclosed-index", [SL, "a[1=x"], {}),
    ("literal-dot-then-equals", [SL, "a.b.=x"], {}),
    ("literal-over-scalar", [S, "a=1", SL, "a.b=x"], {}),
    ("literal-empty", [SL, ""], {}),
    ("literal-nested-list", [SL, "a[1][0].b=x=y"], {}),
    # --set-json
    ("json-scalar-then-key", [SJ, "a=1x=2"], {}),
    ("json-string-then-key", [SJ, 'a="s"b=2'], {}),
    ("json-values-back-to-back", [SJ, 'a=truex=[1]y={"q":1}z=3'], {}),
    ("json-leading-space", [SJ, "a= 1,b=\t[1]"], {}),
    ("json-leading-zero", [SJ, "a=01"], {}),
    ("json-number-dots", [SJ, "a=1.5.3"], {}),
    ("json-object-then-pair", [SJ, 'a={"x":1},b=2'], {}),
    ("json-spaces-before-comma", [SJ, "a=[1,2] , b=3"], {}),
    ("json-empty-values", [SJ, "a=,b=  ,c=1"], {}),
    ("json-index-empty-and-value", [SJ, "a[0]=,a[1]=2"], {}),
    ("json-index-then-key", [SJ, "a[0]=1x=2"], {}),
    ("json-unicode-escape", [SJ, 'a="\\u00e9\\n"'], {}),
    ("json-duplicate-keys", [SJ, 'a={"k":1,"k":2}'], {}),
    ("json-number-overflow", [SJ, "a=1e400"], {}),
    ("json-minus-only", [SJ, "a=-"], {}),
    ("json-escaped-key", [SJ, "a\\.b=1"], {}),
    ("json-nested-keys", [SJ, 'a.b=1,a.c="x"'], {}),
    ("json-object-leading-space", [SJ, ' {"a":1}'], {}),
    ("json-object-unicode-space", [SJ, '\u00a0{"a":1}\u2003'], {}),
    ("json-object-trailing-garbage", [SJ, '{"a":1} x'], {}),
    ("json-object-unterminated", [SJ, ' {"a":1'], {}),
    ("json-object-empty", [SJ, "{}"], {}),
    ("json-object-deep-merge", [SJ, '{"a":{"b":1}}', SJ, '{"a":{"c":2}}', SJ, "a.d=3"], {}),
    ("json-object-replaces-scalar", [SJ, "a=1", SJ, '{"a":{"c":1}}'], {}),
    ("json-object-scalar-replaces-map", [SJ, 'a={"x":1}', SJ, '{"a":2}'], {}),
    ("json-object-null-then-map", [SJ, '{"a":null}', SJ, '{"a":{"x":1}}'], {}),
    ("json-object-number-overflow", [SJ, '{"a":1e400}'], {}),
    ("json-blank", [SJ, "  "], {}),
    ("json-empty", [SJ, ""], {}),
    ("json-string-root", [SJ, '"str"'], {}),
    ("json-null-root", [SJ, "null"], {}),
    ("json-over-set-json-list-map", [SJ, 'a=[{"n":1}]', S, "a[0][0]=2"], {}),
    # -f and --set-file sources
    ("values-files-null-then-map", [F, "a.yaml", F, "b.yaml", F, "c.yaml"],
     {"a.yaml": "a: {x: 1}\n", "b.yaml": "a: null\n", "c.yaml": "a: {k: 1}\n"}),
    ("values-file-url-escape", [F, "x%zz.yaml"], {"x%zz.yaml": "x: 1\n"}),
    ("values-file-missing-scheme", [F, ":x.yaml"], {}),
    ("values-file-scheme-like-name", [F, "a:b.yaml"], {"a:b.yaml": "x: 1\n"}),
    ("values-file-colon-in-first-segment", [F, "cache_object:foo/bar"], {}),
    ("values-file-control-character", [F, "a\x01.yaml"], {}),
    ("values-file-bad-port", [F, "//h:x/a.yaml"], {}),
    ("values-file-bad-userinfo", [F, "//u ser@h/a.yaml"], {}),
    ("values-file-missing-bracket", [F, "//[::1/a.yaml"], {}),
    ("values-file-bad-host-escape", [F, "//h%zz/a.yaml"], {}),
    ("values-file-bad-host-char", [F, "//h^/a.yaml"], {}),
    ("values-file-bad-fragment", [F, "a.yaml#%zz"], {}),
    ("values-file-cut-escape", [F, "%aé.yaml"], {}),
    ("values-file-query-not-checked", [F, "a.yaml?%zz"], {}),
    ("values-file-star", [F, "*"], {}),
    ("values-file-invalid-utf8-trailing", [F, "u.yaml"], {"u.yaml": b"a: 1\nb: 2\nc: \xc3\x28\n"}),
    ("values-file-control-before-invalid", [F, "u.yaml"], {"u.yaml": b"a: 1\nb: \x01\nc: \xff\n"}),
    ("values-file-invalid-utf8-at-end", [F, "u.yaml"], {"u.yaml": b"a: \xe2\x82"}),
    ("values-file-overlong-utf8", [F, "u.yaml"], {"u.yaml": b"a: \xc0\x80\n"}),
    ("values-file-surrogate-utf8", [F, "u.yaml"], {"u.yaml": b"a: \xed\xa0\x80\n"}),
    ("values-file-earlier-document-error-wins", [F, "u.yaml"], {"u.yaml": b"a: b: c\n---\nc: \xff\n"}),
    ("values-file-invalid-second-document", [F, "u.yaml"], {"u.yaml": b"a: b\n---\nc: \xff\n"}),
    ("values-file-bom", [F, "u.yaml"], {"u.yaml": b"\xef\xbb\xbfa: 1\n"}),
    ("values-file-crlf", [F, "u.yaml"], {"u.yaml": b"a: 1\r\nb: x\r\n"}),
    ("values-file-list-root", [F, "u.yaml"], {"u.yaml": "- x\n"}),
    ("values-file-invalid-after-commented-separator", [F, "u.yaml"], {"u.yaml": b"a: 1\n--- # two\nb: \xff\n"}),
    ("values-file-comma-list", [F, "a.yaml,b.yaml"], {"a.yaml": "a: 1\n", "b.yaml": "a: 2\nb: 2\n"}),
    ("set-file-list-of-files", [SF, "a={one.txt,two.txt}"], {"one.txt": "1", "two.txt": "2"}),
    ("set-file-index", [SF, "a[0]=one.txt"], {"one.txt": "1"}),
    ("set-file-empty-value", [SF, "a="], {}),
    ("set-file-escaped-path", [SF, "a\\,b=my\\,file.txt"], {"my,file.txt": "x"}),
    ("set-file-empty-braces", [SF, "a={}"], {}),
    ("set-file-url-escape", [SF, "a=x%zz.txt"], {}),
    ("set-file-invalid-utf8", [SF, "a=bad.txt"], {"bad.txt": b"f\xffoo\xf0\x90\x80!"}),
    ("set-file-missing-in-list", [SF, "a={one.txt,nope.txt}"], {"one.txt": "1"}),
    ("set-file-index-too-large-reads-first", [SF, "a[70000]=nope.txt"], {}),
    ("set-file-key-without-value", [SF, "a"], {}),
]


def run(helm, args, files):
    work = tempfile.mkdtemp(prefix="overrides-")
    try:
        shutil.copytree(CHART, os.path.join(work, "chart"))
        for name, content in files.items():
            data = content.encode() if isinstance(content, str) else content
            with open(os.path.join(work, name), "wb") as f:
                f.write(data)
        env = dict(os.environ, TZ="UTC", LC_ALL="C", HELM_CACHE_HOME=os.path.join(work, ".c"),
                   HELM_CONFIG_HOME=os.path.join(work, ".c"), HELM_DATA_HOME=os.path.join(work, ".c"))
        p = subprocess.run([helm, "template", "chart"] + args, cwd=work, env=env,
                           capture_output=True, stdin=subprocess.DEVNULL)
        out, err = p.stdout.decode(), p.stderr.decode()
        if p.returncode != 0:
            lines = [l for l in err.splitlines() if l.strip()]
            return {"error": lines[-1].removeprefix("Error: ")}
        result = {}
        for line in out.splitlines():
            if line.startswith("values: "):
                result["values"] = line.removeprefix("values: ")
            elif line.startswith("kinds: "):
                result["kinds"] = json.loads(line.removeprefix("kinds: "))
        return result
    finally:
        shutil.rmtree(work)


def main():
    helm = sys.argv[1] if len(sys.argv) > 1 else subprocess.run(
        ["/work/shared/tools/reference-helm"], capture_output=True, text=True, check=True).stdout.strip()
    cases = []
    for case_id, args, files in CASES:
        entry = {"id": case_id, "args": args}
        if files:
            # Non-UTF-8 contents are stored as lists of bytes.
            entry["files"] = {k: (v if isinstance(v, str) else list(v)) for k, v in files.items()}
        entry["expected"] = run(helm, args, files)
        cases.append(entry)
    with open(os.path.join(HERE, "helm_cases.json"), "w") as f:
        json.dump(cases, f, indent=1, ensure_ascii=False)
        f.write("\n")


if __name__ == "__main__":
    main()
