#!/usr/bin/env python3
"""The demo data's facts against the bulletin they come from.

Usage: demo_facts_test.py DEMO_DIR BULLETIN

DEMO_DIR holds facts.json, illustrative.json and bulletin-facts.tsv (one row
per statement of the bulletin: id, kind, scope, status, value, quote, note;
demo/README.md explains the columns). BULLETIN is the bulletin's text
(shared/bulletin-2024-sv.txt beside the repository).

Checks:
  (a) every quote occurs in the bulletin (whitespace-normalised); skipped,
      saying so, when the bulletin's file is absent;
  (b) every request of facts.json names the rows it states ("facts"), each
      such row has status `record`, its scope matches the request's network
      and its `key=value` pairs match the request's body; every `record` row
      is stated by some request (a scope `all` row by a request of every
      network, `spring` by every network that met in spring 2024); `pending`
      and `not_recorded` rows by none; `derived` rows hold for facts.json;
  (c) facts.json gives months, not days, and no founding date, attendance
      (a meeting held says "attendee_count": null),
      delivered training, member or meeting-format wish; every notes,
      summary and reason text of illustrative.json begins "Illustrative:" and
      no text of facts.json does; every "$ref:" resolves (facts.json alone,
      and facts.json then illustrative.json).
Exit 0 when every check passes, 1 otherwise (each failure printed).
"""
import csv
import json
import os
import re
import sys

COLUMNS = ["id", "kind", "scope", "status", "value", "quote", "note"]
STATUSES = {"record", "pending", "derived", "not_recorded"}
# The built-in theme families (domain/taxonomy_builtin.cc, kBuiltinFamilies).
FAMILY = {"labour_exploitation": "forced_labour"}
MONTH = re.compile(r"^[0-9]{4}-(0[1-9]|1[0-2])$")
DATE_KEYS = {"established_on", "joined_on", "left_on", "scheduled_for", "held_on", "observed_on",
             "requested_on", "delivered_on", "effective_on", "recorded_on"}
MARKER = "Illustrative:"

failures = []


def fail(message):
    failures.append(message)
    print("FAIL: " + message)


def read_rows(path):
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(reader)
        if header != COLUMNS:
            fail("%s: header %s, expected %s" % (path, header, COLUMNS))
            return {}
        rows = {}
        for n, cells in enumerate(reader, start=2):
            if len(cells) != len(COLUMNS):
                fail("%s line %d: %d columns" % (path, n, len(cells)))
                continue
            row = dict(zip(COLUMNS, cells))
            if row["id"] in rows:
                fail("row %s twice" % row["id"])
            if row["status"] not in STATUSES:
                fail("row %s: status %r" % (row["id"], row["status"]))
            if not row["quote"].strip():
                fail("row %s has no quote" % row["id"])
            rows[row["id"]] = row
        return rows


def pairs(value):
    out = []
    for part in value.split(";"):
        part = part.strip()
        if part:
            key, sep, val = part.partition("=")
            if not sep:
                fail("value part %r is not key=value" % part)
            out.append((key.strip(), val.strip()))
    return out


def lookup(body, dotted):
    node = body
    for key in dotted.split("."):
        if not isinstance(node, dict) or key not in node:
            return None
        node = node[key]
    return node


def matches(found, expected):
    if expected == "":
        return found is None
    if isinstance(found, list):
        return [str(x) for x in found] == expected.split(",")
    return found is not None and str(found) == expected


# The network a meeting saved under a name belongs to (filled as requests are
# read: a meeting is scheduled before it is recorded).
MEETING_NETWORK = {}


def network_of(request):
    path = request["path"]
    if path == "/v1/networks":
        return request.get("body", {}).get("id")
    if path == "/v1/observations":
        return "national"
    m = re.match(r"^/v1/networks/([^/]+)/", path)
    if m:
        if path.endswith("/meetings") and "save_as" in request:
            MEETING_NETWORK[request["save_as"]] = m.group(1)
        return m.group(1)
    m = re.match(r"^/v1/meetings/\$ref:([^/]+)/", path)
    return MEETING_NETWORK.get(m.group(1)) if m else None


def walk_strings(node, key=None):
    if isinstance(node, dict):
        for k, v in node.items():
            yield from walk_strings(v, k)
    elif isinstance(node, list):
        for v in node:
            yield from walk_strings(v, key)
    elif isinstance(node, str):
        yield key, node


def walk_keys(node):
    if isinstance(node, dict):
        for k, v in node.items():
            yield k, v
            yield from walk_keys(v)
    elif isinstance(node, list):
        for v in node:
            yield from walk_keys(v)


def check_refs(requests, saved, name):
    for i, request in enumerate(requests):
        texts = [s for _, s in walk_strings(request.get("body"))] + request["path"].split("/")
        for text in texts:
            if text.startswith("$ref:") and text[len("$ref:"):] not in saved:
                fail("%s request %d: %s is not saved before" % (name, i, text))
        if "save_as" in request:
            saved.add(request["save_as"])


def check_quotes(rows, bulletin_path):
    if not os.path.exists(bulletin_path):
        print("SKIP (a): %s is absent; the quotes are not compared with the bulletin" %
              bulletin_path)
        return
    text = " ".join(open(bulletin_path, encoding="utf-8").read().split())
    for row in rows.values():
        if " ".join(row["quote"].split()) not in text:
            fail("row %s: the quote is not in the bulletin: %r" % (row["id"], row["quote"]))
    print("(a) %d quotes found in %s" % (len(rows), bulletin_path))


