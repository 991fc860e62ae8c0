#!/usr/bin/env python3
"""docs/study-spec.md lists exactly the keys the study spec parser accepts.

The keys accepted are read from the parser's own lists: each
`READER.CheckKeys({...})` in src/tune/spec.cc, the table it checks named by
`TableReader READER(..., "TABLE")`, and the request mix's `known` set in
src/loadgen/request.cc. The documented ones are the first-column
`key` of each table row under a heading that names a table (`[target]`,
`[[factor]]`, `[[request]]`, "Top level"). A key the parser accepts that the
doc does not list fails, and so does a documented key the parser refuses.

Usage: spec_doc_test.py SOURCE_DIR
"""
import re
import sys


def parser_keys(src):
    spec = open(f"{src}/src/tune/spec.cc").read()
    tables = dict(re.findall(r'TableReader (\w+)\([^;]*?"([^"]+)"\);', spec))
    keys = set()
    for reader, names in re.findall(r"(\w+)\.CheckKeys\(\{([^}]*)\}\)", spec):
        table = tables.get(reader)
        if table is None:
            sys.exit(f"spec_doc_test: spec.cc: CheckKeys on {reader}, whose table this test cannot name")
        for key in re.findall(r'"(\w+)"', names):
            keys.add((table, key))
    request = open(f"{src}/src/loadgen/request.cc").read()
    known = re.search(r"known = \{([^}]*)\}", request)
    if not known or not tables:
        sys.exit("spec_doc_test: the parsers' key lists were not found (did their shape change?)")
    keys |= {("request", k) for k in re.findall(r'"(\w+)"', known.group(1))}
    return keys


# The doc's headings, mapped to the parser's names for the tables.
HEADINGS = {"Top level": "the spec"}


def doc_keys(src):
    keys, table = set(), None
    for line in open(f"{src}/docs/study-spec.md"):
        heading = re.match(r"#+ (.*)", line)
        if heading:
            text = heading.group(1).strip()
            named = re.search(r"\[\[?(\w+)\]\]?", text)
            table = HEADINGS.get(text) or (named.group(1) if named else None)
            continue
        row = re.match(r"\| `(\w+)` \|", line)
        if row and table:
            keys.add((table, row.group(1)))
    return keys


def example_matches(src):
    """The doc's example is workloads/paygate/study.toml (its comments aside),
    which the README test runs, so the example is a spec that works."""
    doc = open(f"{src}/docs/study-spec.md").read()
    example = re.search(r"```toml\n(.*?)```", doc, re.S)
    study = open(f"{src}/workloads/paygate/study.toml").read()
    lines = [l for l in study.splitlines(keepends=True) if not l.startswith("#")]
    return example is not None and example.group(1) == "".join(lines)


def main():
    src = sys.argv[1]
    accepted, documented = parser_keys(src), doc_keys(src)
    fail = False
    if not example_matches(src):
        print("docs/study-spec.md: the example is not workloads/paygate/study.toml (without its comments)")
        fail = True
    for table, key in sorted(accepted - documented):
        print(f"docs/study-spec.md: [{table}] {key} is accepted by the parser but not documented")
        fail = True
    for table, key in sorted(documented - accepted):
        print(f"docs/study-spec.md: [{table}] {key} is documented but the parser does not accept it")
        fail = True
    if fail:
        sys.exit(1)
    print(f"spec_doc_test: {len(accepted)} keys, all documented")


main()
