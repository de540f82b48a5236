#!/usr/bin/env python3
"""Lists the operations of the registry's OpenAPI document.

Prints one line per operation, `METHOD /path/template operationId`, sorted,
for comparison with the server's route table.

Two readers of the YAML, both standard library only:
  - `redocly`: runs `tools/node_modules/.bin/redocly bundle --ext json` (a real
    YAML parser) and reads its JSON;
  - `minimal`: a small indentation-based reader of the `paths:` block, enough
    for the document's block style (no flow mappings, no `$ref` path items).
`auto` (the default) uses `redocly` when it is installed, else `minimal`.
`--check` runs both and fails if they disagree.

Exit status: 0 on success; 1 if an operation lacks an operationId, an
operationId repeats, or (with --check) the readers disagree; 2 on usage or
I/O errors.
"""

import argparse
import json
import os
import re
import subprocess
import sys

METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
DEFAULT_SPEC = os.path.join(ROOT, "docs", "openapi.yaml")
REDOCLY = os.path.join(ROOT, "tools", "node_modules", ".bin", "redocly")


class SpecError(Exception):
    pass


def operations_from_document(doc):
    """(method, path, operationId) triples from a parsed OpenAPI document."""
    ops = []
    for path, item in (doc.get("paths") or {}).items():
        for method in METHODS:
            if method in item:
                ops.append((method.upper(), path, item[method].get("operationId")))
    return ops


def read_with_redocly(spec):
    env = dict(os.environ, REDOCLY_TELEMETRY="off", REDOCLY_SUPPRESS_UPDATE_NOTICE="true")
    proc = subprocess.run(
        [REDOCLY, "bundle", spec, "--ext", "json"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, check=False)
    if proc.returncode != 0:
        raise SpecError("redocly bundle failed:\n" + proc.stderr.decode(errors="replace"))
    try:
        doc = json.loads(proc.stdout.decode("utf-8"))
    except ValueError as err:
        raise SpecError(f"redocly bundle gave no JSON: {err}") from err
    return operations_from_document(doc)


_KEY = re.compile(r"""^(?P<key>'[^']*'|"[^"]*"|[^\s#'"][^:#]*?)\s*:(?:\s+(?P<value>.*?))?\s*$""")
_BLOCK_SCALAR = re.compile(r"^[|>][-+0-9]*(\s+#.*)?$")


def _unquote(text):
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        return text[1:-1]
    return text


def _strip_comment(value):
    if value is None or value[:1] in "'\"":
        return value
    return re.sub(r"\s+#.*$", "", value)


def read_minimal(spec):
    """Reads the paths block line by line, tracking indentation."""
    with open(spec, encoding="utf-8") as f:
        lines = f.read().splitlines()
    ops = []
    in_paths = False
    path_indent = method_indent = None
    path = method = None
    field_indent = None
    block_indent = None  # indentation of a key whose block scalar is being skipped
    for number, raw in enumerate(lines, start=1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        indent = len(raw) - len(raw.lstrip(" "))
        if block_indent is not None:
            if indent > block_indent:
                continue
            block_indent = None
        match = _KEY.match(raw.strip())
        if indent == 0:
            in_paths = bool(match) and match.group("key") == "paths"
            path_indent = None
            continue
        if not in_paths or not match:
            continue
        key = _unquote(match.group("key"))
        value = _strip_comment(match.group("value"))
        if value is not None and _BLOCK_SCALAR.match(value):
            block_indent = indent
        if path_indent is None:
            path_indent = indent
        if indent == path_indent:
            if not key.startswith("/"):
                raise SpecError(f"line {number}: expected a path, got {key!r}")
            path, method, method_indent = key, None, None
            continue
        if indent < path_indent:
            raise SpecError(f"line {number}: unexpected indentation")
        if method_indent is None:
            method_indent = indent
        if indent == method_indent:
            method = key if key in METHODS else None
            field_indent = None
            if method:
                ops.append([method.upper(), path, None])
            continue
        if method is None:
            continue
        if field_indent is None:
            field_indent = indent
        if indent == field_indent and key == "operationId":
            ops[-1][2] = _unquote(value or "") or None
    return [tuple(op) for op in ops]


def validate(ops):
    problems = []
    seen = {}
    for method, path, op_id in ops:
        if not op_id:
            problems.append(f"{method} {path} has no operationId")
        elif op_id in seen:
            problems.append(f"operationId {op_id} repeats ({seen[op_id]} and {method} {path})")
        else:
            seen[op_id] = f"{method} {path}"
    return problems


def format_lines(ops):
    return sorted(f"{method} {path} {op_id}" for method, path, op_id in ops)


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("spec", nargs="?", default=DEFAULT_SPEC, help="OpenAPI YAML (default: docs/openapi.yaml)")
    parser.add_argument("--parser", choices=("auto", "redocly", "minimal"), default="auto")
    parser.add_argument("--check", action="store_true", help="run both readers and compare them")
    args = parser.parse_args(argv)

    try:
        if args.check:
            minimal = format_lines(read_minimal(args.spec))
            full = format_lines(read_with_redocly(args.spec))
            if minimal != full:
                sys.stderr.write("the readers disagree:\n")
                for line in sorted(set(minimal) ^ set(full)):
                    where = "minimal only" if line in minimal else "redocly only"
                    sys.stderr.write(f"  {where}: {line}\n")
                return 1
            ops = read_minimal(args.spec)
        elif args.parser == "redocly" or (args.parser == "auto" and os.access(REDOCLY, os.X_OK)):
            ops = read_with_redocly(args.spec)
        else:
            ops = read_minimal(args.spec)
    except (OSError, SpecError) as err:
        sys.stderr.write(f"list_operations: {err}\n")
        return 2

    problems = validate(ops)
    if problems:
        sys.stderr.write("\n".join(problems) + "\n")
        return 1
    if not ops:
        sys.stderr.write("list_operations: no operations found\n")
        return 1
    sys.stdout.write("".join(line + "\n" for line in format_lines(ops)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