def check_backing(rows, facts):
    networks = [r["body"]["id"] for r in facts if r["path"] == "/v1/networks"]
    spring = sorted({network_of(r) for r in facts if r["path"].endswith("/meetings")
                     and r["body"].get("scheduled_for") in ("2024-04", "2024-05")})
    stated = {row_id: set() for row_id in rows}
    for i, request in enumerate(facts):
        cites = request.get("facts")
        if not isinstance(cites, list) or not cites:
            fail("facts.json request %d (%s) names no row of the table" % (i, request["path"]))
            continue
        network = network_of(request)
        body = request.get("body") or {}
        for row_id in cites:
            row = rows.get(row_id)
            if row is None:
                fail("facts.json request %d names the unknown row %s" % (i, row_id))
                continue
            if row["status"] != "record":
                fail("facts.json request %d states row %s, whose status is %s" %
                     (i, row_id, row["status"]))
            scope = row["scope"]
            if scope not in ("all", "spring") and scope != network:
                fail("facts.json request %d (%s) states row %s of scope %s" %
                     (i, network, row_id, scope))
            if scope == "spring" and network not in spring:
                fail("facts.json request %d: %s did not meet in spring 2024 (row %s)" %
                     (i, network, row_id))
            for key, expected in pairs(row["value"]):
                found = lookup(body, key)
                if not matches(found, expected):
                    fail("facts.json request %d, row %s: %s is %r, the table says %r" %
                         (i, row_id, key, found, expected))
            stated[row_id].add(network)
    pending = []
    for row_id, row in rows.items():
        status, scope, by = row["status"], row["scope"], stated[row_id]
        if status == "record":
            want = set(networks) if scope == "all" else set(spring) if scope == "spring" else {scope}
            if not want <= by:
                fail("row %s is not stated by a request of %s" % (row_id, sorted(want - by)))
        elif status == "pending":
            pending.append(row_id)
        elif status == "derived":
            check_derived(row, facts, networks)
    if pending:
        print("pending (not in facts.json yet; see each row's note): " + ", ".join(pending))
    print("(b) %d requests of facts.json, %d rows" % (len(facts), len(rows)))


def check_derived(row, facts, networks):
    if row["id"] == "six-networks":
        if len(networks) != int(dict(pairs(row["value"]))["networks"]):
            fail("row six-networks: facts.json has %d networks" % len(networks))
    elif row["id"] == "most-forced-labour":
        raised = {network_of(r) for r in facts
                  if r["path"].endswith("/observations") and network_of(r) != "national"
                  and FAMILY.get(r["body"]["theme"], r["body"]["theme"]) == "forced_labour"}
        if len(raised) < 4:
            fail("row most-forced-labour: only %s raised the forced_labour family" %
                 sorted(raised))
    else:
        fail("row %s: no check for this derived row" % row["id"])


def check_facts_only(facts):
    for i, request in enumerate(facts):
        path = request["path"]
        body = request.get("body") or {}
        if re.search(r"/(members|trainings)(/|$)|/amend$", path):
            fail("facts.json request %d: %s (the bulletin gives no member, attendance, "
                 "delivered training or correction)" % (i, path))
        if path.endswith("/record") and (body.get("attendee_count", "absent") is not None
                                         or "attendees" in body):
            fail("facts.json request %d: a meeting held must say its attendance is unknown "
                 "(\"attendee_count\": null, no attendees)" % i)
        for key, value in walk_keys(body):
            if key == "established_on":
                fail("facts.json request %d gives a founding date" % i)
            elif key in ("attendees", "participants") or (key == "attendee_count"
                                                         and value is not None):
                fail("facts.json request %d gives attendance (%s)" % (i, key))
            elif key in DATE_KEYS and value is not None and not MONTH.match(str(value)):
                fail("facts.json request %d: %s %r is not a month" % (i, key, value))
        if path.endswith("/wishes") and body.get("kind") == "meeting_format":
            fail("facts.json request %d: a meeting-format preference" % i)
        for key, text in walk_strings(body):
            if text.lstrip().lower().startswith(MARKER.lower()):
                fail("facts.json request %d: an illustrative %s" % (i, key))
    print("(c) facts.json: months only; no founding date, attendance, training or member")


def check_illustrative(illustrative):
    for i, request in enumerate(illustrative):
        if request["path"] == "/v1/networks":
            fail("illustrative.json request %d establishes a network" % i)
        for key, text in walk_strings(request.get("body")):
            if key in ("notes", "summary", "reason") and not text.startswith(MARKER):
                fail("illustrative.json request %d: %s does not begin %r" % (i, key, MARKER))
    print("(c) illustrative.json: every notes, summary and reason is marked")


def main():
    if len(sys.argv) != 3:
        print(__doc__)
        return 2
    demo_dir, bulletin = sys.argv[1:3]
    rows = read_rows(os.path.join(demo_dir, "bulletin-facts.tsv"))
    facts = json.load(open(os.path.join(demo_dir, "facts.json"), encoding="utf-8"))
    illustrative = json.load(open(os.path.join(demo_dir, "illustrative.json"), encoding="utf-8"))
    check_quotes(rows, bulletin)
    check_backing(rows, facts)
    check_facts_only(facts)
    check_illustrative(illustrative)
    saved = set()
    check_refs(facts, saved, "facts.json")
    check_refs(illustrative, saved, "illustrative.json")
    if failures:
        print("%d failures" % len(failures))
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
