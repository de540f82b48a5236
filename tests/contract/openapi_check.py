"""Checks HTTP answers against the responses of an OpenAPI 3.1 document.

`Contract(spec_path)` loads the document; `Contract.check(method, path, status,
headers, body)` returns the list of ways one answer disagrees with it:

  - the path (matched against the document's templates) and method have an
    operation, or, for 404 and 405, the answer is a problem as documented;
  - the status is listed under the operation's `responses` (or `default`);
  - the media type is one the response lists, and a JSON body validates
    against its schema (JSON Schema 2020-12, with `format` checked for
    date, date-time, uuid and email);
  - the headers the response documents are present where the conventions
    make them mandatory (ETag, Location, Allow, WWW-Authenticate, Retry-After,
    X-Request-Id), and every documented header present matches its schema.

Needs Debian's python3-yaml and python3-jsonschema (run with /usr/bin/python3).
"""

import datetime
import json
import re
import uuid

import jsonschema
import yaml

METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
# Documented headers that must be present whenever a response documents them.
MANDATORY_HEADERS = {"etag", "location", "allow", "www-authenticate", "retry-after", "x-request-id"}

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")

FORMATS = jsonschema.FormatChecker(formats=())


@FORMATS.checks("date")
def _is_date(value):
    if not isinstance(value, str):
        return True
    if not _DATE.match(value):
        return False
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return False
    return True


@FORMATS.checks("date-time")
def _is_date_time(value):
    if not isinstance(value, str):
        return True
    if not _DATE_TIME.match(value):
        return False
    try:
        datetime.date.fromisoformat(value[:10])
    except ValueError:
        return False
    return True


@FORMATS.checks("uuid")
def _is_uuid(value):
    if not isinstance(value, str):
        return True
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return len(value) == 36


@FORMATS.checks("email")
def _is_email(value):
    return not isinstance(value, str) or ("@" in value and not value.startswith("@"))


def _load_yaml(path):
    # Dates in the document must stay strings: read timestamps as text.
    class Loader(yaml.SafeLoader):
        pass

    Loader.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node))
    with open(path, encoding="utf-8") as f:
        return yaml.load(f, Loader=Loader)  # noqa: S506 (SafeLoader subclass)


class Contract:
    def __init__(self, spec_path):
        self.doc = _load_yaml(spec_path)
        self.resolver = jsonschema.RefResolver(base_uri="", referrer=self.doc)
        self.templates = []
        for template, item in (self.doc.get("paths") or {}).items():
            parts = template.strip("/").split("/")
            pattern = "^/" + "/".join("[^/]+" if p.startswith("{") else re.escape(p) for p in parts) + "$"
            literal = sum(1 for p in parts if not p.startswith("{"))
            self.templates.append((re.compile(pattern), -literal, template, item))
        # The most literal template first, as the server's router prefers it.
        self.templates.sort(key=lambda t: t[1])

    def deref(self, node):
        while isinstance(node, dict) and "$ref" in node:
            _, node = self.resolver.resolve(node["$ref"])
        return node

    def match(self, path):
        """(template, path item) for a request path, or (None, None)."""
        for pattern, _, template, item in self.templates:
            if pattern.match(path):
                return template, item
        return None, None

    def operations(self):
        for template, item in (self.doc.get("paths") or {}).items():
            for method in METHODS:
                if method in item:
                    yield method.upper(), template, item[method]

    def validate_value(self, schema, value):
        validator = jsonschema.Draft202012Validator(schema, resolver=self.resolver, format_checker=FORMATS)
        return [f"{'/'.join(str(p) for p in e.absolute_path) or '(root)'}: {e.message}"
                for e in sorted(validator.iter_errors(value), key=lambda e: list(e.absolute_path))]

    def check(self, method, path, status, headers, body):
        """The ways one answer disagrees with the document ([] when it agrees)."""
        headers = {k.lower(): v for k, v in headers}
        template, item = self.match(path.split("?", 1)[0])
        if item is None:
            if status != 404:
                return [f"no documented path matches, yet the answer is {status}"]
            return self._check_problem(headers, body, status)
        operation = item.get(method.lower())
        if operation is None and method == "HEAD":
            operation = item.get("get")
        if operation is None:
            if status != 405:
                return [f"{method} is not documented for {template}, yet the answer is {status}"]
            documented = [item[m]["responses"]["405"] for m in METHODS
                          if m in item and "405" in item[m].get("responses", {})]
            if not documented:
                return [f"405 is not documented for any operation of {template}"]
            return self._check_response(self.deref(documented[0]), headers, body, status)
        responses = operation.get("responses", {})
        response = responses.get(str(status)) or responses.get(f"{str(status)[0]}XX") or responses.get("default")
        if response is None:
            return [f"status {status} is not documented for {operation.get('operationId')}"]
        return self._check_response(self.deref(response), headers, body, status)

    def _check_problem(self, headers, body, status):
        problems = []
        if headers.get("content-type", "").split(";")[0].strip() != "application/problem+json":
            problems.append(f"a {status} answer is not application/problem+json")
        try:
            value = json.loads(body)
        except ValueError:
            return problems + ["the problem body is not JSON"]
        problems += self.validate_value({"$ref": "#/components/schemas/Problem"}, value)
        return problems

    def _check_response(self, response, headers, body, status):
        problems = []
        for name, header in (response.get("headers") or {}).items():
            header = self.deref(header)
            value = headers.get(name.lower())
            if value is None:
                if name.lower() in MANDATORY_HEADERS or header.get("required"):
                    problems.append(f"header {name} is documented but missing")
                continue
            schema = self.deref(header.get("schema") or {})
            if schema.get("type") == "integer":
                try:
                    value = int(value)
                except ValueError:
                    problems.append(f"header {name}: {value!r} is not an integer")
                    continue
            problems += [f"header {name}: {p}" for p in self.validate_value(schema, value)]
        content = response.get("content") or {}
        media = headers.get("content-type", "").split(";")[0].strip().lower()
        if not content:
            if body:
                problems.append(f"status {status} documents no body, yet one came ({media})")
            return problems
        if media not in content:
            return problems + [f"media type {media!r} is not documented (documented: {sorted(content)})"]
        schema = content[media].get("schema")
        if schema is None:
            return problems
        if media == "application/x-ndjson":
            # One JSON object per line; the document describes the body as text.
            # Lines end with '\n' only (str.splitlines() would also split at
            # U+2028 and the like, which JSON strings may hold raw).
            value = body.decode("utf-8", errors="replace") if isinstance(body, bytes) else body
            lines = value.split("\n")
            if lines[-1] == "":
                lines.pop()
            for number, line in enumerate(lines, start=1):
                try:
                    if not isinstance(json.loads(line), dict):
                        return problems + [f"NDJSON line {number} is not a JSON object"]
                except ValueError as err:
                    return problems + [f"NDJSON line {number} is not JSON: {err}"]
        elif media.endswith("json"):
            try:
                value = json.loads(body)
            except ValueError as err:
                return problems + [f"the body is not JSON: {err}"]
        else:
            value = body.decode("utf-8", errors="replace") if isinstance(body, bytes) else body
        problems += self.validate_value(schema, value)
        return problems
