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


def parser_ranges(src):
    """(table, key) -> the range the parser checks, as the doc must write it:
    `integer LO..HI` (`integer >= LO` up to INT64_MAX) for each
    `READER.Int("key", LO, HI, ...)`, `number LO..HI` for each number
    refused with "must be a number LO..HI"."""
    spec = open(f"{src}/src/tune/spec.cc").read()
    tables = dict(re.findall(r'TableReader (\w+)\([^;]*?"([^"]+)"\);', spec))
    ranges = {}
    for reader, key, lo, hi in re.findall(r'(\w+)\.Int\("(\w+)", (\w+), (\w+),', spec):
        text = f"integer >= {lo}" if hi == "INT64_MAX" else f"integer {lo}..{hi}"
        ranges[(tables[reader], key)] = text
    for reader, key, lo, hi in re.findall(r'(\w+)\.Err\([^,]*, "(\w+)", "must be a number ([0-9.]+)\.\.([0-9.]+)"\)', spec):
        ranges[(tables[reader], key)] = f"number {lo}..{hi}"
    return ranges


def doc_types(src):
    """(table, key) -> the type column of its row in docs/study-spec.md."""
    types, table = {}, None
    for line in open(f"{src}/docs/study-spec.md"):
        heading = re.match(r"#+ (.*)", line)
        if heading:
            text = heading.group(1).strip()
            named = re.search(r"\[\[?(\w+)\]\]?", text)
            table = HEADINGS.get(text) or (named.group(1) if named else None)
            continue
        row = re.match(r"\| `(\w+)` \| ([^|]*) \|", line)
        if row and table:
            types[(table, row.group(1))] = row.group(2).strip()
    return types


def exit_status_matches(src):
    """The exit status the doc gives a refused spec is the one the
    tune_unknown_key whole-program case expects (tests/CMakeLists.txt)."""
    doc = " ".join(open(f"{src}/docs/study-spec.md").read().split())
    said = re.search(r"is refused with [^.]*?exit status (\d)", doc)
    case = re.search(r"cli_case\(tune_unknown_key (\d) ", open(f"{src}/tests/CMakeLists.txt").read())
    if not said or not case:
        sys.exit("spec_doc_test: the doc's exit status or the tune_unknown_key case was not found")
    if said.group(1) != case.group(1):
        print(f"docs/study-spec.md: a refused spec is said to exit {said.group(1)}; gcpilot exits {case.group(1)}")
        return False
    return True


def main():
    src = sys.argv[1]
    accepted, documented = parser_keys(src), doc_keys(src)
    fail = not exit_status_matches(src)
    types = doc_types(src)
    for (table, key), want in sorted(parser_ranges(src).items()):
        if want not in types.get((table, key), ""):
            print(f"docs/study-spec.md: [{table}] {key} is documented as \"{types.get((table, key))}\"; "
                  f"the parser checks {want}")
            fail = True
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
    print(f"spec_doc_test: {len(accepted)} keys, all documented, their ranges as the parser checks them")


main()
